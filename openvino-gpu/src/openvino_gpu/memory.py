"""Device memory: every ``pyopencl.Buffer`` of the GPU device is made here, so failures
name the device and the size, and ``GPU_MEMORY_STATISTICS`` counts what is held.

A buffer's bytes are counted from its creation until the ``pyopencl.Buffer`` is released
(garbage collected or ``release()``d): deleting a compiled model and its requests brings the
count back to where it was.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

__all__ = ["allocate", "allocated_bytes", "device_error", "wrap_host", "aligned_empty",
           "shares_host_memory"]

_lock = threading.Lock()
_held: dict[int, int] = {}
_buffer_class: Any = None


def _buffer_type() -> Any:
    """``pyopencl.Buffer`` subclassed so a buffer can be followed by a weak reference."""
    global _buffer_class
    if _buffer_class is None:
        import pyopencl as cl

        class DeviceBuffer(cl.Buffer):
            """A device buffer counted in ``GPU_MEMORY_STATISTICS``."""

        _buffer_class = DeviceBuffer
    return _buffer_class


def _add(key: int, nbytes: int) -> None:
    with _lock:
        _held[key] = _held.get(key, 0) + nbytes


def _key(dev: Any) -> int:
    """One count per OpenCL device, whichever context (default or a user's) holds the
    memory."""
    return int(dev.cl_device.int_ptr)


def allocated_bytes(dev: Any) -> int:
    """Bytes of device memory this process holds on ``dev`` through this module."""
    return _held.get(_key(dev), 0)


def device_error(dev: Any, what: str, exc: BaseException) -> RuntimeError:
    """A ``RuntimeError`` for an OpenCL failure: the device, what was being done and the
    OpenCL error (``CL_MEM_OBJECT_ALLOCATION_FAILURE``, ``CL_OUT_OF_RESOURCES``,
    ``CL_DEVICE_NOT_AVAILABLE`` ...)."""
    # pyopencl's text names the OpenCL routine and status ("clCreateBuffer failed:
    # MEM_OBJECT_ALLOCATION_FAILURE")
    return RuntimeError(f"GPU device '{dev.name}': {what} failed: {exc}")


def allocate(dev: Any, nbytes: int, hostbuf: Any = None, read_only: bool = False) -> Any:
    """A device buffer of ``nbytes`` (at least 1) on ``dev``'s context, filled from
    ``hostbuf`` when given. ``RuntimeError`` naming the device and the size when the device
    cannot allocate it."""
    import pyopencl as cl

    size = max(int(nbytes), 1)
    flags = cl.mem_flags.READ_ONLY if read_only else cl.mem_flags.READ_WRITE
    if size > int(dev.cl_device.max_mem_alloc_size):
        raise RuntimeError(f"GPU device '{dev.name}': cannot allocate a buffer of {size} bytes "
                           f"(the device's largest allocation is "
                           f"{int(dev.cl_device.max_mem_alloc_size)} bytes)")
    try:
        if hostbuf is not None and getattr(hostbuf, "nbytes", 0) > 0:
            buf = _buffer_type()(dev.context, flags | cl.mem_flags.COPY_HOST_PTR,
                                 hostbuf=hostbuf)
        else:
            buf = _buffer_type()(dev.context, flags, size)
    except cl.Error as exc:
        raise device_error(dev, f"allocating a buffer of {size} bytes", exc) from None
    key = _key(dev)
    _add(key, size)
    weakref.finalize(buf, _add, key, -size)
    return buf


def shares_host_memory(dev: Any) -> bool:
    """Whether ``dev`` computes in host memory (``CL_DEVICE_HOST_UNIFIED_MEMORY``:
    integrated GPUs, OpenCL CPU devices): model inputs and outputs then use the host's
    arrays directly (``wrap_host``) instead of copies."""
    return bool(dev.is_integrated)


def aligned_empty(shape: tuple[int, ...], dtype: Any, align: int) -> Any:
    """An uninitialised C-contiguous array whose data starts at a multiple of ``align``
    bytes (for ``wrap_host``)."""
    import numpy as np

    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.empty(nbytes + align, np.uint8)
    start = (-raw.ctypes.data) % align
    return raw[start:start + nbytes].view(dtype).reshape(shape)


def wrap_host(dev: Any, array: Any, read_only: bool) -> Any:
    """A buffer over ``array``'s own memory (``CL_MEM_USE_HOST_PTR``: kernels read and
    write the host array in place on a device that shares host memory; no copy). The
    array must stay alive and, while kernels use it, untouched by the host. Counted in
    ``GPU_MEMORY_STATISTICS`` while it lives."""
    import pyopencl as cl

    flags = (cl.mem_flags.READ_ONLY if read_only else cl.mem_flags.READ_WRITE) \
        | cl.mem_flags.USE_HOST_PTR
    try:
        buf = _buffer_type()(dev.context, flags, hostbuf=array)
    except cl.Error as exc:
        raise device_error(dev, f"wrapping {array.nbytes} bytes of host memory", exc) from None
    key = _key(dev)
    _add(key, int(array.nbytes))
    weakref.finalize(buf, _add, key, -int(array.nbytes))
    return buf
