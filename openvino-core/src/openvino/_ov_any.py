"""``OVAny``: the value holder OpenVINO hands out for properties and runtime info.

An ``OVAny`` wraps one Python value. It compares equal to the raw value it holds
(``OVAny("x") == "x"``), hashes like it when the value is hashable, and converts it on
request with :meth:`OVAny.astype` / :meth:`OVAny.aslist`. Conversions understand the text
forms values take in model files and config strings (``"YES"``, ``"true"``, ``"1.5"``,
``"1 2 3"``), so runtime info read back from an IR converts the same way as the value
that was written.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any

__all__ = ["OVAny"]

_TRUE_TEXT = frozenset({"yes", "true", "on", "1"})
_FALSE_TEXT = frozenset({"no", "false", "off", "0"})


def _text_to_bool(text: str) -> bool:
    folded = text.strip().lower()
    if folded in _TRUE_TEXT:
        return True
    if folded in _FALSE_TEXT:
        return False
    raise RuntimeError(f"Could not convert '{text}' to bool: expected YES/NO, true/false or 1/0")


def _to_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "YES" if value else "NO"
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (list, tuple, set, frozenset)):
        return " ".join(_to_str(item) for item in value)
    return str(value)


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        return _text_to_bool(value)
    if isinstance(value, (list, tuple, dict, set)):
        raise RuntimeError(f"Could not convert {type(value).__name__} {value!r} to bool")
    return bool(value)


def _to_int(value: Any) -> int:
    if isinstance(value, str):
        try:
            return int(value.strip(), 0)
        except ValueError:
            pass
        try:
            as_float = float(value)
        except ValueError:
            raise RuntimeError(f"Could not convert '{value}' to int") from None
        if as_float.is_integer():
            return int(as_float)
        raise RuntimeError(f"Could not convert '{value}' to int")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RuntimeError(f"Could not convert {type(value).__name__} {value!r} to int") from None


def _to_float(value: Any) -> float:
    try:
        return float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise RuntimeError(f"Could not convert {type(value).__name__} {value!r} to float") from None


def _split_text(text: str) -> list[str]:
    """Split a list written as text: ``"a b c"``, ``"a,b,c"`` or ``"[a, b, c]"``."""
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        stripped = stripped[1:-1].strip()
    if not stripped:
        return []
    if "," in stripped:
        return [part.strip() for part in stripped.split(",") if part.strip()]
    return stripped.split()


def _to_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return list(_split_text(value))
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if isinstance(value, dict):
        return list(value.items())
    return [value]


def _to_dict(value: Any) -> dict[Any, Any]:
    """A dict as OpenVINO's binding gives it: values as ``OVAny``, sections as dicts."""
    if isinstance(value, dict):
        from ._rt_info import _as_any

        return _as_any(value)
    raise RuntimeError(f"Could not convert {type(value).__name__} {value!r} to dict")


_CONVERTERS: dict[type, Any] = {
    str: _to_str,
    bool: _to_bool,
    int: _to_int,
    float: _to_float,
    list: _to_list,
    tuple: lambda value: tuple(_to_list(value)),
    dict: _to_dict,
}


def _convert(value: Any, dtype: type) -> Any:
    converter = _CONVERTERS.get(dtype)
    if converter is not None:
        return converter(value)
    if not isinstance(dtype, type):
        raise TypeError(f"OVAny conversion target must be a type, got {dtype!r}")
    if isinstance(value, dtype):
        return value
    try:
        return dtype(value)
    except Exception as exc:  # noqa: BLE001 - report any failed constructor the same way
        raise RuntimeError(
            f"Could not convert {type(value).__name__} {value!r} to {dtype.__name__}: {exc}"
        ) from exc


class OVAny:
    """A holder for one value of any type, as OpenVINO returns it from properties and rt_info.

    ``OVAny(value).value`` (or ``.get()``) gives the held value back unchanged; ``astype``
    and ``aslist`` convert it. Wrapping an ``OVAny`` in another one keeps the inner value.
    """

    __slots__ = ("_value",)

    def __init__(self, value: Any = None) -> None:
        self._value = value._value if isinstance(value, OVAny) else value

    @property
    def value(self) -> Any:
        """The held value, unchanged."""
        return self._value

    def get(self) -> Any:
        """Return the held value, unchanged."""
        return self._value

    def set(self, value: Any) -> None:
        """Replace the held value."""
        self._value = value._value if isinstance(value, OVAny) else value

    def astype(self, dtype: type) -> Any:
        """Return the value converted to ``dtype`` (``str``, ``int``, ``float``, ``bool``,
        ``dict``, ``list``, ``tuple`` or any type whose constructor takes the value).

        Text is parsed: ``"YES"``/``"true"``/``"1"`` -> ``True``, ``"1.5"`` -> ``1.5``,
        ``"1 2 3"`` -> ``["1", "2", "3"]``. ``bool`` values print as ``"YES"``/``"NO"``.
        Raises ``RuntimeError`` when the value cannot be converted.
        """
        return _convert(self._value, dtype)

    def aslist(self, dtype: type | None = None) -> list[Any]:
        """Return the value as a list, each item converted to ``dtype`` when one is given.

        Lists, tuples and sets give their items; text is split on commas, or on whitespace
        when it has no comma (``""`` gives ``[]``); any other value gives a one-item list.
        """
        items = _to_list(self._value)
        if dtype is None:
            return items
        return [_convert(item, dtype) for item in items]

    # --- container protocol, delegated to the held value ---------------------------------
    def __getitem__(self, key: Any) -> Any:
        return self._value[key]

    def __setitem__(self, key: Any, item: Any) -> None:
        self._value[key] = item

    def __len__(self) -> int:
        return len(self._value)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._value)

    def __contains__(self, item: Any) -> bool:
        return item in self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    # --- comparison and hashing ------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        other_value = other._value if isinstance(other, OVAny) else other
        try:
            result = self._value == other_value
        except Exception:  # noqa: BLE001 - values that refuse comparison are simply unequal
            return False
        if isinstance(result, bool):
            return result
        all_of = getattr(result, "all", None)
        try:
            return bool(all_of()) if callable(all_of) else bool(result)
        except Exception:  # noqa: BLE001
            return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self._value)

    # --- text ------------------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"<OVAny: {self._value!r}>"

    def __str__(self) -> str:
        return str(self._value)
