"""``GPURemoteContext`` / ``GPURemoteTensor``: the GPU device's ``openvino.RemoteContext`` and
``openvino.RemoteTensor``, over the device's pyopencl context and OpenCL buffers.

``core.get_default_context("GPU")`` gives the context of ``GPU.0``;
``context.create_tensor(type, shape, {})`` allocates a buffer on the device, and
``{"MEM_HANDLE": buffer_or_array}`` wraps a ``pyopencl.Buffer`` or ``pyopencl.array.Array``
the user already has (same context, at least the tensor's size). A compiled model on the
same device reads such an input with a device-to-device copy (no host transfer);
``tensor.array`` is a ``pyopencl.array.Array`` over the tensor's memory.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from openvino import RemoteContext, RemoteTensor, Shape, Tensor, Type

from .memory import allocate, device_error

__all__ = ["GPURemoteContext", "GPURemoteTensor", "shared_context_device", "CONTEXT_KEYS",
           "convert_on_device"]


class GPURemoteContext(RemoteContext):
    """The OpenCL context of one GPU device (``device``: ``devices.OpenCLDevice``)."""

    def __init__(self, device: Any, device_name: str) -> None:
        super().__init__(device_name)
        self.device = device
        self._queue: Any = None

    @property
    def context(self) -> Any:
        """The ``pyopencl.Context``."""
        return self.device.context

    @property
    def queue(self) -> Any:
        """An in-order ``pyopencl.CommandQueue`` of this context for host copies (the
        user's ``OCL_QUEUE`` where one was given)."""
        if self._queue is None:
            import pyopencl as cl

            self._queue = self.device.queue or cl.CommandQueue(self.device.context,
                                                               self.device.cl_device)
        return self._queue

    def get_params(self) -> dict[str, Any]:
        return {"CONTEXT_TYPE": "OCL", "OCL_CONTEXT": self.context.int_ptr,
                "OCL_CONTEXT_DEVICE_ID": _index_in(self.context, self.device.cl_device),
                "OCL_QUEUE": self.queue.int_ptr}

    def create_tensor(self, type: Any, shape: Any, properties: dict[str, Any]
                      ) -> GPURemoteTensor:
        et = type if isinstance(type, Type) else Type(type)
        dims = tuple(int(d) for d in (shape.to_shape() if hasattr(shape, "to_shape")
                                      else shape))
        if any(d < 0 for d in dims):
            raise RuntimeError(f"GPU create_tensor needs a static shape, got {list(dims)}")
        if et.is_dynamic() or et.get_type_name() == "string" or et.is_packed:
            raise RuntimeError(f"GPU remote tensors hold fixed-size elements, not "
                               f"{et.get_type_name()}")
        props = dict(properties or {})
        handle = props.pop("MEM_HANDLE", None)
        kind = props.pop("SHARED_MEM_TYPE", "OCL_BUFFER")
        if kind != "OCL_BUFFER":
            raise RuntimeError(f"GPU create_tensor: SHARED_MEM_TYPE '{kind}' is not supported "
                               "(OCL_BUFFER only)")
        if props:
            raise RuntimeError(f"GPU create_tensor: unknown properties {sorted(props)}")
        return GPURemoteTensor(self, et, dims, handle)


#: The keys ``Core.create_context("GPU", properties)`` takes.
CONTEXT_KEYS = ("CONTEXT_TYPE", "OCL_CONTEXT", "OCL_CONTEXT_DEVICE_ID", "OCL_QUEUE")


def shared_context_device(devices: list[Any], properties: dict[str, Any]
                          ) -> tuple[Any, int]:
    """The device (``devices.OpenCLDevice`` within the user's context) and its index in
    ``devices`` for ``Core.create_context("GPU", properties)``: ``CONTEXT_TYPE`` ``"OCL"``
    with ``OCL_CONTEXT`` (a ``cl_context`` handle as an int, or a ``pyopencl.Context``)
    and ``OCL_CONTEXT_DEVICE_ID`` (the index of the device among the context's devices,
    default 0), or ``OCL_QUEUE`` (an in-order ``cl_command_queue``: its context and device,
    and the requests run on it). ``RuntimeError`` naming what is wrong."""
    import pyopencl as cl

    kind = properties.get("CONTEXT_TYPE")
    if kind is None:
        raise RuntimeError("GPU create_context: CONTEXT_TYPE is not set (\"OCL\" for an "
                           "OpenCL context)")
    if str(kind) != "OCL":
        raise RuntimeError(f"GPU create_context: CONTEXT_TYPE '{kind}' is not supported "
                           "(\"OCL\" only: this device has no VA-API or DirectX sharing)")
    unknown = sorted(set(properties) - set(CONTEXT_KEYS))
    if unknown:
        raise RuntimeError(f"GPU create_context: unknown properties {unknown} (known: "
                           f"{', '.join(CONTEXT_KEYS)})")
    queue = properties.get("OCL_QUEUE")
    handle = properties.get("OCL_CONTEXT")
    if queue is None and handle is None:
        raise RuntimeError("GPU create_context: CONTEXT_TYPE 'OCL' needs OCL_CONTEXT (a "
                           "cl_context handle) or OCL_QUEUE (a cl_command_queue handle)")
    if queue is not None:
        queue = _wrap(queue, cl.CommandQueue, "OCL_QUEUE", "cl_command_queue")
        if queue.properties & cl.command_queue_properties.OUT_OF_ORDER_EXEC_MODE_ENABLE:
            raise RuntimeError("GPU create_context: OCL_QUEUE is an out-of-order queue; the "
                               "GPU device runs its kernels on an in-order queue")
    context = (_wrap(handle, cl.Context, "OCL_CONTEXT", "cl_context") if handle is not None
               else queue.context)
    if queue is not None and queue.context.int_ptr != context.int_ptr:
        raise RuntimeError("GPU create_context: OCL_QUEUE belongs to another OpenCL context "
                           "than OCL_CONTEXT")
    cl_devices = context.devices
    if queue is not None:
        cl_device = queue.device
    else:
        index = properties.get("OCL_CONTEXT_DEVICE_ID", 0)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) \
                or not 0 <= int(index) < len(cl_devices):
            raise RuntimeError(f"GPU create_context: OCL_CONTEXT_DEVICE_ID {index!r} is not "
                               f"the index of one of the context's {len(cl_devices)} "
                               "device(s)")
        cl_device = cl_devices[int(index)]
    for position, dev in enumerate(devices):
        if dev.cl_device.int_ptr == cl_device.int_ptr:
            return dev.in_context(context, queue), position
    listed = ", ".join(d.name for d in devices) or "none"
    raise RuntimeError(f"GPU create_context: the context's device '{cl_device.name.strip()}' "
                       f"is not a device of the GPU family (listed: {listed})")


def _wrap(handle: Any, cls: Any, key: str, what: str) -> Any:
    """A pyopencl object of ``cls`` for ``handle`` (the object itself, or an int handle,
    retained)."""
    if isinstance(handle, cls):
        return handle
    if isinstance(handle, bool) or not isinstance(handle, (int, np.integer)) or handle <= 0:
        raise RuntimeError(f"GPU create_context: {key} must be a {what} handle (an int, "
                           f"e.g. pyopencl's .int_ptr), got {handle!r}")
    import pyopencl as cl

    try:
        return cls.from_int_ptr(int(handle))
    except cl.Error as exc:
        raise RuntimeError(f"GPU create_context: {key} {handle:#x} is not a valid {what}: "
                           f"{exc}") from None


def _index_in(context: Any, cl_device: Any) -> int:
    return next((i for i, d in enumerate(context.devices)
                 if d.int_ptr == cl_device.int_ptr), 0)


class GPURemoteTensor(RemoteTensor):
    """A tensor in an OpenCL buffer (``buffer``) of a ``GPURemoteContext``, in the element
    type's numpy dtype."""

    def __init__(self, context: GPURemoteContext, element_type: Type, shape: tuple[int, ...],
                 handle: Any = None) -> None:
        super().__init__(element_type, shape, context.get_device_name())
        self.context = context
        self.dtype = np.dtype(element_type.to_dtype())
        nbytes = self.get_size() * self.dtype.itemsize
        if handle is None:
            self.buffer = allocate(context.device, nbytes)
        else:
            self.buffer = _buffer_of(handle, context, nbytes)

    @property
    def nbytes(self) -> int:
        return self.get_size() * self.dtype.itemsize

    @property
    def array(self) -> Any:
        """A ``pyopencl.array.Array`` over this tensor's memory (no copy)."""
        import pyopencl.array as cla

        return cla.Array(self.context.queue, self._shape, self.dtype, data=self.buffer)

    def get_params(self) -> dict[str, Any]:
        return {"SHARED_MEM_TYPE": "OCL_BUFFER", "MEM_HANDLE": self.buffer.int_ptr,
                "OCL_CONTEXT": self.context.context.int_ptr}

    def get_shape(self) -> Shape:
        return Shape(list(self._shape))

    def _copy_to_host(self, tensor: Tensor) -> None:
        import pyopencl as cl

        host = np.empty(self._shape, self.dtype)
        if host.nbytes:
            try:
                cl.enqueue_copy(self.context.queue, host, self.buffer)  # blocking
            except cl.Error as exc:
                raise device_error(self.context.device, "reading a remote tensor", exc) from None
        tensor.data[...] = host

    def _copy_from_host(self, tensor: Tensor) -> None:
        import pyopencl as cl

        host = np.ascontiguousarray(tensor.data, dtype=self.dtype)
        if host.nbytes:
            try:
                cl.enqueue_copy(self.context.queue, self.buffer, host)
                self.context.queue.finish()
            except cl.Error as exc:
                raise device_error(self.context.device, "writing a remote tensor", exc) from None

    def _copy_to_remote(self, other: RemoteTensor) -> None:
        import pyopencl as cl

        if not isinstance(other, GPURemoteTensor) or other.context.device is not \
                self.context.device:
            host = Tensor(self._type, list(self._shape))
            self._copy_to_host(host)
            other.copy_from(host)
            return
        if self.nbytes:
            cl.enqueue_copy(self.context.queue, other.buffer, self.buffer,
                            byte_count=self.nbytes)
            self.context.queue.finish()

    def copy_into(self, queue: Any, buffer: Any, dtype: np.dtype) -> list[Any]:
        """Enqueue this tensor's data into ``buffer`` (a model input's arena range) on
        ``queue`` as ``dtype``: a device copy when the dtypes agree, else through the host
        (converted). Returns host arrays the queue reads from (keep them until the wait)."""
        import pyopencl as cl

        if not self.nbytes:
            return []
        if np.dtype(dtype) == self.dtype:
            cl.enqueue_copy(queue, buffer, self.buffer, byte_count=self.nbytes)
            return []
        if convert_on_device(self.context.device, queue, self.buffer, self.dtype, buffer,
                             dtype, self.get_size()):
            return []
        host = np.empty(self._shape, self.dtype)
        cl.enqueue_copy(queue, host, self.buffer)  # blocking: the conversion needs it
        converted = np.ascontiguousarray(host, dtype=dtype)
        cl.enqueue_copy(queue, buffer, converted, is_blocking=False)
        return [converted]


#: (from, to) dtypes ``kernels/boundary.cl`` converts on the device.
_DEVICE_CONVERSIONS = {(np.dtype(np.float32), np.dtype(np.float16)): "f32_to_f16",
                       (np.dtype(np.float16), np.dtype(np.float32)): "f16_to_f32"}


def convert_on_device(device: Any, queue: Any, src: Any, src_dtype: Any, dst: Any,
                      dst_dtype: Any, count: int) -> bool:
    """Enqueue the conversion of ``count`` elements from ``src`` to ``dst`` on ``queue``
    (f32 <-> f16: a remote tensor and a model's f16 storage); ``False`` (nothing enqueued)
    for other pairs, which go through the host."""
    import pyopencl as cl

    name = _DEVICE_CONVERSIONS.get((np.dtype(src_dtype), np.dtype(dst_dtype)))
    if name is None or not 0 < count < 2**31:
        return False
    kernel = cl.Kernel(device.programs.get("boundary.cl"), name)
    kernel.set_args(src, dst, np.int32(count))
    cl.enqueue_nd_range_kernel(queue, kernel, ((count + 63) // 64 * 64,), (64,))
    return True


def _buffer_of(handle: Any, context: GPURemoteContext, nbytes: int) -> Any:
    """The ``pyopencl.Buffer`` of a ``MEM_HANDLE``: a buffer, or an array's ``data``."""
    import pyopencl as cl

    buf = getattr(handle, "base_data", None) if hasattr(handle, "queue") else handle
    if hasattr(handle, "queue") and getattr(handle, "offset", 0):
        raise RuntimeError("GPU create_tensor: a pyopencl array with an offset cannot be "
                           "wrapped; pass a contiguous array that starts its buffer")
    if not isinstance(buf, cl.MemoryObjectHolder):
        raise RuntimeError(f"GPU create_tensor: MEM_HANDLE must be a pyopencl.Buffer or "
                           f"pyopencl.array.Array, got {type(handle).__name__}")
    if buf.context.int_ptr != context.context.int_ptr:
        raise RuntimeError("GPU create_tensor: MEM_HANDLE belongs to another OpenCL context "
                           "than this device's (use core.get_default_context('GPU').context)")
    if buf.size < nbytes:
        raise RuntimeError(f"GPU create_tensor: MEM_HANDLE holds {buf.size} bytes, the tensor "
                           f"needs {nbytes}")
    return buf
