"""Reductions over the axes given by a second input: ReduceSum, ReduceMean, ReduceMax,
ReduceMin, ReduceProd, ReduceL1, ReduceL2 (numeric) and ReduceLogicalAnd, ReduceLogicalOr
(boolean). ``keep_dims`` keeps the reduced axes as size-1 dimensions."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from ._infer import constant_value, normalize_axes
from .elementwise import _check_kind, wrap_integer
from .math import round_half_away

__all__ = ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
           "ReduceL2", "ReduceLogicalAnd", "ReduceLogicalOr"]


class _Reduction(Node):
    """Inputs: data and an integer scalar or 1-D tensor of axes (negative counts from
    the end, duplicates allowed). The output type is the data type."""

    attributes = {"keep_dims": Attr.bool(False)}
    allowed = "numeric"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, f"{self.type_name} takes two inputs: data and axes")
        et = self.get_input_element_type(0)
        _check_kind(self, et, self.allowed)
        axes_et = self.get_input_element_type(1)
        self.check(axes_et.is_dynamic() or axes_et.is_integral_number(),
                   f"Element type of axes input must be integer, got {axes_et.get_type_name()}")
        axes_shape = self.get_input_partial_shape(1)
        self.check(axes_shape.rank.is_dynamic or axes_shape.rank.get_length() <= 1,
                   f"Axes input must be a scalar or 1D input, got shape {axes_shape}")
        self.set_output_type(0, et, self._output_shape())

    def _output_shape(self) -> PartialShape:
        data = self.get_input_partial_shape(0)
        keep = self._attrs["keep_dims"]
        if data.rank.is_dynamic:
            return PartialShape.dynamic()
        rank = data.rank.get_length()
        axes_value = constant_value(self._inputs[1])
        if axes_value is None:
            axes_shape = self.get_input_partial_shape(1)
            if axes_shape.is_static and list(axes_shape) == [Dimension(0)]:
                return PartialShape(data)
            if keep:
                return PartialShape.dynamic(rank)
            return PartialShape.dynamic()
        axes = set(normalize_axes(self, axes_value, rank))
        dims = []
        for i, d in enumerate(data):
            if i not in axes:
                dims.append(d)
            elif keep:
                dims.append(Dimension(1))
        return PartialShape(dims)

    def _axes(self, data: np.ndarray, axes: np.ndarray) -> tuple[int, ...]:
        return tuple(sorted(set(normalize_axes(self, axes, data.ndim))))

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        raise NotImplementedError

    def reference(self, data: np.ndarray, axes: np.ndarray) -> np.ndarray:
        ax = self._axes(data, axes)
        with np.errstate(all="ignore"):
            out = self.reduce(data, ax)
        out = np.asarray(out)
        if self._attrs["keep_dims"]:
            out = out.reshape([1 if i in ax else n for i, n in enumerate(data.shape)])
        else:
            out = out.reshape([n for i, n in enumerate(data.shape) if i not in ax])
        return wrap_integer(out, self.get_output_element_type(0))


class ReduceSum(_Reduction):
    type_name = "ReduceSum"
    version = "opset1"

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        return np.sum(data, axis=axes, dtype=data.dtype)


class ReduceProd(_Reduction):
    type_name = "ReduceProd"
    version = "opset1"

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        return np.prod(data, axis=axes, dtype=data.dtype)


class ReduceMean(_Reduction):
    """Sum divided by the count; for integers the quotient is truncated toward zero."""

    type_name = "ReduceMean"
    version = "opset1"

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        count = int(np.prod([data.shape[a] for a in axes], dtype=np.int64))
        total = np.sum(data, axis=axes, dtype=data.dtype)
        if data.dtype.kind in "iu":
            if count == 0:
                return np.zeros_like(total)
            if data.dtype == np.uint64:
                return total // np.uint64(count)
            return _trunc_div(total.astype(np.int64), count)
        return total / np.asarray(count, data.dtype) if count else total * np.nan


def _trunc_div(total: np.ndarray, count: int) -> np.ndarray:
    q = np.floor_divide(total, count)
    r = total - q * count
    return np.where((r != 0) & (total < 0), q + 1, q)


class ReduceMax(_Reduction):
    """The largest value; an empty reduction gives the type's lowest value."""

    type_name = "ReduceMax"
    version = "opset1"

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        lowest = np.iinfo(data.dtype).min if data.dtype.kind in "iu" else -np.inf
        return np.max(data, axis=axes, initial=lowest)


class ReduceMin(_Reduction):
    """The smallest value; an empty reduction gives the type's largest value."""

    type_name = "ReduceMin"
    version = "opset1"

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        highest = np.iinfo(data.dtype).max if data.dtype.kind in "iu" else np.inf
        return np.min(data, axis=axes, initial=highest)


class ReduceL1(_Reduction):
    """Sum of absolute values."""

    type_name = "ReduceL1"
    version = "opset4"

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        return np.sum(np.abs(data), axis=axes, dtype=data.dtype)


class ReduceL2(_Reduction):
    """Square root of the sum of squares (integers: rounded to the nearest)."""

    type_name = "ReduceL2"
    version = "opset4"

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        if data.dtype.kind in "iu":
            wide = data.astype(np.float64)
            return round_half_away(np.sqrt(np.sum(wide * wide, axis=axes)))
        return np.sqrt(np.sum(data * data, axis=axes, dtype=data.dtype))


class ReduceLogicalAnd(_Reduction):
    type_name = "ReduceLogicalAnd"
    version = "opset1"
    allowed = "boolean"

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        return np.all(data, axis=axes)


class ReduceLogicalOr(_Reduction):
    type_name = "ReduceLogicalOr"
    version = "opset1"
    allowed = "boolean"

    def reduce(self, data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        return np.any(data, axis=axes)


def _reduction_factory(fname: str, cls: type, since: int, what: str) -> Any:
    def make(node: Any, reduction_axes: Any, keep_dims: bool = False,
             name: str | None = None) -> Any:
        return cls(node, _axes_input(reduction_axes), keep_dims=keep_dims, name=name)

    make.__name__ = make.__qualname__ = fname
    make.__doc__ = (f"{what} of ``node`` over ``reduction_axes``; ``keep_dims`` keeps "
                    "the reduced axes with size 1.")
    return factory(fname, since=since)(make)


def _axes_input(axes: Any) -> Any:
    """Python ints / lists of axes become an i64 constant (like the real factories)."""
    if isinstance(axes, (int, np.integer, list, tuple)):
        from .constant import Constant

        return Constant(np.asarray(axes, dtype=np.int64))
    return axes


reduce_sum = _reduction_factory("reduce_sum", ReduceSum, 1, "Sum")
reduce_prod = _reduction_factory("reduce_prod", ReduceProd, 1, "Product")
reduce_mean = _reduction_factory("reduce_mean", ReduceMean, 1, "Mean")
reduce_max = _reduction_factory("reduce_max", ReduceMax, 1, "Maximum")
reduce_min = _reduction_factory("reduce_min", ReduceMin, 1, "Minimum")
reduce_l1 = _reduction_factory("reduce_l1", ReduceL1, 4, "L1 norm")
reduce_l2 = _reduction_factory("reduce_l2", ReduceL2, 4, "L2 norm")
reduce_logical_and = _reduction_factory("reduce_logical_and", ReduceLogicalAnd, 1,
                                        "Logical AND")
reduce_logical_or = _reduction_factory("reduce_logical_or", ReduceLogicalOr, 1, "Logical OR")

