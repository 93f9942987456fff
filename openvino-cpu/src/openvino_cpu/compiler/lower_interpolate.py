"""Lowering of Interpolate (v1, v4, v11) to ``OV_K_INTERP`` passes (``kernels/interpolate.c``).

The per-axis tables come from the plugin SDK (``openvino.plugin.interpolate``): the ones
core's reference resamples with. Each table becomes one step over the tensor viewed as
``[outer][in_len][inner]``. Nearest passes gather elements of any type. The weighted modes
run f32 data in f32 (passes reordered to keep the intermediates small); f16, f64 and
integer data (v4/v11's types) as the reference computes them: f64 with f64 weights, the
passes in the reference's order, f64 intermediates (the data's own type where the Pillow
modes store every pass of integer data), integers stored rounded to nearest, ties to even,
and saturated.
"""

from __future__ import annotations

import numpy as np

from openvino import Type
from openvino.plugin.interpolate import interpolate_tables
from openvino.plugin.passes import Op, Value

from .._native import lib
from .lowering import Lowering, handler
from .steps import aligned

__all__: list[str] = []

#: Kernel codes of the element types weighted passes read and write.
_TYPE_CODES = {Type.f32: 1, Type.u8: 2, Type.i8: 3, Type.f16: 4, Type.i32: 5, Type.i64: 6,
               Type.f64: 7}
_MAX_TAPS = 4096


@handler("Interpolate")
def lower_interpolate(lw: Lowering, op: Op) -> bool:
    x, y = op.inputs[0], op.outputs[0]
    if op.post_ops or op.node is None or x.type != y.type or x.dtype.kind not in "biuf":
        return False
    try:
        plan = interpolate_tables(op.node, x.shape, y.shape,
                                  [v.const for v in op.inputs[1:]])
    except ValueError:
        return False
    gather = plan.mode == "nearest"
    if not gather and x.type not in _TYPE_CODES:
        return False
    if plan.store_each_pass and x.type in (Type.i32, Type.i64):
        return False  # the reference stores each Pillow pass through f32: its own rounding
    if any(t.taps > _MAX_TAPS for t in plan.tables):
        return False
    if not plan.tables:  # every element stays where it is
        return lw.view(y, x)
    tables = plan.tables
    fast = x.type == Type.f32  # f32 arithmetic, any pass order
    integral = x.dtype.kind in "iu"
    if fast and not plan.store_each_pass:
        # the passes commute (up to f32 rounding): shrinking ones first, and of equal growth
        # the innermost axis (a gather pass) first, on the smaller tensor
        tables = sorted(tables, key=lambda t: (t.out_len / max(t.in_len, 1), -t.axis))
    shape = list(x.shape)
    src: Value = x
    for k, t in enumerate(tables):
        last = k == len(tables) - 1
        shape[t.axis] = t.out_len
        if last:
            dst = y
        elif gather or (plan.store_each_pass and (fast or integral)):
            dst = lw.graph.new_value(x.type, tuple(shape))
        else:
            dst = lw.graph.new_value(Type.f32 if fast else Type.f64, tuple(shape))
        _pass(lw, op, src, dst, t, gather)
        src = dst
    return True


def _pass(lw: Lowering, op: Op, src: Value, dst: Value, table, gather: bool) -> None:
    """One step: ``table`` applied along its axis from ``src`` to ``dst``."""
    axis = table.axis
    outer = int(np.prod(src.shape[:axis], dtype=np.int64))
    inner = int(np.prod(src.shape[axis + 1:], dtype=np.int64))
    taps = table.taps
    name = "gather" if gather else str(src.type.get_type_name())
    s = lw.step(lib.OV_K_INTERP, op, f"jit_interpolate_{name}")
    lw.operand(s, src)
    lw.operand(s, dst, write=True)
    index = table.index
    if gather and taps == 0:  # an empty source axis: every output reads a zero
        index, taps = np.full((table.out_len, 1), -1), 1
    index = aligned(np.ascontiguousarray(index.T, dtype=np.int32))
    s.add(index, 0, 0, index.nbytes)
    if gather:
        s.add(np.zeros(1, np.float32), 0, 0, 0)
    else:
        weight = table.weight if table.weight is not None else np.ones(table.index.shape)
        wtype = np.float32 if src.type == dst.type == Type.f32 else np.float64
        weight = aligned(np.ascontiguousarray(weight.T, dtype=wtype))
        s.add(weight, 0, 0, weight.nbytes)
    s.p = [outer, table.in_len, inner, table.out_len, taps,
           _TYPE_CODES.get(src.type, 0), _TYPE_CODES.get(dst.type, 0),
           int(src.dtype.itemsize), 1 if gather else 0,
           0 if gather else int(weight.dtype.itemsize)]
