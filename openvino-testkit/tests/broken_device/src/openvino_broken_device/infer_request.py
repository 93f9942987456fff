"""``BrokenInferRequest``: defect 3, one inference that never completes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from openvino.template_plugin.infer_request import TemplateInferRequest

__all__ = ["BrokenInferRequest", "DROPPED_JOB"]

#: The inference of a compiled model that is lost (far above what any check but the
#: AsyncInferQueue load check runs on one compiled model).
DROPPED_JOB = 1500
#: How long the lost inference blocks (longer than any check waits for it).
_LOST_FOR_S = 600.0


class BrokenInferRequest(TemplateInferRequest):
    def infer(self, inputs: Sequence[Any]) -> list[Any]:
        if self.compiled_model.count_inference() == DROPPED_JOB:
            threading.Event().wait(_LOST_FOR_S)  # defect 3: the job is lost
        return super().infer(inputs)
