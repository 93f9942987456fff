"""Reduce* ops: values, keep_dims, negative/duplicate axes, axes known or not at build time."""

from __future__ import annotations

import numpy as np
import pytest
from node_eval import evaluate_node as run

import openvino as ov
import openvino.opset13 as ops
from openvino import Dimension, PartialShape, Type

DATA = np.array([[[1, -2, 3], [4, 5, -6]], [[-7, 8, 9], [10, -11, 12]]], np.float32)



def param(shape, dtype=np.float32):
    return ops.parameter(shape, dtype)


NUMERIC = [
    ("reduce_sum", np.sum),
    ("reduce_prod", np.prod),
    ("reduce_mean", np.mean),
    ("reduce_max", np.max),
    ("reduce_min", np.min),
    ("reduce_l1", lambda x, axis, keepdims: np.sum(np.abs(x), axis=axis, keepdims=keepdims)),
    ("reduce_l2", lambda x, axis, keepdims: np.sqrt(np.sum(x * x, axis=axis,
                                                           keepdims=keepdims))),
]


@pytest.mark.parametrize("fname, expect", NUMERIC)
@pytest.mark.parametrize("axes, keep", [([1], False), ([0, 2], True), ([-1], False),
                                        ([2, -1], True), ([], False), ([0, 1, 2], False)])
def test_numeric_reductions(fname, expect, axes, keep):
    node = getattr(ops, fname)(param([2, 2, 3]), axes, keep_dims=keep)
    axes_np = tuple(sorted({a % 3 for a in axes}))
    want = expect(DATA.astype(np.float64), axis=axes_np, keepdims=keep)
    assert node.get_output_partial_shape(0) == PartialShape(list(np.shape(want)))
    assert node.get_output_element_type(0) == Type.f32
    got = run(node, DATA, np.array(axes, np.int64))
    assert got.dtype == np.float32 and got.shape == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.float16])
def test_reductions_other_element_types(dtype):
    data = np.array([[3, 1, 4], [1, 5, 9]], dtype)
    for fname, want in [("reduce_sum", [8, 15]), ("reduce_max", [4, 9]),
                        ("reduce_min", [1, 1]), ("reduce_prod", [12, 45])]:
        got = run(getattr(ops, fname)(param([2, 3], dtype), [1]), data, np.array([1]))
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, want)


def test_integer_mean_truncates_toward_zero_and_sum_wraps():
    data = np.array([[-7, 0], [7, 0], [3, 4]], np.int32)
    got = run(ops.reduce_mean(param([3, 2], np.int32), [1]), data, np.array([1]))
    np.testing.assert_array_equal(got, [-3, 3, 3])
    got = run(ops.reduce_sum(param([3], np.uint8), [0]), np.array([200, 100, 1], np.uint8),
              np.array([0]))
    assert got.dtype == np.uint8 and got == 45
    got = run(ops.reduce_l2(param([2], np.int32), [0]), np.array([3, 4], np.int32),
              np.array([0]))
    assert got == 5


def test_scalar_axis_and_i32_axes():
    node = ops.reduce_sum(param([2, 2, 3]), ov.opset13.constant(np.int32(2)))
    assert node.get_output_partial_shape(0) == PartialShape([2, 2])
    np.testing.assert_array_equal(run(node, DATA, np.int32(2)), DATA.sum(axis=2))


def test_logical_reductions():
    data = np.array([[True, False, True], [True, True, True]])
    for fname, expect in [("reduce_logical_and", np.all), ("reduce_logical_or", np.any)]:
        node = getattr(ops, fname)(param([2, 3], np.bool_), [1], keep_dims=True)
        assert node.get_output_element_type(0) == Type.boolean
        assert node.get_output_partial_shape(0) == PartialShape([2, 1])
        got = run(node, data, np.array([1]))
        np.testing.assert_array_equal(got, expect(data, axis=1, keepdims=True))
    with pytest.raises(RuntimeError, match="boolean"):
        ops.reduce_logical_and(param([2, 3]), [0])


def test_empty_reduction_identities():
    empty = np.zeros((0, 3), np.float32)
    assert run(ops.reduce_sum(param([0, 3]), [0]), empty, np.array([0])).tolist() == [0, 0, 0]
    assert run(ops.reduce_prod(param([0, 3]), [0]), empty, np.array([0])).tolist() == [1, 1, 1]
    assert np.all(run(ops.reduce_max(param([0, 3]), [0]), empty, np.array([0])) == -np.inf)


def test_dynamic_data_shapes():
    node = ops.reduce_mean(param([-1, Dimension(2, 8), 3]), [1], keep_dims=True)
    assert node.get_output_partial_shape(0) == PartialShape([-1, 1, 3])
    node = ops.reduce_sum(param([-1, Dimension(2, 8), 3]), [-1])
    assert node.get_output_partial_shape(0) == PartialShape([-1, Dimension(2, 8)])
    node = ops.reduce_max(param(PartialShape.dynamic()), [0], keep_dims=True)
    assert node.get_output_partial_shape(0).rank.is_dynamic


def test_axes_not_known_at_build_time():
    axes = param([1], np.int64)
    kept = ops.reduce_sum(param([2, 3, 4]), axes, keep_dims=True)
    assert kept.get_output_partial_shape(0) == PartialShape([-1, -1, -1])
    dropped = ops.reduce_sum(param([2, 3, 4]), axes, keep_dims=False)
    assert dropped.get_output_partial_shape(0).rank.is_dynamic
    data = np.ones((2, 3, 4), np.float32)
    got = run(dropped, data, np.array([1], np.int64))
    np.testing.assert_array_equal(got, np.full((2, 4), 3.0, np.float32))
    empty_axes = ops.reduce_sum(param([2, 3]), param([0], np.int64))
    assert empty_axes.get_output_partial_shape(0) == PartialShape([2, 3])


def test_axes_computed_from_constants_are_used():
    axes = ops.add(ov.opset13.constant(np.array([0], np.int64)),
                   ov.opset13.constant(np.array([1], np.int64)))
    node = ops.reduce_min(param([2, 5, 3]), axes)
    assert node.get_output_partial_shape(0) == PartialShape([2, 3])


def test_invalid_axes():
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        ops.reduce_sum(param([2, 3]), [2])
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        ops.reduce_sum(param([2, 3]), [-3])
    with pytest.raises(RuntimeError, match="integer"):
        ops.reduce_sum(param([2, 3]), ov.opset13.constant(np.array([0.0], np.float32)))
    with pytest.raises(RuntimeError, match="scalar or 1D"):
        ops.reduce_sum(param([2, 3]), ov.opset13.constant(np.array([[0]], np.int64)))
    with pytest.raises(RuntimeError, match="boolean"):
        ops.reduce_sum(param([2], np.bool_), [0])


def test_ir_attributes_and_versions():
    node = ops.reduce_mean(param([2, 3]), [1], keep_dims=True)
    assert node._ir_attributes() == {"keep_dims": "true"}
    assert node.version == "opset1"
    assert ops.reduce_l2(param([2]), [0]).version == "opset4"
    assert not hasattr(ov.opset3, "reduce_l1") and hasattr(ov.opset4, "reduce_l1")
    default = ops.reduce_sum(param([2, 3]), [1])
    assert default.get_attributes() == {"keep_dims": False}
