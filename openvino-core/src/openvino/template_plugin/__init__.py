"""The ``TEMPLATE`` device: every op's numpy reference, run in model order.

It is the reference plugin users can always compile on (AUTO takes it last) and the
example a device author reads first: ``plugin.py`` (the device family and its
properties), ``compiled_model.py`` (the plan built once), ``infer_request.py`` (one
synchronous run), ``config.py`` (the properties it supports). It registers through the same
``openvino.plugins`` entry point as any third-party device; this module holds its hook.
"""

from __future__ import annotations

from openvino.plugin import hookimpl
from openvino.template_plugin.plugin import TemplatePlugin

__all__ = ["TemplatePlugin", "openvino_device_plugins"]


@hookimpl
def openvino_device_plugins() -> list[TemplatePlugin]:
    """The TEMPLATE device, fresh for each ``Core``."""
    return [TemplatePlugin()]
