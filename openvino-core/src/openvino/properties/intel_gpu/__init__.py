"""``openvino.properties.intel_gpu``: settings and facts specific to the GPU device."""

from __future__ import annotations

from openvino.properties._property import ReadOnlyProperty, ReadWriteProperty
from openvino.properties._value_kinds import INT32, UINT64, AnyKind, BoolKind, IntKind, StrKind

__all__ = [
    "CapabilityGPU",
    "MemoryType",
    "device_total_mem_size",
    "disable_winograd_convolution",
    "enable_loop_unrolling",
    "execution_units_count",
    "hint",
    "memory_statistics",
    "uarch_version",
]


class MemoryType:
    """Names of GPU memory kinds a remote tensor can live in."""

    surface = "GPU_SURFACE"
    buffer = "GPU_BUFFER"


class CapabilityGPU:
    """GPU-specific names a GPU lists in ``OPTIMIZATION_CAPABILITIES``."""

    HW_MATMUL = "GPU_HW_MATMUL"


# --- read-only -------------------------------------------------------------------------
device_total_mem_size = ReadOnlyProperty(
    "GPU_DEVICE_TOTAL_MEM_SIZE", IntKind(UINT64, "uint64"), name="device_total_mem_size",
    doc="Total bytes of device memory.",
)
uarch_version = ReadOnlyProperty(
    "GPU_UARCH_VERSION", StrKind(), name="uarch_version",
    doc="Micro-architecture version of the GPU (\"major.minor.revision\").",
)
execution_units_count = ReadOnlyProperty(
    "GPU_EXECUTION_UNITS_COUNT", IntKind(INT32, "int32"), name="execution_units_count",
    doc="Number of execution units of the GPU.",
)
memory_statistics = ReadOnlyProperty(
    "GPU_MEMORY_STATISTICS", AnyKind("dict[str, int]"), name="memory_statistics",
    doc="Bytes of device memory in use, per allocation kind.",
)

# --- read-write ------------------------------------------------------------------------
enable_loop_unrolling = ReadWriteProperty(
    "GPU_ENABLE_LOOP_UNROLLING", BoolKind(), name="enable_loop_unrolling",
    doc="Unroll Loop operations when the trip count is known.",
)
disable_winograd_convolution = ReadWriteProperty(
    "GPU_DISABLE_WINOGRAD_CONVOLUTION", BoolKind(), name="disable_winograd_convolution",
    doc="Do not use Winograd convolution kernels.",
)

from openvino.properties.intel_gpu import hint  # noqa: E402
