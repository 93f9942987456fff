"""An entry point's ``openvino_*`` functions that would never be called (a misspelled hook,
a hook without ``@hookimpl``) are reported: a ``RuntimeWarning`` and an entry in
``discovery_failures()``; the module's correct hooks still work."""

from __future__ import annotations

import importlib
import importlib.metadata
import re
import sys
import types
from collections.abc import Iterator

import pluggy
import pytest

import openvino as ov
from openvino import _device_discovery
from openvino.plugin import discovery_failures, hookimpl

from .fake_devices import FakePlugin


def _module(name: str, **functions) -> types.ModuleType:
    module = types.ModuleType(name)
    for attr, value in functions.items():
        setattr(module, attr, value)
    return module


@hookimpl
def _good_hook() -> list[FakePlugin]:
    return [FakePlugin("GOOD")]


@hookimpl
def _misspelled() -> list[FakePlugin]:
    return [FakePlugin("TYPO")]


def _unmarked() -> list[FakePlugin]:
    return [FakePlugin("UNMARKED")]


@pytest.fixture
def entry_points(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, types.ModuleType]]:
    """Modules put here are the only ``openvino.plugins`` entry points of a fresh plugin
    manager (built on first use after the test filled the dict)."""
    modules: dict[str, types.ModuleType] = {}

    def fake_entry_points(group: str) -> list[importlib.metadata.EntryPoint]:
        assert group == _device_discovery.ENTRY_POINT_GROUP
        return [importlib.metadata.EntryPoint(name, name, group) for name in modules]

    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
    monkeypatch.setattr(_device_discovery, "_manager", None)
    monkeypatch.setattr(_device_discovery, "_load_failures", [])
    yield modules
    for name in modules:
        sys.modules.pop(name, None)


def _install(modules: dict[str, types.ModuleType], module: types.ModuleType) -> None:
    sys.modules[module.__name__] = module
    modules[module.__name__] = module


def test_a_misspelled_hook_is_reported(entry_points) -> None:
    _install(entry_points, _module("ov_test_typo", openvino_device_plugin=_misspelled,
                                   openvino_device_plugins=_good_hook))
    with pytest.warns(RuntimeWarning, match=re.escape(
            "hook that is never called: ?:ov_test_typo: PluginValidationError: "
            "'openvino_device_plugin' matches no OpenVINO hook")) as caught:
        failures = discovery_failures()
    assert "did you mean 'openvino_device_plugins'?" in str(caught[0].message)
    assert len(failures) == 1
    assert failures[0].source == "?:ov_test_typo"
    assert isinstance(failures[0].error, pluggy.PluginValidationError)
    assert "openvino_auto_select, openvino_device_plugins" in str(failures[0].error)
    # the module's right hook still gives its device; the misspelled one gives nothing
    devices = ov.Core().available_devices
    assert "GOOD" in devices and "TYPO" not in devices


def test_a_hook_without_hookimpl_is_reported(entry_points) -> None:
    _install(entry_points, _module("ov_test_unmarked", openvino_device_plugins=_unmarked))
    with pytest.warns(RuntimeWarning, match="'openvino_device_plugins' is not marked with "
                                            "@openvino.plugin.hookimpl, so it is never called"):
        failures = discovery_failures()
    assert [f.source for f in failures] == ["?:ov_test_unmarked"]


def test_a_right_module_is_not_reported(entry_points, recwarn) -> None:
    _install(entry_points, _module("ov_test_right", openvino_device_plugins=_good_hook,
                                   openvino_helper_value=3, OpenvinoThing=FakePlugin))
    assert discovery_failures() == []
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
    assert "GOOD" in ov.Core().available_devices


def test_hook_name_problems_of_an_object() -> None:
    """Entry points may name any object: its methods are checked the same way."""

    class Policy:
        @hookimpl
        def openvino_auto_selct(self, model, candidates, config):
            return None

        def openvino_auto_select(self, model, candidates, config):
            return None

    pm = _device_discovery.plugin_manager()
    policy = Policy()
    pm.register(policy)
    try:
        problems = _device_discovery.hook_name_problems(pm, policy)
    finally:
        pm.unregister(policy)
    assert len(problems) == 2
    assert problems[0].startswith("'openvino_auto_selct' matches no OpenVINO hook (did you "
                                  "mean 'openvino_auto_select'?)")
    assert problems[1].startswith("'openvino_auto_select' is not marked with")
