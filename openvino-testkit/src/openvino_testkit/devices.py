"""Which devices a run tests: the ``--ov-device`` names, or every installed device."""

from __future__ import annotations

from collections.abc import Sequence

import openvino as ov

__all__ = ["VIRTUAL_DEVICES", "installed_devices", "resolve_devices", "auto_target",
           "is_auto_target", "underlying_device"]

#: Devices that dispatch to others rather than run anything themselves.
VIRTUAL_DEVICES = frozenset({"AUTO", "MULTI", "HETERO", "BATCH"})


def _family(device: str) -> str:
    return device.split(".", 1)[0].split(":", 1)[0]


def installed_devices(core: ov.Core) -> list[str]:
    """Every device the core lists, less the virtual ones (AUTO, MULTI, HETERO, BATCH)."""
    return [d for d in core.available_devices if _family(d) not in VIRTUAL_DEVICES]


def resolve_devices(core: ov.Core, requested: Sequence[str]) -> list[str]:
    """The devices to test: ``requested`` (checked against what is installed, in the given
    order, duplicates dropped), or every installed device when nothing was requested."""
    available = list(core.available_devices)
    if not requested:
        return installed_devices(core)
    out: list[str] = []
    for name in requested:
        known = name in available or any(a.startswith(name + ".") for a in available)
        if not known:
            raise ValueError(f"--ov-device {name}: no such device; available devices: "
                             f"{', '.join(available) or '(none)'}")
        if _family(name) in VIRTUAL_DEVICES:
            raise ValueError(f"--ov-device {name}: {_family(name)} is a virtual device; name "
                             "the device it should run on (the suite also runs every check "
                             "through AUTO:<device>)")
        if name not in out:
            out.append(name)
    return out


def auto_target(device: str) -> str:
    """The device string that runs ``device`` through AUTO."""
    return f"AUTO:{device}"


def is_auto_target(target: str) -> bool:
    """Whether a test target is ``AUTO:<device>`` rather than a device itself."""
    return target.startswith("AUTO:")


def underlying_device(target: str) -> str:
    """The device a target runs on (``AUTO:CPU`` -> ``CPU``)."""
    return target[len("AUTO:"):] if is_auto_target(target) else target
