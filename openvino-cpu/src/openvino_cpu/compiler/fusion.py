"""Fusions: elementwise tails folded into the op that produces their input.

A convolution, matmul, pooling, MVN, binary or activation op takes the chain of ops that
follows it (each the only consumer of the previous value) as post ops, as long as each
tail op keeps the shape and reads at most one other tensor laid out so the kernel can
index it per output row / column / batch (``steps.post_layout``). The fused op then runs
where the last tail op was.

Convolutions first absorb a per-channel Multiply by a constant and BatchNormInference into
their filters (the BatchNorm's shift becomes a bias post op).
"""

from __future__ import annotations

import numpy as np

from openvino import Type

from .._native import lib
from .eltwise_table import COMMUTATIVE, COMPARISONS, activation, binary_code
from .graph import Graph, Op, Value
from .steps import PostSpec, post_layout
from .support import conv_supported, matmul_supported, mvn_tail, pool_supported

__all__ = ["fuse_post_ops", "post_groups"]

_MAX_BUFS = 8


def post_groups(op: Op) -> tuple[int, int] | None:
    """How the op's kernel sees its output for post ops: (batch dims, row dims); None when
    the op takes no post ops."""
    if not op.outputs or op.outputs[0].type != Type.f32:
        return None
    rank = len(op.outputs[0].shape)
    if op.type in ("Convolution", "GroupConvolution") and conv_supported(op):
        return (1, 1)
    if op.type in ("MaxPool", "AvgPool") and pool_supported(op):
        return (1, 1)
    if op.type == "MatMul" and matmul_supported(op):
        return (rank - 2, 1) if rank >= 2 else (0, 0)
    if op.type == "MVN":
        tail = mvn_tail(op)
        return None if tail is None else (0, rank - tail)
    code = binary_code(op)
    if code is not None and code not in COMPARISONS:
        return (0, 0)
    if activation(op) is not None:
        return (0, 0)
    return None


def _base_buffers(op: Op) -> int:
    """Operands the op's step uses before its post-op operands."""
    if op.type in ("MatMul", "Convolution", "GroupConvolution"):
        return 5
    if code_is_binary(op):
        return 3
    return 2


def code_is_binary(op: Op) -> bool:
    return binary_code(op) is not None


def _per_row(graph: Graph, value: Value, out_shape: tuple[int, ...],
             groups: tuple[int, int]) -> np.ndarray | None:
    """The per-output-channel vector a constant operand holds, when it is one."""
    if not value.is_const or value.type != Type.f32 or len(out_shape) < 2:
        return None
    layout = post_layout(value.shape, out_shape, groups)
    if layout is None or layout[1] != 0 or layout[2] != 0:
        return None
    aligned = np.asarray(value.const, np.float32).reshape(
        _right_align(value.shape, len(out_shape)))
    full = (1, out_shape[1]) + (1,) * (len(out_shape) - 2)
    return np.broadcast_to(aligned, full).reshape(-1).copy()


def _right_align(shape: tuple[int, ...], rank: int) -> tuple[int, ...]:
    shape = tuple(shape)[-rank:] if len(shape) > rank else tuple(shape)
    return (1,) * (rank - len(shape)) + shape


def _batchnorm(op: Op, data: Value) -> tuple[np.ndarray, np.ndarray] | None:
    """(scale, shift) per channel of a BatchNormInference on ``data`` with constant
    parameters."""
    if op.type != "BatchNormInference":
        return None
    order = getattr(op.node, "order", (0, 1, 2, 3, 4))
    if op.inputs[order[0]] is not data:
        return None
    params = [op.inputs[i] for i in order[1:]]
    if not all(p.is_const and p.type == Type.f32 for p in params):
        return None
    gamma, beta, mean, var = (np.asarray(p.const, np.float64).reshape(-1) for p in params)
    eps = float(op.attr("epsilon"))
    scale = gamma / np.sqrt(var + eps)
    shift = beta - mean * scale
    return scale.astype(np.float32), shift.astype(np.float32)


def _tail(graph: Graph, t: Op, v: Value, groups: tuple[int, int]) -> list[PostSpec] | None:
    """Post ops computing tail op ``t`` on the chain value ``v``, or None."""
    if not t.outputs or t.outputs[0].shape != v.shape or t.outputs[0].type != Type.f32:
        return None
    if len(t.outputs) != 1:
        return None
    act = activation(t)
    if act is not None and t.inputs[0] is v and all(x.is_const for x in t.inputs[1:]):
        code, alpha, beta = act
        return [PostSpec(lib.OV_PO_ACT, code, None, False, alpha, beta, t.name, t.type)]
    if t.type == "PRelu" and t.inputs[0] is v and t.inputs[1] is not v:
        slope = t.inputs[1]
        if len(slope.shape) == 1 and len(v.shape) >= 2 and slope.shape[0] == v.shape[1]:
            if not slope.is_const:
                return None
            slope = graph.const(np.asarray(slope.const, np.float32).reshape(
                (-1,) + (1,) * (len(v.shape) - 2)))
        if post_layout(slope.shape, v.shape, groups) is None:
            return None
        return [PostSpec(lib.OV_PO_BIN, lib.OV_BIN_PRELU, slope, False, 0, 0, t.name, t.type)]
    code = binary_code(t)
    if code is None or code in COMPARISONS:
        return None
    a, b = t.inputs[:2]
    if a is v and b is not v:
        other, swap = b, False
    elif b is v and a is not v:
        other, swap = a, True
    else:
        return None
    if post_layout(other.shape, v.shape, groups) is None:
        return None
    if code in COMMUTATIVE:
        swap = False
    return [PostSpec(lib.OV_PO_BIN, code, other, swap, 0.0, 0.0, t.name, t.type)]


def fuse_post_ops(graph: Graph) -> int:
    """Fuse tails into their producers; returns the number of tail ops absorbed."""
    absorbed = 0
    for op in list(graph.ops):
        if op not in graph.ops:
            continue
        groups = post_groups(op)
        if groups is None:
            continue
        v = op.outputs[0]
        out_shape = v.shape
        posts: list[PostSpec] = list(op.info.get("posts", []))
        tails: list[Op] = []
        is_conv = op.type in ("Convolution", "GroupConvolution")
        operands = sum(1 for p in posts if p.operand is not None)
        while len(v.consumers) == 1 and not graph.is_output(v):
            t = v.consumers[0]
            if is_conv and not posts:
                vec = None
                if t.type == "Multiply":
                    other = t.inputs[1] if t.inputs[0] is v else t.inputs[0]
                    if other is not v and t.outputs[0].shape == v.shape:
                        vec = _per_row(graph, other, out_shape, groups)
                if vec is not None:
                    op.info["wscale"] = op.info.get("wscale", 1.0) * vec
                    tails.append(t)
                    v = t.outputs[0]
                    continue
                bn = _batchnorm(t, v)
                if bn is not None and t.outputs[0].shape == v.shape:
                    scale, shift = bn
                    op.info["wscale"] = op.info.get("wscale", 1.0) * scale
                    shift_v = graph.const(shift.reshape((-1,) + (1,) * (len(out_shape) - 2)))
                    posts.append(PostSpec(lib.OV_PO_BIN, lib.OV_BIN_ADD, shift_v, False, 0, 0,
                                          t.name, t.type))
                    operands += 1
                    tails.append(t)
                    v = t.outputs[0]
                    continue
            specs = _tail(graph, t, v, groups)
            if specs is None:
                break
            extra = sum(1 for s in specs if s.operand is not None)
            if len(posts) + len(specs) > lib.OV_MAX_POST or \
                    _base_buffers(op) + operands + extra > _MAX_BUFS:
                break
            posts.extend(specs)
            operands += extra
            tails.append(t)
            v = t.outputs[0]
        if not tails:
            continue
        # the fused op runs where its last tail ran and produces the last value
        last_index = graph.ops.index(tails[-1])
        graph.ops.remove(op)
        graph.ops.insert(last_index, op)
        for t in tails:
            for x in t.inputs:
                if t in x.consumers:
                    x.consumers.remove(t)
            graph.ops.remove(t)
            op.fused.append(t.name)
            op.info.setdefault("fused_types", {})[t.name] = t.type
        op.outputs[0] = v
        v.producer = op
        op.info["posts"] = posts
        absorbed += len(tails)
    return absorbed
