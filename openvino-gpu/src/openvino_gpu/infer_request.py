"""``GPUInferRequest``: one run of a kernel plan on the request's own in-order queue and
arena.

Per plan, a request allocates its arena once (filled with 0xFF bytes, so reads of memory
no op wrote show as NaN or -1), binds every launch's arguments to arena sub-buffers once
(``Binding``) and then each run only enqueues: input uploads, the kernels,
output downloads, and one wait (``clFinish``, with the GIL released by pyopencl).
Intermediate values never leave the device.
"""

from __future__ import annotations

import datetime
import os
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from openvino import RemoteTensor, Tensor
from openvino.plugin import DeviceInferRequest, ProfilingInfo, not_run_records
from openvino.plugin.encoding import tensor_values, values_tensor

from .compiler import KernelPlan
from .memory import allocate, device_error
from .remote import GPURemoteTensor

__all__ = ["GPUInferRequest", "Binding"]

#: Arenas kept per request for a dynamic model (one per recent input shape).
MAX_BINDINGS = 4
#: Environment variable: "1" gives every arena range a buffer of its own instead of a
#: sub-buffer of one arena (for memory checkers such as Oclgrind, whose shadow memory does
#: not follow sub-buffers; ranges of one offset and size are the same value's memory).
SEPARATE_BUFFERS_ENV = "OV_GPU_SEPARATE_BUFFERS"


class Binding:
    """A plan bound to one request: its arena, sub-buffers and kernels with their
    arguments set."""

    def __init__(self, plan: KernelPlan, device: Any, queue: Any) -> None:
        import pyopencl as cl

        self.plan = plan
        self.device = device
        self.queue = queue
        self.separate = os.environ.get(SEPARATE_BUFFERS_ENV, "") == "1"
        self.arena = None if self.separate else self._poisoned(plan.arena_size)
        self._subs: dict[tuple[int, int], Any] = {}
        self.kernels: list[tuple[int, str, Any, tuple, tuple | None]] = []
        for index, step in enumerate(plan.steps):
            for program, name, gs, ls, args in step.launches:
                try:
                    kernel = cl.Kernel(program, name)
                    for position, arg in enumerate(args):
                        kernel.set_arg(position, self._arg(arg))
                except cl.Error as exc:
                    raise device_error(device, f"setting up kernel '{name}' of node "
                                       f"'{step.name}'", exc) from None
                self.kernels.append((index, name, kernel, gs, ls))
        self.inputs = [self.sub(off, nbytes) for off, nbytes, _ in plan.inputs]
        self.outputs = [None if o.const is not None
                        else self.sub(o.offset, _nbytes(o.shape, o.dtype))
                        for o in plan.outputs]

    def sub(self, offset: int, nbytes: int) -> Any:
        key = (offset, max(int(nbytes), 1))
        buf = self._subs.get(key)
        if buf is None:
            if self.arena is None:
                buf = self._poisoned(key[1])
            elif offset == 0 and key[1] == self.arena.size:
                buf = self.arena
            else:
                buf = self.arena.get_sub_region(offset, key[1])
            self._subs[key] = buf
        return buf

    def _poisoned(self, nbytes: int) -> Any:
        """A new buffer filled with 0xFF bytes (NaN floats, -1 integers): a kernel that
        reads memory nothing wrote gives results the conformance checks catch."""
        import pyopencl as cl

        buf = allocate(self.device, nbytes)
        try:
            cl.enqueue_fill_buffer(self.queue, buf, np.uint8(0xFF), 0, buf.size)
        except cl.Error as exc:
            raise device_error(self.device, f"initialising a buffer of {buf.size} bytes",
                               exc) from None
        return buf

    def _arg(self, arg: tuple) -> Any:
        import pyopencl as cl

        kind = arg[0]
        if kind == "arena":
            return self.sub(arg[1], arg[2])
        if kind == "const":
            return arg[1]
        if kind == "local":
            return cl.LocalMemory(max(arg[1], 1))
        return arg[1]


def _nbytes(shape: tuple[int, ...], dtype: np.dtype) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n * np.dtype(dtype).itemsize


class GPUInferRequest(DeviceInferRequest):
    """Owns a queue, one binding (arena) per plan it ran, and the last profile."""

    def __init__(self, compiled_model: Any) -> None:
        super().__init__(compiled_model)
        self._cm = compiled_model
        self._device = compiled_model.device
        self._perf = compiled_model.perf_count
        self._queue: Any = None
        self._bindings: OrderedDict[int, Binding] = OrderedDict()
        self._profile: list[ProfilingInfo] = []
        self._static = compiled_model._static_shapes

    def _get_queue(self) -> Any:
        if self._queue is None:
            import pyopencl as cl

            props = cl.command_queue_properties.PROFILING_ENABLE if self._perf else 0
            try:
                self._queue = cl.CommandQueue(self._device.context, self._device.cl_device,
                                              properties=props)
            except cl.Error as exc:
                raise device_error(self._device, "creating a command queue", exc) from None
        return self._queue

    def _binding(self, plan: KernelPlan) -> Binding:
        key = id(plan)
        binding = self._bindings.get(key)
        if binding is None or binding.plan is not plan:
            binding = Binding(plan, self._device, self._get_queue())
            self._bindings[key] = binding
            while len(self._bindings) > MAX_BINDINGS:
                self._bindings.popitem(last=False)
        else:
            self._bindings.move_to_end(key)
        return binding

    def infer(self, inputs: Sequence[Tensor]) -> list[Tensor]:
        import pyopencl as cl

        arrays = [self._input_value(t) for t in inputs]
        shapes = self._static if self._static is not None else tuple(
            tuple(a.get_shape()) if isinstance(a, GPURemoteTensor) else a.shape
            for a in arrays)
        plan = self._cm.plan_for(shapes)
        if not plan.inputs and not plan.steps:
            return [values_tensor(np.array(tensor_values(inputs[o.param]), copy=True)
                                  if o.param is not None else o.const, o.element_type)
                    for o in plan.outputs]
        binding = self._binding(plan)
        queue = self._get_queue()
        hosts: list[Any] = []  # host memory the queue reads from: alive until the wait
        try:
            for value, buf, (_, _, dtype) in zip(arrays, binding.inputs, plan.inputs):
                if isinstance(value, GPURemoteTensor):  # stays on the device
                    hosts.extend(value.copy_into(queue, buf, dtype))
                    continue
                host = np.ascontiguousarray(np.asarray(value), dtype=dtype)
                hosts.append(host)
                if host.nbytes:
                    cl.enqueue_copy(queue, buf, host, is_blocking=False)
            events = []
            for _, _, kernel, gs, ls in binding.kernels:
                events.append(cl.enqueue_nd_range_kernel(queue, kernel, gs, ls))
            results = []
            for out, buf in zip(plan.outputs, binding.outputs):
                if out.const is not None:
                    results.append(None)
                    continue
                host = np.empty(out.shape, dtype=out.dtype)
                if host.nbytes:
                    cl.enqueue_copy(queue, host, buf, is_blocking=False)
                results.append(host)
            queue.finish()  # waits with the GIL released
        except cl.Error as exc:
            # the binding may hold a broken state: the next run binds the plan again
            self._bindings.pop(id(plan), None)
            self._queue = None
            raise device_error(self._device, f"running the model "
                               f"'{self._cm.model.get_friendly_name()}'", exc) from None
        if self._perf:
            self._profile = self._records(binding, events)
        out_tensors = []
        for out, host in zip(plan.outputs, results):
            value = out.const if host is None else host
            et = out.element_type
            value = np.asarray(value).astype(et.evaluation_dtype, copy=False)
            out_tensors.append(values_tensor(value, et))
        return out_tensors

    def _input_value(self, tensor: Any) -> Any:
        """A remote tensor of this device as it is; any other tensor's values (a remote
        tensor of another device read to the host)."""
        if isinstance(tensor, GPURemoteTensor) and tensor.context.device is self._device:
            return tensor
        if isinstance(tensor, RemoteTensor):
            host = Tensor(tensor.get_element_type(), list(tensor.get_shape()))
            tensor.copy_to(host)
            tensor = host
        return tensor_values(tensor)

    def _records(self, binding: Binding, events: list[Any]) -> list[ProfilingInfo]:
        steps = binding.plan.steps
        times: OrderedDict[int, int] = OrderedDict()
        for (index, _, _, _, _), ev in zip(binding.kernels, events):
            try:
                ns = int(ev.profile.end) - int(ev.profile.start)
            except Exception:  # a queue without profiling
                ns = 0
            times[index] = times.get(index, 0) + ns
        executed = ProfilingInfo.Status.EXECUTED
        model = self._cm.model
        records = not_run_records(model.get_parameters())
        for index, step in enumerate(steps):
            t = datetime.timedelta(microseconds=times.get(index, 0) / 1000)
            records.append(ProfilingInfo(step.name, step.type, "ocl", t, t, executed))
        records.extend(not_run_records(model.get_results()))
        return records

    def get_profiling_info(self) -> list[ProfilingInfo]:
        return list(self._profile)
