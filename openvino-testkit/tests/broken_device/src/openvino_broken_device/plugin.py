"""``BrokenPlugin``: the TEMPLATE device with three defects, each one line of behaviour.

1. ``Minimum`` on i32 computes ``min(a, b) + 1`` (``_miscompute_minimum_i32``);
2. ``RANGE_FOR_STREAMS`` is reported as a string (``device_properties``);
3. the ``DROPPED_JOB``-th inference of a compiled model never finishes, so its async
   callback is never called (``infer_request.py``).

It also does not support ``Tan`` (``supports_op``): that is not a defect, and the suite
must count it as unsupported rather than failed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov
import openvino.opset13 as ops
from openvino.template_plugin import TemplatePlugin

from .compiled_model import BrokenCompiledModel

__all__ = ["BrokenPlugin"]


def _miscompute_minimum_i32(model: ov.Model) -> None:
    """Route every consumer of an i32 Minimum through ``+ 1``."""
    for node in model.get_ordered_ops():
        if node.get_type_name() != "Minimum" or node.get_output_element_type(0) != ov.Type.i32:
            continue
        out = node.output(0)
        targets = list(out.get_target_inputs())
        wrong = ops.add(out, ops.constant(np.int32(1)))
        for target in targets:
            target.replace_source_output(wrong.output(0))


class BrokenPlugin(TemplatePlugin):
    """TEMPLATE, renamed BROKEN, with the defects above."""

    name = "BROKEN"
    description = "Broken device (openvino-testkit self-test)"

    def supports_op(self, node: Any) -> bool:
        return node.get_type_name() != "Tan" and super().supports_op(node)

    def device_properties(self, device_id: str = "") -> dict[str, Any]:
        props = super().device_properties(device_id)
        props["FULL_DEVICE_NAME"] = self.description
        props["RANGE_FOR_STREAMS"] = "1..4"  # defect 2: must be a tuple of two ints
        return props

    def compile_model(self, model: ov.Model, config: dict[str, Any]) -> BrokenCompiledModel:
        runtime = super().compile_model(model, config).model  # checked and cloned
        _miscompute_minimum_i32(runtime)  # defect 1
        return BrokenCompiledModel(self, runtime, config)

    def import_model(self, blob: bytes, config: dict[str, Any]) -> BrokenCompiledModel:
        imported = super().import_model(blob, config)
        return BrokenCompiledModel(self, imported.model, imported.config)
