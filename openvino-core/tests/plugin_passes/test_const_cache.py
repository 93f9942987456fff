"""openvino.plugin.passes.ConstantCache: what the passes derive from a model's constants is
made once per cache, and the graphs of one dynamic model compiled for several shapes get
the same arrays."""

from __future__ import annotations

import numpy as np

import openvino as ov
import openvino.opset13 as ops
from openvino.plugin.passes import ConstantCache, prepare_graph

RNG = np.random.default_rng(3)


def test_get_makes_once_per_sources_and_params() -> None:
    cache = ConstantCache()
    a, b = np.arange(4.0), np.arange(4.0)
    calls = []

    def make(x: np.ndarray, k: int):
        calls.append(k)
        return x * k

    first = cache.get("scaled", (a,), 2, lambda: make(a, 2))
    assert cache.get("scaled", (a,), 2, lambda: make(a, 2)) is first
    # equal content but another array, other params, another kind: made anew
    assert cache.get("scaled", (b,), 2, lambda: make(b, 2)) is not first
    cache.get("scaled", (a,), 3, lambda: make(a, 3))
    cache.get("other", (a,), 2, lambda: make(a, 2))
    assert calls == [2, 2, 3, 2]
    assert (cache.hits, cache.misses, len(cache)) == (1, 4, 4)


def test_sweep_keeps_what_the_last_compile_used() -> None:
    cache = ConstantCache()
    kept, dropped = np.ones(3), np.zeros(3)
    cache.get("k", (kept,), (), lambda: 1)
    cache.get("k", (dropped,), (), lambda: 2)
    assert cache.sweep() == 0  # everything was used since the last sweep
    cache.get("k", (kept,), (), lambda: 3)
    assert cache.sweep() == 1
    assert len(cache) == 1 and cache.get("k", (kept,), (), lambda: 4) == 1
    cache.clear()
    assert len(cache) == 0


def _dynamic_model() -> ov.Model:
    """x[?, 32] @ dequantized u4 weights, + (f16 bias converted to f32), folded."""
    x = ops.parameter([-1, 32], np.float32)
    codes = RNG.integers(0, 16, (24, 2, 16)).astype(np.uint8)
    w = ops.convert(ops.constant(codes, ov.Type.u4), ov.Type.f32)
    w = ops.multiply(w, ops.constant((RNG.random((24, 2, 1)) / 8).astype(np.float32)))
    w = ops.reshape(w, ops.constant(np.array([24, 32], np.int64)), False)
    bias = ops.convert(ops.constant(RNG.random(24).astype(np.float16)), ov.Type.f32)
    return ov.Model([ops.add(ops.matmul(x, w, False, True), bias)], [x])


def test_graphs_for_several_shapes_share_derived_arrays() -> None:
    model = _dynamic_model()
    cache = ConstantCache()
    graphs = [prepare_graph(model, [(m, 32)], fuse=False, cache=cache) for m in (1, 5, 9)]
    mms = [next(op for op in g.ops if op.type == "MatMul") for g in graphs]
    qws = [op.compressed_weights for op in mms]
    assert all(q is not None for q in qws)
    assert all(q.codes is qws[0].codes and q.scale is qws[0].scale for q in qws)
    assert all(q.source == qws[0].source for q in qws)
    biases = [[v.const for op in g.ops for v in op.inputs if v.is_const and v.shape == (24,)]
              for g in graphs]
    assert biases[0] and all(b[0] is biases[0][0] for b in biases)
    # the same numbers as without a cache
    plain = prepare_graph(model, [(5, 32)], fuse=False)
    qp = next(op for op in plain.ops if op.type == "MatMul").compressed_weights
    np.testing.assert_array_equal(qp.dense(), qws[1].dense())
    assert graphs[1].ops[0].outputs[0].shape == (5, 24)
