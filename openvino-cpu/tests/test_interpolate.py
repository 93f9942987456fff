"""Interpolate's C kernel (``kernels/interpolate.c``, tables from ``openvino.plugin.interpolate``)
against the TEMPLATE reference: every mode, coordinate transformation and nearest rounding,
v1 / v4 / v11, sizes and scales, upsampling and downsampling with antialias, padding, odd
and zero-sized shapes, unaligned input, on the AVX2 and the AVX-512 code paths; f32 data
within f32 rounding, f16 / f64 / integer data to the same numbers as the reference, any type
for nearest; no Interpolate runs its Python reference in the plan but Pillow modes on
i32 / i64 data."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset1 as ops1
import openvino.opset4 as ops4
import openvino.opset11 as ops11
import openvino.opset13 as ops

MODES = ["nearest", "linear", "linear_onnx", "cubic", "bilinear_pillow", "bicubic_pillow"]
COORDS = ["half_pixel", "pytorch_half_pixel", "asymmetric", "tf_half_pixel_for_nn",
          "align_corners"]
NEAREST = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple"]


def _exec_types(core, model) -> list[str]:
    plan = plan_of(core.compile_model(model, "CPU"))
    return [i.exec_type for i in plan.info if i.type == "Interpolate"]


def _check(runner, core, model, data, rtol=1e-5, atol=1e-5) -> None:
    if data.dtype == np.float32:
        runner.check(model, [unaligned(data)], rtol=rtol, atol=atol)
    else:  # other types compute as the reference does: the same numbers
        got = runner.cpu(model, [unaligned(data)])[0]
        want = runner.reference(model, [data])[0]
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
    types = _exec_types(core, model)  # none: the output is a view of the input
    assert all(t.startswith("jit_interpolate") for t in types), types


def _v11(shape, values, mode, calc="sizes", axes=None, dtype=np.float32, **kw) -> ov.Model:
    p = ops.parameter(shape, dtype)
    vt = np.int64 if calc == "sizes" else np.float32
    node = ops11.interpolate(p, np.array(values, vt), mode, calc,
                             axes=None if axes is None else np.array(axes, np.int64), **kw)
    return ov.Model([node], [p])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("out_hw", [(34, 46), (7, 5), (17, 1), (1, 1)])
def test_modes_up_and_down(runner, core, isa_level, mode, out_hw) -> None:
    data = np.random.default_rng(1).uniform(-1, 1, (2, 3, 17, 23)).astype(np.float32)
    model = _v11([2, 3, 17, 23], out_hw, mode, axes=[2, 3], antialias=True)
    _check(runner, core, model, data)


@pytest.mark.parametrize("coord", COORDS)
@pytest.mark.parametrize("nearest", NEAREST)
def test_nearest_roundings(runner, core, coord, nearest) -> None:
    data = np.random.default_rng(2).uniform(-1, 1, (1, 2, 5, 7)).astype(np.float32)
    model = _v11([1, 2, 5, 7], [0.6, 1.7], "nearest", "scales", axes=[2, 3],
                 coordinate_transformation_mode=coord, nearest_mode=nearest)
    _check(runner, core, model, data)


@pytest.mark.parametrize("mode", ["linear", "linear_onnx", "cubic"])
@pytest.mark.parametrize("coord", COORDS)
def test_coordinate_modes(runner, core, isa_level, mode, coord) -> None:
    data = np.random.default_rng(3).uniform(-1, 1, (1, 40, 9, 11)).astype(np.float32)
    model = _v11([1, 40, 9, 11], [2.0, 0.5], mode, "scales", axes=[2, 3],
                 coordinate_transformation_mode=coord)
    _check(runner, core, model, data)


@pytest.mark.parametrize("seed", range(24))
def test_random(runner, core, isa_level, seed) -> None:
    rng = np.random.default_rng(100 + seed)
    rank = int(rng.integers(1, 6))
    shape = [int(rng.integers(1, 12)) for _ in range(rank)]
    mode = str(rng.choice(MODES))
    n_axes = int(rng.integers(1, min(rank, 2 if "pillow" in mode else 3) + 1))
    axes = sorted(int(a) for a in rng.choice(rank, n_axes, replace=False))
    pads = rng.random() < 0.4
    kw = dict(coordinate_transformation_mode=str(rng.choice(COORDS)),
              nearest_mode=str(rng.choice(NEAREST)), antialias=bool(rng.random() < 0.5),
              cube_coeff=float(rng.choice([-0.75, -0.5])),
              pads_begin=[int(v) for v in rng.integers(0, 3, rank)] if pads else None,
              pads_end=[int(v) for v in rng.integers(0, 3, rank)] if pads else None)
    if "pillow" in mode:
        kw["coordinate_transformation_mode"] = "half_pixel"  # what Pillow computes
    if rng.random() < 0.5:
        model = _v11(shape, [int(rng.integers(1, 25)) for _ in axes], mode, "sizes", axes, **kw)
    else:
        model = _v11(shape, [float(rng.choice([0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0]))
                             for _ in axes], mode, "scales", axes, **kw)
    data = rng.uniform(-2, 2, shape).astype(np.float32)
    _check(runner, core, model, data)


@pytest.mark.parametrize("shape,sizes,axes", [([0, 3, 4, 4], [8, 8], [2, 3]),
                                              ([1, 3, 0, 4], [5, 2], [2, 3]),
                                              ([1, 3, 4, 4], [0, 3], [2, 3]),
                                              ([2, 0, 5], [4], [1])])
@pytest.mark.parametrize("mode", ["nearest", "linear_onnx", "cubic"])
def test_zero_sized(runner, core, shape, sizes, axes, mode) -> None:
    model = _v11(shape, sizes, mode, axes=axes)
    data = np.zeros(shape, np.float32)
    runner.check(model, [data])
    assert "ref_python" not in [i.exec_type for i in
                                plan_of(core.compile_model(model, "CPU")).info]


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32, np.int64, np.float16,
                                   np.float64])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("out_hw", [(29, 7), (4, 23)])
def test_other_data_types(runner, core, dtype, mode, out_hw) -> None:
    rng = np.random.default_rng(5)
    if np.dtype(dtype).kind in "iu":
        if "pillow" in mode and np.dtype(dtype).itemsize > 1:
            pytest.skip("the reference stores each Pillow pass of i32/i64 through f32: it runs")
        info = np.iinfo(dtype)
        data = rng.integers(max(info.min, -2**40), min(info.max, 2**40), (1, 3, 13, 10),
                            endpoint=True).astype(dtype)
    else:
        data = (rng.standard_normal((1, 3, 13, 10)) * 100).astype(dtype)
    model = _v11([1, 3, 13, 10], out_hw, mode, axes=[2, 3], dtype=dtype, antialias=True,
                 pads_begin=[0, 0, 1, 0], pads_end=[0, 1, 0, 0])
    _check(runner, core, model, data)


def test_pillow_on_wide_integers_runs_its_reference(runner, core) -> None:
    data = np.arange(130, dtype=np.int32).reshape(1, 1, 13, 10) * 100003 + 2**30
    model = _v11([1, 1, 13, 10], [5, 7], "bilinear_pillow", axes=[2, 3], dtype=np.int32)
    runner.check(model, [data])
    assert _exec_types(core, model) == ["ref_python"]


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float16, np.float64, np.uint8])
def test_nearest_any_type(runner, core, dtype) -> None:
    data = np.random.default_rng(6).uniform(0, 50, (2, 5, 3)).astype(dtype)
    p = ops.parameter([2, 5, 3], dtype)
    node = ops4.interpolate(p, np.array([9, 2], np.int64), np.array([1.8, 0.7], np.float32),
                            "nearest", "sizes", axes=np.array([1, 2], np.int64),
                            pads_begin=[1, 0, 0], pads_end=[0, 1, 0])
    _check(runner, core, ov.Model([node], [p]), data)


@pytest.mark.parametrize("mode,align", [("nearest", False), ("linear", False),
                                        ("linear", True), ("cubic", False)])
def test_v1(runner, core, isa_level, mode, align) -> None:
    data = np.random.default_rng(7).uniform(-1, 1, (1, 4, 6, 9)).astype(np.float32)
    p = ops.parameter([1, 4, 6, 9], np.float32)
    node = ops1.interpolate(p, ops1.constant(np.array([11, 4], np.int64)),
                            {"axes": [2, 3], "mode": mode, "align_corners": align})
    _check(runner, core, ov.Model([node], [p]), data)


@pytest.mark.filterwarnings("ignore:invalid value")
def test_nan_and_inf_propagate_as_in_the_reference(runner, core) -> None:
    data = np.random.default_rng(8).uniform(-1, 1, (1, 1, 6, 6)).astype(np.float32)
    data[0, 0, 2, 3] = np.nan
    data[0, 0, 5, 0] = np.inf
    for mode in ["linear_onnx", "cubic", "linear"]:
        _check(runner, core, _v11([1, 1, 6, 6], [11, 13], mode, axes=[2, 3],
                                  pads_begin=[0, 0, 1, 1]), data)


def test_identity_is_a_view(runner, core) -> None:
    model = _v11([2, 3, 4], [3, 4], "nearest", axes=[1, 2])
    data = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    runner.check(model, [data])
    assert _exec_types(core, model) == []


def test_large_upsample_threads(runner, core, isa_level) -> None:
    data = np.random.default_rng(9).uniform(-1, 1, (1, 64, 40, 40)).astype(np.float32)
    for mode in ["nearest", "linear_onnx", "cubic"]:
        _check(runner, core, _v11([1, 64, 40, 40], [2.0, 2.0], mode, "scales", [2, 3]), data)
