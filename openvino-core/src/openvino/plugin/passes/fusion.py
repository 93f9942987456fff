"""Fusion: elementwise tails folded into the op that produces their input.

An op the device's ``FusionRules`` accept (a convolution, matmul, pooling, MVN,
elementwise op ...) takes the chain of ops that follows it (each the only consumer of the
previous value, none a model output before the end) as post ops: ``op.post_ops``, a list
of ``EltwiseStep``, applied in order to the op's output. A tail op qualifies when it keeps
the shape, is f32, and reads at most one other tensor that broadcasts to the output by
whole groups of dims (``operand_layout``). The fused op then runs where the last tail op
was and produces the last value; the tails are recorded in ``op.fused``.

Ops the rules say scale their weights (convolutions with constant filters by default)
first absorb a per-output-channel Multiply by a constant and a BatchNormInference with
constant parameters into ``op.weight_scale`` (multiply the filters of output channel
``c`` by ``weight_scale[c]``); the BatchNorm's shift becomes an ``add`` post op. They do so
after per-channel constant adds too (a bias, an earlier BatchNorm's shift: ``(y + b) * s``
is ``y * s + b * s``), and consecutive per-channel constant adds become one: a convolution
followed by BatchNorm, Multiply and Add (DenseNet's stem) keeps a single bias add.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from openvino import Type

from .eltwise import COMMUTATIVE, COMPARISONS, EltwiseStep, binary_function, unary_step
from .graph import Graph, Op, Value

__all__ = ["FusionRules", "fuse_post_ops", "mvn_tail", "operand_layout"]


class FusionRules:
    """What a device's kernels can fuse; subclass and override. The defaults accept
    every op kind the pass knows, with at most ``max_post_ops`` steps and
    ``max_operands`` tensor operands per op."""

    #: most post ops one op may take
    max_post_ops: int = 8

    def output_groups(self, op: Op) -> tuple[int, int] | None:
        """How the op's kernel walks its output for post ops, as
        ``(number of batch dims, number of row dims)`` (the rest are columns): a tensor
        operand must be complete or all ones in each of the three groups. None: the op
        takes no post ops. Default: f32 convolutions (constant filters) and pooling by
        ``(1, 1)`` (N | C | spatial), MatMul by ``(rank - 2, 1)``, MVN over trailing
        axes by ``(0, rank - axes)``, elementwise ops by ``(0, 0)``."""
        if not op.outputs or op.outputs[0].type != Type.f32:
            return None
        rank = len(op.outputs[0].shape)
        if op.type in ("Convolution", "GroupConvolution"):
            ok = len(op.inputs) == 2 and op.inputs[1].is_const and rank >= 3
            return (1, 1) if ok else None
        if op.type in ("MaxPool", "AvgPool"):
            if rank < 3 or (len(op.outputs) > 1 and (op.outputs[1].consumers
                                                     or op.outputs[1].is_output)):
                return None
            return (1, 1)
        if op.type == "MatMul":
            return (rank - 2, 1) if rank >= 2 else (0, 0)
        if op.type == "MVN":
            tail = mvn_tail(op)
            return None if tail is None else (0, rank - tail)
        function = binary_function(op)
        if function is not None and function not in COMPARISONS:
            return (0, 0)
        if unary_step(op) is not None:
            return (0, 0)
        return None

    def max_operands(self, op: Op) -> int:
        """Most tensor operands the post ops of ``op`` may read (default 4)."""
        return 4

    def accepts(self, op: Op, step: EltwiseStep) -> bool:
        """Whether ``op``'s kernel can apply ``step`` (default: every step)."""
        return True

    def scales_weights(self, op: Op) -> bool:
        """Whether ``op`` absorbs per-channel scales into ``op.weight_scale`` (default:
        Convolution / GroupConvolution with constant filters)."""
        return op.type in ("Convolution", "GroupConvolution") and len(op.inputs) == 2 \
            and op.inputs[1].is_const


def mvn_tail(op: Op) -> int | None:
    """Number of trailing axes an f32 MVN normalises over, when they are a tail; else
    None."""
    if op.type != "MVN" or op.inputs[0].type != Type.f32 or op.outputs[0].type != Type.f32:
        return None
    rank = len(op.inputs[0].shape)
    if op.node.version == "opset6":
        axes_v = op.inputs[1]
        if not axes_v.is_const:
            return None
        axes = sorted({int(a) % rank for a in np.asarray(axes_v.const).reshape(-1)}) \
            if rank else []
    else:
        axes = sorted(int(a) % rank for a in op.attr("reduction_axes", []))
    if not axes or axes != list(range(rank - len(axes), rank)):
        return None
    return len(axes)


def operand_layout(operand_shape: Sequence[int], out_shape: Sequence[int],
                   groups: tuple[int, int]) -> tuple[int, int, int] | None:
    """``(ld_m, ld_n, bstride)`` in elements for a contiguous operand broadcast to
    ``out_shape`` seen as ``[batch | rows | cols]`` (``groups`` = (batch dims, row dims)):
    the operand's stride between rows, between columns and between batches (0 where it
    is broadcast). None when some group is neither complete nor all ones in the operand
    (then the operand cannot be read as a post op)."""
    out = tuple(int(d) for d in out_shape)
    xs = tuple(int(d) for d in operand_shape)
    if len(xs) > len(out):
        if any(d != 1 for d in xs[:len(xs) - len(out)]):
            return None
        xs = xs[len(xs) - len(out):]
    xs = (1,) * (len(out) - len(xs)) + xs
    strides = [0] * len(xs)
    acc = 1
    for d in range(len(xs) - 1, -1, -1):
        strides[d] = acc
        acc *= xs[d]
    nb, nr = groups
    spans = [(0, nb), (nb, nb + nr), (nb + nr, len(out))]
    result = []
    for lo, hi in spans:
        dims = range(lo, hi)
        if all(xs[d] == 1 for d in dims):
            result.append(0)
        elif all(xs[d] == out[d] for d in dims):
            # dims with extent 1 carry no stride; the group's innermost real dim decides
            real = [d for d in dims if out[d] != 1]
            result.append(strides[real[-1]] if real else 0)
        else:
            return None
    bstride, ld_m, ld_n = result
    return ld_m, ld_n, bstride


def _per_channel(value: Value, out_shape: tuple[int, ...],
                 groups: tuple[int, int]) -> np.ndarray | None:
    """The per-output-channel vector a constant operand holds, when it is one."""
    if not value.is_const or value.type != Type.f32 or len(out_shape) < 2:
        return None
    layout = operand_layout(value.shape, out_shape, groups)
    if layout is None or layout[1] != 0 or layout[2] != 0:
        return None
    aligned = np.asarray(value.const, np.float32).reshape(
        _right_align(value.shape, len(out_shape)))
    full = (1, out_shape[1]) + (1,) * (len(out_shape) - 2)
    return np.broadcast_to(aligned, full).reshape(-1).copy()


def _right_align(shape: tuple[int, ...], rank: int) -> tuple[int, ...]:
    shape = tuple(shape)[-rank:] if len(shape) > rank else tuple(shape)
    return (1,) * (rank - len(shape)) + shape


def _channel_adds(posts: list[EltwiseStep], out_shape: tuple[int, ...],
                  groups: tuple[int, int]) -> list[np.ndarray] | None:
    """The per-channel vectors of ``posts`` when every one adds a per-channel constant;
    else None."""
    vecs = []
    for p in posts:
        if p.function != "add" or p.operand is None:
            return None
        vec = _per_channel(p.operand, out_shape, groups)
        if vec is None:
            return None
        vecs.append(vec)
    return vecs


def _channel_add(graph: Graph, vec: np.ndarray, like: EltwiseStep | None, rank: int,
                 source: str = "", source_type: str = "") -> EltwiseStep:
    """An ``add`` post op of per-channel ``vec`` (named after ``like`` when given)."""
    operand = graph.const(vec.astype(np.float32).reshape((-1,) + (1,) * (rank - 2)))
    if like is not None:
        source, source_type = like.source, like.source_type
    return EltwiseStep("add", operand, source=source, source_type=source_type)


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


def _tail(graph: Graph, t: Op, v: Value, groups: tuple[int, int]) -> EltwiseStep | None:
    """The post op computing tail op ``t`` on the chain value ``v``, or None."""
    if not t.outputs or t.outputs[0].shape != v.shape or t.outputs[0].type != Type.f32:
        return None
    if len(t.outputs) != 1:
        return None
    step = unary_step(t)
    if step is not None and t.inputs[0] is v and all(x.is_const for x in t.inputs[1:]):
        return step
    if t.type == "PRelu" and t.inputs[0] is v and t.inputs[1] is not v:
        slope = t.inputs[1]
        if len(slope.shape) == 1 and len(v.shape) >= 2 and slope.shape[0] == v.shape[1]:
            if not slope.is_const:
                return None
            slope = graph.const(np.asarray(slope.const, np.float32).reshape(
                (-1,) + (1,) * (len(v.shape) - 2)))
        if operand_layout(slope.shape, v.shape, groups) is None:
            return None
        return EltwiseStep("prelu", slope, source=t.name, source_type=t.type)
    function = binary_function(t)
    if function is None or function in COMPARISONS:
        return None
    a, b = t.inputs[:2]
    if a is v and b is not v:
        other, swap = b, False
    elif b is v and a is not v:
        other, swap = a, True
    else:
        return None
    if operand_layout(other.shape, v.shape, groups) is None:
        return None
    if function in COMMUTATIVE:
        swap = False
    return EltwiseStep(function, other, swap, source=t.name, source_type=t.type)


def fuse_post_ops(graph: Graph, rules: FusionRules | None = None) -> int:
    """Fuse elementwise tails into their producers as ``rules`` allow (default
    ``FusionRules()``); returns the number of tail ops absorbed."""
    rules = FusionRules() if rules is None else rules
    absorbed = 0
    for op in list(graph.ops):
        if op not in graph.ops:
            continue
        groups = rules.output_groups(op)
        if groups is None:
            continue
        v = op.outputs[0]
        out_shape = v.shape
        posts: list[EltwiseStep] = list(op.post_ops)
        tails: list[Op] = []
        scales = rules.scales_weights(op)
        operands = sum(1 for p in posts if p.operand is not None)
        limit = rules.max_operands(op)
        rank = len(out_shape)
        while len(v.consumers) == 1 and not graph.is_output(v):
            t = v.consumers[0]
            adds = _channel_adds(posts, out_shape, groups) if scales else None
            if adds is not None and len(adds) <= 1:
                # posts so far: at most one per-channel constant add, which a scale
                # absorbed into the filters scales as well
                vec = None
                if t.type == "Multiply":
                    other = t.inputs[1] if t.inputs[0] is v else t.inputs[0]
                    if other is not v and t.outputs[0].shape == v.shape:
                        vec = _per_channel(other, out_shape, groups)
                if vec is not None:
                    op.weight_scale = (1.0 if op.weight_scale is None else op.weight_scale) \
                        * vec
                    posts = [_channel_add(graph, a * vec, p, rank) for a, p in zip(adds, posts)]
                    tails.append(t)
                    v = t.outputs[0]
                    continue
                bn = _batchnorm(t, v)
                if bn is not None and t.outputs[0].shape == v.shape:
                    scale, shift = bn
                    if adds:  # one add of the bias scaled and the shift
                        step = _channel_add(graph, adds[0] * scale + shift, posts[0], rank)
                        new_posts, new_operands = [step], operands
                    else:
                        step = _channel_add(graph, shift, None, rank, t.name, t.type)
                        new_posts, new_operands = [step], operands + 1
                    if rules.accepts(op, step) and new_operands <= limit \
                            and len(new_posts) <= rules.max_post_ops:
                        op.weight_scale = (1.0 if op.weight_scale is None
                                           else op.weight_scale) * scale
                        posts, operands = new_posts, new_operands
                        tails.append(t)
                        v = t.outputs[0]
                        continue
            step = _tail(graph, t, v, groups)
            if step is None or not rules.accepts(op, step):
                break
            if adds is not None and len(adds) == 1 and step.function == "add" \
                    and step.operand is not None:
                more = _per_channel(step.operand, out_shape, groups)
                if more is not None:  # two per-channel constant adds: one
                    merged = _channel_add(graph, adds[0] + more, posts[0], rank)
                    if rules.accepts(op, merged):
                        posts = [merged]
                        tails.append(t)
                        v = t.outputs[0]
                        continue
            extra = 0 if step.operand is None else 1
            if len(posts) + 1 > rules.max_post_ops or operands + extra > limit:
                break
            posts.append(step)
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
            op.absorb(t.name, t.type)
        op.outputs[0] = v
        v.producer = op
        op.post_ops = posts
        absorbed += len(tails)
    return absorbed
