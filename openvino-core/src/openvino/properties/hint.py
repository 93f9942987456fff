"""``openvino.properties.hint``: high-level hints that let a device choose its own settings."""

from __future__ import annotations

from openvino.properties._enum import PropertyEnum
from openvino.properties._property import ReadWriteProperty
from openvino.properties._value_kinds import (
    UINT32,
    UINT64,
    BoolKind,
    ElementTypeKind,
    EnumKind,
    EnumSetKind,
    FloatKind,
    InstanceKind,
    IntKind,
)

__all__ = [
    "ExecutionMode",
    "ModelDistributionPolicy",
    "PerformanceMode",
    "Priority",
    "SchedulingCoreType",
    "activations_scale_factor",
    "allow_auto_batching",
    "compiled_blob",
    "dynamic_quantization_group_size",
    "enable_cpu_pinning",
    "enable_cpu_reservation",
    "enable_hyper_threading",
    "execution_mode",
    "inference_precision",
    "kv_cache_precision",
    "model",
    "model_distribution_policy",
    "model_priority",
    "num_requests",
    "performance_mode",
    "scheduling_core_type",
]


class Priority(PropertyEnum):
    """Priority of a model (or of GPU queues); ``DEFAULT`` is ``MEDIUM``."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2
    DEFAULT = 1


class PerformanceMode(PropertyEnum):
    """What the device tunes a compiled model for."""

    LATENCY = 1
    THROUGHPUT = 2
    CUMULATIVE_THROUGHPUT = 3


class SchedulingCoreType(PropertyEnum):
    """Which CPU cores inference threads may run on."""

    ANY_CORE = 0
    PCORE_ONLY = 1
    ECORE_ONLY = 2


class ModelDistributionPolicy(PropertyEnum):
    """How a model is split across sockets or devices."""

    TENSOR_PARALLEL = 0
    PIPELINE_PARALLEL = 1


class ExecutionMode(PropertyEnum):
    """Whether a device may trade accuracy for speed (e.g. lower inference precision)."""

    PERFORMANCE = 1
    ACCURACY = 2


inference_precision = ReadWriteProperty(
    "INFERENCE_PRECISION_HINT", ElementTypeKind(), name="inference_precision",
    doc="Element type a device computes in (openvino.Type).",
)
model_priority = ReadWriteProperty(
    "MODEL_PRIORITY", EnumKind(Priority, "hint.Priority"), name="model_priority",
    doc="Priority of a model relative to others on the same device.",
)
performance_mode = ReadWriteProperty(
    "PERFORMANCE_HINT", EnumKind(PerformanceMode, "hint.PerformanceMode"),
    name="performance_mode",
    doc="Tune for LATENCY, THROUGHPUT or CUMULATIVE_THROUGHPUT.",
)
enable_cpu_pinning = ReadWriteProperty(
    "ENABLE_CPU_PINNING", BoolKind(), name="enable_cpu_pinning",
    doc="Pin inference threads to CPU cores.",
)
enable_cpu_reservation = ReadWriteProperty(
    "ENABLE_CPU_RESERVATION", BoolKind(), name="enable_cpu_reservation",
    doc="Reserve the CPU cores a compiled model runs on for it alone.",
)
scheduling_core_type = ReadWriteProperty(
    "SCHEDULING_CORE_TYPE", EnumKind(SchedulingCoreType, "hint.SchedulingCoreType"),
    name="scheduling_core_type",
    doc="Which CPU core types inference threads run on.",
)
model_distribution_policy = ReadWriteProperty(
    "MODEL_DISTRIBUTION_POLICY",
    EnumSetKind(ModelDistributionPolicy, "hint.ModelDistributionPolicy"),
    name="model_distribution_policy",
    doc="Set of policies for splitting a model across sockets or devices.",
)
enable_hyper_threading = ReadWriteProperty(
    "ENABLE_HYPER_THREADING", BoolKind(), name="enable_hyper_threading",
    doc="Let inference threads use both logical cores of a physical core.",
)
execution_mode = ReadWriteProperty(
    "EXECUTION_MODE_HINT", EnumKind(ExecutionMode, "hint.ExecutionMode"), name="execution_mode",
    doc="PERFORMANCE or ACCURACY.",
)
num_requests = ReadWriteProperty(
    "PERFORMANCE_HINT_NUM_REQUESTS", IntKind(UINT32, "uint32"), name="num_requests",
    doc="How many requests the application runs in parallel (limits the streams chosen).",
)
model = ReadWriteProperty(
    "MODEL_PTR", InstanceKind("Model"), name="model",
    doc="The openvino.Model a compile or import call refers to.",
)
allow_auto_batching = ReadWriteProperty(
    "ALLOW_AUTO_BATCHING", BoolKind(), name="allow_auto_batching",
    doc="Allow the THROUGHPUT hint to batch requests automatically.",
)
dynamic_quantization_group_size = ReadWriteProperty(
    "DYNAMIC_QUANTIZATION_GROUP_SIZE", IntKind(UINT64, "uint64"),
    name="dynamic_quantization_group_size",
    doc="Group size for dynamic quantization of activations (0 disables it).",
)
kv_cache_precision = ReadWriteProperty(
    "KV_CACHE_PRECISION", ElementTypeKind(), name="kv_cache_precision",
    doc="Element type of the KV cache (openvino.Type).",
)
activations_scale_factor = ReadWriteProperty(
    "ACTIVATIONS_SCALE_FACTOR", FloatKind(), name="activations_scale_factor",
    doc="Scale applied to activations to keep low-precision inference in range.",
)
compiled_blob = ReadWriteProperty(
    "COMPILED_BLOB", InstanceKind("Tensor"), name="compiled_blob",
    doc="A u8 openvino.Tensor holding an exported compiled model to import.",
)
