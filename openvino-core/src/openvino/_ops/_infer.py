"""Helpers shared by the ops' type and shape inference."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._shape import Dimension, PartialShape, _new_object
from .._type import Type

__all__ = ["broadcast_shapes", "normalize_axis", "normalize_axes", "constant_value",
           "merge_types", "static_dims"]


def _broadcast_dim(a: Dimension, b: Dimension) -> Dimension | None:
    if a.is_static and a.get_length() == 1:
        return Dimension(b)
    if b.is_static and b.get_length() == 1:
        return Dimension(a)
    if a.is_static and b.is_static:
        return Dimension(a) if a.get_length() == b.get_length() else None
    if a.is_static:
        return Dimension(a) if b.compatible(a) else None
    if b.is_static:
        return Dimension(b) if a.compatible(b) else None
    # both dynamic. Where one cannot be 1, the other is either 1 or equal to it.
    if a.get_min_length() > 1 and b.get_min_length() > 1:
        return a.merge(b)
    if a.get_min_length() > 1:
        return Dimension(a)
    if b.get_min_length() > 1:
        return Dimension(b)
    # either may be 1, so the result spans both
    lo = max(a.get_min_length(), b.get_min_length())
    hi_a, hi_b = a.get_max_length(), b.get_max_length()
    hi = -1 if hi_a < 0 or hi_b < 0 else max(hi_a, hi_b)
    if a.get_min_length() <= 1 or b.get_min_length() <= 1:
        lo = min(a.get_min_length(), b.get_min_length()) if lo > 1 else lo
    return Dimension(lo, hi)


def _broadcast_static(da: list[Dimension], db: list[Dimension]) -> PartialShape | None:
    """Numpy broadcasting of two static shapes of one rank that broadcast (each output
    dimension a copy of the input dimension it comes from, as ``_broadcast_dim`` gives);
    ``None`` when a dimension is not static or a pair does not broadcast."""
    out = []
    append = out.append
    for x, y in zip(da, db):
        n, m = x._max, y._max
        if n is None or m is None or x._min != n or y._min != m:
            return None
        if n == 1:
            src = y
        elif m == 1 or n == m:
            src = x
        else:
            return None
        d = _new_object(Dimension)
        d._min = d._max = src._min
        d._symbol = src._symbol
        append(d)
    return PartialShape._of(out)


def broadcast_shapes(node: Any, a: PartialShape, b: PartialShape, mode: str = "numpy",
                     axis: int = -1) -> PartialShape:
    """Output shape of an elementwise op with ``auto_broadcast`` mode ``mode``."""
    mode = (mode or "numpy").lower()
    if mode == "none":
        merged = a.merge(b)
        if merged is None:
            node.fail(f"Argument shapes are inconsistent: {a} and {b}")
        return merged
    if a._dims is None or b._dims is None:
        return PartialShape.dynamic()
    if mode == "numpy" and len(a._dims) == len(b._dims):
        static = _broadcast_static(a._dims, b._dims)
        if static is not None:
            return static
    da, db = list(a), list(b)
    if mode == "pdpd":
        if len(db) > len(da):
            node.fail(f"Argument shapes are inconsistent: {b} cannot be broadcast to {a}")
        start = len(da) - len(db) if axis == -1 else axis
        out = list(da)
        for i, d in enumerate(db):
            tgt = out[start + i]
            if d.is_static and d.get_length() == 1:
                continue
            m = tgt.merge(d)
            if m is None:
                node.fail(f"Argument shapes are inconsistent: {a} and {b}")
        return PartialShape(out)
    n = max(len(da), len(db))
    da = [Dimension(1)] * (n - len(da)) + da
    db = [Dimension(1)] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        d = _broadcast_dim(x, y)
        if d is None:
            node.fail(f"Argument shapes are inconsistent: {a} and {b} "
                      f"(dimensions {x} and {y} do not broadcast)")
        out.append(d)
    return PartialShape(out)


def merge_types(node: Any, *types: Type) -> Type:
    """The common element type of several inputs (dynamic merges with anything)."""
    result = Type.dynamic
    for t in types:
        m = result.merge(t)
        if m is None:
            node.fail(f"Arguments do not have the same element type: "
                      f"{', '.join(x.get_type_name() for x in types)}")
        result = m
    return result


def normalize_axis(node: Any, axis: int, rank: int) -> int:
    """``axis`` in ``[-rank, rank)`` -> ``[0, rank)``; fails with a clear message otherwise."""
    if not -rank <= axis < max(rank, 1):
        node.fail(f"Axis {axis} out of the tensor rank range [{-rank}, {rank - 1}]")
    return axis + rank if axis < 0 else axis


def normalize_axes(node: Any, axes: Any, rank: int) -> list[int]:
    return [normalize_axis(node, int(a), rank) for a in np.asarray(axes).reshape(-1)]


def static_dims(shape: PartialShape) -> list[int] | None:
    """The shape as ints when it is static, else ``None``."""
    if not shape.is_static:
        return None
    return [d.get_length() for d in shape]


_FOLD_LIMIT = 1 << 16


def constant_value(output: Any, _depth: int = 0) -> np.ndarray | None:
    """The value of ``output`` when it can be computed without the model's inputs:
    Constants, ShapeOf of a static shape, and ops over such values (bounded in size).
    Returns the evaluation-form array, or ``None``."""
    node = output.get_node()
    tn = node.type_name
    if tn == "Constant":
        return node.get_evaluation_data()
    if tn == "ShapeOf":
        ps = node.get_input_partial_shape(0)
        if ps.is_static:
            return np.array([d.get_length() for d in ps],
                            dtype=node.get_output_element_type(0).evaluation_dtype)
        return None
    if tn in ("Parameter", "ReadValue", "Result", "Assign") or _depth > 64:
        return None
    if not node.has_evaluate() or node.needs_state:
        return None
    for d in node._outputs:
        ps = d.partial_shape
        if not ps.is_static:
            return None
        n = 1
        for x in ps:
            n *= x.get_length()
        if n > _FOLD_LIMIT:
            return None
    args = []
    for src in node._inputs:
        v = constant_value(src, _depth + 1)
        if v is None:
            return None
        args.append(v)
    try:
        outs = node.reference(*args)
    except Exception:
        return None
    if not isinstance(outs, (tuple, list)):
        outs = (outs,)
    return np.asarray(outs[output.get_index()])
