"""``openvino.properties.intel_npu``: settings and facts specific to the NPU device."""

from __future__ import annotations

from openvino.properties._enum import PropertyEnum
from openvino.properties._property import ReadOnlyProperty, ReadWriteProperty
from openvino.properties._value_kinds import (
    INT64,
    UINT32,
    UINT64,
    BoolKind,
    EnumKind,
    IntKind,
    StrKind,
)

__all__ = [
    "CompilerType",
    "bypass_umd_caching",
    "compilation_mode_params",
    "compiler_dynamic_quantization",
    "compiler_type",
    "compiler_version",
    "defer_weights_load",
    "device_alloc_mem_size",
    "device_total_mem_size",
    "driver_version",
    "max_tiles",
    "tiles",
    "turbo",
]


class CompilerType(PropertyEnum):
    """Which compiler builds NPU blobs: the one in the plugin or the one in the driver."""

    MLIR = 0
    DRIVER = 1


# --- read-only -------------------------------------------------------------------------
device_alloc_mem_size = ReadOnlyProperty(
    "NPU_DEVICE_ALLOC_MEM_SIZE", IntKind(UINT64, "uint64"), name="device_alloc_mem_size",
    doc="Bytes of NPU memory currently allocated.",
)
device_total_mem_size = ReadOnlyProperty(
    "NPU_DEVICE_TOTAL_MEM_SIZE", IntKind(UINT64, "uint64"), name="device_total_mem_size",
    doc="Total bytes of NPU memory.",
)
driver_version = ReadOnlyProperty(
    "NPU_DRIVER_VERSION", IntKind(UINT32, "uint32"), name="driver_version",
    doc="Version of the NPU driver.",
)
compiler_version = ReadOnlyProperty(
    "NPU_COMPILER_VERSION", IntKind(UINT32, "uint32"), name="compiler_version",
    doc="Version of the NPU compiler.",
)

# --- read-write ------------------------------------------------------------------------
compilation_mode_params = ReadWriteProperty(
    "NPU_COMPILATION_MODE_PARAMS", StrKind(), name="compilation_mode_params",
    doc="Extra options passed to the NPU compiler.",
)
turbo = ReadWriteProperty(
    "NPU_TURBO", BoolKind(), name="turbo",
    doc="Run the NPU in turbo mode.",
)
tiles = ReadWriteProperty(
    "NPU_TILES", IntKind(INT64, "int64"), name="tiles",
    doc="Number of NPU tiles to compile for.",
)
max_tiles = ReadWriteProperty(
    "NPU_MAX_TILES", IntKind(INT64, "int64"), name="max_tiles",
    doc="Largest number of tiles the NPU offers.",
)
bypass_umd_caching = ReadWriteProperty(
    "NPU_BYPASS_UMD_CACHING", BoolKind(), name="bypass_umd_caching",
    doc="Skip the driver's own compiled-blob cache.",
)
defer_weights_load = ReadWriteProperty(
    "NPU_DEFER_WEIGHTS_LOAD", BoolKind(), name="defer_weights_load",
    doc="Load weights at the first inference instead of at compile time.",
)
compiler_dynamic_quantization = ReadWriteProperty(
    "NPU_COMPILER_DYNAMIC_QUANTIZATION", BoolKind(), name="compiler_dynamic_quantization",
    doc="Let the NPU compiler quantize activations dynamically.",
)
compiler_type = ReadWriteProperty(
    "NPU_COMPILER_TYPE", EnumKind(CompilerType, "intel_npu.CompilerType"), name="compiler_type",
    doc="intel_npu.CompilerType to build blobs with.",
)
