"""A whole pipeline: a u8 NHWC BGR 480x640 image into a model that wants f32 NCHW RGB
224x224 normalized with mean/scale, against doing it by hand in numpy; the built model
through save_model/read_model; what build() does to the model; the report."""

from __future__ import annotations

import numpy as np
import pytest
from references import RESIZE_ATOL, identity_model, resize

import openvino as ov
import openvino.opset13 as ops
from openvino import Layout, PartialShape, Type
from openvino.preprocess import ColorFormat, PrePostProcessor, ResizeAlgorithm

MEAN = [123.675, 116.28, 103.53]
SCALE = [58.395, 57.12, 57.375]
MODES = {ResizeAlgorithm.RESIZE_LINEAR: "linear", ResizeAlgorithm.RESIZE_CUBIC: "cubic",
         ResizeAlgorithm.RESIZE_NEAREST: "nearest"}


def image_pipeline(alg=ResizeAlgorithm.RESIZE_LINEAR) -> PrePostProcessor:
    model = identity_model([1, 3, 224, 224])
    ppp = PrePostProcessor(model)
    ppp.input().tensor().set_element_type(Type.u8).set_layout(Layout("NHWC")) \
        .set_color_format(ColorFormat.BGR).set_shape([1, 480, 640, 3])
    ppp.input().model().set_layout(Layout("NCHW"))
    ppp.input().preprocess().convert_element_type(Type.f32).convert_color(ColorFormat.RGB) \
        .resize(alg).mean(MEAN).scale(SCALE)
    return ppp


def by_hand(bgr: np.ndarray, mode: str) -> np.ndarray:
    rgb = bgr.astype(np.float64)[..., ::-1]
    small = resize(rgb, 1, 2, (224, 224), mode)
    normalized = (small - np.array(MEAN)) / np.array(SCALE)
    return normalized.transpose(0, 3, 1, 2)


@pytest.mark.parametrize("alg", list(MODES))
def test_image_pipeline_equals_numpy(infer, alg):
    model = image_pipeline(alg).build()
    assert model.input().get_element_type() == Type.u8
    assert model.input().get_partial_shape() == PartialShape([1, 480, 640, 3])
    assert model.input().get_node().get_layout() == Layout("NHWC")
    x = np.random.default_rng(11).integers(0, 256, (1, 480, 640, 3)).astype(np.uint8)
    out = infer(model, x)[0]
    assert out.shape == (1, 3, 224, 224) and out.dtype == np.float32
    # the resize tolerance is for 0..255 values; normalized values are divided by ~57
    atol = RESIZE_ATOL[MODES[alg]] / min(SCALE) + 1e-5
    np.testing.assert_allclose(out, by_hand(x, MODES[alg]), atol=atol)


def test_built_model_is_made_of_ordinary_ops():
    model = image_pipeline().build()
    types = [n.get_type_name() for n in model.get_ordered_ops()]
    for expected in ("Convert", "Gather", "Interpolate", "Subtract", "Multiply", "Transpose"):
        assert expected in types
    interp = next(n for n in model.get_ordered_ops() if n.get_type_name() == "Interpolate")
    assert interp.get_type_info().version_id == "opset11"
    assert interp.get_attributes()["mode"] == "linear"


def test_built_model_round_trips_through_ir(tmp_path, infer):
    model = image_pipeline().build()
    ov.save_model(model, tmp_path / "exact.xml", compress_to_fp16=False)
    ov.save_model(model, tmp_path / "f16.xml")
    back = ov.Core().read_model(tmp_path / "exact.xml")
    assert back.input().get_node().get_layout() == Layout("NHWC")
    assert back.input().get_names() == {"data"}
    assert back.output().get_names() == {"out"}
    x = np.random.default_rng(2).integers(0, 256, (1, 480, 640, 3)).astype(np.uint8)
    want = infer(model, x)[0]
    np.testing.assert_array_equal(infer(back, x)[0], want)
    # the default save stores the mean/scale constants in f16
    compiled = ov.compile_model(tmp_path / "f16.xml", "TEMPLATE")
    assert compiled.input().get_partial_shape() == PartialShape([1, 480, 640, 3])
    np.testing.assert_allclose(compiled(x)[0], want, atol=2e-3)


def test_build_returns_the_same_model_and_keeps_its_other_nodes():
    model = identity_model([1, 3, 4, 4])
    old_param = model.get_parameters()[0]
    body = model.get_results()[0].input_value(0).get_node()
    result = model.get_results()[0]
    ppp = PrePostProcessor(model)
    ppp.input().tensor().set_element_type(Type.u8)
    ppp.output().tensor().set_element_type(Type.f16)
    assert ppp.build() is model
    assert model.get_results()[0] is result
    assert body in model.get_ordered_ops()
    new_param = model.get_parameters()[0]
    assert new_param is not old_param
    assert new_param.get_friendly_name() == "data" and model.input().get_names() == {"data"}
    assert body.input_value(0).get_node().get_type_name() == "Convert"
    assert result.input_value(0).get_node().get_friendly_name() == \
        f"{body.get_friendly_name()}.0"


def test_model_layout_becomes_the_input_layout_and_serves_batch_helpers():
    model = identity_model([2, 3, 4, 4])
    ppp = PrePostProcessor(model)
    ppp.input().model().set_layout("NCHW")
    ppp.build()
    assert model.input().get_node().get_layout() == Layout("NCHW")
    assert ov.get_batch(model) == 2


def test_untouched_and_unconfigured_inputs_stay():
    a = ops.parameter([2], np.float32, name="a")
    b = ops.parameter([2], np.float32, name="b")
    model = ov.Model([ops.add(a, b)], [a, b])
    ppp = PrePostProcessor(model)
    ppp.input(0)
    ppp.input(1).tensor().set_element_type(Type.i32)
    model = ppp.build()
    assert model.get_parameters()[0] is a
    assert model.get_parameters()[1] is not b


def test_multi_plane_input_keeps_the_order_of_inputs(infer):
    y = ops.parameter([1, 3, 4, 6], np.float32, name="img")
    y.output(0).set_names({"img"})
    s = ops.parameter([1], np.float32, name="shift")
    s.output(0).set_names({"shift"})
    model = ov.Model([ops.add(y, ops.reshape(s, [1, 1, 1, 1], False))], [y, s])
    ppp = PrePostProcessor(model)
    ppp.input("img").tensor().set_color_format(ColorFormat.I420_THREE_PLANES, ["y", "u", "v"])
    ppp.input("img").preprocess().convert_color(ColorFormat.RGB)
    ppp.input("img").model().set_layout("NCHW")
    ppp.input("shift").tensor().set_element_type(Type.i64)
    model = ppp.build()
    assert [sorted(i.get_names())[0] for i in model.inputs] == \
        ["img/y", "img/u", "img/v", "shift"]
    assert model.input("shift").get_element_type() == Type.i64


EXPECTED_REPORT = """\
Input "data" (color BGR):
    User's input tensor: [1,480,640,3], [N,H,W,C], u8
    Model's expected tensor: [1,3,224,224], [N,C,H,W], f32
    Pre-processing steps (5):
      convert type (f32): ([1,480,640,3], [N,H,W,C], u8, BGR) -> ([1,480,640,3], [N,H,W,C], f32, BGR)
      convert color (RGB): ([1,480,640,3], [N,H,W,C], f32, BGR) -> ([1,480,640,3], [N,H,W,C], f32, RGB)
      resize to model width/height: ([1,480,640,3], [N,H,W,C], f32, RGB) -> ([1,224,224,3], [N,H,W,C], f32, RGB)
      mean (123.675,116.28,103.53): ([1,224,224,3], [N,H,W,C], f32, RGB) -> ([1,224,224,3], [N,H,W,C], f32, RGB)
      scale (58.395,57.12,57.375): ([1,224,224,3], [N,H,W,C], f32, RGB) -> ([1,224,224,3], [N,H,W,C], f32, RGB)
    Implicit pre-processing steps (1):
      convert layout [N,C,H,W]: ([1,224,224,3], [N,H,W,C], f32, RGB) -> ([1,3,224,224], [N,C,H,W], f32, RGB)
Output "out":
    Model's data tensor: [1,3,224,224], <no layout>, f32
    Post-processing implicit steps (1):
      convert type (f16): ([1,3,224,224], <no layout>, f32) -> ([1,3,224,224], <no layout>, f16)
    User's output tensor: [1,3,224,224], <no layout>, f16
"""  # noqa: E501  (the lines as the real PrePostProcessor prints them)


def test_report_lists_the_steps_as_the_real_one_prints():
    ppp = image_pipeline()
    ppp.output().tensor().set_element_type(Type.f16)
    model = ppp._model
    before = [n.get_type_name() for n in model.get_ordered_ops()]
    assert str(ppp) == EXPECTED_REPORT
    assert repr(ppp) == f"<PrePostProcessor: {EXPECTED_REPORT}>"
    # reporting builds on a copy: the model is untouched and build() still works
    assert [n.get_type_name() for n in model.get_ordered_ops()] == before
    assert str(ppp) == EXPECTED_REPORT
    ppp.build()
    assert model.output().get_element_type() == Type.f16


def test_report_of_multi_plane_input_and_empty_processor():
    model = identity_model([1, 3, 4, 6])
    ppp = PrePostProcessor(model)
    assert str(ppp) == ""
    ppp.input().tensor().set_color_format(ColorFormat.NV12_TWO_PLANES, ["y", "uv"])
    ppp.input().preprocess().convert_color(ColorFormat.BGR)
    ppp.input().model().set_layout("NCHW")
    lines = str(ppp).splitlines()
    assert lines[:4] == [
        'Input "data" (color NV12 (multi-plane)):',
        "    2 user's tensors expected for each plane:",
        "       0: data/y [1,4,6,1], [N,H,W,C], f32",
        "       1: data/uv [1,2,3,2], [N,H,W,C], f32",
    ]
    assert lines[6] == ("      convert color (BGR): ([1,4,6,1], [N,H,W,C], f32, NV12 "
                        "(multi-plane)) -> ([1,4,6,3], [N,H,W,C], f32, BGR)")


def test_report_ends_with_the_error():
    model = identity_model([1, 3, 4, 4])
    ppp = PrePostProcessor(model)
    ppp.input().preprocess().mean([1.0, 2.0, 3.0])
    text = str(ppp)
    assert text.splitlines()[-2] == "      mean (1,2,3): ([1,3,4,4], <no layout>, f32)"
    assert text.splitlines()[-1].startswith("Error occurred: PrePostProcessor: input \"data\"")
    assert "channels dimension 'C'" in text


def test_enums_look_like_the_real_ones():
    assert str(ColorFormat.BGR) == "ColorFormat.BGR"
    assert repr(ColorFormat.BGR) == "<ColorFormat.BGR: 6>"
    assert int(ColorFormat.NV12_TWO_PLANES) == 2 and ColorFormat(9) is ColorFormat.BGRX
    assert ResizeAlgorithm.RESIZE_BICUBIC_PILLOW.value == 4
    assert f"{ResizeAlgorithm.RESIZE_NEAREST}" == "ResizeAlgorithm.RESIZE_NEAREST"
    from openvino.preprocess import PaddingMode

    assert [m.name for m in PaddingMode] == ["CONSTANT", "REFLECT", "SYMMETRIC"]
    assert PaddingMode.SYMMETRIC.value == 3


def test_runtime_alias_is_the_same_module():
    import openvino.preprocess as pp
    import openvino.runtime.preprocess as legacy

    assert legacy is pp and legacy.PrePostProcessor is PrePostProcessor
    assert ov.runtime.preprocess is pp


def test_set_from_takes_shape_and_type_of_arrays_and_tensors(infer):
    for source in (np.zeros((1, 6, 8, 3), np.uint8), ov.Tensor(np.zeros((1, 6, 8, 3), np.uint8))):
        model = identity_model([1, 3, 4, 4])
        ppp = PrePostProcessor(model)
        ppp.input().tensor().set_from(source).set_layout("NHWC")
        ppp.input().preprocess().resize(ResizeAlgorithm.RESIZE_NEAREST)
        ppp.input().model().set_layout("NCHW")
        ppp.build()
        assert model.input().get_partial_shape() == PartialShape([1, 6, 8, 3])
        assert model.input().get_element_type() == Type.u8
        x = np.arange(144, dtype=np.uint8).reshape(1, 6, 8, 3)
        want = resize(x, 1, 2, (4, 4), "nearest").transpose(0, 3, 1, 2)
        np.testing.assert_array_equal(infer(model, x)[0], want)


def test_memory_type_is_kept_in_rt_info_and_ir(tmp_path):
    model = identity_model([1, 3])
    ppp = PrePostProcessor(model)
    ppp.input().tensor().set_memory_type("GPU_SURFACE")
    assert str(ppp).splitlines()[0] == 'Input "data" memory type=GPU_SURFACE:'
    ppp.build()
    assert str(model.input().get_rt_info()["memory_type_0"]) == "GPU_SURFACE"
    ov.save_model(model, tmp_path / "m.xml")
    assert 'name="memory_type" version="0" value="GPU_SURFACE"' in \
        (tmp_path / "m.xml").read_text()
    back = ov.Core().read_model(tmp_path / "m.xml")
    assert str(back.input().get_rt_info()["memory_type_0"]) == "GPU_SURFACE"
