"""``openvino.properties.streams``: the number of parallel execution streams.

``streams.num`` takes an ``int`` or a :class:`Num`; the value it stores is the plain
integer (``Num.AUTO`` -> ``-1``, ``Num.NUMA`` -> ``-2``), and a :class:`Num` compares equal
to that integer.
"""

from __future__ import annotations

import operator
from typing import Any, ClassVar

from openvino.properties._property import ReadWriteProperty
from openvino.properties._value_kinds import INT32, IntKind, PropertyValueError

__all__ = ["Num", "num"]


class Num:
    """A number of streams; ``Num.AUTO`` (-1) lets the device choose, ``Num.NUMA`` (-2)
    asks for one stream per NUMA node. ``Num()`` is ``AUTO``."""

    AUTO: ClassVar[Num]
    NUMA: ClassVar[Num]

    __slots__ = ("_num",)

    def __init__(self, num: int = -1) -> None:
        number = operator.index(num)
        low, high = INT32
        if not low <= number <= high:
            raise TypeError(f"Num(): {number} does not fit in int32")
        self._num = number

    def to_integer(self) -> int:
        """The number of streams as an ``int`` (-1 for AUTO, -2 for NUMA)."""
        return self._num

    def __int__(self) -> int:
        return self._num

    def __index__(self) -> int:
        return self._num

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Num):
            return other._num == self._num
        if isinstance(other, int) and not isinstance(other, bool):
            return other == self._num
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._num)

    def __repr__(self) -> str:
        special = {-1: "AUTO", -2: "NUMA"}.get(self._num)
        return f"<Num: {special or self._num}>"

    def __str__(self) -> str:
        return {-1: "AUTO", -2: "NUMA"}.get(self._num, str(self._num))


Num.AUTO = Num(-1)
Num.NUMA = Num(-2)

_SPECIAL_NAMES = {"AUTO": -1, "NUMA": -2}


class _StreamsNumKind(IntKind):
    """An int32 stream count, a :class:`Num`, or ``"AUTO"``/``"NUMA"``; stored as ``int``."""

    def __init__(self) -> None:
        super().__init__(INT32, "int | streams.Num")

    def coerce(self, value: Any) -> int:
        if isinstance(value, Num):
            return value.to_integer()
        if isinstance(value, str):
            special = _SPECIAL_NAMES.get(value.strip().upper())
            if special is None:
                raise ValueError(f"'{value}' is not a number of streams")
            return special
        return super().coerce(value)

    def parse(self, value: Any) -> int:
        if isinstance(value, str) and value.strip().upper() in _SPECIAL_NAMES:
            return _SPECIAL_NAMES[value.strip().upper()]
        if isinstance(value, Num):
            return value.to_integer()
        try:
            return super().parse(value)
        except PropertyValueError:
            raise PropertyValueError(
                f"expected an int, streams.Num, 'AUTO' or 'NUMA', got {value!r}"
            ) from None


num = ReadWriteProperty(
    "NUM_STREAMS", _StreamsNumKind(), name="num",
    doc="Number of parallel execution streams (int or streams.Num).",
)
