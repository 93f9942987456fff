"""No denormal leaves the exp-based kernels (softmax, sigmoid, and through them attention):
results below the smallest normal float are 0, as the real runtime's CPU plugin gives them
(values measured on OpenVINO 2026.4.1). A masked attention row otherwise hands denormal
probabilities to the next MatMul, which then runs ~100x slower."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops

TINY = np.finfo(np.float32).tiny


def _run(core, y, x, data):
    return np.asarray(core.compile_model(ov.Model([y], [x]), "CPU")(data)[0])


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_flushes_underflow_to_zero(core, axis) -> None:
    row = np.array([0.0, -87.5, -90.0, -100.0, -200.0, -10000.0], np.float32)
    data = row[None, :] if axis == -1 else row[:, None]
    x = ops.parameter(list(data.shape), np.float32)
    got = _run(core, ops.softmax(x, axis), x, data).reshape(-1)
    # the real runtime: [1, 0, 0, 0, 0, 0]
    np.testing.assert_array_equal(got, [1, 0, 0, 0, 0, 0])


def test_masked_attention_probabilities_have_no_denormals(core) -> None:
    rng = np.random.default_rng(0)
    scores = rng.standard_normal((2, 3, 16, 64)).astype(np.float32) * 30
    scores[..., 40:] -= 10000.0  # padded keys
    x = ops.parameter(list(scores.shape), np.float32)
    got = _run(core, ops.softmax(x, -1), x, scores)
    nonzero = got[got != 0]
    assert nonzero.size and np.all(np.abs(nonzero) >= TINY)
    assert np.all(got[..., 40:] == 0)
    want = np.exp(scores - scores.max(-1, keepdims=True))
    want /= want.sum(-1, keepdims=True)
    np.testing.assert_allclose(got, np.where(want < TINY, 0, want), rtol=1e-5, atol=1e-7)


def test_sigmoid_and_swish_flush_underflow(core) -> None:
    data = np.array([-87.5, -90.0, -100.0, -1000.0, 0.0, 100.0], np.float32)
    x = ops.parameter([6], np.float32)
    sig = _run(core, ops.sigmoid(x), x, data)
    np.testing.assert_array_equal(sig, [0, 0, 0, 0, 0.5, 1])  # as the real runtime
    sw = _run(core, ops.swish(x), x, data)
    assert np.all((sw[:4] == 0) | (np.abs(sw[:4]) >= TINY))
    np.testing.assert_allclose(sw[4:], [0, 100], rtol=1e-6)


def test_tanh_and_gelu_at_extremes(core) -> None:
    data = np.array([-1000.0, -50.0, -9.0, 9.0, 50.0, 1000.0], np.float32)
    x = ops.parameter([6], np.float32)
    np.testing.assert_allclose(_run(core, ops.tanh(x), x, data), np.tanh(data), atol=1e-7)
    gelu = _run(core, ops.gelu(x, "erf"), x, data)
    assert np.all(np.isfinite(gelu))
    np.testing.assert_allclose(gelu[3:], data[3:], rtol=1e-6)
    assert np.all(gelu[:3] == 0) or np.all(np.abs(gelu[:3]) < 1e-15)
