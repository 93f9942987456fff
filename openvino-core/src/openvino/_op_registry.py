"""The table of op classes, filled as op classes are defined.

Keys are ``(type_name, version)`` as the IR writes them (``("Add", "opset1")``,
``("Gather", "opset8")``); the IR reader looks classes up here.
"""

from __future__ import annotations

from typing import Any

OP_CLASSES: dict[tuple[str, str], Any] = {}
# IR spellings that differ from the class's type name ("ReLU" -> "Relu")
IR_ALIASES: dict[str, str] = {}


def register(cls: Any) -> None:
    key = (cls.type_name, cls.version)
    OP_CLASSES[key] = cls
    ir_name = cls.__dict__.get("ir_type_name")
    if ir_name:
        IR_ALIASES[ir_name] = cls.type_name


def lookup(type_name: str, version: str) -> Any:
    """The op class for an IR layer's type and version, or ``None``."""
    name = IR_ALIASES.get(type_name, type_name)
    cls = OP_CLASSES.get((name, version))
    if cls is None and version in ("opset1", "opset0", ""):
        cls = OP_CLASSES.get((name, "opset1"))
    return cls


def versions_of(type_name: str) -> list[str]:
    name = IR_ALIASES.get(type_name, type_name)
    return sorted(v for (n, v) in OP_CLASSES if n == name)
