"""Properties of the TEMPLATE device: read-write defaults and read-only values."""

from __future__ import annotations

from typing import Any

from openvino import Type
from openvino.properties import device, hint, log

__all__ = ["default_config", "read_only_properties", "FULL_DEVICE_NAME"]

FULL_DEVICE_NAME = "Template reference device (numpy)"


def default_config() -> dict[str, Any]:
    """The read-write properties and their defaults."""
    return {
        "PERF_COUNT": False,
        "PERFORMANCE_HINT": hint.PerformanceMode.LATENCY,
        "PERFORMANCE_HINT_NUM_REQUESTS": 0,
        "EXECUTION_MODE_HINT": hint.ExecutionMode.ACCURACY,
        "INFERENCE_PRECISION_HINT": Type.f32,
        "INFERENCE_NUM_THREADS": 0,
        "NUM_STREAMS": 1,
        "MODEL_PRIORITY": hint.Priority.MEDIUM,
        "LOG_LEVEL": log.Level.NO,
    }


def read_only_properties(available: list[str]) -> dict[str, Any]:
    """The read-only properties of the device."""
    return {
        "AVAILABLE_DEVICES": available,
        "FULL_DEVICE_NAME": FULL_DEVICE_NAME,
        "DEVICE_ARCHITECTURE": "numpy reference",
        "OPTIMIZATION_CAPABILITIES": [device.Capability.FP32, device.Capability.FP16,
                                      device.Capability.INT8, device.Capability.EXPORT_IMPORT],
        "RANGE_FOR_STREAMS": (1, 1),
        "RANGE_FOR_ASYNC_INFER_REQUESTS": (1, 4, 1),
    }
