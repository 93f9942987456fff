"""``MinimalCompiledModel``: the model lowered once to kernel calls over numbered slots."""

from __future__ import annotations

from typing import Any

import numpy as np

from openvino.plugin import DeviceCompiledModel
from openvino_minimal.infer_request import MinimalInferRequest
from openvino_minimal.kernels import KERNELS


class MinimalCompiledModel(DeviceCompiledModel):
    """``steps``: ``(kernel, input slots, output slot)``; parameters fill the first slots."""

    def __init__(self, plugin: Any, model: Any, config: dict[str, Any]) -> None:
        super().__init__(plugin, model, config)
        slot: dict[tuple[int, int], int] = {}
        self.constants: dict[int, np.ndarray] = {}
        self.steps: list[tuple[Any, list[int], int]] = []
        for i, param in enumerate(model.get_parameters()):
            slot[(id(param), 0)] = i
        n = len(slot)
        for node in model.get_ordered_ops():
            kind = node.get_type_name()
            if kind == "Parameter":
                continue
            sources = [v.get_node() for v in node.input_values()]
            indices = [v.get_index() for v in node.input_values()]
            args = [slot[(id(s), i)] for s, i in zip(sources, indices)]
            if kind == "Result":
                slot[(id(node), 0)] = args[0]
                continue
            slot[(id(node), 0)] = n
            if kind == "Constant":
                self.constants[n] = node.get_data()
            else:
                self.steps.append((KERNELS[kind], args, n))
            n += 1
        self.num_slots = n
        self.result_slots = [slot[(id(r), 0)] for r in model.get_results()]
        self.output_types = [r.get_output_element_type(0) for r in model.get_results()]

    def create_sync_request(self) -> MinimalInferRequest:
        return MinimalInferRequest(self)
