"""TopK (v1, v3, v11) through ``kernels/topk.cl``: a constant ``k``, modes max/min, sort by
value, by index or none (value order, as the reference), float and integer data, i32 or
i64 indices. Ties go to the lower index (stable)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import In, Launch, OpContext, Out, Unsupported, register
from .reduction import INT_TYPES, normalize_axes

__all__ = ["lower_topk"]

INDEX_TYPES = {"i32": "int", "i64": "long"}


def _supports(node: Any) -> bool:
    name = node.get_input_element_type(0).get_type_name()
    return name in ("f32", "f16", "bf16") or (name in INT_TYPES and name != "boolean")


@register("TopK", supports=_supports)
def lower_topk(op: OpContext) -> list[Launch]:
    x, values = op.inputs[0], op.outputs[0]
    if op.inputs[1].const is None:
        raise Unsupported("TopK with a non-constant k")
    rank = len(x.shape)
    axis = normalize_axes([int(op.attr("axis", -1))], rank, "axis")[0]
    k = int(values.shape[axis])
    if values.size == 0:
        return []
    if x.size > 2**31 - 1:
        raise Unsupported("TopK input too large for 32-bit indexing")
    name = x.element_type.get_type_name()
    if name in ("f32", "f16", "bf16"):
        options = ("-DIS_FLOAT=1",)
    elif name in INT_TYPES:
        options = ("-DIS_FLOAT=0", f"-DDT={INT_TYPES[name]}")
    else:
        raise Unsupported(f"TopK of {name} tensors")
    idx = op.outputs[1].element_type.get_type_name()
    if idx not in INDEX_TYPES:
        raise Unsupported(f"TopK indices of type {idx}")
    mode = str(op.attr("mode", "max")).lower()
    sort = str(op.attr("sort", "value")).lower()
    options += (f"-DIDX_T={INDEX_TYPES[idx]}", f"-DMODE_MAX={int(mode == 'max')}",
                f"-DSORT_INDEX={int(sort in ('index', 'sort_indices', 'indices'))}")
    program = op.program("topk.cl", op.float_options() + options)
    outer = int(np.prod(x.shape[:axis], dtype=np.int64))
    inner = int(np.prod(x.shape[axis + 1:], dtype=np.int64))
    rows = outer * inner
    return [Launch(program, "topk", ((rows + 63) // 64 * 64,), (64,),
                   (In(0), Out(0), Out(1), np.int32(outer), np.int32(x.shape[axis]),
                    np.int32(inner), np.int32(k)))]
