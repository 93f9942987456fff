"""``RTMap``: the runtime-info dictionary every node, port and model carries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["RTMap", "plain_value"]


def _as_any(value: Any) -> Any:
    """A value as the binding hands it out: sections as dicts of the same form, anything
    else as ``OVAny``."""
    from ._ov_any import OVAny

    if isinstance(value, OVAny):
        if not isinstance(value.value, dict):
            return value
        value = value.value
    if isinstance(value, dict):
        return {k: _as_any(v) for k, v in dict.items(value)}
    return OVAny(value)


def plain_value(value: Any) -> Any:
    """A stored rt_info value with sections as plain nested dicts of raw values (what
    ``OVAny.value`` of a section is)."""
    from ._ov_any import OVAny

    if isinstance(value, OVAny):
        value = value.value
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in dict.items(value)}
    return value


class RTMap(dict):
    """A ``dict`` of str -> value whose ``items()`` and ``[key]`` give values as ``OVAny``
    and nested sections as plain dicts of the same form, as OpenVINO's binding does."""

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        for k, v in dict.items(self):
            yield k, _as_any(v)

    def __getitem__(self, key: str) -> Any:
        return _as_any(dict.__getitem__(self, key))

    def __repr__(self) -> str:
        return "<RTMap>"

    def raw(self, key: str) -> Any:
        v = dict.__getitem__(self, key)
        return getattr(v, "value", v)
