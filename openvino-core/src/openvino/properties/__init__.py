"""``openvino.properties``: the names of OpenVINO runtime properties and their value types.

Every property is a callable string (see :mod:`openvino.properties._property`)::

    import openvino.properties as props
    import openvino.properties.hint as hints

    props.cache_dir()                     # "CACHE_DIR"
    props.cache_dir("./cache")            # ("CACHE_DIR", OVAny("./cache"))
    core.set_property({props.enable_profiling: True,
                       hints.performance_mode: hints.PerformanceMode.LATENCY})
    core.get_property("CPU", props.supported_properties)

Submodules follow OpenVINO's namespaces: :mod:`hint`, :mod:`device`, :mod:`streams`,
:mod:`log`, :mod:`intel_cpu`, :mod:`intel_gpu` (with :mod:`intel_gpu.hint`),
:mod:`intel_auto` and :mod:`intel_npu`.
"""

from __future__ import annotations

from openvino.properties._enum import PropertyEnum
from openvino.properties._property import ReadOnlyProperty, ReadWriteProperty, WriteOnlyProperty
from openvino.properties._value_kinds import (
    INT32,
    UINT32,
    UINT64,
    AnyKind,
    BoolKind,
    CallbacksKind,
    ElementTypeKind,
    EnumKind,
    IntKind,
    IntTupleKind,
    StrKind,
    StrListKind,
)


class CacheMode(PropertyEnum):
    """What the model cache optimises for."""

    OPTIMIZE_SIZE = 0
    OPTIMIZE_SPEED = 1


class CompatibilityCheck(PropertyEnum):
    """Whether a compiled blob can run on a device (``compatibility_check``)."""

    NOT_APPLICABLE = 0
    SUPPORTED = 1
    UNSUPPORTED = 2


class WorkloadType(PropertyEnum):
    """The kind of workload a compiled model runs (``EFFICIENT`` favours power saving)."""

    DEFAULT = 0
    EFFICIENT = 1


# --- read-write ------------------------------------------------------------------------
enable_profiling = ReadWriteProperty(
    "PERF_COUNT", BoolKind(), name="enable_profiling",
    doc="Collect per-node performance counters (read them with get_profiling_info()).",
)
cache_dir = ReadWriteProperty(
    "CACHE_DIR", StrKind(paths=True), name="cache_dir",
    doc="Folder where compiled models are cached; empty disables caching.",
)
cache_mode = ReadWriteProperty(
    "CACHE_MODE", EnumKind(CacheMode, "CacheMode"), name="cache_mode",
    doc="Whether the model cache favours blob size or load speed.",
)
workload_type = ReadWriteProperty(
    "WORKLOAD_TYPE", EnumKind(WorkloadType, "WorkloadType"), name="workload_type",
    doc="Workload type of a compiled model.",
)
auto_batch_timeout = ReadWriteProperty(
    "AUTO_BATCH_TIMEOUT", IntKind(UINT32, "uint32"), name="auto_batch_timeout",
    doc="Milliseconds automatic batching waits to fill a batch.",
)
inference_num_threads = ReadWriteProperty(
    "INFERENCE_NUM_THREADS", IntKind(INT32, "int32"), name="inference_num_threads",
    doc="Maximum number of threads used for inference (0 lets the device decide).",
)
compilation_num_threads = ReadWriteProperty(
    "COMPILATION_NUM_THREADS", IntKind(INT32, "int32"), name="compilation_num_threads",
    doc="Maximum number of threads used to compile a model.",
)
force_tbb_terminate = ReadWriteProperty(
    "FORCE_TBB_TERMINATE", BoolKind(), name="force_tbb_terminate",
    doc="Terminate the threading runtime when the core is released.",
)
enable_mmap = ReadWriteProperty(
    "ENABLE_MMAP", BoolKind(), name="enable_mmap",
    doc="Map model weight files into memory instead of reading them.",
)
weights_path = ReadWriteProperty(
    "WEIGHTS_PATH", StrKind(paths=True), name="weights_path",
    doc="Path to the weights file of a model loaded from a weightless cache blob.",
)
key_cache_group_size = ReadWriteProperty(
    "KEY_CACHE_GROUP_SIZE", IntKind(UINT64, "uint64"), name="key_cache_group_size",
    doc="Group size used to quantize the key cache of a KV-cache model.",
)
value_cache_group_size = ReadWriteProperty(
    "VALUE_CACHE_GROUP_SIZE", IntKind(UINT64, "uint64"), name="value_cache_group_size",
    doc="Group size used to quantize the value cache of a KV-cache model.",
)
key_cache_precision = ReadWriteProperty(
    "KEY_CACHE_PRECISION", ElementTypeKind(), name="key_cache_precision",
    doc="Element type of the key cache of a KV-cache model.",
)
value_cache_precision = ReadWriteProperty(
    "VALUE_CACHE_PRECISION", ElementTypeKind(), name="value_cache_precision",
    doc="Element type of the value cache of a KV-cache model.",
)
enable_weightless = ReadWriteProperty(
    "ENABLE_WEIGHTLESS", BoolKind(), name="enable_weightless",
    doc="Leave the weights out of cached/exported blobs (they are read from WEIGHTS_PATH).",
)

# --- write-only ------------------------------------------------------------------------
cache_encryption_callbacks = WriteOnlyProperty(
    "CACHE_ENCRYPTION_CALLBACKS", CallbacksKind(), name="cache_encryption_callbacks",
    doc="[encrypt, decrypt] functions applied to cached blobs (str -> str each).",
)

# --- read-only -------------------------------------------------------------------------
supported_properties = ReadOnlyProperty(
    "SUPPORTED_PROPERTIES", AnyKind("dict[str, str]"), name="supported_properties",
    doc="The properties a device or compiled model supports, each with RO/RW.",
)
available_devices = ReadOnlyProperty(
    "AVAILABLE_DEVICES", StrListKind(), name="available_devices",
    doc="Device ids available for a device family.",
)
model_name = ReadOnlyProperty(
    "NETWORK_NAME", StrKind(), name="model_name",
    doc="Friendly name of the model a compiled model was built from.",
)
optimal_number_of_infer_requests = ReadOnlyProperty(
    "OPTIMAL_NUMBER_OF_INFER_REQUESTS", IntKind(UINT32, "uint32"),
    name="optimal_number_of_infer_requests",
    doc="How many infer requests keep a compiled model busy.",
)
range_for_streams = ReadOnlyProperty(
    "RANGE_FOR_STREAMS", IntTupleKind(2), name="range_for_streams",
    doc="(min, max) number of streams a device supports.",
)
optimal_batch_size = ReadOnlyProperty(
    "OPTIMAL_BATCH_SIZE", IntKind(UINT32, "uint32"), name="optimal_batch_size",
    doc="Batch size that gives a device its best throughput.",
)
max_batch_size = ReadOnlyProperty(
    "MAX_BATCH_SIZE", IntKind(UINT32, "uint32"), name="max_batch_size",
    doc="Largest batch size a device can run a model with.",
)
range_for_async_infer_requests = ReadOnlyProperty(
    "RANGE_FOR_ASYNC_INFER_REQUESTS", IntTupleKind(3), name="range_for_async_infer_requests",
    doc="(min, max, step) number of async infer requests a device supports.",
)
execution_devices = ReadOnlyProperty(
    "EXECUTION_DEVICES", StrListKind(), name="execution_devices",
    doc="Devices a compiled model actually runs on.",
)
loaded_from_cache = ReadOnlyProperty(
    "LOADED_FROM_CACHE", BoolKind(), name="loaded_from_cache",
    doc="Whether a compiled model was loaded from the model cache.",
)
runtime_requirements = ReadOnlyProperty(
    "RUNTIME_REQUIREMENTS", StrKind(), name="runtime_requirements",
    doc="What a runtime needs to import an exported compiled model (versions, ISA).",
)
compatibility_check = ReadOnlyProperty(
    "COMPATIBILITY_CHECK", EnumKind(CompatibilityCheck, "CompatibilityCheck"),
    name="compatibility_check",
    doc="Whether the device can run the compiled blob it is asked about.",
)

# Submodules are imported after the top-level names so that each of them sees a complete
# package; they depend only on the private helper modules above.
from openvino.properties import (  # noqa: E402
    device,
    hint,
    intel_auto,
    intel_cpu,
    intel_gpu,
    intel_npu,
    log,
    streams,
)

num_streams = streams.num

__all__ = [
    "CacheMode",
    "CompatibilityCheck",
    "WorkloadType",
    "auto_batch_timeout",
    "available_devices",
    "cache_dir",
    "cache_encryption_callbacks",
    "cache_mode",
    "compatibility_check",
    "compilation_num_threads",
    "device",
    "enable_mmap",
    "enable_profiling",
    "enable_weightless",
    "execution_devices",
    "force_tbb_terminate",
    "hint",
    "inference_num_threads",
    "intel_auto",
    "intel_cpu",
    "intel_gpu",
    "intel_npu",
    "key_cache_group_size",
    "key_cache_precision",
    "loaded_from_cache",
    "log",
    "max_batch_size",
    "model_name",
    "num_streams",
    "optimal_batch_size",
    "optimal_number_of_infer_requests",
    "range_for_async_infer_requests",
    "range_for_streams",
    "runtime_requirements",
    "streams",
    "supported_properties",
    "value_cache_group_size",
    "value_cache_precision",
    "weights_path",
    "workload_type",
]
