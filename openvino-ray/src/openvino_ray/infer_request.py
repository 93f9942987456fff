"""``RayInferRequest``: one run on the least-loaded worker (a stateful model's request stays
on one worker, where its variables live). The inputs travel as numpy buffers (Ray puts
large ones in its object store, which the worker reads without a copy); ``infer`` waits in
``ray.get`` with the GIL released, so the core's async jobs and callbacks need no polling.

A worker lost mid-run (its process killed, its node gone) is replaced in the background
and the request runs again on a live worker; it fails only when no worker is left.
"""

from __future__ import annotations

import datetime
import itertools
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from openvino import ProfilingInfo, Tensor, Type
from openvino.plugin import DeviceInferRequest, VariableState, not_run_records
from openvino.plugin.encoding import evaluation_dtype, storage_tensor

from . import cluster
from .worker import PACKED_BYTES, PLAIN, storage_of, unpack

__all__ = ["RayInferRequest", "RayVariableState"]

_ids = itertools.count(1)
_STATUS = {s.name: s for s in ProfilingInfo.Status}


class RayInferRequest(DeviceInferRequest):
    """Sends its inputs to a worker and returns the worker's outputs."""

    def __init__(self, compiled_model: Any) -> None:
        super().__init__(compiled_model)
        self._cm = compiled_model
        self._group = compiled_model.group
        self._id = next(_ids)
        self._pinned: cluster.WorkerHandle | None = None
        self._last: cluster.WorkerHandle | None = None
        self._types = [p.get_element_type() for p in compiled_model.outputs]
        # LATENCY: a compiled-graph channel to a worker of this node when one is open
        self._fast = compiled_model.settings.mode not in ("THROUGHPUT",
                                                          "CUMULATIVE_THROUGHPUT")
        # THROUGHPUT, stateless (a repeated request is harmless): local links
        self._linked = not self._fast and not compiled_model.stateful
        if compiled_model.stateful:
            self._pinned = self._group.pick()
            self._group.done(self._pinned)
        if compiled_model.stateful or compiled_model.perf_count:
            # the worker keeps this request's variables / last profile until it is gone
            weakref.finalize(self, cluster.later, _forget, self._group, self._id)

    # --- running -------------------------------------------------------------------------------
    def _call(self, method: str, *args: Any, shareable: bool = False) -> Any:
        """``worker.method(key, request id, *args)`` on the chosen worker; runs again on
        another worker when the chosen one is lost. ``shareable``: ``infer``'s inputs may
        go through shared memory to a worker of this node."""
        group = self._group
        ray = group.ray
        while True:
            worker = group.pick(self._pinned)
            try:
                if method == "infer":  # the hot path: a channel or shared memory
                    result = worker.infer(ray, (group.key, self._id, *args), self._fast,
                                          shareable, self._linked)
                else:
                    result = ray.get(getattr(worker.actor, method).remote(group.key, self._id,
                                                                          *args))
            except cluster.LOST_ERRORS as exc:
                group.lost(worker, exc)
                if self._pinned is worker:
                    self._pinned = None
                continue
            finally:
                group.done(worker)
            if isinstance(result, tuple) and result and result[0] == "missing":
                # the worker no longer has the model (it was restarted by Ray): treat as lost
                group.lost(worker, RuntimeError("the worker lost the compiled model"))
                continue
            if isinstance(result, tuple) and result and result[0] == "error":
                _, type_name, message = result
                raise RuntimeError(f"RAY: the worker (pid {worker.info.get('pid')}) failed: "
                                   f"{type_name}: {message}")
            if self._cm.stateful and self._pinned is None:
                self._pinned = worker
            self._last = worker
            return result

    def infer(self, inputs: Sequence[Tensor]) -> list[Tensor]:
        meta = []
        arrays = []
        small = True
        size = 0
        for t in inputs:
            if not isinstance(t, Tensor):  # a remote tensor of another device: its host copy
                host = Tensor(t.get_element_type(), t.get_shape())
                t.copy_to(host)
                t = host
            name = t.element_type.get_type_name()
            meta.append((name, tuple(t.shape)))
            arrays.append(storage_of(t))
            size += t.byte_size
            small = small and name in PLAIN
        if small and size <= PACKED_BYTES:
            # one small buffer costs Ray less to move than several arrays
            arrays = [b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)]
        outputs = self._call("infer", meta, *arrays, shareable=small and size > PACKED_BYTES)
        if isinstance(outputs, tuple) and outputs[0] == "packed":
            _, layout, blob = outputs
            types = [Type(name) for name, _ in layout]
            values = unpack(blob, [(t, shape) for t, (_, shape) in zip(types, layout)],
                            evaluation_dtype)
            outputs = [(v, name, shape) for v, (name, shape) in zip(values, layout)]
        out = []
        for (data, type_name, shape), et in zip(outputs, self._types):
            if et.is_dynamic():
                et = Type(type_name)
            out.append(storage_tensor(data, et, shape))
        return out

    # --- what the worker keeps -----------------------------------------------------------------
    def get_profiling_info(self) -> list[ProfilingInfo]:
        if self._last is None:
            return []
        try:
            records = self._group.ray.get(
                self._last.actor.profiling.remote(self._group.key, self._id))
        except cluster.LOST_ERRORS:
            records = []
        if not records:
            model = self._cm.model
            return not_run_records(model.get_parameters()) + not_run_records(
                model.get_results())
        return [ProfilingInfo(name, type_name, exec_type, datetime.timedelta(seconds=real),
                              datetime.timedelta(seconds=cpu), _STATUS[status])
                for name, type_name, exec_type, real, cpu, status in records]

    def query_state(self) -> list[VariableState]:
        if not self._cm.stateful:
            return []
        return [RayVariableState(self, name) for name, *_ in self._call("state", "list")]

    def state_value(self, name: str) -> Tensor:
        for n, data, type_name, shape in self._call("state", "list"):
            if n == name:
                return storage_tensor(data, Type(type_name), shape)
        raise RuntimeError(f"RAY: the request has no variable '{name}'")

    def set_state_value(self, name: str, tensor: Tensor) -> None:
        self._call("state", "set", name,
                   (storage_of(tensor), tensor.element_type.get_type_name(), tuple(tensor.shape)))

    def reset_state_value(self, name: str) -> None:
        self._call("state", "reset", name)


class RayVariableState(VariableState):
    """A variable of a stateful model, held by the request's worker."""

    def __init__(self, request: RayInferRequest, name: str) -> None:
        super().__init__(name)
        self._request = request

    def get_state(self) -> Tensor:
        return self._request.state_value(self._name)

    def set_state(self, tensor: Any) -> None:
        if not isinstance(tensor, Tensor):
            import numpy as np

            tensor = Tensor(np.asarray(tensor))
        self._request.set_state_value(self._name, tensor)

    def reset(self) -> None:
        self._request.reset_state_value(self._name)


def _forget(group: cluster.WorkerGroup, request_id: int) -> None:
    if group.closed or not group.ray.is_initialized():
        return
    for worker in list(group.workers):
        try:
            worker.actor.forget.remote(group.key, request_id)
        except Exception:
            pass
