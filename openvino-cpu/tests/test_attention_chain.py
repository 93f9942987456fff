"""Attention written as ops (MatMul(q, k^T) [* scale] [+ mask] -> Softmax -> MatMul(., v),
as BERT-like IRs carry it) runs as one fused attention step (``compiler/attention.py``,
``kernels/attention.c``): against the TEMPLATE reference on random and odd geometry, mask
broadcasts, a divided scale, unaligned inputs, on the AVX2 and the AVX-512 paths; chains
that differ (a score read elsewhere, softmax over another axis, the mask added before the
scale) keep their separate ops and the same results."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset13 as ops


def _chain(batch, L, S, E, Ev, mask_shape, scale="mul", seed=0, order="scale_mask",
           axis=-1, scores_out=False):
    rng = np.random.default_rng(seed)
    q = ops.parameter(list(batch) + [L, E], np.float32)
    k = ops.parameter(list(batch) + [S, E], np.float32)
    v = ops.parameter(list(batch) + [S, Ev], np.float32)
    params = [q, k, v]
    feeds = [rng.standard_normal(list(batch) + [L, E]).astype(np.float32),
             rng.standard_normal(list(batch) + [S, E]).astype(np.float32),
             rng.standard_normal(list(batch) + [S, Ev]).astype(np.float32)]
    scores = ops.matmul(q, k, False, True)
    first = scores

    def scaled(x):
        if scale == "mul":
            return ops.multiply(x, ops.constant(np.float32(1 / np.sqrt(max(E, 1)))))
        if scale == "div":
            return ops.divide(x, ops.constant(np.float32(np.sqrt(max(E, 1)))))
        return x

    def masked(x):
        if mask_shape is None:
            return x
        m = ops.parameter(mask_shape, np.float32)
        params.append(m)
        feeds.append(np.where(rng.random(mask_shape) < 0.2, -10000.0,
                              rng.uniform(-1, 0, mask_shape)).astype(np.float32))
        return ops.add(x, m)

    scores = masked(scaled(scores)) if order == "scale_mask" else scaled(masked(scores))
    y = ops.matmul(ops.softmax(scores, axis), v, False, False)
    outs = [y, first] if scores_out else [y]
    return ov.Model(outs, params), [unaligned(f) for f in feeds]


def _kinds(core, model):
    return [(i.type, i.exec_type) for i in plan_of(core.compile_model(model, "CPU")).info]


@pytest.mark.parametrize("batch,L,S,E,Ev,mask", [
    ([4, 12], 128, 128, 32, 32, [4, 1, 1, 128]),   # MiniLM's
    ([2, 3], 7, 13, 5, 3, [2, 1, 7, 13]),
    ([1], 1, 1, 1, 1, None),
    ([2, 1, 3], 33, 70, 16, 9, [70]),
    ([1, 2], 50, 600, 8, 4, [1, 1, 50, 600]),
])
@pytest.mark.parametrize("scale", ["mul", "div", "none"])
def test_chain_fused(runner, core, isa_level, batch, L, S, E, Ev, mask, scale) -> None:
    model, feeds = _chain(batch, L, S, E, Ev, mask, scale, seed=L + S)
    runner.check(model, feeds, rtol=1e-4, atol=1e-5)
    kinds = _kinds(core, model)
    assert ("MatMul", "jit_sdpa_f32") in kinds
    assert not any(t == "Softmax" for t, _ in kinds), kinds


@pytest.mark.parametrize("seed", range(6))
def test_chain_random_geometry(runner, core, isa_level, seed) -> None:
    rng = np.random.default_rng(300 + seed)
    batch = [int(rng.integers(1, 4)) for _ in range(int(rng.integers(1, 4)))]
    L, S = int(rng.integers(1, 60)), int(rng.integers(1, 200))
    E, Ev = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    mask = [None, [S], [L, S], [batch[0]] + [1] * (len(batch) - 1) + [1, S]][seed % 4]
    model, feeds = _chain(batch, L, S, E, Ev, mask, ["mul", "div", "none"][seed % 3],
                          seed=seed)
    runner.check(model, feeds, rtol=1e-4, atol=1e-5)
    assert ("MatMul", "jit_sdpa_f32") in _kinds(core, model)


@pytest.mark.parametrize("variant", ["scores_output", "other_axis", "mask_before_scale"])
def test_other_chains_keep_their_ops(runner, core, variant) -> None:
    model, feeds = _chain([2, 3], 9, 9, 4, 5, [2, 1, 1, 9], "mul", seed=5,
                          order="mask_scale" if variant == "mask_before_scale"
                          else "scale_mask",
                          axis=-2 if variant == "other_axis" else -1,
                          scores_out=variant == "scores_output")
    runner.check(model, feeds, rtol=1e-4, atol=1e-5)
    assert ("MatMul", "jit_sdpa_f32") not in _kinds(core, model)


def test_chain_with_empty_batch(core) -> None:
    q = ops.parameter([-1, 2, 4, 8], np.float32)
    k = ops.parameter([-1, 2, 4, 8], np.float32)
    v = ops.parameter([-1, 2, 4, 3], np.float32)
    y = ops.matmul(ops.softmax(ops.matmul(q, k, False, True), -1), v, False, False)
    compiled = core.compile_model(ov.Model([y], [q, k, v]), "CPU")
    empty = np.zeros((0, 2, 4, 8), np.float32)
    out = compiled([empty, empty, np.zeros((0, 2, 4, 3), np.float32)])[0]
    assert out.shape == (0, 2, 4, 3)


def test_minilm_profile_names_the_absorbed_ops(core) -> None:
    model, feeds = _chain([1, 2], 4, 4, 8, 8, [1, 1, 1, 4], "mul", seed=1)
    compiled = core.compile_model(model, "CPU", {"PERF_COUNT": True})
    request = compiled.create_infer_request()
    request.infer(feeds)
    types = {i.node_type for i in request.get_profiling_info()}
    assert "Softmax" in types  # reported (as part of the fused step), not run on its own
