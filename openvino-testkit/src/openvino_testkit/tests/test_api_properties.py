"""API conformance: device and compiled-model properties.

A device lists its properties in ``SUPPORTED_PROPERTIES`` (``{key: "RO" | "RW"}``) and every
listed key must read back; read-write ones must take their own value back. The names the
tools rely on must be there with the documented Python types, unknown keys must be
rejected with ``RuntimeError``. Through ``AUTO:<device>`` the device-level properties are
AUTO's own, so only the generic checks apply there; compiled-model properties apply to both.
"""

from __future__ import annotations

import enum
from typing import Any

import pytest

import openvino as ov
from openvino_testkit.device_support import compile_for
from openvino_testkit.devices import is_auto_target, underlying_device
from openvino_testkit.models import add_model

OV_CHECK_KIND = "api"

_UNKNOWN = "OV_TESTKIT_NO_SUCH_PROPERTY"


def _device_level_only(target: str) -> None:
    if is_auto_target(target):
        pytest.skip("a property of the device itself (AUTO answers with its own)")


@pytest.fixture(scope="module")
def supported(ov_core: Any, ov_device: str) -> dict[str, str]:
    return dict(ov_core.get_property(ov_device, "SUPPORTED_PROPERTIES"))


@pytest.fixture(scope="module")
def compiled(ov_core: Any, ov_device: str) -> Any:
    return compile_for(ov_core, add_model().model, ov_device)


def test_supported_properties_is_a_dict(ov_core: Any, ov_device: str) -> None:
    value = ov_core.get_property(ov_device, "SUPPORTED_PROPERTIES")
    assert isinstance(value, dict), f"SUPPORTED_PROPERTIES is {type(value).__name__}, not dict"
    assert value, "SUPPORTED_PROPERTIES is empty"
    bad = {k: v for k, v in value.items() if not isinstance(k, str) or str(v) not in ("RO", "RW")}
    assert not bad, f"entries that are not <str>: 'RO'|'RW': {bad}"
    assert "SUPPORTED_PROPERTIES" in value, "SUPPORTED_PROPERTIES does not list itself"


def test_every_supported_property_reads_back(ov_core: Any, ov_device: str,
                                             supported: dict[str, str]) -> None:
    failed = {}
    for key in supported:
        try:
            ov_core.get_property(ov_device, key)
        except Exception as e:
            failed[key] = f"{type(e).__name__}: {e}"
    assert not failed, f"listed in SUPPORTED_PROPERTIES but get_property fails: {failed}"


def test_read_write_properties_take_their_value_back(ov_core: Any, ov_device: str,
                                                     supported: dict[str, str]) -> None:
    failed = {}
    for key, mode in supported.items():
        if str(mode) != "RW":
            continue
        try:
            value = ov_core.get_property(ov_device, key)
            ov_core.set_property(ov_device, {key: value})
            again = ov_core.get_property(ov_device, key)
        except Exception as e:
            failed[key] = f"{type(e).__name__}: {e}"
            continue
        if str(again) != str(value):
            failed[key] = f"set {value!r}, read back {again!r}"
    assert not failed, f"read-write properties that do not round-trip: {failed}"


def _other_values(value: Any) -> list[Any]:
    """Values of the kind of ``value`` other than ``value``, to try in turn (a device may
    refuse some); ``[]`` for kinds with no generic other value (strings, dicts ...)."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, enum.Enum):
        return [member for member in type(value) if member != value]
    if isinstance(value, ov.Type):
        return [t for t in (ov.Type.f16, ov.Type.bf16, ov.Type.f32, ov.Type.u8, ov.Type.i8)
                if t != value]
    if isinstance(value, int):
        return [value + 1, value + 2] + ([value - 1] if value > 0 else [])
    if isinstance(value, float):
        return [value / 2 if value else 0.5, value + 1.0]
    return []


def _as_text(value: Any) -> str:
    """A property value as text, the way compiled models may report it (OpenVINO's CPU gives
    ``PERF_COUNT`` as ``"YES"`` and ``PERFORMANCE_HINT`` as ``"THROUGHPUT"``)."""
    if isinstance(value, bool):
        return "YES" if value else "NO"
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, ov.Type):
        return value.get_type_name()
    text = str(value).upper()
    return {"TRUE": "YES", "FALSE": "NO"}.get(text, text)


def _same(a: Any, b: Any) -> bool:
    return a == b or _as_text(a) == _as_text(b)


def _rw_properties(core: Any, device: str) -> dict[str, Any]:
    listed = core.get_property(device, "SUPPORTED_PROPERTIES")
    return {k: core.get_property(device, k) for k, mode in listed.items() if str(mode) == "RW"}


def test_read_write_properties_take_a_new_value(ov_device: str) -> None:
    """Through the core (``Core.set_property(device, ...)``), on a core of its own: every
    read-write property set to a value other than its current one reads back that value
    (a device that accepts a value and keeps the old one fails). A value the device refuses
    is skipped; a property none of whose other values is accepted is not checked."""
    core = ov.Core()
    failed, checked = {}, []
    for key, value in _rw_properties(core, ov_device).items():
        for other in _other_values(value):
            try:
                core.set_property(ov_device, {key: other})
            except Exception:
                continue  # the device does not take this value: try the next one
            again = core.get_property(ov_device, key)
            checked.append(key)
            if not _same(again, other):
                failed[key] = f"set {other!r} (was {value!r}), read back {again!r}"
            break
    assert not failed, f"read-write properties that keep their old value: {failed}"
    if not checked:
        pytest.skip("no read-write property took another value")


def test_compile_properties_reach_the_compiled_model(ov_core: Any, ov_device: str) -> None:
    """A read-write property of the device given to ``compile_model`` with a value other
    than the device's is what the compiled model reports (when it lists the property)."""
    _device_level_only(ov_device)
    model = add_model().model
    failed, checked = {}, []
    for key, value in _rw_properties(ov_core, ov_device).items():
        for other in _other_values(value):
            try:
                compiled = compile_for(ov_core, model, ov_device, {key: other})
            except Exception:
                continue
            if key not in compiled.get_property("SUPPORTED_PROPERTIES"):
                break
            got = compiled.get_property(key)
            checked.append(key)
            if not _same(got, other):
                failed[key] = (f"compiled with {other!r} (the device has {value!r}), "
                               f"the compiled model reports {got!r}")
            break
    assert not failed, f"compile-time properties the compiled model does not keep: {failed}"
    if not checked:
        pytest.skip("the compiled model lists no read-write property of the device")


def test_full_device_name(ov_core: Any, ov_device: str, supported: dict[str, str]) -> None:
    assert "FULL_DEVICE_NAME" in supported, "FULL_DEVICE_NAME is not in SUPPORTED_PROPERTIES"
    name = ov_core.get_property(ov_device, "FULL_DEVICE_NAME")
    assert isinstance(name, str) and name.strip(), f"FULL_DEVICE_NAME is {name!r}"


def test_range_for_streams(ov_core: Any, ov_device: str, supported: dict[str, str]) -> None:
    _device_level_only(ov_device)
    assert "RANGE_FOR_STREAMS" in supported, "RANGE_FOR_STREAMS is not in SUPPORTED_PROPERTIES"
    value = ov_core.get_property(ov_device, "RANGE_FOR_STREAMS")
    assert isinstance(value, tuple) and len(value) == 2 and all(
        isinstance(v, int) for v in value), f"RANGE_FOR_STREAMS is {value!r}, not (int, int)"
    assert 1 <= value[0] <= value[1], f"RANGE_FOR_STREAMS {value} is not 1 <= min <= max"


def test_range_for_async_infer_requests(ov_core: Any, ov_device: str,
                                        supported: dict[str, str]) -> None:
    _device_level_only(ov_device)
    if "RANGE_FOR_ASYNC_INFER_REQUESTS" not in supported:
        pytest.skip("RANGE_FOR_ASYNC_INFER_REQUESTS is not listed")
    value = ov_core.get_property(ov_device, "RANGE_FOR_ASYNC_INFER_REQUESTS")
    assert isinstance(value, tuple) and len(value) == 3 and all(
        isinstance(v, int) for v in value), f"RANGE_FOR_ASYNC_INFER_REQUESTS is {value!r}"
    assert 1 <= value[0] <= value[1], f"RANGE_FOR_ASYNC_INFER_REQUESTS {value}: min > max"


def test_optimization_capabilities(ov_core: Any, ov_device: str,
                                   supported: dict[str, str]) -> None:
    _device_level_only(ov_device)
    assert "OPTIMIZATION_CAPABILITIES" in supported, \
        "OPTIMIZATION_CAPABILITIES is not in SUPPORTED_PROPERTIES"
    value = ov_core.get_property(ov_device, "OPTIMIZATION_CAPABILITIES")
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), \
        f"OPTIMIZATION_CAPABILITIES is {value!r}, not a list of str"


def test_available_devices(ov_core: Any, ov_device: str, supported: dict[str, str]) -> None:
    _device_level_only(ov_device)
    family = ov_device.split(".")[0]
    listed = ov_core.available_devices
    assert any(d == ov_device or d.startswith(family + ".") or d == family for d in listed), \
        f"{ov_device} is not in core.available_devices {listed}"
    if "AVAILABLE_DEVICES" in supported:
        ids = ov_core.get_property(family, "AVAILABLE_DEVICES")
        assert isinstance(ids, list) and ids, f"AVAILABLE_DEVICES is {ids!r}"


def test_unknown_property_is_rejected(ov_core: Any, ov_device: str) -> None:
    with pytest.raises(RuntimeError):
        ov_core.get_property(ov_device, _UNKNOWN)
    with pytest.raises(RuntimeError):
        ov_core.set_property(ov_device, {_UNKNOWN: "1"})


def test_read_only_property_is_not_settable(ov_core: Any, ov_device: str,
                                            supported: dict[str, str]) -> None:
    read_only = [k for k, v in supported.items() if str(v) == "RO" and k != "SUPPORTED_PROPERTIES"]
    if not read_only:
        pytest.skip("no read-only property besides SUPPORTED_PROPERTIES")
    key = "FULL_DEVICE_NAME" if "FULL_DEVICE_NAME" in read_only else read_only[0]
    value = ov_core.get_property(ov_device, key)
    with pytest.raises(RuntimeError):
        ov_core.set_property(ov_device, {key: value})


def test_get_versions(ov_core: Any, ov_device: str) -> None:
    _device_level_only(ov_device)
    versions = ov_core.get_versions(ov_device)
    family = underlying_device(ov_device).split(".")[0]
    assert any(k.split(".")[0] == family for k in versions), \
        f"get_versions({ov_device!r}) has no entry for it: {versions}"
    for v in versions.values():
        assert isinstance(v.description, str) and isinstance(v.build_number, str), \
            f"version {v!r} lacks description/build_number strings"


# --- compiled model ------------------------------------------------------------------------

def test_compiled_supported_properties_read_back(compiled: Any) -> None:
    listed = compiled.get_property("SUPPORTED_PROPERTIES")
    assert isinstance(listed, dict) and listed, f"SUPPORTED_PROPERTIES is {listed!r}"
    failed = {}
    for key in listed:
        try:
            compiled.get_property(key)
        except Exception as e:
            failed[key] = f"{type(e).__name__}: {e}"
    assert not failed, f"compiled-model properties listed but unreadable: {failed}"


def test_optimal_number_of_infer_requests(compiled: Any) -> None:
    value = compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")
    assert isinstance(value, int) and not isinstance(value, bool) and value >= 1, \
        f"OPTIMAL_NUMBER_OF_INFER_REQUESTS is {value!r}, not an int >= 1"


def test_model_name(compiled: Any) -> None:
    assert compiled.get_property("NETWORK_NAME") == "add_model"


def test_execution_devices(compiled: Any, ov_device: str) -> None:
    devices = compiled.get_property("EXECUTION_DEVICES")
    assert isinstance(devices, list) and devices, f"EXECUTION_DEVICES is {devices!r}"
    want = underlying_device(ov_device)
    assert any(d == want or d.split(".")[0] == want.split(".")[0] for d in devices), \
        f"EXECUTION_DEVICES {devices} does not name {want}"


def test_compiled_unknown_property_is_rejected(compiled: Any) -> None:
    with pytest.raises(RuntimeError):
        compiled.get_property(_UNKNOWN)
