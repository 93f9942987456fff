"""The fused ScaledDotProductAttention kernel (``kernels/attention.c``: blocks of query rows,
QK^T and P.V as GEMMs through a per-thread score tile) against the TEMPLATE reference on
random geometry: odd and zero-sized dimensions, long key sequences (several tiles), every
mask kind with broadcasting, causal with L != S, a scale input, fully masked rows, unaligned
inputs, on the AVX2 and the AVX-512 code paths."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset13 as ops


def _case(batch, L, S, E, Ev, mask, causal, scale, seed):
    rng = np.random.default_rng(seed)
    q = ops.parameter(list(batch) + [L, E], np.float32)
    k = ops.parameter(list(batch) + [S, E], np.float32)
    v = ops.parameter(list(batch) + [S, Ev], np.float32)
    params = [q, k, v]
    feeds = [rng.standard_normal(list(batch) + [L, E]).astype(np.float32) * 2,
             rng.standard_normal(list(batch) + [S, E]).astype(np.float32),
             rng.standard_normal(list(batch) + [S, Ev]).astype(np.float32)]
    args = [q, k, v]
    if mask is not None or scale is not None:
        kind, mshape = mask if mask is not None else ("float", [1])
        m = ops.parameter(mshape, np.float32 if kind == "float" else np.bool_)
        params.append(m)
        if kind == "float":
            feeds.append(rng.uniform(-3, 1, mshape).astype(np.float32)
                         if mask is not None else np.zeros(mshape, np.float32))
        else:
            feeds.append(rng.random(mshape) > 0.3)
        args.append(m)
    if scale is not None:
        s = ops.parameter([], np.float32)
        params.append(s)
        feeds.append(np.array(scale, np.float32))
        args.append(s)
    y = ops.scaled_dot_product_attention(*args, causal=causal)
    return ov.Model([y], params), [unaligned(f) for f in feeds]


def _check(runner, core, model, feeds) -> None:
    runner.check(model, feeds, rtol=1e-4, atol=1e-5)
    plan = plan_of(core.compile_model(model, "CPU"))
    kinds = [i.exec_type for i in plan.info if i.type == "ScaledDotProductAttention"]
    assert kinds in (["jit_sdpa_f32"], []), kinds


@pytest.mark.parametrize("batch,L,S,E,Ev", [([4, 12], 128, 128, 32, 32), ([1, 2], 5, 3, 7, 9),
                                            ([2], 1, 1, 1, 1), ([1, 1], 97, 6001, 16, 8),
                                            ([3, 1, 2], 50, 49, 20, 11),
                                            # k^T and v too large to pack whole
                                            ([1, 1], 13, 16500, 32, 40)])
@pytest.mark.parametrize("variant", ["none", "float_row", "bool_full", "causal", "scale"])
def test_sdpa_shapes(runner, core, isa_level, batch, L, S, E, Ev, variant) -> None:
    mask = None
    if variant == "float_row":
        mask = ("float", [batch[0]] + [1] * (len(batch) - 1) + [1, S])
    elif variant == "bool_full":
        mask = ("bool", [L, S])
    model, feeds = _case(batch, L, S, E, Ev, mask, variant == "causal",
                         0.3 if variant == "scale" else None, seed=L + S)
    _check(runner, core, model, feeds)


@pytest.mark.parametrize("seed", range(10))
def test_sdpa_random_geometry(runner, core, isa_level, seed) -> None:
    rng = np.random.default_rng(900 + seed)
    batch = [int(rng.integers(1, 4)) for _ in range(int(rng.integers(1, 4)))]
    L, S = int(rng.integers(1, 70)), int(rng.integers(1, 300))
    E, Ev = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    mask = None
    r = rng.random()
    if r < 0.3:
        mask = ("float", [L, S] if rng.random() < 0.5 else [1] * len(batch) + [L, S])
    elif r < 0.6:
        mask = ("bool", [1, S] if rng.random() < 0.5 else list(batch) + [L, S])
    model, feeds = _case(batch, L, S, E, Ev, mask, bool(rng.random() < 0.2) and mask is None,
                         float(rng.uniform(0.05, 1)) if rng.random() < 0.3 else None, seed)
    _check(runner, core, model, feeds)


# E = 0 is left out: the reference scales by 1/sqrt(0) (NaN), the real runtime returns
# uninitialised memory, ours averages v
@pytest.mark.parametrize("dims", [(0, 4, 5, 6, 7), (2, 0, 5, 6, 7), (2, 4, 5, 6, 0)])
def test_sdpa_zero_sized(runner, dims) -> None:
    b, L, S, E, Ev = dims
    model, feeds = _case([b, 2], L, S, E, Ev, None, False, None, seed=1)
    runner.check(model, feeds, rtol=1e-4, atol=1e-5)


def test_sdpa_no_keys_gives_nan(runner) -> None:
    """S = 0: a softmax over nothing (the reference fails on it): NaN rows."""
    model, feeds = _case([2, 2], 4, 0, 6, 7, None, False, None, seed=1)
    got = runner.cpu(model, feeds)[0]
    assert got.shape == (2, 2, 4, 7) and np.isnan(got).all()


def test_sdpa_fully_masked_row_is_nan_like_the_reference(runner) -> None:
    model, feeds = _case([1, 1], 3, 4, 5, 2, ("bool", [3, 4]), False, None, seed=2)
    feeds[3] = np.array([[True, False, True, True], [False] * 4, [True] * 4])
    got = runner.cpu(model, feeds)[0]
    want = runner.reference(model, feeds)[0]
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=1e-5, atol=1e-6)


def test_sdpa_nan_and_infinite_scores_follow_the_reference(runner, core, isa_level) -> None:
    """A NaN query poisons its row only; a float mask of -inf hides a column and one of
    -inf everywhere gives a NaN row, on the vectorised score path too."""
    model, feeds = _case([1, 2], 5, 37, 8, 3, ("float", [5, 37]), False, None, seed=3)
    feeds[0] = feeds[0].copy()
    feeds[0][0, 1, 2, 4] = np.nan
    feeds[3] = feeds[3].copy()
    feeds[3][1, 5] = -np.inf
    feeds[3][3, :] = -np.inf
    got = runner.cpu(model, feeds)[0]
    want = runner.reference(model, feeds)[0]
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    assert np.isnan(got[0, 1, 2]).all() and np.isnan(got[:, :, 3]).all()
    ok = ~np.isnan(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=1e-5, atol=1e-6)
