"""EmbeddingBagOffsetsSum-3, EmbeddingBagPackedSum-3, EmbeddingSegmentsSum-3 and the opset15
EmbeddingBagOffsets / EmbeddingBagPacked."""

from __future__ import annotations

import numpy as np
import pytest
from node_eval import evaluate_node as run

import openvino.opset3 as ops3
import openvino.opset15 as ops15
from openvino import Dimension, PartialShape, Type
from openvino._ops.embedding import (
    EmbeddingBagOffsets,
    EmbeddingBagOffsetsSum,
    EmbeddingBagPacked,
    EmbeddingBagPackedSum,
    EmbeddingSegmentsSum,
)

TABLE = np.array([[-0.2, -0.6], [-0.1, -0.4], [-1.9, -1.8], [-1.0, 1.5], [0.8, -0.7]],
                 np.float32)



def param(shape, dtype=np.float32):
    return ops15.parameter(shape, dtype)


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_bag_offsets_sum_spec_example(index_dtype):
    idx = np.array([0, 2, 3, 4], index_dtype)
    off = np.array([0, 2, 2], index_dtype)
    default = np.array(0, index_dtype)
    weights = np.full(4, 0.5, np.float32)
    node = ops3.embedding_bag_offsets_sum(param([5, 2]), idx, off, default, weights)
    assert type(node) is EmbeddingBagOffsetsSum
    assert node.get_output_partial_shape(0) == PartialShape([3, 2])
    assert node.get_output_element_type(0) == Type.f32
    got = run(node, TABLE, idx, off, default, weights)
    np.testing.assert_allclose(got, [[-1.05, -1.2], [-0.2, -0.6], [-0.1, 0.4]], rtol=1e-6)


def test_bag_offsets_without_default_and_mean():
    idx = np.array([0, 2, 3, 4], np.int32)
    off = np.array([0, 2, 2], np.int32)
    node = ops3.embedding_bag_offsets_sum(param([5, 2]), idx, off)
    np.testing.assert_allclose(run(node, TABLE, idx, off),
                               [[-2.1, -2.4], [0, 0], [-0.2, 0.8]], rtol=1e-6)
    weights = np.array([1, 2, 3, 4], np.float32)
    node = ops3.embedding_bag_offsets_sum(param([5, 2]), idx, off, None, weights)
    assert node.get_input_size() == 5
    np.testing.assert_allclose(run(node, TABLE, idx, off, np.int32(-1), weights),
                               [[-4.0, -4.2], [0, 0], [0.2, 1.7]], rtol=1e-5)
    node = ops15.embedding_bag_offsets(param([5, 2]), idx, off, np.int32(1), None, "mean")
    assert type(node) is EmbeddingBagOffsets
    assert node._ir_attributes() == {"reduction": "mean"}
    np.testing.assert_allclose(run(node, TABLE, idx, off, np.int32(1)),
                               [[-1.05, -1.2], [-0.1, -0.4], [-0.1, 0.4]], rtol=1e-6)


def test_bag_packed():
    idx = np.array([[0, 2], [1, 2], [3, 4]], np.int32)
    weights = np.full([3, 2], 0.5, np.float32)
    node = ops3.embedding_bag_packed_sum(param([5, 2]), idx, weights)
    assert type(node) is EmbeddingBagPackedSum
    assert node.get_output_partial_shape(0) == PartialShape([3, 2])
    np.testing.assert_allclose(run(node, TABLE, idx, weights),
                               [[-1.05, -1.2], [-1.0, -1.1], [-0.1, 0.4]], rtol=1e-6)
    node = ops15.embedding_bag_packed(param([5, 2]), idx, reduction="mean")
    assert type(node) is EmbeddingBagPacked
    np.testing.assert_allclose(run(node, TABLE, idx),
                               [[-1.05, -1.2], [-1.0, -1.1], [-0.1, 0.4]], rtol=1e-6)


def test_segments_sum_spec_example():
    idx = np.array([0, 2, 3, 4], np.int32)
    seg = np.array([0, 0, 2, 2], np.int32)
    weights = np.full(4, 0.5, np.float32)
    node = ops3.embedding_segments_sum(param([5, 2]), idx, seg, np.int32(3), np.int32(0),
                                       weights)
    assert type(node) is EmbeddingSegmentsSum
    assert node.get_output_partial_shape(0) == PartialShape([3, 2])
    got = run(node, TABLE, idx, seg, np.int32(3), np.int32(0), weights)
    np.testing.assert_allclose(got, [[-1.05, -1.2], [-0.2, -0.6], [-0.1, 0.4]], rtol=1e-6)
    node = ops3.embedding_segments_sum(param([5, 2]), idx, seg, param([], np.int32))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(), 2])
    np.testing.assert_allclose(run(node, TABLE, idx, seg, np.int32(4)),
                               [[-2.1, -2.4], [0, 0], [-0.2, 0.8], [0, 0]], rtol=1e-6)


def test_embedding_index_errors():
    off = np.array([0, 2], np.int32)
    node = ops3.embedding_bag_offsets_sum(param([5, 2]), param([4], np.int32), off)
    with pytest.raises(RuntimeError, match=r"index 5 is out of range.*\[0, 4\]"):
        run(node, TABLE, np.array([0, 5, 1, 1], np.int32), off)
    with pytest.raises(RuntimeError, match="negative indices are not allowed"):
        run(node, TABLE, np.array([0, -1, 1, 1], np.int32), off)
    node = ops3.embedding_bag_offsets_sum(param([5, 2]), param([4], np.int32),
                                          param([2], np.int32))
    with pytest.raises(RuntimeError, match="offsets must not decrease"):
        run(node, TABLE, np.array([0, 1, 1, 1], np.int32), np.array([3, 1], np.int32))
    with pytest.raises(RuntimeError, match="offset 7 .* out of range"):
        run(node, TABLE, np.array([0, 1, 1, 1], np.int32), np.array([0, 7], np.int32))
    node = ops3.embedding_segments_sum(param([5, 2]), param([2], np.int32),
                                       param([2], np.int32), np.int32(2))
    with pytest.raises(RuntimeError, match="segment id 2 is out of range"):
        run(node, TABLE, np.array([0, 1], np.int32), np.array([0, 2], np.int32), np.int32(2))
    node = ops3.embedding_bag_packed_sum(param([5, 2]), param([1, 2], np.int32))
    with pytest.raises(RuntimeError, match="default_index|index 9"):
        run(node, TABLE, np.array([[9, 0]], np.int32))


@pytest.mark.parametrize("build, message", [
    (lambda: ops3.embedding_bag_offsets_sum(param([5, 2]), param([2, 2], np.int32),
                                            param([2], np.int32)), "indices must have rank 1"),
    (lambda: ops3.embedding_bag_offsets_sum(param([5, 2]), param([4], np.int32),
                                            param([2], np.int64)), "same element type"),
    (lambda: ops3.embedding_bag_packed_sum(param([5, 2]), param([4], np.int32)),
     "indices must have rank 2"),
    (lambda: ops3.embedding_bag_packed_sum(param([5, 2]), param([2, 2], np.int32),
                                           param([2, 3])), "per_sample_weights shape"),
    (lambda: ops15.embedding_bag_packed(param([5, 2]), param([2, 2], np.int32), param([2, 2]),
                                        "mean"), "only with reduction 'sum'"),
    (lambda: ops15.embedding_bag_packed(param([5, 2]), param([2, 2], np.int32), None, "max"),
     "'sum' or 'mean'"),
    (lambda: ops3.embedding_segments_sum(param([5, 2]), param([4], np.int32),
                                         param([3], np.int32), np.int32(2)),
     "segment_ids must have the shape of indices"),
    (lambda: ops3.embedding_segments_sum(param([5, 2]), param([4], np.int32),
                                         param([4], np.int32)), "needs num_segments"),
    (lambda: ops3.embedding_segments_sum(param([5, 2]), param([4], np.int32),
                                         param([4], np.int32), np.int32(-1)),
     "num_segments must be non-negative"),
])
def test_embedding_invalid(build, message):
    with pytest.raises(RuntimeError, match=message):
        build()


def test_embedding_dynamic_shapes():
    node = ops3.embedding_bag_offsets_sum(param(PartialShape([Dimension(), 3, 4])),
                                          param(PartialShape([Dimension()]), np.int64),
                                          param(PartialShape([Dimension(1, 8)]), np.int64))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(1, 8), 3, 4])
    node = ops3.embedding_bag_packed_sum(param(PartialShape.dynamic()),
                                         param([6, 2], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape.dynamic()
