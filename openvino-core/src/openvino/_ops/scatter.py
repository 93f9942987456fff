"""Scattering updates into a copy of the data: ScatterUpdate-3, ScatterElementsUpdate (v3,
v12 with reductions) and ScatterNDUpdate (v3, v15 with reductions)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._encoding import cast_evaluation
from .._node import Node
from .._opsets import factory
from .._shape import Dimension
from .._type import Type
from ._index_args import (
    check_integral_input,
    check_scalar_like,
    checked_indices,
    dims_of,
    scalar_input_value,
)
from ._infer import merge_types, normalize_axis

__all__ = ["ScatterUpdate", "ScatterElementsUpdate3", "ScatterElementsUpdate",
           "ScatterNDUpdate3", "ScatterNDUpdate"]

_UFUNCS = {"sum": np.add, "sub": np.subtract, "prod": np.multiply, "min": np.minimum,
           "max": np.maximum}
# boolean data: sum/sub/prod act as logical or/xor/and
_BOOL_UFUNCS = {"sum": np.logical_or, "sub": np.logical_xor, "prod": np.logical_and,
                "min": np.logical_and, "max": np.logical_or}


def _reduction_identity(reduction: str, dtype: np.dtype) -> Any:
    if reduction in ("sum", "sub", "mean"):
        return 0
    if reduction == "prod":
        return 1
    if dtype == np.bool_:
        return reduction == "min"
    if dtype.kind == "f":
        return np.inf if reduction == "min" else -np.inf
    info = np.iinfo(dtype)
    return info.max if reduction == "min" else info.min


def scatter_reduce(data: np.ndarray, positions: np.ndarray, values: np.ndarray,
                   reduction: str, use_init_val: bool = True) -> np.ndarray:
    """A copy of ``data`` with ``values`` combined into the flat ``positions``.

    ``reduction`` is ``none`` (overwrite), ``sum``, ``sub``, ``prod``, ``min``, ``max`` or
    ``mean`` (integers rounded down). Without ``use_init_val`` the touched elements start
    from the reduction's identity instead of their ``data`` value."""
    out = data.reshape(-1).copy()
    if positions.size == 0:
        return out.reshape(data.shape)
    if reduction == "none":
        out[positions] = values
        return out.reshape(data.shape)
    if reduction == "mean":
        return _scatter_mean(data, out, positions, values, use_init_val)
    if not use_init_val:
        out[np.unique(positions)] = _reduction_identity(reduction, out.dtype)
    ufunc = _BOOL_UFUNCS[reduction] if out.dtype == np.bool_ else _UFUNCS[reduction]
    with np.errstate(over="ignore", invalid="ignore"):
        ufunc.at(out, positions, values.astype(out.dtype, copy=False))
    return out.reshape(data.shape)


def _scatter_mean(data: np.ndarray, out: np.ndarray, positions: np.ndarray,
                  values: np.ndarray, use_init_val: bool) -> np.ndarray:
    integer = out.dtype.kind in "iu"
    acc_type = np.int64 if integer else np.float64
    touched = np.unique(positions)
    counts = np.bincount(positions, minlength=out.size)[touched]
    acc = np.zeros(out.size, dtype=acc_type)
    if use_init_val:
        acc[touched] = out[touched]
        counts = counts + 1
    np.add.at(acc, positions, values.astype(acc_type))
    if integer:
        mean = np.floor_divide(acc[touched], counts)
    else:
        mean = acc[touched] / counts
    out[touched] = mean.astype(out.dtype)
    return out.reshape(data.shape)


def _runtime_axis(node: Node, axis: Any, rank: int) -> int:
    value = int(np.asarray(axis).reshape(-1)[0])
    if not -rank <= value < max(rank, 1) or rank == 0:
        raise RuntimeError(f"{node.type_name} '{node.get_friendly_name()}': axis {value} is "
                           f"out of range for data of rank {rank}")
    return value + rank if value < 0 else value


def _fail_runtime(node: Node, message: str) -> None:
    raise RuntimeError(f"{node.type_name} '{node.get_friendly_name()}': {message}")


def _check_compatible(node: Node, have: list[Dimension], want: list[Dimension],
                      what: str) -> None:
    for i, (h, w) in enumerate(zip(have, want)):
        node.check(h._compatible(w), f"{what}: dimension {i} is {h}, expected {w}")


def _check_reduction(node: Node, allowed: tuple[str, ...]) -> str:
    reduction = node._attrs["reduction"]
    node.check(reduction in allowed, f"reduction '{reduction}' is not one of {list(allowed)}")
    et = node.get_output_element_type(0)
    if reduction != "none" and et is Type.string:
        node.fail(f"reduction '{reduction}' is not supported for string data")
    if reduction == "mean" and et is Type.boolean:
        node.fail("reduction 'mean' is not supported for boolean data")
    return reduction


# --- ScatterUpdate -------------------------------------------------------------------------
class ScatterUpdate(Node):
    """``out[..., indices[m..p], ...] = updates[..., m..p, ...]`` along ``axis``."""

    type_name = "ScatterUpdate"
    version = "opset3"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 4,
                   "ScatterUpdate takes four inputs: data, indices, updates, axis")
        check_integral_input(self, 1, "indices")
        check_integral_input(self, 3, "axis")
        check_scalar_like(self, 3, "axis")
        et = merge_types(self, self.get_input_element_type(0), self.get_input_element_type(2))
        data_ps = self.get_input_partial_shape(0)
        data = dims_of(data_ps)
        idx = dims_of(self.get_input_partial_shape(1))
        upd = dims_of(self.get_input_partial_shape(2))
        if data is not None and idx is not None and upd is not None:
            self.check(len(upd) == len(data) + len(idx) - 1,
                       f"updates rank {len(upd)} must equal data rank {len(data)} + indices "
                       f"rank {len(idx)} - 1")
        axis = scalar_input_value(self, 3)
        if axis is not None and data is not None:
            self.check(len(data) > 0, "data must have rank of at least 1")
            axis = normalize_axis(self, axis, len(data))
            if idx is not None and upd is not None:
                want = data[:axis] + idx + data[axis + 1:]
                _check_compatible(self, upd, want, "updates shape")
        self.set_output_type(0, et, data_ps)

    def reference(self, data: np.ndarray, indices: np.ndarray, updates: np.ndarray,
                  axis: np.ndarray) -> np.ndarray:
        ax = _runtime_axis(self, axis, data.ndim)
        idx = checked_indices(self, indices, data.shape[ax], allow_negative=False)
        want = data.shape[:ax] + idx.shape + data.shape[ax + 1:]
        if updates.shape != want:
            _fail_runtime(self, f"updates shape {list(updates.shape)} must be {list(want)}")
        out = data.copy()
        n = idx.size
        if n == 0 or out.size == 0:
            return out
        upd = updates.reshape(data.shape[:ax] + (n,) + data.shape[ax + 1:])
        np.moveaxis(out, ax, 0)[idx.reshape(-1)] = np.moveaxis(upd, ax, 0)
        return out


@factory("scatter_update", since=3)
def scatter_update(data: Any, indices: Any, updates: Any, axis: Any,
                   name: str | None = None) -> ScatterUpdate:
    """Write slices of ``updates`` into ``data`` at ``indices`` along ``axis``."""
    return ScatterUpdate(data, indices, updates, axis, name=name)


# --- ScatterElementsUpdate -----------------------------------------------------------------
class _ScatterElementsBase(Node):
    """For ``axis = 1``: ``out[i][indices[i][j][k]][k] = updates[i][j][k]`` (any rank)."""

    allow_negative = False

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 4,
                   "ScatterElementsUpdate takes four inputs: data, indices, updates, axis")
        check_integral_input(self, 1, "indices")
        check_integral_input(self, 3, "axis")
        check_scalar_like(self, 3, "axis")
        et = merge_types(self, self.get_input_element_type(0), self.get_input_element_type(2))
        data_ps = self.get_input_partial_shape(0)
        idx_ps = self.get_input_partial_shape(1)
        upd_ps = self.get_input_partial_shape(2)
        self.check(idx_ps.compatible(upd_ps),
                   f"indices shape {idx_ps} and updates shape {upd_ps} must be equal")
        data = dims_of(data_ps)
        for ps, what in ((idx_ps, "indices"), (upd_ps, "updates")):
            if data is not None and ps.rank.is_static:
                self.check(len(ps) == len(data),
                           f"{what} rank {len(ps)} must equal the data rank {len(data)}")
        axis = scalar_input_value(self, 3)
        if axis is not None and data is not None:
            self.check(len(data) > 0, "data must have rank of at least 1")
            normalize_axis(self, axis, len(data))
        self.set_output_type(0, et, data_ps)
        if "reduction" in self._attrs:
            _check_reduction(self, ("none", "sum", "prod", "min", "max", "mean"))

    def reference(self, data: np.ndarray, indices: np.ndarray, updates: np.ndarray,
                  axis: np.ndarray) -> np.ndarray:
        ax = _runtime_axis(self, axis, data.ndim)
        if indices.shape != updates.shape or indices.ndim != data.ndim:
            _fail_runtime(self, f"indices {list(indices.shape)} and updates "
                                f"{list(updates.shape)} must have the same shape and the "
                                f"rank of data {list(data.shape)}")
        for i, (n, d) in enumerate(zip(indices.shape, data.shape)):
            if i != ax and n > d:
                _fail_runtime(self, f"indices dimension {i} ({n}) exceeds the data "
                                    f"dimension ({d})")
        idx = checked_indices(self, indices, data.shape[ax], self.allow_negative)
        if idx.size == 0:
            return data.copy()
        coords = list(np.indices(idx.shape, sparse=True))
        coords[ax] = idx
        positions = np.ravel_multi_index(tuple(np.broadcast_arrays(*coords)), data.shape)
        reduction = self._attrs.get("reduction", "none")
        out = scatter_reduce(data, positions.reshape(-1), updates.reshape(-1), reduction,
                             self._attrs.get("use_init_val", True))
        if reduction == "none":
            return out
        return cast_evaluation(out, self.get_output_element_type(0))


class ScatterElementsUpdate3(_ScatterElementsBase):
    """ScatterElementsUpdate-3: overwrite; indices must lie in ``[0, dim)``."""

    type_name = "ScatterElementsUpdate"
    version = "opset3"


class ScatterElementsUpdate(_ScatterElementsBase):
    """ScatterElementsUpdate-12: ``reduction`` (none, sum, prod, min, max, mean) and
    ``use_init_val``; negative indices count from the end."""

    type_name = "ScatterElementsUpdate"
    version = "opset12"
    attributes = {"reduction": Attr.enum("none"), "use_init_val": Attr.bool(True)}
    allow_negative = True


@factory("scatter_elements_update", since=3)
def scatter_elements_update_v3(data: Any, indices: Any, updates: Any, axis: Any,
                               name: str | None = None) -> ScatterElementsUpdate3:
    """Write each element of ``updates`` into ``data`` at its index along ``axis``."""
    return ScatterElementsUpdate3(data, indices, updates, axis, name=name)


@factory("scatter_elements_update", since=12)
def scatter_elements_update(data: Any, indices: Any, updates: Any, axis: Any,
                            reduction: str | None = "None", use_init_val: bool = True,
                            name: str | None = None) -> ScatterElementsUpdate:
    """Combine each element of ``updates`` into ``data`` at its index along ``axis``."""
    return ScatterElementsUpdate(data, indices, updates, axis,
                                 reduction=reduction if reduction else "none",
                                 use_init_val=use_init_val, name=name)


# --- ScatterNDUpdate -------------------------------------------------------------------------
class _ScatterNDBase(Node):
    """``out[indices[i]] = updates[i]`` where each ``indices[i]`` (last dimension) addresses
    an element or a slice of ``data``."""

    allow_negative = False

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3,
                   "ScatterNDUpdate takes three inputs: data, indices, updates")
        check_integral_input(self, 1, "indices")
        et = merge_types(self, self.get_input_element_type(0), self.get_input_element_type(2))
        data_ps = self.get_input_partial_shape(0)
        data = dims_of(data_ps)
        idx = dims_of(self.get_input_partial_shape(1))
        upd = dims_of(self.get_input_partial_shape(2))
        if data is not None:
            self.check(len(data) >= 1, "data must have rank of at least 1")
        if idx is not None:
            self.check(len(idx) >= 1, "indices must have rank of at least 1")
        k = idx[-1].get_length() if idx is not None and idx[-1].is_static else None
        if k is not None and data is not None:
            self.check(k <= len(data), f"the last dimension of indices ({k}) exceeds the data "
                                       f"rank {len(data)}")
            if upd is not None:
                want = idx[:-1] + data[k:]
                single = len(want) == 0 and all(d._compatible(1) for d in upd)
                if not single:
                    self.check(len(upd) == len(want),
                               f"updates rank {len(upd)} must be {len(want)} (indices.shape"
                               f"[:-1] + data.shape[{k}:])")
                    _check_compatible(self, upd, want, "updates shape")
        self.set_output_type(0, et, data_ps)
        if "reduction" in self._attrs:
            _check_reduction(self, ("none", "sum", "sub", "prod", "min", "max"))

    def reference(self, data: np.ndarray, indices: np.ndarray,
                  updates: np.ndarray) -> np.ndarray:
        if indices.ndim < 1 or data.ndim < 1:
            _fail_runtime(self, "data and indices must have rank of at least 1")
        k = indices.shape[-1]
        if k > data.ndim:
            _fail_runtime(self, f"index tuples of length {k} do not fit data of rank "
                                f"{data.ndim}")
        want = indices.shape[:-1] + data.shape[k:]
        if updates.shape != want:
            if want == () and updates.size == 1:
                updates = updates.reshape(())
            else:
                _fail_runtime(self, f"updates shape {list(updates.shape)} must be "
                                    f"{list(want)}")
        n = int(np.prod(indices.shape[:-1], dtype=np.int64))
        size = int(np.prod(data.shape[k:], dtype=np.int64))
        flat = indices.reshape(n, k)
        cols = [checked_indices(self, flat[:, j], data.shape[j], self.allow_negative)
                for j in range(k)]
        if n == 0 or size == 0:
            return data.copy()
        base = (np.ravel_multi_index(tuple(cols), data.shape[:k]) if k
                else np.zeros(n, dtype=np.int64))
        positions = (base[:, None] * size + np.arange(size)[None, :]).reshape(-1)
        reduction = self._attrs.get("reduction", "none")
        out = scatter_reduce(data, positions, updates.reshape(-1), reduction)
        if reduction == "none":
            return out
        return cast_evaluation(out, self.get_output_element_type(0))


class ScatterNDUpdate3(_ScatterNDBase):
    """ScatterNDUpdate-3: overwrite; indices must lie in ``[0, dim)``."""

    type_name = "ScatterNDUpdate"
    version = "opset4"


class ScatterNDUpdate(_ScatterNDBase):
    """ScatterNDUpdate-15: ``reduction`` (none, sum, sub, prod, min, max); negative indices
    count from the end."""

    type_name = "ScatterNDUpdate"
    version = "opset15"
    attributes = {"reduction": Attr.enum("none")}
    allow_negative = True


@factory("scatter_nd_update", since=4)
def scatter_nd_update_v3(data: Any, indices: Any, updates: Any,
                         name: str | None = None) -> ScatterNDUpdate3:
    """Write ``updates`` into ``data`` at the elements or slices addressed by ``indices``."""
    return ScatterNDUpdate3(data, indices, updates, name=name)


@factory("scatter_nd_update", since=15)
def scatter_nd_update(data: Any, indices: Any, updates: Any, reduction: str | None = None,
                      name: str | None = None) -> ScatterNDUpdate:
    """Combine ``updates`` into ``data`` at the elements or slices addressed by ``indices``."""
    return ScatterNDUpdate(data, indices, updates, reduction=reduction or "none", name=name)
