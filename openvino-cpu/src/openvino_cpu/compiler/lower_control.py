"""Lowering of control flow ops (If, Loop, TensorIterator): each body is compiled to a plan
of its own, as a model is, so a body whose ops all have kernels runs in C; the op is a
Python step that runs core's control flow semantics (``openvino.plugin.control_flow``)
with those plans as the body runners. A body whose shapes are not static (a loop-carried
value that changes shape, a dynamic slice) runs through the reference instead.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from openvino.plugin.control_flow import bodies, run_control_flow
from openvino.plugin.encoding import cast_values
from openvino.plugin.passes import NotStatic, Op

from .._native import Pool, lib
from .lowering import Lowering, handler

__all__ = ["BodyPlans", "ControlFlowCall"]


class BodyPlans:
    """The compiled plan of one body and the runners that execute it: one runner per
    concurrent use (requests of one compiled model may run at once), made on demand."""

    def __init__(self, plan: Any) -> None:
        self.plan = plan
        self._free: list[Any] = []
        self._lock = threading.Lock()
        self._pool: Pool | None = None

    def _take(self) -> Any:
        from .plan import PlanRunner

        with self._lock:
            if self._free:
                return self._free.pop()
            if self._pool is None:  # a pool of its own: the request's pool is running it
                self._pool = Pool(1)
            return PlanRunner(self.plan, self._pool)

    def __call__(self, args: list[np.ndarray], state: dict | None) -> list[np.ndarray]:
        runner = self._take()
        try:
            runner.state = state if state is not None else {}
            outs = runner.run([a if a.flags.c_contiguous else np.ascontiguousarray(a)
                               for a in args])
            # outputs may be views of the runner's arena, which the next run overwrites
            return [np.array(o, copy=True) for o in outs]
        finally:
            with self._lock:
                self._free.append(runner)


class ControlFlowCall:
    """The Python step of a control flow op: core's semantics over the body plans."""

    def __init__(self, op: Op, n_in: int, runners: list[BodyPlans | None]) -> None:
        self.node = op.node
        self.name = op.name
        self.type = op.type
        self.n_in = n_in
        self.runners = runners

    def __call__(self, arrays: list[np.ndarray], state: dict[str, np.ndarray]) -> None:
        ins, outs = arrays[:self.n_in], arrays[self.n_in:]
        with np.errstate(all="ignore"):
            result = run_control_flow(self.node, ins, self.runners, state)
        for i, (dst, value) in enumerate(zip(outs, result)):
            value = np.asarray(value)
            if value.dtype != dst.dtype:
                value = cast_values(value, self.node.get_output_element_type(i))
            if value.shape != dst.shape:
                raise RuntimeError(f"Op '{self.name}' ({self.type}) produced output {i} of "
                                   f"shape {list(value.shape)}; the plan expects "
                                   f"{list(dst.shape)}")
            np.copyto(dst, value, casting="unsafe")


def _body_plan(body: Any) -> BodyPlans | None:
    from . import compile_plan
    from .plan import PlanError

    try:
        return BodyPlans(compile_plan(body))
    except (NotStatic, PlanError):
        return None


@handler("If", "Loop", "TensorIterator")
def lower_control_flow(lw: Lowering, op: Op) -> bool:
    if op.node is None or op.post_ops:
        return False
    runners = [_body_plan(b) for b in bodies(op.node)]
    if all(r is None for r in runners):
        return False  # nothing compiled: the plain reference step
    # the real CPU plugin reports its control flow nodes as unknown_<precision>
    et = op.node.get_output_element_type(0).get_type_name() if op.outputs else "undefined"
    s = lw.step(lib.OV_K_PY, op, f"unknown_{et}")
    for v in op.inputs:
        lw.operand(s, v)
    for v in op.outputs:
        lw.operand(s, v, write=True)
    s.callback = ControlFlowCall(op, len(op.inputs), runners)
    return True
