"""Value kinds: how the value of one property is checked and normalised.

Each property key has one :class:`ValueKind`. A kind offers two conversions:

* :meth:`ValueKind.coerce` is strict. It is what ``prop(value)`` uses, so it accepts what
  a typed OpenVINO binding accepts (``True``/``1`` for a bool, ``np.uint32(3)`` for an
  unsigned int, an enum member or its name for an enum) and raises ``TypeError`` or
  ``ValueError`` otherwise.
* :meth:`ValueKind.parse` is lenient. It is what the runtime uses on config dicts, so it
  also reads the text forms users put there (``"YES"``, ``"4"``, ``"LATENCY"``, ``"f32"``)
  and raises :class:`PropertyValueError` when the value cannot be understood.
"""

from __future__ import annotations

import numbers
import operator
import os
import struct
from collections.abc import Callable, Iterable
from typing import Any

from openvino._ov_any import OVAny
from openvino.properties._enum import PropertyEnum

__all__ = [
    "AnyKind",
    "BoolKind",
    "CallbacksKind",
    "ElementTypeKind",
    "EnumKind",
    "EnumSetKind",
    "FloatKind",
    "InstanceKind",
    "IntKind",
    "IntTupleKind",
    "PropertyValueError",
    "StrKind",
    "StrListKind",
    "ValueKind",
    "unwrap",
]

INT32 = (-(2**31), 2**31 - 1)
UINT32 = (0, 2**32 - 1)
INT64 = (-(2**63), 2**63 - 1)
UINT64 = (0, 2**64 - 1)


class PropertyValueError(ValueError, RuntimeError):
    """A property value that cannot be understood for its key.

    It is both a ``ValueError`` (the value is wrong) and a ``RuntimeError`` (what OpenVINO
    raises when a device rejects a config value), so either ``except`` clause catches it.
    """


def unwrap(value: Any) -> Any:
    """Return the raw value held by an ``OVAny``, or ``value`` itself."""
    return value.value if isinstance(value, OVAny) else value


def _from_text(text: str, dtype: type, description: str) -> Any:
    try:
        return OVAny(text).astype(dtype)
    except RuntimeError:
        raise PropertyValueError(f"'{text}' is not a valid {description}") from None


class ValueKind:
    """Base value kind: accepts any value unchanged."""

    #: How the accepted values are named in error messages and signatures.
    description: str = "object"

    def coerce(self, value: Any) -> Any:
        """Check and normalise a value passed to ``prop(value)``.

        Raises ``TypeError`` (or ``ValueError``) when the value is not accepted.
        """
        return value

    def parse(self, value: Any) -> Any:
        """Normalise a value from a config dict, text forms included.

        Raises :class:`PropertyValueError` when the value cannot be understood.
        """
        try:
            return self.coerce(value)
        except (TypeError, ValueError) as exc:
            if isinstance(exc, PropertyValueError):
                raise
            raise PropertyValueError(
                f"expected {self.description}, got {type(value).__name__} {value!r}"
            ) from None


class AnyKind(ValueKind):
    """Any value, kept as given (device-specific structures such as ``SUPPORTED_PROPERTIES``)."""

    def __init__(self, description: str = "object") -> None:
        self.description = description


class BoolKind(ValueKind):
    """``bool``. ``prop(value)`` converts numbers by truth value and ``None`` to False, as
    the typed binding does; a config dict takes only ``True``/``False`` and the text forms
    (``"YES"``, ``"false"``, ``"1"``): a number there (``1``, ``0.0``, ``np.True_``) is
    rejected, as the real runtime rejects it."""

    description = "bool"

    def coerce(self, value: Any) -> bool:
        if value is None:
            return False
        if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):
            return bool(value)
        if isinstance(value, numbers.Number):  # numpy's scalars too
            return bool(value)
        raise TypeError(f"expected bool, got {type(value).__name__}")

    def parse(self, value: Any) -> bool:
        if isinstance(value, str):
            return _from_text(value, bool, "bool (YES/NO, true/false, 1/0)")
        if isinstance(value, bool):
            return value
        raise PropertyValueError(f"expected bool (True/False or YES/NO, true/false, 1/0), "
                                 f"got {type(value).__name__} {value!r}")


class IntKind(ValueKind):
    """An integer within ``bounds``; numpy integers become ``int``, floats are refused."""

    def __init__(self, bounds: tuple[int, int] = INT64, description: str = "int") -> None:
        self.bounds = bounds
        self.description = description

    def _check(self, number: int, error: type[Exception]) -> int:
        low, high = self.bounds
        if not low <= number <= high:
            raise error(f"{number} is out of range for {self.description} [{low}, {high}]")
        return number

    def coerce(self, value: Any) -> int:
        if isinstance(value, (str, bytes)):
            raise TypeError(f"expected {self.description}, got {type(value).__name__}")
        return self._check(operator.index(value), TypeError)

    def parse(self, value: Any) -> int:
        if isinstance(value, str):
            return self._check(_from_text(value, int, self.description), PropertyValueError)
        if isinstance(value, float) and value.is_integer():
            return self._check(int(value), PropertyValueError)
        if isinstance(value, PropertyEnum):
            return self._check(int(value), PropertyValueError)
        return super().parse(value)


class FloatKind(ValueKind):
    """A real number; ``single=True`` rounds it to float32 precision as the device stores it."""

    def __init__(self, single: bool = True) -> None:
        self.single = single
        self.description = "float"

    def _round(self, number: float) -> float:
        if self.single:
            return struct.unpack("f", struct.pack("f", number))[0]
        return number

    def coerce(self, value: Any) -> float:
        if isinstance(value, (str, bytes)) or not isinstance(value, numbers.Real):
            raise TypeError(f"expected float, got {type(value).__name__}")
        return self._round(float(value))

    def parse(self, value: Any) -> float:
        if isinstance(value, str):
            return self._round(_from_text(value, float, "float"))
        return super().parse(value)


class StrKind(ValueKind):
    """A string; ``paths=True`` also takes ``os.PathLike`` objects (turned into ``str``)."""

    def __init__(self, paths: bool = False) -> None:
        self.paths = paths
        self.description = "str | os.PathLike" if paths else "str"

    def coerce(self, value: Any) -> str:
        if isinstance(value, str):
            return str(value)
        if self.paths and isinstance(value, os.PathLike):
            path = os.fspath(value)
            return path if isinstance(path, str) else os.fsdecode(path)
        raise TypeError(f"expected {self.description}, got {type(value).__name__}")

    def parse(self, value: Any) -> str:
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return str(int(value))
        return super().parse(value)


class EnumKind(ValueKind):
    """A member of ``enum_type``; its names (any case) are accepted too, and ints when parsing."""

    def __init__(self, enum_type: type[PropertyEnum], qualified_name: str) -> None:
        self.enum_type = enum_type
        self.description = qualified_name

    def coerce(self, value: Any) -> PropertyEnum:
        if isinstance(value, self.enum_type):
            return value
        if isinstance(value, str):
            return self.enum_type.from_string(value)
        raise TypeError(f"expected {self.description}, got {type(value).__name__}")

    def parse(self, value: Any) -> PropertyEnum:
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            try:
                return self.enum_type(int(value))
            except ValueError:
                raise PropertyValueError(
                    f"{int(value)} is not a valid {self.description}"
                ) from None
        if isinstance(value, str):
            try:
                return self.enum_type.from_string(value)
            except ValueError as exc:
                raise PropertyValueError(str(exc)) from None
        return super().parse(value)


class EnumSetKind(ValueKind):
    """A set of ``enum_type`` members; a single member or name, or an iterable of them."""

    def __init__(self, enum_type: type[PropertyEnum], qualified_name: str) -> None:
        self.member = EnumKind(enum_type, qualified_name)
        self.description = f"set[{qualified_name}]"

    def coerce(self, value: Any) -> set[PropertyEnum]:
        if isinstance(value, (self.member.enum_type, str)):
            return {self.member.coerce(value)}
        if isinstance(value, (set, frozenset, list, tuple)):
            return {self.member.coerce(item) for item in value}
        raise TypeError(f"expected {self.description}, got {type(value).__name__}")

    def parse(self, value: Any) -> set[PropertyEnum]:
        if isinstance(value, str):
            return {self.member.parse(item) for item in OVAny(value).aslist()}
        if isinstance(value, (set, frozenset, list, tuple)):
            return {self.member.parse(item) for item in value}
        return {self.member.parse(value)}


def _element_type_class() -> type | None:
    try:
        from openvino._type import Type
    except ImportError:
        return None
    return Type


class ElementTypeKind(ValueKind):
    """An ``openvino.Type``; names (``"f32"``, ``"FP16"``), dtype strings and numpy types
    convert to it."""

    description = "openvino.Type"

    def coerce(self, value: Any) -> Any:
        type_class = _element_type_class()
        if type_class is None:
            # The element type module is unavailable: keep what the caller gave.
            return value
        if isinstance(value, type_class):
            return value
        if isinstance(value, str):
            named = getattr(type_class, value, None)
            if isinstance(named, type_class):
                return named
        if isinstance(value, (bool, numbers.Number)) and not isinstance(value, type):
            raise TypeError(f"expected {self.description}, got {type(value).__name__}")
        try:
            return type_class(value)
        except Exception as exc:  # noqa: BLE001 - any refusal means "not an element type"
            raise TypeError(f"expected {self.description}, got {value!r}: {exc}") from None


class InstanceKind(ValueKind):
    """An instance of the OpenVINO class called ``class_name`` (``Tensor``, ``Model``).

    The check goes by class name along the value's MRO so that this module needs no import
    of the classes it names.
    """

    def __init__(self, class_name: str) -> None:
        self.class_name = class_name
        self.description = f"openvino.{class_name}"

    def coerce(self, value: Any) -> Any:
        if any(cls.__name__ == self.class_name for cls in type(value).__mro__):
            return value
        raise TypeError(f"expected {self.description}, got {type(value).__name__}")


class StrListKind(ValueKind):
    """A list of strings; text is split on commas or whitespace."""

    description = "list[str]"

    def coerce(self, value: Any) -> list[str]:
        if isinstance(value, str):
            return OVAny(value).aslist(str)
        if isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
            items = list(value)
            if all(isinstance(item, str) for item in items):
                return [str(item) for item in items]
        raise TypeError(f"expected {self.description}, got {type(value).__name__}")


class IntTupleKind(ValueKind):
    """A tuple of ``length`` integers (``RANGE_FOR_STREAMS`` and friends)."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.description = "tuple[" + ", ".join(["int"] * length) + "]"

    def coerce(self, value: Any) -> tuple[int, ...]:
        if isinstance(value, str):
            items: list[Any] = OVAny(value).aslist(int)
        elif isinstance(value, (list, tuple)):
            items = [operator.index(item) for item in value]
        else:
            raise TypeError(f"expected {self.description}, got {type(value).__name__}")
        if len(items) != self.length:
            raise ValueError(f"expected {self.description}, got {len(items)} items")
        return tuple(int(item) for item in items)

    def parse(self, value: Any) -> tuple[int, ...]:
        try:
            return self.coerce(value)
        except RuntimeError as exc:
            raise PropertyValueError(str(exc)) from None


class CallbacksKind(ValueKind):
    """A pair of callables ``[encrypt, decrypt]`` (``CACHE_ENCRYPTION_CALLBACKS``)."""

    description = "list[Callable[[str], str]] of length 2"

    def coerce(self, value: Any) -> list[Callable[..., Any]]:
        if isinstance(value, (list, tuple)) and len(value) == 2 and all(map(callable, value)):
            return list(value)
        raise TypeError(f"expected {self.description}, got {value!r}")
