"""The module the ``openvino.plugins`` entry point names: OpenVINO calls these hooks."""

from __future__ import annotations

from openvino.plugin import hookimpl
from openvino_minimal.plugin import MinimalPlugin


@hookimpl
def openvino_device_plugins() -> list[MinimalPlugin]:
    """A fresh device object for each ``openvino.Core``."""
    return [MinimalPlugin()]
