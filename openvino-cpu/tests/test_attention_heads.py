"""The head split / merge Transposes around a fused attention chain (``[B, S, H, D] ->
[B, H, S, D]`` for q, k, v and back for the result, as BERT / MiniLM IRs carry them) are
folded into the attention step: it reads the projections and writes the merged heads in
place through strides, so the plan has no Transpose step. Checked against the TEMPLATE
reference on random head geometry (odd sizes, other orders that keep the last axis last,
masks, unaligned inputs) on the AVX2 and the AVX-512 paths; Transposes that cannot fold
(read elsewhere, the last axis moved) keep their own step and the same results."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset13 as ops


def _heads(B, L, S, H, D, Dv, mask=True, seed=0, q_order=(0, 2, 1, 3),
           kv_order=(0, 2, 1, 3), out_order=(0, 2, 1, 3), extra_out=None):
    """q [B, L, H*D], k [B, S, H*D], v [B, S, H*Dv] split into heads by Reshape +
    Transpose, attention, heads merged back by Transpose + Reshape."""
    rng = np.random.default_rng(seed)
    xq = ops.parameter([B, L, H * D], np.float32)
    xk = ops.parameter([B, S, H * D], np.float32)
    xv = ops.parameter([B, S, H * Dv], np.float32)
    params = [xq, xk, xv]
    feeds = [rng.standard_normal((B, L, H * D)).astype(np.float32),
             rng.standard_normal((B, S, H * D)).astype(np.float32),
             rng.standard_normal((B, S, H * Dv)).astype(np.float32)]

    def split(x, n, d, order):
        r = ops.reshape(x, ops.constant(np.array([B, n, H, d], np.int64)), False)
        return ops.transpose(r, ops.constant(np.array(order, np.int64)))

    q = split(xq, L, D, q_order)
    k = split(xk, S, D, kv_order)
    v = split(xv, S, Dv, kv_order)
    scores = ops.multiply(ops.matmul(q, k, False, True),
                          ops.constant(np.float32(1 / np.sqrt(max(D, 1)))))
    if mask:
        m = ops.parameter([B, 1, 1, S], np.float32)
        params.append(m)
        feeds.append(np.where(rng.random((B, 1, 1, S)) < 0.2, -10000.0,
                              0.0).astype(np.float32))
        scores = ops.add(scores, m)
    ctx = ops.matmul(ops.softmax(scores, -1), v, False, False)
    merged = ops.transpose(ctx, ops.constant(np.array(out_order, np.int64)))
    out = ops.reshape(merged, ops.constant(np.array([B, -1], np.int64)), False)
    outs = [out]
    if extra_out == "q":
        outs.append(ops.relu(q))
    elif extra_out == "ctx":
        outs.append(ops.relu(ctx))
    return ov.Model(outs, params), [unaligned(f) for f in feeds]


def _kinds(core, model):
    return [(i.type, i.exec_type) for i in plan_of(core.compile_model(model, "CPU")).info]


@pytest.mark.parametrize("B,L,S,H,D,Dv", [
    (4, 128, 128, 12, 32, 32),   # MiniLM's heads
    (2, 7, 13, 3, 5, 3),
    (1, 1, 2, 1, 1, 1),
    (3, 33, 70, 2, 16, 9),
])
def test_head_transposes_fold(runner, core, isa_level, B, L, S, H, D, Dv) -> None:
    model, feeds = _heads(B, L, S, H, D, Dv, seed=L + S)
    runner.check(model, feeds, rtol=1e-4, atol=1e-5)
    kinds = _kinds(core, model)
    assert ("MatMul", "jit_sdpa_f32") in kinds
    assert not any(t == "Transpose" for t, _ in kinds), kinds


@pytest.mark.parametrize("seed", range(6))
def test_head_transposes_random_geometry(runner, core, isa_level, seed) -> None:
    rng = np.random.default_rng(700 + seed)
    B, H = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    L, S = int(rng.integers(1, 50)), int(rng.integers(1, 90))
    D, Dv = int(rng.integers(1, 24)), int(rng.integers(1, 24))
    # q, k, v as [B, H, S, D] or [H, B, S, D]; the result merged by any order that keeps
    # the last axis last
    order = [(0, 2, 1, 3), (2, 0, 1, 3)][seed % 2]
    out_order = tuple(int(a) for a in rng.permutation(3)) + (3,)
    model, feeds = _heads(B, L, S, H, D, Dv, mask=seed % 2 == 0 and order[0] == 0, seed=seed,
                          q_order=order, kv_order=order, out_order=out_order)
    runner.check(model, feeds, rtol=1e-4, atol=1e-5)
    kinds = _kinds(core, model)
    assert ("MatMul", "jit_sdpa_f32") in kinds
    assert not any(t == "Transpose" for t, _ in kinds), kinds


@pytest.mark.parametrize("extra", ["q", "ctx"])
def test_transposes_read_elsewhere_stay(runner, core, extra) -> None:
    model, feeds = _heads(2, 9, 11, 3, 4, 5, seed=3, extra_out=extra)
    runner.check(model, feeds, rtol=1e-4, atol=1e-5)
    kinds = _kinds(core, model)
    assert ("MatMul", "jit_sdpa_f32") in kinds
    assert ("Transpose", "ref_permute") in kinds


def test_transpose_moving_the_last_axis_stays(runner, core) -> None:
    # the result transposed to [B, Dv, H, L]: not a row-strided view of the step's output
    model, feeds = _heads(2, 6, 5, 3, 4, 7, seed=4, out_order=(0, 3, 1, 2))
    runner.check(model, feeds, rtol=1e-4, atol=1e-5)
    assert ("Transpose", "ref_permute") in _kinds(core, model)


def test_folded_heads_with_empty_sequence(core) -> None:
    """S = 0 (a softmax over nothing): NaN in every row written through the strides (the
    reference's own numpy softmax cannot reduce an empty axis)."""
    model, feeds = _heads(2, 3, 0, 2, 4, 3, mask=False, seed=5)
    got = core.compile_model(model, "CPU")(feeds)[0]
    assert got.shape == (2, 3 * 2 * 3)
    assert np.isnan(got).all()
    assert not any(t == "Transpose" for t, _ in _kinds(core, model))
