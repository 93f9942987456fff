"""Attention written as ops: ``MatMul(q, k^T)`` [times a scalar] [+ mask] -> ``Softmax``
over the last axis -> ``MatMul(., v)``, as exported encoders (BERT, MiniLM) and NNCF's IRs
carry it. The chain runs as one fused attention step (``kernels/attention.c``), so the
score matrix of a whole batch is never written: ``match_attention`` finds the chains before
lowering; the second MatMul's handler lowers each one, and the other ops of the chain
produce no step of their own. The head split Transposes that make q, k and v ([B, S, H, D]
-> [B, H, S, D]) and the head merge Transpose of the result are folded too: the step reads
and writes those tensors in place through strides."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openvino import Type
from openvino.plugin.passes import Graph, Op, Value, binary_function

from .steps import contiguous_strides

__all__ = ["AttentionChain", "StridedView", "match_attention"]

#: a tensor seen in another buffer: that buffer and the strides (elements) of each dim
StridedView = tuple[Value, tuple[int, ...]]


@dataclass
class AttentionChain:
    """One matched chain: ``out = softmax(q k^T * scale + mask) v``."""

    scores: Op            # MatMul(q, k, transpose_b)
    mask_add: Op | None   # Add(scores, mask)
    softmax: Op
    context: Op           # MatMul(probabilities, v): where the fused step runs
    q: Value
    k: Value
    v: Value
    mask: Value | None
    scale: float
    folded: list[Op]      # the Transposes read / written in place
    views: dict[int, StridedView]  # by id() of q, k, v, out

    @property
    def absorbed(self) -> list[Op]:
        return [op for op in (self.scores, self.mask_add, self.softmax) if op is not None] \
            + self.folded


def _only_consumer(v: Value) -> Op | None:
    if v.is_output or len(v.consumers) != 1:
        return None
    return v.consumers[0]


def _transpose_order(op: Op | None) -> list[int] | None:
    """The order of a plain f32 Transpose that keeps the last axis last, else None."""
    if op is None or op.type != "Transpose" or op.post_ops or len(op.inputs) != 2:
        return None
    x, order_v = op.inputs
    y = op.outputs[0]
    if not order_v.is_const or not _f32(x, y):
        return None
    rank = len(x.shape)
    order = [int(d) for d in np.asarray(order_v.const).reshape(-1)]
    order = [d + rank if d < 0 else d for d in order] or list(range(rank - 1, -1, -1))
    if rank < 2 or sorted(order) != list(range(rank)) or order[-1] != rank - 1:
        return None
    if tuple(x.shape[d] for d in order) != y.shape:
        return None
    return order


def _fold_input(v: Value, user: Op) -> tuple[Op, StridedView] | None:
    """``v`` made by a Transpose read only by ``user``: that Transpose and its input seen
    as ``v``."""
    t = v.producer
    order = _transpose_order(t)
    if order is None or _only_consumer(v) is not user:
        return None
    x = t.inputs[0]
    src = contiguous_strides(x.shape)
    return t, (x, tuple(src[d] for d in order))


def _fold_output(y: Value) -> tuple[Op, StridedView] | None:
    """``y`` read only by a Transpose: that Transpose and its output seen as ``y``."""
    t = _only_consumer(y)
    order = _transpose_order(t)
    if order is None or t.inputs[0] is not y:
        return None
    out = t.outputs[0]
    dst = contiguous_strides(out.shape)
    strides = [0] * len(order)
    for j, axis in enumerate(order):
        strides[axis] = dst[j]
    return t, (out, tuple(strides))


def _f32(*values: Value) -> bool:
    return all(v.type == Type.f32 for v in values)


def _broadcasts_to(small: tuple[int, ...], big: tuple[int, ...]) -> bool:
    if len(small) > len(big):
        return False
    return all(s in (1, b) for s, b in zip(small[::-1], big[::-1]))


def _scale_and_mask(op: Op) -> tuple[float, Value | None] | None:
    """The scalar the scores are multiplied by and a mask added last, from the post ops of
    the first MatMul (fusion may have absorbed them), or None when they are anything
    else."""
    scale, mask = 1.0, None
    for i, step in enumerate(op.post_ops):
        operand = step.operand
        if operand is None:
            return None
        if step.function == "add" and i == len(op.post_ops) - 1 and operand.size != 1:
            mask = operand
            continue
        if not operand.is_const or operand.size != 1:
            return None
        c = float(np.asarray(operand.const, np.float64).reshape(-1)[0])
        if step.function == "multiply":
            scale *= c
        elif step.function == "divide" and not step.swap and c != 0.0:
            scale /= c
        else:
            return None
    return scale, mask


def _match(mm2: Op) -> AttentionChain | None:
    if mm2.type != "MatMul" or mm2.post_ops or mm2.compressed_weights is not None:
        return None
    if mm2.attr("transpose_a") or mm2.attr("transpose_b") or len(mm2.inputs) != 2:
        return None
    probs, v = mm2.inputs
    softmax = probs.producer
    if softmax is None or softmax.type != "Softmax" or softmax.post_ops:
        return None
    if _only_consumer(probs) is not mm2:
        return None
    x = softmax.inputs[0]
    axis = int(softmax.attr("axis", -1))
    if axis not in (-1, len(x.shape) - 1):
        return None
    if _only_consumer(x) is not softmax:
        return None
    mask_add, mask = None, None
    prod = x.producer
    if prod is not None and prod.type == "Add" and not prod.post_ops \
            and binary_function(prod) == "add":
        a, b = prod.inputs
        scores_v, mask = (a, b) if a.producer is not None and a.producer.type == "MatMul" \
            else (b, a)
        if _only_consumer(scores_v) is not prod:
            return None
        mask_add, prod = prod, scores_v.producer
    scores = prod
    if scores is None or scores.type != "MatMul" or scores.compressed_weights is not None:
        return None
    if scores.attr("transpose_a") or not scores.attr("transpose_b"):
        return None
    q, k = scores.inputs
    found = _scale_and_mask(scores)
    if found is None:
        return None
    scale, fused_mask = found
    if fused_mask is not None:
        if mask is not None:
            return None
        mask = fused_mask
    out = mm2.outputs[0]
    if not _f32(q, k, v, out, x, probs) or (mask is not None and not _f32(mask)):
        return None
    if min(len(q.shape), len(k.shape), len(v.shape)) < 3 or len(out.shape) != len(q.shape):
        return None
    L, E = q.shape[-2:]
    S = k.shape[-2]
    if k.shape[-1] != E or v.shape[-2] != S or x.shape[-2:] != (L, S):
        return None
    batch = out.shape[:-2]
    if len(batch) > 4 or q.shape[:-2] != batch or out.shape[-2] != L:
        return None
    if not _broadcasts_to(k.shape[:-2], batch) or not _broadcasts_to(v.shape[:-2], batch):
        return None
    if mask is not None and not _broadcasts_to(mask.shape, x.shape):
        return None
    folded: list[Op] = []
    views: dict[int, StridedView] = {}
    for val, user in ((q, scores), (k, scores), (v, mm2)):
        found_in = _fold_input(val, user) if q is not k else None
        if found_in is not None:
            folded.append(found_in[0])
            views[id(val)] = found_in[1]
    found_out = _fold_output(out)
    if found_out is not None:
        folded.append(found_out[0])
        views[id(out)] = found_out[1]
    return AttentionChain(scores, mask_add, softmax, mm2, q, k, v, mask, scale, folded, views)


def match_attention(graph: Graph) -> dict[int, AttentionChain]:
    """The attention chains of ``graph`` by ``id()`` of their second MatMul."""
    found = {}
    for op in graph.ops:
        if op.type == "MatMul":
            chain = _match(op)
            if chain is not None:
                found[id(op)] = chain
    return found
