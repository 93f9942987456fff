"""Models the runtime tests share, and device isolation.

Runtime tests see only the TEMPLATE device (plus what a test registers), whatever else is
installed: an autouse fixture swaps in a plugin manager holding the TEMPLATE hooks and the
default AUTO policy. Tests marked ``real_discovery`` use the process's real manager.
"""

from __future__ import annotations

import importlib

import numpy as np
import pluggy
import pytest

import openvino as ov
import openvino.template_plugin
from openvino import _auto, _device_discovery


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_discovery: see every installed device plugin")


@pytest.fixture(autouse=True)
def isolated_plugins(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A plugin manager with only TEMPLATE and the default AUTO policy."""
    if request.node.get_closest_marker("real_discovery"):
        yield _device_discovery.plugin_manager()
        return
    spec = importlib.import_module("openvino.plugin.hookspec")
    pm = pluggy.PluginManager(spec.PROJECT_NAME)
    pm.add_hookspecs(spec)
    pm.register(openvino.template_plugin, name="openvino-core:template")
    pm.register(_auto.DefaultAutoPolicy(), name="openvino.auto.default")
    monkeypatch.setattr(_device_discovery, "_manager", pm)
    monkeypatch.setattr(_device_discovery, "_load_failures", [])
    yield pm


def add_model() -> ov.Model:
    """The seed's add model: two f32[8] inputs ``a`` and ``b``, output ``y``."""
    a = ov.opset8.parameter([8], np.float32, name="a")
    b = ov.opset8.parameter([8], np.float32, name="b")
    a.output(0).set_names({"a"})
    b.output(0).set_names({"b"})
    res = ov.opset8.add(a, b)
    res.output(0).set_names({"y"})
    return ov.Model(res, [a, b], "add")


def accumulator_model() -> ov.Model:
    """A stateful model: ``acc += x`` (variable ``acc``, zeros f32[1,2] at first); the
    output is the new value."""
    x = ov.opset8.parameter([1, 2], np.float32, name="x")
    init = ov.opset8.constant(np.zeros((1, 2), np.float32))
    read = ov.opset8.read_value(init, "acc", ov.Type.f32, [1, 2])
    total = ov.opset8.add(read, x)
    assign = ov.opset8.assign(total, "acc")
    res = ov.opset8.result(total)
    return ov.Model(results=[res], sinks=[assign], parameters=[x], name="acc")


@pytest.fixture
def core() -> ov.Core:
    return ov.Core()


@pytest.fixture
def compiled_add(core: ov.Core) -> ov.CompiledModel:
    return core.compile_model(add_model(), "TEMPLATE")


@pytest.fixture
def register():
    """``register(obj)`` adds hook implementations (devices, AUTO policies) to the process's
    plugin manager for the test; they are removed after it."""
    from openvino.plugin import plugin_manager

    registered = []

    def add(obj):
        plugin_manager().register(obj)
        registered.append(obj)
        return obj

    yield add
    for obj in registered:
        plugin_manager().unregister(obj)
