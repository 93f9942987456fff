"""The state a pre- or post-processing pipeline carries from step to step: the current
value (one output, or one per image plane), its layout and its color format."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .._layout import Layout
from .._node import Output
from .._shape import PartialShape
from .._type import Type
from ._enums import ColorFormat
from ._formats import format_label

__all__ = ["Context", "Target", "describe_tensor"]


def describe_tensor(shape: PartialShape, layout: Layout, element_type: Type) -> str:
    """``"[1,3,224,224], [N,C,H,W], f32"`` as the processing report prints a tensor."""
    text = "<no layout>" if layout.empty else layout.to_string()
    return f"{shape.to_string()}, {text}, {element_type.get_type_name()}"


@dataclass(frozen=True)
class Target:
    """What the model side expects (pre-processing) or provides (post-processing): its
    element type, shape and layout, plus the user's tensor type for post-processing."""

    element_type: Type
    shape: PartialShape
    layout: Layout
    user_type: Type | None = None


@dataclass(frozen=True)
class Context:
    """The value between two steps. ``outputs`` has one entry per image plane (several only
    for multi-plane NV12/I420 inputs before ``convert_color``)."""

    outputs: tuple[Output, ...]
    layout: Layout = field(default_factory=Layout)
    color: ColorFormat = ColorFormat.UNDEFINED
    show_color: bool = False

    @property
    def output(self) -> Output:
        """The single value; a clear error for a multi-plane image."""
        if len(self.outputs) != 1:
            raise RuntimeError(f"the input is a multi-plane {format_label(self.color)} image "
                               f"({len(self.outputs)} planes); convert it to RGB/BGR with "
                               "convert_color first")
        return self.outputs[0]

    @property
    def element_type(self) -> Type:
        return self.outputs[0].get_element_type()

    @property
    def shape(self) -> PartialShape:
        return self.outputs[0].get_partial_shape()

    def with_(self, **changes: Any) -> Context:
        """A copy with some fields changed (``outputs`` may be given as a list)."""
        if "outputs" in changes:
            changes["outputs"] = tuple(changes["outputs"])
        return replace(self, **changes)

    def describe(self) -> str:
        """``"([1,3,224,224], [N,C,H,W], f32, RGB)"``: the first plane, and the color when
        the input has one."""
        text = describe_tensor(self.shape, self.layout, self.element_type)
        if self.show_color:
            text += f", {format_label(self.color)}"
        return f"({text})"


def axis_of(layout: Layout, name: str, shape: PartialShape, what: str) -> int:
    """The (non-negative) axis of dimension ``name`` of ``shape`` under ``layout``; a clear
    error naming ``what`` needs it when the layout has no such dimension or the rank is
    dynamic."""
    from ..layout_helpers import dimension_names

    label = {"C": "channels", "H": "height", "W": "width", "N": "batch", "D": "depth"}.get(
        name, name)
    if not layout.has_name(name):
        shown = "<no layout>" if layout.empty else layout.to_string()
        raise RuntimeError(f"{what} needs the {label} dimension '{name}', but layout {shown} "
                           "has none; describe the data with set_layout (e.g. 'NCHW')")
    if shape.rank.is_dynamic:
        raise RuntimeError(f"{what} can't find the {label} dimension in a shape of dynamic "
                           "rank")
    return dimension_names(layout, len(shape)).index(name.upper())
