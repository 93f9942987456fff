"""``BrokenCompiledModel``: TEMPLATE's compiled model, counting its inferences; defect 5."""

from __future__ import annotations

import threading
from typing import Any

from openvino.template_plugin.compiled_model import TemplateCompiledModel

from .infer_request import BrokenInferRequest

__all__ = ["BrokenCompiledModel"]


class BrokenCompiledModel(TemplateCompiledModel):
    """Counts inferences over all its requests (``count_inference``); knows which outputs
    a Parameter feeds straight (``fed_by_parameter``, for defects 7 and 9)."""

    def __init__(self, plugin: Any, model: Any, config: dict[str, Any],
                 fed_by_parameter: list[bool] | None = None) -> None:
        super().__init__(plugin, model, config)
        self._lock = threading.Lock()
        self._inferences = 0
        self.fed_by_parameter = list(fed_by_parameter or [False] * len(self.outputs))

    def get_property(self, key: str) -> Any:
        if key == "INFERENCE_NUM_THREADS":  # defect 5: the device's value, not the model's
            return self.plugin.config.get(key, 0)
        return super().get_property(key)

    def count_inference(self) -> int:
        """Number this inference: 1 for the first of the compiled model, and so on."""
        with self._lock:
            self._inferences += 1
            return self._inferences

    def create_sync_request(self) -> BrokenInferRequest:
        return BrokenInferRequest(self)
