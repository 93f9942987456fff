"""Index vectors of the graph API: ``AxisVector``, ``AxisSet``, ``Coordinate`` and
``CoordinateDiff`` (what some op attributes and helpers hold), as sequences of ints.

Reprs are the binding's; equality compares values (the binding compares identities)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ._shape import Shape

__all__ = ["AxisSet", "AxisVector", "Coordinate", "CoordinateDiff"]


def _ints(cls: type, values: Any, signed: bool) -> list[int]:
    if isinstance(values, (_IndexVector, AxisSet, Shape)):
        return list(values)
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"__init__(): incompatible constructor arguments: {cls.__name__} takes "
                        f"a sequence of ints, got {type(values).__name__}")
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"__init__(): incompatible constructor arguments: {cls.__name__} "
                            f"takes ints, got {v!r}")
        if not signed and v < 0:
            raise TypeError(f"__init__(): incompatible constructor arguments: {cls.__name__} "
                            f"takes non-negative ints, got {int(v)}")
        out.append(int(v))
    return out


class _IndexVector:
    """An ordered, mutable list of ints."""

    __slots__ = ("_values",)
    __hash__ = None
    _signed = False

    def __init__(self, values: Any) -> None:
        self._values = _ints(type(self), values, self._signed)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[int]:
        return iter(self._values)

    def __getitem__(self, index: int) -> int:
        return self._values[index]

    def __setitem__(self, index: int, value: int) -> None:
        self._values[index] = _ints(type(self), [value], self._signed)[0]

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self._values == other._values
        return NotImplemented


class AxisVector(_IndexVector):
    """An ordered list of axes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<AxisVector {" + ", ".join(map(str, self._values)) + "}>"

    __str__ = __repr__


class Coordinate(_IndexVector):
    """A position in a tensor (one index per axis)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<Coordinate>"

    __str__ = __repr__


class CoordinateDiff(_IndexVector):
    """Signed offsets per axis (paddings, for example)."""

    __slots__ = ()
    _signed = True

    def __repr__(self) -> str:
        return f"<CoordinateDiff: ({', '.join(map(str, self._values))})>"

    def __str__(self) -> str:
        return ", ".join(map(str, self._values))


class AxisSet:
    """A set of axes, iterated in increasing order."""

    __slots__ = ("_values",)
    __hash__ = None

    def __init__(self, values: Any) -> None:
        self._values = sorted(set(_ints(AxisSet, values, False)))

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[int]:
        return iter(self._values)

    def __contains__(self, axis: object) -> bool:
        return axis in self._values

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AxisSet):
            return self._values == other._values
        return NotImplemented

    def __repr__(self) -> str:
        return "<AxisSet {" + ", ".join(map(str, self._values)) + "}>"

    __str__ = __repr__
