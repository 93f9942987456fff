"""Behaviour of ``openvino.properties``, ``OVAny`` and the runtime's property helpers."""

from __future__ import annotations

import copy
import pathlib
import pickle

import numpy as np
import pytest

import openvino.properties as props
import openvino.properties.device as device
import openvino.properties.hint as hints
import openvino.properties.intel_auto as intel_auto
import openvino.properties.intel_cpu as intel_cpu
import openvino.properties.intel_gpu as intel_gpu
import openvino.properties.intel_gpu.hint as intel_gpu_hint
import openvino.properties.intel_npu as intel_npu
import openvino.properties.log as log
import openvino.properties.streams as streams
from openvino._ov_any import OVAny
from openvino.properties import _registry


def _openvino_class(name: str):
    """A class from the ``openvino`` package, or skip when that part is not built yet."""
    try:
        import openvino
    except Exception as exc:  # noqa: BLE001 - the package may be mid-construction
        pytest.skip(f"openvino does not import: {exc}")
    found = getattr(openvino, name, None)
    if found is None:
        pytest.skip(f"openvino.{name} is not available")
    return found


# --- read-only properties ---------------------------------------------------------------
RO_PROPERTIES = [
    (props.supported_properties, "SUPPORTED_PROPERTIES"),
    (props.available_devices, "AVAILABLE_DEVICES"),
    (props.model_name, "NETWORK_NAME"),
    (props.optimal_number_of_infer_requests, "OPTIMAL_NUMBER_OF_INFER_REQUESTS"),
    (props.range_for_streams, "RANGE_FOR_STREAMS"),
    (props.optimal_batch_size, "OPTIMAL_BATCH_SIZE"),
    (props.max_batch_size, "MAX_BATCH_SIZE"),
    (props.range_for_async_infer_requests, "RANGE_FOR_ASYNC_INFER_REQUESTS"),
    (props.execution_devices, "EXECUTION_DEVICES"),
    (props.loaded_from_cache, "LOADED_FROM_CACHE"),
    (device.full_name, "FULL_DEVICE_NAME"),
    (device.architecture, "DEVICE_ARCHITECTURE"),
    (device.type, "DEVICE_TYPE"),
    (device.gops, "DEVICE_GOPS"),
    (device.thermal, "DEVICE_THERMAL"),
    (device.uuid, "DEVICE_UUID"),
    (device.luid, "DEVICE_LUID"),
    (device.pci_info, "DEVICE_PCI_INFO"),
    (device.capabilities, "OPTIMIZATION_CAPABILITIES"),
    (intel_gpu.device_total_mem_size, "GPU_DEVICE_TOTAL_MEM_SIZE"),
    (intel_gpu.uarch_version, "GPU_UARCH_VERSION"),
    (intel_gpu.execution_units_count, "GPU_EXECUTION_UNITS_COUNT"),
    (intel_gpu.memory_statistics, "GPU_MEMORY_STATISTICS"),
    (intel_npu.device_alloc_mem_size, "NPU_DEVICE_ALLOC_MEM_SIZE"),
    (intel_npu.device_total_mem_size, "NPU_DEVICE_TOTAL_MEM_SIZE"),
    (intel_npu.driver_version, "NPU_DRIVER_VERSION"),
    (intel_npu.compiler_version, "NPU_COMPILER_VERSION"),
]


@pytest.mark.parametrize(("prop", "key"), RO_PROPERTIES)
def test_read_only_property_is_its_key(prop, key):
    assert prop() == key
    assert type(prop()) is str
    assert prop == key
    assert str(prop) == key
    assert hash(prop) == hash(key)
    assert {key: 1}[prop] == 1
    assert {prop: 1}[key] == 1
    assert _registry.is_read_only(prop)
    assert _registry.is_read_only(key)


@pytest.mark.parametrize(("prop", "key"), RO_PROPERTIES)
def test_read_only_property_refuses_a_value(prop, key):
    with pytest.raises(TypeError) as err:
        prop("something")
    assert "incompatible function arguments" in str(err.value)


# --- read-write properties --------------------------------------------------------------
BOOL_VALUES = ((True, True), (False, False), (1, True), (0, False), (np.int64(1), True))

RW_PROPERTIES = [
    (props.enable_profiling, "PERF_COUNT", BOOL_VALUES),
    (props.cache_dir, "CACHE_DIR", (("./test_cache", "./test_cache"),)),
    (
        props.cache_mode,
        "CACHE_MODE",
        (
            (props.CacheMode.OPTIMIZE_SIZE, props.CacheMode.OPTIMIZE_SIZE),
            (props.CacheMode.OPTIMIZE_SPEED, props.CacheMode.OPTIMIZE_SPEED),
            ("OPTIMIZE_SPEED", props.CacheMode.OPTIMIZE_SPEED),
        ),
    ),
    (
        props.workload_type,
        "WORKLOAD_TYPE",
        ((props.WorkloadType.EFFICIENT, props.WorkloadType.EFFICIENT),),
    ),
    (
        props.auto_batch_timeout,
        "AUTO_BATCH_TIMEOUT",
        ((21, 21), (np.uint32(37), 37), (21, np.uint32(21)), (np.uint32(37), np.uint32(37))),
    ),
    (props.inference_num_threads, "INFERENCE_NUM_THREADS", ((-8, -8), (8, 8), (np.int32(3), 3))),
    (props.compilation_num_threads, "COMPILATION_NUM_THREADS", ((44, 44),)),
    (props.force_tbb_terminate, "FORCE_TBB_TERMINATE", ((True, True), (False, False))),
    (props.enable_mmap, "ENABLE_MMAP", ((True, True), (False, False))),
    (props.weights_path, "WEIGHTS_PATH", (("./model.bin", "./model.bin"),)),
    (props.key_cache_group_size, "KEY_CACHE_GROUP_SIZE", ((64, 64),)),
    (props.value_cache_group_size, "VALUE_CACHE_GROUP_SIZE", ((64, 64),)),
    (streams.num, "NUM_STREAMS", ((5, 5), (streams.Num(5), 5), (streams.Num.AUTO, -1))),
    (props.num_streams, "NUM_STREAMS", ((streams.Num.NUMA, -2),)),
    (hints.model_priority, "MODEL_PRIORITY", ((hints.Priority.LOW, hints.Priority.LOW),)),
    (
        hints.performance_mode,
        "PERFORMANCE_HINT",
        (
            (hints.PerformanceMode.LATENCY, hints.PerformanceMode.LATENCY),
            ("THROUGHPUT", hints.PerformanceMode.THROUGHPUT),
        ),
    ),
    (hints.enable_cpu_pinning, "ENABLE_CPU_PINNING", BOOL_VALUES),
    (
        hints.scheduling_core_type,
        "SCHEDULING_CORE_TYPE",
        ((hints.SchedulingCoreType.PCORE_ONLY, hints.SchedulingCoreType.PCORE_ONLY),),
    ),
    (
        hints.model_distribution_policy,
        "MODEL_DISTRIBUTION_POLICY",
        (
            (
                {hints.ModelDistributionPolicy.TENSOR_PARALLEL},
                {hints.ModelDistributionPolicy.TENSOR_PARALLEL},
            ),
        ),
    ),
    (hints.enable_hyper_threading, "ENABLE_HYPER_THREADING", BOOL_VALUES),
    (
        hints.execution_mode,
        "EXECUTION_MODE_HINT",
        ((hints.ExecutionMode.PERFORMANCE, hints.ExecutionMode.PERFORMANCE),),
    ),
    (hints.num_requests, "PERFORMANCE_HINT_NUM_REQUESTS", ((8, 8),)),
    (hints.allow_auto_batching, "ALLOW_AUTO_BATCHING", ((True, True),)),
    (hints.dynamic_quantization_group_size, "DYNAMIC_QUANTIZATION_GROUP_SIZE", ((64, 64),)),
    (hints.activations_scale_factor, "ACTIVATIONS_SCALE_FACTOR", ((0.0, 0.0), (8, 8.0))),
    (intel_cpu.denormals_optimization, "CPU_DENORMALS_OPTIMIZATION", ((True, True),)),
    (
        intel_cpu.sparse_weights_decompression_rate,
        "CPU_SPARSE_WEIGHTS_DECOMPRESSION_RATE",
        ((0.1, np.float32(0.1)), (2.0, 2.0)),
    ),
    (intel_auto.device_bind_buffer, "DEVICE_BIND_BUFFER", BOOL_VALUES),
    (intel_auto.enable_startup_fallback, "ENABLE_STARTUP_FALLBACK", BOOL_VALUES),
    (intel_auto.enable_runtime_fallback, "ENABLE_RUNTIME_FALLBACK", BOOL_VALUES),
    (
        intel_auto.schedule_policy,
        "SCHEDULE_POLICY",
        ((intel_auto.SchedulePolicy.ROUND_ROBIN, intel_auto.SchedulePolicy.ROUND_ROBIN),),
    ),
    (device.id, "DEVICE_ID", (("0", "0"),)),
    (log.level, "LOG_LEVEL", ((log.Level.NO, log.Level.NO), ("DEBUG", log.Level.DEBUG))),
    (intel_gpu.enable_loop_unrolling, "GPU_ENABLE_LOOP_UNROLLING", ((True, True),)),
    (intel_gpu.disable_winograd_convolution, "GPU_DISABLE_WINOGRAD_CONVOLUTION", ((True, True),)),
    (
        intel_gpu_hint.queue_throttle,
        "GPU_QUEUE_THROTTLE",
        ((intel_gpu_hint.ThrottleLevel.LOW, hints.Priority.LOW),),
    ),
    (
        intel_gpu_hint.queue_priority,
        "GPU_QUEUE_PRIORITY",
        ((hints.Priority.LOW, hints.Priority.LOW),),
    ),
    (
        intel_gpu_hint.host_task_priority,
        "GPU_HOST_TASK_PRIORITY",
        ((hints.Priority.HIGH, hints.Priority.HIGH),),
    ),
    (intel_gpu_hint.available_device_mem, "AVAILABLE_DEVICE_MEM_SIZE", ((128, 128),)),
    (
        intel_npu.compilation_mode_params,
        "NPU_COMPILATION_MODE_PARAMS",
        (("dummy-op-replacement=true", "dummy-op-replacement=true"),),
    ),
    (intel_npu.turbo, "NPU_TURBO", ((True, True),)),
    (intel_npu.tiles, "NPU_TILES", ((128, 128),)),
    (intel_npu.max_tiles, "NPU_MAX_TILES", ((128, 128),)),
    (intel_npu.bypass_umd_caching, "NPU_BYPASS_UMD_CACHING", ((True, True),)),
    (intel_npu.defer_weights_load, "NPU_DEFER_WEIGHTS_LOAD", ((True, True),)),
    (intel_npu.compiler_dynamic_quantization, "NPU_COMPILER_DYNAMIC_QUANTIZATION", ((True, True),)),
]


@pytest.mark.parametrize(("prop", "key", "values"), RW_PROPERTIES)
def test_read_write_property(prop, key, values):
    assert prop() == key
    assert prop == key
    assert not _registry.is_read_only(prop)
    for given, expected in values:
        result = prop(given)
        assert isinstance(result, tuple)
        assert result[0] == key
        assert type(result[0]) is str
        assert isinstance(result[1], OVAny)
        assert result[1].value == expected
        assert type(result[1].value) is type(expected) or isinstance(expected, np.generic)


def test_bool_property_stores_python_bool():
    assert props.enable_profiling(1)[1].value is True
    assert props.enable_profiling(np.int8(0))[1].value is False


def test_integer_properties_store_python_int():
    assert type(props.auto_batch_timeout(np.uint32(37))[1].value) is int


def test_sparse_rate_is_rounded_to_float32():
    value = intel_cpu.sparse_weights_decompression_rate(0.1)[1].value
    assert value == np.float32(0.1)
    assert value != 0.1


@pytest.mark.parametrize(
    ("prop", "bad_value"),
    [
        (props.cache_dir, 6),
        (props.enable_profiling, "YES"),
        (props.inference_num_threads, 1.5),
        (props.inference_num_threads, "4"),
        (props.auto_batch_timeout, -1),
        (props.auto_batch_timeout, 2**32),
        (hints.performance_mode, 1),
        (hints.performance_mode, "FASTEST"),
        (hints.performance_mode, log.Level.INFO),
        (streams.num, 2.5),
        (streams.num, "MANY"),
        (device.id, 0),
        (intel_cpu.sparse_weights_decompression_rate, "0.5"),
        (hints.model, "not a model"),
        (hints.compiled_blob, b"bytes"),
        (props.cache_encryption_callbacks, [len]),
    ],
)
def test_wrong_value_type_is_incompatible(prop, bad_value):
    with pytest.raises(TypeError) as err:
        prop(bad_value)
    assert "incompatible function arguments" in str(err.value)


def test_more_than_one_value_is_incompatible():
    with pytest.raises(TypeError) as err:
        props.cache_dir("a", "b")
    assert "incompatible function arguments" in str(err.value)


def test_property_call_takes_ovany():
    assert props.inference_num_threads(OVAny(4)) == ("INFERENCE_NUM_THREADS", OVAny(4))


def test_cache_dir_accepts_paths():
    assert props.cache_dir(pathlib.Path("cache"))[1].value == "cache"


def test_rw_base_equality_with_tuple():
    assert props.cache_dir("./test_dir") == ("CACHE_DIR", OVAny("./test_dir"))


def test_write_only_cache_encryption_callbacks():
    def encrypt(text):
        return text[::-1]

    key, value = props.cache_encryption_callbacks([encrypt, encrypt])
    assert key == "CACHE_ENCRYPTION_CALLBACKS"
    assert value.value == [encrypt, encrypt]
    assert _registry.mutability(props.cache_encryption_callbacks) == "WO"
    assert not _registry.is_read_only("CACHE_ENCRYPTION_CALLBACKS")


def test_property_objects_work_as_mixed_dict_keys():
    config = {props.enable_profiling: True, "CACHE_DIR": "./", streams.num: 5}
    assert config["PERF_COUNT"] is True
    assert config[props.cache_dir] == "./"
    assert "NUM_STREAMS" in config
    assert dict([props.enable_profiling(True), streams.num(5)]) == {
        "PERF_COUNT": True,
        "NUM_STREAMS": 5,
    }


def test_copies_and_pickles_of_a_property_are_plain_keys():
    assert type(copy.copy(props.cache_dir)) is str
    assert copy.deepcopy({props.cache_dir: 1}) == {"CACHE_DIR": 1}
    assert pickle.loads(pickle.dumps(props.cache_dir)) == "CACHE_DIR"


def test_property_has_name_and_doc():
    assert props.cache_dir.__name__ == "cache_dir"
    assert props.cache_dir.__doc__
    assert props.cache_dir.mutability == "RW"
    assert props.supported_properties.mutability == "RO"


# --- enums ------------------------------------------------------------------------------
ENUMS = [
    (
        props.CacheMode,
        (
            (props.CacheMode.OPTIMIZE_SIZE, "CacheMode.OPTIMIZE_SIZE", 0),
            (props.CacheMode.OPTIMIZE_SPEED, "CacheMode.OPTIMIZE_SPEED", 1),
        ),
    ),
    (
        props.WorkloadType,
        (
            (props.WorkloadType.DEFAULT, "WorkloadType.DEFAULT", 0),
            (props.WorkloadType.EFFICIENT, "WorkloadType.EFFICIENT", 1),
        ),
    ),
    (
        hints.Priority,
        (
            (hints.Priority.LOW, "Priority.LOW", 0),
            (hints.Priority.MEDIUM, "Priority.MEDIUM", 1),
            (hints.Priority.HIGH, "Priority.HIGH", 2),
            (hints.Priority.DEFAULT, "Priority.MEDIUM", 1),
        ),
    ),
    (
        hints.PerformanceMode,
        (
            (hints.PerformanceMode.LATENCY, "PerformanceMode.LATENCY", 1),
            (hints.PerformanceMode.THROUGHPUT, "PerformanceMode.THROUGHPUT", 2),
            (
                hints.PerformanceMode.CUMULATIVE_THROUGHPUT,
                "PerformanceMode.CUMULATIVE_THROUGHPUT",
                3,
            ),
        ),
    ),
    (
        hints.SchedulingCoreType,
        (
            (hints.SchedulingCoreType.ANY_CORE, "SchedulingCoreType.ANY_CORE", 0),
            (hints.SchedulingCoreType.PCORE_ONLY, "SchedulingCoreType.PCORE_ONLY", 1),
            (hints.SchedulingCoreType.ECORE_ONLY, "SchedulingCoreType.ECORE_ONLY", 2),
        ),
    ),
    (
        hints.ModelDistributionPolicy,
        (
            (
                hints.ModelDistributionPolicy.TENSOR_PARALLEL,
                "ModelDistributionPolicy.TENSOR_PARALLEL",
                0,
            ),
            (
                hints.ModelDistributionPolicy.PIPELINE_PARALLEL,
                "ModelDistributionPolicy.PIPELINE_PARALLEL",
                1,
            ),
        ),
    ),
    (
        hints.ExecutionMode,
        (
            (hints.ExecutionMode.PERFORMANCE, "ExecutionMode.PERFORMANCE", 1),
            (hints.ExecutionMode.ACCURACY, "ExecutionMode.ACCURACY", 2),
        ),
    ),
    (
        device.Type,
        (
            (device.Type.INTEGRATED, "Type.INTEGRATED", 0),
            (device.Type.DISCRETE, "Type.DISCRETE", 1),
        ),
    ),
    (
        log.Level,
        (
            (log.Level.NO, "Level.NO", -1),
            (log.Level.ERR, "Level.ERR", 0),
            (log.Level.WARNING, "Level.WARNING", 1),
            (log.Level.INFO, "Level.INFO", 2),
            (log.Level.DEBUG, "Level.DEBUG", 3),
            (log.Level.TRACE, "Level.TRACE", 4),
        ),
    ),
    (
        intel_auto.SchedulePolicy,
        (
            (intel_auto.SchedulePolicy.ROUND_ROBIN, "SchedulePolicy.ROUND_ROBIN", 0),
            (intel_auto.SchedulePolicy.DEVICE_PRIORITY, "SchedulePolicy.DEVICE_PRIORITY", 1),
            (intel_auto.SchedulePolicy.DEFAULT, "SchedulePolicy.DEVICE_PRIORITY", 1),
        ),
    ),
]


@pytest.mark.parametrize(("enum_type", "expected"), ENUMS)
def test_enum_members(enum_type, expected):
    entry_values = iter(enum_type.__entries.values())
    for member, text, number in expected:
        assert member == next(entry_values)[0]
        assert str(member) == text
        assert int(member) == number
        assert hash(member) == hash(number)
        assert member == number
        assert isinstance(member, enum_type)


def test_enum_entries_include_aliases_in_order():
    entries = hints.Priority.__entries
    assert list(entries) == ["LOW", "MEDIUM", "HIGH", "DEFAULT"]
    assert entries["DEFAULT"][0] is hints.Priority.MEDIUM
    assert entries["LOW"][0] is hints.Priority.LOW


def test_enum_aliases_are_the_same_member():
    assert hints.Priority.DEFAULT is hints.Priority.MEDIUM
    assert intel_auto.SchedulePolicy.DEFAULT is intel_auto.SchedulePolicy.DEVICE_PRIORITY


def test_enum_equality_and_ordering():
    assert hints.PerformanceMode.LATENCY == hints.PerformanceMode.LATENCY
    assert hints.PerformanceMode.LATENCY != hints.PerformanceMode.THROUGHPUT
    assert hints.Priority.LOW != props.CacheMode.OPTIMIZE_SIZE
    assert hints.Priority.LOW < hints.Priority.HIGH
    assert len({hints.PerformanceMode.LATENCY, hints.PerformanceMode.LATENCY}) == 1
    assert hints.PerformanceMode(2) is hints.PerformanceMode.THROUGHPUT


def test_throttle_level_prints_as_priority():
    levels = intel_gpu_hint.ThrottleLevel
    assert [str(x) for x in (levels.LOW, levels.MEDIUM, levels.HIGH, levels.DEFAULT)] == [
        "Priority.LOW",
        "Priority.MEDIUM",
        "Priority.HIGH",
        "Priority.MEDIUM",
    ]
    assert [int(x) for x in (levels.LOW, levels.MEDIUM, levels.HIGH, levels.DEFAULT)] == [
        0,
        1,
        2,
        1,
    ]


@pytest.mark.parametrize(
    ("enum_type", "text", "member"),
    [
        (hints.PerformanceMode, "LATENCY", hints.PerformanceMode.LATENCY),
        (hints.PerformanceMode, "latency", hints.PerformanceMode.LATENCY),
        (hints.PerformanceMode, "PerformanceMode.THROUGHPUT", hints.PerformanceMode.THROUGHPUT),
        (hints.PerformanceMode, "3", hints.PerformanceMode.CUMULATIVE_THROUGHPUT),
        (hints.Priority, "DEFAULT", hints.Priority.MEDIUM),
        (props.CacheMode, "optimize_size", props.CacheMode.OPTIMIZE_SIZE),
        (device.Type, "discrete", device.Type.DISCRETE),
        (log.Level, "LOG_WARNING", log.Level.WARNING),
        (log.Level, "-1", log.Level.NO),
    ],
)
def test_enum_from_string(enum_type, text, member):
    assert enum_type.from_string(text) is member


def test_enum_from_string_rejects_unknown_names():
    with pytest.raises(ValueError, match="LATENCY"):
        hints.PerformanceMode.from_string("FASTEST")


def test_enum_pickles():
    assert pickle.loads(pickle.dumps(log.Level.TRACE)) is log.Level.TRACE


# --- special properties -----------------------------------------------------------------
def test_device_priorities():
    assert device.priorities == "MULTI_DEVICE_PRIORITIES"
    assert device.priorities() == "MULTI_DEVICE_PRIORITIES"
    assert device.priorities("CPU,GPU") == ("MULTI_DEVICE_PRIORITIES", OVAny("CPU,GPU,"))
    assert device.priorities("CPU", "GPU") == ("MULTI_DEVICE_PRIORITIES", OVAny("CPU,GPU,"))
    with pytest.raises(TypeError) as err:
        device.priorities("CPU", 6)
    assert "Incorrect passed value: 6 , expected string values." in str(err.value)


def test_device_properties_from_dicts():
    assert device.properties() == "DEVICE_PROPERTIES"
    assert device.properties({"CPU": {streams.num: 2}}) == (
        "DEVICE_PROPERTIES",
        OVAny({"CPU": {"NUM_STREAMS": 2}}),
    )
    key, value = device.properties({"CPU": dict([streams.num(2)])})
    assert value == {"CPU": {"NUM_STREAMS": streams.Num(2)}}
    inner_key = next(iter(value.value["CPU"]))
    assert type(inner_key) is str
    assert not isinstance(value.value["CPU"]["NUM_STREAMS"], OVAny)
    two = device.properties(
        {"CPU": dict([streams.num(2)]), "GPU": {hints.performance_mode: "LATENCY"}}
    )
    assert two[1].value == {
        "CPU": {"NUM_STREAMS": 2},
        "GPU": {"PERFORMANCE_HINT": "LATENCY"},
    }


def test_device_properties_for_one_device():
    key, value = device.properties("CPU", {props.enable_profiling: True}, streams.num(3))
    assert key == "DEVICE_PROPERTIES"
    assert value.value == {"CPU": {"PERF_COUNT": True, "NUM_STREAMS": 3}}


def test_device_properties_rejects_non_dicts():
    with pytest.raises(TypeError, match="expected dictionary"):
        device.properties(5)
    with pytest.raises(TypeError, match="expected string"):
        device.properties({5: {}})


def test_device_properties_with_element_type():
    type_class = _openvino_class("Type")
    _, value = device.properties({"GPU": dict([hints.inference_precision(type_class.f32)])})
    assert value == {"GPU": {"INFERENCE_PRECISION_HINT": type_class.f32}}


def test_streams_num_class():
    assert streams.Num().to_integer() == -1
    assert streams.Num(2).to_integer() == 2
    assert streams.Num.AUTO.to_integer() == -1
    assert streams.Num.NUMA.to_integer() == -2
    assert streams.Num(4) == 4
    assert streams.Num(4) == streams.Num(4)
    assert hash(streams.Num(4)) == hash(4)
    assert int(streams.Num(7)) == 7
    assert streams.num(streams.Num(5)) == streams.num(5) == ("NUM_STREAMS", OVAny(5))
    assert streams.num(streams.Num.AUTO)[1].value == -1
    assert streams.num("AUTO")[1].value == -1


def test_compiled_blob_property():
    tensor_class = _openvino_class("Tensor")
    type_class = _openvino_class("Type")
    assert hints.compiled_blob == "COMPILED_BLOB"
    key, value = hints.compiled_blob(tensor_class(type_class.u8, [2, 5]))
    assert key == "COMPILED_BLOB"
    assert value.value.element_type == type_class.u8
    assert list(value.value.shape) == [2, 5]


def test_model_property():
    assert hints.model() == "MODEL_PTR"
    assert hints.model == "MODEL_PTR"

    class Model:  # stands in for openvino.Model: the check goes by class name
        pass

    stand_in = Model()
    assert hints.model(stand_in) == ("MODEL_PTR", OVAny(stand_in))


def test_element_type_properties():
    type_class = _openvino_class("Type")
    for prop, key in [
        (hints.inference_precision, "INFERENCE_PRECISION_HINT"),
        (hints.kv_cache_precision, "KV_CACHE_PRECISION"),
        (props.key_cache_precision, "KEY_CACHE_PRECISION"),
        (props.value_cache_precision, "VALUE_CACHE_PRECISION"),
    ]:
        assert prop(type_class.f32) == (key, OVAny(type_class.f32))
        assert prop("f16")[1].value == type_class.f16
    with pytest.raises(TypeError, match="incompatible function arguments"):
        hints.inference_precision(5)


def test_string_constants():
    assert device.Capability.FP32 == "FP32"
    assert device.Capability.BF16 == "BF16"
    assert device.Capability.FP16 == "FP16"
    assert device.Capability.INT8 == "INT8"
    assert device.Capability.INT16 == "INT16"
    assert device.Capability.BIN == "BIN"
    assert device.Capability.WINOGRAD == "WINOGRAD"
    assert device.Capability.EXPORT_IMPORT == "EXPORT_IMPORT"
    assert intel_gpu.MemoryType.surface == "GPU_SURFACE"
    assert intel_gpu.MemoryType.buffer == "GPU_BUFFER"
    assert intel_gpu.CapabilityGPU.HW_MATMUL == "GPU_HW_MATMUL"


def test_every_api_key_exists():
    read_only = (
        "SUPPORTED_PROPERTIES AVAILABLE_DEVICES NETWORK_NAME OPTIMAL_NUMBER_OF_INFER_REQUESTS "
        "RANGE_FOR_STREAMS OPTIMAL_BATCH_SIZE MAX_BATCH_SIZE RANGE_FOR_ASYNC_INFER_REQUESTS "
        "EXECUTION_DEVICES LOADED_FROM_CACHE FULL_DEVICE_NAME DEVICE_ARCHITECTURE DEVICE_TYPE "
        "DEVICE_GOPS DEVICE_THERMAL DEVICE_UUID DEVICE_LUID OPTIMIZATION_CAPABILITIES "
        "GPU_DEVICE_TOTAL_MEM_SIZE GPU_UARCH_VERSION GPU_EXECUTION_UNITS_COUNT "
        "GPU_MEMORY_STATISTICS NPU_DEVICE_ALLOC_MEM_SIZE NPU_DEVICE_TOTAL_MEM_SIZE "
        "NPU_DRIVER_VERSION NPU_COMPILER_VERSION"
    ).split()
    read_write = (
        "PERF_COUNT CACHE_DIR CACHE_MODE AUTO_BATCH_TIMEOUT INFERENCE_NUM_THREADS "
        "COMPILATION_NUM_THREADS FORCE_TBB_TERMINATE ENABLE_MMAP WEIGHTS_PATH "
        "KEY_CACHE_GROUP_SIZE VALUE_CACHE_GROUP_SIZE KEY_CACHE_PRECISION VALUE_CACHE_PRECISION "
        "INFERENCE_PRECISION_HINT MODEL_PRIORITY PERFORMANCE_HINT ENABLE_CPU_PINNING "
        "SCHEDULING_CORE_TYPE MODEL_DISTRIBUTION_POLICY ENABLE_HYPER_THREADING "
        "EXECUTION_MODE_HINT PERFORMANCE_HINT_NUM_REQUESTS ALLOW_AUTO_BATCHING "
        "DYNAMIC_QUANTIZATION_GROUP_SIZE KV_CACHE_PRECISION ACTIVATIONS_SCALE_FACTOR "
        "CPU_DENORMALS_OPTIMIZATION CPU_SPARSE_WEIGHTS_DECOMPRESSION_RATE DEVICE_BIND_BUFFER "
        "ENABLE_STARTUP_FALLBACK ENABLE_RUNTIME_FALLBACK DEVICE_ID LOG_LEVEL "
        "GPU_ENABLE_LOOP_UNROLLING GPU_DISABLE_WINOGRAD_CONVOLUTION GPU_QUEUE_THROTTLE "
        "GPU_QUEUE_PRIORITY GPU_HOST_TASK_PRIORITY AVAILABLE_DEVICE_MEM_SIZE "
        "NPU_COMPILATION_MODE_PARAMS NPU_TURBO NPU_TILES NPU_MAX_TILES NPU_BYPASS_UMD_CACHING "
        "NPU_DEFER_WEIGHTS_LOAD NPU_COMPILER_DYNAMIC_QUANTIZATION COMPILED_BLOB MODEL_PTR "
        "MULTI_DEVICE_PRIORITIES DEVICE_PROPERTIES NUM_STREAMS"
    ).split()
    for key in read_only:
        assert _registry.mutability(key) == "RO", key
    for key in read_write:
        assert _registry.mutability(key) == "RW", key


def test_submodules_are_attributes_of_the_package():
    assert props.hint is hints
    assert props.device is device
    assert props.intel_gpu.hint is intel_gpu_hint
    assert props.streams.Num.AUTO.to_integer() == -1


# --- _registry helpers -------------------------------------------------------------------
def test_property_key():
    assert _registry.property_key(props.cache_dir) == "CACHE_DIR"
    assert type(_registry.property_key(props.cache_dir)) is str
    assert _registry.property_key("ANY_KEY") == "ANY_KEY"
    with pytest.raises(TypeError):
        _registry.property_key(5)


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("PERF_COUNT", "YES", True),
        ("PERF_COUNT", "true", True),
        ("PERF_COUNT", "NO", False),
        ("PERF_COUNT", OVAny(True), True),
        (props.enable_profiling, props.enable_profiling(1)[1], True),
        (props.enable_profiling, "false", False),
        ("PERFORMANCE_HINT", "LATENCY", hints.PerformanceMode.LATENCY),
        ("PERFORMANCE_HINT", hints.PerformanceMode.THROUGHPUT, hints.PerformanceMode.THROUGHPUT),
        ("PERFORMANCE_HINT", 3, hints.PerformanceMode.CUMULATIVE_THROUGHPUT),
        ("INFERENCE_NUM_THREADS", "4", 4),
        ("INFERENCE_NUM_THREADS", np.int64(9), 9),
        ("NUM_STREAMS", "AUTO", -1),
        ("NUM_STREAMS", "NUMA", -2),
        ("NUM_STREAMS", "5", 5),
        ("NUM_STREAMS", 5, 5),
        ("NUM_STREAMS", streams.Num(5), 5),
        ("CACHE_DIR", "./", "./"),
        ("CACHE_MODE", "optimize_speed", props.CacheMode.OPTIMIZE_SPEED),
        ("LOG_LEVEL", "LOG_DEBUG", log.Level.DEBUG),
        ("LOG_LEVEL", "ERR", log.Level.ERR),
        ("MODEL_PRIORITY", "HIGH", hints.Priority.HIGH),
        ("GPU_QUEUE_THROTTLE", "LOW", intel_gpu_hint.ThrottleLevel.LOW),
        ("SCHEDULE_POLICY", "ROUND_ROBIN", intel_auto.SchedulePolicy.ROUND_ROBIN),
        (
            "MODEL_DISTRIBUTION_POLICY",
            "TENSOR_PARALLEL,PIPELINE_PARALLEL",
            {
                hints.ModelDistributionPolicy.TENSOR_PARALLEL,
                hints.ModelDistributionPolicy.PIPELINE_PARALLEL,
            },
        ),
        ("CPU_SPARSE_WEIGHTS_DECOMPRESSION_RATE", "0.5", 0.5),
        ("AUTO_BATCH_TIMEOUT", "1000", 1000),
        ("DEVICE_ID", 0, "0"),
        ("MULTI_DEVICE_PRIORITIES", ["CPU", "GPU"], "CPU,GPU"),
        ("MULTI_DEVICE_PRIORITIES", "GPU,CPU", "GPU,CPU"),
        ("DEVICE_PROPERTIES", {"CPU": {streams.num: 2}}, {"CPU": {"NUM_STREAMS": 2}}),
        ("RANGE_FOR_STREAMS", "1 8", (1, 8)),
        ("AVAILABLE_DEVICES", "0 1", ["0", "1"]),
        ("SOME_DEVICE_SPECIFIC_KEY", "anything", "anything"),
        ("SOME_DEVICE_SPECIFIC_KEY", 42, 42),
    ],
)
def test_normalize_value(key, raw, expected):
    result = _registry.normalize_value(key, raw)
    assert result == expected
    if isinstance(expected, bool):
        assert result is expected


def test_normalize_value_element_type():
    type_class = _openvino_class("Type")
    assert _registry.normalize_value("INFERENCE_PRECISION_HINT", "f32") == type_class.f32
    assert _registry.normalize_value("KV_CACHE_PRECISION", type_class.u8) == type_class.u8


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("PERF_COUNT", "maybe"),
        ("PERF_COUNT", 1),  # a config dict takes True/False or text, as the real runtime
        ("ENABLE_CPU_PINNING", 0.0),
        ("ENABLE_MMAP", np.True_),
        ("PERFORMANCE_HINT", "FASTEST"),
        ("INFERENCE_NUM_THREADS", "four"),
        ("NUM_STREAMS", "MANY"),
        ("AUTO_BATCH_TIMEOUT", "-5"),
        ("LOG_LEVEL", 17),
    ],
)
def test_normalize_value_rejects_bad_values(key, raw):
    with pytest.raises(_registry.PropertyValueError) as err:
        _registry.normalize_value(key, raw)
    assert key in str(err.value)
    assert isinstance(err.value, ValueError)
    assert isinstance(err.value, RuntimeError)


def test_is_read_only_and_mutability():
    assert _registry.is_read_only("FULL_DEVICE_NAME")
    assert not _registry.is_read_only("PERF_COUNT")
    assert not _registry.is_read_only("UNKNOWN_KEY")
    assert _registry.mutability("UNKNOWN_KEY") is None
    assert _registry.is_known(props.cache_dir)
    assert not _registry.is_known("UNKNOWN_KEY")
    assert "CACHE_DIR" in _registry.known_keys()


# --- OVAny --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "data_type"),
    [
        ("test_string", str),
        (2137, int),
        (21.37, float),
        (False, bool),
        ([1, 2, 3], list),
        ((1, 2, 3), tuple),
        ({"a": "b"}, dict),
    ],
)
def test_ovany_holds_values(value, data_type):
    held = OVAny(value)
    assert isinstance(held.value, data_type)
    assert held == value
    assert held.get() == value
    assert held == OVAny(value)


def test_ovany_containers():
    held = OVAny([21, 37])
    assert held[0] == 21
    assert len(held) == 2
    assert list(held) == [21, 37]
    mapping = OVAny({"key": "value"})
    assert mapping["key"] == "value"
    mapping["other"] = 1
    assert mapping.value == {"key": "value", "other": 1}


def test_ovany_set_and_nesting():
    held = OVAny("test")
    held.set(2.5)
    assert held == 2.5
    assert OVAny(OVAny(3)).value == 3


def test_ovany_holds_arbitrary_objects():
    class Thing:
        text = "test"

    thing = Thing()
    assert OVAny(thing).value is thing


@pytest.mark.parametrize(
    ("value", "dtype", "expected"),
    [
        ("some_value", str, "some_value"),
        (31.23456, float, 31.23456),
        (True, bool, True),
        (42, int, 42),
        ("13.23", float, 13.23),
        ("42", int, 42),
        ("YES", bool, True),
        ("true", bool, True),
        ("0", bool, False),
        (True, str, "YES"),
        (7, str, "7"),
        ({"a": 1}, dict, {"a": 1}),
        ((1, 2), list, [1, 2]),
        (hints.PerformanceMode.LATENCY, str, "LATENCY"),
        (hints.PerformanceMode.LATENCY, int, 1),
    ],
)
def test_ovany_astype(value, dtype, expected):
    assert OVAny(value).astype(dtype) == expected


def test_ovany_astype_failures():
    with pytest.raises(RuntimeError):
        OVAny("maybe").astype(bool)
    with pytest.raises(RuntimeError):
        OVAny("x").astype(dict)


@pytest.mark.parametrize(
    ("value", "dtype", "expected"),
    [
        (["some_value", "another value"], str, ["some_value", "another value"]),
        ([31.23456, -31.3453], float, [31.23456, -31.3453]),
        ([True, False], bool, [True, False]),
        ([42, 21], int, [42, 21]),
        ([], None, []),
        ("", None, []),
        ("sasd fdfdfsdf", str, ["sasd", "fdfdfsdf"]),
        ("22.3 33.11 44", float, [22.3, 33.11, 44.0]),
        ("1,2,3", int, [1, 2, 3]),
        (5, int, [5]),
    ],
)
def test_ovany_aslist(value, dtype, expected):
    assert OVAny(value).aslist(dtype) == expected


def test_ovany_hash_repr_str():
    assert hash(OVAny("x")) == hash("x")
    assert {OVAny("x"): 1}["x"] == 1
    with pytest.raises(TypeError):
        hash(OVAny([1]))
    assert repr(OVAny("x")) == "<OVAny: 'x'>"
    assert str(OVAny(5)) == "5"
    assert OVAny("x") != "y"


def test_ovany_compares_arrays():
    assert OVAny(np.array([1, 2])) == np.array([1, 2])
    assert OVAny(np.array([1, 2])) != np.array([1, 3])


def test_property_names_of_2026_4():
    import openvino.properties as props
    import openvino.properties.hint as hints
    import openvino.properties.intel_cpu as intel_cpu

    assert props.compatibility_check() == "COMPATIBILITY_CHECK"
    assert props.runtime_requirements() == "RUNTIME_REQUIREMENTS"
    assert props.enable_weightless() == "ENABLE_WEIGHTLESS"
    assert hints.enable_cpu_reservation() == "ENABLE_CPU_RESERVATION"
    assert intel_cpu.tbb_partitioner() == "TBB_PARTITIONER"
    assert [m.name for m in props.CompatibilityCheck] == ["NOT_APPLICABLE", "SUPPORTED",
                                                         "UNSUPPORTED"]
    assert intel_cpu.TbbPartitioner.AUTO.value == 2
    key, value = intel_cpu.tbb_partitioner(intel_cpu.TbbPartitioner.STATIC)
    assert key == "TBB_PARTITIONER" and value.value == intel_cpu.TbbPartitioner.STATIC


@pytest.mark.parametrize(("raw", "expected"), [
    (True, True), (0, False), (np.int64(1), True), (2.5, True), (np.float32(0.0), False),
    (None, False), (np.False_, False),
])
def test_bool_property_call_converts_like_the_typed_binding(raw, expected):
    _, value = props.enable_profiling(raw)
    assert value.value is expected


@pytest.mark.parametrize("raw", ["YES", [1], object()])
def test_bool_property_call_rejects_what_the_typed_binding_does(raw):
    with pytest.raises(TypeError):
        props.enable_profiling(raw)
