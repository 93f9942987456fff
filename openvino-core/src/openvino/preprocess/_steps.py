"""The processing steps and the builder objects that record them
(``PreProcessSteps``, ``PostProcessSteps``).

A step is recorded when the user calls e.g. ``preprocess().resize(...)`` and turned into
ops only at ``build()`` (or when ``str(ppp)`` reports the pipeline): ``apply`` takes the
``Context`` before the step and returns the one after it. Steps that move dimensions also
say how (``layout_after`` / ``shape_before``), so that the user's tensor shape can be
derived backwards from the model's when ``set_shape`` was not given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._layout import Layout
from .._node import ConstOutput, Node, Output
from .._ops.arithmetic import Multiply, Subtract
from .._ops.conversion import Convert
from .._ops.interpolate import Interpolate
from .._ops.movement import Pad, Pad1
from .._ops.slicing import Slice
from .._shape import Dimension, PartialShape
from .._type import Type
from ..layout_helpers import dimension_names, find_permutation, is_compatible
from ._color import convert_color
from ._context import Context, Target, axis_of
from ._enums import ColorFormat, PaddingMode, ResizeAlgorithm
from ._nodes import constant, gather, transpose

__all__ = ["PostProcessSteps", "PreProcessSteps", "Step", "as_layout", "as_type"]


# --- argument conversion (errors at the call, like the real bindings) ----------------------
def as_type(value: Any, where: str) -> Type:
    """A ``Type`` from a ``Type`` or a numpy dtype / type; ``TypeError`` otherwise."""
    if isinstance(value, Type):
        return value
    if isinstance(value, (np.dtype, type)):
        try:
            return Type(value)
        except (TypeError, RuntimeError, ValueError):
            pass
    raise TypeError(f"{where}(): incompatible argument {value!r}; expected an openvino.Type")


def as_layout(value: Any, where: str) -> Layout:
    """A ``Layout`` from a ``Layout`` or its text; ``TypeError`` otherwise."""
    if isinstance(value, Layout):
        return value
    if isinstance(value, str):
        return Layout(value)
    raise TypeError(f"{where}(): incompatible argument {value!r}; expected an openvino.Layout "
                    "or a string such as 'NCHW'")


def _ints(values: Any, where: str, what: str) -> tuple[int, ...]:
    try:
        items = list(values)
    except TypeError:
        raise TypeError(f"{where}(): {what} must be a sequence of integers, got "
                        f"{values!r}") from None
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
        raise TypeError(f"{where}(): {what} must be a sequence of integers, got {values!r}")
    return tuple(int(v) for v in items)


def _floats(values: Any, where: str) -> tuple[float, ...]:
    if isinstance(values, (int, float, np.integer, np.floating)) and not isinstance(values, bool):
        return (float(values),)
    try:
        items = [float(v) for v in values]
    except (TypeError, ValueError):
        raise TypeError(f"{where}(): expected a number or a sequence of numbers, got "
                        f"{values!r}") from None
    return tuple(items)


def _number(value: float) -> str:
    return f"{value:g}"


def _static_rank(ctx: Context, what: str) -> int:
    if ctx.shape.rank.is_dynamic:
        raise RuntimeError(f"{what} is not supported for a shape of dynamic rank")
    return len(ctx.shape)


# --- steps ---------------------------------------------------------------------------------
class Step:
    """One recorded step."""

    #: a user function (its own exceptions pass through unchanged)
    is_custom = False

    def describe(self) -> str:
        raise NotImplementedError

    def apply(self, ctx: Context, target: Target) -> Context:
        raise NotImplementedError

    def layout_after(self, layout: Layout) -> Layout:
        """The layout after the step, given the one before it."""
        return layout

    def shape_before(self, shape: PartialShape, layout_before: Layout) -> PartialShape:
        """The shape before the step that gives ``shape`` after it (identity for steps that
        do not move dimensions)."""
        return shape


class ConvertElementType(Step):
    def __init__(self, element_type: Type | None, post: bool) -> None:
        self.element_type = element_type
        self.post = post

    def describe(self) -> str:
        name = self.element_type.get_type_name() if self.element_type else "dynamic"
        return f"convert type ({name})"

    def apply(self, ctx: Context, target: Target) -> Context:
        et = self.element_type
        if et is None:
            et = target.user_type if self.post else target.element_type
        if et is None or et.is_dynamic():
            where = "OutputTensorInfo" if self.post else "InputTensorInfo"
            raise RuntimeError("Can't convert to dynamic/unknown element type, consider using "
                               f"{where}.set_element_type")
        outs = [o if o.get_element_type() == et else Convert(o, destination_type=et).output(0)
                for o in ctx.outputs]
        return ctx.with_(outputs=outs)


def _permuted_layout(layout: Layout, order: Sequence[int]) -> Layout:
    names = dimension_names(layout, len(order))
    return Layout("[" + ",".join("?" if names[i] == "..." else names[i] for i in order) + "]")


def _check_order(order: Sequence[int], rank: int) -> None:
    if len(order) != rank:
        raise RuntimeError(f"Convert layout: {len(order)} dimensions given, the data has "
                           f"rank {rank}")
    used = set()
    for d in order:
        if not 0 <= d < rank:
            raise RuntimeError(f"Convert layout: dimension {d} is out of range for rank {rank}")
        if d in used:
            raise RuntimeError(f"Convert layout: dimension {d} is used more than once in "
                               "convert arguments")
        used.add(d)


class ConvertLayout(Step):
    """To a layout (a Transpose found from the current layout) or by explicit dims."""

    def __init__(self, layout: Layout | None = None, dims: Sequence[int] | None = None) -> None:
        self.layout = layout
        self.dims = tuple(dims) if dims is not None else None

    def describe(self) -> str:
        if self.dims is not None:
            return f"convert layout ({','.join(str(d) for d in self.dims)})"
        return f"convert layout {self.layout.to_string()}"

    def apply(self, ctx: Context, target: Target) -> Context:
        if self.dims is not None:
            if not self.dims:
                return ctx
            x = ctx.output
            _check_order(self.dims, _static_rank(ctx, "Convert layout"))
            layout = ctx.layout if ctx.layout.empty else _permuted_layout(ctx.layout, self.dims)
            return ctx.with_(outputs=[transpose(x, self.dims)], layout=layout)
        dst = self.layout
        if ctx.layout.empty or ctx.layout == dst:
            if not is_compatible(dst, ctx.shape):
                raise RuntimeError(f"Layout {dst.to_string()} is not compatible with shape "
                                   f"{ctx.shape}")
            return ctx.with_(layout=dst)
        x = ctx.output
        rank = _static_rank(ctx, "Convert layout")
        order = find_permutation(ctx.layout, dst, rank)
        if order == list(range(rank)):
            return ctx.with_(layout=dst)
        return ctx.with_(outputs=[transpose(x, order)], layout=dst)

    def layout_after(self, layout: Layout) -> Layout:
        if self.dims is None:
            return self.layout
        if not self.dims or layout.empty:
            return layout
        try:
            return _permuted_layout(layout, self.dims)
        except RuntimeError:
            return layout  # apply() reports the mismatch

    def shape_before(self, shape: PartialShape, layout_before: Layout) -> PartialShape:
        if shape.rank.is_dynamic:
            return shape
        rank = len(shape)
        try:
            if self.dims is not None:
                if not self.dims:
                    return shape
                _check_order(self.dims, rank)
                order = list(self.dims)
            elif layout_before.empty:
                return shape
            else:
                order = find_permutation(layout_before, self.layout, rank)
        except RuntimeError:
            return shape  # apply() reports the problem
        before = [Dimension()] * rank
        for i, src in enumerate(order):
            before[src] = Dimension(shape[i])
        return PartialShape(before)


class ConvertColor(Step):
    def __init__(self, dst: ColorFormat) -> None:
        self.dst = dst

    def describe(self) -> str:
        from ._formats import format_label

        return f"convert color ({format_label(self.dst)})"

    def apply(self, ctx: Context, target: Target) -> Context:
        return convert_color(ctx, self.dst)


_RESIZE_MODES = {
    ResizeAlgorithm.RESIZE_LINEAR: "linear",
    ResizeAlgorithm.RESIZE_CUBIC: "cubic",
    ResizeAlgorithm.RESIZE_NEAREST: "nearest",
    ResizeAlgorithm.RESIZE_BILINEAR_PILLOW: "bilinear_pillow",
    ResizeAlgorithm.RESIZE_BICUBIC_PILLOW: "bicubic_pillow",
}


class Resize(Step):
    """Interpolate-11 over the H and W axes, to explicit sizes or to the model's H/W."""

    def __init__(self, algorithm: ResizeAlgorithm, height: int | None, width: int | None
                 ) -> None:
        self.algorithm = algorithm
        self.height = height
        self.width = width

    def describe(self) -> str:
        if self.height is None:
            return "resize to model width/height"
        return f"resize to ({self.height}, {self.width})"

    def _model_size(self, ctx: Context, target: Target) -> tuple[int, int]:
        what = "Resize to model width/height"
        if target.shape.rank.is_dynamic:
            raise RuntimeError(f"{what}: the model input has a dynamic rank; pass dst_height and "
                               "dst_width to resize()")
        layout = target.layout if not target.layout.empty else ctx.layout
        h = target.shape[axis_of(layout, "H", target.shape, what)]
        w = target.shape[axis_of(layout, "W", target.shape, what)]
        if not (h.is_static and w.is_static):
            raise RuntimeError(f"{what}: the model's height and width ({h}, {w}) are not static; "
                               "pass dst_height and dst_width to resize()")
        return h.get_length(), w.get_length()

    def apply(self, ctx: Context, target: Target) -> Context:
        x = ctx.output
        if ctx.shape.rank.is_dynamic:
            raise RuntimeError("Resize operation is not supported for fully dynamic shape")
        if not (ctx.layout.has_name("H") and ctx.layout.has_name("W")):
            shown = "<no layout>" if ctx.layout.empty else ctx.layout.to_string()
            raise RuntimeError(f"Can't add resize for layout {shown} without H/W specified. "
                               "Use 'set_layout' API to define layout of image data, like "
                               "'NCHW'")
        h_axis = axis_of(ctx.layout, "H", ctx.shape, "Resize")
        w_axis = axis_of(ctx.layout, "W", ctx.shape, "Resize")
        if self.height is None:
            size = self._model_size(ctx, target)
        else:
            size = (self.height, self.width)
        rank = len(ctx.shape)
        node = Interpolate(x, constant(list(size), Type.i64, [2]),
                           constant([h_axis, w_axis], Type.i64, [2]),
                           mode=_RESIZE_MODES[self.algorithm], shape_calculation_mode="sizes",
                           coordinate_transformation_mode="half_pixel",
                           nearest_mode="round_prefer_floor", antialias=False,
                           pads_begin=[0] * rank, pads_end=[0] * rank, cube_coeff=-0.75)
        return ctx.with_(outputs=[node.output(0)])


class _PerChannel(Step):
    """Mean and scale: a scalar for every element, or one value per channel."""

    word = ""
    op: type[Node] = Node

    def __init__(self, values: tuple[float, ...]) -> None:
        self.values = values

    def describe(self) -> str:
        return f"{self.word} ({','.join(_number(v) for v in self.values)})" if self.values \
            else f"{self.word} "

    def apply(self, ctx: Context, target: Target) -> Context:
        if len(ctx.outputs) != 1:
            raise RuntimeError(f"Can't apply {self.word} preprocessing for multi-plane input. "
                               "Suggesting to convert current image to RGB/BGR color format "
                               "using 'convert_color'")
        x = ctx.output
        et = x.get_element_type()
        if not et.is_real():
            raise RuntimeError(f"{self.word.capitalize()} preprocessing can be applied to "
                               "'float' inputs. Consider using of 'convert_element_type' "
                               f"before scaling. Current type is: {et.get_type_name()}")
        if not self.values:
            raise RuntimeError(f"{self.word}: no values given")
        self._check_values()
        numbers = self._constant_values(et)
        if len(self.values) == 1:
            values = constant(numbers, et, [1])
        else:
            c = axis_of(ctx.layout, "C", ctx.shape, f"Per-channel {self.word}")
            channels = ctx.shape[c]
            if channels.is_static and channels.get_length() != len(self.values):
                raise RuntimeError(f"Number of channels and mean/values size mismatch: "
                                   f"Channels = {channels}, {self.word} = {len(self.values)}, "
                                   f"shape = {ctx.shape}, layout = {ctx.layout.to_string()}")
            shape = [1] * len(ctx.shape)
            shape[c] = len(self.values)
            values = constant(numbers, et, shape)
        return ctx.with_(outputs=[self.op(x, values).output(0)])

    def _check_values(self) -> None:
        """Extra checks of the values (none for mean)."""

    def _constant_values(self, element_type: Type) -> list[float]:
        """The numbers of the step's Constant (the values themselves for mean)."""
        return list(self.values)


class Mean(_PerChannel):
    word = "mean"
    op = Subtract


class Scale(_PerChannel):
    """Divide by the values, built as OpenVINO's ``build()`` leaves it: a Multiply by their
    reciprocals, computed in the input's element type (so results match its numbers)."""

    word = "scale"
    op = Multiply

    def _check_values(self) -> None:
        if any(v == 0 for v in self.values):
            raise RuntimeError(f"scale values {list(self.values)} contain 0; the division by "
                               "zero would give infinities")

    def _constant_values(self, element_type: Type) -> list[float]:
        name = element_type.get_type_name()
        dtype = {"f16": np.float16, "f64": np.float64}.get(name, np.float32)
        values = np.asarray(self.values, dtype=dtype)
        return (np.ones_like(values) / values).astype(np.float64).tolist()


class ReverseChannels(Step):
    def describe(self) -> str:
        return "reverse channels"

    def apply(self, ctx: Context, target: Target) -> Context:
        x = ctx.output
        c = axis_of(ctx.layout, "C", ctx.shape, "Reverse channels")
        channels = ctx.shape[c]
        if not channels.is_static:
            raise RuntimeError(f"Reverse channels needs a static number of channels, got "
                               f"{channels} (shape {ctx.shape})")
        return ctx.with_(outputs=[gather(x, range(channels.get_length() - 1, -1, -1), c)])


_PAD_MODES = {PaddingMode.CONSTANT: "constant", PaddingMode.REFLECT: "reflect",
              PaddingMode.SYMMETRIC: "symmetric"}


class PadStep(Step):
    def __init__(self, begin: tuple[int, ...], end: tuple[int, ...], values: tuple[float, ...],
                 mode: PaddingMode) -> None:
        self.begin, self.end, self.values, self.mode = begin, end, values, mode

    def describe(self) -> str:
        how = {PaddingMode.REFLECT: "reflected from tensor",
               PaddingMode.SYMMETRIC: "symmetrically added from tensor"}.get(
            self.mode, f"with ({','.join(_number(v) for v in self.values)})")
        return (f"pad(begin ({','.join(map(str, self.begin))}), "
                f"end ({','.join(map(str, self.end))}), {how})")

    def apply(self, ctx: Context, target: Target) -> Context:
        x = ctx.output
        if len(self.values) != 1:
            raise RuntimeError(f"Pad takes a single pad value, got {len(self.values)}: "
                               f"{list(self.values)}")
        et = x.get_element_type()
        op = Pad1 if min(self.begin + self.end, default=0) >= 0 else Pad
        node = op(x, constant(list(self.begin), Type.i64, [len(self.begin)]),
                  constant(list(self.end), Type.i64, [len(self.end)]),
                  constant(self.values[0], et, []), pad_mode=_PAD_MODES[self.mode])
        return ctx.with_(outputs=[node.output(0)])


class Crop(Step):
    def __init__(self, begin: tuple[int, ...], end: tuple[int, ...]) -> None:
        self.begin, self.end = begin, end

    def describe(self) -> str:
        return (f"Crop ([ {', '.join(map(str, self.begin))} ],"
                f"[ {', '.join(map(str, self.end))} ])")

    def apply(self, ctx: Context, target: Target) -> Context:
        x = ctx.output
        rank = _static_rank(ctx, "Crop")
        if len(self.begin) != rank or len(self.end) != rank:
            raise RuntimeError(f"Crop: begin {list(self.begin)} and end {list(self.end)} must "
                               f"have one value per dimension of the data {ctx.shape}")
        node = Slice(x, constant(list(self.begin), Type.i64, [rank]),
                     constant(list(self.end), Type.i64, [rank]),
                     constant([1] * rank, Type.i64, [rank]),
                     constant(list(range(rank)), Type.i64, [rank]))
        return ctx.with_(outputs=[node.output(0)])


class Custom(Step):
    is_custom = True

    def __init__(self, operation: Callable[[Output], Any], post: bool) -> None:
        self.operation = operation
        self.post = post

    def describe(self) -> str:
        return "custom"

    def apply(self, ctx: Context, target: Target) -> Context:
        result = self.operation(ctx.output)
        if isinstance(result, ConstOutput):
            out = Output(result.get_node(), result.get_index())
        elif isinstance(result, Node) and result.get_output_size() == 1:
            out = result.output(0)
        else:
            kind = "post" if self.post else "pre"
            raise TypeError(f"The custom {kind}-processing function must return an "
                            f"openvino.Output, got {type(result).__name__}")
        return ctx.with_(outputs=[out])


# --- the public builders ------------------------------------------------------------------
class PreProcessSteps:
    """openvino.preprocess.PreProcessSteps wraps ov::preprocess::PreProcessSteps"""

    def __init__(self) -> None:
        self._steps: list[Step] = []

    def _add(self, step: Step) -> PreProcessSteps:
        self._steps.append(step)
        return self

    def convert_element_type(self, type: Any = None) -> PreProcessSteps:  # noqa: A002
        """Convert to ``type`` (default: the model input's element type)."""
        et = None if type is None else as_type(type, "convert_element_type")
        return self._add(ConvertElementType(et, post=False))

    def convert_layout(self, dst_layout: Any = None, *, dims: Any = None) -> PreProcessSteps:
        """Transpose to a layout (``Layout`` or text), or by a list of dimension indices."""
        return self._add(_convert_layout_step(dst_layout, dims))

    def convert_color(self, dst_format: ColorFormat) -> PreProcessSteps:
        """Convert the image to color format ``dst_format``."""
        if not isinstance(dst_format, ColorFormat):
            raise TypeError(f"convert_color(): expected a ColorFormat, got {dst_format!r}")
        return self._add(ConvertColor(dst_format))

    def resize(self, alg: ResizeAlgorithm, dst_height: int | None = None,
               dst_width: int | None = None) -> PreProcessSteps:
        """Resize H and W (to the model's, or to ``dst_height`` x ``dst_width``)."""
        if not isinstance(alg, ResizeAlgorithm):
            raise TypeError(f"resize(): expected a ResizeAlgorithm, got {alg!r}")
        if (dst_height is None) != (dst_width is None):
            raise TypeError("resize(): pass both dst_height and dst_width, or neither")
        if dst_height is not None:
            h, w = _ints((dst_height, dst_width), "resize", "dst_height and dst_width")
            if h <= 0 or w <= 0:
                raise RuntimeError(f"resize(): target size ({h}, {w}) must be positive")
            return self._add(Resize(alg, h, w))
        return self._add(Resize(alg, None, None))

    def mean(self, value: Any) -> PreProcessSteps:
        """Subtract one value, or one value per channel."""
        return self._add(Mean(_floats(value, "mean")))

    def scale(self, value: Any) -> PreProcessSteps:
        """Divide by one value, or by one value per channel."""
        return self._add(Scale(_floats(value, "scale")))

    def reverse_channels(self) -> PreProcessSteps:
        """Reverse the order of the channels (RGB <-> BGR without a color format)."""
        return self._add(ReverseChannels())

    def pad(self, pads_begin: Any, pads_end: Any, value: Any, mode: PaddingMode
            ) -> PreProcessSteps:
        """Pad each axis by ``pads_begin``/``pads_end`` elements (negative values crop)."""
        if not isinstance(mode, PaddingMode):
            raise TypeError(f"pad(): expected a PaddingMode, got {mode!r}")
        return self._add(PadStep(_ints(pads_begin, "pad", "pads_begin"),
                                 _ints(pads_end, "pad", "pads_end"), _floats(value, "pad"),
                                 mode))

    def crop(self, begin: Any, end: Any) -> PreProcessSteps:
        """Keep ``data[begin[i]:end[i]]`` on every axis (negative values count from the
        end)."""
        return self._add(Crop(_ints(begin, "crop", "begin"), _ints(end, "crop", "end")))

    def custom(self, operation: Callable[[Output], Output]) -> PreProcessSteps:
        """Apply ``operation(output) -> output`` (a function that builds ops)."""
        if not callable(operation):
            raise TypeError(f"custom(): expected a callable, got {operation!r}")
        return self._add(Custom(operation, post=False))


class PostProcessSteps:
    """openvino.preprocess.PostProcessSteps wraps ov::preprocess::PostProcessSteps"""

    def __init__(self) -> None:
        self._steps: list[Step] = []

    def _add(self, step: Step) -> PostProcessSteps:
        self._steps.append(step)
        return self

    def convert_element_type(self, type: Any = None) -> PostProcessSteps:  # noqa: A002
        """Convert to ``type`` (default: the output tensor's element type)."""
        et = None if type is None else as_type(type, "convert_element_type")
        return self._add(ConvertElementType(et, post=True))

    def convert_layout(self, dst_layout: Any = None, *, dims: Any = None) -> PostProcessSteps:
        """Transpose to a layout (``Layout`` or text), or by a list of dimension indices."""
        return self._add(_convert_layout_step(dst_layout, dims))

    def custom(self, operation: Callable[[Output], Output]) -> PostProcessSteps:
        """Apply ``operation(output) -> output`` (a function that builds ops)."""
        if not callable(operation):
            raise TypeError(f"custom(): expected a callable, got {operation!r}")
        return self._add(Custom(operation, post=True))


def _convert_layout_step(dst_layout: Any, dims: Any) -> ConvertLayout:
    if dims is None and isinstance(dst_layout, (list, tuple, range)):
        dims, dst_layout = dst_layout, None
    if dims is not None:
        if dst_layout is not None:
            raise TypeError("convert_layout(): pass a layout or dims, not both")
        return ConvertLayout(dims=_ints(dims, "convert_layout", "dims"))
    if dst_layout is None:
        raise TypeError("convert_layout(): incompatible function arguments; pass the "
                        "destination layout or a list of dimension indices")
    return ConvertLayout(layout=as_layout(dst_layout, "convert_layout"))
