"""Core and compiled-model properties."""

from __future__ import annotations

import pytest

import openvino as ov
import openvino.properties as props
import openvino.properties.device as device
import openvino.properties.hint as hints
import openvino.properties.streams as streams

from .conftest import add_model


def test_available_devices(core):
    assert "TEMPLATE" in core.available_devices
    assert core.get_available_devices() == core.available_devices
    assert core.get_property("TEMPLATE", props.available_devices) == ["0"]


def test_read_only_property_types(core):
    supported = core.get_property("TEMPLATE", props.supported_properties)
    assert isinstance(supported, dict) and supported["PERF_COUNT"] == "RW"
    assert supported["FULL_DEVICE_NAME"] == "RO"
    assert core.get_property("TEMPLATE", props.supported_properties()) == supported
    assert isinstance(core.get_property("TEMPLATE", "FULL_DEVICE_NAME"), str)
    caps = core.get_property("TEMPLATE", device.capabilities)
    assert isinstance(caps, list) and device.Capability.EXPORT_IMPORT in caps
    assert core.get_property("TEMPLATE", props.range_for_streams) == (1, 1)
    r = core.get_property("TEMPLATE", props.range_for_async_infer_requests)
    assert isinstance(r, tuple) and len(r) == 3
    assert isinstance(core.get_property("TEMPLATE", streams.num), int)


def test_set_property_forms(core):
    core.set_property("TEMPLATE", {props.enable_profiling: True, "NUM_STREAMS": streams.Num(1)})
    assert core.get_property("TEMPLATE", props.enable_profiling) is True
    core.set_property("TEMPLATE", props.enable_profiling(False))
    assert core.get_property("TEMPLATE", "PERF_COUNT") is False
    core.set_property("TEMPLATE", {"PERF_COUNT": "YES"})
    assert core.get_property("TEMPLATE", "PERF_COUNT") is True
    core.set_property({hints.performance_mode: hints.PerformanceMode.THROUGHPUT})
    assert core.get_property("TEMPLATE", hints.performance_mode) == \
        hints.PerformanceMode.THROUGHPUT
    core.set_property({props.inference_num_threads: 2})
    assert core.get_property("TEMPLATE", "INFERENCE_NUM_THREADS") == 2


def test_core_properties(core, tmp_path):
    assert core.get_property("CACHE_DIR") == ""
    core.set_property({props.cache_dir: str(tmp_path)})
    assert core.get_property(props.cache_dir) == str(tmp_path)
    assert core.get_property("TEMPLATE", "CACHE_DIR") == str(tmp_path)


def test_properties_do_not_leak_between_cores():
    first, second = ov.Core(), ov.Core()
    first.set_property("TEMPLATE", {"PERF_COUNT": True})
    assert second.get_property("TEMPLATE", "PERF_COUNT") is False


def test_unknown_and_read_only_properties(core):
    with pytest.raises(RuntimeError, match="NOT_A_PROPERTY"):
        core.get_property("TEMPLATE", "NOT_A_PROPERTY")
    with pytest.raises(RuntimeError, match="NOT_A_PROPERTY"):
        core.set_property("TEMPLATE", {"NOT_A_PROPERTY": 1})
    with pytest.raises(RuntimeError, match="read-only"):
        core.set_property("TEMPLATE", {"FULL_DEVICE_NAME": "x"})
    with pytest.raises(RuntimeError, match="NOT_A_PROPERTY"):
        core.set_property({"NOT_A_PROPERTY": 1})
    with pytest.raises(RuntimeError, match="NOT_A_PROPERTY"):
        core.compile_model(add_model(), "TEMPLATE", {"NOT_A_PROPERTY": 1})
    with pytest.raises(RuntimeError, match="NOT_A_PROPERTY"):
        core.get_property("NOT_A_PROPERTY")


def test_unknown_device_lists_available_ones(core):
    with pytest.raises(RuntimeError, match=r"NPU.*available devices: .*TEMPLATE"):
        core.compile_model(add_model(), "NPU")
    with pytest.raises(RuntimeError, match="TEMPLATE.7"):
        core.compile_model(add_model(), "TEMPLATE.7")
    with pytest.raises(RuntimeError, match="available devices"):
        core.get_property("GPU", "FULL_DEVICE_NAME")


def test_compile_config_and_compiled_properties(core):
    model = add_model()
    compiled = core.compile_model(model, "TEMPLATE", {props.enable_profiling: True})
    assert compiled.get_property(props.enable_profiling) is True
    assert compiled.get_property(props.model_name) == model.get_friendly_name()
    assert compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == 1
    assert compiled.get_property(props.execution_devices) == ["TEMPLATE"]
    assert "NETWORK_NAME" in compiled.get_property(props.supported_properties)
    # the core's own setting did not change
    assert core.get_property("TEMPLATE", "PERF_COUNT") is False


def test_optimal_requests_follow_the_hint(core):
    throughput = core.compile_model(add_model(), "TEMPLATE", {
        hints.performance_mode: hints.PerformanceMode.THROUGHPUT})
    assert throughput.get_property(props.optimal_number_of_infer_requests) == 2
    assert len(ov.AsyncInferQueue(throughput)) == 2


def test_model_name_of_an_unnamed_model(core):
    x = ov.opset8.parameter([2], "f32")
    model = ov.Model(ov.opset8.relu(x), [x])
    compiled = core.compile_model(model, "TEMPLATE")
    assert compiled.get_property(props.model_name) == model.get_friendly_name()


def test_device_properties_in_config(core):
    compiled = core.compile_model(
        add_model(), "AUTO", {device.properties({"TEMPLATE": {"PERF_COUNT": True}})[0]:
                              {"TEMPLATE": {"PERF_COUNT": True}}})
    assert compiled.get_property("PERF_COUNT") is True


def test_cache_dir_in_read_model_config_is_created(core, tmp_path):
    path = tmp_path / "model.xml"
    ov.serialize(add_model(), str(path))
    cache = tmp_path / "cache"
    core.read_model(str(path), config={"CACHE_DIR": str(cache)})
    assert cache.is_dir()
    assert core.get_property("CACHE_DIR") == ""


def test_get_versions(core):
    versions = core.get_versions("TEMPLATE")
    v = versions["TEMPLATE"]
    assert (v.major, v.minor) == (2026, 4)
    assert v.description and v.build_number
    assert set(core.get_versions("AUTO:TEMPLATE")) == {"AUTO", "TEMPLATE"}


def test_auto_device_properties(core):
    assert core.get_property("AUTO", "FULL_DEVICE_NAME") == "Auto Device"
    core.set_property("AUTO", {device.priorities: "TEMPLATE"})
    assert core.get_property("AUTO", device.priorities) == "TEMPLATE"
    assert "MULTI_DEVICE_PRIORITIES" in core.get_property("AUTO", props.supported_properties)
