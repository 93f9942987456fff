"""Ops that locate values in their input: NonZero-3, Bucketize-3 and Unique-10.

NonZero and Unique have outputs whose sizes depend on the data, so their shape inference
gives intervals bounded by the input's element count."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._index_args import check_integral_input, check_scalar_like, dim_max, scalar_input_value
from ._infer import normalize_axis

__all__ = ["NonZero", "Bucketize", "Unique"]


def _index_type(node: Node, key: str) -> Type:
    et = node._attrs[key]
    node.check(et in (Type.i32, Type.i64), f"{key} must be i32 or i64, got {et.get_type_name()}")
    return et


def _element_count(ps: PartialShape) -> Dimension:
    """The number of elements of a shape, as an interval."""
    if ps.rank.is_dynamic:
        return Dimension()
    total = Dimension(1)
    for d in ps:
        total = total._mul(d)
    return total


def _up_to(count: Dimension) -> Dimension:
    """``[0, count]``: how many of ``count`` elements a data-dependent output can hold."""
    hi = dim_max(count)
    return Dimension(0, -1 if hi is None else hi)


def _unique_count(count: Dimension) -> Dimension:
    """How many distinct values ``count`` elements can have: ``[1, n]``, or 0 when empty."""
    if count.is_static and count.get_length() == 0:
        return Dimension(0)
    hi = dim_max(count)
    lo = 1 if count.get_min_length() > 0 else 0
    return Dimension(lo, -1 if hi is None else hi)


# --- NonZero -----------------------------------------------------------------------------------
class NonZero(Node):
    """The coordinates of the non-zero elements: shape ``[rank, count]``, one column per
    element in row-major order (a scalar input counts as rank 1)."""

    type_name = "NonZero"
    version = "opset3"
    attributes = {"output_type": Attr.type(Type.i64)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 1, "NonZero takes one input")
        et = _index_type(self, "output_type")
        ps = self.get_input_partial_shape(0)
        if ps.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape([Dimension(), Dimension()]))
            return
        rows = max(len(ps), 1)
        self.set_output_type(0, et, PartialShape([rows, _up_to(_element_count(ps))]))

    def reference(self, data: np.ndarray) -> np.ndarray:
        dtype = self.get_output_element_type(0).evaluation_dtype
        values = np.asarray(data)
        if values.dtype == object:
            values = np.array([len(v) != 0 for v in values.reshape(-1)]).reshape(values.shape)
        if values.ndim == 0:
            return np.zeros([1, 1 if values != 0 else 0], dtype=dtype)
        return np.array(np.nonzero(values), dtype=dtype).reshape(values.ndim, -1)


@factory("non_zero", since=3)
def non_zero(data: Any, output_type: Any = "i64", name: str | None = None) -> NonZero:
    """Coordinates of the non-zero elements of ``data``."""
    return NonZero(data, output_type=output_type, name=name)


# --- Bucketize --------------------------------------------------------------------------------
class Bucketize(Node):
    """The bucket of each element given sorted ``buckets`` boundaries; with
    ``with_right_bound`` a bucket includes its right edge (``(b[i-1], b[i]]``), otherwise its
    left edge (``[b[i-1], b[i])``)."""

    type_name = "Bucketize"
    version = "opset3"
    attributes = {"output_type": Attr.type(Type.i64), "with_right_bound": Attr.bool(True)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "Bucketize takes two inputs: data, buckets")
        et = _index_type(self, "output_type")
        for port, what in ((0, "data"), (1, "buckets")):
            t = self.get_input_element_type(port)
            self.check(t.is_dynamic() or (t is not Type.boolean and t is not Type.string),
                       f"{what} must have a numeric element type, got {t.get_type_name()}")
        buckets = self.get_input_partial_shape(1)
        self.check(buckets.rank._compatible(1), f"buckets must be a 1-D tensor, got {buckets}")
        self.set_output_type(0, et, self.get_input_partial_shape(0))

    def reference(self, data: np.ndarray, buckets: np.ndarray) -> np.ndarray:
        side = "left" if self._attrs["with_right_bound"] else "right"
        b = np.asarray(buckets).reshape(-1)
        common = np.result_type(data.dtype, b.dtype)
        found = np.searchsorted(b.astype(common), np.asarray(data).astype(common), side=side)
        return found.astype(self.get_output_element_type(0).evaluation_dtype)


@factory("bucketize", since=3)
def bucketize(data: Any, buckets: Any, output_type: Any = "i64", with_right_bound: bool = True,
              name: str | None = None) -> Bucketize:
    """The index of the bucket each element of ``data`` falls in."""
    return Bucketize(data, buckets, output_type=output_type, with_right_bound=with_right_bound,
                     name=name)


# --- Unique ------------------------------------------------------------------------------------
class Unique(Node):
    """Unique elements (or slices along ``axis``, input 2) with four outputs: the unique
    values, the index of each one's first occurrence, the index into the unique values of
    every input element (or slice), and the count of each unique value. ``sorted`` orders the
    values ascending, otherwise they keep the order of first occurrence."""

    type_name = "Unique"
    version = "opset10"
    attributes = {"sorted": Attr.bool(True), "index_element_type": Attr.type(Type.i64),
                  "count_element_type": Attr.type(Type.i64)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (1, 2), "Unique takes one or two inputs: data[, axis]")
        idx_t = _index_type(self, "index_element_type")
        cnt_t = _index_type(self, "count_element_type")
        et = self.get_input_element_type(0)
        ps = self.get_input_partial_shape(0)
        axis = None
        if len(self._inputs) == 2:
            check_integral_input(self, 1, "axis")
            check_scalar_like(self, 1, "axis")
            axis = scalar_input_value(self, 1)
            if axis is None or ps.rank.is_dynamic:
                dyn = PartialShape([Dimension()])
                rank_shape = PartialShape.dynamic(ps.rank) if axis is None else \
                    PartialShape.dynamic()
                for i, (t, s) in enumerate(((et, rank_shape), (idx_t, dyn), (idx_t, dyn),
                                            (cnt_t, dyn))):
                    self.set_output_type(i, t, s)
                return
            self.check(len(ps) > 0, "data must have rank of at least 1 when axis is given")
            axis = normalize_axis(self, axis, len(ps))
            dims = list(ps)
            unique = _unique_count(dims[axis])
            dims[axis] = unique
            values, inverse = PartialShape(dims), ps[axis]
        else:
            count = _element_count(ps)
            unique = _unique_count(count)
            values, inverse = PartialShape([unique]), count
        self.set_output_type(0, et, values)
        self.set_output_type(1, idx_t, PartialShape([unique]))
        self.set_output_type(2, idx_t, PartialShape([inverse]))
        self.set_output_type(3, cnt_t, PartialShape([unique]))

    def reference(self, data: np.ndarray, axis: np.ndarray | None = None) -> tuple:
        ax = None
        if axis is not None:
            ax = int(np.asarray(axis).reshape(-1)[0])
            if data.ndim == 0 or not -data.ndim <= ax < data.ndim:
                raise RuntimeError(f"Unique '{self.get_friendly_name()}': axis {ax} is out of "
                                   f"range for data of rank {data.ndim}")
        values = data.reshape(-1) if ax is None else data
        if values.size == 0:
            shape = (0,) if ax is None else data.shape
            uniq, first = values.reshape(shape), np.zeros(0, np.int64)
            inverse = np.zeros(values.shape[0] if ax is None else data.shape[ax], np.int64)
            counts = np.zeros(0, np.int64)
        else:
            uniq, first, inverse, counts = np.unique(values, return_index=True,
                                                     return_inverse=True, return_counts=True,
                                                     axis=ax)
            inverse = inverse.reshape(-1)
            if not self._attrs["sorted"]:
                order = np.argsort(first, kind="stable")
                rank = np.empty_like(order)
                rank[order] = np.arange(order.size)
                uniq = np.take(uniq, order, axis=0 if ax is None else ax)
                first, counts, inverse = first[order], counts[order], rank[inverse]
        idx_dtype = self._attrs["index_element_type"].evaluation_dtype
        cnt_dtype = self._attrs["count_element_type"].evaluation_dtype
        return (uniq, first.astype(idx_dtype), inverse.astype(idx_dtype),
                counts.astype(cnt_dtype))


@factory("unique", since=10)
def unique(data: Any, axis: Any = None, sorted: bool = True, index_element_type: Any = "i64",
           count_element_type: Any = "i64", name: str | None = None) -> Unique:
    """Unique elements of ``data`` (or unique slices along ``axis``) with their first
    indices, the inverse mapping and their counts."""
    inputs = [data] + ([axis] if axis is not None else [])
    return Unique(*inputs, sorted=sorted, index_element_type=index_element_type,
                  count_element_type=count_element_type, name=name)
