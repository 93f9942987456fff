"""MaxPool (v1, v8 with dilations and the indices output, v14) and AvgPool (v1, v14, v16
with dilations) on NC[D]HW tensors through ``kernels/pool.cl``; the rounding type and
auto_pad are already in the static output shape, the pads come from
``convolution.spatial_pads``; AdaptiveAvgPool and AdaptiveMaxPool (v8) over their evenly
covering windows."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import In, Launch, OpContext, Out, Unsupported, register
from .convolution import as_3d, spatial_pads

__all__ = ["lower_pool", "lower_adaptive_pool"]

INDEX_TYPES = {"i32": "int", "i64": "long"}


def _supports(node: Any) -> bool:
    rank = node.get_input_partial_shape(0).rank
    return (node.get_output_element_type(0).get_type_name() in ("f32", "f16", "bf16")
            and rank.is_static and 3 <= rank.get_length() <= 5)


@register("MaxPool", "AvgPool", supports=_supports)
def lower_pool(op: OpContext) -> list[Launch]:
    x, y = op.inputs[0], op.outputs[0]
    if np.dtype(x.dtype).kind != "f":
        raise Unsupported(f"{op.type} of non-float tensors")
    sp = len(x.shape) - 2
    kernel = [int(v) for v in op.attr("kernel")]
    strides = [int(v) for v in op.attr("strides", [1] * sp)]
    dilations = [int(v) for v in op.attr("dilations", None) or [1] * sp]
    begin, end = spatial_pads(op, x.shape[2:], y.shape[2:], kernel, strides, dilations)
    if y.size == 0:
        return []
    if max(x.size, y.size) > 2**31 - 1:
        raise Unsupported(f"{op.type} tensors too large for 32-bit indexing")
    nc = x.shape[0] * x.shape[1]
    # AvgPool's divisor: the whole window when padding counts and there is padding
    whole = not bool(op.attr("exclude_pad", False)) and (any(begin) or any(end))
    axis = int(op.attr("axis", 0))
    if axis < 0:
        axis += len(x.shape)
    modulus = max(int(np.prod(x.shape[axis:], dtype=np.int64)), 1)
    p = np.array([nc, *as_3d(x.shape[2:], 1), *as_3d(y.shape[2:], 1), *as_3d(kernel, 1),
                  *as_3d(strides, 1), *as_3d(dilations, 1), *as_3d(begin, 0),
                  *as_3d(end, 0), int(whole), modulus], np.int32)
    n = y.size
    ls = 64
    gs = ((n + ls - 1) // ls * ls,)
    if op.type == "AvgPool":
        program = op.program("pool.cl", op.float_options())
        return [Launch(program, "avg_pool", gs, (ls,), (In(0), Out(0), op.constant(p)))]
    with_indices = len(op.outputs) > 1
    idx_type = "int"
    if with_indices:
        name = op.outputs[1].element_type.get_type_name()
        if name not in INDEX_TYPES:
            raise Unsupported(f"MaxPool indices of type {name}")
        idx_type = INDEX_TYPES[name]
    program = op.program("pool.cl", op.float_options() + (f"-DIDX_T={idx_type}",))
    return [Launch(program, "max_pool", gs, (ls,),
                   (In(0), Out(0), Out(1) if with_indices else Out(0), op.constant(p),
                    np.int32(int(with_indices))))]


@register("AdaptiveAvgPool", "AdaptiveMaxPool", supports=_supports)
def lower_adaptive_pool(op: OpContext) -> list[Launch]:
    x, y = op.inputs[0], op.outputs[0]
    if np.dtype(x.dtype).kind != "f":
        raise Unsupported(f"{op.type} of non-float tensors")
    if y.size == 0:
        return []
    if max(x.size, y.size) > 2**31 - 1:
        raise Unsupported(f"{op.type} tensors too large for 32-bit indexing")
    nc = x.shape[0] * x.shape[1]
    p = np.array([nc, *as_3d(x.shape[2:], 1), *as_3d(y.shape[2:], 1)], np.int32)
    is_max = op.type == "AdaptiveMaxPool"
    idx_type = "int"
    if is_max:
        name = op.outputs[1].element_type.get_type_name()
        if name not in INDEX_TYPES:
            raise Unsupported(f"AdaptiveMaxPool indices of type {name}")
        idx_type = INDEX_TYPES[name]
    program = op.program("pool.cl", op.float_options() + (f"-DIDX_T={idx_type}",))
    n = y.size
    return [Launch(program, "adaptive_pool", ((n + 63) // 64 * 64,), (64,),
                   (In(0), Out(0), Out(1) if is_max else Out(0), op.constant(p),
                    np.int32(int(is_max)), np.int32(int(is_max))))]
