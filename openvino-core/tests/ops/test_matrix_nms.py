"""MatrixNms: linear and Gaussian decay of overlapping boxes' scores, post_threshold."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset8

from .node_eval import evaluate_in_model

# IoU(0, 1) = 0.5 (box 1 is half of box 0), box 2 apart
BOXES = np.array([[[0, 0, 1, 1], [0, 0, 1, 0.5], [5, 5, 6, 6]]], np.float32)
SCORES = np.array([[[0.9, 0.8, 0.7]]], np.float32)


def _run(**kw):
    node = opset8.matrix_nms(opset8.parameter([1, 3, 4]), opset8.parameter([1, 1, 3]), **kw)
    return node, evaluate_in_model(node, BOXES, SCORES)


def test_linear_decay():
    node, (rows, idx, counts) = _run()
    assert node.get_output_partial_shape(0) == ov.PartialShape([ov.Dimension(0, 3), 6])
    # box 1: 0.8 * (1 - 0.5) / (1 - 0); box 2: no overlap, keeps 0.7
    np.testing.assert_allclose(rows[:, 1], [0.9, 0.7, 0.4], rtol=1e-6)
    np.testing.assert_array_equal(idx.reshape(-1), [0, 2, 1])
    np.testing.assert_array_equal(counts, [3])


def test_gaussian_decay_and_post_threshold():
    _, (rows, _, _) = _run(decay_function="gaussian", gaussian_sigma=2.0)
    np.testing.assert_allclose(rows[:, 1], [0.9, 0.7, 0.8 * np.exp(-0.25 * 2)], rtol=1e-6)
    _, (rows, _, counts) = _run(post_threshold=0.5)
    np.testing.assert_allclose(rows[:, 1], [0.9, 0.7], rtol=1e-6)
    assert counts.tolist() == [2]


def test_validation():
    with pytest.raises(RuntimeError, match="is not a member of enum"):
        _run(decay_function="cubic")
