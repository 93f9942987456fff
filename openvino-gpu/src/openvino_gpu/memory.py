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

__all__ = ["allocate", "allocated_bytes", "device_error"]

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


def allocated_bytes(dev: Any) -> int:
    """Bytes of device memory this process holds on ``dev`` through this module."""
    return _held.get(id(dev), 0)


def device_error(dev: Any, what: str, exc: BaseException) -> RuntimeError:
    """A ``RuntimeError`` for an OpenCL failure: the device, what was being done and the
    OpenCL error (``CL_MEM_OBJECT_ALLOCATION_FAILURE``, ``CL_OUT_OF_RESOURCES``,
    ``CL_DEVICE_NOT_AVAILABLE`` ...)."""
    code = getattr(getattr(exc, "code", None), "__int__", None)
    detail = str(exc)
    try:
        import pyopencl as cl

        if isinstance(exc, cl.Error) and code is not None:
            detail = f"{cl.status_code.to_string(int(exc.code), '<%d>')}: {exc.what}"
    except Exception:  # formatting only
        pass
    return RuntimeError(f"GPU device '{dev.name}': {what} failed: {detail}")


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
    key = id(dev)
    _add(key, size)
    weakref.finalize(buf, _add, key, -size)
    return buf
