"""Variables of stateful IR models: every ReadValue/Assign layer with one ``variable_id``
shares one ``Variable`` (through the ops' ``_from_ir_with_variables`` hook), and Assign
layers become the model's sinks."""

from __future__ import annotations

from typing import Any

from .._node import Node, Output
from .._variable import Variable
from .layer_spec import LayerSpec

__all__ = ["VariableTable"]

SINK_TYPES = frozenset({"Assign"})


class VariableTable:
    """The variables of one model being read, by ``variable_id``."""

    def __init__(self) -> None:
        self.variables: dict[str, Variable] = {}

    @staticmethod
    def handles(cls: Any) -> bool:
        """True for op classes that take shared variables when read from IR."""
        return callable(getattr(cls, "_from_ir_with_variables", None))

    def make(self, cls: Any, inputs: list[Output], spec: LayerSpec) -> Node:
        return cls._from_ir_with_variables(inputs, spec.data, spec.name, self.variables)

    @staticmethod
    def is_sink(node: Node) -> bool:
        """True for nodes a model keeps as sinks (they have effects, not consumers)."""
        return node.type_name in SINK_TYPES
