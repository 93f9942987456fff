"""Boolean logic: LogicalAnd, LogicalOr, LogicalXor (broadcast by ``auto_broadcast``) and
LogicalNot. Inputs and outputs are boolean."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._opsets import factory
from .elementwise import BinaryLogical, UnaryElementwise

__all__ = ["LogicalAnd", "LogicalOr", "LogicalXor", "LogicalNot"]


class _Logical(BinaryLogical):
    @staticmethod
    def combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def reference(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = self._align(a, b)
        return np.asarray(type(self).combine(a, b), dtype=np.bool_)


class LogicalAnd(_Logical):
    type_name = "LogicalAnd"
    version = "opset1"
    combine = staticmethod(np.logical_and)


class LogicalOr(_Logical):
    type_name = "LogicalOr"
    version = "opset1"
    combine = staticmethod(np.logical_or)


class LogicalXor(_Logical):
    type_name = "LogicalXor"
    version = "opset1"
    combine = staticmethod(np.logical_xor)


class LogicalNot(UnaryElementwise):
    type_name = "LogicalNot"
    version = "opset1"
    allowed = "boolean"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return np.logical_not(x)


@factory("logical_and", since=1)
def logical_and(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
                name: str | None = None) -> LogicalAnd:
    """Elementwise boolean AND."""
    return LogicalAnd(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("logical_or", since=1)
def logical_or(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
               name: str | None = None) -> LogicalOr:
    """Elementwise boolean OR."""
    return LogicalOr(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("logical_xor", since=1)
def logical_xor(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
                name: str | None = None) -> LogicalXor:
    """Elementwise boolean XOR."""
    return LogicalXor(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("logical_not", since=1)
def logical_not(node: Any, name: str | None = None) -> LogicalNot:
    """Elementwise boolean NOT."""
    return LogicalNot(node, name=name)
