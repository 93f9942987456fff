"""Range (v0 in opset1, v4), OneHot (v1, v16) and CumSum-3."""

from __future__ import annotations

import numpy as np
import pytest

import openvino.opset1 as ops1
import openvino.opset3 as ops3
import openvino.opset4 as ops4
import openvino.opset15 as ops15
import openvino.opset16 as ops16
from openvino import Dimension, Model, PartialShape, Tensor, Type
from openvino._ops.cumulative import CumSum
from openvino._ops.generation import OneHot, OneHot1, Range, Range1
from openvino._reference_executor import ReferencePlan


def run(node, *arrays):
    """The node's output in evaluation form (bf16 as float32 values)."""
    outs = []
    node.evaluate(outs, [Tensor(np.asarray(a)) for a in arrays])
    return outs[0]._to_evaluation()


def param(shape, dtype=np.float32):
    return ops4.parameter(shape, dtype)


# --- Range --------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64, np.int8])
@pytest.mark.parametrize("start, stop, step", [(2, 23, 3), (23, 2, -3), (0, 0, 1), (5, 1, 1),
                                               (-4, 4, 2)])
def test_range_v0_integral_values(dtype, start, stop, step):
    args = [np.array(v, dtype) for v in (start, stop, step)]
    node = ops1.range(*args)
    assert type(node) is Range1 and node.get_type_info().version_id == "opset1"
    expect = np.arange(start, stop, step, dtype=dtype)
    assert node.get_output_element_type(0) == Type(dtype)
    assert node.get_output_partial_shape(0) == PartialShape([len(expect)])
    got = run(node, *args)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expect)


@pytest.mark.parametrize("out_type", [Type.f32, Type.f16, Type.f64, Type.bf16])
def test_range_v4_float_outputs(out_type):
    node = ops4.range(np.float32(1), np.float32(2.5), np.float32(0.5), out_type)
    assert type(node) is Range and node.get_output_element_type(0) == out_type
    assert node.get_output_partial_shape(0) == PartialShape([3])
    got = run(node, np.float32(1), np.float32(2.5), np.float32(0.5))
    np.testing.assert_allclose(np.asarray(got, np.float64), [1.0, 1.5, 2.0])
    node = ops4.range(np.float32(0), np.float32(1), np.float32(0.1), out_type)
    assert node.get_output_partial_shape(0) == PartialShape([10])


def test_range_v4_mixed_inputs_and_integer_truncation():
    node = ops4.range(np.float32(0.7), np.float64(4.9), np.int32(1), "i32")
    # integer output: start, stop and step truncate towards zero first -> range(0, 4, 1)
    assert node.get_output_partial_shape(0) == PartialShape([4])
    np.testing.assert_array_equal(run(node, np.float32(0.7), np.float64(4.9), np.int32(1)),
                                  [0, 1, 2, 3])
    node = ops4.range(np.int64(10), np.int64(-3), np.float32(-2.5), "f32")
    expect = np.arange(10, -3, -2.5)
    assert node.get_output_partial_shape(0) == PartialShape([len(expect)])
    np.testing.assert_allclose(run(node, np.int64(10), np.int64(-3), np.float32(-2.5)), expect)
    node = ops4.range(np.int32(0), np.int32(300), np.int32(100), "u8")
    np.testing.assert_array_equal(run(node, np.int32(0), np.int32(300), np.int32(100)),
                                  np.array([0, 100, 200], np.uint8))


def test_range_dynamic_inputs_and_constant_folding():
    stop = param([], np.int64)
    node = ops4.range(np.int64(0), stop, np.int64(2), "i64")
    assert node.get_output_partial_shape(0) == PartialShape([Dimension()])
    (got,) = ReferencePlan(Model([node], [stop])).run([np.array(7, np.int64)])
    np.testing.assert_array_equal(got, [0, 2, 4, 6])
    shape = ops4.shape_of(param([5, 3]))
    node = ops4.range(np.int64(0), ops4.reduce_prod(shape, np.int64(0)), np.int64(1), "i64")
    assert node.get_output_partial_shape(0) == PartialShape([15])


@pytest.mark.parametrize("build, message", [
    (lambda: ops4.range(np.int32(0), np.int32(5), np.int32(0), "i32"), "step must not be zero"),
    (lambda: ops4.range(np.float32(0), np.float32(5), np.float32(0.4), "i32"),
     "step must not be zero"),
    (lambda: ops1.range(np.int32(0), np.int64(5), np.int32(1)), "same element type"),
    (lambda: ops4.range(np.int32(0), np.int32(5), np.int32(1), "boolean"), "numeric type"),
    (lambda: ops4.range(np.array([0, 1]), np.int32(5), np.int32(1), "i32"), "start must be"),
    (lambda: ops4.range(np.float32(0), np.float32(np.inf), np.float32(1), "f32"),
     "stop must be finite"),
    (lambda: ops1.range(np.True_, np.True_, np.True_), "numeric element type"),
])
def test_range_invalid(build, message):
    with pytest.raises(RuntimeError, match=message):
        build()


def test_range_runtime_zero_step():
    node = ops4.range(np.int32(0), np.int32(5), param([], np.int32), "i32")
    with pytest.raises(RuntimeError, match="step must not be zero"):
        run(node, np.int32(0), np.int32(5), np.int32(0))


def test_range_ir_attribute():
    start, stop, step = (ops4.constant(np.array(v, np.int64)) for v in (0, 6, 2))
    node = Range._from_ir([start.output(0), stop.output(0), step.output(0)],
                          {"output_type": "f32"}, "r")
    assert node.get_output_element_type(0) == Type.f32
    assert node._ir_attributes() == {"output_type": "f32"}
    assert node.get_output_partial_shape(0) == PartialShape([3])


# --- OneHot ------------------------------------------------------------------------------------
@pytest.mark.parametrize("value_dtype", [np.float32, np.int32, np.int64, np.float16, np.bool_])
@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_one_hot_v1_matches_numpy(value_dtype, index_dtype):
    idx = np.array([[0, 3, 1], [1, 2, 4]], index_dtype)
    on, off = np.array(1, value_dtype), np.array(0, value_dtype)
    for axis in (0, 1, 2, -1, -3):
        node = ops1.one_hot(idx, np.int64(3), on, off, axis)
        assert type(node) is OneHot1
        expect = np.moveaxis((idx[..., None] == np.arange(3)).astype(value_dtype), -1, axis)
        assert node.get_output_partial_shape(0) == PartialShape(list(expect.shape))
        assert node.get_output_element_type(0) == Type(value_dtype)
        got = run(node, idx, np.int64(3), on, off)
        assert got.dtype == value_dtype
        np.testing.assert_array_equal(got, expect)


def test_one_hot_negative_indices_by_version():
    idx = np.array([0, -5, -2, 2], np.int64)
    on, off = np.float32(1), np.float32(2)
    v1 = ops15.one_hot(idx, np.int64(3), on, off, -1)
    np.testing.assert_array_equal(run(v1, idx, np.int64(3), on, off),
                                  [[1, 2, 2], [2, 2, 2], [2, 2, 2], [2, 2, 1]])
    v16 = ops16.one_hot(idx, np.int64(3), on, off, -1, "normalize")
    assert type(v16) is OneHot and v16.get_type_info().version_id == "opset16"
    np.testing.assert_array_equal(run(v16, idx, np.int64(3), on, off),
                                  [[1, 2, 2], [2, 2, 2], [2, 1, 2], [2, 2, 1]])
    ignore = ops16.one_hot(idx, np.int64(3), on, off, -1)
    assert ignore._ir_attributes() == {"axis": "-1", "negative_indices_mode": "ignore_negative"}
    np.testing.assert_array_equal(run(ignore, idx, np.int64(3), on, off),
                                  run(v1, idx, np.int64(3), on, off))


def test_one_hot_scalar_and_empty_indices():
    node = ops1.one_hot(np.int32(2), np.int32(4), np.float32(5), np.float32(0), 0)
    assert node.get_output_partial_shape(0) == PartialShape([4])
    np.testing.assert_array_equal(run(node, np.int32(2), np.int32(4), np.float32(5),
                                      np.float32(0)), [0, 0, 5, 0])
    idx = np.zeros([0, 2], np.int32)
    node = ops1.one_hot(idx, np.int32(4), np.float32(1), np.float32(0), 1)
    assert run(node, idx, np.int32(4), np.float32(1), np.float32(0)).shape == (0, 4, 2)


def test_one_hot_shape_inference_dynamic():
    idx = param(PartialShape([Dimension(1, 5), Dimension()]), np.int64)
    node = ops1.one_hot(idx, np.int64(7), np.float32(1), np.float32(0), 1)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(1, 5), 7, Dimension()])
    node = ops1.one_hot(idx, param([], np.int64), np.float32(1), np.float32(0), -1)
    assert node.get_output_partial_shape(0) == PartialShape(
        [Dimension(1, 5), Dimension(), Dimension()])
    node = ops1.one_hot(param(PartialShape.dynamic(), np.int64), np.int64(7), np.float32(1),
                        np.float32(0), 0)
    assert node.get_output_partial_shape(0) == PartialShape.dynamic()


@pytest.mark.parametrize("build, message", [
    (lambda: ops1.one_hot(np.array([1]), np.int64(-1), np.float32(1), np.float32(0), 0),
     "depth must be non-negative"),
    (lambda: ops1.one_hot(np.array([1]), np.int64(3), np.float32(1), np.int32(0), 0),
     "same element type"),
    (lambda: ops1.one_hot(np.array([1.0], np.float32), np.int64(3), np.float32(1),
                          np.float32(0), 0), "indices must have an integer"),
    (lambda: ops1.one_hot(np.array([1]), np.int64(3), np.float32(1), np.float32(0), 2),
     "out of the tensor rank"),
    (lambda: ops1.one_hot(np.array([1]), np.array([3, 4]), np.float32(1), np.float32(0), 0),
     "depth must be a scalar"),
    (lambda: ops16.one_hot(np.array([1]), np.int64(3), np.float32(1), np.float32(0), 0,
                           "wrap"), "negative_indices_mode"),
])
def test_one_hot_invalid(build, message):
    with pytest.raises(RuntimeError, match=message):
        build()


# --- CumSum ------------------------------------------------------------------------------------
def numpy_cumsum(x, axis, exclusive, reverse):
    y = np.flip(x, axis) if reverse else x
    out = np.cumsum(y, axis=axis, dtype=x.dtype)
    if exclusive:
        out = out - y
    return np.flip(out, axis) if reverse else out


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.uint8,
                                   np.float16])
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumsum_matches_numpy(dtype, exclusive, reverse):
    x = (np.arange(24).reshape(2, 3, 4) % 5).astype(dtype)
    for axis in (0, 1, -1):
        node = ops3.cumsum(param([2, 3, 4], dtype), np.int64(axis), exclusive, reverse)
        assert type(node) is CumSum
        assert node.get_output_partial_shape(0) == PartialShape([2, 3, 4])
        got = run(node, x, np.int64(axis))
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, numpy_cumsum(x, axis, exclusive, reverse))


def test_cumsum_default_axis_wraparound_and_empty():
    x = np.array([[1, 2], [3, 4]], np.float32)
    node = ops3.cum_sum(param([2, 2]))
    assert node.get_input_size() == 1
    np.testing.assert_array_equal(run(node, x), [[1, 2], [4, 6]])
    big = np.array([100, 100, 100], np.int8)
    node = ops3.cumsum(param([3], np.int8), np.int32(0))
    np.testing.assert_array_equal(run(node, big, np.int32(0)),
                                  np.array([100, 200, 300]).astype(np.int8))
    empty = np.zeros([0, 3], np.float32)
    node = ops3.cumsum(param([0, 3]), np.int64(1), True, True)
    assert run(node, empty, np.int64(1)).shape == (0, 3)


def test_cumsum_shape_inference_and_invalid():
    ps = PartialShape([Dimension(1, 4), Dimension()])
    assert ops3.cumsum(param(ps), np.int64(1)).get_output_partial_shape(0) == ps
    assert ops3.cumsum(param(ps), param([], np.int64)).get_output_partial_shape(0) == ps
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        ops3.cumsum(param([2, 3]), np.int64(2))
    with pytest.raises(RuntimeError, match="axis must be a scalar"):
        ops3.cumsum(param([2, 3]), np.array([0, 1]))
    with pytest.raises(RuntimeError, match="numeric element type"):
        ops3.cumsum(param([2, 3], np.bool_), np.int64(0))
    with pytest.raises(RuntimeError, match="integer element type"):
        ops3.cumsum(param([2, 3]), np.float32(0))
    node = ops3.cumsum(param([2, 3]), param([], np.int64))
    with pytest.raises(RuntimeError, match="axis 5 is out of range"):
        run(node, np.zeros([2, 3], np.float32), np.int64(5))
