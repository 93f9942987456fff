"""The CPU device's properties as the real CPU plugin (2026.4.1) reports them, where a
setting applies to this device: the names OpenVINO's samples print and read, their value
types, and the compiled model's text-valued settings."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.properties as props
import openvino.properties.device as device
import openvino.properties.hint as hints

REAL_CPU_DEVICE_PROPERTIES = {
    # key: (Python type of the value, RO/RW)
    "AVAILABLE_DEVICES": (list, "RO"), "DEVICE_ARCHITECTURE": (str, "RO"),
    "DEVICE_ID": (str, "RW"), "DEVICE_TYPE": (device.Type, "RO"),
    "EXECUTION_DEVICES": (list, "RO"), "FULL_DEVICE_NAME": (str, "RO"),
    "OPTIMIZATION_CAPABILITIES": (list, "RO"), "RANGE_FOR_STREAMS": (tuple, "RO"),
    "RANGE_FOR_ASYNC_INFER_REQUESTS": (tuple, "RO"), "SUPPORTED_PROPERTIES": (dict, "RO"),
    "CPU_DENORMALS_OPTIMIZATION": (bool, "RW"),
    "CPU_SPARSE_WEIGHTS_DECOMPRESSION_RATE": (float, "RW"),
    "DYNAMIC_QUANTIZATION_GROUP_SIZE": (int, "RW"), "ENABLE_CPU_PINNING": (bool, "RW"),
    "ENABLE_CPU_RESERVATION": (bool, "RW"), "ENABLE_HYPER_THREADING": (bool, "RW"),
    "ENABLE_WEIGHTLESS": (bool, "RW"), "EXECUTION_MODE_HINT": (hints.ExecutionMode, "RW"),
    "INFERENCE_NUM_THREADS": (int, "RW"), "INFERENCE_PRECISION_HINT": (ov.Type, "RW"),
    "KEY_CACHE_GROUP_SIZE": (int, "RW"), "KEY_CACHE_PRECISION": (ov.Type, "RW"),
    "KV_CACHE_PRECISION": (ov.Type, "RW"), "LOG_LEVEL": (props.log.Level, "RW"),
    "MODEL_DISTRIBUTION_POLICY": (set, "RW"), "NUM_STREAMS": (int, "RW"),
    "PERFORMANCE_HINT": (hints.PerformanceMode, "RW"),
    "PERFORMANCE_HINT_NUM_REQUESTS": (int, "RW"), "PERF_COUNT": (bool, "RW"),
    "SCHEDULING_CORE_TYPE": (hints.SchedulingCoreType, "RW"),
    "VALUE_CACHE_GROUP_SIZE": (int, "RW"), "VALUE_CACHE_PRECISION": (ov.Type, "RW"),
}


@pytest.fixture
def core():
    return ov.Core()


@pytest.mark.parametrize("key", sorted(REAL_CPU_DEVICE_PROPERTIES))
def test_device_property_is_listed_and_typed_as_the_real_plugin(core, key):
    kind, mode = REAL_CPU_DEVICE_PROPERTIES[key]
    supported = core.get_property("CPU", props.supported_properties)
    assert supported.get(key) == mode
    assert isinstance(core.get_property("CPU", key), kind)


def test_device_values_the_samples_print(core):
    assert core.get_property("CPU", "AVAILABLE_DEVICES") == [""]
    assert core.get_property("CPU", device.type) == device.Type.INTEGRATED
    assert core.get_property("CPU", "EXECUTION_DEVICES") == ["CPU"]
    assert core.get_property("CPU", "DEVICE_ID") == ""
    assert core.get_property("CPU", props.key_cache_precision) == ov.Type.u8
    assert core.available_devices.count("CPU") == 1


def test_optimal_number_of_requests_without_a_model(core):
    # not listed, but answered, as the real CPU plugin does
    assert "OPTIMAL_NUMBER_OF_INFER_REQUESTS" not in core.get_property("CPU",
                                                                      "SUPPORTED_PROPERTIES")
    assert core.get_property("CPU", "OPTIMAL_NUMBER_OF_INFER_REQUESTS") == 1
    core.set_property("CPU", {"PERFORMANCE_HINT": "THROUGHPUT"})
    p = ov.opset13.parameter([1, 4], np.float32)
    compiled = core.compile_model(ov.Model(ov.opset13.relu(p), [p]), "CPU")
    assert core.get_property("CPU", props.optimal_number_of_infer_requests) == \
        compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")


def test_device_id_cannot_select_another_cpu(core):
    core.set_property("CPU", {"DEVICE_ID": ""})
    with pytest.raises(RuntimeError, match="DEVICE_ID must be empty, got '1'"):
        core.set_property("CPU", {"DEVICE_ID": "1"})


def _compiled(core, config=None):
    p = ov.opset13.parameter([1, 4], np.float32, name="x")
    return core.compile_model(ov.Model(ov.opset13.relu(p), [p], "m"), "CPU", config or {})


def test_compiled_model_reports_hint_settings_as_text(core):
    compiled = _compiled(core)
    assert compiled.get_property(hints.performance_mode) == "LATENCY"
    assert compiled.get_property("PERFORMANCE_HINT_NUM_REQUESTS") == "0"
    assert compiled.get_property(props.enable_profiling) == "NO"
    assert compiled.get_property("NETWORK_NAME") == "m"
    assert compiled.get_property("EXECUTION_DEVICES") == ["CPU"]
    tuned = _compiled(core, {"PERF_COUNT": True, "PERFORMANCE_HINT": "THROUGHPUT",
                             "PERFORMANCE_HINT_NUM_REQUESTS": 3})
    assert tuned.get_property("PERF_COUNT") == "YES"
    assert tuned.get_property("PERFORMANCE_HINT") == "THROUGHPUT"
    assert tuned.get_property("PERFORMANCE_HINT_NUM_REQUESTS") == "3"
    # PERF_COUNT reported as text still switches profiling on
    request = tuned.create_infer_request()
    request.infer([np.ones((1, 4), np.float32)])
    assert request.get_profiling_info()


def test_compiled_model_lists_what_the_real_one_lists(core):
    supported = _compiled(core).get_property(props.supported_properties)
    for key in ("NETWORK_NAME", "OPTIMAL_NUMBER_OF_INFER_REQUESTS", "NUM_STREAMS",
                "PERFORMANCE_HINT", "PERF_COUNT", "KV_CACHE_PRECISION", "EXECUTION_DEVICES"):
        assert key in supported
    for key in ("DEVICE_ID", "WEIGHTS_PATH", "ENABLE_WEIGHTLESS"):
        assert key not in supported
        with pytest.raises(RuntimeError, match=key):
            _compiled(core).get_property(key)
