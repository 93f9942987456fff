"""Select: ``then`` where the boolean condition holds, ``else`` elsewhere, with the three
inputs broadcast by ``auto_broadcast`` (numpy, pdpd or none)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._type import Type
from ._infer import broadcast_shapes, merge_types

__all__ = ["Select"]


class Select(Node):
    type_name = "Select"
    version = "opset1"
    attributes = {"auto_broadcast": Attr.enum("numpy")}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3, "Select takes three inputs: cond, then, else")
        cond_et = self.get_input_element_type(0)
        self.check(cond_et.is_dynamic() or cond_et is Type.boolean,
                   f"Argument 0 must have boolean element type (element type: "
                   f"{cond_et.get_type_name()})")
        et = merge_types(self, self.get_input_element_type(1), self.get_input_element_type(2))
        mode = self._attrs["auto_broadcast"]
        self.check(mode in ("numpy", "pdpd", "none"),
                   f"Unsupported auto_broadcast mode '{mode}'")
        cond, then, other = (self.get_input_partial_shape(i) for i in range(3))
        if mode == "pdpd":
            values = broadcast_shapes(self, then, other, "pdpd")
            shape = broadcast_shapes(self, values, cond, "pdpd")
        else:
            shape = broadcast_shapes(self, broadcast_shapes(self, cond, then, mode), other, mode)
        self.set_output_type(0, et, shape)

    def reference(self, cond: np.ndarray, then: np.ndarray, other: np.ndarray) -> np.ndarray:
        # pdpd with its default axis (-1) aligns trailing axes, like numpy
        return np.where(cond, then, other)


@factory("select", since=1)
def select(cond: Any, then_node: Any, else_node: Any, auto_broadcast: str = "numpy",
           name: str | None = None) -> Select:
    """Elementwise ``then_node if cond else else_node``."""
    return Select(cond, then_node, else_node, auto_broadcast=auto_broadcast, name=name)
