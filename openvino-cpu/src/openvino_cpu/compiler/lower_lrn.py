"""Lowering of LRN (local response normalization) to the ``OV_K_LRN`` kernel
(``kernels/lrn.c``): f32 data, constant axes, any number of them."""

from __future__ import annotations

import numpy as np

from openvino import Type
from openvino.plugin.passes import Op

from .._native import lib
from .lowering import Lowering, handler
from .support import is_f32

__all__: list[str] = []


@handler("LRN")
def lower_lrn(lw: Lowering, op: Op) -> bool:
    x, y = op.inputs[0], op.outputs[0]
    if not is_f32(x, y) or op.post_ops:
        return False
    rank = len(x.shape)
    if len(op.inputs) > 1:
        axes_value = op.inputs[1]
        if not axes_value.is_const:
            return False
        raw = [int(a) for a in np.asarray(axes_value.const).reshape(-1)]
    else:
        raw = [1]
    if any(not -rank <= a < rank for a in raw):
        return False
    axes = sorted({a + rank if a < 0 else a for a in raw})
    if len(axes) > 8:
        return False
    size = int(op.attr("size"))
    scale = float(op.attr("alpha")) / float(size) ** len(raw)
    shape = tuple(int(d) for d in x.shape)
    n = int(np.prod(shape, dtype=np.int64))
    s = lw.step(lib.OV_K_LRN, op, "jit_lrn_f32")
    lw.operand(s, x)
    lw.operand(s, y, write=True)
    if len(axes) >= 2 and n:
        lw.operand(s, lw.graph.new_value(Type.f32, (n,)), write=True)
    else:
        s.add(np.zeros(1, np.float32), 0, 0, 0)
    s.p = [len(axes), n, (size - 1) // 2]
    for a in axes:
        s.p += [int(np.prod(shape[:a], dtype=np.int64)), shape[a],
                int(np.prod(shape[a + 1:], dtype=np.int64))]
    s.f = [scale, float(op.attr("bias")), float(op.attr("beta"))]
    return True
