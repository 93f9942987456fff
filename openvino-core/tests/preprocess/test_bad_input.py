"""Impossible or conflicting declarations: build() raises an exception that names the
input or output and the step, and leaves the model exactly as it was."""

from __future__ import annotations

import numpy as np
import pytest
from references import identity_model, model_signature

import openvino as ov
import openvino.opset13 as ops
from openvino import PartialShape, Type
from openvino.preprocess import ColorFormat, PaddingMode, PrePostProcessor, ResizeAlgorithm


def two_input_model():
    a = ops.parameter([1, 3, 4, 4], np.float32, name="a")
    a.output(0).set_names({"a"})
    b = ops.parameter([1, 3, 4, 4], np.float32, name="b")
    b.output(0).set_names({"b"})
    out = ops.add(a, b)
    out.output(0).set_names({"out"})
    return ov.Model([out], [a, b], "two")


CASES = {
    "tensor layout does not fit the rank": (
        [2, 3], lambda p: p.input().tensor().set_layout("NCHW").set_element_type(Type.u8),
        r'input "data": user\'s tensor layout .*\[N,C,H,W\] is not compatible with shape \[2,3\]'),
    "model layout does not fit the rank": (
        [2, 3, 4], lambda p: p.input().model().set_layout("NCHW"),
        r'input "data": model layout \[N,C,H,W\] is not compatible with shape \[2,3,4\]'),
    "tensor layout does not fit a set shape": (
        [1, 3, 4, 4], lambda p: (p.input().tensor().set_layout("NHWC").set_shape([4, 4, 3]),
                                 p.input().model().set_layout("NCHW")),
        r"user's tensor layout \[N,H,W,C\] is not compatible with shape \[4,4,3\]"),
    "resize without layout": (
        [1, 3, 4, 4], lambda p: (p.input().tensor().set_shape([1, 3, 8, 8]),
                                 p.input().preprocess().resize(ResizeAlgorithm.RESIZE_LINEAR)),
        r'pre-processing step 1 "resize to model width/height": Can\'t add resize for layout '
        r"<no layout> without H/W"),
    "resize to dynamic model size": (
        [1, 3, -1, -1], lambda p: (p.input().tensor().set_layout("NCHW"),
                                   p.input().preprocess().resize(ResizeAlgorithm.RESIZE_CUBIC)),
        r"resize to model width/height.*height and width \(\?, \?\) are not static"),
    "resize of a dynamic rank": (
        PartialShape.dynamic(), lambda p: (
            p.input().tensor().set_layout("NCHW"),
            p.input().preprocess().resize(ResizeAlgorithm.RESIZE_LINEAR, 4, 4)),
        r'"resize to \(4, 4\)": Resize operation is not supported for fully dynamic shape'),
    "color conversion from a layout without channels": (
        [1, 4, 4, 3], lambda p: (
            p.input().tensor().set_color_format(ColorFormat.BGR).set_layout("NHW?")
            .set_shape([1, 4, 4, 3]),
            p.input().preprocess().convert_color(ColorFormat.RGB)),
        r'"convert color \(RGB\)": convert_color needs the channels dimension \'C\', but '
        r"layout \[N,H,W,\?\] has none"),
    "color format with a layout without channels": (
        [1, 4, 4, 3], lambda p: (
            p.input().tensor().set_color_format(ColorFormat.BGR).set_layout("NHW?"),
            p.input().preprocess().convert_color(ColorFormat.RGB)),
        r"cannot derive the user's tensor shape: Color format BGR needs the channels"),
    "color conversion without a source format": (
        [1, 3, 4, 4], lambda p: (p.input().tensor().set_layout("NCHW"),
                                 p.input().preprocess().convert_color(ColorFormat.BGR)),
        r"Source color format 'Unknown' is not convertible to 'BGR'"),
    "unsupported color conversion": (
        [1, 3, 4, 4], lambda p: (
            p.input().tensor().set_color_format(ColorFormat.RGB).set_layout("NCHW"),
            p.input().preprocess().convert_color(ColorFormat.NV12_SINGLE_PLANE)),
        r"'RGB' is not convertible to 'NV12 \(single plane\)'"),
    "color channels do not match the data": (
        [1, 3, 4, 4], lambda p: (
            p.input().tensor().set_color_format(ColorFormat.BGR).set_layout("NCHW")
            .set_shape([1, 4, 4, 4]),
            p.input().preprocess().convert_color(ColorFormat.RGB)),
        r"Color format BGR has 3 channels, the data has 4"),
    "NV12 left unconverted": (
        [1, 3, 4, 4], lambda p: (p.input().tensor().set_color_format(ColorFormat.NV12_TWO_PLANES),
                                 p.input().model().set_layout("NCHW")),
        r"add a 'convert_color' step to convert the current color format 'NV12 \(multi-plane\)'"),
    "step on a multi-plane input": (
        [1, 3, 4, 4], lambda p: (
            p.input().tensor().set_color_format(ColorFormat.I420_THREE_PLANES),
            p.input().preprocess().scale(2.0).convert_color(ColorFormat.RGB),
            p.input().model().set_layout("NCHW")),
        r'"scale \(2\)": Can\'t apply scale preprocessing for multi-plane input'),
    "layouts that name different dimensions": (
        [1, 3, 4, 4], lambda p: (p.input().tensor().set_layout("NCDH"),
                                 p.input().model().set_layout("NCHW")),
        r"Dimension name 'W' is not found in layout \[N,C,D,H\]"),
    "mean on integers": (
        [1, 3, 4, 4], lambda p: (p.input().tensor().set_element_type(Type.u8),
                                 p.input().preprocess().mean(1.0)),
        r'"mean \(1\)": Mean preprocessing can be applied to \'float\' inputs.*u8'),
    "mean values for the wrong channel count": (
        [1, 3, 4, 4], lambda p: (p.input().tensor().set_layout("NCHW"),
                                 p.input().preprocess().mean([1.0, 2.0])),
        r"Channels = 3, mean = 2"),
    "scale by zero": (
        [1, 3, 4, 4], lambda p: p.input().preprocess().scale([1.0, 0.0, 1.0]),
        r'"scale \(1,0,1\)": scale values .* contain 0'),
    "reverse channels without a channels dimension": (
        [1, 3, 4, 4], lambda p: p.input().preprocess().reverse_channels(),
        r'"reverse channels": Reverse channels needs the channels dimension'),
    "crop that does not give the model's shape": (
        [1, 3, 4, 4], lambda p: p.input().preprocess().crop([0, 0, 0, 0], [1, 3, 2, 4]),
        r"Resulting shape '\[1,3,2,4\]' after preprocessing is not aligned with original "
        r"parameter's shape: \[1,3,4,4\]"),
    "crop of the wrong rank": (
        [1, 3, 4, 4], lambda p: p.input().preprocess().crop([0, 0], [4, 4]),
        r"Crop: begin \[0, 0\] and end \[4, 4\] must have one value per dimension"),
    "pad of the wrong rank": (
        [1, 3, 4, 4], lambda p: p.input().preprocess().pad([1], [1], 0.0, PaddingMode.CONSTANT),
        r'"pad\(begin \(1\), end \(1\), with \(0\)\)": .*pads_begin'),
    "convert layout with a repeated dimension": (
        [1, 3, 4, 4], lambda p: p.input().preprocess().convert_layout([0, 1, 1, 2]),
        r"dimension 1 is used more than once"),
    "post-processing type left unknown": (
        [1, 3], lambda p: p.output().postprocess().convert_element_type(),
        r'output "out": post-processing step 1 "convert type \(dynamic\)": Can\'t convert to '
        r"dynamic/unknown element type"),
    "output layouts that cannot convert": (
        [1, 3, 4, 4], lambda p: (p.output().model().set_layout("NCHW"),
                                 p.output().tensor().set_layout("NCDH")),
        r'output "out": implicit post-processing step 1 "convert layout \[N,C,D,H\]"'),
    "spatial shape without H and W": (
        [1, 3, 4, 4], lambda p: p.input().tensor().set_spatial_static_shape(8, 8),
        r"set_spatial_static_shape needs the height dimension 'H'"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_declaration_fails_at_build_and_leaves_the_model(name):
    shape, configure, message = CASES[name]
    model = identity_model(shape)
    before = model_signature(model)
    ppp = PrePostProcessor(model)
    configure(ppp)
    with pytest.raises(RuntimeError, match=message):
        ppp.build()
    assert model_signature(model) == before
    assert "Error occurred: PrePostProcessor:" in str(ppp)


def test_failure_in_a_later_input_undoes_the_earlier_ones():
    model = two_input_model()
    before = model_signature(model)
    ppp = PrePostProcessor(model)
    ppp.input("a").tensor().set_element_type(Type.u8).set_layout("NHWC")
    ppp.input("a").model().set_layout("NCHW")
    ppp.input("b").preprocess().mean([1.0, 2.0, 3.0])  # no layout: no channels
    with pytest.raises(RuntimeError, match='input "b"'):
        ppp.build()
    assert model_signature(model) == before
    assert model.input("a").get_element_type() == Type.f32


def test_failure_in_an_output_undoes_the_inputs():
    model = two_input_model()
    before = model_signature(model)
    ppp = PrePostProcessor(model)
    ppp.input("a").tensor().set_element_type(Type.u8)
    ppp.output().postprocess().custom(lambda o: ops.reshape(o, [7], False).output(0))
    with pytest.raises(RuntimeError, match='output "out": post-processing step 1 "custom"'):
        ppp.build()
    assert model_signature(model) == before


def test_model_that_rejects_the_processed_input_is_restored():
    p = ops.parameter([-1], np.float32, name="data")
    out = ops.reshape(p, [2, 3], False)
    model = ov.Model([out], [p])
    before = model_signature(model)
    ppp = PrePostProcessor(model)
    ppp.input().tensor().set_shape([5])  # fits [?], but Reshape to [2,3] cannot take 5
    with pytest.raises(RuntimeError, match="does not accept the pre-processed inputs"):
        ppp.build()
    assert model_signature(model) == before
    assert model.output().get_partial_shape() == PartialShape([2, 3])


def test_exception_from_a_custom_function_passes_through_with_a_note():
    model = identity_model([2])
    before = model_signature(model)
    ppp = PrePostProcessor(model)
    ppp.input().preprocess().mean(1.0).custom(lambda o: 1 / 0)
    with pytest.raises(ZeroDivisionError) as info:
        ppp.build()
    notes = getattr(info.value, "__notes__", [])
    if hasattr(info.value, "add_note"):
        assert any('pre-processing step 2 "custom"' in n for n in notes)
    assert model_signature(model) == before


def test_custom_function_must_return_an_output():
    model = identity_model([2])
    ppp = PrePostProcessor(model)
    ppp.input().preprocess().custom(lambda o: 5)
    with pytest.raises(TypeError, match="must return an openvino.Output, got int"):
        ppp.build()


def test_fixing_the_declaration_after_a_failure_builds(infer):
    model = identity_model([1, 3, 2, 2])
    ppp = PrePostProcessor(model)
    ppp.input().preprocess().mean([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError):
        ppp.build()
    ppp.input().tensor().set_layout("NCHW")
    ppp.build()
    x = np.zeros((1, 3, 2, 2), np.float32)
    np.testing.assert_array_equal(infer(model, x)[0][0, :, 0, 0], [-1.0, -2.0, -3.0])


# --- mistakes caught at the call -----------------------------------------------------------
def test_immediate_errors():
    model = two_input_model()
    ppp = PrePostProcessor(model)
    with pytest.raises(RuntimeError, match="Model must have exactly one input, got 2"):
        ppp.input()
    with pytest.raises(RuntimeError, match="doesn't have input with name zzz"):
        ppp.input("zzz")
    with pytest.raises(RuntimeError, match="doesn't have input with index 5"):
        ppp.input(5)
    with pytest.raises(RuntimeError, match="doesn't have output with index 1"):
        ppp.output(1)
    with pytest.raises(RuntimeError, match="doesn't have output with name a"):
        ppp.output("a")
    with pytest.raises(TypeError):
        ppp.input(1.5)
    tensor = ppp.input(0).tensor()
    tensor.set_shape([1, 3, 4, 4])
    with pytest.raises(RuntimeError, match="shall not be used together"):
        tensor.set_spatial_static_shape(4, 4)
    spatial = ppp.input(1).tensor().set_spatial_dynamic_shape()
    with pytest.raises(RuntimeError, match="shall not be used together"):
        spatial.set_shape([1, 3, 4, 4])
    with pytest.raises(RuntimeError, match=r"Number of sub-names \(1\) shall match with number "
                                           r"of planes for 'NV12 \(multi-plane\)'"):
        tensor.set_color_format(ColorFormat.NV12_TWO_PLANES, ["y"])
    steps = ppp.input(0).preprocess()
    with pytest.raises(TypeError):
        steps.resize(ResizeAlgorithm.RESIZE_LINEAR, 10)
    with pytest.raises(TypeError):
        steps.convert_element_type("f32")
    with pytest.raises(TypeError):
        steps.custom(5)
    with pytest.raises(TypeError):
        steps.convert_layout()
    with pytest.raises(TypeError):
        steps.convert_color("RGB")
    with pytest.raises(TypeError, match="valid openvino.Model"):
        PrePostProcessor(5)
