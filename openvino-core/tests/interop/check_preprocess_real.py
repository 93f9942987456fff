"""Pre-processing interop: the same ``PrePostProcessor`` pipelines built by the real
OpenVINO 2026.4.1 and by ours give the same models and the same outputs.

``python check_preprocess_real.py export OUT.npz`` (with the REAL ``openvino`` importable)
builds every pipeline of ``PIPELINES`` with the real API, runs it on the real CPU plugin and
writes the inputs, the outputs, the input/output signature and ``str(ppp)`` of each to
``OUT.npz``.

``python check_preprocess_real.py check OUT.npz`` (with OUR ``openvino`` importable) builds
the same pipelines with ours, runs them on TEMPLATE with the stored inputs and compares.
Both print a summary and exit 1 on a failure. The pipelines use only the public API, so
one definition serves both sides; ``tests/preprocess/test_interop_real.py`` runs the pair
when ``OV_REAL_PYTHON`` names the real runtime's Python.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
REAL_CPU_CONFIG = {"INFERENCE_PRECISION_HINT": "f32"}
MEAN = [123.675, 116.28, 103.53]
SCALE = [58.395, 57.12, 57.375]


def _model(ov: Any, shape: list[int]) -> Any:
    """``data * 1`` with tensor names ``data`` and ``out``."""
    ops = ov.opset13
    p = ops.parameter(shape, np.float32, name="data")
    p.output(0).set_names({"data"})
    out = ops.multiply(p, np.float32(1))
    out.output(0).set_names({"out"})
    return ov.Model([out], [p], "pp")


def _u8(rng: np.random.Generator, shape: list[int]) -> np.ndarray:
    return rng.integers(0, 256, shape).astype(np.uint8)


# --- the pipelines: (ov, rng) -> (PrePostProcessor, inputs, tolerance) ----------------------
def bgr_image(alg_name: str) -> Callable[[Any, np.random.Generator], tuple]:
    def build(ov: Any, rng: np.random.Generator) -> tuple:
        pp = ov.preprocess
        ppp = pp.PrePostProcessor(_model(ov, [1, 3, 224, 224]))
        ppp.input().tensor().set_element_type(ov.Type.u8).set_layout(ov.Layout("NHWC")) \
            .set_color_format(pp.ColorFormat.BGR).set_shape([1, 480, 640, 3])
        ppp.input().model().set_layout(ov.Layout("NCHW"))
        ppp.input().preprocess().convert_element_type(ov.Type.f32) \
            .convert_color(pp.ColorFormat.RGB).resize(getattr(pp.ResizeAlgorithm, alg_name)) \
            .mean(MEAN).scale(SCALE)
        return ppp, [_u8(rng, [1, 480, 640, 3])], 1e-4
    return build


def nv12_two_planes(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [1, 3, 224, 224]))
    ppp.input().tensor().set_element_type(ov.Type.u8) \
        .set_color_format(pp.ColorFormat.NV12_TWO_PLANES, ["y", "uv"]) \
        .set_spatial_static_shape(480, 640)
    ppp.input().preprocess().convert_element_type(ov.Type.f32) \
        .convert_color(pp.ColorFormat.BGR).resize(pp.ResizeAlgorithm.RESIZE_LINEAR)
    ppp.input().model().set_layout(ov.Layout("NCHW"))
    return ppp, [_u8(rng, [1, 480, 640, 1]), _u8(rng, [1, 240, 320, 2])], 5e-3


def i420_single_plane(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [1, 3, 32, 48]))
    ppp.input().tensor().set_element_type(ov.Type.u8) \
        .set_color_format(pp.ColorFormat.I420_SINGLE_PLANE)
    ppp.input().preprocess().convert_color(pp.ColorFormat.RGB) \
        .convert_element_type(ov.Type.f32)
    ppp.input().model().set_layout(ov.Layout("NCHW"))
    return ppp, [_u8(rng, [1, 48, 48, 1])], 0.0


def crop_pad_reverse(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [1, 3, 24, 24]))
    ppp.input().tensor().set_shape([1, 3, 30, 30]).set_layout("NCHW")
    ppp.input().preprocess().crop([0, 0, 3, 4], [1, 3, 23, 26]) \
        .pad([0, 0, 2, 1], [0, 0, 2, 1], 0.0, pp.PaddingMode.REFLECT) \
        .reverse_channels().mean(0.5).scale(2.0)
    return ppp, [rng.random((1, 3, 30, 30)).astype(np.float32)], 1e-6


def postprocess(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [1, 3, 4, 5]))
    ppp.output().model().set_layout("NCHW")
    ppp.output().postprocess().custom(lambda o: ov.opset13.negative(o).output(0)) \
        .convert_element_type(ov.Type.f16)
    ppp.output().tensor().set_layout("NHWC").set_element_type(ov.Type.f32)
    # the real CPU plugin drops the f32 -> f16 -> f32 round trip: f16 rounding apart
    return ppp, [rng.normal(size=(1, 3, 4, 5)).astype(np.float32)], 1e-3


def bgr_to_gray(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [1, 1, 16, 20]))
    ppp.input().tensor().set_color_format(pp.ColorFormat.BGR).set_layout("NHWC") \
        .set_shape([1, 16, 20, 3])
    ppp.input().preprocess().convert_color(pp.ColorFormat.GRAY)
    ppp.input().model().set_layout("NCHW")
    return ppp, [(rng.random((1, 16, 20, 3)) * 255).astype(np.float32)], 1e-3


def nv12_single_to_gray(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [1, 1, 8, 12]))
    ppp.input().tensor().set_color_format(pp.ColorFormat.NV12_SINGLE_PLANE)
    ppp.input().preprocess().convert_color(pp.ColorFormat.GRAY)
    ppp.input().model().set_layout("NCHW")
    return ppp, [_u8(rng, [1, 12, 12, 1]).astype(np.float32)], 0.0


def rgbx_to_bgr(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [1, 3, 6, 7]))
    ppp.input().tensor().set_element_type(ov.Type.u8).set_color_format(pp.ColorFormat.RGBX)
    ppp.input().preprocess().convert_color(pp.ColorFormat.BGR)
    ppp.input().model().set_layout("NCHW")
    return ppp, [_u8(rng, [1, 6, 7, 4])], 0.0


def dynamic_spatial_resize(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [1, 3, 32, 32]))
    ppp.input().tensor().set_element_type(ov.Type.u8).set_layout("NHWC") \
        .set_spatial_dynamic_shape()
    ppp.input().preprocess().convert_element_type(ov.Type.f32) \
        .resize(pp.ResizeAlgorithm.RESIZE_LINEAR)
    ppp.input().model().set_layout("NCHW")
    return ppp, [_u8(rng, [1, 50, 75, 3])], 5e-3


def pillow_resize(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [1, 3, 20, 24]))
    ppp.input().tensor().set_layout("NCHW").set_spatial_static_shape(50, 40)
    ppp.input().preprocess().resize(pp.ResizeAlgorithm.RESIZE_BILINEAR_PILLOW)
    return ppp, [(rng.random((1, 3, 50, 40)) * 255).astype(np.float32)], 5e-3


def layout_by_dims_and_types(ov: Any, rng: np.random.Generator) -> tuple:
    pp = ov.preprocess
    ppp = pp.PrePostProcessor(_model(ov, [2, 3, 4]))
    ppp.input().tensor().set_element_type(ov.Type.i32)
    ppp.input().preprocess().convert_layout([2, 0, 1])
    ppp.output().postprocess().convert_layout([1, 2, 0]).convert_element_type(ov.Type.i32)
    return ppp, [rng.integers(-50, 50, (3, 4, 2)).astype(np.int32)], 0.0


PIPELINES: dict[str, Callable[[Any, np.random.Generator], tuple]] = {
    "bgr_u8_nhwc_linear": bgr_image("RESIZE_LINEAR"),
    "bgr_u8_nhwc_nearest": bgr_image("RESIZE_NEAREST"),
    "bgr_u8_nhwc_cubic": bgr_image("RESIZE_CUBIC"),
    "nv12_two_planes": nv12_two_planes,
    "i420_single_plane": i420_single_plane,
    "crop_pad_reverse": crop_pad_reverse,
    "postprocess": postprocess,
    "bgr_to_gray": bgr_to_gray,
    "nv12_single_to_gray": nv12_single_to_gray,
    "rgbx_to_bgr": rgbx_to_bgr,
    "dynamic_spatial_resize": dynamic_spatial_resize,
    "pillow_resize": pillow_resize,
    "layout_by_dims_and_types": layout_by_dims_and_types,
}


def _signature(model: Any) -> str:
    """Inputs and outputs of the built model: names, shapes, element types."""
    def ports(items: list) -> list:
        return [[sorted(p.get_names()), p.get_partial_shape().to_string(),
                 p.get_element_type().get_type_name()] for p in items]
    return json.dumps({"inputs": ports(model.inputs), "outputs": ports(model.outputs)})


def export(path: Path) -> int:
    """Real side: build, run on CPU, store everything."""
    import openvino as ov

    core = ov.Core()
    data: dict[str, np.ndarray] = {}
    for name, pipeline in PIPELINES.items():
        ppp, inputs, tolerance = pipeline(ov, np.random.default_rng(zlib.crc32(name.encode())))
        report = str(ppp)
        model = ppp.build()
        outputs = core.compile_model(model, "CPU", REAL_CPU_CONFIG)(inputs)
        for i, x in enumerate(inputs):
            data[f"{name}:in{i}"] = x
        for i in range(len(model.outputs)):
            data[f"{name}:out{i}"] = np.asarray(outputs[i])
        data[f"{name}:signature"] = np.array(_signature(model))
        data[f"{name}:report"] = np.array(report)
        data[f"{name}:tolerance"] = np.array(tolerance)
        print(f"{name}: built and run")
    np.savez(path, **data)
    print(f"wrote {len(PIPELINES)} pipelines to {path}")
    return 0


def check(path: Path) -> list[str]:
    """Our side: the same pipelines on TEMPLATE with the stored inputs; the failures."""
    import openvino as ov

    stored = np.load(path)
    core = ov.Core()
    failures = []
    for name, pipeline in PIPELINES.items():
        try:
            ppp, _, _ = pipeline(ov, np.random.default_rng(0))
            report = str(ppp)
            model = ppp.build()
            inputs = [stored[f"{name}:in{i}"] for i in range(len(model.inputs))]
            outputs = core.compile_model(model, "TEMPLATE")(inputs)
            if _signature(model) != str(stored[f"{name}:signature"]):
                failures.append(f"{name}: inputs/outputs differ: ours {_signature(model)}, "
                                f"real {stored[f'{name}:signature']}")
            if report != str(stored[f"{name}:report"]):
                failures.append(f"{name}: str(ppp) differs:\nours:\n{report}\nreal:\n"
                                f"{stored[f'{name}:report']}")
            atol = float(stored[f"{name}:tolerance"])
            for i in range(len(model.outputs)):
                want = stored[f"{name}:out{i}"]
                got = np.asarray(outputs[i])
                if got.dtype != want.dtype or got.shape != want.shape:
                    failures.append(f"{name}: output {i} is {got.dtype}{got.shape}, real "
                                    f"{want.dtype}{want.shape}")
                    continue
                scale = max(1.0, float(np.abs(want.astype(np.float64)).max(initial=0)))
                diff = float(np.abs(got.astype(np.float64) - want.astype(np.float64)).max(
                    initial=0))
                if diff > atol * scale:
                    failures.append(f"{name}: output {i} differs by {diff} (allowed "
                                    f"{atol * scale})")
        except Exception as e:  # one broken pipeline must not hide the others
            failures.append(f"{name}: {type(e).__name__}: {e}")
        print(f"{name}: {'ok' if not any(f.startswith(name + ':') for f in failures) else 'FAIL'}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["export", "check"])
    parser.add_argument("npz", type=Path)
    args = parser.parse_args(argv)
    if args.command == "export":
        # our package also imports as ``openvino``: keep its source tree out of the way
        sys.path[:] = [p for p in sys.path if not (Path(p or ".") / "openvino" / "_ir").is_dir()]
        return export(args.npz)
    failures = check(args.npz)
    for f in failures:
        print("FAIL", f)
    print(f"{len(PIPELINES)} pipelines, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
