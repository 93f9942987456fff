"""``GPUInferRequest``: one run of a kernel plan on the request's own in-order queue and
arena.

Per plan, a request allocates its arena once (filled with 0xFF bytes, so reads of memory
no op wrote show as NaN or -1), binds every launch's arguments to arena sub-buffers once
(``Binding``) and then each run only enqueues: input uploads, the kernels,
output downloads, and one wait (``clFinish``, with the GIL released by pyopencl).
Intermediate values never leave the device.

On a device that shares host memory (``CL_DEVICE_HOST_UNIFIED_MEMORY``: integrated GPUs,
PoCL) inputs and outputs are zero-copy: an input whose host array starts at the device's
base alignment is read by the kernels in place (a ``CL_MEM_USE_HOST_PTR`` buffer bound to
the kernels that read it; other inputs are copied), and each output is written by its
kernels straight into an aligned host array of the binding, mapped for the host after
the wait. An output the user set to a remote tensor of this device (``infer_into``) is
copied into it on the device, never through the host (f16 storage converted to an f32
remote tensor by ``kernels/boundary.cl``; remote inputs likewise).
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
from .memory import aligned_empty, allocate, device_error, shares_host_memory, wrap_host
from .remote import GPURemoteTensor, convert_on_device

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
        self._arena_args: list[tuple[Any, int, tuple]] = []
        for index, step in enumerate(plan.steps):
            for program, name, gs, ls, args in step.launches:
                try:
                    kernel = cl.Kernel(program, name)
                    for position, arg in enumerate(args):
                        kernel.set_arg(position, self._arg(arg))
                        if arg[0] == "arena":
                            self._arena_args.append((kernel, position, arg))
                except cl.Error as exc:
                    raise device_error(device, f"setting up kernel '{name}' of node "
                                       f"'{step.name}'", exc) from None
                self.kernels.append((index, name, kernel, gs, ls))
        self.inputs = [self.sub(off, nbytes) for off, nbytes, _ in plan.inputs]
        self.outputs = [None if o.const is not None
                        else self.sub(o.offset, _nbytes(o.shape, o.dtype))
                        for o in plan.outputs]
        zero_copy = shares_host_memory(device) and not self.separate
        self.align = device.base_align
        #: per input: the kernel arguments reading it ``[(kernel, position)]`` when its
        #: host array may be bound in place, else None; and what they are bound to now
        self.input_args = [self._args_of(storage, off) if zero_copy else None
                           for storage, (off, _, _) in zip(plan.input_storages, plan.inputs)]
        self.input_bound: list[Any] = list(self.inputs)
        #: per output: the aligned host array its kernels write (zero-copy), else None
        self.host_outputs: list[Any] = [None] * len(plan.outputs)
        self.maps: list[Any] = []  # outputs mapped for the host since the last run
        if zero_copy:
            self._bind_host_outputs()

    def _args_of(self, storage: int | None, offset: int) -> list[tuple[Any, int]] | None:
        """The kernel arguments of the value ``storage`` (with its views), or None when
        one of them is not the value's whole range from ``offset`` (or the value is also
        a model output)."""
        found = []
        for arg_kernel, position, arg in self._arena_args:
            if arg[3] != storage:
                continue
            if arg[1] != offset:
                return None
            found.append((arg_kernel, position))
        if storage is None or any(o.storage == storage for o in self.plan.outputs):
            return None
        return found

    def _bind_host_outputs(self) -> None:
        storages = [o.storage for o in self.plan.outputs if o.const is None]
        inputs = set(self.plan.input_storages)
        for index, out in enumerate(self.plan.outputs):
            if out.const is not None or not _nbytes(out.shape, out.dtype) \
                    or storages.count(out.storage) > 1 or out.storage in inputs:
                continue
            writers = [(k, p) for k, p, arg in self._arena_args
                       if arg[3] == out.storage]
            if any(arg[1] != out.offset for _, _, arg in self._arena_args
                   if arg[3] == out.storage):
                continue
            host = aligned_empty(out.shape, out.dtype, self.align)
            buf = wrap_host(self.device, host, read_only=False)
            for kernel, position in writers:
                kernel.set_arg(position, buf)
            self.host_outputs[index] = host
            self.outputs[index] = buf

    def bind_input(self, index: int, host: np.ndarray) -> Any:
        """Bind input ``index``'s kernels to ``host`` in place when it may be (returns the
        buffer, to be kept until the wait), else back to the arena (returns None: copy
        the input in)."""
        args = self.input_args[index]
        buf = None
        if args and host.nbytes and host.ctypes.data % self.align == 0 \
                and host.flags.c_contiguous:
            buf = wrap_host(self.device, host, read_only=True)
        target = self.inputs[index] if buf is None else buf
        if self.input_bound[index] is not target and args:
            for kernel, position in args:
                kernel.set_arg(position, target)
        self.input_bound[index] = target
        return buf

    def unmap_outputs(self) -> None:
        """Give the mapped zero-copy outputs back to the device before kernels write them
        again."""
        for mapped in self.maps:
            mapped.release(self.queue)
        self.maps.clear()

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


_EMPTY = np.empty(0, np.uint8)


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

            if self._device.queue is not None:  # the user's (Core.create_context OCL_QUEUE)
                self._queue = self._device.queue
                return self._queue
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
        return self._run(inputs, {})

    def infer_into(self, inputs: Sequence[Tensor], remote_outputs: dict[int, Any]
                   ) -> list[Any]:
        """Outputs set to remote tensors of this device (and context) are copied into
        them on the device; others (another device's) through the host."""
        return self._run(inputs, remote_outputs)

    def _run(self, inputs: Sequence[Tensor], remote: dict[int, Any]) -> list[Any]:
        import pyopencl as cl

        arrays = [self._input_value(t) for t in inputs]
        shapes = self._static if self._static is not None else tuple(
            tuple(a.get_shape()) if isinstance(a, GPURemoteTensor) else a.shape
            for a in arrays)
        plan = self._cm.plan_for(shapes)
        if not plan.inputs and not plan.steps:
            outs = [values_tensor(np.array(tensor_values(inputs[o.param]), copy=True)
                                  if o.param is not None else o.const, o.element_type)
                    for o in plan.outputs]
            for index, target in remote.items():
                target.copy_from(outs[index])
                outs[index] = target
            return outs
        for index, target in remote.items():
            out = plan.outputs[index]
            if tuple(target.get_shape()) != tuple(out.shape):
                raise RuntimeError(f"Tensor shapes are not equal. (output {index}: the remote "
                                   f"tensor is {list(target.get_shape())}, the output "
                                   f"{list(out.shape)})")
        binding = self._binding(plan)
        queue = self._get_queue()
        hosts: list[Any] = []  # host memory the queue reads from: alive until the wait
        try:
            binding.unmap_outputs()
            for index, (value, buf, (_, _, dtype)) in enumerate(
                    zip(arrays, binding.inputs, plan.inputs)):
                if isinstance(value, GPURemoteTensor):  # stays on the device
                    binding.bind_input(index, _EMPTY)
                    hosts.extend(value.copy_into(queue, buf, dtype))
                    continue
                host = np.ascontiguousarray(np.asarray(value), dtype=dtype)
                hosts.append(host)
                in_place = binding.bind_input(index, host)
                if in_place is not None:  # zero-copy: the kernels read the host array
                    hosts.append(in_place)
                elif host.nbytes:
                    cl.enqueue_copy(queue, buf, host, is_blocking=False)
            events = []
            for _, _, kernel, gs, ls in binding.kernels:
                events.append(cl.enqueue_nd_range_kernel(queue, kernel, gs, ls))
            results: list[Any] = []
            for index, (out, buf) in enumerate(zip(plan.outputs, binding.outputs)):
                target = remote.get(index)
                if out.const is not None:
                    results.append(None)
                elif isinstance(target, GPURemoteTensor) and \
                        target.context.device is self._device and target.dtype == out.dtype:
                    if target.nbytes:  # device to device
                        cl.enqueue_copy(queue, target.buffer, buf, byte_count=target.nbytes)
                    results.append(target)
                elif isinstance(target, GPURemoteTensor) and \
                        target.context.device is self._device and convert_on_device(
                            self._device, queue, buf, out.dtype, target.buffer, target.dtype,
                            target.get_size()):
                    results.append(target)  # converted on the device (f16 storage)
                elif binding.host_outputs[index] is not None:
                    results.append(binding.host_outputs[index])  # mapped after the wait
                else:
                    host = np.empty(out.shape, dtype=out.dtype)
                    if host.nbytes:
                        cl.enqueue_copy(queue, host, buf, is_blocking=False)
                    results.append(host)
            queue.finish()  # waits with the GIL released
            for index, host in enumerate(binding.host_outputs):
                if host is not None and results[index] is host:
                    mapped, _ = cl.enqueue_map_buffer(queue, binding.outputs[index],
                                                      cl.map_flags.READ, 0, host.shape,
                                                      host.dtype, is_blocking=True)
                    binding.maps.append(mapped.base)
        except cl.Error as exc:
            # the binding may hold a broken state: the next run binds the plan again
            self._bindings.pop(id(plan), None)
            if self._device.queue is None:
                self._queue = None
            raise device_error(self._device, f"running the model "
                               f"'{self._cm.model.get_friendly_name()}'", exc) from None
        if self._perf:
            self._profile = self._records(binding, events)
        out_tensors: list[Any] = []
        for index, (out, host) in enumerate(zip(plan.outputs, results)):
            if isinstance(host, RemoteTensor):
                out_tensors.append(host)
                continue
            value = out.const if host is None else host
            et = out.element_type
            value = np.asarray(value).astype(et.evaluation_dtype, copy=False)
            tensor = values_tensor(value, et)
            if index in remote:  # another device's remote tensor, or a conversion
                remote[index].copy_from(tensor)
                tensor = remote[index]
            out_tensors.append(tensor)
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
