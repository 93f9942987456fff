"""NMSRotated: the IoU of rotated rectangles and suppression with it."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset13
from openvino._ops.nms_rotated import rotated_iou

from .node_eval import evaluate_in_model


def test_rotated_iou():
    square = np.array([0, 0, 2, 2, 0], np.float32)
    assert rotated_iou(square, square) == pytest.approx(1.0)
    assert rotated_iou(square, np.array([1, 0, 2, 2, 0], np.float32)) == pytest.approx(1 / 3)
    # a quarter turn of a square is the same square
    assert rotated_iou(square, np.array([0, 0, 2, 2, np.pi / 2], np.float32)) == \
        pytest.approx(1.0, abs=1e-6)
    # a square and its 45-degree turn: octagon 8 (sqrt(2) - 1) over 8 - that
    octagon = 8 * (np.sqrt(2) - 1)
    assert rotated_iou(square, np.array([0, 0, 2, 2, np.pi / 4], np.float32)) == \
        pytest.approx(octagon / (8 - octagon), rel=1e-5)
    assert rotated_iou(square, np.array([5, 5, 2, 2, 0.3], np.float32)) == 0
    assert rotated_iou(square, np.array([0, 0, 0, 2, 0], np.float32)) == 0


def test_suppression_and_outputs():
    boxes = np.array([[[0, 0, 2, 2, 0], [0.2, 0, 2, 2, 0.1], [5, 5, 2, 1, 1.0]]], np.float32)
    scores = np.array([[[0.9, 0.8, 0.7]]], np.float32)
    node = opset13.nms_rotated(opset13.parameter([1, 3, 5]), opset13.parameter([1, 1, 3]),
                               np.int64(5), np.float32(0.5), np.float32(0.0))
    assert node.get_output_partial_shape(0) == ov.PartialShape([ov.Dimension(0, 3), 3])
    idx, sc, count = evaluate_in_model(node, boxes, scores)
    np.testing.assert_array_equal(idx, [[0, 0, 0], [0, 0, 2]])
    np.testing.assert_allclose(sc[:, 2], [0.9, 0.7], rtol=1e-6)
    assert count.tolist() == [2]
    with pytest.raises(RuntimeError, match="last dimension of the 'boxes' input must be equal "
                                           "to 5"):
        opset13.nms_rotated(opset13.parameter([1, 3, 4]), opset13.parameter([1, 1, 3]),
                            np.int64(5), np.float32(0.5), np.float32(0.0))
