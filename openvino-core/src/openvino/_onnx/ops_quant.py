"""Mappings of ONNX quantization ops, decomposed into converts and arithmetic:
QuantizeLinear, DequantizeLinear, MatMulInteger, ConvInteger, QLinearMatMul, QLinearConv."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Output
from .._type import Type
from .context import NodeContext, convert, unsqueeze
from .ops_nn import convolution
from .registry import onnx_op
from .types import ov_type

_RANGES = {
    "u8": (0, 255), "i8": (-128, 127), "u16": (0, 65535), "i16": (-32768, 32767),
    "u4": (0, 15), "i4": (-8, 7), "i32": (-2**31, 2**31 - 1), "u32": (0, 2**32 - 1),
    "u2": (0, 3), "i2": (-2, 1),
    "f8e4m3": (-448.0, 448.0), "f8e5m2": (-57344.0, 57344.0), "f4e2m1": (-6.0, 6.0),
    "f8e4m3fnuz": (-240.0, 240.0), "f8e5m2fnuz": (-57344.0, 57344.0),
}


def _per_axis(ctx: NodeContext, param: Output, x: Output, axis: int, block: int) -> Output:
    """A scale or zero point shaped to broadcast against ``x`` (per tensor, per axis or
    blocked along ``axis``)."""
    pr = ctx.rank(param)
    xr = ctx.rank(x)
    if pr == 0 or xr is None or xr == 0:
        return param
    axis = axis + xr if axis < 0 else axis
    if block > 0:
        d = ctx.static_shape(x)
        if d is None:
            ctx.fail("blocked quantization needs a static input shape")
        idx = ctx.const(np.arange(d[axis], dtype=np.int64) // block)
        return ctx.make("Gather", param, idx, ctx.const(np.int64(axis)), batch_dims=0).output(0)
    if pr == 1:
        n = ctx.static_shape(param)
        if n is not None and n[0] == 1:
            return param
        return unsqueeze(ctx, param, [i for i in range(xr) if i != axis])
    return param


def dequantize(ctx: NodeContext, x: Output, scale: Output, zp: Output | None, axis: int = 1,
               block: int = 0) -> Output:
    """``(x - zp) * scale`` in f32."""
    xf = convert(ctx, x, Type.f32)
    if zp is not None:
        xf = ctx.make("Subtract", xf, convert(ctx, _per_axis(ctx, zp, x, axis, block),
                                              Type.f32)).output(0)
    s = convert(ctx, _per_axis(ctx, scale, x, axis, block), Type.f32)
    return ctx.make("Multiply", xf, s).output(0)


def quantize(ctx: NodeContext, xf: Output, scale: Output, zp: Output | None, et: Type,
             axis: int = 1, block: int = 0, saturate: bool = True) -> Output:
    """``saturate(round(x / scale) + zp)`` as ``et``."""
    x = convert(ctx, xf, Type.f32)
    s = convert(ctx, _per_axis(ctx, scale, xf, axis, block), Type.f32)
    y = ctx.make("Divide", x, s).output(0)
    if et.is_integral_number():
        y = ctx.make("Round", y, mode="half_to_even").output(0)
    if zp is not None:
        y = ctx.make("Add", y, convert(ctx, _per_axis(ctx, zp, xf, axis, block),
                                       Type.f32)).output(0)
    lo_hi = _RANGES.get(et.get_type_name())
    if lo_hi is not None and (et.is_integral_number() or saturate):
        y = ctx.make("Maximum", y, ctx.const(np.float32(lo_hi[0]))).output(0)
        y = ctx.make("Minimum", y, ctx.const(np.float32(lo_hi[1]))).output(0)
    return convert(ctx, y, et)


@onnx_op("DequantizeLinear")
def dequantize_linear(ctx: NodeContext) -> Any:
    x, scale = ctx.input(0), ctx.input(1)
    y = dequantize(ctx, x, scale, ctx.opt(2), int(ctx.attr("axis", 1)),
                   int(ctx.attr("block_size", 0)))
    et = scale.get_element_type()
    if ctx.has_attr("output_dtype") and ctx.attr("output_dtype"):
        et = ov_type(ctx.attr("output_dtype"), "DequantizeLinear output_dtype")
    return convert(ctx, y, et)


@onnx_op("QuantizeLinear")
def quantize_linear(ctx: NodeContext) -> Any:
    x, scale, zp = ctx.input(0), ctx.input(1), ctx.opt(2)
    if zp is not None:
        et = zp.get_element_type()
    elif ctx.attr("output_dtype", 0):
        et = ov_type(ctx.attr("output_dtype"), "QuantizeLinear output_dtype")
    else:
        et = Type.u8
    return quantize(ctx, x, scale, zp, et, int(ctx.attr("axis", 1)),
                    int(ctx.attr("block_size", 0)), bool(ctx.attr("saturate", 1)))


def _row_zero_point(ctx: NodeContext, zp: Output, a: Output) -> Output:
    """An A-side zero point given per row (``[M]``) broadcast as ``[M, 1]``."""
    if ctx.rank(zp) == 1 and (ctx.rank(a) or 0) >= 2:
        return unsqueeze(ctx, zp, [1])
    return zp


@onnx_op("MatMulInteger")
def matmul_integer(ctx: NodeContext) -> Any:
    a, b = ctx.input(0), ctx.input(1)
    af, bf = convert(ctx, a, Type.f32), convert(ctx, b, Type.f32)
    if ctx.has_input(2):
        af = ctx.make("Subtract", af, convert(ctx, _row_zero_point(ctx, ctx.input(2), a),
                                              Type.f32)).output(0)
    if ctx.has_input(3):
        bf = ctx.make("Subtract", bf, convert(ctx, ctx.input(3), Type.f32)).output(0)
    y = ctx.make("MatMul", af, bf, transpose_a=False, transpose_b=False)
    return ctx.make("Convert", y, destination_type=Type.i32)


@onnx_op("ConvInteger")
def conv_integer(ctx: NodeContext) -> Any:
    x, w = ctx.input(0), ctx.input(1)
    xf, wf = convert(ctx, x, Type.f32), convert(ctx, w, Type.f32)
    if ctx.has_input(2):
        xf = ctx.make("Subtract", xf, convert(ctx, ctx.input(2), Type.f32)).output(0)
    if ctx.has_input(3):
        wf = ctx.make("Subtract", wf, convert(ctx, _per_axis(ctx, ctx.input(3), w, 0, 0),
                                              Type.f32)).output(0)
    return ctx.make("Convert", convolution(ctx, xf, wf, None), destination_type=Type.i32)


@onnx_op("QLinearMatMul")
def qlinear_matmul(ctx: NodeContext) -> Any:
    a, b = ctx.input(0), ctx.input(3)
    af = dequantize(ctx, a, _row_zero_point(ctx, ctx.input(1), a),
                    _row_zero_point(ctx, ctx.input(2), a), axis=0)
    bf = dequantize(ctx, b, ctx.input(4), ctx.input(5), axis=-1)
    y = ctx.make("MatMul", af, bf, transpose_a=False, transpose_b=False).output(0)
    zp = ctx.input(7)
    return quantize(ctx, y, ctx.input(6), zp, zp.get_element_type(), axis=-1)


@onnx_op("QLinearConv")
def qlinear_conv(ctx: NodeContext) -> Any:
    x, w = ctx.input(0), ctx.input(3)
    xf = dequantize(ctx, x, ctx.input(1), ctx.input(2))
    wf = dequantize(ctx, w, ctx.input(4), ctx.input(5), axis=0)
    bias = None
    if ctx.has_input(8):
        bscale = ctx.make("Multiply", convert(ctx, ctx.input(1), Type.f32),
                          convert(ctx, ctx.input(4), Type.f32))
        bias = ctx.make("Multiply", convert(ctx, ctx.input(8), Type.f32), bscale).output(0)
    y = convolution(ctx, xf, wf, bias)
    zp = ctx.input(7)
    return quantize(ctx, y, ctx.input(6), zp, zp.get_element_type())


