"""Typed runtime-info entries as the IR stores them on layers and ports.

A layer's ``<rt_info>`` holds ``<attribute name="decompression" version="0"/>`` or
``<attribute name="layout" version="0" layout="[N,C,H,W]"/>``: a name, a version and
attribute fields. The reader keeps each one in the node's (or port's) rt_info under the key
``"<name>_<version>"`` (``"decompression_0"``), as the real runtime keys them, and the writer
writes back every value of this class. Plain values users put in a node's rt_info are not
written, like in the real runtime.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RuntimeAttribute", "decompression"]


class RuntimeAttribute:
    """One ``<attribute name version ...fields/>`` entry of a layer's or port's rt_info."""

    __slots__ = ("name", "version", "fields")

    def __init__(self, name: str, version: str = "0", fields: dict[str, str] | None = None
                 ) -> None:
        self.name = str(name)
        self.version = str(version)
        self.fields: dict[str, str] = dict(fields or {})

    @property
    def key(self) -> str:
        """The rt_info key this attribute is stored under (``"decompression_0"``)."""
        return f"{self.name}_{self.version}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RuntimeAttribute):
            return (self.name, self.version, self.fields) == (
                other.name, other.version, other.fields)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, self.version, tuple(sorted(self.fields.items()))))

    def __str__(self) -> str:
        return self.fields.get("value", "")

    def __repr__(self) -> str:
        fields = "".join(f" {k}={v!r}" for k, v in self.fields.items())
        return f"<RuntimeAttribute {self.name} v{self.version}{fields}>"


def decompression() -> RuntimeAttribute:
    """The marker the fp16 compression puts on the Convert that restores a weight's type."""
    return RuntimeAttribute("decompression", "0")


def is_decompression(value: Any) -> bool:
    """True when ``value`` is the decompression marker."""
    return isinstance(value, RuntimeAttribute) and value.name == "decompression"
