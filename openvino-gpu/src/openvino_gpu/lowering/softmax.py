"""Softmax (v1, v8) and LogSoftmax (``kernels/softmax.cl``): over the last axis one work
group per row, over any other axis one work item per (outer, inner) pair."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import In, Launch, Local, OpContext, Out, Unsupported, register
from .reduction import group_size, normalize_axes

__all__ = ["lower_softmax"]


def _supports(node: Any) -> bool:
    return node.get_output_element_type(0).get_type_name() in ("f32", "f16", "bf16")


@register("Softmax", "LogSoftmax", supports=_supports)
def lower_softmax(op: OpContext) -> list[Launch]:
    x = op.inputs[0]
    if np.dtype(x.dtype).kind != "f":
        raise Unsupported(f"{op.type} of non-float tensors")
    rank = len(x.shape)
    axis = normalize_axes([int(op.attr("axis", 1))], rank, "axis")[0] if rank else 0
    if x.size == 0:
        return []
    if x.size > 2**31 - 1:
        raise Unsupported(f"{op.type} input too large for 32-bit indexing")
    outer = int(np.prod(x.shape[:axis], dtype=np.int64))
    length = int(x.shape[axis]) if rank else 1
    inner = int(np.prod(x.shape[axis + 1:], dtype=np.int64))
    program = op.program("softmax.cl", op.float_options()
                         + (f"-DLOG={int(op.type == 'LogSoftmax')}",))
    if inner == 1:
        ls = group_size(op, length)
        return [Launch(program, "softmax_rows", (outer * ls,), (ls,),
                       (In(0), Out(0), np.int32(length), Local(ls * 4)))]
    rows = outer * inner
    return [Launch(program, "softmax_strided", ((rows + 63) // 64 * 64,), (64,),
                   (In(0), Out(0), np.int32(outer), np.int32(length), np.int32(inner)))]
