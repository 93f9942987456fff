"""ScatterUpdate-3, ScatterElementsUpdate (v3, v12) and ScatterNDUpdate (v3, v15)."""

from __future__ import annotations

import numpy as np
import pytest
from node_eval import evaluate_node as run

import openvino.opset3 as ops3
import openvino.opset4 as ops4
import openvino.opset12 as ops12
import openvino.opset15 as ops15
from openvino import Dimension, PartialShape, Type
from openvino._ops.scatter import (
    ScatterElementsUpdate,
    ScatterElementsUpdate3,
    ScatterNDUpdate,
    ScatterNDUpdate3,
    ScatterUpdate,
)

DTYPES = [np.float32, np.float16, np.int32, np.int64, np.uint8, np.int8]



def param(shape, dtype=np.float32):
    return ops3.parameter(shape, dtype)


# --- ScatterUpdate ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES + [np.bool_])
def test_scatter_update_spec_example(dtype):
    data = np.array([[-1, 1, -1, 3, 4], [-1, 6, -1, 8, 9], [-1, 11, 1, 13, 14]]).astype(dtype)
    upd = np.array([[1, 1], [1, 1], [1, 2]]).astype(dtype)
    node = ops3.scatter_update(param([3, 5], dtype), np.array([0, 2]), upd, np.int64(1))
    assert node.get_output_partial_shape(0) == PartialShape([3, 5])
    assert node.get_output_element_type(0) == Type(dtype)
    expect = data.copy()
    expect[:, [0, 2]] = upd
    got = run(node, data, np.array([0, 2]), upd, np.int64(1))
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expect)


def test_scatter_update_multidim_indices_and_negative_axis():
    rng = np.random.default_rng(1)
    data = rng.standard_normal([4, 5, 3]).astype(np.float32)
    idx = np.array([[4, 1], [0, 2]])
    upd = rng.standard_normal([4, 2, 2, 3]).astype(np.float32)
    node = ops3.scatter_update(param([4, 5, 3]), idx, upd, np.int32(-2))
    expect = data.copy()
    expect[:, idx.reshape(-1)] = upd.reshape(4, 4, 3)
    np.testing.assert_array_equal(run(node, data, idx, upd, np.int32(-2)), expect)


def test_scatter_update_empty_indices_and_range_errors():
    data = np.ones([3, 2], np.float32)
    idx = np.zeros([0], np.int64)
    node = ops3.scatter_update(param([3, 2]), idx, np.zeros([0, 2], np.float32), np.int64(0))
    np.testing.assert_array_equal(run(node, data, idx, np.zeros([0, 2], np.float32),
                                      np.int64(0)), data)
    node = ops3.scatter_update(param([3, 2]), param([1], np.int64), param([1, 2]),
                               np.int64(0))
    with pytest.raises(RuntimeError, match=r"index 3 is out of range.*\[0, 2\]"):
        run(node, data, np.array([3]), np.ones([1, 2], np.float32), np.int64(0))
    with pytest.raises(RuntimeError, match="negative indices are not allowed"):
        run(node, data, np.array([-1]), np.ones([1, 2], np.float32), np.int64(0))


def test_scatter_update_shape_checks():
    node = ops3.scatter_update(param(PartialShape([Dimension(2, 5), 4])), param([3], np.int32),
                               param(PartialShape([3, Dimension()])), np.int64(0))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(2, 5), 4])
    assert type(node) is ScatterUpdate
    with pytest.raises(RuntimeError, match="updates rank"):
        ops3.scatter_update(param([3, 4]), param([2], np.int32), param([2]), np.int64(0))
    with pytest.raises(RuntimeError, match="updates shape: dimension 1"):
        ops3.scatter_update(param([3, 4]), param([2], np.int32), param([2, 5]), np.int64(0))
    with pytest.raises(RuntimeError, match="same element type"):
        ops3.scatter_update(param([3, 4]), param([2], np.int32), param([2, 4], np.int32),
                            np.int64(0))
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        ops3.scatter_update(param([3, 4]), param([2], np.int32), param([3, 2]), np.int64(2))


# --- ScatterElementsUpdate ----------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_scatter_elements_update_v3(dtype):
    data = np.zeros([3, 4], dtype)
    idx = np.array([[1, 2], [0, 3]])
    upd = np.array([[11, 12], [13, 14]]).astype(dtype)
    node = ops3.scatter_elements_update(param([3, 4], dtype), idx, upd, np.int64(1))
    assert type(node) is ScatterElementsUpdate3
    expect = np.array([[0, 11, 12, 0], [13, 0, 0, 14], [0, 0, 0, 0]]).astype(dtype)
    np.testing.assert_array_equal(run(node, data, idx, upd, np.int64(1)), expect)
    bad = np.array([[1, -1], [0, 3]])
    with pytest.raises(RuntimeError, match="negative indices are not allowed"):
        run(node, data, bad, upd, np.int64(1))


SPEC_DATA = np.array([2, 3, 4, 6], np.float32)
SPEC_UPD = np.array([10, 20, 30, 40, 70, 60], np.float32)


@pytest.mark.parametrize("reduction, init, idx, expect", [
    ("sum", True, [1, 0, 0, -2, -1, 2], [52, 13, 104, 76]),
    ("sum", False, [1, 0, 0, 2, 3, 2], [50, 10, 100, 70]),
    ("none", True, [1, 0, -1], [20, 10, 4, 30]),
    ("prod", True, [1, 1, 3, 3, 0, 2], [140, 600, 240, 7200]),
    ("prod", False, [1, 1, 3, 3, 0, 2], [70, 200, 60, 1200]),
    ("min", True, [0, 0, 1, 1, 2, 3], [2, 3, 4, 6]),
    ("min", False, [0, 0, 1, 1, 2, 3], [10, 30, 70, 60]),
    ("max", True, [0, 0, 1, 1, 2, 3], [20, 40, 70, 60]),
    ("max", False, [3, 3, 3, 3, 3, 3], [2, 3, 4, 70]),
    ("mean", True, [0, 0, 1, 1, 2, 3], [(2 + 30) / 3, (3 + 70) / 3, (4 + 70) / 2, 33]),
    ("mean", False, [0, 0, 1, 1, 2, 3], [15, 35, 70, 60]),
])
def test_scatter_elements_update_v12_reductions(reduction, init, idx, expect):
    upd = SPEC_UPD[:len(idx)]
    idx = np.array(idx)
    node = ops12.scatter_elements_update(param([4]), idx, upd, np.int64(0), reduction, init)
    assert type(node) is ScatterElementsUpdate
    assert node._ir_attributes() == {"reduction": reduction, "use_init_val": str(init).lower()}
    np.testing.assert_allclose(run(node, SPEC_DATA, idx, upd, np.int64(0)), expect, rtol=1e-6)


def test_scatter_elements_update_v12_integer_mean_rounds_down():
    data = np.array([1, -1, 0], np.int32)
    idx = np.array([0, 0, 1, 1])
    upd = np.array([2, 2, -2, -1], np.int32)
    node = ops12.scatter_elements_update(param([3], np.int32), idx, upd, np.int64(0), "mean")
    # (1 + 2 + 2) / 3 = 1.67 -> 1; (-1 - 2 - 1) / 3 = -1.33 -> -2
    np.testing.assert_array_equal(run(node, data, idx, upd, np.int64(0)), [1, -2, 0])


def test_scatter_elements_update_v12_integer_sum_wraps_and_bool():
    data = np.array([250, 0], np.uint8)
    idx = np.array([0, 0])
    upd = np.array([5, 10], np.uint8)
    node = ops12.scatter_elements_update(param([2], np.uint8), idx, upd, np.int64(0), "sum")
    np.testing.assert_array_equal(run(node, data, idx, upd, np.int64(0)), [9, 0])
    data = np.array([False, True, True])
    idx = np.array([0, 1, 2, 2])
    upd = np.array([True, False, False, True])
    for red, expect in (("sum", [True, True, True]), ("prod", [False, False, False])):
        node = ops12.scatter_elements_update(param([3], np.bool_), idx, upd, np.int64(0), red)
        np.testing.assert_array_equal(run(node, data, idx, upd, np.int64(0)), expect)
    with pytest.raises(RuntimeError, match="'mean' is not supported for boolean"):
        ops12.scatter_elements_update(param([3], np.bool_), idx, upd, np.int64(0), "mean")


def test_scatter_elements_update_3d_matches_put_along_axis():
    rng = np.random.default_rng(2)
    data = rng.standard_normal([3, 4, 5]).astype(np.float32)
    idx = np.stack([rng.permutation(4)[:2] for _ in range(15)]).reshape(3, 5, 2)
    idx = np.moveaxis(idx, 2, 1)
    upd = rng.standard_normal([3, 2, 5]).astype(np.float32)
    node = ops12.scatter_elements_update(param([3, 4, 5]), idx, upd, np.int64(-2))
    expect = data.copy()
    np.put_along_axis(expect, idx, upd, axis=1)
    np.testing.assert_array_equal(run(node, data, idx, upd, np.int64(-2)), expect)


def test_scatter_elements_update_errors_and_inference():
    with pytest.raises(RuntimeError, match="must be equal"):
        ops12.scatter_elements_update(param([3, 4]), param([2, 2], np.int32), param([2, 3]),
                                      np.int64(0))
    with pytest.raises(RuntimeError, match="rank"):
        ops12.scatter_elements_update(param([3, 4]), param([2], np.int32), param([2]),
                                      np.int64(0))
    with pytest.raises(RuntimeError, match="reduction 'avg' is not one of"):
        ops12.scatter_elements_update(param([3]), param([2], np.int32), param([2]),
                                      np.int64(0), "avg")
    node = ops12.scatter_elements_update(param([4]), param([2], np.int64), param([2]),
                                         np.int64(0))
    with pytest.raises(RuntimeError, match=r"index 4 is out of range.*\[-4, 3\]"):
        run(node, SPEC_DATA, np.array([0, 4]), np.ones(2, np.float32), np.int64(0))
    node = ops12.scatter_elements_update(param(PartialShape([Dimension(), 7])),
                                         param(PartialShape.dynamic(), np.int32),
                                         param(PartialShape.dynamic()), param([], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(), 7])


# --- ScatterNDUpdate ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES + [np.bool_])
def test_scatter_nd_update_v3_examples(dtype):
    data = np.array([1, 2, 3, 4, 5, 6, 7, 8]).astype(dtype)
    idx = np.array([[4], [3], [1], [7]])
    upd = np.array([9, 10, 11, 12]).astype(dtype)
    node = ops4.scatter_nd_update(param([8], dtype), idx, upd)
    assert type(node) is ScatterNDUpdate3
    assert node.get_type_info().version_id == "opset4"
    expect = np.array([1, 11, 3, 10, 9, 6, 7, 12]).astype(dtype)
    np.testing.assert_array_equal(run(node, data, idx, upd), expect)


def test_scatter_nd_update_slices():
    data = np.arange(64, dtype=np.float32).reshape(4, 4, 4)
    idx = np.array([[0], [2]])
    upd = -np.arange(32, dtype=np.float32).reshape(2, 4, 4)
    node = ops15.scatter_nd_update(param([4, 4, 4]), idx, upd)
    expect = data.copy()
    expect[[0, 2]] = upd
    np.testing.assert_array_equal(run(node, data, idx, upd), expect)
    idx2 = np.array([[1, -1], [-4, 0]])
    upd2 = np.ones([2, 4], np.float32)
    expect = data.copy()
    expect[1, 3] = 1
    expect[0, 0] = 1
    np.testing.assert_array_equal(
        run(ops15.scatter_nd_update(param([4, 4, 4]), idx2, upd2), data, idx2, upd2), expect)


@pytest.mark.parametrize("reduction, expect", [
    ("none", [50, 40, 20, 4]),
    ("sum", [61, 72, 23, 4]),
    ("sub", [-59, -68, -17, 4]),
    ("prod", [500, 2400, 60, 4]),
    ("min", [1, 2, 3, 4]),
    ("max", [50, 40, 20, 4]),
])
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.float16, np.int64])
def test_scatter_nd_update_v15_reductions(reduction, expect, dtype):
    data = np.array([1, 2, 3, 4]).astype(dtype)
    idx = np.array([[0], [2], [-3], [-3], [0]])
    upd = np.array([10, 20, 30, 40, 50]).astype(dtype)
    node = ops15.scatter_nd_update(param([4], dtype), idx, upd, reduction)
    assert type(node) is ScatterNDUpdate
    got = run(node, data, idx, upd)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, np.array(expect).astype(dtype))


def test_scatter_nd_update_errors_and_inference():
    node = ops4.scatter_nd_update(param([4]), param([2, 1], np.int64), param([2]))
    with pytest.raises(RuntimeError, match="negative indices are not allowed"):
        run(node, np.zeros(4, np.float32), np.array([[0], [-1]]), np.ones(2, np.float32))
    node = ops15.scatter_nd_update(param([4]), param([2, 1], np.int64), param([2]))
    with pytest.raises(RuntimeError, match=r"index -5 is out of range.*\[-4, 3\]"):
        run(node, np.zeros(4, np.float32), np.array([[0], [-5]]), np.ones(2, np.float32))
    with pytest.raises(RuntimeError, match="exceeds the data rank"):
        ops15.scatter_nd_update(param([4]), param([2, 2], np.int64), param([2]))
    with pytest.raises(RuntimeError, match="updates rank"):
        ops15.scatter_nd_update(param([4, 3]), param([2, 1], np.int64), param([2]))
    with pytest.raises(RuntimeError, match="updates shape: dimension 1"):
        ops15.scatter_nd_update(param([4, 3]), param([2, 1], np.int64), param([2, 4]))
    with pytest.raises(RuntimeError, match="reduction 'mean' is not one of"):
        ops15.scatter_nd_update(param([4]), param([2, 1], np.int64), param([2]), "mean")
    node = ops15.scatter_nd_update(param(PartialShape([Dimension(1, 9), 3])),
                                   param(PartialShape([Dimension(), 1]), np.int64),
                                   param(PartialShape([Dimension(), 3])))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(1, 9), 3])
    node = ops15.scatter_nd_update(param(PartialShape.dynamic()), param([2, 1], np.int64),
                                   param(PartialShape.dynamic()))
    assert node.get_output_partial_shape(0) == PartialShape.dynamic()


def test_scatter_nd_update_whole_tensor_and_empty():
    data = np.zeros([2, 2], np.float32)
    idx = np.zeros([0], np.int64)
    upd = np.full([2, 2], 7, np.float32)
    node = ops15.scatter_nd_update(param([2, 2]), idx, upd)
    np.testing.assert_array_equal(run(node, data, idx, upd), upd)
    idx = np.zeros([0, 1], np.int64)
    upd = np.zeros([0, 2], np.float32)
    node = ops15.scatter_nd_update(param([2, 2]), idx, upd)
    np.testing.assert_array_equal(run(node, data, idx, upd), data)
