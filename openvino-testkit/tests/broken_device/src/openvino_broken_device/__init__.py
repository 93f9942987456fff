"""The BROKEN device (testkit self-test only): TEMPLATE with three deliberate defects,
listed in ``plugin.py``. Registered through the ``openvino.plugins`` entry point."""

from __future__ import annotations

from openvino.plugin import hookimpl

from .plugin import BrokenPlugin

__all__ = ["BrokenPlugin", "openvino_device_plugins"]


@hookimpl
def openvino_device_plugins() -> list[BrokenPlugin]:
    """The BROKEN device, fresh for each ``Core``."""
    return [BrokenPlugin()]
