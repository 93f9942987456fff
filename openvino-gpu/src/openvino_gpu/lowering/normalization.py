"""MVN (v1 and v6; LayerNorm's normalization), NormalizeL2 and LRN through
``kernels/norm.cl``. MVN and NormalizeL2 need the normalized axes to be one contiguous
block of dims: innermost axes run one work group per row, others one work item per row;
LRN runs one work item per element. (BatchNormInference is elementwise: see
``eltwise``.)"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import In, Launch, Local, OpContext, Out, Unsupported, register
from .reduction import block_view, group_size, normalize_axes

__all__ = ["lower_mvn", "lower_normalize_l2", "lower_lrn"]


def _axes(op: OpContext) -> list[int]:
    rank = len(op.inputs[0].shape)
    if len(op.inputs) > 1:  # MVN-6: axes input
        if op.inputs[1].const is None:
            raise Unsupported("MVN with non-constant axes")
        return normalize_axes(op.inputs[1].const, rank)
    axes = op.attr("reduction_axes", None)
    if axes:
        return normalize_axes(axes, rank)
    start = 1 if op.attr("across_channels", False) else 2
    return list(range(start, rank))


def _supports(node: Any) -> bool:
    return node.get_output_element_type(0).get_type_name() in ("f32", "f16", "bf16")


@register("MVN", supports=_supports)
def lower_mvn(op: OpContext) -> list[Launch]:
    x = op.inputs[0]
    if np.dtype(x.dtype).kind != "f":
        raise Unsupported("MVN of non-float tensors")
    axes = _axes(op)
    view = block_view(x.shape, axes)
    if view is None:
        raise Unsupported(f"MVN over axes {axes} that are not one block of {x.shape}")
    if x.size == 0:
        return []
    if x.size > 2**31 - 1:
        raise Unsupported("MVN input too large for 32-bit indexing")
    outer, length, inner = view
    normalize = np.int32(int(bool(op.attr("normalize_variance", True))))
    eps = np.float32(op.attr("eps", 1e-9))
    mode = str(op.attr("eps_mode", "inside_sqrt")).lower()
    inside = np.int32(int(mode == "inside_sqrt" or len(op.inputs) == 1))  # MVN-1: inside
    program = op.program("norm.cl", op.float_options())
    if inner == 1:
        ls = group_size(op, length)
        return [Launch(program, "mvn_rows", (outer * ls,), (ls,),
                       (In(0), Out(0), np.int32(length), normalize, eps, inside,
                        Local(ls * 4)))]
    rows = outer * inner
    return [Launch(program, "mvn_strided", ((rows + 63) // 64 * 64,), (64,),
                   (In(0), Out(0), np.int32(outer), np.int32(length), np.int32(inner),
                    normalize, eps, inside))]


@register("NormalizeL2", supports=_supports)
def lower_normalize_l2(op: OpContext) -> list[Launch]:
    x = op.inputs[0]
    if np.dtype(x.dtype).kind != "f":
        raise Unsupported("NormalizeL2 of non-float tensors")
    if op.inputs[1].const is None:
        raise Unsupported("NormalizeL2 with non-constant axes")
    axes = normalize_axes(op.inputs[1].const, len(x.shape))
    view = block_view(x.shape, axes)
    if view is None:
        raise Unsupported(f"NormalizeL2 over axes {axes} that are not one block of {x.shape}")
    if x.size == 0:
        return []
    if x.size > 2**31 - 1:
        raise Unsupported("NormalizeL2 input too large for 32-bit indexing")
    outer, length, inner = view
    eps = np.float32(op.attr("eps", 0.0))
    add = np.int32(int(str(op.attr("eps_mode", "add")).lower() == "add"))
    program = op.program("norm.cl", op.float_options())
    if inner == 1:
        ls = group_size(op, length)
        return [Launch(program, "l2_rows", (outer * ls,), (ls,),
                       (In(0), Out(0), np.int32(length), eps, add, Local(ls * 4)))]
    rows = outer * inner
    return [Launch(program, "l2_strided", ((rows + 63) // 64 * 64,), (64,),
                   (In(0), Out(0), np.int32(outer), np.int32(length), np.int32(inner), eps,
                    add))]


@register("LRN", supports=_supports)
def lower_lrn(op: OpContext) -> list[Launch]:
    x = op.inputs[0]
    if np.dtype(x.dtype).kind != "f":
        raise Unsupported("LRN of non-float tensors")
    rank = len(x.shape)
    if len(op.inputs) > 1:
        if op.inputs[1].const is None:
            raise Unsupported("LRN with non-constant axes")
        axes = normalize_axes(op.inputs[1].const, rank)
    else:
        axes = [1]
    if rank > 8 or len(axes) > 4:
        raise Unsupported(f"LRN of rank {rank} over {len(axes)} axes")
    if x.size == 0:
        return []
    if x.size > 2**31 - 1:
        raise Unsupported("LRN input too large for 32-bit indexing")
    size = int(op.attr("size", 1))
    meta = np.zeros(15, np.int32)
    meta[0] = rank
    meta[1:1 + rank] = x.shape
    meta[9] = len(axes)
    meta[10:10 + len(axes)] = axes
    meta[14] = (size - 1) // 2
    scale = float(op.attr("alpha", 1.0)) / float(size) ** len(axes)
    program = op.program("norm.cl", op.float_options())
    n = x.size
    return [Launch(program, "lrn", ((n + 63) // 64 * 64,), (64,),
                   (In(0), Out(0), op.constant(meta), np.int32(n),
                    np.float32(op.attr("bias", 1.0)), np.float32(scale),
                    np.float32(op.attr("beta", 0.5))))]
