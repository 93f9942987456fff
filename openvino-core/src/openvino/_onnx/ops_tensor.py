"""Mappings of ONNX tensor-shaping and data-movement ops: constants, shapes, reshapes,
slicing, gathers and scatters, padding, tiling, and small generators (EyeLike, Trilu)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Output
from .._type import Type
from .context import NodeContext, convert, dim, flatten_2d, shape_of, squeeze, unsqueeze
from .registry import onnx_op
from .types import ov_type

_I64_MAX = np.iinfo(np.int64).max


def _i64(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


# --- constants and shapes -------------------------------------------------------------------
@onnx_op("Constant")
def constant(ctx: NodeContext) -> Any:
    if ctx.has_attr("value"):
        return ctx.const(ctx.attr("value"), ctx.attr("value:type"))
    if ctx.has_attr("value_float"):
        return ctx.const(np.float32(ctx.attr("value_float")), Type.f32)
    if ctx.has_attr("value_floats"):
        return ctx.const(np.asarray(ctx.attr("value_floats"), np.float32), Type.f32)
    if ctx.has_attr("value_int"):
        return ctx.const(np.int64(ctx.attr("value_int")), Type.i64)
    if ctx.has_attr("value_ints"):
        return ctx.const(_i64(ctx.attr("value_ints")), Type.i64)
    for key in ("value_string", "value_strings"):
        if ctx.has_attr(key):
            raw = ctx.attr(key)
            items = [raw] if isinstance(raw, str) else list(raw)
            arr = np.empty(len(items), dtype=object)
            arr[:] = [s.encode() for s in items]
            return ctx.const(arr[0] if isinstance(raw, str) else arr, Type.string)
    if ctx.has_attr("sparse_value"):
        ctx.fail("sparse constants are not supported")
    ctx.fail("Constant has no value attribute")


@onnx_op("ConstantOfShape")
def constant_of_shape(ctx: NodeContext) -> Any:
    if ctx.has_attr("value"):
        value = ctx.const(np.asarray(ctx.attr("value")).reshape(()), ctx.attr("value:type"))
    else:
        value = ctx.const(np.float32(0), Type.f32)
    shape = convert(ctx, ctx.input(0), Type.i64)
    return ctx.make("Broadcast", value, shape, mode="numpy")


@onnx_op("Shape")
def shape(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    s = shape_of(ctx, x)
    start = int(ctx.attr("start", 0))
    end = ctx.attr("end", None)
    if start == 0 and end is None:
        return s
    return ctx.make("Slice", s, ctx.const(_i64([start])),
                    ctx.const(_i64([_I64_MAX if end is None else end])),
                    ctx.const(_i64([1]))).output(0)


@onnx_op("Size")
def size(ctx: NodeContext) -> Any:
    s = shape_of(ctx, ctx.input(0))
    return ctx.make("ReduceProd", s, ctx.const(_i64([0])), keep_dims=False)


@onnx_op("Identity")
def identity(ctx: NodeContext) -> Any:
    return ctx.input(0)


@onnx_op("Dropout")
def dropout(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    if ctx.opset >= 12 and ctx.has_input(2):
        training = ctx.value(2)
        ratio = ctx.value(1) if ctx.has_input(1) else np.float32(0.5)
        if training is None:
            ctx.fail("training_mode must be a constant")
        if bool(np.asarray(training).reshape(-1)[0]) and (
                ratio is None or float(np.asarray(ratio).reshape(-1)[0]) != 0.0):
            ctx.fail("Dropout in training mode is random and not supported")
    outs: list[Output | None] = [x]
    if ctx.num_outputs > 1 and ctx.output_wanted(1):
        ones = ctx.const(np.bool_(True), Type.boolean)
        if ctx.opset < 10:
            ones = ctx.const_like(1, x)
        outs.append(ctx.make("Broadcast", ones, shape_of(ctx, x), mode="numpy").output(0))
    return outs


# --- reshaping --------------------------------------------------------------------------------
@onnx_op("Reshape")
def reshape(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    if ctx.opset < 5:
        target = ctx.const(_i64(ctx.attr("shape")))
    else:
        target = convert(ctx, ctx.input(1), Type.i64)
    return ctx.make("Reshape", x, target, special_zero=not bool(ctx.attr("allowzero", 0)))


@onnx_op("Flatten")
def flatten(ctx: NodeContext) -> Any:
    return flatten_2d(ctx, ctx.input(0), int(ctx.attr("axis", 1)))


@onnx_op("Transpose")
def transpose(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    perm = ctx.attr("perm", None)
    if perm is None:
        r = ctx.rank(x)
        perm = list(range(r))[::-1] if r is not None else []
    return ctx.make("Transpose", x, ctx.const(_i64(perm)))


@onnx_op("Concat")
def concat(ctx: NodeContext) -> Any:
    return ctx.make("Concat", *ctx.inputs(), axis=int(ctx.attr("axis")))


def _axes_arg(ctx: NodeContext, input_since: int) -> Output | None:
    if ctx.opset >= input_since:
        return convert(ctx, ctx.input(1), Type.i64) if ctx.has_input(1) else None
    axes = ctx.attr("axes", None)
    return None if axes is None else ctx.const(_i64(axes))


@onnx_op("Squeeze")
def squeeze_(ctx: NodeContext) -> Any:
    axes = _axes_arg(ctx, 13)
    if axes is None:
        return ctx.make("Squeeze", ctx.input(0))
    return ctx.make("Squeeze", ctx.input(0), axes)


@onnx_op("Unsqueeze")
def unsqueeze_(ctx: NodeContext) -> Any:
    axes = _axes_arg(ctx, 13)
    if axes is None:
        ctx.fail("Unsqueeze needs axes")
    return ctx.make("Unsqueeze", ctx.input(0), axes)


@onnx_op("Expand")
def expand(ctx: NodeContext) -> Any:
    return ctx.make("Broadcast", ctx.input(0), convert(ctx, ctx.input(1), Type.i64),
                    mode="bidirectional")


@onnx_op("Tile")
def tile(ctx: NodeContext) -> Any:
    return ctx.make("Tile", ctx.input(0), convert(ctx, ctx.input(1), Type.i64))


@onnx_op("DepthToSpace")
def depth_to_space(ctx: NodeContext) -> Any:
    mode = {"DCR": "blocks_first", "CRD": "depth_first"}[ctx.attr("mode", "DCR").upper()]
    return ctx.make("DepthToSpace", ctx.input(0), mode=mode,
                    block_size=int(ctx.attr("blocksize")))


@onnx_op("SpaceToDepth")
def space_to_depth(ctx: NodeContext) -> Any:
    mode = {"DCR": "blocks_first", "CRD": "depth_first"}[ctx.attr("mode", "DCR").upper()]
    return ctx.make("SpaceToDepth", ctx.input(0), mode=mode,
                    block_size=int(ctx.attr("blocksize")))


# --- splitting and slicing ---------------------------------------------------------------------
@onnx_op("Split")
def split(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    axis = int(ctx.attr("axis", 0))
    axis_c = ctx.const(np.int64(axis))
    n = ctx.num_outputs
    lengths: Output | None = None
    if ctx.opset >= 13 and ctx.has_input(1):
        lengths = convert(ctx, ctx.input(1), Type.i64)
    elif ctx.opset < 13 and ctx.attr("split", None):
        lengths = ctx.const(_i64(ctx.attr("split")))
    elif ctx.opset >= 18 and ctx.has_attr("num_outputs"):
        n = int(ctx.attr("num_outputs"))
        ps = x.get_partial_shape()
        d = ps[axis] if ps.rank.is_static else None
        if d is None or d.is_dynamic:
            ctx.fail("num_outputs needs a static dimension on the split axis")
        total = d.get_length()
        if total % n:
            chunk = -(-total // n)
            sizes = [chunk] * (total // chunk) + ([total % chunk] if total % chunk else [])
            lengths = ctx.const(_i64(sizes))
    if lengths is not None:
        return ctx.make("VariadicSplit", x, axis_c, lengths).outputs()
    return ctx.make("Split", x, axis_c, num_splits=n).outputs()


def _ones_like(ctx: NodeContext, x: Output) -> Output:
    v = ctx.value_of(x)
    if v is not None:
        return ctx.const(np.ones(v.shape, np.int64))
    return ctx.make("Broadcast", ctx.const(np.int64(1)), shape_of(ctx, x), mode="numpy").output(0)


@onnx_op("Slice")
def slice_(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    if ctx.opset < 10:
        starts = ctx.const(_i64(ctx.attr("starts")))
        ends = ctx.const(_i64(ctx.attr("ends")))
        axes = ctx.attr("axes", None)
        axes_out = ctx.const(_i64(axes)) if axes is not None else None
        steps = None
    else:
        starts = convert(ctx, ctx.input(1), Type.i64)
        ends = convert(ctx, ctx.input(2), Type.i64)
        axes_out = convert(ctx, ctx.input(3), Type.i64) if ctx.has_input(3) else None
        steps = convert(ctx, ctx.input(4), Type.i64) if ctx.has_input(4) else None
    if steps is None:
        steps = _ones_like(ctx, starts)
    if axes_out is None:
        return ctx.make("Slice", x, starts, ends, steps)
    return ctx.make("Slice", x, starts, ends, steps, axes_out)


# --- gathers and scatters -----------------------------------------------------------------------
@onnx_op("Gather")
def gather(ctx: NodeContext) -> Any:
    return ctx.make("Gather", ctx.input(0), ctx.input(1),
                    ctx.const(np.int64(ctx.attr("axis", 0))), batch_dims=0)


@onnx_op("GatherElements")
def gather_elements(ctx: NodeContext) -> Any:
    data, idx = ctx.input(0), ctx.input(1)
    axis = int(ctx.attr("axis", 0))
    v = ctx.value(1)
    if v is None or (np.asarray(v) < 0).any():
        # ONNX counts negative indices from the end
        n = convert(ctx, dim(ctx, data, axis), idx.get_element_type())
        negative = ctx.make("Less", idx, ctx.const_like(0, idx))
        idx = ctx.make("Select", negative, ctx.make("Add", idx, n), idx).output(0)
    return ctx.make("GatherElements", data, idx, axis=axis)


@onnx_op("GatherND")
def gather_nd(ctx: NodeContext) -> Any:
    return ctx.make("GatherND", ctx.input(0), ctx.input(1),
                    batch_dims=int(ctx.attr("batch_dims", 0)))


_REDUCTIONS = {"none": "none", "add": "sum", "mul": "prod", "min": "min", "max": "max"}


@onnx_op("ScatterElements", "Scatter")
def scatter_elements(ctx: NodeContext) -> Any:
    reduction = _REDUCTIONS.get(ctx.attr("reduction", "none"))
    if reduction is None:
        ctx.fail(f"unknown reduction '{ctx.attr('reduction')}'")
    args = (ctx.input(0), ctx.input(1), ctx.input(2), ctx.const(np.int64(ctx.attr("axis", 0))))
    if reduction == "none":
        return ctx.make("ScatterElementsUpdate", *args)
    return ctx.make("ScatterElementsUpdate", *args, reduction=reduction, use_init_val=True)


@onnx_op("ScatterND")
def scatter_nd(ctx: NodeContext) -> Any:
    reduction = _REDUCTIONS.get(ctx.attr("reduction", "none"))
    if reduction is None:
        ctx.fail(f"unknown reduction '{ctx.attr('reduction')}'")
    args = (ctx.input(0), ctx.input(1), ctx.input(2))
    if reduction == "none":
        return ctx.make("ScatterNDUpdate", *args)
    return ctx.make("ScatterNDUpdate", *args, reduction=reduction)


@onnx_op("Compress")
def compress(ctx: NodeContext) -> Any:
    x, cond = ctx.input(0), ctx.input(1)
    axis = ctx.attr("axis", None)
    if axis is None:
        x = ctx.make("Reshape", x, ctx.const(_i64([-1])), special_zero=False).output(0)
        axis = 0
    idx = ctx.make("NonZero", cond, output_type=Type.i64).output(0)
    idx = squeeze(ctx, idx, [0])
    return ctx.make("Gather", x, idx, ctx.const(np.int64(axis)), batch_dims=0)


@onnx_op("NonZero")
def non_zero(ctx: NodeContext) -> Any:
    return ctx.make("NonZero", ctx.input(0), output_type=Type.i64)


@onnx_op("OneHot")
def one_hot(ctx: NodeContext) -> Any:
    indices, depth, values = ctx.input(0), ctx.input(1), ctx.input(2)
    if not indices.get_element_type().is_integral_number():
        indices = convert(ctx, indices, Type.i64)
    depth = convert(ctx, depth, Type.i64)
    if ctx.rank(depth) != 0:
        depth = ctx.make("Reshape", depth, ctx.const(_i64([])), special_zero=False).output(0)
    depth_i = convert(ctx, depth, indices.get_element_type())
    negative = ctx.make("Less", indices, ctx.const_like(0, indices))
    indices = ctx.make("Select", negative, ctx.make("Add", indices, depth_i), indices).output(0)
    off = ctx.make("Gather", values, ctx.const(np.int64(0)), ctx.const(np.int64(0)))
    on = ctx.make("Gather", values, ctx.const(np.int64(1)), ctx.const(np.int64(0)))
    return ctx.make("OneHot", indices, depth, on, off, axis=int(ctx.attr("axis", -1)))


@onnx_op("ReverseSequence")
def reverse_sequence(ctx: NodeContext) -> Any:
    return ctx.make("ReverseSequence", ctx.input(0), ctx.input(1),
                    batch_axis=int(ctx.attr("batch_axis", 1)),
                    seq_axis=int(ctx.attr("time_axis", 0)))


@onnx_op("Unique")
def unique(ctx: NodeContext) -> Any:
    args = [ctx.input(0)]
    if ctx.has_attr("axis"):
        args.append(ctx.const(np.int64(ctx.attr("axis"))))
    node = ctx.make("Unique", *args, sorted=bool(ctx.attr("sorted", 1)),
                    index_element_type=Type.i64, count_element_type=Type.i64)
    return node.outputs()


@onnx_op("TopK")
def topk(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    if ctx.opset < 10:
        k = ctx.const(np.int64(ctx.attr("k")))
    else:
        k = convert(ctx, ctx.input(1), Type.i64)
        if ctx.rank(k) != 0:
            k = ctx.make("Reshape", k, ctx.const(_i64([])), special_zero=False).output(0)
    largest = bool(ctx.attr("largest", 1))
    node = ctx.make("TopK", x, k, axis=int(ctx.attr("axis", -1)),
                    mode="max" if largest else "min", sort="value",
                    index_element_type=Type.i64, stable=True)
    return node.outputs()


# --- padding ------------------------------------------------------------------------
_PAD_MODES = {"constant": "constant", "reflect": "reflect", "edge": "edge"}


@onnx_op("Pad")
def pad(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    mode = ctx.attr("mode", "constant")
    if mode == "wrap":
        return _wrap_pad(ctx, x)
    ov_mode = _PAD_MODES.get(mode)
    if ov_mode is None:
        ctx.fail(f"pad mode '{mode}' is not supported")
    value: Output | None
    if ctx.opset < 11:
        pads = _i64(ctx.attr("pads"))
        half = len(pads) // 2
        begin, end = ctx.const(pads[:half]), ctx.const(pads[half:])
        value = ctx.const_like(ctx.attr("value", 0.0), x)
    else:
        begin, end = _pads_pair(ctx, x)
        value = ctx.opt(2)
        if value is not None and ctx.rank(value) not in (0, None):
            value = ctx.make("Reshape", value, ctx.const(_i64([])),
                             special_zero=False).output(0)
    if ov_mode == "constant":
        if value is None:
            value = ctx.const_like(0, x)
        return ctx.make("Pad", x, begin, end, value, pad_mode=ov_mode)
    return ctx.make("Pad", x, begin, end, pad_mode=ov_mode)


def _wrap_pad(ctx: NodeContext, x: Output) -> Output:
    """Pad mode 'wrap' (OpenVINO's Pad has no such mode): along each axis, a Gather of the
    indices ``i mod dim`` for ``i`` in ``[-begin, dim + end)`` (pads may be run-time
    values; negative ones crop)."""
    if ctx.opset < 11:
        pads = _i64(ctx.attr("pads"))
        half = len(pads) // 2
        begin, end = ctx.const(pads[:half]), ctx.const(pads[half:])
    else:
        begin, end = _pads_pair(ctx, x)
    begin_v, end_v = ctx.value_of(begin), ctx.value_of(end)
    r = ctx.need_rank(x)
    out = x
    for axis in range(r):
        if begin_v is not None and end_v is not None and \
                int(np.asarray(begin_v).reshape(-1)[axis]) == 0 and \
                int(np.asarray(end_v).reshape(-1)[axis]) == 0:
            continue
        at = ctx.const(np.int64(axis))
        b = ctx.make("Gather", begin, at, ctx.const(np.int64(0)), batch_dims=0).output(0)
        e = ctx.make("Gather", end, at, ctx.const(np.int64(0)), batch_dims=0).output(0)
        d = ctx.make("Gather", shape_of(ctx, out), at, ctx.const(np.int64(0)),
                     batch_dims=0).output(0)
        start = ctx.make("Negative", b).output(0)
        stop = ctx.make("Add", d, e).output(0)
        idx = ctx.make("Range", start, stop, ctx.const(np.int64(1)),
                       output_type=Type.i64).output(0)
        idx = ctx.make("FloorMod", idx, d).output(0)
        out = ctx.make("Gather", out, idx, at, batch_dims=0).output(0)
    return out


def _pads_pair(ctx: NodeContext, x: Output) -> tuple[Output, Output]:
    pads_in = convert(ctx, ctx.input(1), Type.i64)
    pads_v = ctx.value(1)
    axes_v = ctx.value(3) if ctx.has_input(3) else None
    if ctx.has_input(3) and axes_v is None:
        return _pads_pair_dynamic_axes(ctx, x, pads_in, convert(ctx, ctx.input(3), Type.i64))
    if axes_v is None:
        if pads_v is not None:
            pads_v = _i64(pads_v).reshape(-1)
            half = len(pads_v) // 2
            return ctx.const(pads_v[:half]), ctx.const(pads_v[half:])
        parts = ctx.make("Split", pads_in, ctx.const(np.int64(0)), num_splits=2)
        return parts.output(0), parts.output(1)
    r = ctx.need_rank(x)
    axes = [int(a) + r if a < 0 else int(a) for a in np.asarray(axes_v).reshape(-1)]
    n = len(axes)
    if pads_v is not None:
        pads_v = _i64(pads_v).reshape(-1)
        begin, end = np.zeros(r, np.int64), np.zeros(r, np.int64)
        for i, a in enumerate(axes):
            begin[a], end[a] = pads_v[i], pads_v[n + i]
        return ctx.const(begin), ctx.const(end)
    parts = ctx.make("Split", pads_in, ctx.const(np.int64(0)), num_splits=2)
    zeros = ctx.const(np.zeros(r, np.int64))
    idx = ctx.const(_i64(axes))
    begin = ctx.make("ScatterElementsUpdate", zeros, idx, parts.output(0),
                     ctx.const(np.int64(0))).output(0)
    end = ctx.make("ScatterElementsUpdate", zeros, idx, parts.output(1),
                   ctx.const(np.int64(0))).output(0)
    return begin, end


def _pads_pair_dynamic_axes(ctx: NodeContext, x: Output, pads: Output,
                            axes: Output) -> tuple[Output, Output]:
    r = ctx.need_rank(x)
    negative = ctx.make("Less", axes, ctx.const(np.int64(0)))
    axes = ctx.make("Select", negative, ctx.make("Add", axes, ctx.const(np.int64(r))),
                    axes).output(0)
    parts = ctx.make("Split", pads, ctx.const(np.int64(0)), num_splits=2)
    zeros = ctx.const(np.zeros(r, np.int64))
    zero = ctx.const(np.int64(0))
    begin = ctx.make("ScatterElementsUpdate", zeros, axes, parts.output(0), zero).output(0)
    end = ctx.make("ScatterElementsUpdate", zeros, axes, parts.output(1), zero).output(0)
    return begin, end


# --- generators ---------------------------------------------------------------------
def _diag_offset(ctx: NodeContext, x: Output) -> Output:
    """``col - row`` for the last two dimensions of ``x``, shaped ``[H, W]``."""
    zero, one = ctx.const(np.int64(0)), ctx.const(np.int64(1))
    rows = ctx.make("Range", zero, dim(ctx, x, -2), one, output_type=Type.i64).output(0)
    cols = ctx.make("Range", zero, dim(ctx, x, -1), one, output_type=Type.i64).output(0)
    return ctx.make("Subtract", unsqueeze(ctx, cols, [0]), unsqueeze(ctx, rows, [1])).output(0)


@onnx_op("EyeLike")
def eye_like(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    et = ov_type(ctx.attr("dtype"), "EyeLike dtype") if ctx.has_attr("dtype") \
        else x.get_element_type()
    offset = _diag_offset(ctx, x)
    mask = ctx.make("Equal", offset, ctx.const(np.int64(ctx.attr("k", 0))))
    return ctx.make("Convert", mask, destination_type=et)


@onnx_op("Trilu")
def trilu(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    k = convert(ctx, ctx.input(1), Type.i64) if ctx.has_input(1) else ctx.const(np.int64(0))
    offset = _diag_offset(ctx, x)
    cmp = "GreaterEqual" if ctx.attr("upper", 1) else "LessEqual"
    mask = ctx.make(cmp, offset, k)
    return ctx.make("Select", mask, x, ctx.const_like(0, x))


# --- cache updates -------------------------------------------------------------------------
@onnx_op("TensorScatter", since=24)
def tensor_scatter(ctx: NodeContext) -> Any:
    """``update`` written into ``past_cache`` along ``axis`` from ``write_indices[b]`` on for
    each batch ``b`` (mode 'circular': modulo the cache's length on that axis), as one
    ScatterElementsUpdate."""
    past, update = ctx.input(0), ctx.input(1)
    r = ctx.need_rank(past)
    axis = int(ctx.attr("axis", -2))
    if not -r <= axis < r:
        ctx.fail(f"axis {axis} is out of range for rank {r}")
    axis %= r
    if axis == 0:
        ctx.fail("TensorScatter's axis cannot be the batch axis 0")
    mode = ctx.attr("mode", "linear")
    if isinstance(mode, bytes):
        mode = mode.decode()
    if mode not in ("linear", "circular"):
        ctx.fail(f"mode must be 'linear' or 'circular', got '{mode}'")
    at = ctx.const(np.int64(axis))
    zero = ctx.const(np.int64(0))
    length = ctx.make("Gather", shape_of(ctx, update), at, zero, batch_dims=0).output(0)
    steps = ctx.make("Range", zero, length, ctx.const(np.int64(1)),
                     output_type=Type.i64).output(0)
    step_shape = np.ones(r, np.int64)
    step_shape[axis] = -1
    steps = ctx.make("Reshape", steps, ctx.const(step_shape), special_zero=False).output(0)
    if ctx.has_input(2):
        start = convert(ctx, ctx.input(2), Type.i64)
        start_shape = np.ones(r, np.int64)
        start_shape[0] = -1
        start = ctx.make("Reshape", start, ctx.const(start_shape), special_zero=False)
        index = ctx.make("Add", start, steps).output(0)
    else:
        index = steps
    if mode == "circular":
        size = ctx.make("Gather", shape_of(ctx, past), at, zero, batch_dims=0).output(0)
        index = ctx.make("FloorMod", index, size).output(0)
    index = ctx.make("Broadcast", index, shape_of(ctx, update)).output(0)
    return ctx.make("ScatterElementsUpdate", past, index, update, at)
