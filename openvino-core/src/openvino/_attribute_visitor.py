"""``AttributeVisitor``: what a Python custom op's ``visit_attributes(visitor)`` receives.

The op hands its attributes over as one dict, ``visitor.on_attributes(attrs)``. The values
a custom op may have are OpenVINO's: ``bool``, ``int``, ``float``, ``str``, lists of one of
those, 1-D numpy arrays of floats or integers, ``Dimension``, ``PartialShape`` and
``Model`` (a body). Other values raise ``TypeError`` as in OpenVINO
("Unsupported attribute type: <class 'dict'>").

Three visitors share the checks: one collects the values (``Node.get_attributes``), one
formats them for the IR's ``<data>`` element, and one fills the op's dict from an IR
layer's ``<data>`` texts, each value parsed as the kind of the value already there (the
default the op's ``__init__`` set).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._attributes import Attr
from ._shape import Dimension, PartialShape

__all__ = ["AttributeVisitor", "AttributeCollector", "IRAttributeWriter", "IRAttributeReader"]

_SCALARS = {bool: "bool", int: "int", float: "float", str: "str"}
_LIST_KINDS = {"bool": "bools", "int": "ints", "float": "floats", "str": "strs"}


def _scalar_kind(value: Any) -> str | None:
    """The kind of a plain value (numpy scalars count as their Python kind)."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    if isinstance(value, str):
        return "str"
    return None


def attribute_kind(value: Any) -> str:
    """The kind of one attribute value; the error OpenVINO gives for one it cannot hold."""
    kind = _scalar_kind(value)
    if kind is not None:
        return kind
    if isinstance(value, Dimension):
        return "dimension"
    if isinstance(value, PartialShape):
        return "shape"
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            kind = "floats"
        elif value.dtype.kind in "iu":
            kind = "ints"
        else:
            raise TypeError(f"Unsupported NumPy array dtype: {value.dtype}")
        if value.ndim != 1:
            raise TypeError(f"Unsupported NumPy array shape: {list(value.shape)}; an attribute "
                            "takes a 1-D array")
        return kind
    if isinstance(value, list):
        if not value:
            raise RuntimeError("Attributes list is empty.")
        kinds = set()
        for item in value:
            item_kind = _scalar_kind(item)
            if item_kind is None:
                raise TypeError(f"Unsupported attribute type in provided list: {type(item)}")
            kinds.add(item_kind)
        if len(kinds) > 1:
            raise RuntimeError("Incorrect attribute. Mixed types in the container are not "
                               "allowed.")
        return _LIST_KINDS[kinds.pop()]
    from ._model import Model

    if isinstance(value, Model):
        return "model"
    raise TypeError(f"Unsupported attribute type: {type(value)}")


def _as_python(value: Any, kind: str) -> Any:
    """An attribute as ``get_attributes`` gives it (plain Python values; a PartialShape
    as a list with -1 for dynamic dimensions, as OpenVINO)."""
    if kind in ("bool", "int", "float"):
        return {"bool": bool, "int": int, "float": float}[kind](value)
    if kind in ("ints", "floats", "bools", "strs"):
        conv = {"ints": int, "floats": float, "bools": bool, "strs": str}[kind]
        return [conv(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    if kind == "shape" and value.rank.is_static:
        return [d.get_length() if d.is_static else -1 for d in value]
    return value


def _format(value: Any, kind: str) -> str | None:
    """The IR text of an attribute (``None``: a body, which ``<data>`` cannot hold)."""
    if kind == "model":
        return None
    if kind == "dimension":
        return value.to_string()
    if kind == "shape":
        return Attr("shape").format(value)
    if kind in _LIST_KINDS.values():  # as OpenVINO writes vectors: "1, 2"; bools as 1/0
        item = Attr(kind[:-1] if kind != "bools" else "int")
        return ", ".join(item.format(v) for v in _as_python(value, kind if kind != "bools"
                                                             else "ints"))
    return Attr(kind).format(_as_python(value, kind))


def _parse(text: str, default: Any, kind: str) -> Any:
    """IR text as a value of the kind of ``default``."""
    if kind == "dimension":
        return Dimension.from_string(text.strip())
    if kind == "bools":
        return [Attr("bool").parse(part.strip()) for part in text.split(",") if part.strip()]
    if kind == "strs":
        return [part.strip() for part in text.split(",")] if text.strip() else []
    if kind == "str":
        return text
    value = Attr(kind).parse(text)
    if isinstance(default, np.ndarray):
        return np.array(value, dtype=default.dtype)
    if kind in ("int", "float") and isinstance(default, np.generic):
        return default.dtype.type(value)
    return value


class AttributeVisitor:
    """openvino.AttributeVisitor: the argument of ``Op.visit_attributes``; the op calls
    ``visitor.on_attributes(dict)`` with its attributes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("openvino.AttributeVisitor: No constructor defined!")

    def on_attributes(self, attributes: dict) -> None:
        if not isinstance(attributes, dict):
            raise TypeError("on_attributes(): incompatible function arguments. The following "
                            "argument types are supported:\n    1. (self: "
                            "openvino.AttributeVisitor, arg0: dict) -> None\n\nInvoked with: "
                            f"{self!r}, {attributes!r}")
        for name, value in attributes.items():
            if not isinstance(name, str):
                raise TypeError(f"Attribute names are str, got {type(name)}")
            self._visit(attributes, name, value, attribute_kind(value))

    def _visit(self, attributes: dict, name: str, value: Any, kind: str) -> None:
        raise NotImplementedError


class AttributeCollector(AttributeVisitor):
    """Records each visited attribute as ``get_attributes`` returns it."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def _visit(self, attributes: dict, name: str, value: Any, kind: str) -> None:
        self.values[name] = _as_python(value, kind)
        if isinstance(value, np.ndarray):
            # as the binding: the visited dict gets the converted list in the array's place
            attributes[name] = self.values[name]


class IRAttributeWriter(AttributeVisitor):
    """Formats each visited attribute as the IR's ``<data>`` text."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def _visit(self, attributes: dict, name: str, value: Any, kind: str) -> None:
        text = _format(value, kind)
        if text is not None:
            self.texts[name] = text


class IRAttributeReader(AttributeVisitor):
    """Sets each visited attribute that an IR layer's ``<data>`` names to the value there,
    parsed as the kind of the value the op holds; the others keep their values."""

    def __init__(self, data: dict[str, str], layer: str) -> None:
        self.data = data
        self.layer = layer

    def _visit(self, attributes: dict, name: str, value: Any, kind: str) -> None:
        text = self.data.get(name)
        if text is None or kind == "model":
            return
        try:
            attributes[name] = _parse(text, value, kind)
        except (ValueError, TypeError, RuntimeError) as e:
            raise RuntimeError(f"Layer '{self.layer}': bad value '{text}' for attribute "
                               f"'{name}' ({type(value).__name__}): {e}") from None
