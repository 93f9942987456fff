"""The table of every known property key, and the helpers the runtime uses on configs.

Each property object under ``openvino.properties`` registers a :class:`PropertySpec` here
when its module is imported. Python imports the ``openvino.properties`` package (and with it
every submodule) before this module, so the table is complete whenever it is used.

Helpers for the runtime:

* :func:`property_key` turns a property object or a string into the plain key string;
* :func:`normalize_value` turns a raw value or config text into the Python value the
  property holds (``"PERF_COUNT": "YES"`` -> ``True``, ``"PERFORMANCE_HINT": "LATENCY"`` ->
  ``PerformanceMode.LATENCY``); unknown keys keep their value;
* :func:`is_read_only` and :func:`mutability` tell how a key may be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from openvino.properties._value_kinds import PropertyValueError, ValueKind, unwrap

__all__ = [
    "Mutability",
    "PropertySpec",
    "PropertyValueError",
    "is_known",
    "is_read_only",
    "known_keys",
    "lookup",
    "mutability",
    "normalize_value",
    "property_key",
    "register",
]

#: ``"RO"`` read-only, ``"RW"`` read-write, ``"WO"`` write-only (as ``SUPPORTED_PROPERTIES`` says).
Mutability = Literal["RO", "RW", "WO"]


@dataclass(frozen=True)
class PropertySpec:
    """What is known about one property key."""

    key: str
    mutability: Mutability
    kind: ValueKind


_SPECS: dict[str, PropertySpec] = {}


def register(spec: PropertySpec) -> None:
    """Record ``spec``; a key registered twice keeps its first spec unless mutability differs."""
    existing = _SPECS.get(spec.key)
    if existing is not None and existing.mutability != spec.mutability:
        raise ValueError(
            f"property {spec.key} registered as {existing.mutability} and as {spec.mutability}"
        )
    _SPECS.setdefault(spec.key, spec)


def property_key(key: Any) -> str:
    """Return the key string for a property object (``props.cache_dir``) or a string.

    Raises ``TypeError`` for anything else.
    """
    if isinstance(key, str):
        return str(key)
    raise TypeError(
        f"Property key must be a str or an openvino.properties object, got {type(key).__name__}"
    )


def lookup(key: Any) -> PropertySpec | None:
    """Return the spec of a key (property object or string), ``None`` for unknown keys."""
    return _SPECS.get(property_key(key))


def is_known(key: Any) -> bool:
    """Tell whether the key is one of the properties defined under ``openvino.properties``."""
    return property_key(key) in _SPECS


def known_keys() -> list[str]:
    """All registered keys, in registration order."""
    return list(_SPECS)


def mutability(key: Any) -> Mutability | None:
    """``"RO"``, ``"RW"`` or ``"WO"`` for a known key, ``None`` for an unknown one."""
    spec = lookup(key)
    return None if spec is None else spec.mutability


def is_read_only(key: Any) -> bool:
    """Tell whether a key is read-only; unknown keys are not (a device may accept them)."""
    return mutability(key) == "RO"


def normalize_value(key: Any, value: Any) -> Any:
    """Return the Python value property ``key`` holds for a raw ``value``.

    ``value`` may be what a typed property call accepts, an ``OVAny``, or the text form
    users put in config dicts::

        normalize_value("PERF_COUNT", "YES")            -> True
        normalize_value(*props.enable_profiling(1))     -> True
        normalize_value("PERFORMANCE_HINT", "LATENCY")  -> PerformanceMode.LATENCY
        normalize_value("INFERENCE_NUM_THREADS", "4")   -> 4
        normalize_value("NUM_STREAMS", "AUTO")          -> -1
        normalize_value("NUM_STREAMS", streams.Num(5))  -> 5
        normalize_value("SOME_DEVICE_KEY", "x")         -> "x"   (unknown keys unchanged)

    Raises :class:`PropertyValueError` (a ``ValueError`` and a ``RuntimeError``) when the
    value cannot be understood for a known key.
    """
    raw = unwrap(value)
    spec = lookup(key)
    if spec is None:
        return raw
    try:
        return spec.kind.parse(raw)
    except PropertyValueError as exc:
        raise PropertyValueError(
            f"Invalid value for property {spec.key}: {exc}"
        ) from None
