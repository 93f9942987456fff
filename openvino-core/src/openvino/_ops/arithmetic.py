"""Binary arithmetic: Add, Subtract, Multiply, Divide, Power, Maximum, Minimum, Mod,
FloorMod, SquaredDifference."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._opsets import factory
from .elementwise import BinaryArithmetic

__all__ = ["Add"]


class Add(BinaryArithmetic):
    type_name = "Add"
    version = "opset1"

    def reference(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = self._align(a, b)
        return np.add(a, b, dtype=a.dtype)


@factory("add", since=1)
def add(left: Any, right: Any, auto_broadcast: str = "NUMPY", name: str | None = None) -> Add:
    """Elementwise ``left + right`` with broadcasting."""
    return Add(left, right, auto_broadcast=auto_broadcast, name=name)
