"""Property objects: callable strings that name one OpenVINO property key.

A property object *is* its key string (``props.cache_dir == "CACHE_DIR"``, same hash, so it
and the string are interchangeable as dict keys). Calling it:

* with no argument returns the key as a plain ``str``;
* with a value (read-write and write-only properties) returns ``(key, OVAny(value))`` with
  the value checked and normalised by the property's :class:`ValueKind`;
* any other way raises ``TypeError`` ("incompatible function arguments").
"""

from __future__ import annotations

from typing import Any

from openvino._ov_any import OVAny
from openvino.properties._registry import Mutability, PropertySpec, register
from openvino.properties._value_kinds import ValueKind, unwrap

__all__ = ["Property", "ReadOnlyProperty", "ReadWriteProperty", "WriteOnlyProperty"]


class Property(str):
    """Base of all property objects; see the module docstring for the calling rules."""

    _mutability: Mutability = "RO"
    _spec: PropertySpec

    def __new__(cls, key: str, kind: ValueKind | None = None, *, name: str, doc: str = "") -> Any:
        instance = super().__new__(cls, key)
        instance._spec = PropertySpec(key, cls._mutability, kind or ValueKind())
        instance.__name__ = name
        instance.__doc__ = doc or f"The {key} property."
        register(instance._spec)
        return instance

    @property
    def kind(self) -> ValueKind:
        """The value kind that checks values of this property."""
        return self._spec.kind

    @property
    def mutability(self) -> Mutability:
        """``"RO"``, ``"RW"`` or ``"WO"``."""
        return self._spec.mutability

    def __call__(self, *args: Any) -> Any:
        if not args:
            return str(self)
        return self._with_arguments(args)

    def _with_arguments(self, args: tuple[Any, ...]) -> Any:
        raise self._incompatible(args)

    def _signatures(self) -> list[str]:
        return [f"{self.__name__}() -> str"]

    def _incompatible(self, args: tuple[Any, ...]) -> TypeError:
        lines = [f"{self.__name__}(): incompatible function arguments. Supported calls:"]
        lines += [f"    {number}. {sig}" for number, sig in enumerate(self._signatures(), 1)]
        lines.append("Invoked with: " + ", ".join(repr(arg) for arg in args))
        return TypeError("\n".join(lines))

    def __reduce__(self) -> tuple[type, tuple[str]]:
        # Copies and pickles of a property are its plain key string.
        return (str, (str(self),))


class ReadOnlyProperty(Property):
    """A property that can be read but not set: calling it with a value is an error."""

    _mutability: Mutability = "RO"


class ReadWriteProperty(Property):
    """A property that can be read and set: ``prop(value)`` gives ``(key, OVAny(value))``."""

    _mutability: Mutability = "RW"

    def _signatures(self) -> list[str]:
        return [
            f"{self.__name__}() -> str",
            f"{self.__name__}(value: {self.kind.description}) -> tuple[str, OVAny]",
        ]

    def _value_from(self, args: tuple[Any, ...]) -> Any:
        """Build the normalised value from the call arguments (one value by default)."""
        if len(args) != 1:
            raise self._incompatible(args)
        try:
            return self.kind.coerce(unwrap(args[0]))
        except (TypeError, ValueError):
            raise self._incompatible(args) from None

    def _with_arguments(self, args: tuple[Any, ...]) -> tuple[str, OVAny]:
        return (str(self), OVAny(self._value_from(args)))


class WriteOnlyProperty(ReadWriteProperty):
    """A property that can only be set (``CACHE_ENCRYPTION_CALLBACKS``)."""

    _mutability: Mutability = "WO"
