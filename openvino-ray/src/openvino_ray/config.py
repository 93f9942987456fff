"""Properties of the RAY device: read-write defaults, read-only values, and how
``PERFORMANCE_HINT`` / ``NUM_STREAMS`` / ``RAY_ACTOR_OPTIONS`` become a number of worker
actors.

=========================  ==========================================================
``RAY_ADDRESS``            the cluster (``""``: the Ray this process is connected to, else
                           the ``RAY_ADDRESS`` environment variable, else a local Ray
                           started as ``ray.init()`` starts one)
``RAY_TARGET_DEVICE``      what each worker compiles on (``AUTO``: the worker's best
                           device other than ``RAY``)
``NUM_STREAMS``            worker actors (``-1``: as the hint says: ``THROUGHPUT`` fills the
                           cluster's CPUs (GPUs when actors ask for GPUs): without
                           ``RAY_ACTOR_OPTIONS``, one actor per node holding all its CPUs,
                           which computes with that node's own ``THROUGHPUT`` streams; else
                           1)
``RAY_ACTOR_OPTIONS``      Ray resources of each actor (``{"num_cpus": 2}``,
                           ``{"num_gpus": 1}``; default ``{"num_cpus": 1}``, or a node's
                           CPUs for the per-node actors of ``THROUGHPUT``)
``INFERENCE_NUM_THREADS``  threads of each worker on a CPU (0: as many as Ray gave the
                           actor CPUs)
``RAY_TIMEOUT``            seconds to reach the cluster and to start the actors before
                           ``compile_model`` fails naming the cause (default 60)
=========================  ==========================================================
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from openvino.properties import device, hint

__all__ = ["DEVICE_NAME", "RAY_KEYS", "default_config", "read_only_properties", "Settings",
           "actor_count", "compiled_value", "target_config", "DEFAULT_TIMEOUT", "per_node"]

DEVICE_NAME = "RAY"
DEFAULT_TIMEOUT = 60.0

#: The device's own settings: they choose the cluster and the actors, and are not passed
#: on to the device each worker compiles on.
RAY_KEYS = frozenset({"RAY_ADDRESS", "RAY_TARGET_DEVICE", "RAY_ACTOR_OPTIONS", "RAY_TIMEOUT",
                      "NUM_STREAMS", "DEVICE_ID"})


def default_config() -> dict[str, Any]:
    """The read-write properties and their defaults."""
    return {
        "DEVICE_ID": "",
        "PERF_COUNT": False,
        "PERFORMANCE_HINT": hint.PerformanceMode.LATENCY,
        "PERFORMANCE_HINT_NUM_REQUESTS": 0,
        "NUM_STREAMS": -1,
        "INFERENCE_NUM_THREADS": 0,
        "RAY_ADDRESS": "",
        "RAY_TARGET_DEVICE": "AUTO",
        "RAY_ACTOR_OPTIONS": "",
        "RAY_TIMEOUT": DEFAULT_TIMEOUT,
    }


def read_only_properties() -> dict[str, Any]:
    """What the device reports without reaching the cluster (listing devices never starts
    Ray; a compiled model names the workers' devices in ``EXECUTION_DEVICES``)."""
    return {
        "AVAILABLE_DEVICES": [""],
        "DEVICE_TYPE": device.Type.INTEGRATED,
        "EXECUTION_DEVICES": [DEVICE_NAME],
        "FULL_DEVICE_NAME": "Ray cluster (OpenVINO workers on every node)",
        "DEVICE_ARCHITECTURE": "ray",
        "OPTIMIZATION_CAPABILITIES": [device.Capability.FP32, device.Capability.EXPORT_IMPORT],
        "RANGE_FOR_STREAMS": (1, 1024),
        "RANGE_FOR_ASYNC_INFER_REQUESTS": (1, 1024, 1),
    }


def check_value(key: str, value: Any) -> None:
    """Refuse values that cannot mean anything, with ``RuntimeError`` naming the key (as
    OpenVINO refuses a bad property value)."""
    if key == "NUM_STREAMS" and (not isinstance(value, int) or value == 0 or value < -1):
        raise RuntimeError(f"RAY: NUM_STREAMS is the number of worker actors: a positive "
                           f"number or -1 (AUTO), got {value!r}")
    if key == "RAY_TIMEOUT":
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if not seconds > 0:
            raise RuntimeError(f"RAY: RAY_TIMEOUT is a number of seconds > 0, got {value!r}")
    if key == "RAY_ACTOR_OPTIONS":
        actor_options(value)
    if key in ("RAY_ADDRESS", "RAY_TARGET_DEVICE") and not isinstance(value, str):
        raise RuntimeError(f"RAY: {key} is a string, got {value!r}")
    if key == "RAY_TARGET_DEVICE" and DEVICE_NAME in _named_devices(value):
        raise RuntimeError("RAY: RAY_TARGET_DEVICE cannot be RAY itself (workers compile on "
                           "their own devices)")


def _named_devices(target: str) -> set[str]:
    """The device families ``target`` may compile on (``AUTO:A,B`` / ``HETERO:A,B``: the
    listed ones; ``-X`` excludes, so it names nothing)."""
    head, _, rest = target.partition(":")
    names = [head] + [n.strip() for n in rest.split(",") if n.strip()]
    return {n.split(".")[0] for n in names if not n.startswith("-")}


def actor_options(value: Any) -> dict[str, Any]:
    """``RAY_ACTOR_OPTIONS`` (a dict, or its JSON text; ``""``: the default) as the options
    of ``ActorClass.options``."""
    if value in ("", None):
        options: Any = {}
    elif isinstance(value, str):
        try:
            options = json.loads(value)
        except json.JSONDecodeError as exc:
            raise RuntimeError(f"RAY: RAY_ACTOR_OPTIONS is a dict or its JSON text, got "
                               f"{value!r} ({exc})") from None
    else:
        options = value
    if not isinstance(options, dict):
        raise RuntimeError(f"RAY: RAY_ACTOR_OPTIONS is a dict of Ray actor options, got "
                           f"{value!r}")
    allowed = {"num_cpus", "num_gpus", "resources", "memory", "accelerator_type",
               "runtime_env", "label_selector"}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise RuntimeError(f"RAY: RAY_ACTOR_OPTIONS takes {sorted(allowed)}, got {unknown}")
    out = dict(options)
    out.setdefault("num_cpus", 1)
    return out


@dataclass(frozen=True)
class Settings:
    """The compile config's RAY part, checked."""

    address: str
    target: str
    streams: int
    options: dict[str, Any]
    timeout: float
    mode: str
    num_requests: int
    #: ``RAY_ACTOR_OPTIONS`` set by the user (not the default)
    options_given: bool = False

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Settings:
        for key in RAY_KEYS:
            if key in config:
                check_value(key, config[key])
        target = str(config.get("RAY_TARGET_DEVICE") or "AUTO")
        return cls(address=str(config.get("RAY_ADDRESS") or ""),
                   target=target,
                   streams=int(config.get("NUM_STREAMS", -1)),
                   options=actor_options(config.get("RAY_ACTOR_OPTIONS", "")),
                   timeout=float(config.get("RAY_TIMEOUT") or DEFAULT_TIMEOUT),
                   mode=_mode_name(config.get("PERFORMANCE_HINT", "LATENCY")),
                   num_requests=int(config.get("PERFORMANCE_HINT_NUM_REQUESTS") or 0),
                   options_given=config.get("RAY_ACTOR_OPTIONS") not in ("", None, {}))

    def options_key(self) -> str:
        return json.dumps(self.options, sort_keys=True, default=str)


def per_node(settings: Settings) -> bool:
    """Whether the actors are one per node, each holding all of its node's CPUs: the
    ``THROUGHPUT`` hint with neither ``NUM_STREAMS``, ``RAY_ACTOR_OPTIONS`` nor
    ``PERFORMANCE_HINT_NUM_REQUESTS`` given. Such an actor computes with its node's own
    ``THROUGHPUT`` streams, as the node's device compiled directly would: one process
    per node (one copy of the weights, less of Ray's per-process upkeep) instead of one
    per CPU."""
    return (settings.streams <= 0 and not settings.options_given
            and settings.num_requests <= 0
            and settings.mode in ("THROUGHPUT", "CUMULATIVE_THROUGHPUT"))


def actor_count(settings: Settings, cluster: dict[str, float],
                nodes: list[float] | None = None) -> int:
    """Worker actors for ``settings`` on a cluster of ``cluster`` resources whose nodes
    have ``nodes`` CPUs each (``None``: one node): an explicit ``NUM_STREAMS`` wins;
    ``THROUGHPUT`` fills the cluster: one actor per node with CPUs (:func:`per_node`), or,
    with ``RAY_ACTOR_OPTIONS``, as many actors of those resources as it holds (its GPUs
    when an actor asks for GPUs, else its CPUs), capped by
    ``PERFORMANCE_HINT_NUM_REQUESTS``; else 1."""
    if settings.streams > 0:
        return settings.streams
    if settings.mode not in ("THROUGHPUT", "CUMULATIVE_THROUGHPUT"):
        return 1
    if per_node(settings):
        cpus = nodes if nodes is not None else [cluster.get("CPU", 1)]
        return max(1, sum(1 for c in cpus if c >= 1))
    gpus = float(settings.options.get("num_gpus") or 0)
    if gpus > 0:
        count = int(cluster.get("GPU", 0) // gpus)
    else:
        cpus = float(settings.options.get("num_cpus") or 0)
        count = int(cluster.get("CPU", 1) // cpus) if cpus > 0 else int(cluster.get("CPU", 1))
    if settings.num_requests > 0:
        count = min(count, settings.num_requests)
    return max(1, count)


def target_config(config: dict[str, Any]) -> dict[str, Any]:
    """What each worker passes to its own ``compile_model``: the user's settings other than
    the device's own, as plain values (enums by name)."""
    out = {}
    for key, value in config.items():
        if key in RAY_KEYS or key == "PERFORMANCE_HINT_NUM_REQUESTS":
            continue
        if key == "INFERENCE_NUM_THREADS" and not value:
            continue  # 0: the worker uses the CPUs Ray gave its actor
        if key == "PERFORMANCE_HINT":
            value = _mode_name(value)
        out[key] = value
    return out


def compiled_value(key: str, value: Any) -> Any:
    """A setting as the compiled model reports it: the hint and ``PERF_COUNT`` as text, as
    the real CPU plugin's compiled model does."""
    if key == "PERFORMANCE_HINT":
        return _mode_name(value)
    if key == "PERF_COUNT":
        return "YES" if value else "NO"
    return value


def _mode_name(value: Any) -> str:
    name = getattr(value, "name", None)
    return str(name if name is not None else value).upper()
