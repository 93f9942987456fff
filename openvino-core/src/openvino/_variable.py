"""Variables of stateful models (``openvino.op.util.VariableInfo`` / ``Variable``)."""

from __future__ import annotations

from typing import Any

from ._shape import PartialShape
from ._type import Type

__all__ = ["VariableInfo", "Variable"]


class VariableInfo:
    """What a variable holds: ``data_shape``, ``data_type`` and its ``variable_id``."""

    def __init__(self) -> None:
        self.data_shape = PartialShape.dynamic()
        self.data_type = Type.dynamic
        self.variable_id = ""

    def __repr__(self) -> str:
        return (f"<VariableInfo: id='{self.variable_id}' type={self.data_type.get_type_name()} "
                f"shape={self.data_shape}>")


class Variable:
    """A named piece of state that ReadValue reads and Assign writes."""

    def __init__(self, info: VariableInfo) -> None:
        self._info = VariableInfo()
        self.update(info)

    def get_info(self) -> VariableInfo:
        return self._info

    info = property(get_info)

    def update(self, info: VariableInfo) -> None:
        self._info.data_shape = PartialShape(info.data_shape)
        self._info.data_type = info.data_type if isinstance(info.data_type, Type) else Type(
            info.data_type)
        self._info.variable_id = str(info.variable_id)

    def update_data_shape(self, shape: Any) -> None:
        self._info.data_shape = PartialShape(shape)

    def get_variable_id(self) -> str:
        return self._info.variable_id

    def __repr__(self) -> str:
        return f"<Variable: '{self._info.variable_id}'>"
