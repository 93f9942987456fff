"""Ops that change only the shape of a tensor, and the shape as a value: Reshape, Squeeze,
Unsqueeze and ShapeOf.

``shape_value(output)`` is the shape-tensor analysis these ops (and Broadcast, Tile ...)
share: the elements of a 1-D integer tensor that describes a shape, as far as the graph
determines them, including dynamic dimensions that flow out of ``ShapeOf``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape, _copy_dim
from .._type import Type
from ._infer import constant_value, normalize_axis

__all__ = ["Reshape", "Squeeze0", "Squeeze", "Unsqueeze", "ShapeOf0", "ShapeOf",
           "shape_value", "as_dimension"]

# ops whose output holds the same values as their first input (re-laid out or converted)
_VALUE_PRESERVING = ("Convert", "Squeeze", "Unsqueeze", "Reshape")


def shape_value(output: Any, _depth: int = 0) -> list[Any] | None:
    """The elements of ``output`` (a scalar or 1-D integer tensor) when the graph determines
    them: an ``int`` for a known value (possibly negative, e.g. Reshape's ``-1``) or a
    ``Dimension`` for a value known only as an interval (a dynamic dimension read by
    ``ShapeOf``). ``None`` when nothing is known.

    A ``Dimension`` taken from ``ShapeOf`` is the very object of the measured shape, so a
    consumer can recognise "the same dimension" by identity; never mutate it."""
    value = constant_value(output)
    if value is not None:
        if value.ndim > 1:
            return None
        return [int(v) for v in value.reshape(-1)]
    node = output.get_node()
    tn = node.type_name
    if _depth > 32:
        return None
    if tn == "ShapeOf":
        ps = node.get_input_partial_shape(0)
        if ps.rank.is_dynamic:
            return None
        return [d.get_length() if d.is_static else d for d in ps]
    out_rank = node.get_output_partial_shape(output.get_index()).rank
    if out_rank.is_dynamic or out_rank.get_length() > 1:
        return None
    if tn == "Concat":
        items: list[Any] = []
        for src in node.input_values():
            part = shape_value(src, _depth + 1)
            if part is None:
                return None
            items.extend(part)
        return items
    if tn in _VALUE_PRESERVING and node.get_input_size() >= 1:
        return shape_value(node.input_value(0), _depth + 1)
    if tn == "Gather" and node.get_input_size() == 3:
        data = shape_value(node.input_value(0), _depth + 1)
        indices = constant_value(node.input_value(1))
        axis = constant_value(node.input_value(2))
        if data is None or indices is None or axis is None or int(axis.reshape(-1)[0]) not in (
                0, -1) or indices.ndim > 1:
            return None
        n = len(data)
        picked = []
        for i in indices.reshape(-1):
            i = int(i)
            if not -n <= i < n:
                return None
            picked.append(data[i + n if i < 0 else i])
        return picked
    return None


def as_dimension(item: Any) -> Dimension:
    """A ``shape_value`` item as a ``Dimension`` (negative ints are invalid here)."""
    if isinstance(item, Dimension):
        return item
    if item < 0:
        raise RuntimeError(f"Dimension value must be non-negative, got {item}")
    return Dimension(item)


def _check_integral(node: Node, index: int, what: str) -> None:
    et = node.get_input_element_type(index)
    if not (et.is_dynamic() or et.is_integral_number()):
        node.fail(f"{what} must have an integral element type, got {et.get_type_name()}")


def _check_rank_at_most_one(node: Node, index: int, what: str) -> None:
    dims = node.get_input_partial_shape(index)._dims
    if dims is not None and len(dims) > 1:
        node.fail(f"{what} must be a scalar or a 1D tensor, got shape "
                  f"{node.get_input_partial_shape(index)}")


def _elements_interval(dims: list[Dimension]) -> tuple[int, int | None]:
    """The element count of ``dims`` as an interval ``(lo, hi)``; ``hi`` is None when
    unbounded."""
    if any(d.is_static and d.get_length() == 0 for d in dims):
        return 0, 0
    lo, hi = 1, 1
    for d in dims:
        lo *= d.get_min_length()
        mx = d.get_max_length()
        hi = None if hi is None or mx < 0 else hi * mx
    return lo, hi


def _same_dimension(a: Dimension, b: Dimension) -> bool:
    if a is b:
        return True
    if a.is_static and b.is_static:
        return a.get_length() == b.get_length() and a.get_length() != 0
    return a.has_symbol() and b.has_symbol() and a.get_symbol() == b.get_symbol()


def _cancel_common(inputs: list[Dimension], outputs: list[Dimension]
                   ) -> tuple[list[Dimension], list[Dimension]]:
    """Drop dimensions present on both sides of a reshape (they divide out)."""
    rest_in = list(inputs)
    rest_out = []
    for d in outputs:
        for k, e in enumerate(rest_in):
            if _same_dimension(d, e):
                del rest_in[k]
                break
        else:
            rest_out.append(d)
    return rest_in, rest_out


class Reshape(Node):
    """Gives the data a new shape with the same elements. The target may hold one ``-1``
    (inferred) and, with ``special_zero``, ``0`` (copy the input dimension)."""

    type_name = "Reshape"
    version = "opset1"
    attributes = {"special_zero": Attr.bool()}

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 2, "Reshape takes two inputs (data, shape)")
        _check_integral(self, 1, "Shape pattern")
        _check_rank_at_most_one(self, 1, "Shape pattern")
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        items = shape_value(self.input_value(1))
        if items is None:
            pattern = self.get_input_partial_shape(1)
            if pattern.rank.is_static and (pattern.rank.get_length() == 0 or pattern[0].is_static):
                n = 1 if pattern.rank.get_length() == 0 else pattern[0].get_length()
                self.set_output_type(0, et, PartialShape.dynamic(n))
            else:
                self.set_output_type(0, et, PartialShape.dynamic())
            return
        static = self._static_shape(data, items)
        self.set_output_type(0, et, static if static is not None else self._infer(data, items))

    def _static_shape(self, data: PartialShape, items: list[Any]) -> PartialShape | None:
        """``_infer`` of a static input shape and a pattern of ints that fits it, without
        the interval arithmetic; None for anything else, which ``_infer`` handles or
        rejects."""
        dims = data._dims
        if dims is None:
            return None
        lengths = [d._min for d in dims if d._max == d._min]
        if len(lengths) != len(dims):
            return None
        special_zero = self._attrs["special_zero"]
        out: list[Dimension | None] = []
        minus_one = None
        known = 1
        cancelled: tuple[int, ...] = ()  # empty input dimensions a copy of them cancels
        for i, v in enumerate(items):
            if type(v) is not int or v < -1:
                return None
            if v == -1:
                if minus_one is not None:
                    return None
                minus_one = i
                out.append(None)
            elif v == 0 and special_zero:
                if i >= len(dims):
                    return None
                out.append(_copy_dim(dims[i]))
                if lengths[i]:
                    known *= lengths[i]
                else:  # _infer cancels the very dimension on both sides, even of length 0
                    cancelled += (i,)
            else:
                out.append(Dimension._static(v))
                known *= v
        total = 1
        for k, n in enumerate(lengths):
            if k not in cancelled:
                total *= n
        if minus_one is None:
            if known != total:
                return None
        elif known == 0:
            if total != 0:
                return None
            out[minus_one] = Dimension._static(0)
        else:
            if total % known:
                return None
            out[minus_one] = Dimension._static(total // known)
        return PartialShape._of(out)

    def _infer(self, data: PartialShape, items: list[Any]) -> PartialShape:
        special_zero = self._attrs["special_zero"]
        minus_one = None
        dims: list[Dimension | None] = []
        for i, v in enumerate(items):
            if isinstance(v, Dimension):
                dims.append(v)
            elif v == -1:
                self.check(minus_one is None, "More than one dimension has size of -1 in the "
                           f"shape pattern {items}")
                minus_one = i
                dims.append(None)
            elif v < -1:
                self.fail(f"Dim size cannot be less than -1, got {v} in the shape pattern "
                          f"{items}")
            elif v == 0 and special_zero:
                if data.rank.is_dynamic:
                    dims.append(Dimension())
                else:
                    self.check(i < len(data), f"'0' dimension is out of range: shape pattern "
                               f"{items} copies dimension {i} of input shape {data}")
                    dims.append(data[i])
            else:
                dims.append(Dimension(v))
        known = [d for d in dims if d is not None]
        if data.rank.is_dynamic:
            if minus_one is not None:
                dims[minus_one] = Dimension()
            return PartialShape([Dimension(d) for d in dims])
        rest_in, rest_out = _cancel_common(list(data), known)
        in_lo, in_hi = _elements_interval(rest_in)
        out_lo, out_hi = _elements_interval(rest_out)
        if minus_one is None:
            overlap = (out_hi is None or in_lo <= out_hi) and (in_hi is None or out_lo <= in_hi)
            if not overlap:
                self.fail(f"Requested output shape {PartialShape(dims)} is incompatible with "
                          f"input shape {data}")
        else:
            dims[minus_one] = self._minus_one(data, items, in_lo, in_hi, out_lo, out_hi)
        return PartialShape([Dimension(d) for d in dims])

    def _minus_one(self, data: PartialShape, items: list[Any], in_lo: int, in_hi: int | None,
                   out_lo: int, out_hi: int | None) -> Dimension:
        if out_hi == 0:
            self.check(in_lo == 0, f"Cannot infer '-1' dimension of shape pattern {items}: "
                       f"the other dimensions have no elements but input shape {data} has")
            return Dimension(0) if in_hi == 0 else Dimension()
        if in_hi is not None and in_lo == in_hi and out_hi is not None and out_lo == out_hi:
            self.check(in_lo % out_lo == 0,
                       f"Non-'-1' output dimensions of shape pattern {items} do not evenly "
                       f"divide the input shape {data}")
            return Dimension(in_lo // out_lo)
        lo = 0 if out_hi is None else -(-in_lo // out_hi)
        if in_lo > 0:
            lo = max(lo, 1)
        hi = -1 if in_hi is None else in_hi // max(out_lo, 1)
        self.check(hi < 0 or lo <= hi, f"Requested output shape pattern {items} is "
                   f"incompatible with input shape {data}")
        return Dimension(lo, hi)

    def reference(self, data: np.ndarray, pattern: np.ndarray) -> np.ndarray:
        shape = [int(v) for v in np.asarray(pattern).reshape(-1)]
        if self._attrs["special_zero"]:
            for i, v in enumerate(shape):
                if v == 0:
                    if i >= data.ndim:
                        raise RuntimeError(f"Reshape '{self.get_friendly_name()}': '0' in "
                                           f"pattern {shape} copies dimension {i} of an input "
                                           f"of shape {list(data.shape)}")
                    shape[i] = data.shape[i]
        if shape.count(-1) > 1 or any(v < -1 for v in shape):
            raise RuntimeError(f"Reshape '{self.get_friendly_name()}': invalid shape pattern "
                               f"{shape}")
        if -1 in shape:
            known = int(np.prod([v for v in shape if v != -1], dtype=np.int64))
            if known == 0:
                if data.size:
                    raise RuntimeError(f"Reshape '{self.get_friendly_name()}': cannot infer -1 "
                                       f"in {shape} for input shape {list(data.shape)}")
                shape[shape.index(-1)] = 0
            else:
                if data.size % known:
                    raise RuntimeError(
                        f"Reshape '{self.get_friendly_name()}': requested output shape {shape} "
                        f"is incompatible with input shape {list(data.shape)}")
                shape[shape.index(-1)] = data.size // known
        if int(np.prod(shape, dtype=np.int64)) != data.size:
            raise RuntimeError(f"Reshape '{self.get_friendly_name()}': requested output shape "
                               f"{shape} is incompatible with input shape {list(data.shape)}")
        return data.reshape(shape)


class _SqueezeBase(Node):
    """Removes dimensions of size 1: the listed axes, or every such dimension."""

    def _skip(self) -> bool:
        return bool(self._attrs.get("allow_axis_skip", False))

    def validate_and_infer_types(self) -> None:
        n_in = self.get_input_size()
        self.check(n_in in (1, 2), "Squeeze takes one or two inputs (data[, axes])")
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        axes = None
        if n_in == 2:
            _check_integral(self, 1, "Axes")
            _check_rank_at_most_one(self, 1, "Axes")
            value = constant_value(self.input_value(1))
            if value is None:
                self.set_output_type(0, et, PartialShape.dynamic())
                return
            axes = [int(a) for a in value.reshape(-1)]
        if data.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        dims = list(data)
        if not axes:
            out = []
            for d in dims:
                if d.is_static and d.get_length() == 1:
                    continue
                if d._compatible(1):
                    self.set_output_type(0, et, PartialShape.dynamic())
                    return
                out.append(Dimension(d))
            self.set_output_type(0, et, PartialShape(out))
            return
        rank = len(dims)
        self.check(rank > 0, f"Cannot squeeze axes {axes} of a scalar")
        remove = set()
        for a in axes:
            i = normalize_axis(self, a, rank)
            d = dims[i]
            if d.is_static and d.get_length() == 1:
                remove.add(i)
            elif self._skip():
                if d._compatible(1):
                    self.set_output_type(0, et, PartialShape.dynamic())
                    return
            else:
                self.check(d._compatible(1), f"provided axis value {a} is invalid: only axes of "
                           f"size 1 may be removed, dimension {i} of {data} is {d}")
                remove.add(i)
        self.set_output_type(0, et, PartialShape(
            [Dimension(d) for i, d in enumerate(dims) if i not in remove]))

    def reference(self, data: np.ndarray, axes: np.ndarray | None = None) -> np.ndarray:
        if axes is None or np.asarray(axes).size == 0:
            return data.reshape([d for d in data.shape if d != 1])
        rank = data.ndim
        remove = set()
        for a in np.asarray(axes).reshape(-1):
            a = int(a)
            if not -rank <= a < max(rank, 1):
                raise RuntimeError(f"Squeeze '{self.get_friendly_name()}': axis {a} is out of "
                                   f"range for rank {rank}")
            i = a + rank if a < 0 else a
            if data.shape[i] == 1:
                remove.add(i)
            elif not self._skip():
                raise RuntimeError(f"Squeeze '{self.get_friendly_name()}': dimension {i} of "
                                   f"shape {list(data.shape)} is not 1")
        return data.reshape([d for i, d in enumerate(data.shape) if i not in remove])


class Squeeze0(_SqueezeBase):
    """Squeeze v0 (opset1)."""

    type_name = "Squeeze"
    version = "opset1"


class Squeeze(_SqueezeBase):
    """Squeeze v15: ``allow_axis_skip`` keeps listed axes whose size is not 1 (instead of
    failing); a listed dynamic axis then makes the output rank dynamic."""

    type_name = "Squeeze"
    version = "opset15"
    attributes = {"allow_axis_skip": Attr.bool(False)}


class Unsqueeze(Node):
    """Inserts dimensions of size 1 at the given axes (positions in the output)."""

    type_name = "Unsqueeze"
    version = "opset1"

    def _axes(self, axes: Any, rank: int, fail: Any) -> list[int]:
        raw = sorted({int(a) for a in np.asarray(axes).reshape(-1)})
        out_rank = rank + len(raw)
        norm = []
        for a in raw:
            if not -out_rank <= a < out_rank:
                fail(f"Axis {a} out of the tensor rank range [{-out_rank}, {out_rank - 1}]")
            norm.append(a + out_rank if a < 0 else a)
        if len(set(norm)) != len(norm):
            fail(f"Axes {raw} name the same output dimension more than once")
        return sorted(norm)

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 2, "Unsqueeze takes two inputs (data, axes)")
        _check_integral(self, 1, "Axes")
        _check_rank_at_most_one(self, 1, "Axes")
        et = self.get_input_element_type(0)
        data = self.get_input_partial_shape(0)
        value = constant_value(self.input_value(1))
        if value is None or data.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        self.check(value.size > 0, "'axes' input is mandatory and cannot be empty")
        axes = self._axes(value, len(data), self.fail)
        dims = [Dimension(d) for d in data]
        for a in axes:
            dims.insert(a, Dimension(1))
        self.set_output_type(0, et, PartialShape(dims))

    def reference(self, data: np.ndarray, axes: np.ndarray) -> np.ndarray:
        def fail(msg: str) -> None:
            raise RuntimeError(f"Unsqueeze '{self.get_friendly_name()}': {msg}")

        shape = list(data.shape)
        for a in self._axes(axes, data.ndim, fail):
            shape.insert(a, 1)
        return data.reshape(shape)


class _ShapeOfBase(Node):
    """The shape of the input as a 1-D integer tensor."""

    def _output_type(self) -> Type:
        return Type.i64

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 1, "ShapeOf takes one input")
        rank = self.get_input_partial_shape(0).rank
        self.set_output_type(0, self._output_type(),
                             PartialShape([Dimension(rank) if rank.is_static else Dimension()]))

    def reference(self, data: np.ndarray) -> np.ndarray:
        return np.array(data.shape, dtype=self._output_type().evaluation_dtype)


class ShapeOf0(_ShapeOfBase):
    """ShapeOf v0 (opset1): always i64."""

    type_name = "ShapeOf"
    version = "opset1"


class ShapeOf(_ShapeOfBase):
    """ShapeOf v3: ``output_type`` i64 or i32."""

    type_name = "ShapeOf"
    version = "opset3"
    attributes = {"output_type": Attr.type(Type.i64)}

    def _output_type(self) -> Type:
        return self._attrs["output_type"]

    def validate_and_infer_types(self) -> None:
        ot = self._attrs["output_type"]
        self.check(ot in (Type.i64, Type.i32),
                   f"Attribute 'output_type' must be either i32 or i64, got {ot.get_type_name()}")
        super().validate_and_infer_types()


# --- factories -------------------------------------------------------------------------
@factory("reshape", since=1)
def reshape(node: Any, output_shape: Any, special_zero: bool, name: str | None = None
            ) -> Reshape:
    """Reshape ``node`` to ``output_shape`` (``-1`` inferred; ``0`` copies the input dimension
    when ``special_zero``)."""
    return Reshape(node, _as_i64(output_shape), special_zero=special_zero, name=name)


@factory("squeeze", since=1)
def squeeze(data: Any, axes: Any = None, name: str | None = None) -> Squeeze0:
    """Remove dimensions of size 1 (the given ``axes``, or all of them)."""
    args = (data,) if axes is None else (data, _as_i64(axes))
    return Squeeze0(*args, name=name)


@factory("squeeze", since=15)
def squeeze15(data: Any, axes: Any = None, allow_axis_skip: bool = False,
              name: str | None = None) -> Squeeze:
    """Remove dimensions of size 1; with ``allow_axis_skip`` listed axes that are not 1 are
    kept instead of raising."""
    args = (data,) if axes is None else (data, _as_i64(axes))
    return Squeeze(*args, allow_axis_skip=allow_axis_skip, name=name)


@factory("unsqueeze", since=1)
def unsqueeze(data: Any, axes: Any, name: str | None = None) -> Unsqueeze:
    """Insert dimensions of size 1 at ``axes`` (positions in the output)."""
    return Unsqueeze(data, _as_i64(axes), name=name)


@factory("shape_of", since=1)
def shape_of(data: Any, name: str | None = None) -> ShapeOf0:
    """The shape of ``data`` as an i64 tensor."""
    return ShapeOf0(data, name=name)


@factory("shape_of", since=3)
def shape_of3(data: Any, output_type: Any = "i64", name: str | None = None) -> ShapeOf:
    """The shape of ``data`` as an ``output_type`` (i64 or i32) tensor."""
    return ShapeOf(data, output_type=output_type, name=name)


def _as_i64(value: Any) -> Any:
    """Python lists/ints given for shape-like inputs become i64 constants."""
    if isinstance(value, (list, tuple, int, np.integer)) and not isinstance(value, bool):
        return np.asarray(value, dtype=np.int64)
    return value
