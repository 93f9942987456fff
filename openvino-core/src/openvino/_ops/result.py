"""Result: a model output."""

from __future__ import annotations

from typing import Any

from .._node import Node
from .._opsets import factory

__all__ = ["Result"]


class Result(Node):
    """Marks a model output. Its output shares the tensor descriptor (names, type,
    shape) of the value it receives."""

    type_name = "Result"
    version = "opset1"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 1, "Result takes exactly one input")
        src = self._inputs[0]
        desc = src._node._outputs[src._index]
        if self._outputs:
            self._outputs[0] = desc
        else:
            self._outputs.append(desc)

    def set_argument(self, index: int, source: Any) -> None:
        super().set_argument(index, source)
        self.validate_and_infer_types()

    def reference(self, x: Any) -> Any:
        return x


@factory("result", since=1)
def result(data: Any, name: str | None = None) -> Result:
    """Mark ``data`` as a model output."""
    return Result(data, name=name)


# the class path the binding gives it (``openvino._pyopenvino.op.Result``), which messages
# and reprs show: ``<class 'openvino._pyopenvino.op.Result'>``
Result.__module__ = "openvino._pyopenvino.op"
