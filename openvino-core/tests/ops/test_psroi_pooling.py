"""PSROIPooling: each output cell reads its own channel; average and bilinear modes."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset1

from .node_eval import evaluate_in_model


def test_average_reads_one_channel_per_cell():
    # channel k is filled with k: the output cell (c, i, j) reads (c * 2 + i) * 2 + j
    x = np.arange(8, dtype=np.float32)[None, :, None, None] * np.ones((1, 8, 6, 6), np.float32)
    node = opset1.psroi_pooling(opset1.parameter([1, 8, 6, 6]), opset1.parameter([1, 5]), 2, 2,
                                1.0, 1, 1, "average")
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 2, 2, 2])
    out = evaluate_in_model(node, x, np.array([[0, 0, 0, 5, 5]], np.float32))[0]
    np.testing.assert_array_equal(out.reshape(-1), np.arange(8))


def test_average_of_a_ramp_over_each_bin():
    x = np.tile(np.arange(6, dtype=np.float32), (1, 4, 6, 1))  # value = column
    node = opset1.psroi_pooling(opset1.parameter([1, 4, 6, 6]), opset1.parameter([1, 5]), 1, 2,
                                1.0, 1, 1, "average")
    out = evaluate_in_model(node, x, np.array([[0, 0, 0, 3, 3]], np.float32))[0]
    np.testing.assert_allclose(out[0, 0], [[0.5, 2.5], [0.5, 2.5]])


def test_bilinear_averages_the_spatial_bins():
    x = np.ones((1, 4, 5, 5), np.float32) * np.array([1, 2, 3, 4], np.float32)[None, :, None,
                                                                              None]
    node = opset1.psroi_pooling(opset1.parameter([1, 4, 5, 5]), opset1.parameter([1, 5]), 1, 1,
                                1.0, 2, 2, "bilinear")
    out = evaluate_in_model(node, x, np.array([[0, 0.1, 0.1, 0.9, 0.9]], np.float32))[0]
    np.testing.assert_allclose(out.reshape(-1), [2.5])


def test_validation():
    with pytest.raises(RuntimeError, match="output_dim must be equal to input channels"):
        opset1.psroi_pooling(opset1.parameter([1, 8, 6, 6]), opset1.parameter([1, 5]), 3, 2,
                             1.0, 1, 1, "average")
    with pytest.raises(RuntimeError, match="Expected 'average' or 'bilinear' mode"):
        opset1.psroi_pooling(opset1.parameter([1, 8, 6, 6]), opset1.parameter([1, 5]), 2, 2,
                             1.0, 1, 1, "max")


def test_deformable_psroi_offsets_move_the_bins():
    x = np.tile(np.arange(8, dtype=np.float32), (1, 4, 8, 1))  # value = column
    rois = np.array([[0, 0, 0, 3, 3]], np.float32)  # 4 x 4 pixels, shifted by -0.5
    plain = opset1.deformable_psroi_pooling(opset1.parameter([1, 4, 8, 8]),
                                            opset1.parameter([1, 5]), 1, 1.0, 2,
                                            spatial_bins_x=1, spatial_bins_y=1)
    out = evaluate_in_model(plain, x, rois)[0]
    # bins start at x = -0.5 (clamped to 0) and 1.5
    np.testing.assert_allclose(out[0, 0], [[0, 1.5], [0, 1.5]])
    moved = opset1.deformable_psroi_pooling(opset1.parameter([1, 4, 8, 8]),
                                            opset1.parameter([1, 5]), 1, 1.0, 2,
                                            spatial_bins_x=1, spatial_bins_y=1, trans_std=0.5,
                                            part_size=1, offsets=opset1.parameter([1, 2, 1, 1]))
    offsets = np.array([[[[1.0]], [[0.0]]]], np.float32)  # x by 0.5 * the ROI width (4)
    out = evaluate_in_model(moved, x, rois, offsets)[0]
    np.testing.assert_allclose(out[0, 0], [[1.5, 3.5], [1.5, 3.5]])
