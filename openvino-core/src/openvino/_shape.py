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

    __hash__ = None  # mutable (its symbol) and unhashable, as in OpenVINO

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._symbol: Symbol | None = None
        if not kwargs and len(args) == 1 and type(args[0]) is int and args[0] >= 0:
            self._min = self._max = args[0]  # the common case
            return
        if kwargs:
            args = _dimension_keywords(args, kwargs)
        if not args:
            self._min, self._max = 0, None
        elif len(args) == 1:
            v = args[0]
            if isinstance(v, Dimension):  # a copy (an extension: OpenVINO has no such overload)
                self._min, self._max, self._symbol = v._min, v._max, v._symbol
            elif isinstance(v, str):
                d = _parse_dimension(v)
                self._min, self._max = d._min, d._max
            elif _is_index(v):
                v = int(v)
                if v == -1:
                    self._min, self._max = 0, None
                elif v < 0:
                    raise RuntimeError(f"Dimension value must be non-negative or -1, got {v}")
                else:
                    self._min = self._max = v
            else:
                raise _constructor_error(args, kwargs)
        elif len(args) == 2:
            if not (_is_index(args[0]) and _is_index(args[1])):
                raise _constructor_error(args, kwargs)
            lo, hi = int(args[0]), int(args[1])
            lo = max(lo, 0)
            self._min = lo
            self._max = None if hi < 0 else hi
            if self._max is not None and self._max < lo:
                raise RuntimeError(f"Dimension interval is empty: min {lo} > max {hi}")
        else:
            raise _constructor_error(args, kwargs)

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
        return _parse_dimension(text)

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
    # The public methods take a Dimension, as OpenVINO's do (an int is a TypeError); the
    # underscored ones also take an int, for shape inference.
    def compatible(self, dim: Dimension) -> bool:
        """Whether the two intervals overlap."""
        _require(dim, Dimension, "compatible", self, "dim")
        return self._compatible(dim)

    def same_scheme(self, dim: Dimension) -> bool:
        """Both static and equal, or both dynamic (any intervals)."""
        _require(dim, Dimension, "same_scheme", self, "dim")
        if self.is_static and dim.is_static:
            return self._min == dim._min
        return self.is_dynamic and dim.is_dynamic

    def relaxes(self, dim: Dimension) -> bool:
        """Whether this interval contains ``dim``'s."""
        _require(dim, Dimension, "relaxes", self, "dim")
        return self._relaxes(dim)

    def refines(self, dim: Dimension) -> bool:
        """Whether ``dim``'s interval contains this one."""
        _require(dim, Dimension, "refines", self, "dim")
        return dim._relaxes(self)

    def _compatible(self, other: Any) -> bool:
        o = _dim(other)
        hi_a = self._max if self._max is not None else float("inf")
        hi_b = o._max if o._max is not None else float("inf")
        return max(self._min, o._min) <= min(hi_a, hi_b)

    def _relaxes(self, other: Any) -> bool:
        o = _dim(other)
        hi_a = self._max if self._max is not None else float("inf")
        hi_b = o._max if o._max is not None else float("inf")
        return self._min <= o._min and hi_a >= hi_b

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

    # --- interval arithmetic for shape inference (OpenVINO's Python Dimension has no
    # operators: ``+``, ``*``, ``&`` ... are TypeErrors there, and here) ------------
    def _add(self, other: Any) -> Dimension:
        o = _dim(other)
        hi = None if self._max is None or o._max is None else self._max + o._max
        return Dimension._interval(self._min + o._min, hi)

    def _sub(self, other: Any) -> Dimension:
        o = _dim(other)
        lo = self._min - (o._max if o._max is not None else self._min)
        hi = None if self._max is None else self._max - o._min
        if hi is not None and hi < 0:
            hi = 0
        return Dimension._interval(max(lo, 0), hi)

    def _mul(self, other: Any) -> Dimension:
        o = _dim(other)
        if self._max is not None and self._min == self._max and o._max is not None \
                and o._min == o._max:  # both static
            return Dimension._static(self._min * o._min)
        if self.is_static and self._min == 0 or o.is_static and o._min == 0:
            return Dimension(0)
        hi = None if self._max is None or o._max is None else self._max * o._max
        return Dimension._interval(self._min * o._min, hi)

    def _floordiv(self, other: Any) -> Dimension:
        o = _dim(other)
        if o.is_static and o._min == 0:
            raise RuntimeError("Dimension division by zero")
        lo = self._min // (o._max if o._max else max(self._min, 1)) if o._max else 0
        hi = None if self._max is None else self._max // max(o._min, 1)
        return Dimension._interval(lo, hi)

    # --- comparison / text ---------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        # OpenVINO converts an int to a Dimension (-1: dynamic); a str, float or
        # anything else is not equal.
        if isinstance(other, Dimension):
            return self._min == other._min and self._max == other._max
        if _is_index(other):
            v = int(other)
            if v == -1:
                return self._min == 0 and self._max is None
            return v >= 0 and self._min == self._max == v
        return NotImplemented

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError("cannot pickle 'openvino._pyopenvino.Dimension' object")

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


# --- argument checks worded as OpenVINO's Python binding words them -------------------

_DIMENSION_OVERLOADS = (
    "    1. openvino._pyopenvino.Dimension()\n"
    "    2. openvino._pyopenvino.Dimension(dimension: typing.SupportsInt | typing.SupportsIndex)\n"
    "    3. openvino._pyopenvino.Dimension(min_dimension: typing.SupportsInt | "
    "typing.SupportsIndex, max_dimension: typing.SupportsInt | typing.SupportsIndex)\n"
    "    4. openvino._pyopenvino.Dimension(str: str)\n")


def _is_index(value: Any) -> bool:
    """An int, a numpy integer or anything with ``__index__`` (never a float or a str)."""
    return isinstance(value, (int, np.integer)) or (
        not isinstance(value, (float, str)) and hasattr(type(value), "__index__"))


def _invoked_with(args: tuple, kwargs: dict) -> str:
    parts = [repr(a) for a in args]
    if kwargs:
        parts.append("kwargs: " + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()))
    return ", ".join(parts)


def _constructor_error(args: tuple, kwargs: dict) -> TypeError:
    return TypeError("__init__(): incompatible constructor arguments. The following argument "
                     "types are supported:\n" + _DIMENSION_OVERLOADS
                     + "\nInvoked with: " + _invoked_with(args, kwargs))


def _dimension_keywords(args: tuple, kwargs: dict) -> tuple:
    """The positional form of ``Dimension(dimension=)``, ``Dimension(min_dimension=,
    max_dimension=)`` and ``Dimension(str=)``."""
    names = set(kwargs)
    if not args and names in ({"dimension"}, {"str"}):
        return (next(iter(kwargs.values())),)
    if names == {"min_dimension", "max_dimension"} and not args:
        return kwargs["min_dimension"], kwargs["max_dimension"]
    if names == {"max_dimension"} and len(args) == 1:
        return args[0], kwargs["max_dimension"]
    raise _constructor_error(args, kwargs)


def _require(value: Any, cls: type, method: str, self: Any, arg: str) -> None:
    if not isinstance(value, cls):
        name = f"openvino._pyopenvino.{cls.__name__}"
        raise TypeError(f"{method}(): incompatible function arguments. The following argument "
                        f"types are supported:\n    1. (self: {name}, {arg}: {name}) -> bool\n"
                        f"\nInvoked with: {self!r}, {value!r}")


def _parse_dimension(text: str) -> Dimension:
    """A dimension from OpenVINO's text: ``3``, ``?``/``-1``, ``1..5``, ``..5``, ``2..``
    (and, as OpenVINO reads it, ``""`` is 0)."""
    t = text.strip()
    if t in ("?", "-1"):
        return Dimension()
    lo, sep, hi = t.partition("..")
    lo, hi = lo.strip(), hi.strip()
    for part, what in ((lo, "min bound" if sep else "dimension"), (hi, "max bound")):
        if part and not (part.isascii() and part.isdigit()):
            raise RuntimeError(f'Cannot parse {what}: "{part if sep else t}"')
    if not sep:
        return Dimension(int(lo) if lo else 0)
    return Dimension(int(lo) if lo else 0, int(hi) if hi else -1)


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
    __hash__ = None  # mutable and unhashable, as in OpenVINO

    def __init__(self, dims: Any) -> None:
        kind = type(dims)
        if kind is not list and kind is not tuple:  # lists and tuples go straight below
            if dims is None:
                raise TypeError("__init__(): incompatible constructor arguments: PartialShape "
                                "takes a PartialShape, a Shape, a list or tuple of dimensions "
                                "or a str, not None")
            if isinstance(dims, PartialShape):
                self._dims = None if dims._dims is None else _copy_dims(dims._dims)
                return
            if isinstance(dims, str):
                self._dims = PartialShape.from_string(dims)._dims
                return
            if isinstance(dims, (int, np.integer, float)):
                raise TypeError("__init__(): incompatible constructor arguments: PartialShape "
                                "takes a PartialShape, a Shape, a list or tuple of dimensions "
                                f"or a str, not {type(dims).__name__}")
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
        if isinstance(rank, Dimension):
            if rank.is_dynamic:
                return PartialShape._of(None)
            r = rank.get_length()
        else:
            r = int(rank)
        if r < 0:
            return PartialShape._of(None)
        return PartialShape._of([Dimension() for _ in range(r)])

    @staticmethod
    def from_string(text: str) -> PartialShape:
        t = text.strip()
        if t in ("...", "[...]"):
            return PartialShape._of(None)
        if t.startswith("["):
            if not t.endswith("]"):
                raise RuntimeError(f"Cannot parse shape: '{text}'")
            t = t[1:-1]
        t = t.strip()
        if not t:
            return PartialShape._of([])
        fields = t.split(",")
        if any(not f.strip() for f in fields):
            raise RuntimeError(f'Cannot get vector of dimensions! "{text}" is incorrect')
        return PartialShape._of([Dimension.from_string(p) for p in fields])

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
            raise RuntimeError(f"to_shape was called on a dynamic shape: {self}")
        return Shape([d._min for d in self._dims])

    def get_shape(self) -> Shape:
        if not self.is_static:
            raise RuntimeError(f"get_shape() must be called on a static shape, not {self}")
        return Shape([d._min for d in self._dims])

    def get_dimension(self, index: int) -> Dimension:
        """The dimension at ``index`` (0 .. rank-1)."""
        if self._dims is None or not 0 <= index < len(self._dims):
            raise RuntimeError(f"Accessing out-of-range dimension {index} of shape {self}")
        return self._dims[index]

    def get_min_shape(self) -> Shape:
        if self._dims is None:
            return Shape([])
        return Shape([d._min for d in self._dims])

    def get_max_shape(self) -> Shape:
        if self._dims is None:
            return Shape([])
        return Shape([d.get_max_length() if d._max is not None else 2**63 - 1
                      for d in self._dims])

    # The public methods take a PartialShape, as OpenVINO's do; the underscored ones also
    # take a Shape, a list or a str, for the runtime's own checks.
    def compatible(self, shape: PartialShape) -> bool:
        _require(shape, PartialShape, "compatible", self, "shape")
        return self._compatible(shape)

    def same_scheme(self, shape: PartialShape) -> bool:
        _require(shape, PartialShape, "same_scheme", self, "shape")
        if self._dims is None or shape._dims is None:
            return self._dims is None and shape._dims is None
        return len(self._dims) == len(shape._dims) and all(
            a.same_scheme(b) for a, b in zip(self._dims, shape._dims)
        )

    def relaxes(self, shape: PartialShape) -> bool:
        _require(shape, PartialShape, "relaxes", self, "shape")
        return self._relaxes(shape)

    def refines(self, shape: PartialShape) -> bool:
        _require(shape, PartialShape, "refines", self, "shape")
        return shape._relaxes(self)

    def _compatible(self, other: Any) -> bool:
        o = _pshape(other)
        if self._dims is None or o._dims is None:
            return True
        return len(self._dims) == len(o._dims) and all(
            a._compatible(b) for a, b in zip(self._dims, o._dims)
        )

    def _relaxes(self, other: Any) -> bool:
        o = _pshape(other)
        if self._dims is None:
            return True
        if o._dims is None or len(o._dims) != len(self._dims):
            return False
        return all(a._relaxes(b) for a, b in zip(self._dims, o._dims))

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
        # a shape of dynamic rank iterates over nothing, as in OpenVINO (len() raises)
        return iter(() if self._dims is None else self._dims)

    def _position(self, index: Any) -> int:
        """``index`` checked against the rank (``RuntimeError`` out of range, as OpenVINO)."""
        if not _is_index(index):
            raise TypeError(f"PartialShape indices must be integers or slices, not "
                            f"{type(index).__name__}")
        i = int(index)
        n = -1 if self._dims is None else len(self._dims)
        if not -n <= i < n:
            raise RuntimeError(f"Accessing out-of-range dimension {i} of shape {self}")
        return i

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            if self._dims is None:
                raise RuntimeError("A shape of dynamic rank cannot be sliced")
            return PartialShape._of(self._dims[index])
        return self._dims[self._position(index)]

    def __setitem__(self, index: int, value: Any) -> None:
        index = self._position(index)
        if not (isinstance(value, Dimension) or _is_index(value)):
            raise TypeError("__setitem__(): incompatible function arguments: a dimension of a "
                            f"PartialShape is set to a Dimension or an int, not {value!r}")
        self._dims[index] = _to_dim(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (PartialShape, Shape)):
            o = _pshape(other)
            if self._dims is None or o._dims is None:
                return self._dims is None and o._dims is None
            return self._dims == o._dims
        if isinstance(other, (list, tuple)):
            # OpenVINO compares a list or tuple as a static Shape (a str is never equal)
            if not self.is_static:
                raise TypeError(f"Cannot compare dynamic shape with {type(other)}")
            if len(other) != len(self._dims):
                return False
            for v in other:
                if not _is_index(v):
                    raise RuntimeError(f"Unable to cast Python instance of type {type(v)} to "
                                       "C++ type 'ov::Shape'")
            return [d._min for d in self._dims] == [int(v) for v in other]
        return NotImplemented

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
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise TypeError("Two elements are expected in tuple(lower, upper) for dynamic "
                            f"dimension, but {len(value)} elements were given.")
        if not (_is_index(value[0]) and _is_index(value[1])):
            raise TypeError(f"Incorrect pair of types ({type(value[0])}, {type(value[1])}) "
                            "for dynamic dimension, ints are expected.")
        return Dimension(int(value[0]), int(value[1]))
    if isinstance(value, str):
        return _parse_dimension(value)
    if _is_index(value):
        return Dimension(int(value))
    raise TypeError(f"Incorrect type {type(value)} for dimension. Expected types are: int, str, "
                    "openvino.Dimension, list/tuple with lower and upper values for dynamic "
                    "dimension.")


def _pshape(value: Any) -> PartialShape:
    if isinstance(value, PartialShape):
        return value
    if isinstance(value, Shape):
        return PartialShape._static(value._dims)
    return PartialShape(value)


class Shape:
    """A static shape: a list of non-negative ints."""

    __slots__ = ("_dims",)
    __hash__ = None  # mutable and unhashable, as in OpenVINO

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
                if not _is_index(d) or int(d) < 0:
                    raise TypeError("__init__(): incompatible constructor arguments: Shape "
                                    "takes non-negative ints, got " + repr(d))
                d = int(d)
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

    def __setitem__(self, index: int, value: Any) -> None:
        if isinstance(value, Dimension):
            value = value.get_length()  # a dynamic one raises, as in OpenVINO
        if not _is_index(value) or int(value) < 0:
            raise TypeError(f"A Shape dimension is a non-negative int, got {value!r}")
        self._dims[index] = int(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Shape):
            return self._dims == other._dims
        if isinstance(other, (list, tuple)):
            return self._dims == [int(v) for v in other]
        if isinstance(other, PartialShape):
            return other == self
        return NotImplemented

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError(f"cannot pickle 'openvino._pyopenvino.{type(self).__name__}' object")

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
