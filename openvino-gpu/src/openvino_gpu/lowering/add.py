"""Add (numpy broadcasting): one work item per output element (``kernels/add.cl``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import In, Launch, OpContext, Out, Unsupported, register

_INT_TYPES = {np.dtype(np.int8): "char", np.dtype(np.uint8): "uchar",
              np.dtype(np.int16): "short", np.dtype(np.uint16): "ushort",
              np.dtype(np.int32): "int", np.dtype(np.uint32): "uint",
              np.dtype(np.int64): "long", np.dtype(np.uint64): "ulong"}


def _supports(node: Any) -> bool:
    spec = node.get_attributes().get("auto_broadcast", "numpy")
    et = node.get_output_element_type(0)
    return str(spec).lower() in ("numpy", "none") and (et.is_real() or et.is_integral_number())


def broadcast_dims(out_shape: tuple[int, ...], *in_shapes: tuple[int, ...]) -> np.ndarray:
    """``[rank, (extent, stride_0, stride_1, ...) per output dimension]`` as int32: each
    input's element stride in each output dimension, 0 where it is broadcast."""
    rank = len(out_shape)
    rows = []
    for d in range(rank):
        row = [out_shape[d]]
        for shape in in_shapes:
            padded = (1,) * (rank - len(shape)) + tuple(shape)
            stride = int(np.prod(padded[d + 1:], dtype=np.int64))
            row.append(0 if padded[d] == 1 else stride)
        rows.append(row)
    flat = [rank] + [x for row in rows for x in row]
    if max(flat + [0]) >= 2 ** 31:
        raise Unsupported("tensor too large for 32-bit indexing")
    return np.asarray(flat, dtype=np.int32)



@register("Add", supports=_supports)
def lower_add(op: OpContext) -> list[Launch]:
    out = op.outputs[0]
    if out.size == 0:
        return []
    if np.dtype(out.dtype).kind == "f":
        options = (*op.float_options(), "-DIS_FLOAT=1")
    elif np.dtype(out.dtype) in _INT_TYPES:
        options = ("-DIS_FLOAT=0", f"-DT={_INT_TYPES[np.dtype(out.dtype)]}")
    else:
        raise Unsupported(f"Add of {out.element_type.get_type_name()}")
    dims = broadcast_dims(out.shape, op.inputs[0].shape, op.inputs[1].shape)
    program = op.program("add.cl", options)
    n = out.size
    return [Launch(program, "add", (_round_up(n, 64),), None,
                   (In(0), In(1), Out(0), op.constant(dims), np.int32(n)))]


def _round_up(n: int, m: int) -> int:
    return (n + m - 1) // m * m
