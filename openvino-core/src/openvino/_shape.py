"""Shapes: ``Dimension`` (static, dynamic or an interval), ``PartialShape``, ``Shape``,
``Strides`` and ``Symbol`` (a tag shared by dimensions known to be equal)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Union

import numpy as np

__all__ = ["Dimension", "PartialShape", "Shape", "Strides", "Symbol"]

_INF = -1  # max length of an unbounded dimension, as the real API reports it
_new_object = object.__new__  # instances made without running __init__ (internal fast paths)


class Symbol:
    """A tag: dimensions carrying the same symbol are known to be equal.

    ``Symbol()`` creates a new, set symbol. A dimension without a symbol reports a
    null symbol, which is falsy.
    """

    __slots__ = ("_null", "__weakref__")

    def __init__(self, _null: bool = False) -> None:
        self._null = _null

    def __bool__(self) -> bool:
        return not self._null

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Symbol):
            return NotImplemented
        if self._null or other._null:
            return self._null and other._null
        return self is other

    def __hash__(self) -> int:
        return 0 if self._null else id(self)

    def __repr__(self) -> str:
        return "<Symbol: null>" if self._null else f"<Symbol: {id(self):#x}>"


class Dimension:
    """One dimension of a shape: static (``Dimension(3)``), fully dynamic
    (``Dimension()`` or ``Dimension(-1)``) or an interval (``Dimension(1, 10)``)."""

    __slots__ = ("_min", "_max", "_symbol")

    def __init__(self, *args: Any) -> None:
        self._symbol: Symbol | None = None
        if len(args) == 1 and type(args[0]) is int and args[0] >= 0:  # the common case
            self._min = self._max = args[0]
            return
        if not args:
            self._min, self._max = 0, None
        elif len(args) == 1:
            v = args[0]
            if isinstance(v, Dimension):
                self._min, self._max, self._symbol = v._min, v._max, v._symbol
            elif isinstance(v, str):
                d = Dimension.from_string(v)
                self._min, self._max = d._min, d._max
            else:
                v = int(v)
                if v == -1:
                    self._min, self._max = 0, None
                elif v < 0:
                    raise RuntimeError(f"Dimension value must be non-negative, got {v}")
                else:
                    self._min = self._max = v
        elif len(args) == 2:
            lo, hi = int(args[0]), int(args[1])
            lo = max(lo, 0)
            self._min = lo
            self._max = None if hi < 0 else hi
            if self._max is not None and self._max < lo:
                raise RuntimeError(f"Dimension interval is empty: min {lo} > max {hi}")
        else:
            raise TypeError("Dimension takes at most two arguments (min, max)")

    @classmethod
    def _static(cls, length: int) -> Dimension:
        """Internal: a static dimension of a non-negative ``int`` length, unchecked."""
        d = _new_object(cls)
        d._min = d._max = length
        d._symbol = None
        return d

    @classmethod
    def _interval(cls, lo: int, hi: int | None) -> Dimension:
        d = _new_object(cls)
        d._min, d._max, d._symbol = max(lo, 0), hi, None
        return d

    @staticmethod
    def dynamic() -> Dimension:
        return Dimension()

    @staticmethod
    def from_string(text: str) -> Dimension:
        t = text.strip()
        if t in ("?", "-1", ""):
            return Dimension()
        if ".." in t:
            lo, hi = t.split("..", 1)
            lo_v = int(lo) if lo.strip() else 0
            hi_v = int(hi) if hi.strip() else -1
            return Dimension(lo_v, hi_v)
        try:
            return Dimension(int(t))
        except ValueError:
            raise RuntimeError(f"Cannot parse dimension: '{text}'") from None

    # --- queries -------------------------------------------------------------
    @property
    def is_static(self) -> bool:
        return self._max is not None and self._min == self._max

    @property
    def is_dynamic(self) -> bool:
        return not self.is_static

    def get_length(self) -> int:
        if not self.is_static:
            raise RuntimeError("Cannot get length of dynamic dimension")
        return self._min

    def __len__(self) -> int:
        return self.get_length()

    def get_min_length(self) -> int:
        return self._min

    def get_max_length(self) -> int:
        return _INF if self._max is None else self._max

    min_length = property(get_min_length)
    max_length = property(get_max_length)

    def get_interval(self) -> tuple[int, int]:
        return self._min, self.get_max_length()

    # --- symbols ---------------------------------------------------------------
    def has_symbol(self) -> bool:
        return self._symbol is not None

    def get_symbol(self) -> Symbol:
        return self._symbol if self._symbol is not None else Symbol(_null=True)

    def set_symbol(self, symbol: Symbol) -> None:
        self._symbol = symbol if symbol else None

    # --- relations ----------------------------------------------------------------
    def compatible(self, other: Any) -> bool:
        o = _dim(other)
        hi_a = self._max if self._max is not None else float("inf")
        hi_b = o._max if o._max is not None else float("inf")
        return max(self._min, o._min) <= min(hi_a, hi_b)

    def same_scheme(self, other: Any) -> bool:
        o = _dim(other)
        if self.is_static and o.is_static:
            return self._min == o._min
        return self.is_dynamic and o.is_dynamic and self._min == o._min and self._max == o._max

    def relaxes(self, other: Any) -> bool:
        o = _dim(other)
        hi_a = self._max if self._max is not None else float("inf")
        hi_b = o._max if o._max is not None else float("inf")
        return self._min <= o._min and hi_a >= hi_b

    def refines(self, other: Any) -> bool:
        return _dim(other).relaxes(self)

    def merge(self, other: Any) -> Dimension | None:
        """The intersection of two dimensions, or ``None`` when they do not overlap."""
        o = _dim(other)
        lo = max(self._min, o._min)
        if self._max is None:
            hi = o._max
        elif o._max is None:
            hi = self._max
        else:
            hi = min(self._max, o._max)
        if hi is not None and hi < lo:
            return None
        d = Dimension._interval(lo, hi)
        d._symbol = self._symbol or o._symbol
        return d

    # --- arithmetic (interval arithmetic, used by shape inference) --------------------
    def __add__(self, other: Any) -> Dimension:
        o = _dim(other)
        hi = None if self._max is None or o._max is None else self._max + o._max
        return Dimension._interval(self._min + o._min, hi)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Dimension:
        o = _dim(other)
        lo = self._min - (o._max if o._max is not None else self._min)
        hi = None if self._max is None else self._max - o._min
        if hi is not None and hi < 0:
            hi = 0
        return Dimension._interval(max(lo, 0), hi)

    def __mul__(self, other: Any) -> Dimension:
        o = _dim(other)
        if self._max is not None and self._min == self._max and o._max is not None \
                and o._min == o._max:  # both static
            return Dimension._static(self._min * o._min)
        if self.is_static and self._min == 0 or o.is_static and o._min == 0:
            return Dimension(0)
        hi = None if self._max is None or o._max is None else self._max * o._max
        return Dimension._interval(self._min * o._min, hi)

    __rmul__ = __mul__

    def __floordiv__(self, other: Any) -> Dimension:
        o = _dim(other)
        if o.is_static and o._min == 0:
            raise RuntimeError("Dimension division by zero")
        lo = self._min // (o._max if o._max else max(self._min, 1)) if o._max else 0
        hi = None if self._max is None else self._max // max(o._min, 1)
        return Dimension._interval(lo, hi)

    def __and__(self, other: Any) -> Dimension:
        m = self.merge(other)
        if m is None:
            raise RuntimeError(f"Dimensions {self} and {other} are not compatible")
        return m

    # --- comparison / text ---------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, (int, np.integer)):
            return self.is_static and self._min == int(other)
        if isinstance(other, str):
            other = Dimension.from_string(other)
        if not isinstance(other, Dimension):
            return NotImplemented
        return self._min == other._min and self._max == other._max

    def __hash__(self) -> int:
        return hash((self._min, self._max))

    def to_string(self) -> str:
        if self.is_static:
            return str(self._min)
        if self._max is None:
            return "?" if self._min == 0 else f"{self._min}.."
        return f"{self._min}..{self._max}" if self._min else f"..{self._max}"

    __str__ = to_string

    def __repr__(self) -> str:
        return f"<Dimension: {self.to_string()}>"


def _static_dims(lengths: Iterable[int]) -> list[Dimension]:
    """Internal: static dimensions for non-negative ``int`` lengths, unchecked."""
    out = []
    append = out.append
    for length in lengths:
        d = _new_object(Dimension)
        d._min = d._max = length
        d._symbol = None
        append(d)
    return out


def _copy_dim(source: Dimension) -> Dimension:
    d = _new_object(Dimension)
    d._min, d._max, d._symbol = source._min, source._max, source._symbol
    return d


def _copy_dims(sources: Iterable[Dimension]) -> list[Dimension]:
    """Internal: a copy of each dimension (``_copy_dim`` without a call per dimension)."""
    out = []
    append = out.append
    for source in sources:
        d = _new_object(Dimension)
        d._min, d._max, d._symbol = source._min, source._max, source._symbol
        append(d)
    return out


def _dim(value: Any) -> Dimension:
    if isinstance(value, Dimension):
        return value
    return Dimension(value)


ShapeLike = Union["PartialShape", "Shape", Iterable[Any], str]


class PartialShape:
    """A shape whose rank and dimensions may be dynamic.

    Built from a list of ints, ``Dimension`` objects, ``-1``, ``(min, max)`` tuples or
    ``"?"``; or from a string such as ``"[1..10,?,3]"`` or ``"1, 3, ..224"``.
    ``PartialShape.dynamic()`` has dynamic rank.
    """

    __slots__ = ("_dims",)

    def __init__(self, dims: Any = None) -> None:
        kind = type(dims)
        if kind is not list and kind is not tuple:  # lists and tuples go straight below
            if dims is None:
                self._dims: list[Dimension] | None = []
                return
            if isinstance(dims, PartialShape):
                self._dims = None if dims._dims is None else _copy_dims(dims._dims)
                return
            if isinstance(dims, str):
                self._dims = PartialShape.from_string(dims)._dims
                return
            if isinstance(dims, (int, np.integer)):
                raise TypeError("PartialShape expects a list of dimensions, not an int")
        out = []
        append = out.append
        for d in dims:  # _to_dim, inlined for the common cases
            if type(d) is int and d >= 0:
                dim = _new_object(Dimension)
                dim._min = dim._max = d
                dim._symbol = None
            elif type(d) is Dimension:
                dim = _new_object(Dimension)
                dim._min, dim._max, dim._symbol = d._min, d._max, d._symbol
            else:
                dim = _to_dim(d)
            append(dim)
        self._dims = out

    @classmethod
    def _of(cls, dims: list[Dimension] | None) -> PartialShape:
        p = _new_object(cls)
        p._dims = dims
        return p

    @classmethod
    def _static(cls, lengths: Iterable[int]) -> PartialShape:
        """Internal: the static shape of non-negative ``int`` lengths, unchecked."""
        p = _new_object(cls)
        p._dims = _static_dims(lengths)
        return p

    @staticmethod
    def dynamic(rank: Any = None) -> PartialShape:
        if rank is None:
            return PartialShape._of(None)
        r = rank.get_length() if isinstance(rank, Dimension) else int(rank)
        if r < 0:
            return PartialShape._of(None)
        return PartialShape._of([Dimension() for _ in range(r)])

    @staticmethod
    def from_string(text: str) -> PartialShape:
        t = text.strip()
        if t in ("...", "[...]", "?"):
            return PartialShape._of(None)
        if t.startswith("["):
            if not t.endswith("]"):
                raise RuntimeError(f"Cannot parse shape: '{text}'")
            t = t[1:-1]
        t = t.strip()
        if not t:
            return PartialShape._of([])
        return PartialShape._of([Dimension.from_string(p) for p in t.split(",")])

    # --- queries ----------------------------------------------------------------
    @property
    def rank(self) -> Dimension:
        return Dimension() if self._dims is None else Dimension(len(self._dims))

    @property
    def is_static(self) -> bool:
        return self._dims is not None and all(d.is_static for d in self._dims)

    @property
    def is_dynamic(self) -> bool:
        return not self.is_static

    @property
    def all_non_negative(self) -> bool:
        return True

    def get_dimensions(self) -> list[Dimension]:
        if self._dims is None:
            raise RuntimeError("A shape of dynamic rank has no dimensions")
        return list(self._dims)

    def to_shape(self) -> Shape:
        if not self.is_static:
            raise RuntimeError(f"to_shape was called on a dynamic shape {self}")
        return Shape([d._min for d in self._dims])

    def get_shape(self) -> Shape:
        return self.to_shape()

    def get_min_shape(self) -> Shape:
        if self._dims is None:
            return Shape([])
        return Shape([d._min for d in self._dims])

    def get_max_shape(self) -> Shape:
        if self._dims is None:
            return Shape([])
        return Shape([d.get_max_length() if d._max is not None else 2**63 - 1
                      for d in self._dims])

    def compatible(self, other: Any) -> bool:
        o = _pshape(other)
        if self._dims is None or o._dims is None:
            return True
        return len(self._dims) == len(o._dims) and all(
            a.compatible(b) for a, b in zip(self._dims, o._dims)
        )

    def same_scheme(self, other: Any) -> bool:
        o = _pshape(other)
        if self._dims is None or o._dims is None:
            return self._dims is None and o._dims is None
        return len(self._dims) == len(o._dims) and all(
            a.same_scheme(b) for a, b in zip(self._dims, o._dims)
        )

    def relaxes(self, other: Any) -> bool:
        o = _pshape(other)
        if self._dims is None:
            return True
        if o._dims is None or len(o._dims) != len(self._dims):
            return False
        return all(a.relaxes(b) for a, b in zip(self._dims, o._dims))

    def refines(self, other: Any) -> bool:
        return _pshape(other).relaxes(self)

    def merge(self, other: Any) -> PartialShape | None:
        o = _pshape(other)
        if self._dims is None:
            return PartialShape(o)
        if o._dims is None:
            return PartialShape(self)
        if len(self._dims) != len(o._dims):
            return None
        out = []
        for a, b in zip(self._dims, o._dims):
            m = a.merge(b)
            if m is None:
                return None
            out.append(m)
        return PartialShape._of(out)

    # --- sequence protocol ------------------------------------------------------------
    def __len__(self) -> int:
        if self._dims is None:
            raise RuntimeError("A shape of dynamic rank has no length")
        return len(self._dims)

    def __iter__(self) -> Iterator[Dimension]:
        if self._dims is None:
            raise RuntimeError("A shape of dynamic rank cannot be iterated")
        return iter(self._dims)

    def __getitem__(self, index: Any) -> Any:
        if self._dims is None:
            raise RuntimeError("A shape of dynamic rank cannot be indexed")
        if isinstance(index, slice):
            return PartialShape._of(self._dims[index])
        return self._dims[index]

    def __setitem__(self, index: int, value: Any) -> None:
        if self._dims is None:
            raise RuntimeError("A shape of dynamic rank cannot be indexed")
        self._dims[index] = _to_dim(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (PartialShape, Shape, list, tuple, str)):
            o = _pshape(other)
            if self._dims is None or o._dims is None:
                return self._dims is None and o._dims is None
            return self._dims == o._dims
        return NotImplemented

    def __hash__(self) -> int:
        return hash(None if self._dims is None else tuple(self._dims))

    def to_string(self) -> str:
        if self._dims is None:
            return "[...]"
        return "[" + ",".join(d.to_string() for d in self._dims) + "]"

    __str__ = to_string

    def __repr__(self) -> str:
        return f"<PartialShape: {self.to_string()}>"

    def __copy__(self) -> PartialShape:
        return PartialShape(self)

    def __deepcopy__(self, memo: Any) -> PartialShape:
        return PartialShape(self)


def _to_dim(value: Any) -> Dimension:
    if type(value) is int and value >= 0:
        return Dimension._static(value)
    if isinstance(value, Dimension):
        return _copy_dim(value)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return Dimension(int(value[0]), int(value[1]))
    if isinstance(value, str):
        return Dimension.from_string(value)
    if isinstance(value, (int, np.integer)):
        return Dimension(int(value))
    raise TypeError(f"Cannot make a dimension from {value!r}")


def _pshape(value: Any) -> PartialShape:
    if isinstance(value, PartialShape):
        return value
    if isinstance(value, Shape):
        return PartialShape._of([Dimension(d) for d in value])
    return PartialShape(value)


class Shape:
    """A static shape: a list of non-negative ints."""

    __slots__ = ("_dims",)

    def __init__(self, dims: Any = ()) -> None:
        if isinstance(dims, Shape):
            self._dims = list(dims._dims)
        elif isinstance(dims, PartialShape):
            self._dims = list(dims.to_shape()._dims)
        elif isinstance(dims, (int, np.integer)):
            self._dims = [0] * int(dims)
        else:
            out = []
            for d in dims:
                if isinstance(d, Dimension):
                    d = d.get_length()
                d = int(d)
                if d < 0:
                    raise RuntimeError(f"Shape dimensions must be non-negative, got {d}")
                out.append(d)
            self._dims = out

    def __len__(self) -> int:
        return len(self._dims)

    def __iter__(self) -> Iterator[int]:
        return iter(self._dims)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return Shape(self._dims[index])
        return self._dims[index]

    def __setitem__(self, index: int, value: int) -> None:
        self._dims[index] = int(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Shape):
            return self._dims == other._dims
        if isinstance(other, (list, tuple)):
            return self._dims == [int(v) for v in other]
        if isinstance(other, PartialShape):
            return other == self
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._dims))

    def to_string(self) -> str:
        return "[" + ",".join(str(d) for d in self._dims) + "]"

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"<Shape: {self.to_string()}>"

    def to_tuple(self) -> tuple[int, ...]:
        return tuple(self._dims)


class Strides(Shape):
    """Strides of a tensor or an op attribute (in elements for ops, bytes for tensors)."""

    def __repr__(self) -> str:
        return f"<Strides: {self.to_string()}>"
