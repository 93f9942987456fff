"""Lowering of TopK (v1, v3, v11) on f32 data with a constant k to the ``OV_K_TOPK`` kernel
(``kernels/topk.c``): values and i32 / i64 indices in the reference's order."""

from __future__ import annotations

import numpy as np

from openvino import Type
from openvino.plugin.passes import Op

from .._native import lib
from .lowering import Lowering, handler
from .support import is_f32

__all__: list[str] = []


@handler("TopK")
def lower_topk(lw: Lowering, op: Op) -> bool:
    x, kv = op.inputs[:2]
    if not is_f32(x) or not kv.is_const or len(op.outputs) != 2:
        return False
    vals, idx = op.outputs
    if not is_f32(vals) or idx.type not in (Type.i32, Type.i64) or op.post_ops:
        return False
    rank = len(x.shape)
    if rank == 0:
        return False
    axis = int(op.attr("axis"))
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis < rank:
        return False
    k_req = int(np.asarray(kv.const).reshape(-1)[0])
    n = int(x.shape[axis])
    k = int(vals.shape[axis])
    if k_req < 0 or k != min(k_req, n) or tuple(idx.shape) != tuple(vals.shape):
        return False
    if n * 16 > int(lib.ov_scratch_bytes()):
        return False
    sort = str(op.attr("sort")).lower()
    mode = str(op.attr("mode")).lower()
    if mode not in ("max", "min") or sort not in ("value", "index", "none"):
        return False
    s = lw.step(lib.OV_K_TOPK, op, "jit_topk_f32")
    lw.operand(s, x)
    lw.operand(s, vals, write=True)
    lw.operand(s, idx, write=True)
    outer = int(np.prod(x.shape[:axis], dtype=np.int64))
    inner = int(np.prod(x.shape[axis + 1:], dtype=np.int64))
    s.p = [outer, n, inner, k, 0 if mode == "max" else 1, 1 if sort == "index" else 0,
           4 if idx.type == Type.i32 else 8]
    return True
