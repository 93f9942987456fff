"""Gathering by index: Gather (v1, v7, v8), GatherElements (v6), GatherND (v5, v8)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from ._index_args import (
    check_integral_input,
    check_scalar_like,
    checked_indices,
    dims_of,
    scalar_input_value,
)
from ._infer import normalize_axis

__all__ = ["Gather1", "Gather7", "Gather", "GatherElements", "GatherND5", "GatherND"]


def _merge_dims(node: Node, a: list[Dimension], b: list[Dimension], what: str
                ) -> list[Dimension]:
    out = []
    for i, (x, y) in enumerate(zip(a, b)):
        m = x.merge(y)
        if m is None:
            node.fail(f"{what}: dimension {i} differs ({x} vs {y})")
        out.append(m)
    return out


def _runtime_axis(node: Node, axis: Any, rank: int) -> int:
    value = int(np.asarray(axis).reshape(-1)[0])
    if not -rank <= value < rank:
        raise RuntimeError(f"{node.type_name} '{node.get_friendly_name()}': axis {value} is "
                           f"out of range [{-rank}, {rank - 1}] for data of rank {rank}")
    return value + rank if value < 0 else value


def _check_batch_shapes(node: Node, a: tuple, b: tuple, count: int) -> None:
    if tuple(a[:count]) != tuple(b[:count]):
        raise RuntimeError(f"{node.type_name} '{node.get_friendly_name()}': the first "
                           f"{count} (batch) dimensions of data {list(a)} and indices "
                           f"{list(b)} differ")


# --- Gather ---------------------------------------------------------------------------------
class _GatherBase(Node):
    """``data.shape[:axis] + indices.shape[batch_dims:] + data.shape[axis + 1:]``."""

    allow_negative = False

    def _batch_dims_attr(self) -> int:
        return int(self._attrs.get("batch_dims", 0))

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3, "Gather takes three inputs: data, indices, axis")
        check_integral_input(self, 1, "indices")
        check_integral_input(self, 2, "axis")
        check_scalar_like(self, 2, "axis")
        et = self.get_input_element_type(0)
        data = dims_of(self.get_input_partial_shape(0))
        idx = dims_of(self.get_input_partial_shape(1))
        b: int | None = self._batch_dims_attr()
        if b < 0:
            if idx is None:
                b = None
            else:
                b += len(idx)
                self.check(b >= 0, f"batch_dims {self._batch_dims_attr()} is out of range for "
                                   f"indices of rank {len(idx)}")
        if b is not None and idx is not None:
            self.check(b <= len(idx), f"batch_dims {b} exceeds the indices rank {len(idx)}")
        if data is not None:
            self.check(len(data) > 0, "data must have rank of at least 1")
            if b is not None:
                self.check(b < len(data) or b == 0,
                           f"batch_dims {b} must be less than the data rank {len(data)}")
        axis = scalar_input_value(self, 2)
        if axis is not None:
            if data is not None:
                axis = normalize_axis(self, axis, len(data))
            elif axis < 0:
                axis = None
        if axis is not None and b is not None:
            self.check(b <= axis, f"batch_dims {b} must not exceed the axis {axis}")
        if data is None or idx is None or b is None:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        batch = _merge_dims(self, data[:b], idx[:b], "data and indices batch dimensions")
        if axis is None:
            rest = len(data) + len(idx) - 1 - 2 * b
            self.set_output_type(0, et, PartialShape(batch + [Dimension()] * rest))
            return
        dims = batch + data[b:axis] + idx[b:] + data[axis + 1:]
        self.set_output_type(0, et, PartialShape(dims))

    def reference(self, data: np.ndarray, indices: np.ndarray, axis: np.ndarray) -> np.ndarray:
        if data.ndim == 0:
            raise RuntimeError(f"Gather '{self.get_friendly_name()}': data must not be a scalar")
        ax = _runtime_axis(self, axis, data.ndim)
        b = self._batch_dims_attr()
        if b < 0:
            b += indices.ndim
        if not 0 <= b <= min(ax, indices.ndim):
            raise RuntimeError(f"Gather '{self.get_friendly_name()}': batch_dims "
                               f"{self._batch_dims_attr()} is invalid for axis {ax} and "
                               f"indices of rank {indices.ndim}")
        idx, inside = _gather_indices(indices, data.shape[ax], self.allow_negative)
        if b:
            _check_batch_shapes(self, data.shape, idx.shape, b)
        out_shape = data.shape[:ax] + idx.shape[b:] + data.shape[ax + 1:]
        if inside is not None:  # out-of-range indices give zeros, as OpenVINO's CPU plugin
            if data.shape[ax] == 0:
                return np.full(out_shape, _zero(data.dtype), dtype=data.dtype)
            out = self._gathered(data, idx, ax, b, out_shape)
            mask = inside.reshape(idx.shape[:b] + (1,) * (ax - b) + idx.shape[b:]
                                  + (1,) * (data.ndim - ax - 1))
            return np.where(mask, out, np.asarray(_zero(data.dtype), dtype=data.dtype))
        return self._gathered(data, idx, ax, b, out_shape)

    @staticmethod
    def _gathered(data: np.ndarray, idx: np.ndarray, ax: int, b: int, out_shape: tuple
                  ) -> np.ndarray:
        if b == 0:
            return np.take(data, idx, axis=ax)
        count = int(np.prod(data.shape[:b], dtype=np.int64))
        if count == 0:
            return np.empty(out_shape, dtype=data.dtype)
        # one batch axis, the gathered axis right after it: d[batch, i] per batch
        d = np.moveaxis(data.reshape((count,) + data.shape[b:]), ax - b + 1, 1)
        i = idx.reshape((count,) + idx.shape[b:])
        batch = np.arange(count).reshape((count,) + (1,) * (i.ndim - 1))
        out = d[batch, i]  # [count] + indices dims + data.shape[b:ax] + data.shape[ax + 1:]
        q, m = i.ndim - 1, ax - b
        out = np.moveaxis(out, list(range(1, 1 + q)), list(range(1 + m, 1 + m + q)))
        return out.reshape(out_shape)


def _zero(dtype: np.dtype) -> Any:
    """The value of a slice an out-of-range index gathers: zero (empty strings)."""
    return b"" if dtype.kind == "O" else 0


def _gather_indices(indices: np.ndarray, size: int, allow_negative: bool
                    ) -> tuple[np.ndarray, np.ndarray | None]:
    """``(idx, inside)``: int64 indices in ``[0, size)`` (negative ones counted from the end
    when ``allow_negative``; ones outside the allowed range replaced by 0) and the mask of
    the indices inside it, ``None`` when all are."""
    raw = np.asarray(indices)
    if raw.dtype.kind == "u":
        inside = raw < size
        idx = np.where(inside, raw, 0).astype(np.int64)
    else:
        idx = raw.astype(np.int64, copy=False)
        if allow_negative:
            idx = np.where(idx < 0, idx + size, idx)
        inside = (idx >= 0) & (idx < size)
    if inside.all():
        return idx, None
    return np.where(inside, idx, 0), inside


class Gather1(_GatherBase):
    """Gather-1: no batch dimensions; indices in ``[0, data.shape[axis])`` (others, negative
    ones too, gather zeros)."""

    type_name = "Gather"
    version = "opset1"
    attributes: dict[str, Attr] = {}


class Gather7(_GatherBase):
    """Gather-7: adds ``batch_dims``; indices in ``[0, data.shape[axis])`` (others, negative
    ones too, gather zeros)."""

    type_name = "Gather"
    version = "opset7"
    attributes = {"batch_dims": Attr.int(0)}


class Gather(_GatherBase):
    """Gather-8: ``batch_dims`` and negative indices (``i < 0`` means ``i + dim``); indices
    outside ``[-dim, dim)`` gather zeros."""

    type_name = "Gather"
    version = "opset8"
    attributes = {"batch_dims": Attr.int(0)}
    allow_negative = True


@factory("gather", since=1)
def gather_v1(data: Any, indices: Any, axis: Any, name: str | None = None) -> Gather1:
    """Take slices of ``data`` along ``axis`` at ``indices``."""
    return Gather1(data, indices, axis, name=name)


@factory("gather", since=7)
def gather_v7(data: Any, indices: Any, axis: Any, batch_dims: int = 0,
              name: str | None = None) -> Gather7:
    """Take slices of ``data`` along ``axis`` at ``indices``, per batch."""
    return Gather7(data, indices, axis, batch_dims=batch_dims, name=name)


@factory("gather", since=8)
def gather(data: Any, indices: Any, axis: Any, batch_dims: int = 0,
           name: str | None = None) -> Gather:
    """Take slices of ``data`` along ``axis`` at ``indices`` (negative indices allowed)."""
    return Gather(data, indices, axis, batch_dims=batch_dims, name=name)


# --- GatherElements ----------------------------------------------------------------------------
class GatherElements(Node):
    """``out[i][j][k] = data[i][indices[i][j][k]][k]`` for ``axis = 1`` (any rank)."""

    type_name = "GatherElements"
    version = "opset6"
    attributes = {"axis": Attr.int()}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "GatherElements takes two inputs: data, indices")
        check_integral_input(self, 1, "indices")
        et = self.get_input_element_type(0)
        data = dims_of(self.get_input_partial_shape(0))
        idx = dims_of(self.get_input_partial_shape(1))
        rank = len(data) if data is not None else (len(idx) if idx is not None else None)
        if rank is None:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        self.check(rank >= 1, "data and indices must have rank of at least 1")
        axis = normalize_axis(self, self._attrs["axis"], rank)
        if data is not None and idx is not None:
            self.check(len(data) == len(idx), f"data and indices must have the same rank, got "
                                              f"{len(data)} and {len(idx)}")
        data = data if data is not None else [Dimension()] * rank
        idx = idx if idx is not None else [Dimension()] * rank
        out = []
        for i, (d, n) in enumerate(zip(data, idx)):
            if i == axis:
                out.append(Dimension(n))
                continue
            m = d.merge(n)
            if m is None:
                self.fail(f"data and indices shapes differ at dimension {i} ({d} vs {n}); "
                          f"only the axis dimension {axis} may differ")
            out.append(m)
        self.set_output_type(0, et, PartialShape(out))

    def reference(self, data: np.ndarray, indices: np.ndarray) -> np.ndarray:
        if data.ndim != indices.ndim or data.ndim == 0:
            raise RuntimeError(f"GatherElements '{self.get_friendly_name()}': data and indices "
                               f"must have the same non-zero rank, got {data.shape} and "
                               f"{indices.shape}")
        axis = _runtime_axis(self, self._attrs["axis"], data.ndim)
        for i, (d, n) in enumerate(zip(data.shape, indices.shape)):
            if i != axis and d != n:
                raise RuntimeError(f"GatherElements '{self.get_friendly_name()}': data "
                                   f"{data.shape} and indices {indices.shape} differ at "
                                   f"dimension {i}")
        idx = checked_indices(self, indices, data.shape[axis], allow_negative=False)
        if idx.size == 0:
            return np.empty(idx.shape, dtype=data.dtype)
        return np.take_along_axis(data, idx, axis=axis)


@factory("gather_elements", since=6)
def gather_elements(data: Any, indices: Any, axis: int = 0,
                    name: str | None = None) -> GatherElements:
    """Take elements of ``data`` along ``axis`` at the positions given by ``indices``."""
    return GatherElements(data, indices, axis=axis, name=name)


# --- GatherND ----------------------------------------------------------------------------------
class _GatherNDBase(Node):
    """Gathers slices of ``data`` addressed by the tuples in the last dimension of
    ``indices``; the first ``batch_dims`` dimensions of both are batch dimensions."""

    attributes = {"batch_dims": Attr.int(0)}
    allow_negative = False
    flatten_batch = False

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "GatherND takes two inputs: data, indices")
        check_integral_input(self, 1, "indices")
        et = self.get_input_element_type(0)
        b = int(self._attrs["batch_dims"])
        self.check(b >= 0, f"batch_dims must be non-negative, got {b}")
        data = dims_of(self.get_input_partial_shape(0))
        idx = dims_of(self.get_input_partial_shape(1))
        if data is not None:
            self.check(len(data) >= 1, "data must have rank of at least 1")
            self.check(b < len(data), f"batch_dims {b} must be less than the data rank "
                                      f"{len(data)}")
        if idx is not None:
            self.check(len(idx) >= 1, "indices must have rank of at least 1")
            self.check(b < len(idx), f"batch_dims {b} must be less than the indices rank "
                                     f"{len(idx)}")
        k = idx[-1].get_length() if idx is not None and idx[-1].is_static else None
        if k is not None and data is not None:
            self.check(b + k <= len(data),
                       f"the last dimension of indices ({k}) plus batch_dims ({b}) exceeds "
                       f"the data rank {len(data)}")
        if data is None or idx is None or k is None:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        batch = _merge_dims(self, data[:b], idx[:b], "data and indices batch dimensions")
        tail = idx[b:-1] + data[b + k:]
        if self.flatten_batch and b > 0:
            total = Dimension(1)
            for d in batch:
                total = total._mul(d)
            batch = [total]
        self.set_output_type(0, et, PartialShape(batch + tail))

    def reference(self, data: np.ndarray, indices: np.ndarray) -> np.ndarray:
        b = int(self._attrs["batch_dims"])
        name = self.get_friendly_name()
        if indices.ndim < 1 or data.ndim < 1 or b >= min(data.ndim, indices.ndim):
            raise RuntimeError(f"GatherND '{name}': batch_dims {b} is invalid for data "
                               f"{data.shape} and indices {indices.shape}")
        k = indices.shape[-1]
        if b + k > data.ndim:
            raise RuntimeError(f"GatherND '{name}': index tuples of length {k} do not fit data "
                               f"of rank {data.ndim} with batch_dims {b}")
        _check_batch_shapes(self, data.shape, indices.shape, b)
        count = int(np.prod(data.shape[:b], dtype=np.int64))
        mid = indices.shape[b:-1]
        d = data.reshape((count,) + data.shape[b:])
        i = indices.reshape((count,) + mid + (k,))
        cols = tuple(checked_indices(self, i[..., j], d.shape[1 + j], self.allow_negative)
                     for j in range(k))
        batch_index = np.broadcast_to(
            np.arange(count).reshape((count,) + (1,) * len(mid)), (count,) + mid)
        out = d[(batch_index,) + cols]
        tail = data.shape[b + k:]
        if self.flatten_batch and b > 0:
            return out.reshape((count,) + mid + tail)
        return out.reshape(indices.shape[:-1] + tail)


class GatherND5(_GatherNDBase):
    """GatherND-5: batch dimensions are flattened into one output dimension; indices must
    lie in ``[0, dim)``."""

    type_name = "GatherND"
    version = "opset5"
    flatten_batch = True


class GatherND(_GatherNDBase):
    """GatherND-8: batch dimensions are kept; negative indices count from the end."""

    type_name = "GatherND"
    version = "opset8"
    allow_negative = True


@factory("gather_nd", since=5)
def gather_nd_v5(data: Any, indices: Any, batch_dims: int = 0,
                 name: str | None = None) -> GatherND5:
    """Gather slices of ``data`` addressed by index tuples (batch dims flattened)."""
    return GatherND5(data, indices, batch_dims=batch_dims, name=name)


@factory("gather_nd", since=8)
def gather_nd(data: Any, indices: Any, batch_dims: int = 0,
              name: str | None = None) -> GatherND:
    """Gather slices of ``data`` addressed by the index tuples in ``indices``."""
    return GatherND(data, indices, batch_dims=batch_dims, name=name)
