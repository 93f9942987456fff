"""Lowering of elementwise and row-wise ops: binary and unary elementwise, Softmax, MVN,
reductions, Convert, Select, BatchNormInference, and the reshaping ops that are views."""

from __future__ import annotations

import numpy as np

from openvino import Type
from openvino.plugin.passes import (
    COMPARISONS,
    EltwiseStep,
    Op,
    Value,
    binary_function,
    mvn_tail,
    unary_step,
)

from .._native import lib
from .eltwise_table import bin_code
from .lower_integer import lower_integer_binary
from .lowering import Lowering, handler
from .steps import collapse, contiguous_strides, strided_range
from .support import batchnorm_supported, is_f32

__all__: list[str] = []

#: element type -> kernels/convert.c code
CONVERT_CODES = {
    "f32": 1, "f16": 2, "f64": 3, "i8": 4, "u8": 5, "i16": 6, "u16": 7, "i32": 8, "u32": 9,
    "i64": 10, "u64": 11, "boolean": 12,
}


def broadcast_strides(shape: tuple[int, ...], out: tuple[int, ...]) -> list[int]:
    """Element strides of a contiguous ``shape`` read numpy-broadcast into ``out``."""
    rank = len(out)
    shape = (1,) * (rank - len(shape)) + tuple(shape)
    own = contiguous_strides(shape)
    return [0 if shape[d] == 1 and out[d] != 1 else own[d] for d in range(rank)]


@handler("Reshape", "Squeeze", "Unsqueeze")
def lower_reshape(lw: Lowering, op: Op) -> bool:
    x, y = op.inputs[0], op.outputs[0]
    return x.nbytes == y.nbytes and lw.view(y, x, 0)


@handler("Convert")
def lower_convert(lw: Lowering, op: Op) -> bool:
    x, y = op.inputs[0], op.outputs[0]
    if x.type == y.type or (x.dtype == y.dtype and x.type.get_type_name() in CONVERT_CODES
                            and y.type.get_type_name() in CONVERT_CODES
                            and x.type != Type.boolean and y.type != Type.boolean):
        if lw.view(y, x, 0):
            return True
    src = CONVERT_CODES.get(x.type.get_type_name())
    dst = CONVERT_CODES.get(y.type.get_type_name())
    if src is None or dst is None:
        return False
    if y.size == 0:
        lw.need(y)
        return True
    s = lw.step(lib.OV_K_CONVERT, op, f"ref_convert_{x.type.get_type_name()}")
    lw.operand(s, x)
    lw.operand(s, y, write=True)
    s.p = [y.size, src, dst]
    return True


def _binary_step(lw: Lowering, op: Op, function: str, a: Value, b: Value, y: Value,
                 posts: list[EltwiseStep]) -> None:
    out = y.shape
    sa = broadcast_strides(a.shape, out)
    sb = broadcast_strides(b.shape, out)
    so = contiguous_strides(out)
    shape, (sa, sb, _so) = collapse(out, sa, sb, so)
    s = lw.step(lib.OV_K_BINARY, op, "jit_eltwise_f32")
    lw.need(a)
    lw.need(b)
    s.add(a, 0, *_elem_range(shape, sa, 4))
    s.add(b, 0, *_elem_range(shape, sb, 4))
    lw.operand(s, y, write=True)
    rank = len(shape)
    pad = [0] * (6 - rank)
    s.p = ([bin_code(function), rank] + shape + [1] * (6 - rank) + sa + pad + sb + pad
           + [1 if function in COMPARISONS else 0])
    s.bind_posts(posts, out, (0, 0))


def _elem_range(shape: list[int], strides: list[int], elsize: int) -> tuple[int, int]:
    return strided_range(shape, [st * elsize for st in strides], elsize)


@handler("Add", "Subtract", "Multiply", "Divide", "Maximum", "Minimum", "Power",
         "SquaredDifference", "Equal", "NotEqual", "Less", "LessEqual", "Greater",
         "GreaterEqual")
def lower_binary(lw: Lowering, op: Op) -> bool:
    posts = list(op.post_ops)
    act = unary_step(op) if op.type == "Power" else None
    if act is not None:
        return _unary_step(lw, op, [act] + posts)
    function = binary_function(op)
    if function is None:  # integer arithmetic has its own kernel
        return lower_integer_binary(lw, op)
    a, b = op.inputs[:2]
    y = op.outputs[0]
    if len(y.shape) > 6 and len(collapse(y.shape, broadcast_strides(a.shape, y.shape),
                                         broadcast_strides(b.shape, y.shape))[0]) > 6:
        return False
    if y.size == 0:
        lw.need(y)
        return True
    _binary_step(lw, op, function, a, b, y, posts)
    return True


def _unary_step(lw: Lowering, op: Op, posts: list[EltwiseStep],
                groups: tuple[int, int] = (0, 0), x: Value | None = None) -> bool:
    x = op.inputs[0] if x is None else x
    y = op.outputs[0]
    if y.size == 0:
        lw.need(y)
        return True
    nb, nr = groups
    B = int(np.prod(y.shape[:nb], dtype=np.int64))
    M = int(np.prod(y.shape[nb:nb + nr], dtype=np.int64))
    N = int(np.prod(y.shape[nb + nr:], dtype=np.int64))
    room = int(lib.OV_MAX_POST)
    # an activation with a full post-op tail is one more than a step holds: the rest run
    # in place on y in further steps
    for start in range(0, max(len(posts), 1), room):
        s = lw.step(lib.OV_K_UNARY, op, "jit_eltwise_f32")
        lw.operand(s, x if start == 0 else y)
        lw.operand(s, y, write=True)
        s.p = [B, M, N]
        s.bind_posts(posts[start:start + room], y.shape, groups)
    return True


@handler("Relu", "Sigmoid", "Tanh", "Gelu", "Swish", "HSwish", "HSigmoid", "Elu", "Exp",
         "Log", "Abs", "Negative", "Sqrt", "SoftPlus", "Mish", "Erf", "Floor", "Ceiling",
         "Clamp", "Sign", "Sin", "Cos", "Tan", "HardSigmoid", "Selu", "Round", "PRelu")
def lower_activation(lw: Lowering, op: Op) -> bool:
    posts = list(op.post_ops)
    act = unary_step(op)
    if act is not None:
        return _unary_step(lw, op, [act] + posts)
    if op.type == "PRelu" and is_f32(*op.inputs, op.outputs[0]):
        x, slope = op.inputs[:2]
        y = op.outputs[0]
        if len(slope.shape) == 1 and len(x.shape) >= 2 and slope.shape[0] == x.shape[1]:
            if not slope.is_const:
                return False
            slope = lw.graph.const(np.asarray(slope.const, np.float32).reshape(
                (-1,) + (1,) * (len(x.shape) - 2)))
        if y.shape != x.shape:
            return False
        _binary_step(lw, op, "prelu", x, slope, y, posts)
        return True
    return False


@handler("Softmax", "LogSoftmax")
def lower_softmax(lw: Lowering, op: Op) -> bool:
    x, y = op.inputs[0], op.outputs[0]
    if not is_f32(x, y) or not x.shape:
        return False
    rank = len(x.shape)
    axis = int(op.attr("axis", 1))
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis < rank:
        return False
    if y.size == 0:
        lw.need(y)
        return True
    outer = int(np.prod(x.shape[:axis], dtype=np.int64))
    inner = int(np.prod(x.shape[axis + 1:], dtype=np.int64))
    s = lw.step(lib.OV_K_SOFTMAX, op, "jit_softmax_f32")
    lw.operand(s, x)
    lw.operand(s, y, write=True)
    s.p = [outer, x.shape[axis], inner, 1 if op.type == "LogSoftmax" else 0]
    return True


@handler("MVN")
def lower_mvn(lw: Lowering, op: Op) -> bool:
    tail = mvn_tail(op)
    x, y = op.inputs[0], op.outputs[0]
    if tail is None:
        return False
    if y.size == 0:
        lw.need(y)
        return True
    rank = len(x.shape)
    outer = int(np.prod(x.shape[:rank - tail], dtype=np.int64))
    inner = int(np.prod(x.shape[rank - tail:], dtype=np.int64))
    if op.node.version == "opset6":
        outside = op.attr("eps_mode") == "outside_sqrt"
    else:
        outside = False
    s = lw.step(lib.OV_K_MVN, op, "jit_mvn_f32")
    lw.operand(s, x)
    lw.operand(s, y, write=True)
    s.p = [outer, inner, 1 if op.attr("normalize_variance", True) else 0, 1 if outside else 0]
    s.f = [float(op.attr("eps"))]
    s.bind_posts(list(op.post_ops), y.shape, (0, rank - tail))
    return True


_REDUCE_CODES = {"ReduceSum": 1, "ReduceMean": 2, "ReduceMax": 3, "ReduceMin": 4,
                 "ReduceProd": 5, "ReduceL1": 6, "ReduceL2": 7}


@handler(*_REDUCE_CODES)
def lower_reduce(lw: Lowering, op: Op) -> bool:
    x, axes_v = op.inputs[:2]
    y = op.outputs[0]
    if not is_f32(x, y) or not axes_v.is_const:
        return False
    rank = len(x.shape)
    if rank == 0:
        return lw.view(y, x, 0)
    try:
        axes = sorted({int(a) % rank for a in np.asarray(axes_v.const).reshape(-1)})
    except ZeroDivisionError:
        return False
    if not axes:  # nothing reduced: sum/mean/max/min/prod keep the values
        if op.type in ("ReduceL1", "ReduceL2"):
            return False
        return lw.view(y, x, 0) if y.nbytes == x.nbytes else False
    if axes != list(range(axes[0], axes[-1] + 1)):
        return _reduce_in_stages(lw, op, x, y, axes)
    if y.size == 0:
        lw.need(y)
        return True
    outer = int(np.prod(x.shape[:axes[0]], dtype=np.int64))
    red = int(np.prod([x.shape[a] for a in axes], dtype=np.int64))
    inner = int(np.prod(x.shape[axes[-1] + 1:], dtype=np.int64))
    if red == 0:
        return False
    s = lw.step(lib.OV_K_REDUCE, op, "jit_reduce_f32")
    lw.operand(s, x)
    lw.operand(s, y, write=True)
    s.p = [outer, red, inner, _REDUCE_CODES[op.type]]
    return True


def _reduce_in_stages(lw: Lowering, op: Op, x: Value, y: Value, axes: list[int]) -> bool:
    """Axes that are not one contiguous block: one reduce step per block of adjacent axes
    (reduced dims kept as 1 in between); sum, mean, max, min and prod stage as themselves,
    L1 as L1 then sums, L2 as a sum of squares, sums, then a square root in place."""
    if y.size == 0:
        lw.need(y)
        return True
    groups: list[list[int]] = []
    for a in axes:
        if groups and a == groups[-1][-1] + 1:
            groups[-1].append(a)
        else:
            groups.append([a])
    cur = list(x.shape)
    if any(cur[a] == 0 for a in axes):
        return False
    code = _REDUCE_CODES[op.type]
    first = {6: 6, 7: 8}.get(code, code)  # L1: |x| first; L2: squares first
    later = 1 if code in (6, 7) else code
    src = x
    for i, g in enumerate(groups):
        outer = int(np.prod(cur[:g[0]], dtype=np.int64))
        red = int(np.prod(cur[g[0]:g[-1] + 1], dtype=np.int64))
        inner = int(np.prod(cur[g[-1] + 1:], dtype=np.int64))
        for a in g:
            cur[a] = 1
        dst = y if i == len(groups) - 1 else lw.graph.new_value(Type.f32, tuple(cur))
        s = lw.step(lib.OV_K_REDUCE, op, "jit_reduce_f32")
        lw.operand(s, src)
        lw.operand(s, dst, write=True)
        s.p = [outer, red, inner, first if i == 0 else later]
        src = dst
    if code == 7:
        _unary_step(lw, op, [EltwiseStep("sqrt")], (0, 0), y)
    return True


@handler("Select")
def lower_select(lw: Lowering, op: Op) -> bool:
    c, a, b = op.inputs[:3]
    y = op.outputs[0]
    if c.type != Type.boolean or a.dtype != y.dtype or b.dtype != y.dtype:
        return False
    if op.attr("auto_broadcast", "numpy") not in ("numpy", "none"):
        return False
    if y.size == 0:
        lw.need(y)
        return True
    out = y.shape
    sc = broadcast_strides(c.shape, out)
    sa = broadcast_strides(a.shape, out)
    sb = broadcast_strides(b.shape, out)
    shape, (sc, sa, sb, _so) = collapse(out, sc, sa, sb, contiguous_strides(out))
    if len(shape) > 6:
        return False
    es = y.dtype.itemsize
    s = lw.step(lib.OV_K_SELECT, op, "ref_select")
    for v, st, size in ((c, sc, 1), (a, sa, es), (b, sb, es)):
        lw.need(v)
        s.add(v, 0, *_elem_range(shape, st, size))
    lw.operand(s, y, write=True)
    rank = len(shape)
    pad = [0] * (6 - rank)
    s.p = [rank, es] + shape + [1] * (6 - rank) + sc + pad + sa + pad + sb + pad
    return True


def _channel_vector(step: EltwiseStep, shape: tuple[int, ...]) -> np.ndarray | None:
    """The constant operand of ``step`` as one value per channel (axis 1 of ``shape``),
    when it is constant and varies along no other axis; else None."""
    v = step.operand
    if v is None or not v.is_const or len(v.shape) > len(shape):
        return None
    full = (1,) * (len(shape) - len(v.shape)) + tuple(v.shape)
    if any(d != 1 for i, d in enumerate(full) if i != 1):
        return None
    values = np.asarray(v.const, np.float64).reshape(-1)
    return np.broadcast_to(values, (shape[1],)) if values.size in (1, shape[1]) else None


def _fold_affine(scale: np.ndarray, shift: np.ndarray, posts: list[EltwiseStep],
                 shape: tuple[int, ...]) -> int:
    """Fold the leading per-channel Multiply / Add / Subtract post ops into ``scale`` and
    ``shift`` (in place); returns how many were folded."""
    n = 0
    for step in posts:
        c = _channel_vector(step, shape)
        if c is None:
            break
        if step.function == "multiply":
            scale *= c
            shift *= c
        elif step.function == "add":
            shift += c
        elif step.function == "subtract" and not step.swap:
            shift -= c
        elif step.function == "subtract":
            scale *= -1.0
            shift[:] = c - shift
        else:
            break
        n += 1
    return n


@handler("BatchNormInference")
def lower_batchnorm(lw: Lowering, op: Op) -> bool:
    """One pass x * scale + shift per channel; the per-channel Multiply / Add tails the
    fusion gave it (DenseNet's BN, Mul, Add before each convolution) fold into the two
    vectors, the rest (ReLU ...) stay post ops."""
    if not batchnorm_supported(op):
        return False
    order = getattr(op.node, "order", (0, 1, 2, 3, 4))
    x = op.inputs[order[0]]
    params = [op.inputs[i] for i in order[1:]]
    y = op.outputs[0]
    gamma, beta, mean, var = (np.asarray(p.const, np.float64).reshape(-1) for p in params)
    scale = gamma / np.sqrt(var + float(op.attr("epsilon")))
    shift = beta - mean * scale
    rest = list(op.post_ops)
    del rest[:_fold_affine(scale, shift, rest, tuple(y.shape))]
    tail = (1,) * (len(x.shape) - 2)
    sv = lw.graph.const(scale.astype(np.float32).reshape((-1,) + tail))
    bv = lw.graph.const(shift.astype(np.float32).reshape((-1,) + tail))
    posts = [EltwiseStep("multiply", sv), EltwiseStep("add", bv)] + rest
    return _unary_step(lw, op, posts, (1, 1), x)
