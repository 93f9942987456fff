"""openvino.plugin.passes.claim_compressed_weights: the weight decompression chains NNCF
writes become ``CompressedWeights`` whose ``dense()`` equals what the chain computes."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino.plugin.passes import (
    CompressedWeights,
    Graph,
    claim_compressed_weights,
    fold_constants,
)

RNG = np.random.default_rng(7)


def _grouped_model(etype: ov.Type, codes: np.ndarray, zero: np.ndarray | None,
                   scale: np.ndarray, transpose_b: bool = True) -> tuple[ov.Model, np.ndarray]:
    """x[2, K] @ W where W = ((codes - zero) * scale) reshaped [N, K], grouped along K;
    returns the model and the f32 weights the chain computes ([N, K])."""
    n, groups, gs = codes.shape
    x = ops.parameter([2, groups * gs], np.float32, name="x")
    w = ops.convert(ops.constant(codes, etype), ov.Type.f32)
    if zero is not None:
        w = ops.subtract(w, ops.convert(ops.constant(zero, etype), ov.Type.f32))
    w = ops.multiply(w, ops.constant(scale))
    w = ops.reshape(w, ops.constant(np.array([n, groups * gs], np.int64)), False)
    dense = ((codes.astype(np.float32) - (0 if zero is None else zero.astype(np.float32)))
             * scale).reshape(n, groups * gs)
    if not transpose_b:
        w = ops.transpose(w, ops.constant(np.array([1, 0], np.int64)))
        dense = dense.T
    y = ops.matmul(x, w, False, transpose_b)
    y.set_friendly_name("mm")
    return ov.Model([y], [x]), dense


@pytest.mark.parametrize("etype,lo,hi", [(ov.Type.u8, 0, 256), (ov.Type.i8, -128, 128),
                                         (ov.Type.u4, 0, 16), (ov.Type.i4, -8, 8)])
def test_grouped_chain_with_zero_point_is_claimed(etype: ov.Type, lo: int, hi: int) -> None:
    dt = np.int8 if lo < 0 else np.uint8
    codes = RNG.integers(lo, hi, (6, 4, 8)).astype(dt)
    zero = RNG.integers(lo, hi, (6, 4, 1)).astype(dt)
    scale = RNG.uniform(0.01, 0.1, (6, 4, 1)).astype(np.float32)
    model, dense = _grouped_model(etype, codes, zero, scale)
    g = Graph.from_model(model)
    assert claim_compressed_weights(g) == 1
    g.remove_dead()
    assert [op.type for op in g.ops] == ["MatMul"]
    mm = g.ops[0]
    cw = mm.compressed_weights
    assert isinstance(cw, CompressedWeights)
    assert len(mm.inputs) == 1 and mm.inputs[0] is g.inputs[0]
    assert cw.element_type == etype.get_type_name()
    assert (cw.N, cw.K, cw.group_size, cw.groups) == (6, 32, 8, 4)
    assert cw.codes.shape == (6, 32) and cw.codes.dtype == dt
    assert cw.scale.shape == (4, 6) and cw.zero_point.shape == (4, 6)
    np.testing.assert_array_equal(cw.scale, scale[:, :, 0].T)
    np.testing.assert_array_equal(cw.zero_point, zero[:, :, 0].T.astype(np.float32))
    np.testing.assert_allclose(cw.dense(), dense.T, rtol=1e-6)
    assert mm.fused_types == {n: t for n, t in zip(cw.source, [
        "Reshape", "Multiply", "Convert", "Subtract", "Convert"])}
    assert mm.fused == cw.source


def test_per_channel_scale_without_zero_point_and_plain_matmul_layout() -> None:
    codes = RNG.integers(-128, 128, (5, 1, 12)).astype(np.int8)
    scale = RNG.uniform(0.01, 0.1, (5, 1, 1)).astype(np.float32)
    x = ops.parameter([3, 12], np.float32)
    w = ops.multiply(ops.convert(ops.constant(codes.reshape(12, 5).copy(), ov.Type.i8),
                                 ov.Type.f32),
                     ops.constant(scale.reshape(1, 5).copy()))   # [K, N], scale per column
    g = Graph.from_model(ov.Model([ops.matmul(x, w, False, False)], [x]))
    assert claim_compressed_weights(g) == 1
    cw = g.ops[-1].compressed_weights
    assert cw.zero_point is None and cw.group_size == 12 and cw.groups == 1
    expected = codes.reshape(12, 5).astype(np.float32) * scale.reshape(1, 5)
    np.testing.assert_allclose(cw.dense(), expected, rtol=1e-6)


def test_f16_weights_are_claimed_without_scale() -> None:
    w16 = RNG.standard_normal((4, 6)).astype(np.float16)
    x = ops.parameter([2, 4], np.float32)
    w = ops.convert(ops.constant(w16), ov.Type.f32)
    g = Graph.from_model(ov.Model([ops.matmul(x, w, False, False)], [x]))
    assert claim_compressed_weights(g) == 1
    cw = g.ops[-1].compressed_weights
    assert cw.element_type == "f16" and cw.scale is None and cw.zero_point is None
    assert cw.codes.dtype == np.float16 and cw.codes.shape == (6, 4)
    np.testing.assert_array_equal(cw.dense(), w16.astype(np.float32))


def test_what_is_not_a_decompression_chain_is_left_alone() -> None:
    x = ops.parameter([2, 4], np.float32)
    # f32 constant weights: nothing to claim
    dense = ops.matmul(x, ops.constant(np.ones((4, 3), np.float32)), False, False)
    # a runtime value in the chain (codes computed from the input): not claimable
    codes = ops.convert(ops.convert(x, ov.Type.u8), ov.Type.f32)
    runtime = ops.matmul(x, ops.multiply(codes, ops.constant(np.float32(2))), False, True)
    # scales varying inside a group that is not a divisor-aligned run
    q = RNG.integers(0, 255, (3, 4)).astype(np.uint8)
    odd_scale = np.array([[1, 2, 1, 2]], np.float32).repeat(3, 0)
    odd = ops.matmul(x, ops.multiply(ops.convert(ops.constant(q, ov.Type.u8), ov.Type.f32),
                                     ops.constant(odd_scale)), False, True)
    for node, name in ((dense, "dense"), (runtime, "runtime"), (odd, "odd")):
        node.set_friendly_name(name)
    g = Graph.from_model(ov.Model([dense, runtime, odd], [x]))
    # the odd-scale chain still decompresses exactly: a group of 1
    assert claim_compressed_weights(g) == 1
    mms = {op.name: op for op in g.ops if op.type == "MatMul"}
    assert {n: op.compressed_weights is not None for n, op in mms.items()} == {
        "dense": False, "runtime": False, "odd": True}
    assert mms["odd"].compressed_weights.group_size == 1


def test_claim_runs_before_folding_which_would_expand_the_chain() -> None:
    codes = RNG.integers(0, 255, (3, 1, 4)).astype(np.uint8)
    scale = np.full((3, 1, 1), 0.5, np.float32)
    model, _ = _grouped_model(ov.Type.u8, codes, None, scale)
    folded_first = Graph.from_model(model)
    fold_constants(folded_first)
    assert claim_compressed_weights(folded_first) == 0
    claimed = Graph.from_model(model)
    assert claim_compressed_weights(claimed) == 1
    claimed.remove_dead()
    assert fold_constants(claimed) == 0
