"""Gather (v1, v7, v8), GatherElements-6 and GatherND (v5, v8)."""

from __future__ import annotations

import numpy as np
import pytest
from node_eval import evaluate_node as run

import openvino.opset1 as ops1
import openvino.opset5 as ops5
import openvino.opset6 as ops6
import openvino.opset7 as ops7
import openvino.opset8 as ops8
import openvino.opset16 as ops16
from openvino import Dimension, Model, PartialShape, Type
from openvino._ops.indexing import Gather, Gather1, Gather7, GatherElements, GatherND, GatherND5
from openvino._reference_executor import ReferencePlan

DTYPES = [np.float32, np.float16, np.int32, np.int64, np.uint8, np.int8, np.bool_]



def param(shape, dtype=np.float32):
    return ops8.parameter(shape, dtype)


def sample(shape, dtype):
    x = np.arange(int(np.prod(shape))).reshape(shape)
    return (x % 2).astype(dtype) if dtype == np.bool_ else x.astype(dtype)


# --- Gather ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, 1, -1, -3])
def test_gather8_negative_indices_match_numpy(dtype, axis):
    x = sample([3, 4, 5], dtype)
    dim = x.shape[axis]
    idx = np.array([[0, -1], [dim - 1, -dim]], np.int64)
    node = ops8.gather(param([3, 4, 5], dtype), idx, np.int64(axis))
    expect = np.take(x, idx, axis=axis)
    assert node.get_output_partial_shape(0) == PartialShape(list(expect.shape))
    assert node.get_output_element_type(0) == Type(dtype)
    got = run(node, x, idx, np.int64(axis))
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expect)


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64, np.uint8, np.int8])
def test_gather_index_types(index_dtype):
    x = np.arange(10, dtype=np.float32)
    idx = np.array([9, 0, 3], index_dtype)
    for fn in (ops1.gather, ops7.gather, ops8.gather):
        np.testing.assert_array_equal(run(fn(param([10]), idx, 0), x, idx, np.int32(0)), x[idx])


def test_gather_strings():
    words = np.array(["ab", "c", "def"])
    node = ops8.gather(param([3], "string"), np.array([2, -3]), np.int64(0))
    assert node.get_output_element_type(0) == Type.string
    got = run(node, words, np.array([2, -3]), np.int64(0))
    assert [bytes(v) for v in got.reshape(-1)] == [b"def", b"ab"]


def test_gather_scalar_index_drops_the_axis():
    x = sample([2, 3, 4], np.float32)
    node = ops8.gather(param([2, 3, 4]), np.int64(-1), np.int64(1))
    assert node.get_output_partial_shape(0) == PartialShape([2, 4])
    np.testing.assert_array_equal(run(node, x, np.int64(-1), np.int64(1)), x[:, -1])


def test_gather_empty_indices_and_empty_data():
    x = sample([2, 3], np.float32)
    idx = np.zeros([0, 2], np.int64)
    node = ops8.gather(param([2, 3]), idx, np.int64(1))
    assert node.get_output_partial_shape(0) == PartialShape([2, 0, 2])
    assert run(node, x, idx, np.int64(1)).shape == (2, 0, 2)
    empty = np.zeros([0, 3], np.float32)
    node = ops8.gather(param([0, 3]), np.array([1, 2]), np.int64(1))
    assert run(node, empty, np.array([1, 2]), np.int64(1)).shape == (0, 2)


@pytest.mark.parametrize("factory", [ops7.gather, ops8.gather])
def test_gather_batch_dims_examples(factory):
    data = np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], np.int32)
    idx = np.array([[0, 0, 4], [4, 0, 0]], np.int32)
    for b in (1, -1):
        node = factory(param([2, 5], np.int32), idx, np.int64(1), b)
        assert node.get_output_partial_shape(0) == PartialShape([2, 3])
        np.testing.assert_array_equal(run(node, data, idx, np.int64(1)), [[1, 1, 5], [10, 6, 6]])
    data3 = np.arange(1, 21, dtype=np.float32).reshape(2, 2, 5)
    idx3 = np.array([[[0, 0, 4], [4, 0, 0]], [[1, 2, 4], [4, 3, 2]]])
    node = factory(param([2, 2, 5]), idx3, np.int64(2), 2)
    np.testing.assert_array_equal(run(node, data3, idx3, np.int64(2)),
                                  [[[1, 1, 5], [10, 6, 6]], [[12, 13, 15], [20, 19, 18]]])
    data4 = np.arange(1, 41, dtype=np.float32).reshape(2, 1, 5, 4)
    idx4 = np.array([[1, 2, 4], [4, 3, 2]])
    node = factory(param([2, 1, 5, 4]), idx4, np.int64(2), 1)
    assert node.get_output_partial_shape(0) == PartialShape([2, 1, 3, 4])
    got = run(node, data4, idx4, np.int64(2))
    np.testing.assert_array_equal(got[0, 0], data4[0, 0, [1, 2, 4]])
    np.testing.assert_array_equal(got[1, 0], data4[1, 0, [4, 3, 2]])


@pytest.mark.parametrize("data_shape, index_shape, axis, batch_dims", [
    ((2, 3, 4, 5, 6), (2, 3, 7, 2), 3, 2),
    ((2, 3, 4, 5), (2, 6), 2, 1),
    ((2, 3, 4, 5), (2, 3, 4), -1, -1),
    ((3, 2, 5), (3,), 1, 1),
])
def test_gather_batch_dims_match_per_batch_take(data_shape, index_shape, axis, batch_dims):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(data_shape).astype(np.float32)
    ax = axis % len(data_shape)
    idx = rng.integers(-data_shape[ax], data_shape[ax], size=index_shape)
    node = ops8.gather(param(list(data_shape)), idx, np.int64(axis), batch_dims)
    b = batch_dims % len(index_shape) if batch_dims < 0 else batch_dims
    count = int(np.prod(data_shape[:b]))
    d = x.reshape((count,) + data_shape[b:])
    i = idx.reshape((count,) + index_shape[b:])
    expect = np.stack([np.take(d[n], i[n], axis=ax - b) for n in range(count)])
    expect = expect.reshape(data_shape[:ax] + index_shape[b:] + data_shape[ax + 1:])
    assert node.get_output_partial_shape(0) == PartialShape(list(expect.shape))
    np.testing.assert_array_equal(run(node, x, idx, np.int64(axis)), expect)


def test_gather_batch_dims_with_empty_batch():
    node = ops8.gather(param([0, 5]), param([0, 3], np.int64), np.int64(1), 1)
    got = run(node, np.zeros([0, 5], np.float32), np.zeros([0, 3], np.int64), np.int64(1))
    assert got.shape == (0, 3)


@pytest.mark.parametrize("bad", [5, 10, -6, -20])
def test_gather8_out_of_range_gathers_zeros(bad):
    """As OpenVINO's CPU plugin: an index outside [-5, 4] gives zeros, no error."""
    node = ops8.gather(param([5]), param([3], np.int64), np.int64(0))
    got = run(node, np.arange(1, 6, dtype=np.float32), np.array([0, bad, -1]), np.int64(0))
    np.testing.assert_array_equal(got, [1, 0, 5])


@pytest.mark.parametrize("factory", [ops1.gather, ops7.gather])
def test_gather_v1_v7_negative_and_out_of_range_indices_gather_zeros(factory):
    """Gather-1/7 have no negative indices: OpenVINO's CPU plugin gathers zeros for them,
    as for indices past the end."""
    node = factory(param([5, 2]), param([4], np.int64), np.int64(0))
    data = np.arange(1, 11, dtype=np.float32).reshape(5, 2)
    got = run(node, data, np.array([1, -1, 5, 4]), np.int64(0))
    np.testing.assert_array_equal(got, [[3, 4], [0, 0], [0, 0], [9, 10]])


@pytest.mark.parametrize("index_type", [np.int32, np.uint8, np.uint64])
def test_gather_out_of_range_with_batch_dims_and_index_types(index_type):
    data = np.arange(1, 25, dtype=np.float32).reshape(2, 3, 4)
    node = ops8.gather(param([2, 3, 4]), param([2, 2], index_type), np.int64(2), 1)
    idx = np.array([[3, 200], [250, 0]], np.uint64).astype(index_type)
    got = run(node, data, idx, np.int64(2))
    expected = np.stack([np.stack([data[0, :, 3], 0 * data[0, :, 0]], -1),
                         np.stack([0 * data[1, :, 0], data[1, :, 0]], -1)])
    np.testing.assert_array_equal(got, expected)


def test_gather_from_an_empty_axis_gives_zeros():
    node = ops8.gather(param([2, 0]), param([3], np.int64), np.int64(1))
    got = run(node, np.zeros((2, 0), np.float32), np.array([0, 1, -1]), np.int64(1))
    np.testing.assert_array_equal(got, np.zeros((2, 3), np.float32))


def test_gather_shape_inference_dynamic():
    data = param(PartialShape([Dimension(), Dimension(3, 5), 4]))
    idx = param(PartialShape([2, Dimension()]), np.int64)
    node = ops8.gather(data, idx, np.int64(1))
    assert node.get_output_partial_shape(0) == PartialShape(
        [Dimension(), 2, Dimension(), 4])
    node = ops8.gather(data, idx, np.int64(-1))
    assert node.get_output_partial_shape(0) == PartialShape(
        [Dimension(), Dimension(3, 5), 2, Dimension()])
    assert ops8.gather(param(PartialShape.dynamic()), idx, np.int64(0)) \
        .get_output_partial_shape(0) == PartialShape.dynamic()
    assert ops8.gather(data, param(PartialShape.dynamic(), np.int64), np.int64(0)) \
        .get_output_partial_shape(0) == PartialShape.dynamic()
    # unknown axis: only the rank is known
    node = ops8.gather(data, idx, param([], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape.dynamic(4)


def test_gather_batch_dims_merge_in_inference():
    data = param(PartialShape([Dimension(1, 8), 5, 6]))
    idx = param(PartialShape([Dimension(4, 10), 3]), np.int32)
    node = ops8.gather(data, idx, np.int64(2), 1)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(4, 8), 5, 3])


@pytest.mark.parametrize("build, message", [
    (lambda: ops8.gather(param([2, 3]), np.array([0]), np.int64(2)), "out of the tensor rank"),
    (lambda: ops8.gather(param([2, 3]), np.array([0.5], np.float32), np.int64(0)),
     "indices must have an integer element type"),
    (lambda: ops8.gather(param([2, 3]), np.array([0]), np.array([0, 1])), "axis must be a scalar"),
    (lambda: ops8.gather(param([2, 3]), np.array([[0]]), np.int64(0), 1), "must not exceed"),
    (lambda: ops8.gather(param([2, 3]), param([3, 1], np.int64), np.int64(1), 1),
     "batch dimensions"),
    (lambda: ops8.gather(param([2, 3]), np.array([0]), np.int64(0), -3), "batch_dims"),
    (lambda: ops8.gather(param([]), np.array([0]), np.int64(0)), "rank of at least 1"),
])
def test_gather_invalid_arguments(build, message):
    with pytest.raises(RuntimeError, match=message):
        build()


def test_gather_factories_by_opset():
    data, idx = param([4, 3]), np.array([1])
    assert type(ops1.gather(data, idx, 0)) is Gather1
    assert type(ops7.gather(data, idx, 0)) is Gather7
    assert type(ops8.gather(data, idx, 0)) is Gather
    assert type(ops16.gather(data, idx, 0)) is Gather
    assert ops1.gather(data, idx, 0).get_type_info().version_id == "opset1"
    assert ops7.gather(data, idx, 0, 0).get_type_info().version_id == "opset7"
    assert ops8.gather(data, idx, 0).get_type_name() == "Gather"


def test_gather_from_ir_attributes_and_model_evaluation():
    data = param([2, 6, 4])
    idx = ops8.constant(np.array([0, -1, 2, 3, 5], np.int64))
    axis = ops8.constant(np.array(1, np.int64))
    node = Gather._from_ir([data.output(0), idx.output(0), axis.output(0)],
                           {"batch_dims": "0"}, "Gather_118918")
    assert node.get_friendly_name() == "Gather_118918"
    assert node.get_output_partial_shape(0) == PartialShape([2, 5, 4])
    assert node._ir_attributes() == {"batch_dims": "0"}
    model = Model([node], [data])
    x = sample([2, 6, 4], np.float32)
    (got,) = ReferencePlan(model).run([x])
    np.testing.assert_array_equal(got, x[:, [0, 5, 2, 3, 5]])


# --- GatherElements ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_gather_elements_examples(dtype):
    data = np.array([[1, 2], [3, 4]]).astype(dtype)
    idx = np.array([[0, 1], [0, 0]])
    node = ops6.gather_elements(param([2, 2], dtype), idx, 0)
    np.testing.assert_array_equal(run(node, data, idx), np.array([[1, 4], [1, 2]]).astype(dtype))
    data = np.array([[1, 7], [4, 3]]).astype(dtype)
    idx = np.array([[1, 1, 0], [1, 0, 1]])
    node = ops6.gather_elements(param([2, 2], dtype), idx, -1)
    assert node.get_output_partial_shape(0) == PartialShape([2, 3])
    np.testing.assert_array_equal(run(node, data, idx),
                                  np.array([[7, 7, 1], [3, 4, 3]]).astype(dtype))


def test_gather_elements_matches_take_along_axis_3d():
    rng = np.random.default_rng(0)
    data = rng.standard_normal([3, 4, 5]).astype(np.float32)
    idx = rng.integers(0, 4, size=[3, 7, 5])
    node = ops6.gather_elements(param([3, 4, 5]), idx, 1)
    np.testing.assert_array_equal(run(node, data, idx), np.take_along_axis(data, idx, 1))
    empty = np.zeros([3, 0, 5], np.int64)
    assert run(ops6.gather_elements(param([3, 4, 5]), empty, 1), data, empty).shape == (3, 0, 5)


def test_gather_elements_out_of_range_and_invalid():
    node = ops6.gather_elements(param([2, 2]), param([2, 2], np.int32), 1)
    with pytest.raises(RuntimeError, match="index 2 is out of range"):
        run(node, np.zeros([2, 2], np.float32), np.array([[0, 2], [1, 1]], np.int32))
    with pytest.raises(RuntimeError, match="negative indices are not allowed"):
        run(node, np.zeros([2, 2], np.float32), np.array([[0, -1], [1, 1]], np.int32))
    with pytest.raises(RuntimeError, match="same rank"):
        ops6.gather_elements(param([2, 2]), param([2], np.int32), 0)
    with pytest.raises(RuntimeError, match="only the axis dimension"):
        ops6.gather_elements(param([2, 2]), param([3, 3], np.int32), 0)
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        ops6.gather_elements(param([2, 2]), param([2, 2], np.int32), 2)


def test_gather_elements_shape_inference_dynamic():
    data = param(PartialShape([Dimension(2, 6), Dimension(), 5]))
    idx = param(PartialShape([Dimension(), 3, Dimension(1, 9)]), np.int64)
    node = ops6.gather_elements(data, idx, 1)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(2, 6), 3, 5])
    node = ops6.gather_elements(data, param(PartialShape.dynamic(), np.int64), 0)
    assert node.get_output_partial_shape(0) == PartialShape(
        [Dimension(), Dimension(), 5])
    assert type(node) is GatherElements


# --- GatherND --------------------------------------------------------------------------------
@pytest.mark.parametrize("factory", [ops5.gather_nd, ops8.gather_nd])
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int8, np.bool_])
def test_gather_nd_examples(factory, dtype):
    data = np.array([[1, 2], [3, 4]]).astype(dtype)
    cases = [
        (np.array([[0, 0], [1, 0]]), [1, 3]),
        (np.array([[1], [0]]), [[3, 4], [1, 2]]),
        (np.array([[[1]], [[0]]]), [[[3, 4]], [[1, 2]]]),
    ]
    for idx, expect in cases:
        node = factory(param([2, 2], dtype), idx)
        expect = np.array(expect).astype(dtype)
        assert node.get_output_partial_shape(0) == PartialShape(list(expect.shape))
        np.testing.assert_array_equal(run(node, data, idx), expect)


def test_gather_nd_batch_dims_v8_keeps_and_v5_flattens():
    data = np.arange(1, 25, dtype=np.float32).reshape(2, 3, 4)
    idx = np.array([[[[1]], [[0]], [[2]]], [[[0]], [[2]], [[2]]]])
    v8 = ops8.gather_nd(param([2, 3, 4]), idx, 2)
    v5 = ops5.gather_nd(param([2, 3, 4]), idx, 2)
    assert v8.get_output_partial_shape(0) == PartialShape([2, 3, 1])
    assert v5.get_output_partial_shape(0) == PartialShape([6, 1])
    expect = [[[2], [5], [11]], [[13], [19], [23]]]
    np.testing.assert_array_equal(run(v8, data, idx), expect)
    np.testing.assert_array_equal(run(v5, data, idx), np.reshape(expect, (6, 1)))
    idx1 = np.array([[1], [0]])
    node = ops8.gather_nd(param([2, 3, 4]), idx1, 1)
    np.testing.assert_array_equal(run(node, data, idx1), [data[0, 1], data[1, 0]])


def test_gather_nd_ir_shape_examples():
    v5 = ops5.gather_nd(param([30, 2, 100, 35]), param([30, 2, 3, 1], np.int32), 2)
    v8 = ops8.gather_nd(param([30, 2, 100, 35]), param([30, 2, 3, 1], np.int32), 2)
    assert v5.get_output_partial_shape(0) == PartialShape([60, 3, 35])
    assert v8.get_output_partial_shape(0) == PartialShape([30, 2, 3, 35])
    assert type(v5) is GatherND5 and type(v8) is GatherND
    node = ops8.gather_nd(param([1000, 256, 10, 15]), param([25, 125, 3], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape([25, 125, 15])


def test_gather_nd_negative_indices():
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    idx = np.array([[-1, -4], [0, -1]])
    np.testing.assert_array_equal(run(ops8.gather_nd(param([3, 4]), idx), data, idx), [8, 3])
    with pytest.raises(RuntimeError, match="negative indices are not allowed"):
        run(ops5.gather_nd(param([3, 4]), idx), data, idx)
    bad = np.array([[0, 4]])
    with pytest.raises(RuntimeError, match=r"index 4 is out of range.*\[-4, 3\]"):
        run(ops8.gather_nd(param([3, 4]), bad), data, bad)


def test_gather_nd_empty():
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    idx = np.zeros([0, 1], np.int64)
    node = ops8.gather_nd(param([3, 4]), idx)
    assert node.get_output_partial_shape(0) == PartialShape([0, 4])
    assert run(node, data, idx).shape == (0, 4)


def test_gather_nd_shape_inference_dynamic_and_invalid():
    node = ops8.gather_nd(param(PartialShape([Dimension(1, 4), Dimension(), 7])),
                          param(PartialShape([Dimension(2, 3), 5, 1]), np.int64), 1)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(2, 3), 5, 7])
    node = ops5.gather_nd(param(PartialShape([4, Dimension(), 7, 6])),
                          param(PartialShape([4, 2, 5, 1]), np.int64), 2)
    assert node.get_output_partial_shape(0) == PartialShape([8, 5, 6])
    node = ops5.gather_nd(param(PartialShape([4, Dimension(), 7, 6])),
                          param(PartialShape([4, Dimension(), 5, 1]), np.int64), 2)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(), 5, 6])
    node = ops8.gather_nd(param([3, 4]), param(PartialShape([2, Dimension()]), np.int64))
    assert node.get_output_partial_shape(0) == PartialShape.dynamic()
    with pytest.raises(RuntimeError, match="exceeds the data rank"):
        ops8.gather_nd(param([3, 4]), param([2, 3], np.int64))
    with pytest.raises(RuntimeError, match="batch dimensions"):
        ops8.gather_nd(param([3, 4]), param([2, 1], np.int64), 1)
    with pytest.raises(RuntimeError, match="batch_dims 2 must be less"):
        ops8.gather_nd(param([3, 4]), param([3, 4, 1], np.int64), 2)
    with pytest.raises(RuntimeError, match="integer element type"):
        ops8.gather_nd(param([3, 4]), param([2, 1], np.float32))
