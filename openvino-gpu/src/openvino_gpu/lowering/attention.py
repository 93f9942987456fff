"""ScaledDotProductAttention (v13) through ``kernels/attention.cl``: one work group per
query row with an online softmax over the keys; boolean or float masks broadcast over the
batch and both matrix dims, causal masking, batch broadcasting between query, key, value
and mask; the scale a constant (default 1/sqrt(E)) or a tensor read on the device."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import In, Launch, Local, OpContext, Out, Unsupported, register
from .matmul import batch_offsets

__all__ = ["lower_sdpa"]

WG = 64


def _supports(node: Any) -> bool:
    return node.get_output_element_type(0).get_type_name() in ("f32", "f16", "bf16")


@register("ScaledDotProductAttention", supports=_supports)
def lower_sdpa(op: OpContext) -> list[Launch]:
    q, k, v, y = op.inputs[0], op.inputs[1], op.inputs[2], op.outputs[0]
    if any(np.dtype(t.dtype).kind != "f" for t in (q, k, v)):
        raise Unsupported("ScaledDotProductAttention of non-float tensors")
    if min(len(q.shape), len(k.shape), len(v.shape)) < 2:
        raise Unsupported("ScaledDotProductAttention needs rank >= 2 operands")
    L, E = q.shape[-2:]
    S, Ev = v.shape[-2], v.shape[-1]
    if k.shape[-1] != E or k.shape[-2] != S:
        raise Unsupported(f"key {k.shape} does not match query {q.shape} / value {v.shape}")
    causal = bool(op.attr("causal", False))
    mask = op.inputs[3] if len(op.inputs) > 3 else None
    scale = 1.0 / math.sqrt(E) if E else 1.0
    scale_in_buf = False
    if len(op.inputs) > 4:
        if op.inputs[4].const is None:
            if op.inputs[4].size != 1:
                raise Unsupported("ScaledDotProductAttention scale is not a scalar")
            scale_in_buf = True
        else:
            scale = float(np.asarray(op.inputs[4].const).reshape(-1)[0])
    kind, m_ls, m_ss, m_batch, m_size = 0, 0, 0, (), 0
    if causal:
        kind = 3
    elif mask is not None:
        name = mask.element_type.get_type_name()
        kind = 1 if name == "boolean" else 2
        if kind == 2 and np.dtype(mask.dtype).kind != "f":
            raise Unsupported(f"attention mask of type {name}")
        ms = (1,) * max(0, 2 - len(mask.shape)) + tuple(mask.shape)
        ml, mc = ms[-2], ms[-1]
        if ml not in (1, L) or mc not in (1, S):
            raise Unsupported(f"attention mask {mask.shape} does not broadcast to [{L}, {S}]")
        m_ls = mc if ml != 1 else 0
        m_ss = 1 if mc != 1 else 0
        m_batch, m_size = ms[:-2], ml * mc
    batch = tuple(np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2], m_batch))
    if tuple(y.shape) != batch + (L, Ev):
        raise Unsupported(f"output {y.shape} is not {batch + (L, Ev)}")
    if y.size == 0:
        return []
    nb = int(np.prod(batch, dtype=np.int64))
    if S == 0:
        raise Unsupported("ScaledDotProductAttention over no keys")
    ept = max(1, (Ev + WG - 1) // WG)
    options = op.float_options() + (f"-DMASK_KIND={kind}", f"-DEPT={ept}")
    program = op.program("attention.cl", options)
    meta = np.array([L, S, E, Ev, m_ls, m_ss], np.int32)
    m_off = (batch_offsets(batch, m_batch, m_size) if kind in (1, 2)
             else np.zeros(max(nb, 1), np.int32))
    args = (In(0), In(1), In(2), Out(0), In(3) if kind in (1, 2) else In(0),
            op.constant(meta), op.constant(batch_offsets(batch, q.shape[:-2], L * E)),
            op.constant(batch_offsets(batch, k.shape[:-2], S * E)),
            op.constant(batch_offsets(batch, v.shape[:-2], S * Ev)), op.constant(m_off),
            np.float32(scale), In(4) if scale_in_buf else In(0), np.int32(int(scale_in_buf)),
            Local(max(E, 1) * 4))
    return [Launch(program, "sdpa", (nb * L * WG,), (WG,), args)]
