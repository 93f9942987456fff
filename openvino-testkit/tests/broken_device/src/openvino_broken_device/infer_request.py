"""``BrokenInferRequest``: defect 3, one inference that never completes; defects 7 to 9,
outputs out of order, dropped, or of the wrong element type."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

import openvino as ov
from openvino.template_plugin.infer_request import TemplateInferRequest

__all__ = ["BrokenInferRequest", "DROPPED_JOB", "OUTPUT_SLOTS"]

#: How many outputs a request returns (defect 8: the others are dropped).
OUTPUT_SLOTS = 8

#: The inference of a compiled model that is lost (far above what any check but the
#: AsyncInferQueue load check runs on one compiled model).
DROPPED_JOB = 1500
#: How long the lost inference blocks (longer than any check waits for it).
_LOST_FOR_S = 600.0


class BrokenInferRequest(TemplateInferRequest):
    def infer(self, inputs: Sequence[Any]) -> list[Any]:
        if self.compiled_model.count_inference() == DROPPED_JOB:
            threading.Event().wait(_LOST_FOR_S)  # defect 3: the job is lost
        outputs = list(super().infer(inputs))
        straight = self.compiled_model.fed_by_parameter
        for i, tensor in enumerate(outputs):  # defect 9: boolean pass-through as u8
            if i > 0 and straight[i] and tensor.get_element_type() == ov.Type.boolean:
                outputs[i] = ov.Tensor(np.asarray(tensor.data, dtype=np.uint8))
        # defect 7: pass-through outputs after the computed ones
        order = ([i for i in range(len(outputs)) if not straight[i]]
                 + [i for i in range(len(outputs)) if straight[i]])
        outputs = [outputs[i] for i in order]
        return outputs[:OUTPUT_SLOTS]  # defect 8: the rest are dropped
