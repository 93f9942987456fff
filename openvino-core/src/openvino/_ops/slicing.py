"""Slicing by begin/end/step: StridedSlice-1 (with its five bit masks) and Slice-8.

Both follow Python/numpy slice semantics: negative begin/end count from the end of the
dimension, out-of-range values are clamped, a negative step walks backwards.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from ._index_args import check_integral_input, dim_max, dims_of, input_values
from ._infer import normalize_axis

__all__ = ["StridedSlice", "Slice", "sliced_length", "sliced_dim"]

_INT64_MAX = 2**63 - 1
# slices of an unbounded dimension longer than this are reported as unbounded
_UNBOUNDED_LENGTH = 2**40


def sliced_length(size: int, start: int | None, stop: int | None, step: int) -> int:
    """How many elements ``[start:stop:step]`` selects from ``size`` elements."""
    s, e, st = slice(start, stop, step).indices(size)
    if st > 0:
        return max(0, (e - s + st - 1) // st)
    return max(0, (s - e - st - 1) // -st)


def sliced_dim(dim: Dimension, start: int | None, stop: int | None, step: int) -> Dimension:
    """The output dimension of ``[start:stop:step]`` over a possibly dynamic ``dim``.

    The length is piecewise linear in the input size with breaks near ``|start|`` and
    ``|stop|``, so its extremes over an interval are found at the ends and at the breaks.
    An unbounded ``dim`` is taken up to the largest int64 size; a slice that can then be
    longer than ``_UNBOUNDED_LENGTH`` is reported as unbounded."""
    if dim.is_static:
        return Dimension(sliced_length(dim.get_length(), start, stop, step))
    lo, hi = dim.get_min_length(), dim_max(dim)
    top = _INT64_MAX if hi is None else hi
    points = {lo, top}
    for v in (start, stop):
        if v is not None:
            points.update(c for c in (abs(v) - 1, abs(v), abs(v) + 1) if lo <= c <= top)
    lengths = [sliced_length(p, start, stop, step) for p in points]
    upper = max(lengths)
    if hi is None and upper > _UNBOUNDED_LENGTH:
        return Dimension(min(lengths), -1)
    return Dimension(min(lengths), upper)


def _check_1d(node: Node, port: int, what: str) -> Dimension | None:
    ps = node.get_input_partial_shape(port)
    if ps.rank.is_dynamic:
        return None
    node.check(len(ps) == 1, f"{what} must be a 1-D tensor, got shape {ps}")
    return ps[0]


def _fail_runtime(node: Node, message: str) -> None:
    raise RuntimeError(f"{node.type_name} '{node.get_friendly_name()}': {message}")


def _bit(mask: list[int], i: int) -> bool:
    return i < len(mask) and mask[i] != 0


# --- StridedSlice ------------------------------------------------------------------------------
class StridedSlice(Node):
    """``data[b0:e0:s0, ..., np.newaxis, ..., k, ...]`` spelled as begin/end/stride tensors and
    bit masks: ``begin_mask``/``end_mask`` (1 = ignore that begin/end), ``new_axis_mask``
    (insert a size-1 axis), ``shrink_axis_mask`` (take the single element at ``begin`` and
    drop the axis) and ``ellipsis_mask`` (one position standing for all remaining axes)."""

    type_name = "StridedSlice"
    version = "opset1"
    attributes = {
        "begin_mask": Attr.ints(),
        "end_mask": Attr.ints(),
        "new_axis_mask": Attr.ints([]),
        "shrink_axis_mask": Attr.ints([]),
        "ellipsis_mask": Attr.ints([]),
    }

    def _plan(self, rank: int, count: int, fail: Any) -> list[tuple]:
        """What each output position does: ``("new",)``, ``("full",)`` (a whole input
        axis), ``("shrink", i)`` or ``("slice", i)`` with ``i`` the begin/end entry."""
        a = self._attrs
        ellipsis = [i for i in range(count) if _bit(a["ellipsis_mask"], i)]
        if len(ellipsis) > 1:
            fail(f"ellipsis_mask may mark only one position, got {ellipsis}")
        consumed = sum(1 for i in range(count)
                       if not _bit(a["ellipsis_mask"], i) and not _bit(a["new_axis_mask"], i))
        fill = rank - consumed
        if fill < 0:
            fail(f"{consumed} slicing entries address more axes than the data rank {rank}")
        plan: list[tuple] = []
        for i in range(count):
            if i in ellipsis:
                plan += [("full",)] * fill
            elif _bit(a["new_axis_mask"], i):
                plan.append(("new",))
            elif _bit(a["shrink_axis_mask"], i):
                plan.append(("shrink", i))
            else:
                plan.append(("slice", i))
        if not ellipsis:
            plan += [("full",)] * fill
        return plan

    def _bounds(self, i: int, begin: list[int], end: list[int], stride: list[int]
                ) -> tuple[int | None, int | None, int]:
        b = None if _bit(self._attrs["begin_mask"], i) else begin[i]
        e = None if _bit(self._attrs["end_mask"], i) else end[i]
        return b, e, stride[i]

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (3, 4),
                   "StridedSlice takes three or four inputs: data, begin, end[, stride]")
        names = ("begin", "end", "stride")
        lengths = []
        for port in range(1, len(self._inputs)):
            check_integral_input(self, port, names[port - 1])
            d = _check_1d(self, port, names[port - 1])
            if d is not None:
                lengths.append(d)
        count_dim = Dimension()
        for d in lengths:
            m = count_dim.merge(d)
            if m is None:
                self.fail("begin, end and stride must have the same length, got "
                          f"{', '.join(str(x) for x in lengths)}")
            count_dim = m
        begin = input_values(self, 1)
        end = input_values(self, 2)
        stride = input_values(self, 3) if len(self._inputs) == 4 else None
        for vals in (begin, end, stride):
            if vals is not None and count_dim.is_dynamic:
                count_dim = Dimension(len(vals))
        if stride is None and len(self._inputs) == 3 and count_dim.is_static:
            stride = [1] * count_dim.get_length()
        if stride is not None:
            self.check(all(s != 0 for s in stride), f"stride must not contain zeros: {stride}")
        et = self.get_input_element_type(0)
        data = dims_of(self.get_input_partial_shape(0))
        if data is None or count_dim.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        known = begin is not None and end is not None and stride is not None
        out: list[Dimension] = []
        j = 0
        for step in self._plan(len(data), count_dim.get_length(), self.fail):
            kind = step[0]
            if kind == "new":
                out.append(Dimension(1))
                continue
            dim = data[j]
            j += 1
            if kind == "full":
                out.append(Dimension(dim))
            elif kind == "shrink":
                if begin is not None and dim.is_static and not _bit(
                        self._attrs["begin_mask"], step[1]):
                    b, n = begin[step[1]], dim.get_length()
                    self.check(-n <= b < n, f"shrink_axis_mask index {b} is out of range for "
                                            f"dimension of size {n}")
            elif known:
                out.append(sliced_dim(dim, *self._bounds(step[1], begin, end, stride)))
            else:
                out.append(Dimension(0, -1 if dim_max(dim) is None else dim_max(dim)))
        self.set_output_type(0, et, PartialShape(out))

    def reference(self, data: np.ndarray, begin: np.ndarray, end: np.ndarray,
                  stride: np.ndarray | None = None) -> np.ndarray:
        b = [int(v) for v in np.asarray(begin).reshape(-1)]
        e = [int(v) for v in np.asarray(end).reshape(-1)]
        s = [int(v) for v in np.asarray(stride).reshape(-1)] if stride is not None else \
            [1] * len(b)
        if not len(b) == len(e) == len(s):
            _fail_runtime(self, f"begin, end and stride lengths differ: {len(b)}, {len(e)}, "
                                f"{len(s)}")
        if any(v == 0 for v in s):
            _fail_runtime(self, f"stride must not contain zeros: {s}")

        def fail(message: str) -> None:
            _fail_runtime(self, message)

        index: list[Any] = []
        axis = 0
        for step in self._plan(data.ndim, len(b), fail):
            kind = step[0]
            if kind == "new":
                index.append(np.newaxis)
                continue
            size = data.shape[axis]
            axis += 1
            if kind == "full":
                index.append(slice(None))
            elif kind == "shrink":
                i = step[1]
                k = 0 if _bit(self._attrs["begin_mask"], i) else b[i]
                if not -size <= k < size:
                    _fail_runtime(self, f"shrink_axis_mask index {k} is out of range for "
                                        f"dimension {axis - 1} of size {size}")
                index.append(k + size if k < 0 else k)
            else:
                index.append(slice(*self._bounds(step[1], b, e, s)))
        return np.array(data[tuple(index)])


@factory("strided_slice", since=1)
def strided_slice(data: Any, begin: Any, end: Any, strides: Any, begin_mask: Any,
                  end_mask: Any, new_axis_mask: Any = None, shrink_axis_mask: Any = None,
                  ellipsis_mask: Any = None, name: str | None = None) -> StridedSlice:
    """Extract a strided slice of ``data``; the masks are lists of 0/1 per slicing entry."""
    inputs = [data, begin, end] + ([strides] if strides is not None else [])
    return StridedSlice(*inputs, begin_mask=begin_mask, end_mask=end_mask,
                        new_axis_mask=new_axis_mask or [],
                        shrink_axis_mask=shrink_axis_mask or [],
                        ellipsis_mask=ellipsis_mask or [], name=name)


# --- Slice ---------------------------------------------------------------------------------------
class Slice(Node):
    """``data[start:stop:step]`` along ``axes`` (default ``0 .. len(start) - 1``)."""

    type_name = "Slice"
    version = "opset8"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (4, 5),
                   "Slice takes four or five inputs: data, start, stop, step[, axes]")
        names = ("start", "stop", "step", "axes")
        count = Dimension()
        for port in range(1, len(self._inputs)):
            check_integral_input(self, port, names[port - 1])
            d = _check_1d(self, port, names[port - 1])
            if d is not None:
                m = count.merge(d)
                if m is None:
                    self.fail("start, stop, step and axes must have the same length")
                count = m
        start, stop, step = (input_values(self, p) for p in (1, 2, 3))
        axes = input_values(self, 4) if len(self._inputs) == 5 else None
        for vals in (start, stop, step, axes):
            if vals is not None:
                self.check(count._compatible(len(vals)),
                           "start, stop, step and axes must have the same length")
                count = Dimension(len(vals))
        if step is not None:
            self.check(all(s != 0 for s in step), f"step must not contain zeros: {step}")
        et = self.get_input_element_type(0)
        data = dims_of(self.get_input_partial_shape(0))
        if data is None:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        if axes is None and len(self._inputs) == 4 and count.is_static:
            axes = list(range(count.get_length()))
        if axes is not None:
            axes = [normalize_axis(self, a, len(data)) for a in axes]
            self.check(len(set(axes)) == len(axes), f"axes must be unique, got {axes}")
        out = [Dimension(d) for d in data]
        known = start is not None and stop is not None and step is not None
        targets = axes if axes is not None else range(len(data))
        for n, ax in enumerate(targets):
            if known and axes is not None:
                out[ax] = sliced_dim(data[ax], start[n], stop[n], step[n])
            else:
                hi = dim_max(data[ax])
                out[ax] = Dimension(0, -1 if hi is None else hi)
        self.set_output_type(0, et, PartialShape(out))

    def reference(self, data: np.ndarray, start: np.ndarray, stop: np.ndarray,
                  step: np.ndarray, axes: np.ndarray | None = None) -> np.ndarray:
        b, e, s = ([int(v) for v in np.asarray(x).reshape(-1)] for x in (start, stop, step))
        ax = [int(v) for v in np.asarray(axes).reshape(-1)] if axes is not None else \
            list(range(len(b)))
        if not len(b) == len(e) == len(s) == len(ax):
            _fail_runtime(self, "start, stop, step and axes must have the same length")
        index: list[Any] = [slice(None)] * data.ndim
        seen = set()
        for n, a in enumerate(ax):
            if not -data.ndim <= a < data.ndim:
                _fail_runtime(self, f"axis {a} is out of range for data of rank {data.ndim}")
            a = a + data.ndim if a < 0 else a
            if a in seen:
                _fail_runtime(self, f"axis {a} appears more than once")
            seen.add(a)
            if s[n] == 0:
                _fail_runtime(self, "step must not be zero")
            index[a] = slice(b[n], e[n], s[n])
        return np.array(data[tuple(index)])


@factory("slice", since=8)
def slice_(data: Any, start: Any, stop: Any, step: Any, axes: Any = None,
           name: str | None = None) -> Slice:
    """Slice ``data`` with ``start``/``stop``/``step`` along ``axes``."""
    inputs = [data, start, stop, step] + ([axes] if axes is not None else [])
    return Slice(*inputs, name=name)
