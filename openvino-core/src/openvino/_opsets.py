"""Opset tables: which factory function each ``openvino.opsetN`` module offers.

Op modules register factories with ``@factory("gather", since=8)``; ``openvino.opsetN``
takes, for each name, the factory with the highest ``since`` not above N (and not
``until`` N or later). An op added once shows up in every later opset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["factory", "populate", "latest", "LATEST_OPSET"]

LATEST_OPSET = 16

_FACTORIES: dict[str, list[tuple[int, int | None, Callable[..., Any]]]] = {}


def factory(name: str | None = None, since: int = 1, until: int | None = None
            ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a factory function under ``name`` for opsets ``since`` .. ``until - 1``."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        key = name or fn.__name__
        _FACTORIES.setdefault(key, []).append((since, until, fn))
        _FACTORIES[key].sort(key=lambda e: e[0])
        return fn

    return decorate


def _load_ops() -> None:
    from . import _ops  # noqa: F401  (importing the package registers every op)


def table(version: int) -> dict[str, Callable[..., Any]]:
    _load_ops()
    out = {}
    for name, entries in _FACTORIES.items():
        best = None
        for since, until, fn in entries:
            if since <= version and (until is None or version < until):
                best = fn
        if best is not None:
            out[name] = best
    return out


def populate(namespace: dict[str, Any], version: int) -> None:
    """Fill an ``openvino.opsetN`` module's namespace, and make its ``ops`` submodule
    (``openvino.opsetN.ops``, where the real package defines the factories) hold the same
    functions."""
    import importlib.machinery
    import sys
    import types

    t = table(version)
    namespace.update(t)
    namespace["__all__"] = sorted(t)
    ops = types.ModuleType(f"{namespace['__name__']}.ops",
                           f"Factory functions of opset {version}.")
    ops.__dict__.update(t)
    ops.__all__ = sorted(t)
    ops.__spec__ = importlib.machinery.ModuleSpec(ops.__name__, None)
    namespace["ops"] = ops
    sys.modules[ops.__name__] = ops


def latest(name: str) -> Callable[..., Any]:
    _load_ops()
    entries = _FACTORIES.get(name)
    if not entries:
        raise AttributeError(f"No op factory named '{name}'")
    return entries[-1][2]
