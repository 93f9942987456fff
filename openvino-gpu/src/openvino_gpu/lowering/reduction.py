"""Reductions (``kernels/reduce.cl``): ReduceSum/Mean/Prod/Max/Min/L1/L2 and
ReduceLogicalAnd/Or over constant axes, on float and integer tensors; CumSum
(``kernels/cumsum.cl``). Innermost reduced
axes run one work group per output (``reduce_rows``); any other set of axes runs one work
item per output (``reduce_nd``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import In, Launch, Local, OpContext, Out, Unsupported, register

__all__ = ["block_view", "normalize_axes", "group_size", "lower_reduce", "lower_cumsum"]

CODES = {"ReduceSum": 1, "ReduceMean": 2, "ReduceProd": 3, "ReduceMax": 4, "ReduceMin": 5,
         "ReduceL1": 6, "ReduceL2": 7, "ReduceLogicalAnd": 8, "ReduceLogicalOr": 9}
INT_TYPES = {"i8": "char", "u8": "uchar", "i16": "short", "u16": "ushort", "i32": "int",
             "u32": "uint", "i64": "long", "boolean": "uchar"}
FLOATS = ("f32", "f16", "bf16")
MAXR = 8


def normalize_axes(axes: Any, rank: int, what: str = "axes") -> list[int]:
    out = []
    for a in np.asarray(axes).reshape(-1).tolist():
        a = int(a)
        if a < 0:
            a += rank
        if not 0 <= a < max(rank, 1):
            raise Unsupported(f"{what} {axes} out of range for rank {rank}")
        if a not in out:
            out.append(a)
    return sorted(out)


def block_view(shape: Sequence[int], axes: Sequence[int]) -> tuple[int, int, int] | None:
    """``(outer, L, inner)`` when ``axes`` (sorted) are one contiguous block of dims
    (dims of size 1 between them do not matter), else None."""
    axes = sorted(axes)
    if not axes:
        return int(np.prod(shape, dtype=np.int64)), 1, 1
    real = [a for a in axes if shape[a] != 1] or axes[:1]
    lo, hi = real[0], real[-1]
    if any(a not in axes and shape[a] != 1 for a in range(lo, hi + 1)):
        return None
    outer = int(np.prod(shape[:lo], dtype=np.int64))
    length = int(np.prod(shape[lo:hi + 1], dtype=np.int64))
    inner = int(np.prod(shape[hi + 1:], dtype=np.int64))
    return outer, length, inner


def group_size(op: OpContext, length: int) -> int:
    """A power-of-two work-group size for a row of ``length`` elements."""
    limit = min(op.device.max_work_group_size, 256)
    size = 1
    while size * 2 <= limit and size < length:
        size *= 2
    return size


def _type_options(spec: Any) -> tuple[str, ...]:
    name = spec.element_type.get_type_name()
    if name in FLOATS:
        return ("-DIS_FLOAT=1",)
    if name in INT_TYPES:
        info = np.iinfo(spec.dtype) if name != "boolean" else np.iinfo(np.uint8)
        return ("-DIS_FLOAT=0", f"-DDT={INT_TYPES[name]}", f"-DDT_MIN=({int(info.min)}L)",
                f"-DDT_MAX=({int(info.max)}L)")
    raise Unsupported(f"reduction of {name} tensors")


def _supports(node: Any) -> bool:
    name = node.get_input_element_type(0).get_type_name()
    return name in FLOATS or name in INT_TYPES


@register(*CODES, supports=_supports)
def lower_reduce(op: OpContext) -> list[Launch]:
    x, y = op.inputs[0], op.outputs[0]
    if op.inputs[1].const is None:
        raise Unsupported(f"{op.type} with non-constant axes")
    rank = len(x.shape)
    axes = normalize_axes(op.inputs[1].const, rank)
    if y.size == 0:
        return []
    if x.size > 2**31 - 1:
        raise Unsupported(f"{op.type} input too large for 32-bit indexing")
    options = op.float_options() + _type_options(x) + (f"-DOP={CODES[op.type]}",)
    program = op.program("reduce.cl", options)
    view = block_view(x.shape, axes)
    if view is not None and view[2] == 1 and view[1] > 1:
        outer, length, _ = view
        ls = group_size(op, length)
        return [Launch(program, "reduce_rows", (outer * ls,), (ls,),
                       (In(0), Out(0), np.int32(length), Local(ls * 8)))]
    strides = [int(np.prod(x.shape[d + 1:], dtype=np.int64)) for d in range(rank)]
    kept = [d for d in range(rank) if d not in axes and x.shape[d] != 1]
    red = [d for d in axes if x.shape[d] != 1]
    if len(kept) > MAXR or len(red) > MAXR:
        raise Unsupported(f"{op.type} over more than {MAXR} dims")
    meta = np.zeros(2 + 4 * MAXR, np.int32)
    meta[0] = len(kept)
    meta[1:1 + len(kept)] = [x.shape[d] for d in kept]
    meta[9:9 + len(kept)] = [strides[d] for d in kept]
    meta[17] = len(red)
    meta[18:18 + len(red)] = [x.shape[d] for d in red]
    meta[26:26 + len(red)] = [strides[d] for d in red]
    count = int(np.prod([x.shape[d] for d in axes], dtype=np.int64))
    n = y.size
    gs = (n + 63) // 64 * 64
    return [Launch(program, "reduce_nd", (gs,), (64,),
                   (In(0), Out(0), op.constant(meta), np.int32(n), np.int32(count)))]


@register("CumSum", supports=_supports)
def lower_cumsum(op: OpContext) -> list[Launch]:
    """CumSum through ``kernels/cumsum.cl``: one work item per row scans its axis."""
    x = op.inputs[0]
    rank = len(x.shape)
    if len(op.inputs) > 1:
        if op.inputs[1].const is None:
            raise Unsupported("CumSum with a non-constant axis")
        axis = normalize_axes(op.inputs[1].const, rank, "axis")[0]
    else:
        axis = 0
    if x.size == 0:
        return []
    if x.size > 2**31 - 1:
        raise Unsupported("CumSum input too large for 32-bit indexing")
    name = x.element_type.get_type_name()
    if name == "boolean":
        raise Unsupported("CumSum of boolean tensors")
    options = op.float_options() + _type_options(x)
    program = op.program("cumsum.cl", options)
    outer = int(np.prod(x.shape[:axis], dtype=np.int64))
    inner = int(np.prod(x.shape[axis + 1:], dtype=np.int64))
    rows = outer * inner
    return [Launch(program, "cumsum", ((rows + 63) // 64 * 64,), (64,),
                   (In(0), Out(0), np.int32(outer), np.int32(x.shape[axis] if rank else 1),
                    np.int32(inner), np.int32(int(bool(op.attr("exclusive", False)))),
                    np.int32(int(bool(op.attr("reverse", False))))))]
