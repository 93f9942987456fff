"""``convert_color``: the ops that take an image from one color format to another.

* NV12 / I420 (single plane or separate planes) -> RGB / BGR: NV12toRGB, NV12toBGR,
  I420toRGB, I420toBGR (NHWC data);
* NV12 / I420 -> GRAY: the Y plane (sliced out of a single plane);
* RGB <-> BGR: the channels reversed (Gather along C);
* RGBX / BGRX -> RGB / BGR: the first three channels (Slice along C), reversed when the
  order changes;
* RGB / BGR (/ RGBX / BGRX) -> GRAY: ``0.299 R + 0.587 G + 0.114 B`` (floating-point data).
"""

from __future__ import annotations

from .._node import Output
from .._ops.arithmetic import Divide, Multiply
from .._ops.color import I420toBGR, I420toRGB, NV12toBGR, NV12toRGB
from .._ops.reduction import ReduceSum
from .._ops.shape import ShapeOf
from .._type import Type
from ..layout_helpers import dimension_names
from ._context import Context, axis_of
from ._enums import ColorFormat
from ._formats import YUV_FORMATS, format_label
from ._nodes import constant, gather, slice_axis

__all__ = ["convert_color"]

_GRAY_WEIGHTS = (0.299, 0.587, 0.114)  # R, G, B
_NV12 = (ColorFormat.NV12_SINGLE_PLANE, ColorFormat.NV12_TWO_PLANES)
_SINGLE_PLANE = (ColorFormat.NV12_SINGLE_PLANE, ColorFormat.I420_SINGLE_PLANE)
_BASE = {ColorFormat.RGB: ColorFormat.RGB, ColorFormat.BGR: ColorFormat.BGR,
         ColorFormat.RGBX: ColorFormat.RGB, ColorFormat.BGRX: ColorFormat.BGR}


def _unsupported(src: ColorFormat, dst: ColorFormat) -> RuntimeError:
    return RuntimeError(f"Source color format '{format_label(src)}' is not convertible to "
                        f"'{format_label(dst)}'")


def _check_nhwc(ctx: Context) -> None:
    if ctx.layout.empty or ctx.shape.rank.is_dynamic:
        return
    names = dimension_names(ctx.layout, len(ctx.shape))
    if names != ["N", "H", "W", "C"]:
        raise RuntimeError(f"{format_label(ctx.color)} data must be in NHWC layout, got "
                           f"{ctx.layout.to_string()}")


def _yuv_to_gray(ctx: Context) -> Output:
    y = ctx.outputs[0]
    if ctx.color not in _SINGLE_PLANE:
        return y
    h = axis_of(ctx.layout, "H", ctx.shape, "convert_color to GRAY") \
        if not ctx.layout.empty else 1
    dim = ctx.shape[h]
    if dim.is_static:
        return slice_axis(y, 0, dim.get_length() * 2 // 3, h)
    height = gather(ShapeOf(y).output(0), [h], 0)
    stop = Divide(Multiply(height, constant([2], Type.i64, [1])).output(0),
                  constant([3], Type.i64, [1])).output(0)
    return slice_axis(y, 0, stop, h)


def _to_gray(ctx: Context, base: ColorFormat, x: Output) -> Output:
    et = x.get_element_type()
    if not et.is_real():
        raise RuntimeError(f"Conversion to GRAY needs floating-point data, got "
                           f"{et.get_type_name()}; add "
                           "convert_element_type before convert_color")
    c = axis_of(ctx.layout, "C", ctx.shape, "convert_color")
    rank = len(ctx.shape)
    weights = _GRAY_WEIGHTS if base == ColorFormat.RGB else _GRAY_WEIGHTS[::-1]
    shape = [1] * rank
    shape[c] = 3
    weighted = Multiply(x, constant(list(weights), et, shape)).output(0)
    return ReduceSum(weighted, constant([c], Type.i64, [1]), keep_dims=True).output(0)


def convert_color(ctx: Context, dst: ColorFormat) -> Context:
    """``ctx`` converted to color format ``dst`` (no ops when it already is)."""
    src = ctx.color
    if src == dst:
        return ctx
    if src in YUV_FORMATS:
        if dst in (ColorFormat.RGB, ColorFormat.BGR):
            _check_nhwc(ctx)
            if src in _NV12:
                op = NV12toRGB if dst == ColorFormat.RGB else NV12toBGR
            else:
                op = I420toRGB if dst == ColorFormat.RGB else I420toBGR
            return ctx.with_(outputs=[op(*ctx.outputs).output(0)], color=dst)
        if dst == ColorFormat.GRAY:
            _check_nhwc(ctx)
            return ctx.with_(outputs=[_yuv_to_gray(ctx)], color=dst)
        raise _unsupported(src, dst)
    if src not in _BASE or dst not in (ColorFormat.RGB, ColorFormat.BGR, ColorFormat.GRAY):
        raise _unsupported(src, dst)
    x = ctx.output
    c = axis_of(ctx.layout, "C", ctx.shape, "convert_color")
    channels = ctx.shape[c]
    want = 4 if src in (ColorFormat.RGBX, ColorFormat.BGRX) else 3
    if channels.is_static and channels.get_length() != want:
        raise RuntimeError(f"Color format {format_label(src)} has {want} channels, the data has "
                           f"{channels} (shape {ctx.shape}, layout {ctx.layout.to_string()})")
    if want == 4:
        x = slice_axis(x, 0, 3, c)
    base = _BASE[src]
    if dst == ColorFormat.GRAY:
        x = _to_gray(ctx.with_(outputs=[x]), base, x)
    elif base != dst:
        x = gather(x, [2, 1, 0], c)
    return ctx.with_(outputs=[x], color=dst)
