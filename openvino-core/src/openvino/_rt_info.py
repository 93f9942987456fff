"""``RTMap``: the runtime-info dictionary every node, port and model carries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["RTMap"]


class RTMap(dict):
    """A ``dict`` of str -> value whose ``items()`` yield ``(key, OVAny)`` pairs."""

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        from ._ov_any import OVAny

        for k, v in dict.items(self):
            yield k, v if isinstance(v, OVAny) else OVAny(v)

    def __getitem__(self, key: str) -> Any:
        from ._ov_any import OVAny

        v = dict.__getitem__(self, key)
        return v if isinstance(v, OVAny) else OVAny(v)

    def __repr__(self) -> str:
        return "<RTMap>"

    def raw(self, key: str) -> Any:
        v = dict.__getitem__(self, key)
        return getattr(v, "value", v)
