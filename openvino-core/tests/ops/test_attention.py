"""ScaledDotProductAttention (opset13): reference against per-row attention loops (causal,
boolean and additive masks, explicit scale, batch broadcasting), shape inference, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import openvino as ov
from openvino import opset8, opset13
from openvino._ops.attention import ScaledDotProductAttention

RNG = np.random.default_rng(17)


def _param(shape, dtype=np.float32):
    return opset8.parameter(shape, dtype)


def loop_attention(q, k, v, mask=None, scale=None, causal=False):
    """Row by row: scores, masking, softmax with math.exp, weighted sum of value rows."""
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    if mask is not None and not causal and mask.ndim > 2:
        batch = np.broadcast_shapes(batch, mask.shape[:-2])
    L, S, E, Ev = q.shape[-2], k.shape[-2], q.shape[-1], v.shape[-1]
    scale = 1.0 / math.sqrt(E) if scale is None else float(scale)
    qb, kb, vb = (np.broadcast_to(a.astype(np.float64), batch + a.shape[-2:])
                  for a in (q, k, v))
    mb = None
    if mask is not None and not causal:
        mb = np.broadcast_to(mask, batch + (L, S))
    out = np.zeros(batch + (L, Ev))
    for idx in np.ndindex(*batch):
        for i in range(L):
            scores = []
            for j in range(S):
                s = sum(qb[idx + (i, e)] * kb[idx + (j, e)] for e in range(E)) * scale
                if causal and j > i:
                    s = -math.inf
                elif mb is not None:
                    m = mb[idx + (i, j)]
                    s = (s if m else -math.inf) if mb.dtype == bool else s + float(m)
                scores.append(s)
            top = max(scores)
            w = [math.exp(s - top) for s in scores]
            total = sum(w)
            for c in range(Ev):
                out[idx + (i, c)] = sum(w[j] * vb[idx + (j, c)] for j in range(S)) / total
    return out


def _run(q, k, v, mask=None, scale=None, causal=False):
    args = [_param(q.shape, q.dtype), _param(k.shape, k.dtype), _param(v.shape, v.dtype)]
    node = opset13.scaled_dot_product_attention(
        *args, attention_mask=None if mask is None else _param(mask.shape, mask.dtype),
        scale=None if scale is None else _param([], q.dtype), causal=causal)
    values = [q, k, v]
    if mask is not None:
        values.append(mask)
    elif scale is not None:
        values.append(np.zeros((), q.dtype))
    if scale is not None:
        values.append(np.array(scale, q.dtype))
    return node, node.reference(*values)


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("causal", [False, True])
def test_sdpa_matches_loops(dtype, causal):
    q = RNG.standard_normal((2, 3, 4, 8)).astype(dtype)
    k = RNG.standard_normal((2, 3, 5, 8)).astype(dtype)
    v = RNG.standard_normal((2, 3, 5, 6)).astype(dtype)
    node, got = _run(q, k, v, causal=causal)
    assert isinstance(node, ScaledDotProductAttention)
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 3, 4, 6])
    assert got.dtype == np.dtype(dtype)
    tol = 1e-2 if dtype == np.float16 else 1e-5
    np.testing.assert_allclose(got.astype(np.float64), loop_attention(q, k, v, causal=causal),
                               rtol=tol, atol=tol)


def test_sdpa_masks_and_scale():
    q = RNG.standard_normal((2, 4, 8)).astype(np.float32)
    k = RNG.standard_normal((2, 6, 8)).astype(np.float32)
    v = RNG.standard_normal((2, 6, 3)).astype(np.float32)
    bool_mask = RNG.random((2, 1, 6)) > 0.3
    bool_mask[..., 0] = True  # no fully masked rows
    _, got = _run(q, k, v, mask=bool_mask)
    np.testing.assert_allclose(got, loop_attention(q, k, v, mask=bool_mask), rtol=1e-5,
                               atol=1e-5)
    add_mask = RNG.standard_normal((4, 6)).astype(np.float32)
    node, got = _run(q, k, v, mask=add_mask, scale=0.3)
    assert node.get_input_size() == 5
    np.testing.assert_allclose(got, loop_attention(q, k, v, mask=add_mask, scale=0.3),
                               rtol=1e-5, atol=1e-5)
    # a scale without a mask gets a zero scalar mask in its place
    node, got = _run(q, k, v, scale=2.0)
    assert node.get_input_size() == 5
    np.testing.assert_allclose(got, loop_attention(q, k, v, scale=2.0), rtol=1e-5, atol=1e-5)
    # causal ignores the mask
    node, got = _run(q, k, v, mask=add_mask, causal=True)
    np.testing.assert_allclose(got, loop_attention(q, k, v, causal=True), rtol=1e-5, atol=1e-5)


def test_sdpa_batch_broadcasting():
    q = RNG.standard_normal((1, 3, 2, 4)).astype(np.float32)
    k = RNG.standard_normal((2, 1, 5, 4)).astype(np.float32)
    v = RNG.standard_normal((2, 3, 5, 2)).astype(np.float32)
    node, got = _run(q, k, v)
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 3, 2, 2])
    np.testing.assert_allclose(got, loop_attention(q, k, v), rtol=1e-5, atol=1e-5)


def test_sdpa_shape_inference_dynamic():
    node = opset13.scaled_dot_product_attention(_param([-1, 8, -1, 64]), _param([-1, 8, -1, 64]),
                                                _param([-1, 8, -1, 32]), causal=True)
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 8, -1, 32])
    node = opset13.scaled_dot_product_attention(_param([1, (1, 16), 80]), _param([1, -1, 80]),
                                                _param([1, -1, 80]), _param([1, -1, -1]))
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, (1, 16), 80])
    node = opset13.scaled_dot_product_attention(_param(ov.PartialShape.dynamic()),
                                                _param([1, 4, 8]), _param([1, 4, 8]))
    assert node.get_output_partial_shape(0) == ov.PartialShape.dynamic()
    assert node._ir_attributes() == {"causal": "false"}


def test_sdpa_invalid_arguments():
    with pytest.raises(RuntimeError, match="Embedding"):
        opset13.scaled_dot_product_attention(_param([1, 4, 8]), _param([1, 5, 7]),
                                             _param([1, 5, 3]))
    with pytest.raises(RuntimeError, match="Source sequence"):
        opset13.scaled_dot_product_attention(_param([1, 4, 8]), _param([1, 5, 8]),
                                             _param([1, 6, 3]))
    with pytest.raises(RuntimeError, match="rank of at least 3"):
        opset13.scaled_dot_product_attention(_param([4, 8]), _param([5, 8]), _param([5, 3]))
    with pytest.raises(RuntimeError, match="floating-point"):
        opset13.scaled_dot_product_attention(_param([1, 4, 8], np.int32),
                                             _param([1, 5, 8], np.int32),
                                             _param([1, 5, 3], np.int32))
    with pytest.raises(RuntimeError, match="attention_mask"):
        opset13.scaled_dot_product_attention(_param([1, 4, 8]), _param([1, 5, 8]),
                                             _param([1, 5, 3]), _param([1, 4, 5], np.int32))
    with pytest.raises(RuntimeError, match="source length"):
        opset13.scaled_dot_product_attention(_param([1, 4, 8]), _param([1, 5, 8]),
                                             _param([1, 5, 3]), _param([1, 4, 6]))
    with pytest.raises(RuntimeError, match="scalar"):
        opset13.scaled_dot_product_attention(_param([1, 4, 8]), _param([1, 5, 8]),
                                             _param([1, 5, 3]), _param([1, 4, 5]),
                                             _param([2]))
