"""``ExecutionNode``: one step of a device's plan as ``get_runtime_model()`` shows it.

OpenVINO's devices describe what they run as a ``Model`` of ``ExecutionNode`` ops (type
info ``ExecutionNode``/``extension``), one per kernel, each with the element types and
shapes it produces and rt_info saying what it is (``layerType``, ``primitiveType``,
``originalLayersNames``, ``outputPrecisions``, ``execOrder``, ...). A device builds one
from its plan::

    from openvino.plugin.runtime_model import ExecutionNode

    node = ExecutionNode(input_outputs, [(ov.Type.f32, (1, 64))], "conv1/relu")
    node.get_rt_info()["layerType"] = "Convolution"

The node only describes: it has no reference, so such a model is for reading (users list
its ops and rt_info, serialize it), not for running. Return it from
``DeviceCompiledModel.get_runtime_model()`` wrapped in a ``Model`` with the original
Parameters' names.
"""

from __future__ import annotations

from collections.abc import Sequence

from openvino._node import Node, Output
from openvino._shape import PartialShape
from openvino._type import Type

__all__ = ["ExecutionNode"]


class ExecutionNode(Node):
    """A step of a device plan: ``inputs`` (outputs of other nodes), one
    ``(element type, shape)`` per output, and a friendly ``name``."""

    version = "extension"

    def __init__(self, inputs: Sequence[Output],
                 outputs: Sequence[tuple[Type, Sequence[int]]], name: str) -> None:
        declared = []
        for i, item in enumerate(outputs):
            try:
                et, shape = item
            except (TypeError, ValueError):
                raise TypeError(f"ExecutionNode '{name}': output {i} must be "
                                f"(element type, shape), got {item!r}") from None
            if not isinstance(et, Type):
                raise TypeError(f"ExecutionNode '{name}': output {i} element type must be an "
                                f"openvino.Type, got {type(et).__name__}")
            declared.append((et, tuple(int(d) for d in shape)))
        self._init_node(list(inputs), str(name), {})
        self._declared = declared
        self.validate_and_infer_types()

    def validate_and_infer_types(self) -> None:
        for i, (et, shape) in enumerate(self._declared):
            self.set_output_type(i, et, PartialShape(list(shape)))

    def _copy_state_from(self, other: Node) -> None:
        super()._copy_state_from(other)
        self._declared = list(getattr(other, "_declared", []))

    def get_declared_outputs(self) -> list[tuple[Type, tuple[int, ...]]]:
        """The ``(element type, shape)`` of each output, as given."""
        return list(self._declared)


# set after the class statement: the type is not an op of the IR registry
ExecutionNode.type_name = "ExecutionNode"
