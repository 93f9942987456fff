"""GenerateProposals (v9): per-image proposals concatenated, counts, small boxes dropped."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset9

from .node_eval import evaluate_in_model


def _node(**kw):
    ps = [opset9.parameter(s) for s in ([2, 3], [2, 2, 1, 4], [2, 4, 2, 2], [2, 1, 2, 2])]
    return opset9.generate_proposals(*ps, **kw)


ANCHORS = np.array([[[[0, 0, 10, 10]], [[20, 0, 30, 10]]],
                    [[[0, 20, 10, 30]], [[20, 20, 21, 21]]]], np.float32)  # the last is 1x1
INFO = np.array([[40, 40, 1], [40, 40, 1]], np.float32)
DELTAS = np.zeros((2, 4, 2, 2), np.float32)
SCORES = np.array([[[[0.9, 0.8], [0.7, 0.95]]], [[[0.1, 0.2], [0.3, 0.4]]]], np.float32)


def test_proposals_per_image_sorted_and_counted():
    node = _node(min_size=2.0, nms_threshold=0.7, pre_nms_count=10, post_nms_count=3)
    assert node.get_output_partial_shape(0) == ov.PartialShape([ov.Dimension(0, 6), 4])
    rois, scores, counts = evaluate_in_model(node, INFO, ANCHORS, DELTAS, SCORES)
    np.testing.assert_array_equal(counts, [3, 3])
    # the 1x1 anchor (score 0.95 / 0.4) is smaller than min_size and dropped
    np.testing.assert_allclose(scores, [0.9, 0.8, 0.7, 0.3, 0.2, 0.1], rtol=1e-6)
    np.testing.assert_allclose(rois[0], [0, 0, 10, 10])


def test_validation():
    with pytest.raises(RuntimeError, match="pre_nms_count must be larger than 0"):
        _node(min_size=1.0, nms_threshold=0.7, pre_nms_count=0, post_nms_count=3)
