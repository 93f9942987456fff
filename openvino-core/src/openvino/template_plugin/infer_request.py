"""``TemplateInferRequest``: one synchronous run of the reference plan."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import numpy as np

from openvino import ProfilingInfo, Tensor
from openvino.plugin import (
    DeviceInferRequest,
    DictVariableState,
    VariableState,
    not_run_records,
    request_variables,
)
from openvino.plugin.encoding import is_plain, storage_tensor, tensor_values, values_tensor

__all__ = ["TemplateInferRequest"]

_ndarray = np.ndarray


class TemplateInferRequest(DeviceInferRequest):
    """Holds the variables of stateful models and the last profile."""

    def __init__(self, compiled_model: Any) -> None:
        super().__init__(compiled_model)
        self._plan = compiled_model.plan
        self._state: dict[str, np.ndarray] = {}
        self._perf = bool(compiled_model.config.get("PERF_COUNT", False))
        self._profile: list[tuple[str, str, float]] = []
        self._plain_inputs = all(is_plain(p.get_element_type())
                                 for p in compiled_model.inputs)
        self._outputs = [(p.get_element_type(), is_plain(p.get_element_type()))
                         for p in compiled_model.outputs]
        self._variables = request_variables(compiled_model.model)

    def infer(self, inputs: Sequence[Tensor]) -> list[Tensor]:
        if self._plain_inputs:
            arrays = [t.data for t in inputs]
        else:
            arrays = [tensor_values(t) for t in inputs]
        profile: list | None = [] if self._perf else None
        values = self._plan.run(arrays, self._state, profile)
        if profile is not None:
            self._profile = profile
        out = []
        for value, (et, plain) in zip(values, self._outputs):
            if plain and type(value) is _ndarray:
                out.append(storage_tensor(value, et))
            elif et.is_dynamic():
                out.append(Tensor(np.asarray(value)))
            else:
                out.append(values_tensor(value, et))
        return out

    def get_profiling_info(self) -> list[ProfilingInfo]:
        """The timed nodes of the last run, between its Parameters and Results (listed as
        not run, as OpenVINO does)."""
        executed = ProfilingInfo.Status.EXECUTED
        model = self.compiled_model.model
        out = not_run_records(model.get_parameters())
        for name, type_name, seconds in self._profile:
            t = datetime.timedelta(seconds=seconds)
            out.append(ProfilingInfo(name, type_name, "ref_numpy", t, t, executed))
        out.extend(not_run_records(model.get_results()))
        return out

    def query_state(self) -> list[VariableState]:
        return [DictVariableState(v.get_info(), self._state) for v in self._variables]
