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

__all__ = ["GPURemoteContext", "GPURemoteTensor"]


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
        """An in-order ``pyopencl.CommandQueue`` of this context for host copies."""
        if self._queue is None:
            import pyopencl as cl

            self._queue = cl.CommandQueue(self.device.context, self.device.cl_device)
        return self._queue

    def get_params(self) -> dict[str, Any]:
        return {"CONTEXT_TYPE": "OCL", "OCL_CONTEXT": self.context.int_ptr,
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
        host = np.empty(self._shape, self.dtype)
        cl.enqueue_copy(queue, host, self.buffer)  # blocking: the conversion needs it
        converted = np.ascontiguousarray(host, dtype=dtype)
        cl.enqueue_copy(queue, buffer, converted, is_blocking=False)
        return [converted]


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
