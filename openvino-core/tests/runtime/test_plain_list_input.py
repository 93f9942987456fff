"""A plain list (str/bytes/int/float values, or lists of them) given to a one-input model
is that input's data, as in OpenVINO; other lists still give one value per input."""

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops


def _identity(shape, element_type):
    p = ops.parameter(shape, element_type, name="x")
    return ov.compile_model(ov.Model([ops.result(p)], [p]), "TEMPLATE")


@pytest.mark.parametrize(("data", "shape"), [
    (["a", "bcd"], [-1]),
    ([b"a", b"bcd"], [2]),
    ([["ab", "c"]], [1, 2]),
    ([["ab"], ["c"]], [2, 1]),
])
def test_string_list_is_one_input(data, shape):
    compiled = _identity(shape, ov.Type.string)
    expected = np.array(data)
    if expected.dtype.kind == "S":
        expected = np.char.decode(expected)
    for run in (compiled, compiled.create_infer_request().infer):
        out = run(data)[0]
        assert out.shape == expected.shape
        assert out.tolist() == expected.tolist()
    raw = compiled(data, decode_strings=False)[0]
    assert raw.dtype.kind == "S"


def test_numeric_list_is_one_input():
    # OpenVINO 2026.4.1 makes such a list an f64 tensor and rejects it for an f32 input;
    # here it is converted to the input's type, as an array is
    compiled = _identity([3], ov.Type.f32)
    assert compiled([1.0, -2.0, 3.0])[0].tolist() == [1.0, -2.0, 3.0]
    # a tuple keeps its meaning: one value per input
    assert compiled(([4.0, 5.0, 6.0],))[0].tolist() == [4.0, 5.0, 6.0]
    with pytest.raises(RuntimeError, match=r"cannot take data of shape \[1, 3\]"):
        compiled([[1.0, 2.0, 3.0]])


def test_list_of_arrays_still_one_per_input():
    p1 = ops.parameter([2], np.float32, name="a")
    p2 = ops.parameter([2], np.float32, name="b")
    compiled = ov.compile_model(ov.Model([ops.add(p1, p2)], [p1, p2]), "TEMPLATE")
    # two inputs: a plain list is one value per input
    assert compiled([[1.0, 2.0], [3.0, 4.0]])[0].tolist() == [4.0, 6.0]
    one = _identity([2], ov.Type.f32)
    assert one([np.array([7.0, 8.0], np.float32)])[0].tolist() == [7.0, 8.0]
