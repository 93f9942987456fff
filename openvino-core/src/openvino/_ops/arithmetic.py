"""Binary arithmetic: Add, Subtract, Multiply, Divide, Power, Maximum, Minimum, Mod,
FloorMod, SquaredDifference.

All of them take two inputs of one numeric element type (boolean is rejected) broadcast by
``auto_broadcast``; integer results wrap around like C integers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._opsets import factory
from .elementwise import BinaryArithmetic, wrap_integer

__all__ = ["Add", "Subtract", "Multiply", "Divide", "Power", "Maximum", "Minimum", "Mod",
           "FloorMod", "SquaredDifference"]


class _Arithmetic(BinaryArithmetic):
    """Shared reference: align the inputs, compute ``compute(a, b)``, wrap to the type."""

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        raise NotImplementedError

    def reference(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = self._align(a, b)
        with np.errstate(all="ignore"):
            out = self.compute(a, b)
        return wrap_integer(out, self.get_output_element_type(0))


def _is_int(a: np.ndarray) -> bool:
    return a.dtype.kind in "iu"


def _check_divisor(node: _Arithmetic, a: np.ndarray, b: np.ndarray) -> None:
    if _is_int(a) and np.any(b == 0):
        raise RuntimeError(f"{node.type_name} '{node.get_friendly_name()}': integer division "
                           "by zero")


class Add(_Arithmetic):
    type_name = "Add"
    version = "opset1"

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        return np.add(a, b, dtype=a.dtype)


class Subtract(_Arithmetic):
    type_name = "Subtract"
    version = "opset1"

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        return np.subtract(a, b, dtype=a.dtype)


class Multiply(_Arithmetic):
    type_name = "Multiply"
    version = "opset1"

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        return np.multiply(a, b, dtype=a.dtype)


class Divide(_Arithmetic):
    """``a / b``; for integers the quotient is floored when ``m_pythondiv`` is true (the
    default) and truncated toward zero otherwise."""

    type_name = "Divide"
    version = "opset1"
    attributes = {**BinaryArithmetic.attributes, "m_pythondiv": Attr.bool(True)}

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        if not _is_int(a):
            return np.true_divide(a, b, dtype=a.dtype)
        _check_divisor(self, a, b)
        if self._attrs["m_pythondiv"] or a.dtype.kind == "u":
            return np.floor_divide(a, b, dtype=a.dtype)
        q = np.floor_divide(a, b, dtype=a.dtype)
        # floor -> trunc: step up by one where the division was inexact with mixed signs
        inexact = np.multiply(q, b, dtype=a.dtype) != a
        return np.where(inexact & ((a < 0) != (b < 0)), q + 1, q)


class Power(_Arithmetic):
    """``a ** b``; an integer base with a negative integer exponent gives the truncated
    real result (``1``, ``+-1`` for base ``-1``, ``0`` otherwise)."""

    type_name = "Power"
    version = "opset1"

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        if not _is_int(a):
            return np.power(a, b, dtype=a.dtype)
        if a.dtype.kind == "u":
            return np.power(a, b, dtype=a.dtype)
        neg = b < 0
        pos = np.power(a, np.where(neg, 0, b), dtype=a.dtype)
        odd = (b % 2) != 0
        small = np.where(a == 1, 1, np.where(a == -1, np.where(odd, -1, 1), 0))
        return np.where(neg, small.astype(a.dtype), pos)


class Maximum(_Arithmetic):
    type_name = "Maximum"
    version = "opset1"

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        return np.maximum(a, b)


class Minimum(_Arithmetic):
    type_name = "Minimum"
    version = "opset1"

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        return np.minimum(a, b)


class Mod(_Arithmetic):
    """Remainder of truncated division: the result has the sign of the dividend."""

    type_name = "Mod"
    version = "opset1"

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        _check_divisor(self, a, b)
        return np.fmod(a, b, dtype=a.dtype)


class FloorMod(_Arithmetic):
    """Remainder of floored division: the result has the sign of the divisor."""

    type_name = "FloorMod"
    version = "opset1"

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        _check_divisor(self, a, b)
        return np.mod(a, b, dtype=a.dtype)


class SquaredDifference(_Arithmetic):
    type_name = "SquaredDifference"
    version = "opset1"

    def compute(self, a: np.ndarray, b: np.ndarray) -> Any:
        d = np.subtract(a, b, dtype=a.dtype)
        return np.multiply(d, d, dtype=a.dtype)


@factory("add", since=1)
def add(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
        name: str | None = None) -> Add:
    """Elementwise ``left + right`` with broadcasting."""
    return Add(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("subtract", since=1)
def subtract(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
             name: str | None = None) -> Subtract:
    """Elementwise ``left - right`` with broadcasting."""
    return Subtract(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("multiply", since=1)
def multiply(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
             name: str | None = None) -> Multiply:
    """Elementwise ``left * right`` with broadcasting."""
    return Multiply(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("divide", since=1)
def divide(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
           name: str | None = None) -> Divide:
    """Elementwise ``left / right`` (integers: floor division)."""
    return Divide(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("power", since=1)
def power(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
          name: str | None = None) -> Power:
    """Elementwise ``left ** right`` with broadcasting."""
    return Power(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("maximum", since=1)
def maximum(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
            name: str | None = None) -> Maximum:
    """Elementwise maximum of two tensors."""
    return Maximum(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("minimum", since=1)
def minimum(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
            name: str | None = None) -> Minimum:
    """Elementwise minimum of two tensors."""
    return Minimum(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("mod", since=1)
def mod(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
        name: str | None = None) -> Mod:
    """Elementwise remainder with the sign of the dividend."""
    return Mod(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("floor_mod", since=1)
def floor_mod(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
              name: str | None = None) -> FloorMod:
    """Elementwise remainder with the sign of the divisor."""
    return FloorMod(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("squared_difference", since=1)
def squared_difference(x1: Any, x2: Any, auto_broadcast: str = "NUMPY",
                       name: str | None = None) -> SquaredDifference:
    """Elementwise ``(x1 - x2) ** 2``."""
    return SquaredDifference(x1, x2, auto_broadcast=auto_broadcast, name=name)
