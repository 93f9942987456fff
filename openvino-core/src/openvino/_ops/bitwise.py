"""Bitwise ops: BitwiseAnd, BitwiseOr, BitwiseXor, BitwiseNot (integers and boolean, opset13)
and BitwiseLeftShift, BitwiseRightShift (integers, opset15)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._opsets import factory
from .elementwise import BinaryElementwise, UnaryElementwise, wrap_integer

__all__ = ["BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot", "BitwiseLeftShift",
           "BitwiseRightShift"]


class _Bitwise(BinaryElementwise):
    allowed = "integral_or_boolean"

    @staticmethod
    def combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def reference(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = self._align(a, b)
        return wrap_integer(type(self).combine(a, b), self.get_output_element_type(0))


class BitwiseAnd(_Bitwise):
    type_name = "BitwiseAnd"
    version = "opset13"
    combine = staticmethod(np.bitwise_and)


class BitwiseOr(_Bitwise):
    type_name = "BitwiseOr"
    version = "opset13"
    combine = staticmethod(np.bitwise_or)


class BitwiseXor(_Bitwise):
    type_name = "BitwiseXor"
    version = "opset13"
    combine = staticmethod(np.bitwise_xor)


class BitwiseNot(UnaryElementwise):
    """Inverts every bit; on boolean it is logical NOT."""

    type_name = "BitwiseNot"
    version = "opset13"
    allowed = "integral_or_boolean"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return wrap_integer(np.invert(x), self.get_output_element_type(0))


class _Shift(BinaryElementwise):
    """Shifts of integers. A shift count outside ``[0, bit width)`` (left undefined by the
    spec) shifts every bit out: 0, or -1 for a right shift of a negative value."""

    allowed = "integral"

    def reference(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = self._align(a, b)
        et = self.get_output_element_type(0)
        bits = et.bitwidth
        wide = a if a.dtype == np.uint64 else a.astype(np.int64)
        count = b.astype(np.int64) if b.dtype != np.uint64 else np.minimum(b, bits).astype(
            np.int64)
        inside = (count >= 0) & (count < bits)
        shifted = self.shift(wide, np.where(inside, count, 0).astype(wide.dtype))
        overflow = np.where(wide < 0, -1, 0) if self.sign_fill else 0
        return wrap_integer(np.where(inside, shifted, overflow), et)

    sign_fill = False

    @staticmethod
    def shift(a: np.ndarray, count: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class BitwiseLeftShift(_Shift):
    type_name = "BitwiseLeftShift"
    version = "opset15"
    shift = staticmethod(np.left_shift)


class BitwiseRightShift(_Shift):
    """Arithmetic shift for signed types, logical for unsigned ones."""

    type_name = "BitwiseRightShift"
    version = "opset15"
    sign_fill = True
    shift = staticmethod(np.right_shift)


@factory("bitwise_and", since=13)
def bitwise_and(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
                name: str | None = None) -> BitwiseAnd:
    """Elementwise bitwise AND."""
    return BitwiseAnd(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("bitwise_or", since=13)
def bitwise_or(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
               name: str | None = None) -> BitwiseOr:
    """Elementwise bitwise OR."""
    return BitwiseOr(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("bitwise_xor", since=13)
def bitwise_xor(left_node: Any, right_node: Any, auto_broadcast: str = "NUMPY",
                name: str | None = None) -> BitwiseXor:
    """Elementwise bitwise XOR."""
    return BitwiseXor(left_node, right_node, auto_broadcast=auto_broadcast, name=name)


@factory("bitwise_not", since=13)
def bitwise_not(node: Any, name: str | None = None) -> BitwiseNot:
    """Elementwise bitwise NOT."""
    return BitwiseNot(node, name=name)


@factory("bitwise_left_shift", since=15)
def bitwise_left_shift(arg0: Any, arg1: Any, auto_broadcast: str = "NUMPY",
                       name: str | None = None) -> BitwiseLeftShift:
    """Elementwise ``arg0 << arg1``."""
    return BitwiseLeftShift(arg0, arg1, auto_broadcast=auto_broadcast, name=name)


@factory("bitwise_right_shift", since=15)
def bitwise_right_shift(arg0: Any, arg1: Any, auto_broadcast: str = "NUMPY",
                        name: str | None = None) -> BitwiseRightShift:
    """Elementwise ``arg0 >> arg1``."""
    return BitwiseRightShift(arg0, arg1, auto_broadcast=auto_broadcast, name=name)
