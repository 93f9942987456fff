"""Index arguments of the indexing, scatter and slicing ops: their element-type checks, the
constant values shape inference reads from them, and the range check of index values.

These ops share one rule for index values: an index outside the range the op allows raises
a ``RuntimeError`` that names the op, the offending value and the allowed range; it is never
wrapped around or clipped silently.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._shape import Dimension, PartialShape
from ._infer import constant_value

__all__ = ["check_integral_input", "check_scalar_like", "scalar_input_value",
           "input_values", "checked_indices", "dim_max", "dims_of"]


def check_integral_input(node: Any, port: int, what: str) -> None:
    """Fail unless input ``port`` has an integer element type (or a dynamic one)."""
    et = node.get_input_element_type(port)
    node.check(et.is_dynamic() or et.is_integral_number(),
               f"{what} must have an integer element type, got {et.get_type_name()}")


def check_scalar_like(node: Any, port: int, what: str) -> None:
    """Fail unless input ``port`` can be a scalar or a 1-D tensor with one element."""
    ps = node.get_input_partial_shape(port)
    if ps.rank.is_dynamic:
        return
    rank = ps.rank.get_length()
    node.check(rank == 0 or (rank == 1 and ps[0]._compatible(1)),
               f"{what} must be a scalar or a 1-D tensor with one element, got shape {ps}")


def scalar_input_value(node: Any, port: int) -> int | None:
    """The integer held by a scalar-like input when it is known from constants."""
    value = constant_value(node.input_value(port))
    if value is None:
        return None
    flat = np.asarray(value).reshape(-1)
    if flat.size != 1:
        node.fail(f"Input {port} must hold exactly one value, got {flat.size}")
    return int(flat[0])


def input_values(node: Any, port: int) -> list[int] | None:
    """The integers of a 1-D input when they are known from constants."""
    value = constant_value(node.input_value(port))
    if value is None:
        return None
    return [int(v) for v in np.asarray(value).reshape(-1)]


def dim_max(d: Dimension) -> int | None:
    """The upper bound of a dimension, ``None`` when unbounded."""
    hi = d.get_max_length()
    return None if hi < 0 else hi


def checked_indices(node: Any, indices: np.ndarray, size: int, allow_negative: bool,
                    what: str = "index") -> np.ndarray:
    """``indices`` as int64 in ``[0, size)``; negative values count from the end when
    ``allow_negative``. Any value outside the allowed range raises ``RuntimeError``."""
    raw = np.asarray(indices)
    if raw.dtype.kind == "u" and raw.size and int(raw.max()) > np.iinfo(np.int64).max:
        bad = int(raw.max())
        _out_of_range(node, bad, size, allow_negative, what)
    idx = raw.astype(np.int64, copy=False)
    if idx.size == 0:
        return idx.reshape(raw.shape)
    lo = -size if allow_negative else 0
    bad_mask = (idx < lo) | (idx >= size)
    if bad_mask.any():
        _out_of_range(node, int(idx[bad_mask].reshape(-1)[0]), size, allow_negative, what)
    if allow_negative:
        idx = np.where(idx < 0, idx + size, idx)
    return idx


def _out_of_range(node: Any, value: int, size: int, allow_negative: bool, what: str) -> None:
    lo = -size if allow_negative else 0
    allowed = f"[{lo}, {size - 1}]" if size > 0 else "empty (the dimension has size 0)"
    hint = "" if allow_negative or value >= 0 else " (negative indices are not allowed here)"
    raise RuntimeError(
        f"{node.type_name} '{node.get_friendly_name()}' ({node.version}): {what} {value} is "
        f"out of range; the allowed range is {allowed}{hint}")


def dims_of(ps: PartialShape) -> list[Dimension] | None:
    """The dimensions of a shape of static rank, ``None`` for dynamic rank."""
    return None if ps.rank.is_dynamic else list(ps)
