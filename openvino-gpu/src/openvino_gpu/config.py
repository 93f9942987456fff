"""Properties of the GPU device: read-write defaults, read-only values per OpenCL device,
and what a compiled model reports.

Names and value types are the real GPU plugin's. ``INFERENCE_PRECISION_HINT`` defaults to
``f16`` on a device with ``cl_khr_fp16`` and ``f32`` elsewhere (as the real plugin); an
explicit value wins. ``f16`` stores every floating-point tensor as half in device memory
(computed in float where the device lacks ``cl_khr_fp16``).
"""

from __future__ import annotations

from typing import Any

from openvino import Type
from openvino.properties import device, hint

from .devices import OpenCLDevice

__all__ = ["default_config", "read_only_properties", "inference_precision", "compiled_value",
           "DEVICE_ONLY", "MAX_STREAMS"]

#: Requests of one compiled model that may run at once (each has its own queue and arena).
MAX_STREAMS = 4


def default_config(dev: OpenCLDevice | None) -> dict[str, Any]:
    """The read-write properties and their defaults (``dev``: ``GPU.0``)."""
    return {
        "DEVICE_ID": "0",
        "PERF_COUNT": False,
        "PERFORMANCE_HINT": hint.PerformanceMode.LATENCY,
        "PERFORMANCE_HINT_NUM_REQUESTS": 0,
        "EXECUTION_MODE_HINT": hint.ExecutionMode.PERFORMANCE,
        "INFERENCE_PRECISION_HINT": Type.f16 if dev is not None and dev.info.fp16 else Type.f32,
        "NUM_STREAMS": 1,
        "MODEL_PRIORITY": hint.Priority.MEDIUM,
        "COMPILATION_NUM_THREADS": 1,
        "ENABLE_CPU_PINNING": False,
        "WEIGHTS_PATH": "",
        "CACHE_MODE": "OPTIMIZE_SPEED",
    }


def inference_precision(config: dict[str, Any], dev: OpenCLDevice, explicit: bool) -> str:
    """``"f16"`` or ``"f32"``: the precision set by the user (``explicit``), else the
    device's default. Only ``f16``/``f32`` are inference precisions of this device;
    ``bf16`` runs in ``f32``."""
    value = config.get("INFERENCE_PRECISION_HINT") if explicit else None
    name = value.get_type_name() if isinstance(value, Type) else str(value or "")
    if name in ("f16",):
        return "f16"
    if name in ("f32", "f64", "bf16"):
        return "f32"
    if name in ("", "undefined", "dynamic", "None"):
        return "f16" if dev.info.fp16 else "f32"
    raise RuntimeError(f"GPU: INFERENCE_PRECISION_HINT must be f16 or f32, got '{name}'")


def _uuid_text(raw: bytes) -> str:
    return raw.hex()


def read_only_properties(devices: list[OpenCLDevice], device_id: str) -> dict[str, Any]:
    """Read-only properties of device ``device_id`` (``""``: ``GPU.0``)."""
    ids = [str(i) for i in range(len(devices))]
    dev = devices[int(device_id or 0)] if devices else None
    caps = [device.Capability.FP32, device.Capability.INT8, device.Capability.EXPORT_IMPORT]
    if dev is not None and dev.info.fp16:
        caps.insert(1, device.Capability.FP16)
    props: dict[str, Any] = {
        "AVAILABLE_DEVICES": ids,
        "OPTIMIZATION_CAPABILITIES": caps,
        "RANGE_FOR_STREAMS": (1, MAX_STREAMS),
        "RANGE_FOR_ASYNC_INFER_REQUESTS": (1, 2, 1),
        "OPTIMAL_BATCH_SIZE": 1,
        "MAX_BATCH_SIZE": 1,
    }
    if dev is None:
        props.update({"FULL_DEVICE_NAME": "GPU (no OpenCL device)"})
        return props
    d = dev.cl_device
    props.update({
        "FULL_DEVICE_NAME": f"{dev.name} ({'iGPU' if dev.is_integrated else 'dGPU'})"
        if not dev.info.is_cpu else f"{dev.name} (OpenCL CPU device, {dev.platform_name})",
        "DEVICE_TYPE": device.Type.INTEGRATED if dev.is_integrated else device.Type.DISCRETE,
        "DEVICE_UUID": _uuid_text(dev.uuid),
        "DEVICE_ARCHITECTURE": f"GPU: vendor=0x{int(d.vendor_id):x} arch={dev.name}",
        "GPU_DEVICE_TOTAL_MEM_SIZE": dev.total_memory,
        "GPU_EXECUTION_UNITS_COUNT": dev.info.compute_units,
        "GPU_UARCH_VERSION": str(d.version).strip(),
        "GPU_MEMORY_STATISTICS": dev_memory_statistics(dev),
    })
    return props


def dev_memory_statistics(dev: OpenCLDevice) -> dict[str, int]:
    """``GPU_MEMORY_STATISTICS``: bytes of device memory this process holds now."""
    from .memory import allocated_bytes

    return {"cl_mem": allocated_bytes(dev)}


#: Settings of the device that a compiled model does not list.
DEVICE_ONLY = frozenset({"DEVICE_ID", "WEIGHTS_PATH", "CACHE_MODE", "ENABLE_CPU_PINNING"})


def compiled_value(key: str, value: Any) -> Any:
    """A setting as a compiled model reports it."""
    return value
