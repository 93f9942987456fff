"""``CPUInferRequest``: one synchronous run of the plan for the inputs' shapes, in a single
C call with the GIL released, on a stream of the compiled model (``streams``)."""

from __future__ import annotations

import datetime
import weakref
from collections import OrderedDict
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

from .compiler import Plan, PlanRunner
from .compiler.plan import Arena
from .heap import released

__all__ = ["CPUInferRequest"]

_ndarray = np.ndarray
#: Plans a request keeps ready for a dynamic model (one per recent input shape; they
#: share the request's arena).
MAX_RUNNERS = 4


class CPUInferRequest(DeviceInferRequest):
    """Owns one arena per plan it ran, the variables and the profile; runs on a stream of
    the compiled model (its threads) taken for each run."""

    def __init__(self, compiled_model: Any) -> None:
        super().__init__(compiled_model)
        self._cm = compiled_model
        self._runners: OrderedDict[int, PlanRunner] = OrderedDict()
        self._arena = Arena()  # one buffer for every plan this request runs
        self._state: dict[str, np.ndarray] = {}
        self._perf = compiled_model.perf_count
        self._profile: list[ProfilingInfo] = []
        self._plain_inputs = all(is_plain(p.get_element_type())
                                 for p in compiled_model.inputs)
        self._outputs = [(p.get_element_type(), is_plain(p.get_element_type()))
                         for p in compiled_model.outputs]
        self._variables = request_variables(compiled_model.model)
        self._static = compiled_model._static_shapes
        weakref.finalize(self, _release, self.__dict__).atexit = False

    def _runner(self, plan: Plan) -> PlanRunner:
        key = id(plan)
        runner = self._runners.get(key)
        if runner is None or runner.plan is not plan:
            runner = PlanRunner(plan, None, self._arena)
            runner.state = self._state
            self._runners[key] = runner
            while len(self._runners) > MAX_RUNNERS:
                self._runners.popitem(last=False)
        return runner

    def infer(self, inputs: Sequence[Tensor]) -> list[Tensor]:
        if self._plain_inputs:
            arrays = [t.data for t in inputs]
        else:
            arrays = [np.asarray(tensor_values(t)) for t in inputs]
        arrays = [a if a.flags.c_contiguous else np.ascontiguousarray(a) for a in arrays]
        shapes = self._static if self._static is not None else tuple(a.shape for a in arrays)
        plan = self._cm.plan_for(shapes)
        if isinstance(plan, Plan):
            runner = self._runner(plan)
            streams = self._cm.streams
            stream = streams.acquire()
            try:
                values = runner.run(arrays, self._perf, stream.pool)
            finally:
                streams.release(stream)
            if self._perf:
                self._profile = _profile(runner, self._cm.model)
            if self._static is None:
                self._cm.start_templates()
            copy = [src.slot != 0 for src in plan.outputs]
        else:
            prof: list | None = [] if self._perf else None
            values = plan.plan.run(arrays, self._state, prof)
            if prof is not None:
                executed = ProfilingInfo.Status.EXECUTED
                model = self._cm.model
                self._profile = [*not_run_records(model.get_parameters()),
                                 *(ProfilingInfo(n, t, "ref_python", s, s, executed)
                                   for n, t, s in prof),
                                 *not_run_records(model.get_results())]
            copy = [False] * len(values)
        out = []
        for value, (et, plain), dup in zip(values, self._outputs, copy):
            if dup:
                value = np.array(value, copy=True)
            if plain and type(value) is _ndarray:
                out.append(storage_tensor(value, et))
            elif et.is_dynamic():
                out.append(Tensor(np.asarray(value)))
            else:
                out.append(values_tensor(value, et))
        return out

    def get_profiling_info(self) -> list[ProfilingInfo]:
        return list(self._profile)

    def query_state(self) -> list[VariableState]:
        return [DictVariableState(v.get_info(), self._state) for v in self._variables]


def _release(state: dict[str, Any]) -> None:
    """Finalizer of a request: drop its arenas before the object itself would, and hand
    the pages of large arenas back to the system."""
    runners = state.get("_runners") or {}
    held = sum({id(r.arena): r.arena.nbytes for r in runners.values()}.values())  # shared
    state.clear()
    released(held)


def _profile(runner: PlanRunner, model: Any) -> list[ProfilingInfo]:
    """One record per node of the plan: steps of one node add up; fused nodes are listed
    as optimized out; the model's Parameters and Results as not run (as OpenVINO's CPU
    plugin lists them)."""
    executed = ProfilingInfo.Status.EXECUTED
    optimized = ProfilingInfo.Status.OPTIMIZED_OUT
    records: OrderedDict[str, list] = OrderedDict()
    fused: list[tuple[str, str]] = []
    for info, t in runner.profile():
        rec = records.get(info.name)
        if rec is None:
            records[info.name] = [info.type, info.exec_type, t]
            fused.extend((name, info.fused_type(name) or info.type) for name in info.fused)
        else:
            rec[2] += t
    out = not_run_records(model.get_parameters())
    out.extend(ProfilingInfo(name, typ, exec_type, t, t, executed)
               for name, (typ, exec_type, t) in records.items())
    zero = datetime.timedelta(0)
    out.extend(ProfilingInfo(name, typ, "undef", zero, zero, optimized) for name, typ in fused)
    out.extend(not_run_records(model.get_results()))
    return out
