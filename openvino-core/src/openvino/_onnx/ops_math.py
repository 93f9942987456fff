"""Mappings of ONNX elementwise math, activations, comparisons, logic, bitwise ops,
reductions, softmax, casts and matrix products."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Output
from .._type import Type
from .casting import onnx_cast
from .context import NodeContext, all_axes, convert, dim, flatten_2d, shape_of, squeeze, unsqueeze
from .registry import onnx_op

# --- elementwise binary ---------------------------------------------------------------------
_BINARY = {
    "Add": "Add", "Sub": "Subtract", "Mul": "Multiply", "Equal": "Equal",
    "Greater": "Greater", "Less": "Less", "GreaterOrEqual": "GreaterEqual",
    "LessOrEqual": "LessEqual", "And": "LogicalAnd", "Or": "LogicalOr", "Xor": "LogicalXor",
    "BitwiseAnd": "BitwiseAnd", "BitwiseOr": "BitwiseOr", "BitwiseXor": "BitwiseXor",
}


def _binary(ov_name: str) -> Any:
    def mapping(ctx: NodeContext) -> Any:
        return ctx.make(ov_name, ctx.input(0), ctx.input(1))

    return mapping


for _onnx_name, _ov_name in _BINARY.items():
    onnx_op(_onnx_name)(_binary(_ov_name))


@onnx_op("Div")
def div(ctx: NodeContext) -> Any:
    a, b = ctx.input(0), ctx.input(1)
    if a.get_element_type().is_integral_number():
        # ONNX integer division truncates toward zero
        return ctx.make("Divide", a, b, m_pythondiv=False)
    return ctx.make("Divide", a, b)


@onnx_op("Pow")
def pow_(ctx: NodeContext) -> Any:
    base, exp = ctx.input(0), ctx.input(1)
    if exp.get_element_type() != base.get_element_type():
        exp = ctx.make("ConvertLike", exp, base).output(0)
    return ctx.make("Power", base, exp)


@onnx_op("Mod")
def mod(ctx: NodeContext) -> Any:
    a, b = ctx.input(0), ctx.input(1)
    if ctx.attr("fmod", 0):
        return ctx.make("Mod", a, b)
    return ctx.make("FloorMod", a, b)


def _fold(ov_name: str) -> Any:
    def mapping(ctx: NodeContext) -> Any:
        xs = ctx.inputs()
        acc = xs[0]
        for x in xs[1:]:
            acc = ctx.make(ov_name, acc, x).output(0)
        return acc

    return mapping


onnx_op("Max")(_fold("Maximum"))
onnx_op("Min")(_fold("Minimum"))
onnx_op("Sum")(_fold("Add"))


@onnx_op("Mean")
def mean(ctx: NodeContext) -> Any:
    xs = ctx.inputs()
    total = _fold("Add")(ctx)
    if len(xs) == 1:
        return total
    return ctx.make("Divide", total, ctx.const_like(len(xs), xs[0]))


# --- elementwise unary ----------------------------------------------------------------------
_UNARY = {
    "Abs": "Abs", "Acos": "Acos", "Acosh": "Acosh", "Asin": "Asin", "Asinh": "Asinh",
    "Atan": "Atan", "Atanh": "Atanh", "Ceil": "Ceiling", "Cos": "Cos", "Cosh": "Cosh",
    "Erf": "Erf", "Exp": "Exp", "Floor": "Floor", "Log": "Log", "Neg": "Negative",
    "Sigmoid": "Sigmoid", "Sign": "Sign", "Sin": "Sin", "Sinh": "Sinh", "Sqrt": "Sqrt",
    "Tan": "Tan", "Tanh": "Tanh", "Relu": "Relu", "Softplus": "SoftPlus",
    "Softsign": "SoftSign", "Mish": "Mish", "HardSwish": "HSwish", "Not": "LogicalNot",
    "BitwiseNot": "BitwiseNot", "IsNaN": "IsNaN",
}


def _unary(ov_name: str) -> Any:
    def mapping(ctx: NodeContext) -> Any:
        return ctx.make(ov_name, ctx.input(0))

    return mapping


for _onnx_name, _ov_name in _UNARY.items():
    onnx_op(_onnx_name)(_unary(_ov_name))


@onnx_op("Round")
def round_(ctx: NodeContext) -> Any:
    return ctx.make("Round", ctx.input(0), mode="half_to_even")


@onnx_op("Reciprocal")
def reciprocal(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    return ctx.make("Divide", ctx.const_like(1, x), x)


@onnx_op("IsInf")
def is_inf(ctx: NodeContext) -> Any:
    return ctx.make("IsInf", ctx.input(0),
                    detect_negative=bool(ctx.attr("detect_negative", 1)),
                    detect_positive=bool(ctx.attr("detect_positive", 1)))


@onnx_op("BitShift")
def bit_shift(ctx: NodeContext) -> Any:
    direction = ctx.attr("direction").upper()
    ov = {"LEFT": "BitwiseLeftShift", "RIGHT": "BitwiseRightShift"}.get(direction)
    if ov is None:
        ctx.fail(f"unknown direction '{direction}'")
    return ctx.make(ov, ctx.input(0), ctx.input(1))


# --- activations ------------------------------------------------------------------------------
@onnx_op("Elu")
def elu(ctx: NodeContext) -> Any:
    return ctx.make("Elu", ctx.input(0), alpha=float(ctx.attr("alpha", 1.0)))


def _prelu(ctx: NodeContext, x: Output, slope: Output) -> Any:
    rx, rs = ctx.rank(x), ctx.rank(slope)
    if rx is not None and rs is not None and rs < rx:
        # ONNX broadcasts the slope numpy-style from the right; make that explicit
        slope = unsqueeze(ctx, slope, list(range(rx - rs)))
    return ctx.make("PRelu", x, slope)


@onnx_op("LeakyRelu")
def leaky_relu(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    return _prelu(ctx, x, ctx.const_like(np.array([ctx.attr("alpha", 0.01)]), x))


@onnx_op("PRelu")
def prelu(ctx: NodeContext) -> Any:
    return _prelu(ctx, ctx.input(0), ctx.input(1))


@onnx_op("Selu")
def selu(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    alpha = ctx.attr("alpha", 1.67326319217681884765625)
    gamma = ctx.attr("gamma", 1.05070102214813232421875)
    return ctx.make("Selu", x, ctx.const_like(np.array([alpha]), x),
                    ctx.const_like(np.array([gamma]), x))


@onnx_op("HardSigmoid")
def hard_sigmoid(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    return ctx.make("HardSigmoid", x, ctx.const_like(ctx.attr("alpha", 0.2), x),
                    ctx.const_like(ctx.attr("beta", 0.5), x))


@onnx_op("ThresholdedRelu")
def thresholded_relu(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    mask = ctx.make("Greater", x, ctx.const_like(ctx.attr("alpha", 1.0), x))
    return ctx.make("Select", mask, x, ctx.const_like(0, x))


@onnx_op("Gelu", since=20)
def gelu(ctx: NodeContext) -> Any:
    mode = ctx.attr("approximate", "none")
    return ctx.make("Gelu", ctx.input(0), approximation_mode="tanh" if mode == "tanh" else "erf")


@onnx_op("Swish", since=24)
def swish(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    return ctx.make("Swish", x, ctx.const_like(ctx.attr("alpha", 1.0), x))


@onnx_op("Clip")
def clip(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    if ctx.opset < 11:
        lo = ctx.attr("min", None)
        hi = ctx.attr("max", None)
        out = x
        if lo is not None:
            out = ctx.make("Maximum", out, ctx.const_like(lo, x)).output(0)
        if hi is not None:
            out = ctx.make("Minimum", out, ctx.const_like(hi, x)).output(0)
        return out
    out = x
    if ctx.has_input(1):
        out = ctx.make("Maximum", out, ctx.input(1)).output(0)
    if ctx.has_input(2):
        out = ctx.make("Minimum", out, ctx.input(2)).output(0)
    return out


# --- casts -----------------------------------------------------------------------------------
@onnx_op("Cast")
def cast(ctx: NodeContext) -> Any:
    from .types import ov_type

    et = ov_type(ctx.attr("to"), "Cast target")
    return onnx_cast(ctx, ctx.input(0), et)


@onnx_op("CastLike")
def cast_like(ctx: NodeContext) -> Any:
    like = ctx.input(1)
    if like.get_element_type().is_dynamic():
        return ctx.make("ConvertLike", ctx.input(0), like)
    return onnx_cast(ctx, ctx.input(0), like.get_element_type())


@onnx_op("Where")
def where(ctx: NodeContext) -> Any:
    return ctx.make("Select", ctx.input(0), ctx.input(1), ctx.input(2))


# --- reductions ------------------------------------------------------------------------------
def _reduce_axes(ctx: NodeContext, x: Output, input_since: int) -> Output | None:
    """The axes of a Reduce* node as an i64 tensor; ``None`` means "leave the input as is"
    (``noop_with_empty_axes`` with no axes)."""
    if ctx.opset >= input_since:
        axes = ctx.opt(1)
        if axes is not None:
            v = ctx.value(1)
            ps = axes.get_partial_shape()
            empty = (v is not None and v.size == 0) or (ps.is_static and ps.to_shape() == [0])
            if not empty:
                return convert(ctx, axes, Type.i64)
        if ctx.attr("noop_with_empty_axes", 0):
            return None
        return all_axes(ctx, x)
    axes_attr = ctx.attr("axes", None)
    if axes_attr:
        return ctx.const(np.asarray(axes_attr, np.int64))
    return all_axes(ctx, x)


def _reduction(ov_name: str, input_since: int, pre: Any = None, post: Any = None) -> Any:
    def mapping(ctx: NodeContext) -> Any:
        x = ctx.input(0)
        axes = _reduce_axes(ctx, x, input_since)
        data = pre(ctx, x) if pre is not None else x
        if axes is None:
            out = data
        else:
            name = ov_name
            if x.get_element_type() == Type.boolean:
                name = {"ReduceMax": "ReduceLogicalOr",
                        "ReduceMin": "ReduceLogicalAnd"}.get(ov_name, ov_name)
            out = ctx.make(name, data, axes,
                           keep_dims=bool(ctx.attr("keepdims", 1))).output(0)
        return post(ctx, out) if post is not None else out

    return mapping


def _square(ctx: NodeContext, x: Output) -> Output:
    return ctx.make("Multiply", x, x).output(0)


def _exp(ctx: NodeContext, x: Output) -> Output:
    return ctx.make("Exp", x).output(0)


def _log(ctx: NodeContext, x: Output) -> Output:
    return ctx.make("Log", x).output(0)


onnx_op("ReduceSum")(_reduction("ReduceSum", 13))
for _name, _ov in [("ReduceMean", "ReduceMean"), ("ReduceMax", "ReduceMax"),
                   ("ReduceMin", "ReduceMin"), ("ReduceProd", "ReduceProd"),
                   ("ReduceL1", "ReduceL1"), ("ReduceL2", "ReduceL2")]:
    onnx_op(_name)(_reduction(_ov, 18))
onnx_op("ReduceSumSquare")(_reduction("ReduceSum", 18, pre=_square))
onnx_op("ReduceLogSum")(_reduction("ReduceSum", 18, post=_log))
onnx_op("ReduceLogSumExp")(_reduction("ReduceSum", 18, pre=_exp, post=_log))


def _arg(mode: str) -> Any:
    def mapping(ctx: NodeContext) -> Any:
        x = ctx.input(0)
        axis = int(ctx.attr("axis", 0))
        keep = bool(ctx.attr("keepdims", 1))
        last = bool(ctx.attr("select_last_index", 0))
        data = x
        if last:
            data = ctx.make("Slice", x, ctx.const(np.array([-1], np.int64)),
                            ctx.const(np.array([np.iinfo(np.int64).min], np.int64)),
                            ctx.const(np.array([-1], np.int64)),
                            ctx.const(np.array([axis], np.int64))).output(0)
        topk = ctx.make("TopK", data, ctx.const(np.int64(1)), axis=axis, mode=mode,
                        sort="none", index_element_type=Type.i64, stable=True)
        idx = topk.output(1)
        if last:
            n = dim(ctx, x, axis)
            idx = ctx.make("Subtract", ctx.make("Subtract", n, ctx.const(np.int64(1))),
                           idx).output(0)
        if not keep:
            idx = squeeze(ctx, idx, [axis])
        return idx

    return mapping


onnx_op("ArgMax")(_arg("max"))
onnx_op("ArgMin")(_arg("min"))


# --- softmax family ------------------------------------------------------------------------
def _softmax(ov_name: str) -> Any:
    def mapping(ctx: NodeContext) -> Any:
        x = ctx.input(0)
        if ctx.opset >= 13:
            return ctx.make(ov_name, x, axis=int(ctx.attr("axis", -1)))
        flat = flatten_2d(ctx, x, int(ctx.attr("axis", 1)))
        out = ctx.make(ov_name, flat, axis=1)
        return ctx.make("Reshape", out, shape_of(ctx, x), special_zero=False)

    return mapping


onnx_op("Softmax")(_softmax("Softmax"))
onnx_op("LogSoftmax")(_softmax("LogSoftmax"))


def _hardmax_on(ctx: NodeContext, x: Output, axis: int) -> Output:
    topk = ctx.make("TopK", x, ctx.const(np.int64(1)), axis=axis, mode="max", sort="none",
                    index_element_type=Type.i64, stable=True)
    idx = squeeze(ctx, topk.output(1), [axis])
    depth = dim(ctx, x, axis)
    return ctx.make("OneHot", idx, depth, ctx.const_like(1, x), ctx.const_like(0, x),
                    axis=axis).output(0)


@onnx_op("Hardmax")
def hardmax(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    if ctx.opset >= 13:
        axis = int(ctx.attr("axis", -1))
        r = ctx.rank(x)
        if axis < 0 and r is not None:
            axis += r
        return _hardmax_on(ctx, x, axis)
    flat = flatten_2d(ctx, x, int(ctx.attr("axis", 1)))
    out = _hardmax_on(ctx, flat, 1)
    return ctx.make("Reshape", out, shape_of(ctx, x), special_zero=False)


# --- matrix products -----------------------------------------------------------------------
@onnx_op("MatMul")
def matmul(ctx: NodeContext) -> Any:
    return ctx.make("MatMul", ctx.input(0), ctx.input(1), transpose_a=False, transpose_b=False)


@onnx_op("Gemm")
def gemm(ctx: NodeContext) -> Any:
    a, b = ctx.input(0), ctx.input(1)
    y = ctx.make("MatMul", a, b, transpose_a=bool(ctx.attr("transA", 0)),
                 transpose_b=bool(ctx.attr("transB", 0))).output(0)
    alpha = float(ctx.attr("alpha", 1.0))
    if alpha != 1.0:
        y = ctx.make("Multiply", y, ctx.const_like(alpha, y)).output(0)
    c = ctx.opt(2)
    if c is not None:
        beta = float(ctx.attr("beta", 1.0))
        if beta != 1.0:
            c = ctx.make("Multiply", c, ctx.const_like(beta, c)).output(0)
        y = ctx.make("Add", y, c).output(0)
    return y


@onnx_op("Einsum")
def einsum(ctx: NodeContext) -> Any:
    equation = ctx.attr("equation").replace(" ", "")
    return ctx.make("Einsum", *ctx.inputs(), equation=equation)


@onnx_op("CumSum")
def cumsum(ctx: NodeContext) -> Any:
    return ctx.make("CumSum", ctx.input(0), ctx.input(1),
                    exclusive=bool(ctx.attr("exclusive", 0)),
                    reverse=bool(ctx.attr("reverse", 0)))


@onnx_op("CumProd", since=26)
def cumprod(ctx: NodeContext) -> Any:
    """OpenVINO has no CumProd: a scan of ``ceil(log2(n))`` steps along the axis (``n`` its
    static length), each multiplying the running products by themselves shifted ``k``
    places (``k`` = 1, 2, 4, ...) with ones shifted in. An axis given at run time picks
    (Select) among the scans along every axis."""
    x = ctx.input(0)
    r = ctx.need_rank(x)
    exclusive, reverse = bool(ctx.attr("exclusive", 0)), bool(ctx.attr("reverse", 0))
    axis_v = ctx.value(1)
    if axis_v is not None:
        if np.asarray(axis_v).size != 1:
            ctx.fail("CumProd's axis must be a scalar")
        axis = int(np.asarray(axis_v).reshape(-1)[0])
        if not -r <= axis < r:
            ctx.fail(f"axis {axis} is out of range for rank {r}")
        return _scan_product(ctx, x, axis % r, exclusive, reverse)
    axis_in = ctx.make("Reshape", convert(ctx, ctx.input(1), Type.i64),
                       ctx.const(np.array([], np.int64)), special_zero=False).output(0)
    axis_in = ctx.make("FloorMod", axis_in, ctx.const(np.int64(r))).output(0)
    out = _scan_product(ctx, x, r - 1, exclusive, reverse)
    for a in range(r - 1):
        pick = ctx.make("Equal", axis_in, ctx.const(np.int64(a))).output(0)
        out = ctx.make("Select", pick, _scan_product(ctx, x, a, exclusive, reverse),
                       out).output(0)
    return out


def _scan_product(ctx: NodeContext, x: Output, axis: int, exclusive: bool,
                  reverse: bool) -> Output:
    r = ctx.need_rank(x)
    dim_ = ctx.shape(x)[axis]
    if dim_.is_dynamic:
        ctx.fail(f"CumProd needs a static length along axis {axis}")
    n = dim_.get_length()
    at = ctx.const(np.array([axis], np.int64))
    one = ctx.const_like(1, x)

    def shift(v: Output, k: int) -> Output:
        """``v`` moved ``k`` places up the axis, ones in front, the last ``k`` dropped."""
        head = ctx.make("Slice", v, ctx.const(np.array([0], np.int64)),
                        ctx.const(np.array([n - k], np.int64)),
                        ctx.const(np.array([1], np.int64)), at).output(0)
        pads = np.zeros(r, np.int64)
        pads[axis] = k
        return ctx.make("Pad", head, ctx.const(pads), ctx.const(np.zeros(r, np.int64)), one,
                        pad_mode="constant").output(0)

    def flip(v: Output) -> Output:
        return ctx.make("Slice", v, ctx.const(np.array([-1], np.int64)),
                        ctx.const(np.array([np.iinfo(np.int64).min], np.int64)),
                        ctx.const(np.array([-1], np.int64)), at).output(0)

    if reverse:
        x = flip(x)
    if exclusive and n > 0:
        x = shift(x, 1)
    k = 1
    while k < n:
        x = ctx.make("Multiply", x, shift(x, k)).output(0)
        k *= 2
    return flip(x) if reverse else x


@onnx_op("Range")
def range_(ctx: NodeContext) -> Any:
    start, limit, delta = ctx.input(0), ctx.input(1), ctx.input(2)
    return ctx.make("Range", start, limit, delta, output_type=start.get_element_type())


@onnx_op("Shrink")
def shrink(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    lambd = ctx.const_like(float(ctx.attr("lambd", 0.5)), x)
    bias = ctx.const_like(float(ctx.attr("bias", 0.0)), x)
    neg_l = ctx.const_like(-float(ctx.attr("lambd", 0.5)), x)
    zero = ctx.const_like(0, x)
    upper = ctx.make("Select", ctx.make("Greater", x, lambd), ctx.make("Subtract", x, bias),
                     zero)
    return ctx.make("Select", ctx.make("Less", x, neg_l), ctx.make("Add", x, bias), upper)
