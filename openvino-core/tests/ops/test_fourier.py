"""DFT/IDFT/RDFT/IRDFT/STFT: against numpy's FFT, signal sizes that pad and crop, shapes."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset7, opset9, opset15

from .node_eval import evaluate_in_model

RNG = np.random.default_rng(7)


def _run(factory, x, axes, sizes=None):
    p = opset9.parameter(list(x.shape), np.float64)
    args = [p, np.array(axes, np.int64)] + ([] if sizes is None else
                                            [np.array(sizes, np.int64)])
    node = factory(*args)
    return node, evaluate_in_model(node, x)[0]


def _c(x):
    return x[..., 0] + 1j * x[..., 1]


def test_dft_and_idft_over_negative_axes_round_trip():
    x = RNG.normal(size=(2, 4, 6, 2))
    node, y = _run(opset7.dft, x, [-3, -2])
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 4, 6, 2])
    np.testing.assert_allclose(_c(y), np.fft.fftn(_c(x), axes=[0, 1]), atol=1e-12)
    _, back = _run(opset7.idft, y, [0, 1])
    np.testing.assert_allclose(back, x, atol=1e-12)


def test_signal_size_pads_and_crops_at_the_end():
    x = RNG.normal(size=(3, 5, 2))
    node, y = _run(opset7.dft, x, [1, 0], [8, 2])
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 8, 2])
    want = np.fft.fftn(np.pad(_c(x)[:2], [(0, 0), (0, 3)]), axes=[1, 0])
    np.testing.assert_allclose(_c(y), want, atol=1e-12)


def test_rdft_keeps_half_of_the_last_axis_and_irdft_inverts_it():
    x = RNG.normal(size=(4, 6))
    node, y = _run(opset9.rdft, x, [0, 1])
    assert node.get_output_partial_shape(0) == ov.PartialShape([4, 4, 2])
    np.testing.assert_allclose(_c(y), np.fft.rfftn(x), atol=1e-12)
    inv, back = _run(opset9.irdft, y, [0, 1])
    assert inv.get_output_partial_shape(0) == ov.PartialShape([4, 6])
    np.testing.assert_allclose(back, x, atol=1e-12)
    odd, back9 = _run(opset9.irdft, y, [0, 1], [-1, 9])
    assert odd.get_output_partial_shape(0) == ov.PartialShape([4, 9])
    np.testing.assert_allclose(back9, np.fft.irfftn(_c(y), s=[4, 9], axes=[0, 1]), atol=1e-12)


@pytest.mark.parametrize("transpose", [False, True])
def test_stft_frames_with_a_centred_short_window(transpose):
    signal = RNG.normal(size=(2, 33)).astype(np.float32)
    window = np.hanning(5).astype(np.float32)
    node = opset15.stft(opset15.parameter([2, 33]), opset15.parameter([5]), np.int64(8),
                        np.int64(3), transpose)
    frames, bins = (33 - 8) // 3 + 1, 8 // 2 + 1
    want_shape = [2, bins, frames, 2] if transpose else [2, frames, bins, 2]
    assert node.get_output_partial_shape(0) == ov.PartialShape(want_shape)
    out = evaluate_in_model(node, signal, window)[0]
    w = np.zeros(8)
    w[1:6] = window
    spec = np.stack([np.fft.rfft(signal[:, s:s + 8] * w) for s in range(0, 3 * frames, 3)], 1)
    if transpose:
        spec = spec.transpose(0, 2, 1)
    np.testing.assert_allclose(_c(out), spec, atol=1e-5)


@pytest.mark.parametrize("call,message", [
    (lambda: opset7.dft(opset7.parameter([4, 3]), np.array([0], np.int64)),
     "The last dimension of input data must be 2"),
    (lambda: opset7.dft(opset7.parameter([4, 2]), np.array([1], np.int64)),
     r"Axis value: 1, must be in range \(-2, 1\)"),
    (lambda: opset9.rdft(opset9.parameter([4, 6]), np.array([0, 1], np.int64),
                         np.array([4], np.int64)), "Sizes of inputs 'axes' and 'signal_size'"),
    (lambda: opset15.stft(opset15.parameter([2, 6]), opset15.parameter([4]), np.int64(8),
                          np.int64(2), False), "must be less or equal to signal length"),
])
def test_validation(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


@pytest.mark.parametrize("center", [False, True])
def test_istft_inverts_stft(center):
    from openvino import opset16

    signal = RNG.normal(size=(2, 48)).astype(np.float32)
    window = (np.hanning(8) + 0.1).astype(np.float32)
    stft_node = opset15.stft(opset15.parameter([2, 48]), opset15.parameter([8]), np.int64(8),
                             np.int64(2), True)
    spec = evaluate_in_model(stft_node, signal, window)[0]
    node = opset16.istft(opset16.parameter(list(spec.shape)), opset16.parameter([8]),
                         np.int64(8), np.int64(2), center, False, np.int64(48))
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 48])
    back = evaluate_in_model(node, spec, window)[0]
    if center:  # the first frame_size // 2 samples are dropped
        np.testing.assert_allclose(back[:, :44], signal[:, 4:], atol=1e-4)
    else:
        np.testing.assert_allclose(back, signal, atol=1e-4)
