"""ONNX's Cast rules in OpenVINO ops (Cast and CastLike use them).

OpenVINO's ``Convert`` does not saturate to f8e4m3 or the fnuz float8s (values past the
largest give NaN) nor to f8e5m2 (infinity); ONNX's ``saturate`` attribute (1 by default)
asks for a clamp to the type's largest value first. The rest follows the ONNX reference
(``onnx.reference``, whose numbers the backend tests hold):

* float to int4/uint4/int2/uint2: values outside the type's range give 0 (``Convert``
  wraps them);
* float to float4e2m1: NaN gives -0 (``Convert`` gives 6), the rest saturates at +-6 as in
  ``Convert``;
* float to float8e8m0: a power of two chosen by ``round_mode`` ("up", the default, "down"
  or "nearest"; ``Convert`` rounds to nearest, ties to even), infinities NaN without
  ``saturate``.
"""

from __future__ import annotations

import numpy as np

from .._node import Output
from .._type import Type
from .context import NodeContext, convert

__all__ = ["onnx_cast", "SATURATION_BOUNDS"]

#: the largest magnitude of each float8 type, where a saturating cast clamps
SATURATION_BOUNDS = {"f8e4m3": 448.0, "f8e5m2": 57344.0, "f8e4m3fnuz": 240.0,
                     "f8e5m2fnuz": 57344.0}

_SMALL_INTS = {"u4": (0, 15), "i4": (-8, 7), "u2": (0, 3), "i2": (-2, 1)}
_ROUND_MODES = ("up", "down", "nearest")


def onnx_cast(ctx: NodeContext, x: Output, et: Type) -> Output:
    """``x`` cast to ``et`` as ONNX's Cast (with the node's ``saturate`` and
    ``round_mode`` attributes) casts."""
    src = x.get_element_type()
    name = et.get_type_name()
    saturate = bool(ctx.attr("saturate", 1))
    if not src.is_real() or src.is_dynamic():
        return convert(ctx, x, et)
    if name in SATURATION_BOUNDS and saturate:
        bound = SATURATION_BOUNDS[name]
        x = ctx.make("Maximum", x, ctx.const_like(-bound, x)).output(0)
        x = ctx.make("Minimum", x, ctx.const_like(bound, x)).output(0)
        return convert(ctx, x, et)
    if name in _SMALL_INTS:
        return _to_small_int(ctx, x, et)
    if name == "f4e2m1":
        nan = ctx.make("IsNaN", x).output(0)
        x = ctx.make("Select", nan, ctx.const_like(-0.0, x), x).output(0)
        return convert(ctx, x, et)
    if name == "f8e8m0":
        return _to_e8m0(ctx, x, saturate)
    return convert(ctx, x, et)


def _to_small_int(ctx: NodeContext, x: Output, et: Type) -> Output:
    lo, hi = _SMALL_INTS[et.get_type_name()]
    t = convert(ctx, x, Type.i64)  # truncates toward zero, NaN gives 0
    inside = ctx.make("LogicalAnd",
                      ctx.make("GreaterEqual", t, ctx.const(np.int64(lo))),
                      ctx.make("LessEqual", t, ctx.const(np.int64(hi)))).output(0)
    t = ctx.make("Select", inside, t, ctx.const(np.int64(0))).output(0)
    return convert(ctx, t, et)


def _to_e8m0(ctx: NodeContext, x: Output, saturate: bool) -> Output:
    mode = ctx.attr("round_mode", "up")
    if isinstance(mode, bytes):
        mode = mode.decode()
    if mode not in _ROUND_MODES:
        ctx.fail(f"round_mode must be one of {', '.join(_ROUND_MODES)}, got '{mode}'")
    xf = convert(ctx, x, Type.f32)
    nearest = convert(ctx, xf, Type.f8e8m0)
    y = convert(ctx, nearest, Type.f32)
    if mode == "up":  # the nearest power of two is below x: the next one up
        y = ctx.make("Select", ctx.make("Less", y, xf),
                     ctx.make("Multiply", y, ctx.const(np.float32(2.0))), y).output(0)
    elif mode == "down":
        y = ctx.make("Select", ctx.make("Greater", y, xf),
                     ctx.make("Divide", y, ctx.const(np.float32(2.0))), y).output(0)
    if not saturate:
        y = ctx.make("Select", ctx.make("IsInf", xf), ctx.const(np.float32(np.nan)),
                     y).output(0)
    return convert(ctx, y, Type.f8e8m0)
