"""ROIAlign v3/v9: bilinear sampling, avg/max, aligned modes, out-of-map samples."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset3, opset9

from .node_eval import evaluate_in_model

# a linear ramp: bilinear samples of it are exact, so averages are the ramp at bin centres
RAMP = (np.arange(8, dtype=np.float32)[None, :] * 10
        + np.arange(8, dtype=np.float32)[:, None]).reshape(1, 1, 8, 8)


def _align(version, rois, ph, pw, ratio, scale, mode, aligned=None, data=RAMP, batch=None):
    ops = {3: opset3, 9: opset9}[version]
    r = np.array(rois, np.float32)
    b = np.zeros(len(rois), np.int32) if batch is None else np.array(batch, np.int32)
    args = [ops.parameter(list(data.shape)), ops.parameter(list(r.shape)),
            ops.parameter(list(b.shape), np.int32), ph, pw, ratio, scale, mode]
    if aligned:
        args.append(aligned)
    node = ops.roi_align(*args)
    return node, evaluate_in_model(node, data, r, b)[0]


@pytest.mark.parametrize("version", [3, 9])
def test_average_of_a_ramp_is_the_ramp_at_the_bin_centres(version):
    node, out = _align(version, [[1, 2, 5, 6]], 2, 2, 2, 1.0, "avg")
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 1, 2, 2])
    # bins of 2x2 pixels starting at (x=1, y=2): centres x 2, 4 and y 3, 5
    np.testing.assert_allclose(out[0, 0], [[3 + 20, 3 + 40], [5 + 20, 5 + 40]], rtol=1e-6)


def test_aligned_modes_shift_by_half_a_pixel():
    _, asym = _align(9, [[1, 2, 5, 6]], 1, 1, 1, 1.0, "avg", "asymmetric")
    _, half = _align(9, [[1, 2, 5, 6]], 1, 1, 1, 1.0, "avg", "half_pixel")
    _, nn = _align(9, [[1, 2, 5, 6]], 1, 1, 1, 2.0, "avg", "half_pixel_for_nn")
    np.testing.assert_allclose(asym[0, 0, 0, 0], 4 + 30, rtol=1e-6)
    np.testing.assert_allclose(half[0, 0, 0, 0], 4 + 30, rtol=1e-6)  # +0.5 then -0.5
    # centre (6, 8) - 0.5 = (5.5, 7.5); rows past the last one read the last row (7)
    np.testing.assert_allclose(nn[0, 0, 0, 0], 7 + 55, rtol=1e-6)


def test_max_starts_from_zero_and_far_samples_count_as_zero():
    _, out = _align(3, [[0, 0, 2, 2]], 1, 1, 2, 1.0, "max", data=-RAMP - 1)
    assert out[0, 0, 0, 0] == 0
    _, out = _align(3, [[20, 20, 24, 24]], 1, 1, 2, 1.0, "avg")
    assert out[0, 0, 0, 0] == 0


def test_batch_indices_and_errors():
    data = np.concatenate([RAMP, RAMP + 100])
    _, out = _align(3, [[1, 2, 5, 6], [1, 2, 5, 6]], 1, 1, 2, 1.0, "avg", data=data,
                    batch=[1, 0])
    np.testing.assert_allclose(out[:, 0, 0, 0], [134, 34], rtol=1e-6)
    with pytest.raises(RuntimeError, match=r"batch index 2 is out of range \[0, 1\]"):
        _align(3, [[1, 2, 5, 6]], 1, 1, 2, 1.0, "avg", data=data, batch=[2])
    with pytest.raises(RuntimeError, match='"foo" is not a member of enum'):
        _align(9, [[1, 2, 5, 6]], 1, 1, 2, 1.0, "avg", "foo")
    with pytest.raises(RuntimeError, match="Expected a 2D tensor for the ROIs input"):
        opset3.roi_align(opset3.parameter([1, 1, 8, 8]), opset3.parameter([4]),
                         opset3.parameter([1], np.int32), 1, 1, 2, 1.0, "avg")


def test_rotated_box_at_angle_zero_is_an_axis_aligned_roi():
    from openvino import opset15

    def rotated(angle, clockwise=False):
        node = opset15.roi_align_rotated(opset15.parameter([1, 1, 8, 8]),
                                         opset15.parameter([1, 5]),
                                         opset15.parameter([1], np.int32), 2, 2, 2, 1.0,
                                         clockwise)
        # centre (3.5, 4.5) - half a pixel, 4 x 4
        box = np.array([[3.5, 4.5, 4, 4, angle]], np.float32)
        return evaluate_in_model(node, RAMP, box, np.zeros(1, np.int32))[0]

    _, plain = _align(9, [[1, 2, 5, 6]], 2, 2, 2, 1.0, "avg", "asymmetric")
    np.testing.assert_allclose(rotated(0.0), plain, rtol=1e-5)
    # a quarter turn swaps the ramp's axes: x (weight 10) now runs down the rows
    quarter = rotated(np.pi / 2)
    assert quarter[0, 0, 1, 0] - quarter[0, 0, 0, 0] == pytest.approx(20, abs=1e-3)
    np.testing.assert_allclose(rotated(np.pi / 2, clockwise=True)[0, 0, ::-1, ::-1], quarter[0, 0],
                               rtol=1e-4)
