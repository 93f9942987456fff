"""``Core.register_plugin(s)``: a device from a Python module, or from an installed
distribution that declares no entry point; a C++ plugin library is refused with a message
that says what to pass instead."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

import openvino as ov

DEVICE_MODULE = textwrap.dedent('''
    from openvino.plugin import hookimpl
    from openvino.template_plugin.plugin import TemplatePlugin


    class NoEntryPlugin(TemplatePlugin):
        def __init__(self):
            super().__init__()
            self.name = "NOENTRY"


    @hookimpl
    def openvino_device_plugins():
        return [NoEntryPlugin()]
''')


@pytest.fixture
def no_entry_point_distribution(tmp_path, monkeypatch):
    """An installed distribution ``acme-noentry-device`` (package ``acme_noentry``, hooks in
    ``acme_noentry.hooks``) with no ``openvino.plugins`` entry point: Core() does not see it."""
    package = tmp_path / "acme_noentry"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "hooks.py").write_text(DEVICE_MODULE)
    info = tmp_path / "acme_noentry_device-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-noentry-device\n"
                                   "Version: 1.0\n")
    (info / "top_level.txt").write_text("acme_noentry\n")
    (info / "RECORD").write_text("acme_noentry/__init__.py,,\nacme_noentry/hooks.py,,\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "acme-noentry-device"


def _relu_model():
    p = ov.opset13.parameter([3], np.float32)
    return ov.Model(ov.opset13.relu(p), [p])


def _check_runs(core, device):
    out = core.compile_model(_relu_model(), device)([np.array([-1, 0, 2], np.float32)])[0]
    np.testing.assert_array_equal(out, [0, 0, 2])


def test_distribution_without_entry_point_by_its_name(no_entry_point_distribution):
    core = ov.Core()
    assert "NOENTRY" not in core.available_devices
    core.register_plugin(no_entry_point_distribution, "NOENTRY")
    assert "NOENTRY" in core.available_devices
    _check_runs(core, "NOENTRY")
    assert "NOENTRY" not in ov.Core().available_devices  # registered on that core only


def test_module_name_or_its_hooks_submodule(no_entry_point_distribution):
    core = ov.Core()
    core.register_plugin("acme_noentry", "MYDEV", {"PERF_COUNT": True})
    core.register_plugin("acme_noentry.hooks", "MYDEV2")
    assert core.get_property("MYDEV", "PERF_COUNT") is True
    _check_runs(core, "MYDEV")
    _check_runs(core, "MYDEV2")


def test_installed_device_distribution_by_name():
    core = ov.Core()
    core.register_plugin("openvino-core", "TEMPLATE2")  # its entry point's module
    _check_runs(core, "TEMPLATE2")
    assert core.compile_model(_relu_model(), "TEMPLATE2").get_property(
        "EXECUTION_DEVICES") == ["TEMPLATE2"]


def test_register_plugins_xml_with_module_locations(no_entry_point_distribution, tmp_path):
    xml = tmp_path / "plugins.xml"
    xml.write_text('<ie><plugins><plugin name="FROMXML" location="acme_noentry"/>'
                   '</plugins></ie>')
    core = ov.Core()
    core.register_plugins(str(xml))
    _check_runs(core, "FROMXML")


@pytest.mark.parametrize("library", ["libopenvino_intel_cpu_plugin.so", "/opt/x/libdev.so",
                                     "openvino_intel_gpu_plugin.dll", "C:\\\\dev\\\\x.dll"])
def test_shared_library_names_the_alternative(library):
    with pytest.raises(RuntimeError) as info:
        ov.Core().register_plugin(library, "DEV")
    text = str(info.value)
    assert f"Cannot load library '{library}'" in text
    assert "Python module" in text and "distribution" in text


@pytest.mark.parametrize("name", ["nothere_at_all", "numpy"])
def test_names_without_the_hook(name):
    with pytest.raises(RuntimeError, match=f"Cannot load library '{name}'.*openvino_device_"):
        ov.Core().register_plugin(name, "DEV")


def test_failing_import_is_reported(tmp_path, monkeypatch):
    (tmp_path / "broken_dev.py").write_text("raise ImportError('missing driver libfoo')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RuntimeError, match="missing driver libfoo"):
        ov.Core().register_plugin("broken_dev", "BROKEN")
