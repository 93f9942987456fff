"""Op attributes: their kinds, defaults, and their text form in the IR ``<data>`` element.

An op class declares ``attributes = {"axis": Attr.int(0), "mode": Attr.str("numpy")}``.
The same declaration drives the Python constructor (keyword arguments), the IR
reader (text -> value) and the IR writer (value -> text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._shape import PartialShape
from ._type import Type, type_from_name

__all__ = ["Attr", "REQUIRED"]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


def _fmt_float(v: float) -> str:
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    if np.isnan(v):
        return "nan"
    if float(v).is_integer() and abs(v) < 1e16:
        return str(int(v))
    return repr(float(v))


def _parse_bool(text: str) -> bool:
    t = text.strip().lower()
    if t in ("true", "1", "yes"):
        return True
    if t in ("false", "0", "no"):
        return False
    raise ValueError(f"'{text}' is not a boolean")


def _parse_list(text: str, conv) -> list:
    t = text.strip()
    if t.startswith("[") and t.endswith("]"):
        t = t[1:-1]
    if not t.strip():
        return []
    return [conv(p.strip()) for p in t.split(",")]


def _parse_float(text: str) -> float:
    return float(text.strip())


def _parse_int(text: str) -> int:
    return int(text.strip())


def _parse_ints(text: str) -> list[int]:
    t = text.strip()
    if t.startswith("[") and t.endswith("]"):
        t = t[1:-1]
    if not t.strip():
        return []
    return [int(p.strip()) for p in t.split(",")]


def _parse_str(text: str) -> str:
    return text


def _parse_enum(text: str) -> str:
    return text.strip().lower()


def _parse_type(text: str) -> Type:
    return type_from_name(text.strip())


def _parse_shape(text: str) -> PartialShape:
    t = text.strip()
    return PartialShape.from_string(t) if t else PartialShape([])


_PARSERS = {
    "int": _parse_int,
    "float": _parse_float,
    "bool": _parse_bool,
    "str": _parse_str,
    "enum": _parse_enum,
    "ints": _parse_ints,
    "floats": lambda text: _parse_list(text, _parse_float),
    "strs": lambda text: _parse_list(text, str),
    "type": _parse_type,
    "shape": _parse_shape,
}


class Attr:
    """One attribute of an op: its kind (how it is parsed and written) and default."""

    __slots__ = ("kind", "default", "ir_name")

    def __init__(self, kind: str, default: Any = REQUIRED, ir_name: str | None = None) -> None:
        self.kind = kind
        self.default = default
        self.ir_name = ir_name

    # constructors for readability in op classes
    @classmethod
    def int(cls, default: Any = REQUIRED) -> Attr:
        return cls("int", default)

    @classmethod
    def float(cls, default: Any = REQUIRED) -> Attr:
        return cls("float", default)

    @classmethod
    def bool(cls, default: Any = REQUIRED) -> Attr:
        return cls("bool", default)

    @classmethod
    def str(cls, default: Any = REQUIRED) -> Attr:
        return cls("str", default)

    @classmethod
    def enum(cls, default: Any = REQUIRED) -> Attr:
        """A string attribute whose values are case-insensitive words (stored lower-case)."""
        return cls("enum", default)

    @classmethod
    def ints(cls, default: Any = REQUIRED) -> Attr:
        return cls("ints", default)

    @classmethod
    def floats(cls, default: Any = REQUIRED) -> Attr:
        return cls("floats", default)

    @classmethod
    def strs(cls, default: Any = REQUIRED) -> Attr:
        return cls("strs", default)

    @classmethod
    def type(cls, default: Any = REQUIRED) -> Attr:
        return cls("type", default)

    @classmethod
    def shape(cls, default: Any = REQUIRED) -> Attr:
        return cls("shape", default)

    # --- conversions --------------------------------------------------------------------
    def coerce(self, value: Any) -> Any:
        """A Python value given to a constructor -> the stored value."""
        k = self.kind
        if value is None:
            return None
        if k == "int":
            return int(value)
        if k == "float":
            return float(value)
        if k == "bool":
            return _parse_bool(value) if isinstance(value, str) else bool(value)
        if k == "str":
            return str(value)
        if k == "enum":
            return str(value).lower()
        if k == "ints":
            if isinstance(value, (int, np.integer)):
                return [int(value)]
            return [int(v) for v in value]
        if k == "floats":
            if isinstance(value, (int, float, np.number)):
                return [float(value)]
            return [float(v) for v in value]
        if k == "strs":
            return [str(v) for v in value]
        if k == "type":
            return value if isinstance(value, Type) else Type(value)
        if k == "shape":
            return value if isinstance(value, PartialShape) else PartialShape(value)
        raise AssertionError(k)

    def parse(self, text: str) -> Any:
        """IR text -> value."""
        return self.parser(text)

    @property
    def parser(self) -> Any:
        """The function ``parse`` applies for this attribute's kind (IR text -> value)."""
        try:
            return _PARSERS[self.kind]
        except KeyError:
            raise AssertionError(self.kind) from None

    def format(self, value: Any) -> str:
        """value -> IR text."""
        k = self.kind
        if k == "bool":
            return "true" if value else "false"
        if k == "float":
            return _fmt_float(value)
        if k in ("ints", "strs"):
            return ",".join(str(v) for v in value)
        if k == "floats":
            return ",".join(_fmt_float(v) for v in value)
        if k == "type":
            return value.get_type_name()
        if k == "shape":
            if value.rank.is_dynamic:
                return "..."
            return ",".join(d.to_string() for d in value)
        return str(value)
