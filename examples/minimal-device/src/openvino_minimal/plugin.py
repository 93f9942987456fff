"""``MinimalPlugin``: the MINIMAL device family."""

from __future__ import annotations

from typing import Any

import openvino as ov
from openvino.plugin import DevicePlugin
from openvino_minimal.compiled_model import MinimalCompiledModel
from openvino_minimal.kernels import ELEMENT_TYPES, KERNELS

_STRUCTURAL = {"Parameter", "Result", "Constant"}


class MinimalPlugin(DevicePlugin):
    """One device; supports the ops in ``kernels.KERNELS`` on f32/f64/i32/i64."""

    name = "MINIMAL"
    version = "0.1.0"
    description = "Minimal example device (numpy elementwise kernels)"

    def default_config(self) -> dict[str, Any]:
        return {"PERF_COUNT": False, "PERFORMANCE_HINT": ov.properties.hint.PerformanceMode.LATENCY}

    def supports_op(self, node: Any) -> bool:
        if node.get_type_name() in _STRUCTURAL:
            return True
        return node.get_type_name() in KERNELS and all(
            node.get_output_element_type(i).get_type_name() in ELEMENT_TYPES
            for i in range(node.get_output_size()))

    def compile_model(self, model: ov.Model, config: dict[str, Any]) -> MinimalCompiledModel:
        for node in model.get_ordered_ops():
            if not self.supports_op(node):
                raise RuntimeError(f"MINIMAL cannot run node '{node.get_friendly_name()}' "
                                   f"({node.get_type_name()})")
        return MinimalCompiledModel(self, model.clone(), config)
