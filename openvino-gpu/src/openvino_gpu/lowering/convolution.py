"""Convolution and GroupConvolution (``kernels/conv.cl``, 1x1 through ``kernels/gemm.cl``),
NC[D]HW with 1 to 3 spatial dims. The kernel is chosen by shape: a pointwise convolution
(1x1, unit strides, no padding, one group) is a batched GEMM; depthwise and small
convolutions run one output per work item (``conv_direct``); the rest is an implicit GEMM
over (image, group) with the input patches gathered in local memory (``conv_igemm``).
ConvolutionBackpropData and GroupConvolutionBackpropData run one output per work item
(``deconv_direct``). Fused elementwise tails (bias, activation...) run in the epilogue of
the convolution kernels (and of the GEMM for pointwise ones)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import In, Launch, OpContext, Out, Unsupported, register
from .eltwise import post_chain
from .matmul import gemm_launch

__all__ = ["spatial_pads", "as_3d", "lower_convolution", "lower_backprop"]

INT_MAX = 2**31 - 1


def spatial_pads(op: OpContext, in_sp: Sequence[int], out_sp: Sequence[int],
                 kernel: Sequence[int], strides: Sequence[int], dilations: Sequence[int]
                 ) -> tuple[list[int], list[int]]:
    """(pads begin, pads end) per spatial dim, from ``auto_pad`` or the attributes."""
    mode = str(op.attr("auto_pad", "explicit")).lower()
    rank = len(in_sp)
    if mode in ("same_upper", "same_lower"):
        begin, end = [], []
        for i in range(rank):
            total = max((out_sp[i] - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1
                        - in_sp[i], 0)
            lo = total // 2 if mode == "same_upper" else total - total // 2
            begin.append(lo)
            end.append(total - lo)
        return begin, end
    if mode == "valid":
        return [0] * rank, [0] * rank
    begin = [int(v) for v in op.attr("pads_begin", [0] * rank)]
    end = [int(v) for v in op.attr("pads_end", [0] * rank)]
    if len(begin) != rank or len(end) != rank:
        raise Unsupported(f"pads of rank {len(begin)}/{len(end)} for {rank} spatial dims")
    return begin, end


def as_3d(values: Sequence[int], fill: int) -> list[int]:
    """Spatial values of a 1-D/2-D/3-D op padded in front to three (depth, height, width)."""
    values = [int(v) for v in values]
    if not 1 <= len(values) <= 3:
        raise Unsupported(f"{len(values)} spatial dims (1 to 3 supported)")
    return [fill] * (3 - len(values)) + values


def _supports(node: Any) -> bool:
    rank = node.get_input_partial_shape(0).rank
    return (node.get_output_element_type(0).get_type_name() in ("f32", "f16", "bf16")
            and rank.is_static and 3 <= rank.get_length() <= 5)


@register("Convolution", "GroupConvolution", supports=_supports, post_ops=True)
def lower_convolution(op: OpContext) -> list[Launch]:
    x, w, y = op.inputs[0], op.inputs[1], op.outputs[0]
    if np.dtype(x.dtype).kind != "f" or np.dtype(w.dtype).kind != "f":
        raise Unsupported("Convolution of non-float tensors")
    grouped = op.type == "GroupConvolution"
    if grouped:
        groups, ocg, icg = w.shape[0], w.shape[1], w.shape[2]
        ksp = w.shape[3:]
    else:
        groups, ocg, icg = 1, w.shape[0], w.shape[1]
        ksp = w.shape[2:]
    n, ic = x.shape[0], x.shape[1]
    oc = y.shape[1]
    if icg * groups != ic or ocg * groups != oc:
        raise Unsupported(f"weights {w.shape} do not match input {x.shape} / output {y.shape}")
    sp = len(x.shape) - 2
    strides = [int(v) for v in op.attr("strides", [1] * sp)]
    dilations = [int(v) for v in op.attr("dilations", [1] * sp)]
    begin, _end = spatial_pads(op, x.shape[2:], y.shape[2:], ksp, strides, dilations)
    if max(x.size, y.size, w.size) > INT_MAX:
        raise Unsupported("Convolution tensors too large for 32-bit indexing")
    if y.size == 0:
        return []
    spatial = int(np.prod(y.shape[2:], dtype=np.int64))
    pointwise = (groups == 1 and all(k == 1 for k in ksp) and all(s == 1 for s in strides)
                 and not any(begin) and tuple(x.shape[2:]) == tuple(y.shape[2:]))
    if pointwise:  # y[n] = W[oc, ic] @ x[n][ic, s]
        a_off = np.zeros(n, np.int32)
        b_off = (np.arange(n, dtype=np.int64) * ic * spatial).astype(np.int32)
        return [gemm_launch(op, In(1), In(0), Out(0), n, oc, spatial, ic, a_off, b_off,
                            ic, 1, spatial, 1)]
    p = np.array([n, ic, *as_3d(x.shape[2:], 1), oc, *as_3d(y.shape[2:], 1),
                  *as_3d(ksp, 1), *as_3d(strides, 1), *as_3d(dilations, 1),
                  *as_3d(begin, 0), groups], np.int32)
    post_options, post_args = post_chain(op)
    program = op.program("conv.cl", op.float_options() + post_options)
    ksize = icg * int(np.prod(ksp, dtype=np.int64))
    dev = op.device
    if (ocg >= 16 and ksize >= 16 and dev.max_work_group_size >= 256
            and dev.local_mem_size >= 2 * 16 * 65 * 4):
        gs = ((spatial + 63) // 64 * 16, (ocg + 63) // 64 * 16, n * groups)
        return [Launch(program, "conv_igemm", gs, (16, 16, 1),
                       (In(0), In(1), Out(0), op.constant(p)) + post_args)]
    ls = 64
    gs = ((spatial + ls - 1) // ls * ls, oc, n)
    return [Launch(program, "conv_direct", gs, (ls, 1, 1),
                   (In(0), In(1), Out(0), op.constant(p)) + post_args)]


def _backprop_pads(op: OpContext, in_sp: list[int], out_sp: list[int], kernel: list[int],
                   strides: list[int], dilations: list[int]) -> list[int]:
    rank = len(in_sp)
    mode = str(op.attr("auto_pad", "explicit")).lower()
    if mode == "valid":
        return [0] * rank
    if mode in ("same_upper", "same_lower") and len(op.inputs) > 2:
        outpad = [int(v) for v in op.attr("output_padding", []) or []] + [0] * rank
        pads = []
        for i in range(rank):
            full = strides[i] * (in_sp[i] - 1) + (kernel[i] - 1) * dilations[i] + 1
            total = max(full - out_sp[i] + outpad[i], 0)
            pads.append(total - total // 2 if mode == "same_upper" else total // 2)
        return pads
    begin = [int(v) for v in op.attr("pads_begin", []) or []]
    return begin if len(begin) == rank else [0] * rank


@register("ConvolutionBackpropData", "GroupConvolutionBackpropData", supports=_supports)
def lower_backprop(op: OpContext) -> list[Launch]:
    x, w, y = op.inputs[0], op.inputs[1], op.outputs[0]
    if np.dtype(x.dtype).kind != "f" or np.dtype(w.dtype).kind != "f":
        raise Unsupported(f"{op.type} of non-float tensors")
    if op.type == "GroupConvolutionBackpropData":
        groups, icg, ocg, ksp = w.shape[0], w.shape[1], w.shape[2], list(w.shape[3:])
    else:
        groups, icg, ocg, ksp = 1, w.shape[0], w.shape[1], list(w.shape[2:])
    n, ic, oc = x.shape[0], x.shape[1], y.shape[1]
    if icg * groups != ic or ocg * groups != oc:
        raise Unsupported(f"weights {w.shape} do not match input {x.shape} / output {y.shape}")
    sp = len(x.shape) - 2
    strides = [int(v) for v in op.attr("strides", [1] * sp)]
    dilations = [int(v) for v in op.attr("dilations", [1] * sp) or [1] * sp]
    begin = _backprop_pads(op, list(x.shape[2:]), list(y.shape[2:]), ksp, strides, dilations)
    if y.size == 0:
        return []
    if max(x.size, y.size, w.size) > INT_MAX:
        raise Unsupported(f"{op.type} tensors too large for 32-bit indexing")
    p = np.array([n, ic, *as_3d(x.shape[2:], 1), oc, *as_3d(y.shape[2:], 1),
                  *as_3d(ksp, 1), *as_3d(strides, 1), *as_3d(dilations, 1),
                  *as_3d(begin, 0), groups], np.int32)
    program = op.program("conv.cl", op.float_options())
    spatial = int(np.prod(y.shape[2:], dtype=np.int64))
    gs = ((spatial + 63) // 64 * 64, oc, n)
    return [Launch(program, "deconv_direct", gs, (64, 1, 1),
                   (In(0), In(1), Out(0), op.constant(p)))]
