"""Base classes of the elementwise families: unary ops and binary ops with
``auto_broadcast``."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import numpy as np

from .._attributes import Attr
from .._encoding import cast_evaluation
from .._node import Node
from .._type import Type
from ._infer import broadcast_shapes, merge_types

__all__ = ["UnaryElementwise", "BinaryElementwise", "BinaryArithmetic", "BinaryComparison",
           "BinaryLogical", "F16_UNROUNDED"]

#: True while constants are folded (``openvino._reference_executor.fold_values``): an f16
#: result of ``wrap_integer`` then stays float32, not rounded to f16.
F16_UNROUNDED: ContextVar[bool] = ContextVar("F16_UNROUNDED", default=False)


class UnaryElementwise(Node):
    """One input, one output of the same type and shape. Subclasses implement
    ``reference(x)``; ``allowed`` restricts the element types (``"real"``, ``"numeric"``,
    ``"boolean"``, ``"integral"`` or ``None`` for any)."""

    allowed: str | None = "numeric"

    def validate_and_infer_types(self) -> None:
        inputs = self._inputs
        if len(inputs) != 1:
            self.fail(f"{self.type_name} takes one input")
        x = inputs[0]
        x = x._node._outputs[x._index]
        et = x.element_type
        allowed = self.allowed
        if allowed is not None and (allowed != "numeric" or et is Type.boolean or
                                    et is Type.string):
            _check_kind(self, et, allowed)
        self.set_output_type(0, et, x.partial_shape)


class BinaryElementwise(Node):
    """Two inputs broadcast by ``auto_broadcast`` (numpy, pdpd or none)."""

    attributes = {"auto_broadcast": Attr.enum("numpy")}
    allowed: str | None = "numeric"

    def output_type(self, input_type: Type) -> Type:
        return input_type

    def validate_and_infer_types(self) -> None:
        inputs = self._inputs
        if len(inputs) != 2:
            self.fail(f"{self.type_name} takes two inputs")
        a, b = inputs
        a = a._node._outputs[a._index]
        b = b._node._outputs[b._index]
        et = a.element_type
        if et is not b.element_type:
            et = merge_types(self, et, b.element_type)
        allowed = self.allowed
        if allowed is not None and (allowed != "numeric" or et is Type.boolean or
                                    et is Type.string):
            _check_kind(self, et, allowed)
        shape = broadcast_shapes(self, a.partial_shape, b.partial_shape,
                                 self._attrs.get("auto_broadcast", "numpy"))
        self.set_output_type(0, self.output_type(et), shape)

    def _align(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The inputs ready for numpy broadcasting. pdpd broadcasting with its default
        axis (-1) aligns ``b`` with ``a``'s trailing axes, which is what numpy does."""
        return a, b


class BinaryArithmetic(BinaryElementwise):
    allowed = "numeric"


class BinaryComparison(BinaryElementwise):
    allowed = None

    def output_type(self, input_type: Type) -> Type:
        return Type.boolean


class BinaryLogical(BinaryElementwise):
    allowed = "boolean"


_KIND_CHECKS = {
    "numeric": lambda et: et is not Type.boolean and et is not Type.string,
    "real": Type.is_real,
    "boolean": lambda et: et is Type.boolean,
    "integral": Type.is_integral_number,
    "integral_or_boolean": Type.is_integral,
}


def _check_kind(node: Node, et: Type, allowed: str | None) -> None:
    """Fail unless ``et`` is of the kind ``allowed`` (or dynamic). Callers may skip the call
    for ``allowed`` None, and for "numeric" with a type neither boolean nor string."""
    if allowed is None or et.is_dynamic():
        return
    if not _KIND_CHECKS[allowed](et):
        node.fail(f"Element type {et.get_type_name()} is not supported by {node.type_name} "
                  f"(expects {allowed})")


def wrap_integer(result: Any, et: Type) -> np.ndarray:
    """Cast a numpy result back to the op's element type (integers wrap like C, including
    the 4-bit and 1-bit types; bf16/f8 values are rounded to what the type holds)."""
    if et is Type.u1:
        return (np.asarray(result).astype(np.int64) & 1).astype(np.uint8)
    if et is Type.f16 and F16_UNROUNDED.get():
        return np.asarray(result, dtype=np.float32)
    return cast_evaluation(np.asarray(result), et)
