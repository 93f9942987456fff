"""DeformableConvolution v1/v8: zero offsets are a plain convolution, integer offsets move
the taps, masks scale them, the two out-of-input rules, shapes and errors."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset8

from .node_eval import evaluate_in_model

RNG = np.random.default_rng(5)


def _dconv(ops, x, off, f, *, mask=None, **kw):
    ps = [ops.parameter(list(x.shape)), ops.parameter(list(off.shape))]
    ins = [x, off]
    if mask is not None:
        ps.append(ops.parameter(list(mask.shape)))
        ins.append(mask)
        kw["mask"] = ps[-1]
    node = ops.deformable_convolution(ps[0], ps[1], f, [1, 1], [1, 1], [1, 1], [1, 1], **kw)
    return node, evaluate_in_model(node, *ins)[0]


def test_zero_offsets_are_a_convolution_and_groups_split_channels():
    x = RNG.normal(size=(2, 4, 6, 7)).astype(np.float32)
    f = RNG.normal(size=(6, 2, 3, 3)).astype(np.float32)
    off = np.zeros((2, 2 * 2 * 9, 6, 7), np.float32)
    node, out = _dconv(opset1, x, off, f, group=2, deformable_group=2)
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 6, 6, 7])
    conv = opset1.group_convolution(opset1.parameter([2, 4, 6, 7]), f.reshape(2, 3, 2, 3, 3),
                                    [1, 1], [1, 1], [1, 1], [1, 1])
    np.testing.assert_allclose(out, evaluate_in_model(conv, x)[0], atol=1e-5)


def test_integer_offsets_shift_the_taps_and_mask_scales_them():
    x = RNG.normal(size=(1, 1, 5, 5)).astype(np.float32)
    f = np.zeros((1, 1, 3, 3), np.float32)
    f[0, 0, 1, 1] = 1.0  # only the centre tap
    off = np.zeros((1, 18, 5, 5), np.float32)
    off[0, 2 * 4] = 1.0      # centre tap: y + 1
    off[0, 2 * 4 + 1] = -1.0  # centre tap: x - 1
    _, out = _dconv(opset1, x, off, f)
    want = np.zeros((5, 5), np.float32)
    want[:4, 1:] = x[0, 0, 1:, :4]
    np.testing.assert_allclose(out[0, 0], want, atol=1e-6)
    mask = np.full((1, 9, 5, 5), 0.5, np.float32)
    _, half = _dconv(opset8, x, off, f, mask=mask)
    np.testing.assert_allclose(half[0, 0], want * 0.5, atol=1e-6)


def test_out_of_input_rules():
    x = np.ones((1, 1, 3, 3), np.float32)
    f = np.zeros((1, 1, 3, 3), np.float32)
    f[0, 0, 1, 1] = 1.0
    off = np.zeros((1, 18, 3, 3), np.float32)
    off[0, 2 * 4] = -0.5  # the centre tap half a pixel up: row 0 reads y = -0.5
    _, plain = _dconv(opset8, x, off, f)
    _, padded = _dconv(opset8, x, off, f, bilinear_interpolation_pad=True)
    np.testing.assert_allclose(plain[0, 0, 0], [0, 0, 0])        # outside [0, H): skipped
    np.testing.assert_allclose(padded[0, 0, 0], [0.5, 0.5, 0.5])  # half the zero row
    np.testing.assert_allclose(plain[0, 0, 1:], 1, atol=1e-6)


def test_validation():
    with pytest.raises(RuntimeError, match="The channels dimension of offsets input is not "
                                           "compatible"):
        opset8.deformable_convolution(opset8.parameter([1, 4, 5, 5]),
                                      opset8.parameter([1, 17, 5, 5]),
                                      opset8.parameter([2, 4, 3, 3]), [1, 1], [1, 1], [1, 1],
                                      [1, 1])
    with pytest.raises(RuntimeError, match="Mask must be of rank 4"):
        opset8.deformable_convolution(opset8.parameter([1, 4, 5, 5]),
                                      opset8.parameter([1, 18, 5, 5]),
                                      opset8.parameter([2, 4, 3, 3]), [1, 1], [1, 1], [1, 1],
                                      [1, 1], mask=opset8.parameter([9, 5, 5]))
