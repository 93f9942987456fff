"""Data movement ops: Transpose, Concat, Split, VariadicSplit, Tile, Broadcast, Pad,
DepthToSpace, SpaceToDepth and ShuffleChannels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node, as_output
from .._opsets import factory
from .._shape import Dimension, PartialShape
from ._infer import broadcast_shapes, constant_value, merge_types, normalize_axis
from .shape import as_dimension, shape_value

__all__ = ["Transpose", "Concat", "Split", "VariadicSplit", "Tile", "Broadcast1", "Broadcast",
           "Pad1", "Pad", "DepthToSpace", "SpaceToDepth", "ShuffleChannels"]


def _check_integral(node: Node, index: int, what: str) -> None:
    et = node.get_input_element_type(index)
    if not (et.is_dynamic() or et.is_integral_number()):
        node.fail(f"{what} must have an integral element type, got {et.get_type_name()}")


def _check_rank(node: Node, index: int, allowed: tuple[int, ...], what: str) -> None:
    ps = node.get_input_partial_shape(index)
    if not (ps.rank.is_dynamic or ps.rank.get_length() in allowed):
        node.fail(f"{what} must have rank {' or '.join(map(str, allowed))}, got shape {ps}")


def _scalar_axis(node: Node, index: int) -> int | None:
    value = constant_value(node.input_value(index))
    if value is None:
        return None
    node.check(value.size == 1, f"Axis input must hold exactly one value, got {value.size}")
    return int(value.reshape(-1)[0])


def _divide(node: Node, d: Dimension, k: int, what: str) -> Dimension:
    """``d / k`` where ``d`` must be a multiple of ``k``."""
    if d.is_static:
        if d.get_length() % k != 0:
            node.fail(f"{what}: dimension {d} is not divisible by {k}")
        return Dimension(d.get_length() // k)
    lo = -(-d.get_min_length() // k)
    hi = d.get_max_length()
    return Dimension(lo, -1 if hi < 0 else hi // k)


def _runtime_error(node: Node, message: str) -> RuntimeError:
    return RuntimeError(f"{node.type_name} '{node.get_friendly_name()}': {message}")


# --- Transpose ----------------------------------------------------------------------------
class Transpose(Node):
    """Permutes the dimensions by ``input_order`` (empty order: reverse them)."""

    type_name = "Transpose"
    version = "opset1"

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 2, "Transpose takes two inputs (data, order)")
        _check_integral(self, 1, "Input order")
        _check_rank(self, 1, (1,), "Input order")
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        order = constant_value(self.input_value(1))
        if order is None:
            order_ps = self.get_input_partial_shape(1)
            if data.rank.is_static:
                self.set_output_type(0, et, PartialShape.dynamic(data.rank))
            elif order_ps.rank.is_static and order_ps[0].is_static and order_ps[0].get_length():
                self.set_output_type(0, et, PartialShape.dynamic(order_ps[0].get_length()))
            else:
                self.set_output_type(0, et, PartialShape.dynamic())
            return
        perm = [int(v) for v in order.reshape(-1)]
        if data.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic(len(perm)) if perm
                                 else PartialShape.dynamic())
            return
        perm = self._permutation(perm, len(data), self.fail)
        self.set_output_type(0, et, PartialShape([Dimension(data[i]) for i in perm]))

    @staticmethod
    def _permutation(perm: list[int], rank: int, fail: Any) -> list[int]:
        if not perm:
            return list(range(rank))[::-1]
        if sorted(perm) != list(range(rank)):
            fail(f"Permutation {perm} is not valid for input of rank {rank}")
        return perm

    def reference(self, data: np.ndarray, order: np.ndarray) -> np.ndarray:
        def fail(msg: str) -> None:
            raise _runtime_error(self, msg)

        perm = self._permutation([int(v) for v in np.asarray(order).reshape(-1)], data.ndim,
                                 fail)
        return np.ascontiguousarray(np.transpose(data, perm))


# --- Concat -----------------------------------------------------------------------------
class Concat(Node):
    """Joins the inputs along ``axis`` (negative counts from the end)."""

    type_name = "Concat"
    version = "opset1"
    attributes = {"axis": Attr.int()}

    def validate_and_infer_types(self) -> None:
        inputs = self._inputs
        if not inputs:
            self.fail("At least one argument required")
        descs = [src._node._outputs[src._index] for src in inputs]
        et = merge_types(self, *[d.element_type for d in descs])
        shapes = [d.partial_shape for d in descs]
        static = self._static_shape(shapes)
        if static is not None:
            self.set_output_type(0, et, static)
            return
        ranked = [s for s in shapes if s._dims is not None]
        if not ranked:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        rank = len(ranked[0])
        axis = self._attrs["axis"]
        if not -rank <= axis < rank:
            self.fail(f"Concatenation axis ({axis}) is out of bounds [{-rank}, {rank - 1}] for "
                      f"argument shapes {', '.join(str(s) for s in shapes)}")
        axis = axis + rank if axis < 0 else axis
        out: list[Dimension] = [Dimension() for _ in range(rank)]
        total = Dimension(0)
        for s in shapes:
            if s.rank.is_dynamic:
                total = Dimension()
                continue
            if len(s) != rank:
                self.fail("Argument shapes are inconsistent; they must have the same rank: "
                          f"{', '.join(str(x) for x in shapes)}")
            for i, d in enumerate(s):
                if i == axis:
                    total = total._add(d)
                    continue
                m = out[i].merge(d)
                if m is None:
                    self.fail("Argument shapes are inconsistent; they must have the same "
                              "dimensions except on the concatenation axis: "
                              f"{', '.join(str(x) for x in shapes)}")
                out[i] = m
        out[axis] = total
        self.set_output_type(0, et, PartialShape(out))

    def _static_shape(self, shapes: list[PartialShape]) -> PartialShape | None:
        """The output shape when every input shape is static, of one rank, and equal off
        the (valid) axis: what the general path gives (each dimension off the axis takes
        the first symbol among the inputs'), without its interval arithmetic; None for
        anything else, which the general path handles or rejects."""
        first = shapes[0]._dims
        if first is None:
            return None
        rank = len(first)
        axis = self._attrs["axis"]
        if not -rank <= axis < rank:
            return None
        if axis < 0:
            axis += rank
        total = 0
        for shape in shapes:
            dims = shape._dims
            if dims is None or len(dims) != rank:
                return None
            for i, (d, f) in enumerate(zip(dims, first)):
                if d._max != d._min or (i != axis and d._min != f._min):
                    return None
            total += dims[axis]._min
        out = []
        for i in range(rank):
            if i == axis:
                out.append(Dimension._static(total))
                continue
            symbol = None
            for shape in shapes:
                symbol = symbol or shape._dims[i]._symbol
            d = Dimension._static(first[i]._min)
            d._symbol = symbol
            out.append(d)
        return PartialShape._of(out)

    def reference(self, *inputs: np.ndarray) -> np.ndarray:
        axis = self._attrs["axis"]
        return np.concatenate(inputs, axis=axis + inputs[0].ndim if axis < 0 else axis)


# --- Split / VariadicSplit -----------------------------------------------------------------
class Split(Node):
    """Splits the data along ``axis`` into ``num_splits`` equal parts."""

    type_name = "Split"
    version = "opset1"
    attributes = {"num_splits": Attr.int()}

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 2, "Split takes two inputs (data, axis)")
        _check_integral(self, 1, "Axis")
        _check_rank(self, 1, (0, 1), "Axis")
        n = self._attrs["num_splits"]
        self.check(n > 0, f"Attribute 'num_splits' must be greater than zero, got {n}")
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        axis = _scalar_axis(self, 1)
        if data.rank.is_dynamic:
            out = PartialShape.dynamic()
        elif axis is None:
            out = PartialShape.dynamic(data.rank)
        else:
            axis = normalize_axis(self, axis, len(data))
            dims = [Dimension(d) for d in data]
            dims[axis] = _divide(self, data[axis], n, "Split along axis " + str(axis))
            out = PartialShape(dims)
        self.set_output_size(n)
        for i in range(n):
            self.set_output_type(i, et, PartialShape(out))

    def reference(self, data: np.ndarray, axis: np.ndarray) -> tuple[np.ndarray, ...]:
        a = int(np.asarray(axis).reshape(-1)[0])
        if not -data.ndim <= a < data.ndim:
            raise _runtime_error(self, f"axis {a} is out of range for rank {data.ndim}")
        n = self._attrs["num_splits"]
        if data.shape[a] % n:
            raise _runtime_error(self, f"dimension {data.shape[a]} is not divisible by {n}")
        return tuple(np.ascontiguousarray(p) for p in np.split(data, n, axis=a))


class VariadicSplit(Node):
    """Splits the data along ``axis`` into parts of ``split_lengths`` (one may be ``-1``:
    the rest)."""

    type_name = "VariadicSplit"
    version = "opset1"
    has_default_output = False

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 3,
                   "VariadicSplit takes three inputs (data, axis, split_lengths)")
        _check_integral(self, 1, "Axis")
        _check_rank(self, 1, (0, 1), "Axis")
        _check_integral(self, 2, "Split lengths")
        _check_rank(self, 2, (1,), "Split lengths")
        lengths_ps = self.get_input_partial_shape(2)
        self.check(lengths_ps.rank.is_static and lengths_ps[0].is_static,
                   f"Split lengths must have a static shape, got {lengths_ps}")
        n = lengths_ps[0].get_length()
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        axis = _scalar_axis(self, 1)
        lengths = constant_value(self.input_value(2))
        self.set_output_size(n)
        if data.rank.is_dynamic or axis is None:
            for i in range(n):
                self.set_output_type(i, et, PartialShape.dynamic(
                    len(data) if data.rank.is_static else None))
            return
        axis = normalize_axis(self, axis, len(data))
        dim = data[axis]
        parts: list[Dimension]
        if lengths is None:
            parts = [Dimension() for _ in range(n)]
        else:
            parts = self._parts(dim, [int(v) for v in lengths.reshape(-1)])
        for i, p in enumerate(parts):
            dims = [Dimension(d) for d in data]
            dims[axis] = p
            self.set_output_type(i, et, PartialShape(dims))

    def _parts(self, dim: Dimension, lengths: list[int]) -> list[Dimension]:
        self.check(lengths.count(-1) <= 1, f"Split lengths {lengths} contain more than one -1")
        self.check(all(v >= -1 for v in lengths),
                   f"Split lengths {lengths} must be non-negative or -1")
        known = sum(v for v in lengths if v != -1)
        if -1 in lengths:
            self.check(dim.get_max_length() < 0 or known <= dim.get_max_length(),
                       f"Sum of split lengths {lengths} exceeds the dimension {dim} being split")
            rest = dim._sub(Dimension(known))
            return [rest if v == -1 else Dimension(v) for v in lengths]
        self.check(dim._compatible(known), f"Sum of split lengths {lengths} ({known}) does not "
                   f"match the dimension {dim} being split")
        return [Dimension(v) for v in lengths]

    def reference(self, data: np.ndarray, axis: np.ndarray, lengths: np.ndarray
                  ) -> tuple[np.ndarray, ...]:
        a = int(np.asarray(axis).reshape(-1)[0])
        if not -data.ndim <= a < data.ndim:
            raise _runtime_error(self, f"axis {a} is out of range for rank {data.ndim}")
        a = a + data.ndim if a < 0 else a
        sizes = [int(v) for v in np.asarray(lengths).reshape(-1)]
        dim = data.shape[a]
        if -1 in sizes:
            sizes[sizes.index(-1)] = dim - sum(v for v in sizes if v != -1)
        if sum(sizes) != dim or any(v < 0 for v in sizes):
            raise _runtime_error(self, f"split lengths {list(np.asarray(lengths).reshape(-1))} "
                                 f"do not fit dimension {dim}")
        bounds = np.cumsum(sizes)[:-1]
        return tuple(np.ascontiguousarray(p) for p in np.split(data, bounds, axis=a))


# --- Tile -----------------------------------------------------------------------------------
class Tile(Node):
    """Repeats the data ``repeats[i]`` times along each axis (aligned from the right)."""

    type_name = "Tile"
    version = "opset1"

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 2, "Tile takes two inputs (data, repeats)")
        _check_integral(self, 1, "Repeats")
        _check_rank(self, 1, (1,), "Repeats")
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        repeats = shape_value(self.input_value(1))
        rep_ps = self.get_input_partial_shape(1)
        if repeats is None:
            if data.rank.is_static and rep_ps.rank.is_static and rep_ps[0].is_static:
                rank = max(len(data), rep_ps[0].get_length())
                self.set_output_type(0, et, PartialShape.dynamic(rank))
            else:
                self.set_output_type(0, et, PartialShape.dynamic())
            return
        for r in repeats:
            self.check(isinstance(r, Dimension) or r >= 0,
                       f"Repeats must be non-negative, got {repeats}")
        if data.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        rank = max(len(data), len(repeats))
        dims = [Dimension(1)] * (rank - len(data)) + list(data)
        reps = [1] * (rank - len(repeats)) + list(repeats)
        self.set_output_type(0, et, PartialShape([d._mul(as_dimension(r))
                                                  for d, r in zip(dims, reps)]))

    def reference(self, data: np.ndarray, repeats: np.ndarray) -> np.ndarray:
        reps = [int(v) for v in np.asarray(repeats).reshape(-1)]
        if any(r < 0 for r in reps):
            raise _runtime_error(self, f"repeats must be non-negative, got {reps}")
        return np.tile(data, reps) if reps else data.copy()


# --- Broadcast ------------------------------------------------------------------------------
class _BroadcastBase(Node):
    """Replicates the data to ``target_shape``. Modes: ``numpy`` (one-directional, aligned
    right), ``explicit`` (``axes_mapping`` places the data axes), ``bidirectional`` (numpy
    broadcast of both shapes, v3 only) and ``pdpd`` (numpy alignment)."""

    modes: tuple[str, ...] = ()

    def _mode(self) -> str:
        mode = self._attrs["mode"]
        return "explicit" if mode == "none" else mode

    def validate_and_infer_types(self) -> None:
        mode = self._mode()
        self.check(mode in self.modes, f"Broadcast mode '{self._attrs['mode']}' is not "
                   f"supported; expected one of {', '.join(self.modes)}")
        n_in = self.get_input_size()
        if mode == "explicit":
            self.check(n_in == 3, "Broadcast in explicit mode takes three inputs "
                       "(data, target_shape, axes_mapping)")
            _check_integral(self, 2, "Axes mapping")
        else:
            self.check(n_in == 2, f"Broadcast in {mode} mode takes two inputs "
                       "(data, target_shape)")
        _check_integral(self, 1, "Target shape")
        _check_rank(self, 1, (1,), "Target shape")
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        items = shape_value(self.input_value(1))
        if items is None:
            target_ps = self.get_input_partial_shape(1)
            if target_ps.rank.is_static and target_ps[0].is_static:
                items = [Dimension() for _ in range(target_ps[0].get_length())]
            else:
                self.set_output_type(0, et, PartialShape.dynamic())
                return
        for v in items:
            self.check(isinstance(v, Dimension) or v >= 0,
                       f"Target shape {items} has negative values")
        target = [as_dimension(v) for v in items]
        if mode == "bidirectional":
            out = broadcast_shapes(self, data, PartialShape(target))
        elif mode == "explicit":
            out = self._explicit(data, target)
        else:
            out = self._numpy(data, target)
        self.set_output_type(0, et, out)

    def _numpy(self, data: PartialShape, target: list[Dimension]) -> PartialShape:
        if data.rank.is_dynamic:
            return PartialShape([Dimension(t) for t in target])
        self.check(len(data) <= len(target), f"Broadcast target_shape has smaller rank "
                   f"{len(target)} than arg shape {data}")
        out = [Dimension(t) for t in target]
        start = len(target) - len(data)
        for i, d in enumerate(data):
            a = start + i
            t = target[a]
            if d.is_static and d.get_length() == 1:
                continue
            # one-directional: each data dimension is 1 or equal to the target's
            ok = d._compatible(1) or d._compatible(t)
            self.check(ok, f"Broadcast incorrect target shape: expecting either 1 or {t} at "
                       f"axis {a}, got {d} (arg shape {data}, target shape "
                       f"{PartialShape(target)})")
            if t.is_dynamic and not d._compatible(1):
                out[a] = t.merge(d)
        return PartialShape(out)

    def _explicit(self, data: PartialShape, target: list[Dimension]) -> PartialShape:
        mapping = constant_value(self.input_value(2))
        if mapping is None:
            return PartialShape([Dimension(t) for t in target])
        axes = [int(v) for v in mapping.reshape(-1)]
        if data.rank.is_static:
            self.check(len(axes) == len(data), f"Broadcast axes_mapping {axes} must have one "
                       f"entry per dimension of arg shape {data}")
        self.check(axes == sorted(axes) and len(set(axes)) == len(axes),
                   f"Broadcast doesn't permit transposes: axes_mapping {axes} not in sorted "
                   "order")
        for a in axes:
            self.check(0 <= a < len(target), f"Broadcast axes_mapping {axes} has an axis out "
                       f"of range of target shape rank {len(target)}")
        out = [Dimension(t) for t in target]
        if data.rank.is_static:
            for d, a in zip(data, axes):
                t = target[a]
                if d.is_static and d.get_length() == 1:
                    continue
                self.check(t._compatible(d), f"Broadcast target[axes_mapping[{axes.index(a)}]] "
                           f"expected {d}, got {t}")
                out[a] = t.merge(d)
        return PartialShape(out)

    def reference(self, data: np.ndarray, target: np.ndarray,
                  mapping: np.ndarray | None = None) -> np.ndarray:
        shape = [int(v) for v in np.asarray(target).reshape(-1)]
        mode = self._mode()
        try:
            if mode == "bidirectional":
                shape = list(np.broadcast_shapes(data.shape, tuple(shape)))
            elif mode == "explicit":
                axes = [int(v) for v in np.asarray(mapping).reshape(-1)]
                if len(axes) != data.ndim:
                    raise ValueError(f"axes_mapping {axes} does not match rank {data.ndim}")
                view = [1] * len(shape)
                for d, a in zip(data.shape, axes):
                    view[a] = d
                data = data.reshape(view)
            return np.broadcast_to(data, shape).copy()
        except ValueError as e:
            raise _runtime_error(self, f"cannot broadcast shape {list(data.shape)} to "
                                 f"{shape}: {e}") from None


class Broadcast1(_BroadcastBase):
    """Broadcast v1 (modes numpy, explicit, pdpd)."""

    type_name = "Broadcast"
    version = "opset1"
    attributes = {"mode": Attr.enum("numpy")}
    modes = ("numpy", "explicit", "pdpd")


class Broadcast(_BroadcastBase):
    """Broadcast v3 (adds the bidirectional mode)."""

    type_name = "Broadcast"
    version = "opset3"
    attributes = {"mode": Attr.enum("numpy")}
    modes = ("numpy", "explicit", "bidirectional", "pdpd")


# --- Pad ----------------------------------------------------------------------------------------
_PAD_MODES = ("constant", "edge", "reflect", "symmetric")


class _PadBase(Node):
    """Pads the data with ``pads_begin``/``pads_end`` elements per axis; ``pad_mode``
    constant (``pad_value``, default 0), edge, reflect or symmetric."""

    allow_negative = False

    def validate_and_infer_types(self) -> None:
        n_in = self.get_input_size()
        self.check(n_in in (3, 4), "Pad takes three or four inputs "
                   "(data, pads_begin, pads_end[, pad_value])")
        mode = self._attrs["pad_mode"]
        self.check(mode in _PAD_MODES, f"Unsupported pad_mode '{mode}'; expected one of "
                   f"{', '.join(_PAD_MODES)}")
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        for i, what in ((1, "pads_begin"), (2, "pads_end")):
            _check_integral(self, i, what)
            _check_rank(self, i, (1,), what)
            ps = self.get_input_partial_shape(i)
            if data.rank.is_static and ps.rank.is_static and ps[0].is_static:
                self.check(ps[0].get_length() == len(data), f"length of {what} mismatches "
                           f"with rank of input, expect {len(data)}, but got {ps[0]}")
        if n_in == 4:
            vps = self.get_input_partial_shape(3)
            self.check(vps.rank.is_dynamic or vps.rank.get_length() == 0,
                       f"pad_value must be a scalar, got shape {vps}")
            merge_types(self, et, self.get_input_element_type(3))
        begin = constant_value(self.input_value(1))
        end = constant_value(self.input_value(2))
        if data.rank.is_dynamic:
            rank = None
            for v, i in ((begin, 1), (end, 2)):
                ps = self.get_input_partial_shape(i)
                if v is not None:
                    rank = v.size
                elif ps.rank.is_static and ps[0].is_static:
                    rank = ps[0].get_length()
            self.set_output_type(0, et, PartialShape.dynamic(rank))
            return
        rank = len(data)
        dims = [Dimension(d) for d in data]
        if begin is None or end is None:
            for i in range(rank):
                dims[i] = Dimension()
            if begin is not None:
                self._check_pads([int(v) for v in begin.reshape(-1)], "pads_begin", data)
            if end is not None:
                self._check_pads([int(v) for v in end.reshape(-1)], "pads_end", data)
            self.set_output_type(0, et, PartialShape(dims))
            return
        pb = self._check_pads([int(v) for v in begin.reshape(-1)], "pads_begin", data)
        pe = self._check_pads([int(v) for v in end.reshape(-1)], "pads_end", data)
        for i, d in enumerate(data):
            dims[i] = self._padded(i, d, pb[i], pe[i], mode)
        self.set_output_type(0, et, PartialShape(dims))

    def _check_pads(self, pads: list[int], what: str, data: PartialShape) -> list[int]:
        self.check(len(pads) == len(data), f"length of {what} mismatches with rank of input, "
                   f"expect {len(data)}, but got {len(pads)}")
        if not self.allow_negative:
            self.check(all(p >= 0 for p in pads), f"{what} {pads} must be non-negative for "
                       f"{self.type_name}-1 (negative pads need Pad-12)")
        return pads

    def _padded(self, axis: int, d: Dimension, b: int, e: int, mode: str) -> Dimension:
        if d.is_static:
            n = d.get_length()
            limit = {"reflect": n - 1, "symmetric": n}.get(mode)
            if limit is not None:
                self.check(max(b, 0) <= limit and max(e, 0) <= limit,
                           f"Pads ({b}, {e}) at axis {axis} must not exceed {limit} for "
                           f"pad_mode '{mode}' with dimension {n}")
            if mode == "edge":
                self.check(n > 0 or (b <= 0 and e <= 0), f"Cannot pad empty axis {axis} in "
                           "edge mode")
            size = n + b + e
            self.check(size >= 0, f"Pads ({b}, {e}) at axis {axis} crop more than the "
                       f"dimension {n}")
            return Dimension(size)
        lo = max(d.get_min_length() + b + e, 0)
        hi = d.get_max_length()
        return Dimension(lo, -1 if hi < 0 else max(hi + b + e, 0))

    def reference(self, data: np.ndarray, begin: np.ndarray, end: np.ndarray,
                  value: np.ndarray | None = None) -> np.ndarray:
        pb = [int(v) for v in np.asarray(begin).reshape(-1)]
        pe = [int(v) for v in np.asarray(end).reshape(-1)]
        if len(pb) != data.ndim or len(pe) != data.ndim:
            raise _runtime_error(self, f"pads {pb}, {pe} do not match rank {data.ndim}")
        if not self.allow_negative and any(p < 0 for p in pb + pe):
            raise _runtime_error(self, f"negative pads {pb}, {pe} need Pad-12")
        mode = self._attrs["pad_mode"]
        widths = [(max(b, 0), max(e, 0)) for b, e in zip(pb, pe)]
        try:
            if mode == "constant":
                if value is not None:
                    fill = np.asarray(value).reshape(-1)[0]
                elif data.dtype == object:
                    fill = b""
                else:
                    fill = data.dtype.type(0)
                out = np.pad(data, widths, mode="constant", constant_values=fill)
            else:
                for i, (n, (b, e)) in enumerate(zip(data.shape, widths)):
                    limit = {"reflect": n - 1, "symmetric": n, "edge": n if n else 0}[mode]
                    if (b or e) and (max(b, e) > limit or n == 0):
                        raise ValueError(f"pads ({b}, {e}) at axis {i} do not fit dimension {n}")
                out = np.pad(data, widths, mode=mode)
        except ValueError as e:
            raise _runtime_error(self, f"cannot pad shape {list(data.shape)} by {pb}, {pe} in "
                                 f"{mode} mode: {e}") from None
        crop = tuple(slice(max(-b, 0), out.shape[i] - max(-e, 0))
                     for i, (b, e) in enumerate(zip(pb, pe)))
        if any(max(-b, 0) + max(-e, 0) > out.shape[i] for i, (b, e) in enumerate(zip(pb, pe))):
            raise _runtime_error(self, f"pads {pb}, {pe} crop more than shape "
                                 f"{list(data.shape)}")
        return np.ascontiguousarray(out[crop]).astype(data.dtype, copy=False)


class Pad1(_PadBase):
    """Pad v1: non-negative pads."""

    type_name = "Pad"
    version = "opset1"
    attributes = {"pad_mode": Attr.enum("constant")}


class Pad(_PadBase):
    """Pad v12: negative pads crop."""

    type_name = "Pad"
    version = "opset12"
    attributes = {"pad_mode": Attr.enum("constant")}
    allow_negative = True


# --- DepthToSpace / SpaceToDepth / ShuffleChannels ---------------------------------------------
_BLOCK_MODES = ("blocks_first", "depth_first")


def _check_block_attrs(node: Node) -> tuple[int, str]:
    bs = node._attrs["block_size"]
    mode = node._attrs["mode"]
    node.check(bs > 0, f"Attribute 'block_size' must be greater than zero, got {bs}")
    node.check(mode in _BLOCK_MODES, f"Attribute 'mode' must be one of "
               f"{', '.join(_BLOCK_MODES)}, got '{mode}'")
    return bs, mode


class _BlockMove(Node):
    """DepthToSpace and SpaceToDepth: one data input of rank >= 3, ``block_size`` and
    ``mode``; the output shape comes from ``_block_dims``."""

    attributes = {"block_size": Attr.int(1), "mode": Attr.enum()}
    _block_dims: Callable[[PartialShape, int, int], list[Dimension]]

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 1, f"{self.type_name} takes one input")
        bs, _ = _check_block_attrs(self)
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        if data.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        self.check(len(data) >= 3, f"The input tensor with rank lower than 3 is not supported "
                   f"(input shape {data})")
        self.set_output_type(0, et, PartialShape(self._block_dims(data, bs, len(data) - 2)))


class DepthToSpace(_BlockMove):
    """Moves blocks of channels into spatial blocks: ``[N, C*bs^k, D1..Dk]`` ->
    ``[N, C, D1*bs..Dk*bs]``; ``mode`` says whether the block index comes first
    (``blocks_first``) or after the channel (``depth_first``) in the input depth."""

    type_name = "DepthToSpace"
    version = "opset1"

    def _block_dims(self, data: PartialShape, bs: int, k: int) -> list[Dimension]:
        dims = [Dimension(data[0]), _divide(self, data[1], bs ** k, "DepthToSpace channels")]
        return dims + [d._mul(bs) for d in list(data)[2:]]

    def reference(self, data: np.ndarray) -> np.ndarray:
        bs, mode = self._attrs["block_size"], self._attrs["mode"]
        n, c, *spatial = data.shape
        k = len(spatial)
        if c % bs ** k:
            raise _runtime_error(self, f"channels {c} not divisible by {bs}^{k}")
        cc = c // bs ** k
        if mode == "blocks_first":
            x = data.reshape([n] + [bs] * k + [cc] + spatial)
            # axes: 0 n, 1..k blocks, k+1 channel, k+2.. spatial
            perm = [0, k + 1]
            for i in range(k):
                perm += [k + 2 + i, 1 + i]
        else:
            x = data.reshape([n, cc] + [bs] * k + spatial)
            perm = [0, 1]
            for i in range(k):
                perm += [k + 2 + i, 2 + i]
        return np.ascontiguousarray(x.transpose(perm)).reshape(
            [n, cc] + [s * bs for s in spatial])


class SpaceToDepth(_BlockMove):
    """Moves spatial blocks into channels: ``[N, C, D1*bs..Dk*bs]`` ->
    ``[N, C*bs^k, D1..Dk]`` (inverse of DepthToSpace for the same mode)."""

    type_name = "SpaceToDepth"
    version = "opset1"

    def _block_dims(self, data: PartialShape, bs: int, k: int) -> list[Dimension]:
        dims = [Dimension(data[0]), data[1]._mul(bs ** k)]
        return dims + [_divide(self, d, bs, f"SpaceToDepth spatial axis {i + 2}")
                       for i, d in enumerate(list(data)[2:])]

    def reference(self, data: np.ndarray) -> np.ndarray:
        bs, mode = self._attrs["block_size"], self._attrs["mode"]
        n, c, *spatial = data.shape
        k = len(spatial)
        if any(s % bs for s in spatial):
            raise _runtime_error(self, f"spatial dimensions {spatial} not divisible by {bs}")
        small = [s // bs for s in spatial]
        view = [n, c]
        for s in small:
            view += [s, bs]
        x = data.reshape(view)
        # axes: 0 n, 1 c, 2+2i reduced spatial i, 3+2i block i
        blocks = [3 + 2 * i for i in range(k)]
        reduced = [2 + 2 * i for i in range(k)]
        perm = [0] + (blocks + [1] if mode == "blocks_first" else [1] + blocks) + reduced
        return np.ascontiguousarray(x.transpose(perm)).reshape([n, c * bs ** k] + small)


class ShuffleChannels(Node):
    """Splits ``axis`` into ``group`` groups and interleaves them (a transpose of the
    ``[group, C/group]`` split of that axis)."""

    type_name = "ShuffleChannels"
    version = "opset1"
    attributes = {"axis": Attr.int(1), "group": Attr.int(1)}

    def validate_and_infer_types(self) -> None:
        inputs = self._inputs
        if len(inputs) != 1:
            self.fail("ShuffleChannels takes one input")
        group = self._attrs["group"]
        if not group >= 1:
            self.fail(f"The 'group' parameter must be greater or equal to 1, got {group}")
        x = inputs[0]
        x = x._node._outputs[x._index]
        data = x.partial_shape
        dims = data._dims
        if dims is not None:
            if not dims:
                self.fail("The input tensor's shape is expected to be at least 1D")
            d = dims[normalize_axis(self, self._attrs["axis"], len(dims))]
            if d._max is None or d._min != d._max or d._min % group:  # else divisible
                _divide(self, d, group, "ShuffleChannels channel dimension")
        self.set_output_type(0, x.element_type, PartialShape(data))

    def reference(self, data: np.ndarray) -> np.ndarray:
        group = self._attrs["group"]
        axis = self._attrs["axis"]
        axis = axis + data.ndim if axis < 0 else axis
        shape = data.shape
        c = shape[axis]
        if c % group:
            raise _runtime_error(self, f"dimension {c} is not divisible by group {group}")
        pre = int(np.prod(shape[:axis], dtype=np.int64))
        post = int(np.prod(shape[axis + 1:], dtype=np.int64))
        x = data.reshape(pre, group, c // group, post).transpose(0, 2, 1, 3)
        return np.ascontiguousarray(x).reshape(shape)


# --- factories ------------------------------------------------------------------------------------
def _as_i64(value: Any) -> Any:
    """Python lists/ints given for index-like inputs become i64 constants."""
    if isinstance(value, (list, tuple, int, np.integer)) and not isinstance(value, bool):
        return np.asarray(value, dtype=np.int64)
    return value


@factory("transpose", since=1)
def transpose(data: Any, input_order: Any, name: str | None = None) -> Transpose:
    """Permute the dimensions of ``data`` by ``input_order``."""
    return Transpose(data, _as_i64(input_order), name=name)


@factory("concat", since=1)
def concat(nodes: list[Any], axis: int, name: str | None = None) -> Concat:
    """Concatenate ``nodes`` along ``axis``."""
    return Concat(*[as_output(n) for n in nodes], axis=axis, name=name)


@factory("split", since=1)
def split(data: Any, axis: Any, num_splits: int, name: str | None = None) -> Split:
    """Split ``data`` along ``axis`` into ``num_splits`` equal parts (one output each)."""
    return Split(data, _as_i64(axis), num_splits=num_splits, name=name)


@factory("variadic_split", since=1)
def variadic_split(data: Any, axis: Any, split_lengths: Any, name: str | None = None
                   ) -> VariadicSplit:
    """Split ``data`` along ``axis`` into parts of ``split_lengths`` (one may be -1)."""
    return VariadicSplit(data, _as_i64(axis), _as_i64(split_lengths), name=name)


@factory("tile", since=1)
def tile(data: Any, repeats: Any, name: str | None = None) -> Tile:
    """Repeat ``data`` ``repeats[i]`` times along each axis."""
    return Tile(data, _as_i64(repeats), name=name)


def _broadcast_args(data: Any, target_shape: Any, axes_mapping: Any) -> tuple:
    args = (data, _as_i64(target_shape))
    if axes_mapping is not None:
        args += (_as_i64(axes_mapping),)
    return args


@factory("broadcast", since=1)
def broadcast(data: Any, target_shape: Any, axes_mapping: Any = None, mode: str = "NUMPY",
              name: str | None = None) -> Broadcast1:
    """Broadcast ``data`` to ``target_shape`` (mode NUMPY, EXPLICIT with ``axes_mapping``,
    or PDPD)."""
    return Broadcast1(*_broadcast_args(data, target_shape, axes_mapping), mode=mode, name=name)


@factory("broadcast", since=3)
def broadcast3(data: Any, target_shape: Any, axes_mapping: Any = None,
               broadcast_spec: str = "NUMPY", name: str | None = None) -> Broadcast:
    """Broadcast ``data`` to ``target_shape`` (NUMPY, EXPLICIT with ``axes_mapping``,
    BIDIRECTIONAL or PDPD)."""
    return Broadcast(*_broadcast_args(data, target_shape, axes_mapping), mode=broadcast_spec,
                     name=name)


def _pad_args(arg: Any, pads_begin: Any, pads_end: Any, arg_pad_value: Any) -> tuple:
    args = (arg, _as_i64(pads_begin), _as_i64(pads_end))
    if arg_pad_value is not None:
        value = arg_pad_value
        if not hasattr(value, "get_element_type") and not hasattr(value, "get_node"):
            et = as_output(arg).get_element_type()
            value = np.asarray(value, dtype=et.evaluation_dtype if et.is_static() else None)
        args += (value,)
    return args


@factory("pad", since=1)
def pad(arg: Any, pads_begin: Any, pads_end: Any, pad_mode: str, arg_pad_value: Any = None,
        name: str | None = None) -> Pad1:
    """Pad ``arg`` by ``pads_begin``/``pads_end`` (non-negative) in ``pad_mode`` (constant,
    edge, reflect, symmetric)."""
    return Pad1(*_pad_args(arg, pads_begin, pads_end, arg_pad_value), pad_mode=pad_mode,
                name=name)


@factory("pad", since=12)
def pad12(arg: Any, pads_begin: Any, pads_end: Any, pad_mode: str, arg_pad_value: Any = None,
          name: str | None = None) -> Pad:
    """Pad ``arg`` by ``pads_begin``/``pads_end`` (negative values crop) in ``pad_mode``."""
    return Pad(*_pad_args(arg, pads_begin, pads_end, arg_pad_value), pad_mode=pad_mode,
               name=name)


@factory("depth_to_space", since=1)
def depth_to_space(node: Any, mode: str, block_size: int = 1, name: str | None = None
                   ) -> DepthToSpace:
    """Rearrange depth blocks into spatial blocks (``mode`` blocks_first or depth_first)."""
    return DepthToSpace(node, mode=mode, block_size=block_size, name=name)


@factory("space_to_depth", since=1)
def space_to_depth(data: Any, mode: str, block_size: int = 1, name: str | None = None
                   ) -> SpaceToDepth:
    """Rearrange spatial blocks into depth (``mode`` blocks_first or depth_first)."""
    return SpaceToDepth(data, mode=mode, block_size=block_size, name=name)


@factory("shuffle_channels", since=1)
def shuffle_channels(data: Any, axis: int, group: int, name: str | None = None
                     ) -> ShuffleChannels:
    """Shuffle the ``axis`` dimension of ``data`` in ``group`` groups."""
    return ShuffleChannels(data, axis=axis, group=group, name=name)
