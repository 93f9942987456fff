"""The table of ONNX op mappings, keyed by ``(domain, op_type)`` and the opset version that
introduced each mapping's semantics.

A mapping is a function ``fn(ctx: NodeContext) -> Output | Node | list`` registered with
``@onnx_op("Gemm", since=1)``; for a node of a model importing opset N of the op's domain,
the mapping with the highest ``since`` not above N is used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["onnx_op", "find_mapping", "normalize_domain", "registered_ops"]

Mapping = Callable[[Any], Any]

_MAPPINGS: dict[tuple[str, str], list[tuple[int, Mapping]]] = {}


def normalize_domain(domain: str) -> str:
    """``"ai.onnx"`` and ``""`` both name the default ONNX domain."""
    return "" if domain in ("", "ai.onnx") else domain


def onnx_op(*op_types: str, since: int = 1, domain: str = "") -> Callable[[Mapping], Mapping]:
    """Register the decorated function as the mapping of ``op_types`` from opset ``since``."""

    def decorate(fn: Mapping) -> Mapping:
        for op_type in op_types:
            entries = _MAPPINGS.setdefault((normalize_domain(domain), op_type), [])
            entries.append((since, fn))
            entries.sort(key=lambda e: e[0])
        return fn

    return decorate


def _load() -> None:
    from . import (  # noqa: F401
        ops_control,
        ops_detection,
        ops_math,
        ops_ml,
        ops_nn,
        ops_optional,
        ops_quant,
        ops_recurrent,
        ops_signal,
        ops_tensor,
    )


def find_mapping(domain: str, op_type: str, version: int) -> Mapping | None:
    """The mapping for ``op_type`` of ``domain`` in opset ``version``, or ``None``."""
    _load()
    entries = _MAPPINGS.get((normalize_domain(domain), op_type))
    if not entries:
        return None
    best = None
    for since, fn in entries:
        if since <= version:
            best = fn
    return best if best is not None else entries[0][1]


def registered_ops() -> list[tuple[str, str]]:
    """Every ``(domain, op_type)`` that has a mapping."""
    _load()
    return sorted(_MAPPINGS)
