"""Properties of the CPU device: read-write defaults, read-only values, and how
``PERFORMANCE_HINT`` / ``NUM_STREAMS`` / ``INFERENCE_NUM_THREADS`` become streams and
threads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from openvino import Type
from openvino.properties import device, hint, log

from ._native import isa

__all__ = ["default_config", "read_only_properties", "cpu_count", "cpu_name", "Execution",
           "resolve_execution", "compiled_value", "DEVICE_ONLY"]


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def cpu_name() -> str:
    """The processor's marketing name (``/proc/cpuinfo``), or a generic one."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return f"CPU ({isa()})"


def default_config() -> dict[str, Any]:
    """The read-write properties and their defaults.

    The list and the defaults are the real CPU plugin's where a setting means the same here;
    where it does not, the value says what this device does: ``INFERENCE_PRECISION_HINT``
    is f32 (the kernels compute in f32). ``ENABLE_CPU_PINNING`` is True as there: each
    stream's threads are bound to cores of their own (``streams``).
    ``DYNAMIC_QUANTIZATION_GROUP_SIZE`` is 32 as there: matmuls with integer compressed
    weights quantise their input to int8 per group of 32 along K at run time
    and use integer dot products (AVX512-VNNI / AVX-VNNI; without them, and with 0, the
    exact f32 path). The KV-cache settings are accepted and reported for code that sets
    them; no op of this device keeps a compressed KV cache."""
    return {
        "DEVICE_ID": "",
        "PERF_COUNT": False,
        "PERFORMANCE_HINT": hint.PerformanceMode.LATENCY,
        "PERFORMANCE_HINT_NUM_REQUESTS": 0,
        "EXECUTION_MODE_HINT": hint.ExecutionMode.PERFORMANCE,
        "INFERENCE_PRECISION_HINT": Type.f32,
        "INFERENCE_NUM_THREADS": 0,
        "NUM_STREAMS": 1,
        "ENABLE_CPU_PINNING": True,
        "ENABLE_HYPER_THREADING": True,
        "SCHEDULING_CORE_TYPE": hint.SchedulingCoreType.ANY_CORE,
        "DYNAMIC_QUANTIZATION_GROUP_SIZE": 32,
        "KV_CACHE_PRECISION": Type.u8,
        "KEY_CACHE_PRECISION": Type.u8,
        "VALUE_CACHE_PRECISION": Type.u8,
        "KEY_CACHE_GROUP_SIZE": 0,
        "VALUE_CACHE_GROUP_SIZE": 0,
        "ENABLE_CPU_RESERVATION": False,
        "ENABLE_WEIGHTLESS": False,
        "MODEL_DISTRIBUTION_POLICY": set(),
        "WEIGHTS_PATH": "",
        "CPU_DENORMALS_OPTIMIZATION": False,
        "CPU_SPARSE_WEIGHTS_DECOMPRESSION_RATE": 1.0,
        "LOG_LEVEL": log.Level.NO,
    }


def read_only_properties(available: list[str]) -> dict[str, Any]:
    """The read-only properties of the device. ``AVAILABLE_DEVICES`` is ``[""]`` as the
    real CPU plugin reports it: one device, addressed without an id."""
    cores = cpu_count()
    return {
        "AVAILABLE_DEVICES": [""] if len(available) == 1 else available,
        "DEVICE_TYPE": device.Type.INTEGRATED,
        "EXECUTION_DEVICES": ["CPU"],
        "FULL_DEVICE_NAME": cpu_name(),
        "DEVICE_ARCHITECTURE": "intel64" if isa() != "generic" else os.uname().machine,
        "OPTIMIZATION_CAPABILITIES": [device.Capability.FP32, device.Capability.FP16,
                                      device.Capability.INT8, device.Capability.EXPORT_IMPORT],
        "RANGE_FOR_STREAMS": (1, cores),
        "RANGE_FOR_ASYNC_INFER_REQUESTS": (1, 1, 1),
    }


#: Settings of the device that a compiled model does not list, as the real CPU plugin.
DEVICE_ONLY = frozenset({"DEVICE_ID", "WEIGHTS_PATH", "ENABLE_WEIGHTLESS"})


def compiled_value(key: str, value: Any) -> Any:
    """A setting as a compiled CPU model reports it: the real plugin's compiled model gives
    ``PERFORMANCE_HINT``, ``PERFORMANCE_HINT_NUM_REQUESTS`` and ``PERF_COUNT`` as text
    (``"LATENCY"``, ``"0"``, ``"YES"``/``"NO"``); the device itself gives typed values."""
    if key == "PERFORMANCE_HINT":
        return _mode_name(value)
    if key == "PERFORMANCE_HINT_NUM_REQUESTS":
        return str(int(value))
    if key == "PERF_COUNT":
        return "YES" if value else "NO"
    return value


@dataclass(frozen=True)
class Execution:
    """How a compiled model runs: ``streams`` requests at once, each on ``threads``.
    ``no_streams``: ``NUM_STREAMS`` 0 was asked for, which the real plugin reports as 0
    streams of 0 threads (it runs requests in the caller's thread); here one stream of
    every thread."""

    streams: int
    threads: int
    optimal_requests: int
    no_streams: bool = False
    pinning: bool = True

    @property
    def reported_streams(self) -> int:
        return 0 if self.no_streams else self.streams

    @property
    def reported_threads(self) -> int:
        return 0 if self.no_streams else self.streams * self.threads


def _mode_name(value: Any) -> str:
    name = getattr(value, "name", None)
    return str(name if name is not None else value).upper()


def resolve_execution(config: dict[str, Any], explicit: set[str]) -> Execution:
    """Streams and threads from the hint, ``NUM_STREAMS``, ``INFERENCE_NUM_THREADS`` and
    ``PERFORMANCE_HINT_NUM_REQUESTS``, as the real CPU plugin resolves them: threads at
    most the cores; an explicit ``NUM_STREAMS`` wins over the hint, ``AUTO`` (-1) and the
    THROUGHPUT hints give one stream per thread; streams at most the threads and at most
    ``PERFORMANCE_HINT_NUM_REQUESTS`` (whatever the hint); the threads are shared out
    evenly between the streams. ``ENABLE_CPU_PINNING`` says whether their threads are
    bound to cores."""
    cores = cpu_count()
    mode = _mode_name(config.get("PERFORMANCE_HINT", "LATENCY"))
    threads_total = int(config.get("INFERENCE_NUM_THREADS") or 0)
    if threads_total <= 0 or threads_total > cores:
        # more kernel threads than cores only makes them wait for each other
        threads_total = cores
    streams_cfg = int(config.get("NUM_STREAMS", 1))
    pinning = bool(config.get("ENABLE_CPU_PINNING", True))
    if "NUM_STREAMS" in explicit and streams_cfg == 0:
        return Execution(1, threads_total, 1, no_streams=True, pinning=pinning)
    if "NUM_STREAMS" in explicit and streams_cfg > 0:
        streams = streams_cfg
    elif mode in ("THROUGHPUT", "CUMULATIVE_THROUGHPUT") or streams_cfg < 0:
        streams = threads_total
    else:
        streams = 1
    streams = max(1, min(streams, threads_total))
    limit = int(config.get("PERFORMANCE_HINT_NUM_REQUESTS") or 0)
    if limit > 0:
        streams = min(streams, limit)
    threads = max(1, threads_total // streams)
    return Execution(streams, threads, streams, pinning=pinning)
