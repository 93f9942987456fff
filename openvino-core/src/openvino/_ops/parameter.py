"""Parameter: a model input."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import PartialShape
from .._type import Type

__all__ = ["Parameter"]


class Parameter(Node):
    """A model input of a given element type and (partial) shape."""

    type_name = "Parameter"
    version = "opset1"
    attributes = {"element_type": Attr.type(Type.f32), "shape": Attr.shape(PartialShape([]))}

    def __init__(self, element_type: Any = Type.f32, shape: Any = (), name: str | None = None
                 ) -> None:
        self._init_node(())
        self._attrs = {
            "element_type": element_type if isinstance(element_type, Type)
            else Type(element_type),
            "shape": PartialShape(shape) if not isinstance(shape, PartialShape)
            else PartialShape(shape),
        }
        self._layout = None
        if name:
            self._friendly_name = name
        self.validate_and_infer_types()

    @classmethod
    def _from_ir(cls, inputs, data, name):
        node = super()._from_ir(inputs, data, name)
        node._layout = None
        return node

    def _copy_state_from(self, other: Node) -> None:
        super()._copy_state_from(other)
        self._layout = getattr(other, "_layout", None)

    def validate_and_infer_types(self) -> None:
        self.set_output_type(0, self._attrs["element_type"], PartialShape(self._attrs["shape"]))

    def reference(self, *inputs: Any) -> Any:
        raise RuntimeError(f"Parameter '{self.get_friendly_name()}' has no value")

    # --- public API ---------------------------------------------------------------------
    def get_partial_shape(self) -> PartialShape:
        return self._outputs[0].partial_shape

    def set_partial_shape(self, shape: Any) -> None:
        self._attrs["shape"] = PartialShape(shape)
        self.validate_and_infer_types()

    partial_shape = property(get_partial_shape, set_partial_shape)

    def get_element_type(self) -> Type:
        return self._attrs["element_type"]

    def set_element_type(self, element_type: Any) -> None:
        self._attrs["element_type"] = Type(element_type)
        self.validate_and_infer_types()

    element_type = property(get_element_type, set_element_type)

    def __repr__(self) -> str:
        # as the binding: the shape and the element type's C name (``float``, ``int64_t``)
        et = self._outputs[0].element_type if self._outputs else Type.dynamic
        c_name = {Type.f32: "float", Type.f64: "double"}.get(et) or repr(et)[8:-2]
        return (f"<Parameter: '{self.get_friendly_name()}' "
                f"({self.get_partial_shape().to_string()}, {c_name})>")

    def get_layout(self) -> Any:
        from .._layout import Layout

        return self._layout if self._layout is not None else Layout()

    def set_layout(self, layout: Any) -> None:
        from .._layout import Layout

        self._layout = layout if isinstance(layout, Layout) else Layout(layout)
        self._outputs[0].rt_info["layout"] = self._layout

    layout = property(get_layout, set_layout)


@factory("parameter", since=1)
def parameter(shape: Any, dtype: Any = np.float32, name: str | None = None) -> Parameter:
    """A model input; ``shape`` may be a list (``-1``/``"?"`` for dynamic dims), a
    ``Shape``, a ``PartialShape`` or a string such as ``"[?,3]"``."""
    et = dtype if isinstance(dtype, Type) else Type(dtype)
    return Parameter(et, PartialShape(shape) if not isinstance(shape, PartialShape) else shape,
                     name=name)


# the class path the binding gives it (``openvino._pyopenvino.op.Parameter``), which messages
# and reprs show: ``<class 'openvino._pyopenvino.op.Parameter'>``
Parameter.__module__ = "openvino._pyopenvino.op"
