"""``MinimalInferRequest``: one synchronous run of the compiled kernel list."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

import openvino as ov
from openvino.plugin import DeviceInferRequest


class MinimalInferRequest(DeviceInferRequest):
    """Runs the steps; with ``PERF_COUNT`` it keeps one timing per step."""

    def __init__(self, compiled_model: Any) -> None:
        super().__init__(compiled_model)
        self._profile: list[ov.ProfilingInfo] = []

    def infer(self, inputs: Sequence[ov.Tensor]) -> list[ov.Tensor]:
        cm = self.compiled_model
        values: list[Any] = [None] * cm.num_slots
        for i, tensor in enumerate(inputs):
            values[i] = tensor.data
        for index, array in cm.constants.items():
            values[index] = array
        profile = []
        for kernel, args, out in cm.steps:
            start = time.perf_counter()
            values[out] = kernel(*[values[a] for a in args])
            profile.append(time.perf_counter() - start)
        if cm.config.get("PERF_COUNT"):
            names = [n for n in cm.model.get_ordered_ops()
                     if n.get_type_name() not in ("Parameter", "Result", "Constant")]
            self._profile = [ov.ProfilingInfo(n.get_friendly_name(), n.get_type_name(),
                                              "minimal_numpy", t) for n, t in zip(names, profile)]
        return [ov.Tensor(np.require(np.asarray(values[s], dtype=et.to_dtype()), requirements="C"))
                for s, et in zip(cm.result_slots, cm.output_types)]

    def get_profiling_info(self) -> list[ov.ProfilingInfo]:
        return list(self._profile)
