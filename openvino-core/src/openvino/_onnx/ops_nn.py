"""Mappings of ONNX neural-network ops: convolutions, pooling, normalizations, resizing."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._node import Output
from .._type import Type
from .context import NodeContext, convert, shape_of, unsqueeze
from .registry import onnx_op

_AUTO_PAD = {"NOTSET": "explicit", "SAME_UPPER": "same_upper", "SAME_LOWER": "same_lower",
             "VALID": "valid"}


def _i64(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


class Window:
    """The spatial attributes shared by Conv, ConvTranspose and the pools."""

    def __init__(self, ctx: NodeContext, n: int) -> None:
        self.n = n
        self.strides = list(ctx.attr("strides", [1] * n))
        self.dilations = list(ctx.attr("dilations", [1] * n))
        pads = list(ctx.attr("pads", [0] * (2 * n)))
        if len(pads) != 2 * n:
            ctx.fail(f"pads has {len(pads)} values, expected {2 * n}")
        self.pads_begin, self.pads_end = pads[:n], pads[n:]
        auto = ctx.attr("auto_pad", "NOTSET").upper()
        if auto not in _AUTO_PAD:
            ctx.fail(f"unknown auto_pad '{auto}'")
        self.auto_pad = _AUTO_PAD[auto]
        if self.auto_pad != "explicit":
            self.pads_begin, self.pads_end = [0] * n, [0] * n

    def conv_attrs(self) -> dict[str, Any]:
        return {"strides": self.strides, "pads_begin": self.pads_begin,
                "pads_end": self.pads_end, "dilations": self.dilations,
                "auto_pad": self.auto_pad}


def _spatial_rank(ctx: NodeContext, x: Output, w: Output | None = None) -> int:
    if ctx.has_attr("kernel_shape"):
        return len(ctx.attr("kernel_shape"))
    for t in (w, x):
        if t is not None and ctx.rank(t) is not None:
            return ctx.need_rank(t) - 2
    ctx.fail("cannot tell the number of spatial dimensions")
    return 0


def _grouped_weights(ctx: NodeContext, w: Output, group: int, transposed: bool) -> Output:
    """Weights reshaped to ``[G, ...]`` for the group convolutions."""
    ws = ctx.static_shape(w)
    if ws is not None:
        if transposed:  # [C_in, C_out/G, k...] -> [G, C_in/G, C_out/G, k...]
            target = [group, ws[0] // group, ws[1]] + ws[2:]
        else:  # [C_out, C_in/G, k...] -> [G, C_out/G, C_in/G, k...]
            target = [group, ws[0] // group] + ws[1:]
        return ctx.make("Reshape", w, ctx.const(_i64(target)), special_zero=False).output(0)
    if transposed:
        ctx.fail("grouped ConvTranspose needs static weight shapes")
    rest = ctx.make("Slice", shape_of(ctx, w), ctx.const(_i64([1])),
                    ctx.const(_i64([np.iinfo(np.int64).max])), ctx.const(_i64([1]))).output(0)
    target = ctx.make("Concat", ctx.const(_i64([group, -1])), rest, axis=0).output(0)
    return ctx.make("Reshape", w, target, special_zero=False).output(0)


def _add_bias(ctx: NodeContext, y: Output, b: Output | None, n: int) -> Output:
    if b is None:
        return y
    b = unsqueeze(ctx, b, [0] + list(range(2, n + 2)))
    return ctx.make("Add", y, b).output(0)


def convolution(ctx: NodeContext, x: Output, w: Output, b: Output | None) -> Output:
    """An ONNX Conv over ``x``, ``w`` and optional bias ``b`` with the node's attributes."""
    n = _spatial_rank(ctx, x, w)
    win = Window(ctx, n)
    group = int(ctx.attr("group", 1))
    if group == 1:
        y = ctx.make("Convolution", x, w, **win.conv_attrs()).output(0)
    else:
        y = ctx.make("GroupConvolution", x, _grouped_weights(ctx, w, group, False),
                     **win.conv_attrs()).output(0)
    return _add_bias(ctx, y, b, n)


@onnx_op("Conv")
def conv(ctx: NodeContext) -> Any:
    return convolution(ctx, ctx.input(0), ctx.input(1), ctx.opt(2))


@onnx_op("ConvTranspose")
def conv_transpose(ctx: NodeContext) -> Any:
    x, w = ctx.input(0), ctx.input(1)
    n = _spatial_rank(ctx, x, w)
    win = Window(ctx, n)
    group = int(ctx.attr("group", 1))
    output_padding = list(ctx.attr("output_padding", [0] * n))
    out_shape = ctx.attr("output_shape", None)
    auto = ctx.attr("auto_pad", "NOTSET").upper()
    if out_shape is not None or auto in ("SAME_UPPER", "SAME_LOWER"):
        xs = ctx.static_shape(x)
        ws = ctx.static_shape(w)
        kernel = list(ctx.attr("kernel_shape", ws[2:] if ws else []))
        if xs is None or len(kernel) != n:
            ctx.fail("output_shape / SAME padding needs static input and kernel shapes")
        spatial = xs[2:]
        target = (list(out_shape)[-n:] if out_shape is not None
                  else [spatial[i] * win.strides[i] for i in range(n)])
        begin, end = [], []
        for i in range(n):
            total = (win.strides[i] * (spatial[i] - 1) + output_padding[i]
                     + (kernel[i] - 1) * win.dilations[i] + 1 - target[i])
            total = max(total, 0)
            if auto == "SAME_UPPER":
                begin.append(total // 2)
                end.append(total - total // 2)
            else:
                begin.append(total - total // 2)
                end.append(total // 2)
        win.pads_begin, win.pads_end, win.auto_pad = begin, end, "explicit"
    attrs = dict(win.conv_attrs(), output_padding=output_padding)
    if group == 1:
        y = ctx.make("ConvolutionBackpropData", x, w, **attrs).output(0)
    else:
        y = ctx.make("GroupConvolutionBackpropData", x, _grouped_weights(ctx, w, group, True),
                     **attrs).output(0)
    return _add_bias(ctx, y, ctx.opt(2), n)


@onnx_op("DeformConv")
def deform_conv(ctx: NodeContext) -> Any:
    x, w, offset = ctx.input(0), ctx.input(1), ctx.input(2)
    n = _spatial_rank(ctx, x, w)
    win = Window(ctx, n)
    args = [x, offset, w]
    if ctx.has_input(4):
        args.append(ctx.input(4))
    y = ctx.make("DeformableConvolution", *args, **win.conv_attrs(),
                 group=int(ctx.attr("group", 1)),
                 deformable_group=int(ctx.attr("offset_group", 1)),
                 bilinear_interpolation_pad=True).output(0)
    return _add_bias(ctx, y, ctx.opt(3), n)


def _rounding(ctx: NodeContext) -> str:
    """ONNX's ceil mode drops a last window that would start in the end padding, which is
    what ``ceil_torch`` does."""
    return "ceil_torch" if ctx.attr("ceil_mode", 0) else "floor"


# --- pooling -------------------------------------------------------------------------------------
def _pool_window(ctx: NodeContext, x: Output) -> tuple[list[int], Window]:
    kernel = list(ctx.attr("kernel_shape"))
    return kernel, Window(ctx, len(kernel))


@onnx_op("MaxPool")
def max_pool(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    kernel, win = _pool_window(ctx, x)
    column_major = bool(ctx.attr("storage_order", 0)) and ctx.output_wanted(1)
    if column_major and (ctx.rank(x) != 4 or ctx.static_shape(x) is None):
        ctx.fail("column-major (storage_order=1) indices need a static 4-D input")
    node = ctx.make("MaxPool", x, strides=win.strides, dilations=win.dilations,
                    pads_begin=win.pads_begin, pads_end=win.pads_end, kernel=kernel,
                    rounding_type=_rounding(ctx),
                    auto_pad=win.auto_pad, index_element_type=Type.i64, axis=0)
    if not column_major:
        return node.outputs()
    return [node.output(0), _column_major_index(ctx, node.output(1), ctx.static_shape(x))]


@onnx_op("MaxUnpool", since=9)
def max_unpool(ctx: NodeContext) -> Any:
    """MaxPool's values put back at their indices (flat over the whole tensor) into zeros of
    the inferred shape (``(in - 1) * stride - pads + kernel`` per spatial axis), then, with
    ``output_shape``, zero-padded at the end of each axis up to it (as ONNX's reference)."""
    x, index = ctx.input(0), convert(ctx, ctx.input(1), Type.i64)
    kernel = list(ctx.attr("kernel_shape"))
    n = len(kernel)
    strides = list(ctx.attr("strides", [1] * n))
    pads = list(ctx.attr("pads", [0] * (2 * n)))
    dims = ctx.static_shape(x)
    if dims is None or len(dims) != n + 2:
        ctx.fail(f"MaxUnpool needs a static input of rank {n + 2}")
    inferred = np.array(dims[:2] + [(dims[2 + i] - 1) * strides[i] - pads[i] - pads[n + i]
                                    + kernel[i] for i in range(n)], np.int64)
    zeros = ctx.make("Broadcast", ctx.const_like(0, x),
                     ctx.const(np.array([int(np.prod(inferred))], np.int64))).output(0)
    flat = ctx.const(np.array([-1], np.int64))
    values = ctx.make("Reshape", x, flat, special_zero=False).output(0)
    where = ctx.make("Reshape", index, flat, special_zero=False).output(0)
    out = ctx.make("ScatterElementsUpdate", zeros, where, values,
                   ctx.const(np.int64(0))).output(0)
    out = ctx.make("Reshape", out, ctx.const(inferred), special_zero=False).output(0)
    if not ctx.has_input(2):
        return out
    grow = ctx.make("Subtract", convert(ctx, ctx.input(2), Type.i64),
                    ctx.const(inferred)).output(0)
    return ctx.make("Pad", out, ctx.const(np.zeros(n + 2, np.int64)), grow,
                    ctx.const_like(0, x), pad_mode="constant")


def _column_major_index(ctx: NodeContext, index: Output, shape: list[int]) -> Output:
    """A row-major flat MaxPool index as ONNX's storage_order=1 gives it: within each
    ``[H, W]`` plane, ``w * H + h`` instead of ``h * W + w``."""
    h, w = shape[2], shape[3]
    plane = ctx.const(np.int64(h * w))
    spatial = ctx.make("FloorMod", index, plane).output(0)
    row = ctx.make("Divide", spatial, ctx.const(np.int64(w))).output(0)
    col = ctx.make("FloorMod", spatial, ctx.const(np.int64(w))).output(0)
    base = ctx.make("Subtract", index, spatial).output(0)
    moved = ctx.make("Add", ctx.make("Multiply", col, ctx.const(np.int64(h))), row)
    return ctx.make("Add", base, moved).output(0)


@onnx_op("AveragePool")
def average_pool(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    kernel, win = _pool_window(ctx, x)
    return _avg_pool(ctx, x, kernel, win, not bool(ctx.attr("count_include_pad", 0)))


def _avg_pool(ctx: NodeContext, x: Output, kernel: list[int], win: Window,
              exclude_pad: bool) -> Output:
    """AvgPool: v14, or v16 for a dilated window."""
    dilated = any(d != 1 for d in win.dilations)
    extra = {"dilations": win.dilations} if dilated else {}
    return ctx.make("AvgPool", x, version=16 if dilated else 14, strides=win.strides,
                    pads_begin=win.pads_begin, pads_end=win.pads_end, kernel=kernel,
                    **{"exclude-pad": exclude_pad}, rounding_type=_rounding(ctx),
                    auto_pad=win.auto_pad, **extra).output(0)


@onnx_op("LpPool")
def lp_pool(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    kernel, win = _pool_window(ctx, x)
    p = float(ctx.attr("p", 2))
    powered = ctx.make("Power", ctx.make("Abs", x), ctx.const_like(p, x)).output(0)
    avg = _avg_pool(ctx, powered, kernel, win, False)
    total = ctx.make("Multiply", avg, ctx.const_like(float(np.prod(kernel)), x))
    return ctx.make("Power", total, ctx.const_like(1.0 / p, x))


def _global_pool(ov_name: str) -> Any:
    def mapping(ctx: NodeContext) -> Any:
        x = ctx.input(0)
        r = ctx.rank(x)
        if r is not None:
            axes = ctx.const(_i64(list(range(2, r))))
        else:
            rank = ctx.make("ShapeOf", shape_of(ctx, x), output_type=Type.i64)
            rank = ctx.make("Squeeze", rank, ctx.const(_i64([0])))
            axes = ctx.make("Range", ctx.const(np.int64(2)), rank, ctx.const(np.int64(1)),
                            output_type=Type.i64).output(0)
        return ctx.make(ov_name, x, axes, keep_dims=True)

    return mapping


onnx_op("GlobalAveragePool")(_global_pool("ReduceMean"))
onnx_op("GlobalMaxPool")(_global_pool("ReduceMax"))


# --- normalization ----------------------------------------------------------------------------
@onnx_op("BatchNormalization")
def batch_norm(ctx: NodeContext) -> Any:
    if ctx.opset >= 14 and ctx.attr("training_mode", 0):
        return _batch_norm_training(ctx)
    if ctx.attr("training_mode", 0) or (ctx.num_outputs > 1 and any(
            ctx.output_wanted(i) for i in range(1, ctx.num_outputs))):
        ctx.fail("training-mode BatchNormalization before opset 14 is not supported")
    if ctx.opset < 9 and not ctx.attr("spatial", 1):
        ctx.fail("non-spatial BatchNormalization is not supported")
    x, scale, bias, mean, var = (ctx.input(i) for i in range(5))
    return ctx.make("BatchNormInference", x, scale, bias, mean, var,
                    epsilon=float(ctx.attr("epsilon", 1e-5)))


def _batch_norm_training(ctx: NodeContext) -> list[Output]:
    """BatchNormalization-14/15 with training_mode: normalized with the batch's own mean
    and (population) variance over every axis but 1; the running statistics come out as
    ``input * momentum + batch * (1 - momentum)``."""
    x, scale, bias, mean, var = (ctx.input(i) for i in range(5))
    r = ctx.need_rank(x)
    if r < 2:
        ctx.fail("BatchNormalization needs an input of rank 2 or more")
    axes = ctx.const(np.array([0] + list(range(2, r)), np.int64))
    ct = x.get_element_type() if x.get_element_type() in (Type.f32, Type.f64) else Type.f32
    xf = convert(ctx, x, ct)
    batch_mean = ctx.make("ReduceMean", xf, axes, keep_dims=True).output(0)
    centered = ctx.make("Subtract", xf, batch_mean).output(0)
    batch_var = ctx.make("ReduceMean", ctx.make("Multiply", centered, centered), axes,
                         keep_dims=True).output(0)
    eps = ctx.const(ctx.attr("epsilon", 1e-5), ct)
    std = ctx.make("Sqrt", ctx.make("Add", batch_var, eps)).output(0)
    y = ctx.make("Divide", centered, std).output(0)
    y = ctx.make("Multiply", y, _channel_vector(ctx, convert(ctx, scale, ct), r))
    y = ctx.make("Add", y, _channel_vector(ctx, convert(ctx, bias, ct), r)).output(0)
    momentum = float(ctx.attr("momentum", 0.9))
    flat = ctx.const(np.array([-1], np.int64))

    def running(stat: Output, batch: Output) -> Output:
        batch = ctx.make("Reshape", batch, flat, special_zero=False).output(0)
        kept = ctx.make("Multiply", convert(ctx, stat, ct), ctx.const(momentum, ct)).output(0)
        new = ctx.make("Multiply", batch, ctx.const(1.0 - momentum, ct)).output(0)
        return convert(ctx, ctx.make("Add", kept, new).output(0), stat.get_element_type())

    return [convert(ctx, y, x.get_element_type()), running(mean, batch_mean),
            running(var, batch_var)]


def _channel_vector(ctx: NodeContext, v: Output, rank: int) -> Output:
    return unsqueeze(ctx, v, list(range(1, rank - 1)))


@onnx_op("InstanceNormalization")
def instance_norm(ctx: NodeContext) -> Any:
    x, scale, bias = ctx.input(0), ctx.input(1), ctx.input(2)
    r = ctx.need_rank(x)
    y = ctx.make("MVN", x, ctx.const(_i64(list(range(2, r)))), normalize_variance=True,
                 eps=float(ctx.attr("epsilon", 1e-5)), eps_mode="inside_sqrt")
    y = ctx.make("Multiply", y, _channel_vector(ctx, scale, r))
    return ctx.make("Add", y, _channel_vector(ctx, bias, r))


@onnx_op("LayerNormalization", since=17)
def layer_norm(ctx: NodeContext) -> Any:
    if any(ctx.output_wanted(i) for i in range(1, ctx.num_outputs)):
        return ctx.expand()
    x = ctx.input(0)
    r = ctx.rank(x)
    if r is None:
        return ctx.expand()
    axis = int(ctx.attr("axis", -1))
    axis = axis + r if axis < 0 else axis
    et = x.get_element_type()
    work = convert(ctx, x, Type.f32) if ctx.attr("stash_type", 1) == 1 else x
    y = ctx.make("MVN", work, ctx.const(_i64(list(range(axis, r)))), normalize_variance=True,
                 eps=float(ctx.attr("epsilon", 1e-5)), eps_mode="inside_sqrt").output(0)
    y = convert(ctx, y, et)
    y = ctx.make("Multiply", y, ctx.input(1)).output(0)
    if ctx.has_input(2):
        y = ctx.make("Add", y, ctx.input(2)).output(0)
    return y


@onnx_op("LRN")
def lrn(ctx: NodeContext) -> Any:
    return ctx.make("LRN", ctx.input(0), ctx.const(_i64([1])),
                    alpha=float(ctx.attr("alpha", 1e-4)), beta=float(ctx.attr("beta", 0.75)),
                    bias=float(ctx.attr("bias", 1.0)), size=int(ctx.attr("size")))


@onnx_op("LpNormalization")
def lp_normalization(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    p = int(ctx.attr("p", 2))
    if p not in (1, 2):
        ctx.fail(f"p={p} is not supported (1 or 2)")
    axes = ctx.const(_i64([int(ctx.attr("axis", -1))]))
    norm = ctx.make("ReduceL2" if p == 2 else "ReduceL1", x, axes, keep_dims=True)
    zero = ctx.const_like(0, x)
    quotient = ctx.make("Divide", x, norm)
    return ctx.make("Select", ctx.make("Equal", norm, zero), zero, quotient)


# --- resizing ----------------------------------------------------------------------------------
_COORD_MODES = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                "tf_half_pixel_for_nn"}
_NEAREST_MODES = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}


def _interpolate(ctx: NodeContext, x: Output, target: Output, by_sizes: bool,
                 axes: Output | None, mode: str, coord: str, nearest: str) -> Any:
    ov_mode = {"nearest": "nearest", "linear": "linear_onnx", "cubic": "cubic"}.get(mode)
    if ov_mode is None:
        ctx.fail(f"resize mode '{mode}' is not supported")
    if coord not in _COORD_MODES:
        ctx.fail(f"coordinate_transformation_mode '{coord}' is not supported")
    if nearest not in _NEAREST_MODES:
        ctx.fail(f"nearest_mode '{nearest}' is not supported")
    if axes is None:
        axes_v = None
        r = ctx.rank(x)
        if r is None:
            v = ctx.value_of(target)
            r = None if v is None else int(np.asarray(v).size)
        if r is None:
            ctx.fail("the rank of the input must be known")
        axes_v = list(range(r))
        axes = ctx.const(_i64(axes_v))
    args = [x, target, axes]
    return ctx.make("Interpolate", *args, version=11, mode=ov_mode,
                    shape_calculation_mode="sizes" if by_sizes else "scales",
                    coordinate_transformation_mode=coord, nearest_mode=nearest,
                    antialias=bool(ctx.attr("antialias", 0)), pads_begin=[0], pads_end=[0],
                    cube_coeff=float(ctx.attr("cubic_coeff_a", -0.75)))


@onnx_op("Resize", since=11)
def resize(ctx: NodeContext) -> Any:
    x = ctx.input(0)
    coord = ctx.attr("coordinate_transformation_mode", "half_pixel")
    mode = ctx.attr("mode", "nearest")
    special = (ctx.attr("antialias", 0) or ctx.attr("exclude_outside", 0)
               or coord in ("tf_crop_and_resize", "half_pixel_symmetric")
               or (coord == "align_corners" and not ctx.has_input(3)))
    if special and mode in ("linear", "cubic"):
        out = _resize_by_matrices(ctx, x, mode, coord)
        if out is not None:
            return out
    if coord in ("tf_crop_and_resize", "half_pixel_symmetric"):
        ctx.fail(f"coordinate_transformation_mode '{coord}' is not supported here (it "
                 "needs a static input shape and constant scales, sizes and roi)")
    if ctx.attr("exclude_outside", 0):
        ctx.fail("exclude_outside=1 is not supported here (it needs a static input shape "
                 "and constant scales or sizes)")
    axes_attr = ctx.attr("axes", None)
    axes = ctx.const(_i64(axes_attr)) if axes_attr is not None else None
    policy = ctx.attr("keep_aspect_ratio_policy", "stretch")
    sizes = ctx.opt(3)
    if sizes is not None:
        sizes = convert(ctx, sizes, Type.i64)
        if policy != "stretch":
            sizes = _keep_aspect_sizes(ctx, x, sizes, axes_attr, policy)
        target, by_sizes = sizes, True
    else:
        target, by_sizes = convert(ctx, ctx.input(2), Type.f32), False
    return _interpolate(ctx, x, target, by_sizes, axes, ctx.attr("mode", "nearest"), coord,
                        ctx.attr("nearest_mode", "round_prefer_floor"))


def _resize_by_matrices(ctx: NodeContext, x: Output, mode: str, coord: str) -> Output | None:
    """Resize as one matrix product per resized axis (``resize_matrices``); ``None`` when the
    input shape, scales, sizes or roi are not known at read time."""
    dims = ctx.static_shape(x)
    et = x.get_element_type()
    if dims is None or et not in (Type.f32, Type.f16, Type.bf16, Type.f64):
        return None
    if ctx.attr("keep_aspect_ratio_policy", "stretch") != "stretch":
        return None
    r = len(dims)
    axes = [int(a) % r for a in ctx.attr("axes", list(range(r)))]
    sizes_v = ctx.value(3) if ctx.has_input(3) else None
    scales_v = ctx.value(2) if ctx.has_input(2) else None
    if sizes_v is not None and np.asarray(sizes_v).size:
        out = [int(v) for v in np.asarray(sizes_v).reshape(-1)]
        scales = [o / dims[a] for o, a in zip(out, axes)]
    elif scales_v is not None and np.asarray(scales_v).size:
        scales = [float(v) for v in np.asarray(scales_v).reshape(-1)]
        out = [int(s * dims[a]) for s, a in zip(scales, axes)]
    else:
        return None
    roi = None
    if coord == "tf_crop_and_resize":
        roi_v = ctx.value(1) if ctx.has_input(1) else None
        if roi_v is None:
            return None
        roi = [float(v) for v in np.asarray(roi_v).reshape(-1)]
        if len(roi) == 2 * r and len(axes) != r:
            roi = [roi[a] for a in axes] + [roi[r + a] for a in axes]
    from .resize_matrices import axis_map

    ct = Type.f64 if et == Type.f64 else Type.f32
    y = convert(ctx, x, ct)
    for k, a in enumerate(axes):
        axis_roi = (roi[k], roi[len(axes) + k]) if roi is not None else None
        if out[k] == dims[a] and math.isclose(scales[k], 1.0) and (
                axis_roi is None or (math.isclose(axis_roi[0], 0.0)
                                     and math.isclose(axis_roi[1], 1.0))):
            continue
        w, b = axis_map(mode, coord, dims[a], out[k], scales[k], axis_roi,
                        bool(ctx.attr("antialias", 0)), bool(ctx.attr("exclude_outside", 0)),
                        float(ctx.attr("cubic_coeff_a", -0.75)),
                        float(ctx.attr("extrapolation_value", 0.0)))
        order = [i for i in range(r) if i != a] + [a]
        back = np.argsort(order)
        moved = ctx.make("Transpose", y, ctx.const(np.array(order, np.int64))).output(0)
        moved = ctx.make("MatMul", moved, ctx.const(w.T.copy(), ct), transpose_a=False,
                         transpose_b=False).output(0)
        if b is not None:
            moved = ctx.make("Add", moved, ctx.const(b, ct)).output(0)
        y = ctx.make("Transpose", moved, ctx.const(np.array(back, np.int64))).output(0)
    return convert(ctx, y, et)


def _keep_aspect_sizes(ctx: NodeContext, x: Output, sizes: Output, axes: Any,
                       policy: str) -> Output:
    if policy not in ("not_larger", "not_smaller"):
        ctx.fail(f"unknown keep_aspect_ratio_policy '{policy}'")
    if axes is None:
        axes = list(range(ctx.need_rank(x)))
    in_dims = ctx.make("Gather", shape_of(ctx, x), ctx.const(_i64(axes)), ctx.const(np.int64(0)))
    in_dims = convert(ctx, in_dims.output(0), Type.f32)
    ratios = ctx.make("Divide", convert(ctx, sizes, Type.f32), in_dims)
    pick = "ReduceMin" if policy == "not_larger" else "ReduceMax"
    scale = ctx.make(pick, ratios, ctx.const(_i64([0])), keep_dims=False)
    out = ctx.make("Add", ctx.make("Multiply", in_dims, scale), ctx.const(np.float32(0.5)))
    return convert(ctx, ctx.make("Floor", out).output(0), Type.i64)


@onnx_op("Resize", since=10)
def resize_10(ctx: NodeContext) -> Any:
    scales = convert(ctx, ctx.input(1), Type.f32)
    return _interpolate(ctx, ctx.input(0), scales, False, None, ctx.attr("mode", "nearest"),
                        "asymmetric", "floor")


@onnx_op("Upsample")
def upsample(ctx: NodeContext) -> Any:
    if ctx.opset >= 9:
        scales = convert(ctx, ctx.input(1), Type.f32)
    else:
        scales = ctx.const(np.asarray(ctx.attr("scales"), np.float32))
    mode = ctx.attr("mode", "nearest")
    if mode == "bilinear":
        mode = "linear"
    return _interpolate(ctx, ctx.input(0), scales, False, None, mode, "asymmetric", "floor")


@onnx_op("GridSample", since=16)
def grid_sample(ctx: NodeContext) -> Any:
    mode = ctx.attr("mode", "bilinear" if ctx.opset < 20 else "linear")
    ov_mode = {"linear": "bilinear", "bilinear": "bilinear", "nearest": "nearest",
               "cubic": "bicubic", "bicubic": "bicubic"}.get(mode)
    if ov_mode is None:
        ctx.fail(f"mode '{mode}' is not supported")
    x = ctx.input(0)
    if ctx.rank(x) not in (4, None):
        ctx.fail("only 4-D GridSample is supported")
    return ctx.make("GridSample", x, ctx.input(1),
                    align_corners=bool(ctx.attr("align_corners", 0)), mode=ov_mode,
                    padding_mode=ctx.attr("padding_mode", "zeros"))


@onnx_op("Col2Im", since=18)
def col2im(ctx: NodeContext) -> Any:
    """Col2Im-15 (two spatial axes only, as OpenVINO's); ONNX's pads are [begin..., end...]."""
    size, block = ctx.input(1), ctx.input(2)
    if ctx.rank(size) != 1 or ctx.static_shape(size) not in (None, [2]):
        ctx.fail("only 2-D Col2Im (image_shape of two values) is supported")
    pads = list(ctx.attr("pads", [0, 0, 0, 0]))
    return ctx.make("Col2Im", ctx.input(0), convert(ctx, size, Type.i64),
                    convert(ctx, block, Type.i64), strides=list(ctx.attr("strides", [1, 1])),
                    dilations=list(ctx.attr("dilations", [1, 1])), pads_begin=pads[:2],
                    pads_end=pads[2:])
