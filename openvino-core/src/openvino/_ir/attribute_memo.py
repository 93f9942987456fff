"""A per-read memo of parsed ``<data>`` attributes for the IR reader: layers whose op class
and attribute texts are the same are parsed once."""

from __future__ import annotations

from typing import Any

from .._node import _ir_attribute_table, parse_ir_attributes
from .._shape import PartialShape
from .._type import Type

__all__ = ["IRAttributeMemo"]

#: parsed attribute values that can be shared as they are (immutable)
_SHAREABLE = frozenset({int, float, bool, str, Type, type(None)})
#: how to copy the mutable values attribute parsers make, besides lists
_COPIERS = {PartialShape: PartialShape}


class IRAttributeMemo:
    """The parsed attributes of an IR's layers by (op class, ``<data>`` texts), for one
    read: layers with the same attribute texts (most of a model's convolutions, all of its
    Converts to f32) are parsed once. Each node gets its own dict, and its own copy of each
    mutable parsed value (lists, shapes); defaults are given as ``parse_ir_attributes``
    gives them."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        # key -> what _entry gives
        self._entries: dict[tuple, tuple[dict[str, Any], list[str], list] | None] = {}

    def attributes(self, cls: type, data: dict[str, str], name: str) -> dict[str, Any]:
        """``parse_ir_attributes(cls, data, name)``, parsed once per distinct texts."""
        key = (cls, *data, *data.values())  # the names, then their texts (in their order)
        try:
            entry = self._entries[key]
        except KeyError:
            entry = self._entries[key] = self._entry(cls, data, name)
        if entry is None:
            return parse_ir_attributes(cls, data, name)
        attrs, lists, copiers = entry
        attrs = attrs.copy()
        for k in lists:
            attrs[k] = attrs[k][:]
        for k, copy in copiers:
            attrs[k] = copy(attrs[k])
        return attrs

    @staticmethod
    def _entry(cls: type, data: dict[str, str], name: str
               ) -> tuple[dict[str, Any], list[str], list] | None:
        """(the parsed attributes, the keys of parsed lists, (key, copier) of other parsed
        mutable values), or None when a parsed value is of a kind that cannot be copied."""
        attrs = parse_ir_attributes(cls, data, name)
        lists, copiers = [], []
        for key, ir_key, _, _ in _ir_attribute_table(cls):
            if ir_key not in data:
                continue  # a default, given as it is
            kind = type(attrs[key])
            if kind in _SHAREABLE:
                continue
            if kind is list:
                lists.append(key)
                continue
            copy = _COPIERS.get(kind)
            if copy is None:
                return None
            copiers.append((key, copy))
        return attrs, lists, copiers
