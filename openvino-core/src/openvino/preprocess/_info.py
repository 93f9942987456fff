"""What the user declares about one model input or output: the user's tensor
(``InputTensorInfo`` / ``OutputTensorInfo``), the model's side (``InputModelInfo`` /
``OutputModelInfo``) and the steps between them, grouped in ``InputInfo`` / ``OutputInfo``.

Setters only record (and check what can be checked without the model); ``build()`` turns
the declarations into ops. Each setter returns its object, so calls chain.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._layout import Layout
from .._shape import PartialShape
from .._tensor import Tensor
from .._type import Type
from ._enums import ColorFormat
from ._formats import format_label, planes_count
from ._steps import PostProcessSteps, PreProcessSteps, as_layout, as_type

__all__ = ["InputInfo", "InputModelInfo", "InputTensorInfo", "OutputInfo", "OutputModelInfo",
           "OutputTensorInfo"]

_SHAPE_CONFLICT = ("'set_spatial_static_shape', 'set_spatial_dynamic_shape', 'set_shape/set_from'"
                   " shall not be used together")


def _as_shape(shape: Any) -> PartialShape:
    if isinstance(shape, PartialShape):
        return PartialShape(shape)
    if isinstance(shape, (str, list, tuple)):
        return PartialShape(shape)
    raise TypeError(f"set_shape(): expected a PartialShape or a list of dimensions, got "
                    f"{shape!r}")


class InputTensorInfo:
    """openvino.preprocess.InputTensorInfo wraps ov::preprocess::InputTensorInfo"""

    def __init__(self) -> None:
        self._element_type: Type | None = None
        self._layout: Layout | None = None
        self._shape: PartialShape | None = None
        self._spatial: tuple[int, int] | None = None
        self._spatial_dynamic = False
        self._color = ColorFormat.UNDEFINED
        self._sub_names: tuple[str, ...] = ()
        self._memory_type: str | None = None

    def set_element_type(self, type: Any) -> InputTensorInfo:  # noqa: A002
        """The element type of the user's tensor (converted to the model's at the end)."""
        self._element_type = as_type(type, "set_element_type")
        return self

    def set_layout(self, layout: Any) -> InputTensorInfo:
        """The layout of the user's tensor (``Layout`` or text such as ``"NHWC"``)."""
        self._layout = as_layout(layout, "set_layout")
        return self

    def set_shape(self, shape: Any) -> InputTensorInfo:
        """The shape of the user's tensor (``PartialShape``, list or text)."""
        if self._spatial is not None or self._spatial_dynamic:
            raise RuntimeError(_SHAPE_CONFLICT)
        self._shape = _as_shape(shape)
        return self

    def set_spatial_static_shape(self, height: int, width: int) -> InputTensorInfo:
        """The user's images are ``height`` x ``width`` (the rest follows the model)."""
        if self._shape is not None:
            raise RuntimeError("'set_spatial_static_shape' and 'set_shape/set_from' shall not "
                               "be used together")
        h, w = int(height), int(width)
        if h <= 0 or w <= 0:
            raise RuntimeError(f"set_spatial_static_shape(): height and width must be positive, "
                               f"got ({h}, {w})")
        self._spatial = (h, w)
        self._spatial_dynamic = False
        return self

    def set_spatial_dynamic_shape(self) -> InputTensorInfo:
        """The user's images may have any height and width."""
        if self._shape is not None:
            raise RuntimeError(_SHAPE_CONFLICT)
        self._spatial_dynamic = True
        self._spatial = None
        return self

    def set_color_format(self, format: ColorFormat,  # noqa: A002
                         sub_names: Any = ()) -> InputTensorInfo:
        """The user's images come in ``format``; ``sub_names`` name the planes of a
        multi-plane format (the inputs become ``<name>/<sub_name>``)."""
        if not isinstance(format, ColorFormat):
            raise TypeError(f"set_color_format(): expected a ColorFormat, got {format!r}")
        names = tuple(str(n) for n in sub_names)
        if names and len(names) != planes_count(format):
            raise RuntimeError(f"Number of sub-names ({len(names)}) shall match with number of "
                               f"planes for '{format_label(format)}' color format "
                               f"({planes_count(format)})")
        self._color = format
        self._sub_names = names
        return self

    def set_memory_type(self, memory_type: str) -> InputTensorInfo:
        """A device memory type for the input (kept in the input tensor's rt_info as
        ``memory_type``)."""
        if not isinstance(memory_type, str):
            raise TypeError(f"set_memory_type(): expected a string, got {memory_type!r}")
        self._memory_type = memory_type
        return self

    def set_from(self, tensor: Any) -> InputTensorInfo:
        """Take the shape and element type of a ``Tensor`` or numpy array."""
        if isinstance(tensor, Tensor):
            shape, et = PartialShape(list(tensor.get_shape())), tensor.get_element_type()
        elif isinstance(tensor, np.ndarray):
            shape, et = PartialShape(list(tensor.shape)), Type(tensor.dtype)
        else:
            raise TypeError(f"set_from(): expected an openvino.Tensor or a numpy array, got "
                            f"{type(tensor).__name__}")
        if self._spatial is not None or self._spatial_dynamic:
            raise RuntimeError(_SHAPE_CONFLICT)
        self._shape = shape
        self._element_type = et
        return self

    def _configured(self) -> bool:
        return (self._element_type is not None or self._layout is not None
                or self._shape is not None or self._spatial is not None
                or self._spatial_dynamic or self._color != ColorFormat.UNDEFINED
                or self._memory_type is not None)


class InputModelInfo:
    """openvino.preprocess.InputModelInfo wraps ov::preprocess::InputModelInfo"""

    def __init__(self) -> None:
        self._layout: Layout | None = None

    def set_layout(self, layout: Any) -> InputModelInfo:
        """The layout of the model's input (it becomes the input's layout when the user
        tensor's is not given)."""
        self._layout = as_layout(layout, "set_layout")
        return self


class InputInfo:
    """openvino.preprocess.InputInfo wraps ov::preprocess::InputInfo"""

    def __init__(self, index: int) -> None:
        self._index = index
        self._tensor = InputTensorInfo()
        self._preprocess = PreProcessSteps()
        self._model = InputModelInfo()

    def tensor(self) -> InputTensorInfo:
        """The user's tensor."""
        return self._tensor

    def preprocess(self) -> PreProcessSteps:
        """The steps from the user's tensor to the model's input."""
        return self._preprocess

    def model(self) -> InputModelInfo:
        """The model's input."""
        return self._model

    def _configured(self) -> bool:
        return (self._tensor._configured() or self._model._layout is not None
                or bool(self._preprocess._steps))


class OutputTensorInfo:
    """openvino.preprocess.OutputTensorInfo wraps ov::preprocess::OutputTensorInfo"""

    def __init__(self) -> None:
        self._element_type: Type | None = None
        self._layout: Layout | None = None

    def set_element_type(self, type: Any) -> OutputTensorInfo:  # noqa: A002
        """The element type the user gets (converted from the model's at the end)."""
        self._element_type = as_type(type, "set_element_type")
        return self

    def set_layout(self, layout: Any) -> OutputTensorInfo:
        """The layout the user gets (transposed from the model's at the end)."""
        self._layout = as_layout(layout, "set_layout")
        return self


class OutputModelInfo:
    """openvino.preprocess.OutputModelInfo wraps ov::preprocess::OutputModelInfo"""

    def __init__(self) -> None:
        self._layout: Layout | None = None

    def set_layout(self, layout: Any) -> OutputModelInfo:
        """The layout of the model's output."""
        self._layout = as_layout(layout, "set_layout")
        return self


class OutputInfo:
    """openvino.preprocess.OutputInfo wraps ov::preprocess::OutputInfo"""

    def __init__(self, index: int) -> None:
        self._index = index
        self._tensor = OutputTensorInfo()
        self._postprocess = PostProcessSteps()
        self._model = OutputModelInfo()

    def tensor(self) -> OutputTensorInfo:
        """The tensor the user gets."""
        return self._tensor

    def postprocess(self) -> PostProcessSteps:
        """The steps from the model's output to the user's tensor."""
        return self._postprocess

    def model(self) -> OutputModelInfo:
        """The model's output."""
        return self._model

    def _configured(self) -> bool:
        return (self._tensor._element_type is not None or self._tensor._layout is not None
                or self._model._layout is not None or bool(self._postprocess._steps))
