"""Device discovery through the plugin manager, failure reporting, and the AUTO policy."""

from __future__ import annotations

import importlib.metadata
import warnings

import numpy as np
import pytest

import openvino as ov
from openvino.plugin import plugin_manager
from openvino.properties import device

from .conftest import add_model
from .fake_devices import BrokenSource, DeviceSource, FakePlugin, FixedPolicy

X = np.arange(8, dtype=np.float32)


@pytest.mark.real_discovery
def test_template_is_found_through_its_entry_point():
    eps = importlib.metadata.entry_points(group="openvino.plugins")
    assert "openvino.template_plugin" in [ep.value for ep in eps]
    import openvino.template_plugin as template

    assert plugin_manager().is_registered(template)


def test_devices_listed_with_ids(register):
    register(DeviceSource(lambda: FakePlugin("GPU", ["0", "1"]), lambda: FakePlugin("CPU")))
    core = ov.Core()
    assert core.available_devices == ["CPU", "GPU.0", "GPU.1", "TEMPLATE"]
    compiled = core.compile_model(add_model(), "GPU.1")
    np.testing.assert_array_equal(compiled([X, X])[0], 2 * X)


def test_plugin_raising_during_discovery_is_reported_others_work(register):
    register(BrokenSource())
    with pytest.warns(RuntimeWarning, match="libbroken.so"):
        core = ov.Core()
    assert "TEMPLATE" in core.available_devices
    np.testing.assert_array_equal(core.compile_model(add_model(), "TEMPLATE")([X, X])[0], 2 * X)
    with pytest.raises(RuntimeError, match=r"BROKEN.*available devices: TEMPLATE.*libbroken"):
        core.compile_model(add_model(), "BROKEN")


def test_duplicate_device_name_is_reported(register):
    register(DeviceSource(lambda: FakePlugin("TEMPLATE")))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        core = ov.Core()
    assert any("already provided" in str(w.message) for w in caught)
    assert core.available_devices == ["TEMPLATE"]


def test_auto_default_priority(register):
    source = register(DeviceSource(
        lambda: FakePlugin("CPU"),
        lambda: FakePlugin("GPU", ["0", "1"], device_type=device.Type.INTEGRATED),
        lambda: FakePlugin("NPU")))
    core = ov.Core()
    compiled = core.compile_model(add_model())
    # no discrete GPU: the integrated one first
    assert compiled.get_property("EXECUTION_DEVICES") == ["GPU.0"]
    assert source.last["GPU"].compiled_on[0]["DEVICE_ID"] == "0"
    assert core.compile_model(add_model(), "AUTO:-GPU").get_property(
        "EXECUTION_DEVICES") == ["NPU"]
    assert core.compile_model(add_model(), "AUTO:-GPU,-NPU").get_property(
        "EXECUTION_DEVICES") == ["CPU"]
    assert core.compile_model(add_model(), "AUTO:TEMPLATE,CPU").get_property(
        "EXECUTION_DEVICES") == ["TEMPLATE"]
    assert core.compile_model(add_model(), "AUTO", {device.priorities: "CPU,GPU"}) \
        .get_property("EXECUTION_DEVICES") == ["CPU"]


def test_auto_prefers_discrete_gpu(register):
    register(DeviceSource(
        lambda: FakePlugin("CPU"),
        lambda: FakePlugin("GPU", ["0", "1"], device_type=device.Type.DISCRETE)))
    assert ov.Core().compile_model(add_model(), "AUTO").get_property(
        "EXECUTION_DEVICES") == ["GPU.0"]


class HostCpuGpu(FakePlugin):
    """A GPU family whose device 0 is an OpenCL CPU device (PoCL) standing in for a GPU."""

    def runs_on_host_cpu(self, device_id: str = "") -> bool:
        return device_id in ("", "0")


def test_auto_never_prefers_a_device_on_the_host_cpu_to_cpu(register):
    register(DeviceSource(
        lambda: FakePlugin("CPU"),
        lambda: HostCpuGpu("GPU", ["0"], device_type=device.Type.INTEGRATED)))
    core = ov.Core()
    assert core.compile_model(add_model(), "AUTO").get_property(
        "EXECUTION_DEVICES") == ["CPU"]
    # still chosen when CPU is excluded, and before TEMPLATE
    assert core.compile_model(add_model(), "AUTO:-CPU").get_property(
        "EXECUTION_DEVICES") == ["GPU"]
    # the user's list wins
    assert core.compile_model(add_model(), "AUTO:GPU,CPU").get_property(
        "EXECUTION_DEVICES") == ["GPU"]


def test_auto_prefers_a_real_gpu_to_cpu(register):
    register(DeviceSource(
        lambda: FakePlugin("CPU"),
        lambda: HostCpuGpu("GPU", ["0", "1"], device_type=device.Type.INTEGRATED)))
    assert ov.Core().compile_model(add_model(), "AUTO").get_property(
        "EXECUTION_DEVICES") == ["GPU.1"]


def test_auto_skips_devices_that_do_not_cover_the_model(register):
    register(DeviceSource(lambda: FakePlugin("CPU", supported_types={"Relu"})))
    compiled = ov.Core().compile_model(add_model(), "AUTO")
    assert compiled.get_property("EXECUTION_DEVICES") == ["TEMPLATE"]


def test_auto_falls_back_when_compilation_fails(register):
    source = register(DeviceSource(lambda: FakePlugin("CPU", fail_compile=True)))
    compiled = ov.Core().compile_model(add_model(), "AUTO")
    assert compiled.get_property("EXECUTION_DEVICES") == ["TEMPLATE"]
    assert len(source.last["CPU"].compiled_on) == 1
    np.testing.assert_array_equal(compiled([X, X])[0], 2 * X)


def test_auto_logs_the_compile_error_it_falls_back_from(register, caplog):
    """As OpenVINO's AUTO: a candidate's compile error does not fail the compilation a
    later candidate completes, and it is not lost: logged to 'openvino.auto' (debug)."""
    register(DeviceSource(lambda: FakePlugin("CPU", fail_compile=True)))
    with caplog.at_level("DEBUG", logger="openvino.auto"):
        compiled = ov.Core().compile_model(add_model(), "AUTO")
    assert compiled.get_property("EXECUTION_DEVICES") == ["TEMPLATE"]
    assert any(r.name == "openvino.auto" and "on CPU" in r.getMessage()
               and "CPU failed to compile on purpose" in r.getMessage()
               for r in caplog.records)


class ClusterDevice(FakePlugin):
    """A device standing for other machines: plain AUTO leaves it out."""

    def auto_default_candidate(self, device_id: str = "") -> bool:
        return False


def test_a_device_can_keep_itself_out_of_plain_auto(register):
    register(DeviceSource(
        lambda: FakePlugin("CPU"),
        lambda: ClusterDevice("CLUSTER", device_type=device.Type.DISCRETE)))
    core = ov.Core()
    assert "CLUSTER" in core.available_devices
    # a discrete device would rank first; plain AUTO (and its exclusions) never take it
    assert core.compile_model(add_model(), "AUTO").get_property(
        "EXECUTION_DEVICES") == ["CPU"]
    assert core.compile_model(add_model(), "AUTO:-CPU").get_property(
        "EXECUTION_DEVICES") == ["TEMPLATE"]
    assert "CLUSTER" not in core.query_model(add_model(), "AUTO").values()
    # named, it is a candidate like any other
    assert core.compile_model(add_model(), "AUTO:CLUSTER,CPU").get_property(
        "EXECUTION_DEVICES") == ["CLUSTER"]
    assert core.compile_model(add_model(), "AUTO", {device.priorities: "CLUSTER"}) \
        .get_property("EXECUTION_DEVICES") == ["CLUSTER"]


def test_auto_reports_every_failure(register):
    register(DeviceSource(lambda: FakePlugin("CPU", fail_compile=True)))
    with pytest.raises(RuntimeError, match="CPU failed to compile on purpose"):
        ov.Core().compile_model(add_model(), "AUTO:CPU")


def test_user_policy_registered_ahead_of_the_default(register):
    register(DeviceSource(lambda: FakePlugin("CPU")))
    policy = register(FixedPolicy(["TEMPLATE"]))
    compiled = ov.Core().compile_model(add_model(), "AUTO")
    assert compiled.get_property("EXECUTION_DEVICES") == ["TEMPLATE"]
    assert policy.calls == [["CPU", "TEMPLATE"]]


def test_policy_returning_none_defers_to_the_default(register):
    register(DeviceSource(lambda: FakePlugin("CPU")))
    register(FixedPolicy(None))
    compiled = ov.Core().compile_model(add_model())
    assert compiled.get_property("EXECUTION_DEVICES") == ["CPU"]


def test_auto_passes_performance_hint_and_drops_auto_keys(register):
    source = register(DeviceSource(lambda: FakePlugin("CPU")))
    ov.Core().compile_model(add_model(), "AUTO:CPU", {"ENABLE_STARTUP_FALLBACK": True,
                                                      "PERF_COUNT": True})
    config = source.last["CPU"].compiled_on[0]
    assert config["PERF_COUNT"] is True and "ENABLE_STARTUP_FALLBACK" not in config


def test_query_model(core):
    model = add_model()
    supported = core.query_model(model, "TEMPLATE")
    assert set(supported.values()) == {"TEMPLATE"}
    assert {op.get_friendly_name() for op in model.get_ordered_ops()} <= set(supported)
    assert core.query_model(model=model, device_name="AUTO") == supported


def test_register_plugin_missing_library(core):
    with pytest.raises(RuntimeError, match="Cannot load library 'libnothere.so'"):
        core.register_plugin("libnothere.so", "NOTHERE")
    with pytest.raises(RuntimeError, match="Cannot load library"):
        core.add_extension(library_path="libext.so")


def test_register_plugin_by_module_and_unload(core):
    core.register_plugin("openvino.template_plugin", "TEMPLATE")
    assert "TEMPLATE" in core.available_devices
    core.set_property("TEMPLATE", {"PERF_COUNT": True})
    core.unload_plugin("TEMPLATE")
    assert core.get_property("TEMPLATE", "PERF_COUNT") is False
    with pytest.raises(RuntimeError, match="not registered"):
        core.unload_plugin("NOPE")


def test_compile_model_inputs_accepted(core, tmp_path):
    path = tmp_path / "m.xml"
    ov.serialize(add_model(), str(path))
    for model in (str(path), path):
        assert core.compile_model(model, "TEMPLATE")([X, X])[0].shape == (8,)
    xml = path.read_text()
    weights = (tmp_path / "m.bin").read_bytes()
    compiled = core.compile_model(model=xml, weights=weights, device_name="TEMPLATE")
    np.testing.assert_array_equal(compiled([X, X])[0], 2 * X)
    with pytest.raises(TypeError, match="isn't supported as 'model' argument"):
        core.compile_model(42, "TEMPLATE")
    with pytest.raises(TypeError, match="<class 'int'> isn't supported as 'model' argument"):
        core.read_model(1)


def test_free_compile_model_errors():
    class Thing:
        def __str__(self):
            return "test class"

    with pytest.raises(RuntimeError, match="Path: 'test class' does not exist. Please provide "
                                           "valid model's path either as a string, bytes or "
                                           "pathlib.Path"):
        ov.compile_model(Thing())
    with pytest.raises(RuntimeError, match="does not exist"):
        ov.compile_model("no/such/model.xml")
    compiled = ov.compile_model(add_model(), "TEMPLATE")
    assert compiled.get_property("EXECUTION_DEVICES") == ["TEMPLATE"]
