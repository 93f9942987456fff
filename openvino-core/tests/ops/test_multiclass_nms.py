"""MulticlassNms v8/v9: per-class suppression, background class, keep_top_k, orders, the
per-class box layout with roisnum, and the bounded output shapes."""

from __future__ import annotations

import numpy as np

import openvino as ov
from openvino import opset8, opset9

from .node_eval import evaluate_in_model

BOXES = np.array([[[0, 0, 1, 1], [0, 0.05, 1, 1.05], [2, 2, 3, 3], [4, 4, 5, 5]]], np.float32)
SCORES = np.array([[[0.9, 0.8, 0.3, 0.05], [0.1, 0.7, 0.6, 0.4]]], np.float32)


def _run(ops, boxes, scores, *extra, **kw):
    ps = [ops.parameter(list(boxes.shape)), ops.parameter(list(scores.shape))]
    ins = [boxes, scores]
    if extra:
        ps.append(ops.parameter(list(extra[0].shape), np.int32))
        ins.append(extra[0])
    node = ops.multiclass_nms(*ps, **kw)
    return node, evaluate_in_model(node, *ins)


def test_suppression_per_class_and_score_order():
    node, (rows, idx, counts) = _run(opset8, BOXES, SCORES, iou_threshold=0.5,
                                     score_threshold=0.2)
    assert node.get_output_partial_shape(0) == ov.PartialShape([ov.Dimension(0, 8), 6])
    # class 0 keeps boxes 0 and 2 (box 1 overlaps box 0); class 1 keeps 1, 2, 3
    np.testing.assert_allclose(rows[:, :2], [[0, 0.9], [1, 0.7], [1, 0.6], [1, 0.4],
                                             [0, 0.3]], rtol=1e-6)
    np.testing.assert_array_equal(idx.reshape(-1), [0, 1, 2, 3, 2])
    np.testing.assert_array_equal(counts, [5])
    np.testing.assert_allclose(rows[0, 2:], BOXES[0, 0])


def test_background_keep_top_k_and_classid_order():
    _, (rows, _, counts) = _run(opset8, BOXES, SCORES, iou_threshold=0.5, score_threshold=0.2,
                                background_class=1, keep_top_k=1, sort_result_type="classid")
    np.testing.assert_allclose(rows[:, :2], [[0, 0.9]], rtol=1e-6)
    _, (rows, _, _) = _run(opset8, BOXES, SCORES, iou_threshold=0.5, score_threshold=0.2,
                           sort_result_type="classid")
    np.testing.assert_array_equal(rows[:, 0], [0, 0, 1, 1, 1])


def test_v9_per_class_boxes_split_by_roisnum():
    boxes = np.concatenate([BOXES[0], BOXES[0] + 10])[None].repeat(2, 0)  # [C=2, 8, 4]
    scores = np.concatenate([SCORES[0], SCORES[0]], axis=1)                 # [C=2, 8]
    node, (rows, idx, counts) = _run(opset9, boxes, scores, np.array([4, 4], np.int32),
                                     iou_threshold=0.5, score_threshold=0.2)
    np.testing.assert_array_equal(counts, [5, 5])
    # index = (row of the image's boxes) * classes + class
    np.testing.assert_array_equal(idx.reshape(-1)[:5], [0 * 2 + 0, 1 * 2 + 1, 2 * 2 + 1,
                                                       3 * 2 + 1, 2 * 2 + 0])
    np.testing.assert_array_equal(idx.reshape(-1)[5:], idx.reshape(-1)[:5] + 4 * 2)
