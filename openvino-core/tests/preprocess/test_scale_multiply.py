"""PrePostProcessor ``scale`` is built as OpenVINO's ``build()`` leaves it: a Multiply by
the reciprocals of the values, computed in the input's element type; a Pad step whose
pads do not match the rank reports OpenVINO's message."""

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino.preprocess import PaddingMode, PrePostProcessor


def _model(shape, element_type=np.float32):
    p = ops.parameter(shape, element_type, name="A")
    return ov.Model(p, [p], "m")


def _types(model):
    return [op.get_type_name() for op in model.get_ordered_ops()]


def test_scale_is_a_multiply_by_reciprocals():
    ppp = PrePostProcessor(_model([2, 2]))
    ppp.input().tensor().set_layout(ov.Layout("NC"))
    ppp.input().preprocess().scale([0.5, 3.0])
    model = ppp.build()
    assert _types(model) == ["Parameter", "Constant", "Multiply", "Result"]
    const = next(op for op in model.get_ordered_ops() if op.get_type_name() == "Constant")
    expected = np.float32(1) / np.array([0.5, 3.0], np.float32)
    assert const.get_data().reshape(-1).tobytes() == expected.tobytes()
    assert "scale (0.5,3):" in str(ppp)


def test_scale_values_in_f16():
    ppp = PrePostProcessor(_model([2], np.float16))
    ppp.input().preprocess().scale(3.0)
    model = ppp.build()
    const = next(op for op in model.get_ordered_ops() if op.get_type_name() == "Constant")
    assert const.get_data().dtype == np.float16
    assert const.get_data()[0] == np.float16(1) / np.float16(3)


def test_mean_scale_results():
    ppp = PrePostProcessor(_model([1, 2]))
    ppp.input().tensor().set_layout(ov.Layout("NC"))
    ppp.input().preprocess().mean([1.0, 2.0]).scale([2.0, 4.0])
    compiled = ov.compile_model(ppp.build(), "TEMPLATE")
    x = np.array([[5.0, 10.0]], np.float32)
    assert compiled(x)[0].tolist() == [[2.0, 2.0]]


def test_pad_rank_mismatch_message():
    ppp = PrePostProcessor(_model([1, 3, 5, 5]))
    ppp.input().preprocess().pad([0, 0, 2, 0, 1], [0, 0, 4, 1, 1], 0, PaddingMode.CONSTANT)
    with pytest.raises(RuntimeError, match="length of pads_begin mismatches with rank of "
                                           "input, expect 4, but got 5"):
        ppp.build()
