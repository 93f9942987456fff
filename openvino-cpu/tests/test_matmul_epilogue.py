"""MatMul epilogues computed in the micro-kernels' registers: bias, residual add, ReLU /
clamp, and GELU in its erf and tanh forms (vector erf / tanh / exp), against the TEMPLATE
reference on random and odd shapes, large and non-finite values, unaligned inputs, on the
AVX2 and the AVX-512 paths."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset13 as ops


def _model(M, K, N, mode, residual, seed):
    rng = np.random.default_rng(seed)
    x = ops.parameter([M, K], np.float32)
    w = ops.constant((rng.standard_normal((N, K)) / np.sqrt(K)).astype(np.float32))
    y = ops.add(ops.matmul(x, w, False, True),
                ops.constant(rng.standard_normal(N).astype(np.float32)))
    params = [x]
    if residual:
        r = ops.parameter([M, N], np.float32)
        y = ops.add(y, r)
        params.append(r)
    y = ops.gelu(y, mode)
    feeds = [rng.standard_normal((M, K)).astype(np.float32) * 2]
    if residual:
        feeds.append(rng.standard_normal((M, N)).astype(np.float32))
    return ov.Model([y], params), [unaligned(f) for f in feeds]


@pytest.mark.parametrize("M,K,N", [(64, 96, 128), (13, 7, 33), (1, 1, 1), (97, 384, 70),
                                   (6, 32, 32)])
@pytest.mark.parametrize("mode", ["erf", "tanh"])
@pytest.mark.parametrize("residual", [False, True])
def test_gelu_epilogue(runner, core, isa_level, M, K, N, mode, residual) -> None:
    model, feeds = _model(M, K, N, mode, residual, seed=M * N + K)
    runner.check(model, feeds, rtol=1e-5, atol=1e-5)
    assert [i.type for i in plan_of(core.compile_model(model, "CPU")).info] == ["MatMul"]


@pytest.mark.parametrize("mode", ["erf", "tanh"])
def test_gelu_epilogue_extremes(runner, core, isa_level, mode) -> None:
    """Inputs that make the pre-activation huge, tiny, zero or NaN."""
    x = ops.parameter([12, 4], np.float32)
    w = ops.constant(np.array([[1, 0, 0, 0]] * 32, np.float32))
    model = ov.Model([ops.gelu(ops.matmul(x, w, False, True), mode)], [x])
    col = np.array([0.0, -0.0, 1e-30, -1e-30, 0.3, -0.49, 0.51, 5.0, -5.0, 80.0, -80.0, 1e30],
                   np.float32)
    data = np.zeros((12, 4), np.float32)
    data[:, 0] = col
    got = core.compile_model(model, "CPU")([unaligned(data)])[0]
    want = runner.reference(model, [data])[0]
    # (1 + tanh(u)) cancels for u << 0: both sides are within ~2e-7 of the true value
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=5e-7)
    data[3, 0] = np.nan
    got = core.compile_model(model, "CPU")([data])[0]
    assert np.isnan(got[3]).all() and np.isfinite(np.delete(got, 3, axis=0)).all()


def test_gelu_erf_epilogue_over_its_range(core, isa_level) -> None:
    """The erf form at every pre-activation from -12 to 12 (the rational erf, its switch
    to +-1 past |x| / sqrt(2) = 3.92, the tails) against erf in double precision."""
    import math

    col = np.linspace(-12.0, 12.0, 6001, dtype=np.float32)
    x = ops.parameter([col.size, 1], np.float32)
    w = ops.constant(np.ones((32, 1), np.float32))
    model = ov.Model([ops.gelu(ops.matmul(x, w, False, True), "erf")], [x])
    got = core.compile_model(model, "CPU")([unaligned(col.reshape(-1, 1))])[0]
    v = col.astype(np.float64)
    want = 0.5 * v * (1.0 + np.array([math.erf(t / math.sqrt(2.0)) for t in v]))
    np.testing.assert_allclose(got, np.repeat(want[:, None], 32, axis=1), rtol=1e-6,
                               atol=2e-6)
    assert np.all(got[col < -5.6] == 0.0)  # erf rounds to -1 there: exactly zero
