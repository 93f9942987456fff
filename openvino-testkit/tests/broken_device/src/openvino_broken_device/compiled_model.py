"""``BrokenCompiledModel``: TEMPLATE's compiled model, counting its inferences."""

from __future__ import annotations

import threading
from typing import Any

from openvino.template_plugin.compiled_model import TemplateCompiledModel

from .infer_request import BrokenInferRequest

__all__ = ["BrokenCompiledModel"]


class BrokenCompiledModel(TemplateCompiledModel):
    """Counts inferences over all its requests (``count_inference``)."""

    def __init__(self, plugin: Any, model: Any, config: dict[str, Any]) -> None:
        super().__init__(plugin, model, config)
        self._lock = threading.Lock()
        self._inferences = 0

    def count_inference(self) -> int:
        """Number this inference: 1 for the first of the compiled model, and so on."""
        with self._lock:
            self._inferences += 1
            return self._inferences

    def create_sync_request(self) -> BrokenInferRequest:
        return BrokenInferRequest(self)
