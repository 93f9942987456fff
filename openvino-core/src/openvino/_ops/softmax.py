"""Softmax (v1: non-negative axis, v8: axis in ``[-rank, rank)``) and LogSoftmax (v5)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._opsets import factory
from .elementwise import UnaryElementwise, wrap_integer

__all__ = ["Softmax1", "Softmax", "LogSoftmax"]


class _AxisOp(UnaryElementwise):
    """A real-valued op over one axis of its input, shape preserving."""

    allowed = "real"
    attributes = {"axis": Attr.int(1)}
    negative_axis = True

    def validate_and_infer_types(self) -> None:
        super().validate_and_infer_types()
        rank = self.get_input_partial_shape(0).rank
        axis = self._attrs["axis"]
        if not self.negative_axis:
            self.check(axis >= 0, f"Axis {axis} must be non-negative for {self.type_name} "
                                  f"{self.version}")
        if rank.is_static:
            r = rank.get_length()
            lo = -r if self.negative_axis else 0
            self.check(lo <= axis < r,
                       f"Reduction axis ({axis}) is out of bounds (argument shape: "
                       f"{self.get_input_partial_shape(0)})")

    def _axis(self, x: np.ndarray) -> int:
        axis = self._attrs["axis"]
        return axis + x.ndim if axis < 0 else axis

    def reference(self, x: np.ndarray) -> np.ndarray:
        axis = self._axis(x)
        with np.errstate(all="ignore"):
            shifted = x - np.max(x, axis=axis, keepdims=True)
            e = np.exp(shifted)
            out = self.combine(shifted, e, np.sum(e, axis=axis, keepdims=True))
        return wrap_integer(out, self.get_output_element_type(0))

    @staticmethod
    def combine(shifted: np.ndarray, e: np.ndarray, total: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class Softmax1(_AxisOp):
    """``exp(x) / sum(exp(x))`` along ``axis`` (opset1: the axis is non-negative)."""

    type_name = "Softmax"
    ir_type_name = "SoftMax"
    version = "opset1"
    negative_axis = False

    @staticmethod
    def combine(shifted: np.ndarray, e: np.ndarray, total: np.ndarray) -> np.ndarray:
        return e / total


class Softmax(Softmax1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (opset8: negative axes count from the end)."""

    type_name = "Softmax"
    version = "opset8"
    negative_axis = True


class LogSoftmax(_AxisOp):
    """``x - log(sum(exp(x)))`` along ``axis``."""

    type_name = "LogSoftmax"
    version = "opset5"

    @staticmethod
    def combine(shifted: np.ndarray, e: np.ndarray, total: np.ndarray) -> np.ndarray:
        return shifted - np.log(total)


@factory("softmax", since=1)
def softmax_v1(data: Any, axis: int, name: str | None = None) -> Softmax1:
    """Softmax along a non-negative ``axis``."""
    return Softmax1(data, axis=axis, name=name)


@factory("softmax", since=8)
def softmax(data: Any, axis: int, name: str | None = None) -> Softmax:
    """Softmax along ``axis`` (negative values count from the end)."""
    return Softmax(data, axis=axis, name=name)


@factory("log_softmax", since=5)
def log_softmax(data: Any, axis: int, name: str | None = None) -> LogSoftmax:
    """Logarithm of the softmax along ``axis``."""
    return LogSoftmax(data, axis=axis, name=name)
