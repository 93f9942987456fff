"""Mappings of ONNX signal ops: DFT (opset 17's axis attribute, opset 20's axis input) and
STFT, onto DFT/IDFT/RDFT/IRDFT and STFT. ONNX tensors carry a last dimension of 1 (real)
or 2 (complex)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Output
from .._type import Type
from .context import NodeContext, convert, squeeze, unsqueeze
from .registry import onnx_op


def _axis(ctx: NodeContext, rank: int, given: Any) -> Output:
    """The DFT axis as a 1-D i64 tensor, negative values counted over the full rank."""
    if isinstance(given, int):
        return ctx.const(np.array([given + rank if given < 0 else given], np.int64))
    value = ctx.value_of(given)
    if value is not None:
        a = int(np.asarray(value).reshape(-1)[0])
        return ctx.const(np.array([a + rank if a < 0 else a], np.int64))
    a = ctx.make("Reshape", convert(ctx, given, Type.i64), ctx.const(np.array([1], np.int64)),
                 special_zero=False).output(0)
    negative = ctx.make("Less", a, ctx.const(np.array([0], np.int64))).output(0)
    shifted = ctx.make("Add", a, ctx.const(np.array([rank], np.int64))).output(0)
    return ctx.make("Select", negative, shifted, a).output(0)


def _length(ctx: NodeContext, i: int) -> Output | None:
    x = ctx.opt(i)
    if x is None:
        return None
    return ctx.make("Reshape", convert(ctx, x, Type.i64), ctx.const(np.array([1], np.int64)),
                    special_zero=False).output(0)


def _dft(ctx: NodeContext, axis: Any) -> Any:
    x = ctx.input(0)
    rank = ctx.need_rank(x)
    last = x.get_partial_shape()[rank - 1]
    if last.is_dynamic or last.get_length() not in (1, 2):
        ctx.fail(f"the last dimension must be 1 (real) or 2 (complex), got {last}")
    is_complex = last.get_length() == 2
    inverse, onesided = int(ctx.attr("inverse", 0)), int(ctx.attr("onesided", 0))
    axes = _axis(ctx, rank, axis)
    length = _length(ctx, 1)
    extra = [] if length is None else [length]
    if onesided and inverse:
        if not is_complex:
            ctx.fail("an inverse one-sided DFT needs complex input")
        real = ctx.make("IRDFT", x, axes, *extra).output(0)
        return unsqueeze(ctx, real, [-1])
    if onesided:
        if is_complex:
            ctx.fail("a one-sided DFT needs real input")
        return ctx.make("RDFT", squeeze(ctx, x, [rank - 1]), axes, *extra).output(0)
    if not is_complex:
        x = ctx.make("Concat", x, ctx.make("Multiply", x, ctx.const_like(0, x)).output(0),
                     axis=-1).output(0)
    return ctx.make("IDFT" if inverse else "DFT", x, axes, *extra).output(0)


@onnx_op("DFT", since=17)
def dft17(ctx: NodeContext) -> Any:
    return _dft(ctx, int(ctx.attr("axis", 1)))


@onnx_op("DFT", since=20)
def dft20(ctx: NodeContext) -> Any:
    axis = ctx.opt(2)
    return _dft(ctx, -2 if axis is None else axis)


@onnx_op("STFT", since=17)
def stft(ctx: NodeContext) -> Any:
    signal = ctx.input(0)
    ps = signal.get_partial_shape()
    if ps.rank.is_dynamic or len(ps) != 3 or not ps[2]._compatible(1):
        ctx.fail(f"only real signals [batch, length, 1] are supported, got {ps}")
    if not int(ctx.attr("onesided", 1)):
        ctx.fail("only the one-sided STFT is supported")
    data = squeeze(ctx, signal, [2])
    step = convert(ctx, ctx.input(1), Type.i64)
    window = ctx.opt(2)
    frame = ctx.opt(3)
    if frame is None:
        if window is None:
            ctx.fail("STFT needs a window or a frame_length")
        frame = ctx.make("Gather", ctx.make("ShapeOf", window).output(0),
                         ctx.const(np.int64(0)), ctx.const(np.int64(0))).output(0)
    frame = ctx.make("Reshape", convert(ctx, frame, Type.i64),
                     ctx.const(np.zeros(0, np.int64)), special_zero=False).output(0)
    step = ctx.make("Reshape", step, ctx.const(np.zeros(0, np.int64)),
                    special_zero=False).output(0)
    if window is None:  # a rectangular window of frame_length ones
        window = ctx.make("Broadcast", ctx.const_like(1, data),
                          ctx.make("Reshape", frame, ctx.const(np.array([1], np.int64)),
                                   special_zero=False).output(0)).output(0)
    return ctx.make("STFT", data, window, frame, step, transpose_frames=False).output(0)
