"""NonZero-3, Bucketize-3 and Unique-10."""

from __future__ import annotations

import numpy as np
import pytest

import openvino.opset3 as ops3
import openvino.opset10 as ops10
from openvino import Dimension, PartialShape, Tensor, Type
from openvino._ops.search import Bucketize, NonZero, Unique


def run_all(node, *arrays):
    outs = []
    node.evaluate(outs, [Tensor(np.asarray(a)) for a in arrays])
    return [t.data for t in outs]


def param(shape, dtype=np.float32):
    return ops10.parameter(shape, dtype)


# --- NonZero -----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8, np.bool_, np.float16])
@pytest.mark.parametrize("out_type", ["i64", "i32"])
def test_non_zero_matches_numpy(dtype, out_type):
    x = (np.arange(24).reshape(2, 3, 4) % 3 == 1).astype(dtype)
    node = ops3.non_zero(param([2, 3, 4], dtype), out_type)
    assert type(node) is NonZero
    assert node.get_output_element_type(0) == Type(out_type)
    assert node.get_output_partial_shape(0) == PartialShape([3, Dimension(0, 24)])
    (got,) = run_all(node, x)
    assert got.dtype == Type(out_type).to_dtype()
    np.testing.assert_array_equal(got, np.array(np.nonzero(x)))


def test_non_zero_scalar_empty_and_dynamic():
    node = ops3.non_zero(param([]))
    assert node.get_output_partial_shape(0) == PartialShape([1, Dimension(0, 1)])
    assert run_all(node, np.float32(3))[0].shape == (1, 1)
    assert run_all(node, np.float32(0))[0].shape == (1, 0)
    node = ops3.non_zero(param([0, 3]))
    assert node.get_output_partial_shape(0) == PartialShape([2, 0])
    assert run_all(node, np.zeros([0, 3], np.float32))[0].shape == (2, 0)
    node = ops3.non_zero(param(PartialShape([Dimension(1, 4), 5])))
    assert node.get_output_partial_shape(0) == PartialShape([2, Dimension(0, 20)])
    node = ops3.non_zero(param(PartialShape([Dimension(), 5])))
    assert node.get_output_partial_shape(0) == PartialShape([2, Dimension()])
    node = ops3.non_zero(param(PartialShape.dynamic()))
    assert node.get_output_partial_shape(0) == PartialShape.dynamic(2)
    with pytest.raises(RuntimeError, match="output_type must be i32 or i64"):
        ops3.non_zero(param([3]), "f32")


# --- Bucketize -------------------------------------------------------------------------------
@pytest.mark.parametrize("data_dtype, bucket_dtype", [
    (np.float32, np.float32), (np.int32, np.int64), (np.float16, np.int32),
    (np.int64, np.float32)])
def test_bucketize_edges(data_dtype, bucket_dtype):
    data = np.array([[-3, 1, 2], [5, 9, 10]], data_dtype)
    buckets = np.array([1, 5, 9], bucket_dtype)
    right = ops3.bucketize(param([2, 3], data_dtype), buckets)
    left = ops3.bucketize(param([2, 3], data_dtype), buckets, "i32", False)
    assert type(right) is Bucketize
    assert right.get_output_element_type(0) == Type.i64
    assert left.get_output_element_type(0) == Type.i32
    assert right.get_output_partial_shape(0) == PartialShape([2, 3])
    # right bound included: (-inf, 1], (1, 5], (5, 9], (9, inf)
    np.testing.assert_array_equal(run_all(right, data, buckets)[0], [[0, 0, 1], [1, 2, 3]])
    # left bound included: (-inf, 1), [1, 5), [5, 9), [9, inf)
    np.testing.assert_array_equal(run_all(left, data, buckets)[0], [[0, 1, 1], [2, 3, 3]])


def test_bucketize_empty_buckets_and_invalid():
    node = ops3.bucketize(param(PartialShape([Dimension(), 2])), param([0]))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(), 2])
    got = run_all(node, np.ones([3, 2], np.float32), np.zeros([0], np.float32))[0]
    np.testing.assert_array_equal(got, np.zeros([3, 2]))
    with pytest.raises(RuntimeError, match="buckets must be a 1-D tensor"):
        ops3.bucketize(param([2]), param([2, 2]))
    with pytest.raises(RuntimeError, match="numeric element type"):
        ops3.bucketize(param([2], np.bool_), param([2]))


# --- Unique ------------------------------------------------------------------------------------
DATA = np.array([[-1, 2, -1], [5, 5, 2], [-1, 2, -1]], np.float32)


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int64, np.uint8])
def test_unique_flattened_sorted_and_unsorted(dtype):
    x = (DATA + 1).astype(dtype)
    node = ops10.unique(param([3, 3], dtype))
    assert type(node) is Unique
    assert [node.get_output_partial_shape(i) for i in range(4)] == [
        PartialShape([Dimension(1, 9)]), PartialShape([Dimension(1, 9)]), PartialShape([9]),
        PartialShape([Dimension(1, 9)])]
    uniq, first, inverse, counts = run_all(node, x)
    assert uniq.dtype == dtype
    np.testing.assert_array_equal(uniq, np.array([0, 3, 6]).astype(dtype))
    np.testing.assert_array_equal(first, [0, 1, 3])
    np.testing.assert_array_equal(inverse, [0, 1, 0, 2, 2, 1, 0, 1, 0])
    np.testing.assert_array_equal(counts, [4, 3, 2])
    x2 = np.array([5, 1, 5, 3, 1], dtype)
    node = ops10.unique(param([5], dtype), sorted=False, index_element_type="i32",
                        count_element_type="i32")
    uniq, first, inverse, counts = run_all(node, x2)
    np.testing.assert_array_equal(uniq, np.array([5, 1, 3]).astype(dtype))
    np.testing.assert_array_equal(first, [0, 1, 3])
    np.testing.assert_array_equal(inverse, [0, 1, 0, 2, 1])
    np.testing.assert_array_equal(counts, [2, 2, 1])
    assert first.dtype == np.int32 and counts.dtype == np.int32
    np.testing.assert_array_equal(uniq[inverse], x2)


@pytest.mark.parametrize("sorted_", [True, False])
def test_unique_along_axis(sorted_):
    node = ops10.unique(param([3, 3]), np.int64(0), sorted=sorted_)
    assert [node.get_output_partial_shape(i) for i in range(4)] == [
        PartialShape([Dimension(1, 3), 3]), PartialShape([Dimension(1, 3)]),
        PartialShape([3]), PartialShape([Dimension(1, 3)])]
    uniq, first, inverse, counts = run_all(node, DATA, np.int64(0))
    np.testing.assert_array_equal(uniq, [[-1, 2, -1], [5, 5, 2]])
    np.testing.assert_array_equal(first, [0, 1])
    np.testing.assert_array_equal(inverse, [0, 1, 0])
    np.testing.assert_array_equal(counts, [2, 1])
    node = ops10.unique(param([3, 3]), np.int64(-1), sorted=sorted_)
    uniq, first, inverse, counts = run_all(node, DATA, np.int64(-1))
    np.testing.assert_array_equal(uniq[:, inverse], DATA)
    # columns (-1, 5, -1), (2, 5, 2), (-1, 2, -1) are distinct; sorted lexicographically
    np.testing.assert_array_equal(first, [2, 0, 1] if sorted_ else [0, 1, 2])
    np.testing.assert_array_equal(counts, [1, 1, 1])


def test_unique_empty_dynamic_and_invalid():
    node = ops10.unique(param([0]))
    assert node.get_output_partial_shape(0) == PartialShape([0])
    outs = run_all(node, np.zeros([0], np.float32))
    assert [o.shape for o in outs] == [(0,), (0,), (0,), (0,)]
    node = ops10.unique(param(PartialShape([Dimension(), 4])))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension()])
    assert node.get_output_partial_shape(2) == PartialShape([Dimension()])
    node = ops10.unique(param([3, 4]), param([], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape.dynamic(2)
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        ops10.unique(param([3, 4]), np.int64(2))
    with pytest.raises(RuntimeError, match="index_element_type must be i32 or i64"):
        ops10.unique(param([3]), index_element_type="u8")
