"""``TemplateCompiledModel``: the model lowered once to a ``ReferencePlan``."""

from __future__ import annotations

from typing import Any

from openvino import Model
from openvino.plugin import DeviceCompiledModel
from openvino.plugin.model_blob import read_model_blob, write_model_blob
from openvino.plugin.reference import ReferencePlan
from openvino.properties import hint
from openvino.template_plugin.infer_request import TemplateInferRequest

__all__ = ["TemplateCompiledModel", "read_export"]



class TemplateCompiledModel(DeviceCompiledModel):
    """A model ordered into a flat list of reference calls (``self.plan``)."""

    def __init__(self, plugin: Any, model: Model, config: dict[str, Any]) -> None:
        super().__init__(plugin, model, config)
        self.plan = ReferencePlan(model)

    def create_sync_request(self) -> TemplateInferRequest:
        return TemplateInferRequest(self)

    def compiled_properties(self) -> dict[str, Any]:
        props = super().compiled_properties()
        # the executor holds the GIL between numpy calls: one request at a time keeps the
        # latency low; THROUGHPUT overlaps two, whose large numpy kernels release the GIL
        throughput = self.config.get("PERFORMANCE_HINT") == hint.PerformanceMode.THROUGHPUT
        props["OPTIMAL_NUMBER_OF_INFER_REQUESTS"] = 2 if throughput else 1
        return props

    def export(self) -> bytes:
        """The runtime model and its plain config values (``openvino.plugin.model_blob``)."""
        return write_model_blob(self.model, self.config)


def read_export(blob: bytes) -> tuple[Model, dict[str, Any]]:
    """Inverse of ``TemplateCompiledModel.export``: ``(model, config)``."""
    return read_model_blob(blob, "TEMPLATE")
