"""``PropertyEnum``: the base of every enumeration under ``openvino.properties``.

Members behave like OpenVINO's arithmetic enums: ``str(member)`` is ``"Enum.MEMBER"``,
``int(member)`` is its value, members hash and compare like their value (with plain ints
and with members of the same enum), and an alias such as ``Priority.DEFAULT`` is the very
member it names. Each enum class carries a private ordered ``__entries`` mapping of every
name (aliases included) to ``(member, doc)``. :meth:`PropertyEnum.from_string` parses the
text forms found in config dicts (``"LATENCY"``, ``"PerformanceMode.LATENCY"``, ``"1"``).
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

__all__ = ["PropertyEnum"]

_E = TypeVar("_E", bound="PropertyEnum")

#: Name of the private per-class table of entries; kept in a variable so it is never mangled.
ENTRIES_ATTRIBUTE = "__entries"


class _PropertyEnumType(enum.EnumMeta):
    """Metaclass that attaches the ``__entries`` table once the members exist."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: Any, **kwargs: Any) -> Any:
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        entries = {
            member_name: (member, None) for member_name, member in cls.__members__.items()
        }
        type.__setattr__(cls, ENTRIES_ATTRIBUTE, entries)
        return cls


class PropertyEnum(enum.Enum, metaclass=_PropertyEnumType):
    """An OpenVINO property enumeration with integer values."""

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    def __int__(self) -> int:
        return int(self.value)

    def __index__(self) -> int:
        return int(self.value)

    def __hash__(self) -> int:
        return hash(self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PropertyEnum):
            return type(other) is type(self) and other.value == self.value
        if isinstance(other, int) and not isinstance(other, bool):
            return other == self.value
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def _ordinal(self, other: object) -> int | None:
        if isinstance(other, PropertyEnum) and type(other) is type(self):
            return int(other.value)
        if isinstance(other, int) and not isinstance(other, bool):
            return other
        return None

    def __lt__(self, other: object) -> bool:
        value = self._ordinal(other)
        return NotImplemented if value is None else self.value < value

    def __le__(self, other: object) -> bool:
        value = self._ordinal(other)
        return NotImplemented if value is None else self.value <= value

    def __gt__(self, other: object) -> bool:
        value = self._ordinal(other)
        return NotImplemented if value is None else self.value > value

    def __ge__(self, other: object) -> bool:
        value = self._ordinal(other)
        return NotImplemented if value is None else self.value >= value

    @classmethod
    def _text_aliases(cls) -> dict[str, str]:
        """Extra spellings (upper-case) accepted by :meth:`from_string`, mapped to member names.

        Subclasses override this for config texts that differ from the member names.
        """
        return {}

    @classmethod
    def from_string(cls: type[_E], text: str) -> _E:
        """Parse a member from config text.

        Accepts the member name in any case (``"latency"``), the qualified form printed by
        ``str()`` (``"PerformanceMode.LATENCY"``), the enum's own config spellings (for
        example ``"LOG_INFO"`` for ``log.Level.INFO``) and the integer value as text.
        Raises ``ValueError`` naming the accepted names otherwise.
        """
        if not isinstance(text, str):
            raise TypeError(f"{cls.__name__}.from_string expects str, got {type(text).__name__}")
        candidate = text.strip()
        prefix = cls.__name__ + "."
        if candidate.startswith(prefix):
            candidate = candidate[len(prefix) :]
        folded = candidate.upper()
        members = cls.__members__
        for member_name, member in members.items():
            if member_name.upper() == folded:
                return member
        alias = cls._text_aliases().get(folded)
        if alias is not None:
            return members[alias]
        try:
            number = int(candidate)
        except ValueError:
            pass
        else:
            for member in cls:
                if member.value == number:
                    return member
        names = ", ".join(members)
        raise ValueError(f"'{text}' is not a valid {cls.__name__}; expected one of: {names}")
