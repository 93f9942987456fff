"""``openvino.properties.device``: what a device is, and per-device settings.

Two properties here take several arguments:

* ``device.priorities("CPU", "GPU")`` -> ``("MULTI_DEVICE_PRIORITIES", OVAny("CPU,GPU,"))``;
* ``device.properties({"CPU": {...}, "GPU": {...}})`` or
  ``device.properties("CPU", {...}, streams.num(2), ...)`` ->
  ``("DEVICE_PROPERTIES", OVAny({"CPU": {...}}))`` with the inner keys as plain strings.
"""

from __future__ import annotations

import builtins  # this module defines its own `type` and `id` (OpenVINO's names)
from dataclasses import dataclass
from typing import Any

from openvino.properties._enum import PropertyEnum
from openvino.properties._property import ReadOnlyProperty, ReadWriteProperty
from openvino.properties._registry import property_key
from openvino.properties._value_kinds import (
    AnyKind,
    EnumKind,
    FloatKind,
    PropertyValueError,
    StrKind,
    StrListKind,
    ValueKind,
    unwrap,
)

__all__ = [
    "Capability",
    "PCIInfo",
    "Type",
    "architecture",
    "capabilities",
    "full_name",
    "gops",
    "id",
    "luid",
    "pci_info",
    "priorities",
    "properties",
    "thermal",
    "type",
    "uuid",
]


class Type(PropertyEnum):
    """Whether a device is integrated with the host or a discrete card."""

    INTEGRATED = 0
    DISCRETE = 1


class Capability:
    """Names a device lists in ``OPTIMIZATION_CAPABILITIES``."""

    FP32 = "FP32"
    BF16 = "BF16"
    FP16 = "FP16"
    INT8 = "INT8"
    INT16 = "INT16"
    BIN = "BIN"
    WINOGRAD = "WINOGRAD"
    EXPORT_IMPORT = "EXPORT_IMPORT"


@dataclass(frozen=True)
class PCIInfo:
    """Where a device sits on the PCI bus (value of ``DEVICE_PCI_INFO``)."""

    domain: int = 0
    bus: int = 0
    device: int = 0
    function: int = 0


# --- device.priorities -------------------------------------------------------------------
class _PrioritiesKind(ValueKind):
    """A comma-separated device list; a list of names is joined when parsing configs."""

    description = "str"

    def coerce(self, value: Any) -> str:
        if isinstance(value, str):
            return str(value)
        raise TypeError(f"Incorrect passed value: {value} , expected string values.")

    def parse(self, value: Any) -> str:
        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            return ",".join(value)
        return super().parse(value)


class _DevicePrioritiesProperty(ReadWriteProperty):
    """``priorities(*devices)``: each device name followed by a comma."""

    def _signatures(self) -> list[str]:
        return [f"{self.__name__}() -> str", f"{self.__name__}(*devices: str) -> tuple[str, OVAny]"]

    def _value_from(self, args: tuple[Any, ...]) -> str:
        text = ""
        for arg in args:
            arg = unwrap(arg)
            if not isinstance(arg, str):
                raise TypeError(f"Incorrect passed value: {arg} , expected string values.")
            text += arg + ","
        return text


# --- device.properties -------------------------------------------------------------------
def _plain_config(config: Any) -> Any:
    """Turn property-object keys into strings and unwrap ``OVAny`` values, recursively."""
    config = unwrap(config)
    if isinstance(config, dict):
        return {property_key(key): _plain_config(value) for key, value in config.items()}
    return config


def _device_properties(args: tuple[Any, ...]) -> dict[str, Any]:
    """Build ``{device: {key: value}}`` from the arguments of ``device.properties``."""
    result: dict[str, Any] = {}
    if args and isinstance(args[0], str):
        # properties("CPU", {...}, (key, value), ...): settings for one device.
        device_name, settings = str(args[0]), {}
        for arg in args[1:]:
            arg = unwrap(arg)
            if isinstance(arg, dict):
                settings.update(_plain_config(arg))
            elif isinstance(arg, tuple) and len(arg) == 2:
                settings[property_key(arg[0])] = _plain_config(arg[1])
            else:
                raise TypeError(
                    f"Incorrect passed value: {arg}, expected dictionary or (key, value) pair "
                    f"instead of {builtins.type(arg).__name__}"
                )
        result[device_name] = settings
        return result
    for arg in args:
        arg = unwrap(arg)
        if not isinstance(arg, dict):
            raise TypeError(
                f"Incorrect passed value: {arg}, expected dictionary instead of "
                f"{builtins.type(arg).__name__}"
            )
        for key, value in arg.items():
            if not isinstance(key, str):
                raise TypeError(
                    f"Incorrect passed key in value: {key}, expected string instead of "
                    f"{builtins.type(key).__name__}"
                )
            result[str(key)] = _plain_config(value)
    return result


class _DevicePropertiesKind(ValueKind):
    """``{device_name: {key: value}}`` with string keys at every level."""

    description = "dict[str, dict]"

    def coerce(self, value: Any) -> dict[str, Any]:
        return _device_properties((value,))

    def parse(self, value: Any) -> Any:
        if isinstance(value, str):
            # Config text of nested maps is left for the device to read.
            return value
        try:
            return self.coerce(value)
        except TypeError as exc:
            raise PropertyValueError(str(exc)) from None


class _DevicePropertiesProperty(ReadWriteProperty):
    """``properties(dict, ...)`` or ``properties(device, dict | (key, value), ...)``."""

    def _signatures(self) -> list[str]:
        return [
            f"{self.__name__}() -> str",
            f"{self.__name__}(*configs: dict[str, dict]) -> tuple[str, OVAny]",
            f"{self.__name__}(device: str, *settings: dict | tuple[str, Any]) "
            "-> tuple[str, OVAny]",
        ]

    def _value_from(self, args: tuple[Any, ...]) -> dict[str, Any]:
        return _device_properties(args)


# --- properties --------------------------------------------------------------------------
id = ReadWriteProperty(  # noqa: A001 - the OpenVINO name
    "DEVICE_ID", StrKind(), name="id",
    doc="Which device of a family to use (\"0\", \"1\", ...).",
)
priorities = _DevicePrioritiesProperty(
    "MULTI_DEVICE_PRIORITIES", _PrioritiesKind(), name="priorities",
    doc="Candidate devices for AUTO/MULTI, in priority order.",
)
properties = _DevicePropertiesProperty(
    "DEVICE_PROPERTIES", _DevicePropertiesKind(), name="properties",
    doc="Settings for individual devices, passed through AUTO/MULTI/HETERO.",
)
full_name = ReadOnlyProperty(
    "FULL_DEVICE_NAME", StrKind(), name="full_name",
    doc="Human-readable name of the device.",
)
architecture = ReadOnlyProperty(
    "DEVICE_ARCHITECTURE", StrKind(), name="architecture",
    doc="Architecture of the device (devices with the same one can share compiled blobs).",
)
type = ReadOnlyProperty(  # noqa: A001 - the OpenVINO name
    "DEVICE_TYPE", EnumKind(Type, "device.Type"), name="type",
    doc="device.Type.INTEGRATED or device.Type.DISCRETE.",
)
gops = ReadOnlyProperty(
    "DEVICE_GOPS", AnyKind("dict[openvino.Type, float]"), name="gops",
    doc="Giga operations per second of the device, per element type.",
)
pci_info = ReadOnlyProperty(
    "DEVICE_PCI_INFO", AnyKind("device.PCIInfo"), name="pci_info",
    doc="PCI bus location of the device.",
)
thermal = ReadOnlyProperty(
    "DEVICE_THERMAL", FloatKind(single=False), name="thermal",
    doc="Device temperature in degrees Celsius.",
)
capabilities = ReadOnlyProperty(
    "OPTIMIZATION_CAPABILITIES", StrListKind(), name="capabilities",
    doc="device.Capability names the device supports (FP32, FP16, EXPORT_IMPORT, ...).",
)
uuid = ReadOnlyProperty(
    "DEVICE_UUID", AnyKind("bytes"), name="uuid",
    doc="Unique identifier of the device.",
)
luid = ReadOnlyProperty(
    "DEVICE_LUID", AnyKind("bytes"), name="luid",
    doc="Locally unique identifier of the device.",
)
