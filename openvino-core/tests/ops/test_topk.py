"""TopK v1, v3, v11: values and indices against per-slice Python sorting, shape inference with
constant and unknown k, and invalid arguments."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset3, opset8, opset11
from openvino._ops.topk import TopK, TopK1, TopK3

RNG = np.random.default_rng(13)


def _param(shape, dtype=np.float32):
    return opset8.parameter(shape, dtype)


def expected_topk(x, k, axis, mode, sort):
    """Per-slice selection with Python's stable ``sorted``: ties keep the lower index."""
    moved = np.moveaxis(x, axis, -1)
    k = min(k, moved.shape[-1])
    values = np.zeros(moved.shape[:-1] + (k,), dtype=x.dtype)
    index = np.zeros(moved.shape[:-1] + (k,), dtype=np.int64)
    for idx in np.ndindex(*moved.shape[:-1]):
        row = moved[idx].tolist()
        sign = -1 if mode == "max" else 1
        chosen = sorted(range(len(row)), key=lambda i, r=row: sign * r[i])[:k]
        if sort == "index":
            chosen = sorted(chosen)
        values[idx] = [row[i] for i in chosen]
        index[idx] = chosen
    return np.moveaxis(values, -1, axis), np.moveaxis(index, -1, axis)


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.int8])
@pytest.mark.parametrize("mode", ["max", "min"])
@pytest.mark.parametrize("sort", ["value", "index"])
@pytest.mark.parametrize("axis, k", [(1, 3), (-1, 2), (0, 1), (2, 5)])
def test_topk11_matches_sorting(dtype, mode, sort, axis, k):
    # few distinct values so ties are common: the stable order must hold
    x = RNG.integers(-3, 4, size=(3, 6, 5)).astype(dtype)
    node = opset11.topk(_param(x.shape, dtype), np.array(k, np.int64), axis, mode, sort,
                        index_element_type="i64", stable=True)
    values, index = node.reference(x, np.array(k, np.int64))
    exp_v, exp_i = expected_topk(x, k, axis % 3, mode, sort)
    assert list(node.get_output_shape(0)) == list(exp_v.shape) == list(values.shape)
    assert values.dtype == np.dtype(dtype) and index.dtype == np.int64
    np.testing.assert_array_equal(values, exp_v)
    np.testing.assert_array_equal(index, exp_i)


def test_topk_versions_index_types_and_none_sort():
    x = RNG.standard_normal((4, 7)).astype(np.float32)
    v1 = opset1.topk(_param(x.shape), np.array(3, np.int32), 1, "max", "value")
    assert isinstance(v1, TopK1) and v1.get_output_element_type(1) == ov.Type.i32
    values, index = v1.reference(x, np.array(3))
    assert index.dtype == np.int32
    exp_v, exp_i = expected_topk(x, 3, 1, "max", "value")
    np.testing.assert_array_equal(values, exp_v)
    np.testing.assert_array_equal(index, exp_i)
    v3 = opset3.topk(_param(x.shape), 2, 0, "min", "none", index_element_type=ov.Type.i64)
    assert isinstance(v3, TopK3) and v3.get_output_element_type(1) == ov.Type.i64
    values, index = v3.reference(x, np.array(2))
    # sort="none" leaves the order open: compare as sets per column
    exp_v, _ = expected_topk(x, 2, 0, "min", "value")
    np.testing.assert_array_equal(np.sort(values, axis=0), np.sort(exp_v, axis=0))
    np.testing.assert_array_equal(np.take_along_axis(x, index, 0), values)
    v11 = opset11.topk(_param(x.shape), 2, 1, "max", "value")
    assert isinstance(v11, TopK) and v11.version == "opset11"
    assert v11._ir_attributes() == {"axis": "1", "mode": "max", "sort": "value",
                                    "index_element_type": "i32", "stable": "false"}


def test_topk_k_larger_than_dimension():
    x = RNG.standard_normal((2, 3)).astype(np.float32)
    node = opset11.topk(_param(x.shape), 10, 1, "max", "value")
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 3])
    values, index = node.reference(x, np.array(10))
    np.testing.assert_array_equal(values, -np.sort(-x, axis=1))


def test_topk_shape_inference_dynamic():
    node = opset11.topk(_param([-1, 10]), 3, 1, "max", "value")
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 3])
    assert node.get_output_partial_shape(1) == ov.PartialShape([-1, 3])
    node = opset11.topk(_param([2, -1]), 3, 1, "max", "value")
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, (0, 3)])
    node = opset11.topk(_param([2, (5, 10)]), 3, 1, "max", "value")
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 3])
    node = opset11.topk(_param([2, (2, 10)]), 3, -1, "max", "value")
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, (2, 3)])
    node = opset11.topk(_param([2, 8]), _param([], np.int64), 1, "max", "value")
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, (0, 8)])
    node = opset11.topk(_param(ov.PartialShape.dynamic()), 3, 1, "min", "index")
    assert node.get_output_partial_shape(0) == ov.PartialShape.dynamic()


def test_topk_in_model_with_runtime_k():
    data = _param([-1, 6])
    k = _param([], np.int64)
    node = opset11.topk(data, k, 1, "min", "value", index_element_type="i64")
    model = ov.Model(node.outputs(), [data, k])
    x = RNG.standard_normal((3, 6)).astype(np.float32)
    outs = [ov.Tensor(np.zeros((3, 4), np.float32)), ov.Tensor(np.zeros((3, 4), np.int64))]
    assert model.evaluate(outs, [ov.Tensor(x), ov.Tensor(np.array(4, np.int64))])
    exp_v, exp_i = expected_topk(x, 4, 1, "min", "value")
    np.testing.assert_array_equal(outs[0].data, exp_v)
    np.testing.assert_array_equal(outs[1].data, exp_i)


def test_topk_invalid_arguments():
    with pytest.raises(RuntimeError, match="mode"):
        opset11.topk(_param([2, 3]), 1, 1, "largest", "value")
    with pytest.raises(RuntimeError, match="sort"):
        opset11.topk(_param([2, 3]), 1, 1, "max", "random")
    with pytest.raises(RuntimeError, match="scalar"):
        opset11.topk(_param([2, 3]), np.array([1, 2], np.int64), 1, "max", "value")
    with pytest.raises(RuntimeError, match="integer"):
        opset11.topk(_param([2, 3]), np.array(1.0, np.float32), 1, "max", "value")
    with pytest.raises(RuntimeError, match="greater or equal to zero"):
        opset11.topk(_param([2, 3]), np.array(-1, np.int64), 1, "max", "value")
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        opset11.topk(_param([2, 3]), 1, 2, "max", "value")
    with pytest.raises(RuntimeError, match="i32 or i64"):
        opset11.topk(_param([2, 3]), 1, 1, "max", "value", index_element_type="f32")
    with pytest.raises(RuntimeError, match="numeric"):
        opset11.topk(_param([2, 3], bool), 1, 1, "max", "value")
