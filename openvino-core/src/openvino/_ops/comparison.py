"""Elementwise comparisons: Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual.

Two inputs of one element type (any type, boolean included), broadcast by
``auto_broadcast``; the output is boolean.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._opsets import factory
from .elementwise import BinaryComparison

__all__ = ["Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual"]


class _Comparison(BinaryComparison):
    @staticmethod
    def compare(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def reference(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = self._align(a, b)
        return np.asarray(type(self).compare(a, b), dtype=np.bool_)


class Equal(_Comparison):
    type_name = "Equal"
    version = "opset1"
    compare = staticmethod(np.equal)


class NotEqual(_Comparison):
    type_name = "NotEqual"
    version = "opset1"
    compare = staticmethod(np.not_equal)


class Less(_Comparison):
    type_name = "Less"
    version = "opset1"
    compare = staticmethod(np.less)


class LessEqual(_Comparison):
    type_name = "LessEqual"
    version = "opset1"
    compare = staticmethod(np.less_equal)


class Greater(_Comparison):
    type_name = "Greater"
    version = "opset1"
    compare = staticmethod(np.greater)


class GreaterEqual(_Comparison):
    type_name = "GreaterEqual"
    version = "opset1"
    compare = staticmethod(np.greater_equal)


@factory("equal", since=1)
def equal(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
          name: str | None = None) -> Equal:
    """Elementwise ``left == right`` (boolean output)."""
    return Equal(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("not_equal", since=1)
def not_equal(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
              name: str | None = None) -> NotEqual:
    """Elementwise ``left != right`` (boolean output)."""
    return NotEqual(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("less", since=1)
def less(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
         name: str | None = None) -> Less:
    """Elementwise ``left < right`` (boolean output)."""
    return Less(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("less_equal", since=1)
def less_equal(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
               name: str | None = None) -> LessEqual:
    """Elementwise ``left <= right`` (boolean output)."""
    return LessEqual(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("greater", since=1)
def greater(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
            name: str | None = None) -> Greater:
    """Elementwise ``left > right`` (boolean output)."""
    return Greater(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("greater_equal", since=1)
def greater_equal(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
                  name: str | None = None) -> GreaterEqual:
    """Elementwise ``left >= right`` (boolean output)."""
    return GreaterEqual(left_node, right_node, auto_broadcast=auto_broadcast, name=name)
