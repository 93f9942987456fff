"""Ops that generate tensors from a few scalars: Range (v0 in opset1, v4) and OneHot
(v1, v16)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._attributes import Attr
from .._encoding import cast_evaluation
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._index_args import check_integral_input, check_scalar_like, dims_of, scalar_input_value
from ._infer import constant_value, merge_types, normalize_axis

__all__ = ["Range1", "Range", "OneHot1", "OneHot"]


# --- Range ---------------------------------------------------------------------------------
def _scalar(value: Any) -> Any:
    """A Python number from a scalar-like array."""
    flat = np.asarray(value).reshape(-1)
    if flat.size != 1:
        raise RuntimeError(f"Range expects scalar inputs, got {flat.size} values")
    item = flat[0].item()
    return item if isinstance(item, (int, float)) else float(item)


def range_length(start: float, stop: float, step: float) -> int:
    """``max(ceil((stop - start) / step), 0)``; exact for integers."""
    if (step > 0 and start >= stop) or (step < 0 and start <= stop):
        return 0
    if all(isinstance(v, int) for v in (start, stop, step)):
        return (abs(stop - start) + abs(step) - 1) // abs(step)
    return int(math.ceil(abs(stop - start) / abs(step)))


class _RangeBase(Node):
    """``[start, start + step, ...]`` up to but excluding ``stop``."""

    def _output_type(self) -> Type:
        raise NotImplementedError

    def _bounds(self, values: list[Any]) -> list[Any]:
        """Start, stop and step as the op computes with them."""
        return values

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3, "Range takes three inputs: start, stop, step")
        for port, what in enumerate(("start", "stop", "step")):
            check_scalar_like(self, port, what)
            et = self.get_input_element_type(port)
            self.check(et.is_dynamic() or (et is not Type.boolean and et is not Type.string),
                       f"{what} must have a numeric element type, got {et.get_type_name()}")
        out_type = self._output_type()
        values = []
        for port in range(3):
            v = constant_value(self.input_value(port))
            if v is None:
                self.set_output_type(0, out_type, PartialShape([Dimension()]))
                return
            values.append(_scalar(v))
        start, stop, step = self._bounds(values)
        for v, what in ((start, "start"), (stop, "stop"), (step, "step")):
            self.check(math.isfinite(v), f"{what} must be finite, got {v}")
        self.check(step != 0, "step must not be zero")
        self.set_output_type(0, out_type, PartialShape([range_length(start, stop, step)]))

    def reference(self, start: np.ndarray, stop: np.ndarray, step: np.ndarray) -> np.ndarray:
        b, e, s = self._bounds([_scalar(start), _scalar(stop), _scalar(step)])
        if s == 0:
            raise RuntimeError(f"Range '{self.get_friendly_name()}': step must not be zero")
        n = range_length(b, e, s)
        et = self.get_output_element_type(0)
        if all(isinstance(v, int) for v in (b, e, s)):
            values = np.arange(n, dtype=np.int64) * s + b
        else:
            values = np.arange(n, dtype=np.float64) * s + b
        return cast_evaluation(values, et)


class Range1(_RangeBase):
    """Range-1 (``v0``): start, stop, step and the output share one numeric type."""

    type_name = "Range"
    version = "opset1"

    def _output_type(self) -> Type:
        return merge_types(self, *(self.get_input_element_type(i) for i in range(3)))


class Range(_RangeBase):
    """Range-4: inputs of any numeric types, output of ``output_type``; for integer output
    types start, stop and step are first truncated towards zero."""

    type_name = "Range"
    version = "opset4"
    attributes = {"output_type": Attr.type()}

    def _output_type(self) -> Type:
        et = self._attrs["output_type"]
        self.check(et.is_static() and et is not Type.boolean and et is not Type.string,
                   f"output_type must be a numeric type, got {et.get_type_name()}")
        return et

    def _bounds(self, values: list[Any]) -> list[Any]:
        if self._attrs["output_type"].is_integral_number():
            return [int(math.trunc(v)) if math.isfinite(v) else v for v in values]
        return [float(v) for v in values]


@factory("range", since=1)
def range_v0(start: Any, stop: Any, step: Any, name: str | None = None) -> Range1:
    """Numbers from ``start`` up to ``stop`` (excluded) by ``step``."""
    return Range1(start, stop, step, name=name)


@factory("range", since=4)
def range_(start: Any, stop: Any, step: Any, output_type: Any,
           name: str | None = None) -> Range:
    """Numbers from ``start`` up to ``stop`` (excluded) by ``step``, of ``output_type``."""
    return Range(start, stop, step, output_type=output_type, name=name)


# --- OneHot ------------------------------------------------------------------------------------
class _OneHotBase(Node):
    """A new axis of size ``depth`` at ``axis``: ``on_value`` where the index matches,
    ``off_value`` elsewhere (indices outside ``[0, depth)`` give a row of ``off_value``)."""

    def _normalize_negative(self) -> bool:
        return False

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 4,
                   "OneHot takes four inputs: indices, depth, on_value, off_value")
        check_integral_input(self, 0, "indices")
        check_integral_input(self, 1, "depth")
        for port, what in ((1, "depth"), (2, "on_value"), (3, "off_value")):
            check_scalar_like(self, port, what)
        et = merge_types(self, self.get_input_element_type(2), self.get_input_element_type(3))
        idx = dims_of(self.get_input_partial_shape(0))
        depth = scalar_input_value(self, 1)
        if depth is not None:
            self.check(depth >= 0, f"depth must be non-negative, got {depth}")
        if idx is None:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        axis = normalize_axis(self, self._attrs["axis"], len(idx) + 1)
        dims = list(idx)
        dims.insert(axis, Dimension() if depth is None else Dimension(depth))
        self.set_output_type(0, et, PartialShape(dims))

    def reference(self, indices: np.ndarray, depth: np.ndarray, on_value: np.ndarray,
                  off_value: np.ndarray) -> np.ndarray:
        d = int(np.asarray(depth).reshape(-1)[0])
        if d < 0:
            raise RuntimeError(f"OneHot '{self.get_friendly_name()}': depth must be "
                               f"non-negative, got {d}")
        rank = indices.ndim + 1
        axis = self._attrs["axis"]
        if not -rank <= axis < rank:
            raise RuntimeError(f"OneHot '{self.get_friendly_name()}': axis {axis} is out of "
                               f"range for an output of rank {rank}")
        axis = axis + rank if axis < 0 else axis
        idx = np.asarray(indices).astype(np.int64)
        if self._normalize_negative():
            idx = np.where((idx < 0) & (idx >= -d), idx + d, idx)
        shape = [1] * rank
        shape[axis] = d
        hits = np.expand_dims(idx, axis) == np.arange(d, dtype=np.int64).reshape(shape)
        on = np.asarray(on_value).reshape(-1)[0]
        off = np.asarray(off_value).reshape(-1)[0]
        out = np.where(hits, on, off)
        return out.astype(np.asarray(on_value).dtype, copy=False)


class OneHot1(_OneHotBase):
    """OneHot-1: negative indices select nothing."""

    type_name = "OneHot"
    version = "opset1"
    attributes = {"axis": Attr.int()}


class OneHot(_OneHotBase):
    """OneHot-16: ``negative_indices_mode`` ``ignore_negative`` (as OneHot-1) or
    ``normalize`` (``-depth <= i < 0`` means ``i + depth``)."""

    type_name = "OneHot"
    version = "opset16"
    attributes = {"axis": Attr.int(), "negative_indices_mode": Attr.enum("ignore_negative")}

    def validate_and_infer_types(self) -> None:
        mode = self._attrs["negative_indices_mode"].replace("-", "_")
        self.check(mode in ("ignore_negative", "normalize"),
                   f"negative_indices_mode must be 'ignore_negative' or 'normalize', "
                   f"got '{self._attrs['negative_indices_mode']}'")
        self._attrs["negative_indices_mode"] = mode
        super().validate_and_infer_types()

    def _normalize_negative(self) -> bool:
        return self._attrs["negative_indices_mode"] == "normalize"


@factory("one_hot", since=1)
def one_hot_v1(indices: Any, depth: Any, on_value: Any, off_value: Any, axis: int,
               name: str | None = None) -> OneHot1:
    """One-hot encode ``indices`` along a new ``axis`` of size ``depth``."""
    return OneHot1(indices, depth, on_value, off_value, axis=axis, name=name)


@factory("one_hot", since=16)
def one_hot(indices: Any, depth: Any, on_value: Any, off_value: Any, axis: int,
            negative_indices_mode: str | None = None, name: str | None = None) -> OneHot:
    """One-hot encode ``indices`` along a new ``axis`` of size ``depth``; negative indices
    are ignored or normalized by ``depth`` according to ``negative_indices_mode``."""
    return OneHot(indices, depth, on_value, off_value, axis=axis,
                  negative_indices_mode=negative_indices_mode or "ignore_negative", name=name)
