"""OpenCL devices: which ones the GPU family lists, what each one is, and the one
``pyopencl`` context per device that every compiled model and remote tensor of this process
shares (so each kernel program is built once per context).

Devices of type GPU are listed; with ``OV_GPU_ALLOW_CPU_DEVICES=1`` OpenCL CPU devices
(PoCL, and simulators such as Oclgrind that report the CPU type too) are listed after
them. Without an OpenCL runtime (no ``pyopencl``, no ICD, no platform) nothing is listed
and ``discovery_failures()`` says why.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from typing import Any

from .lowering import DeviceInfo

__all__ = ["OpenCLDevice", "opencl_devices", "discovery_failures", "allow_cpu_devices",
           "ALLOW_CPU_ENV"]

#: Environment variable: "1" lists OpenCL CPU devices as GPU devices too.
ALLOW_CPU_ENV = "OV_GPU_ALLOW_CPU_DEVICES"

_lock = threading.Lock()
_devices: list[OpenCLDevice] | None = None
_failures: list[str] = []
_allow_seen: bool | None = None


def allow_cpu_devices() -> bool:
    return os.environ.get(ALLOW_CPU_ENV, "").strip().lower() in ("1", "yes", "true", "on")


@dataclass
class OpenCLDevice:
    """One OpenCL device of the family: the ``pyopencl.Device``, its context (created on
    first use) and the facts properties and lowerings need."""

    cl_device: Any
    platform_name: str
    info: DeviceInfo
    _context: Any = None
    _programs: Any = None
    #: an in-order ``pyopencl.CommandQueue`` the user gave (``OCL_QUEUE``): every request
    #: on this device object runs on it; ``None``: each request makes its own
    queue: Any = None

    def in_context(self, context: Any, queue: Any = None) -> OpenCLDevice:
        """This device within a user's ``pyopencl.Context`` (``Core.create_context``): its
        own program cache, the same memory counts."""
        return OpenCLDevice(self.cl_device, self.platform_name, self.info, context, None,
                            queue)

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def context(self) -> Any:
        """The process-wide ``pyopencl.Context`` of this device."""
        if self._context is None:
            import pyopencl as cl

            with _lock:
                if self._context is None:
                    self._context = cl.Context([self.cl_device])
        return self._context

    @property
    def programs(self) -> Any:
        """The program cache of this device's context (``programs.ProgramCache``)."""
        if self._programs is None:
            from .programs import ProgramCache

            with _lock:
                if self._programs is None:
                    self._programs = ProgramCache(self)
        return self._programs

    @property
    def extensions(self) -> set[str]:
        return set(self.cl_device.extensions.split())

    @property
    def is_integrated(self) -> bool:
        """Shares memory with the host (integrated GPU, or a CPU device)."""
        try:
            return bool(self.cl_device.host_unified_memory)
        except Exception:  # OpenCL 3.0 drivers may drop the query
            return self.info.is_cpu

    @property
    def total_memory(self) -> int:
        return int(self.cl_device.global_mem_size)

    @property
    def base_align(self) -> int:
        """Alignment in bytes of a sub-buffer's origin."""
        return max(int(self.cl_device.mem_base_addr_align) // 8, 64)

    @property
    def uuid(self) -> bytes:
        """16 bytes naming the device: the driver's UUID (cl_khr_device_uuid) when it has
        one, else a hash of what identifies it."""
        try:
            if "cl_khr_device_uuid" in self.extensions:
                return bytes(self.cl_device.uuid)
        except Exception:  # not every pyopencl/driver answers
            pass
        d = self.cl_device
        text = f"{self.platform_name}|{d.name}|{d.vendor_id}|{d.driver_version}|{d.version}"
        return hashlib.sha256(text.encode()).digest()[:16]


#: the program each device must build before it is listed
_PROBE = "__kernel void ov_probe(__global float *a) { a[get_global_id(0)] += 1.0f; }"


def _build_problem(cl: Any, dev: OpenCLDevice) -> str:
    """Why ``dev`` cannot build a trivial kernel program ("" when it can). A driver may
    list a device its compiler cannot target: PoCL 3.0 with LLVM 14, as the pyopencl wheel
    bundles it, knows no CPU newer than its LLVM (an AMD EPYC of family 26 reads as
    'generic', which it then rejects), and every model compiled for it would fail. The
    probe's context becomes the device's context."""
    try:
        context = cl.Context([dev.cl_device])
        cl.Program(context, _PROBE).build()
    except Exception as exc:  # a build failure, or no context at all
        text = str(exc)
        # the build log's error line says more than pyopencl's summary
        errors = [ln.strip() for ln in text.splitlines() if "error" in ln.lower()]
        return errors[-1] if errors else (text.splitlines() or [type(exc).__name__])[0]
    dev._context = context
    return ""


def _scan() -> tuple[list[OpenCLDevice], list[str]]:
    failures: list[str] = []
    try:
        import pyopencl as cl
    except Exception as exc:  # no pyopencl, or it cannot load libOpenCL
        return [], [f"pyopencl cannot be imported: {type(exc).__name__}: {exc}"]
    try:
        platforms = cl.get_platforms()
    except Exception as exc:  # no ICD loader / no platform
        return [], [f"no OpenCL platform: {type(exc).__name__}: {exc}"]
    gpus: list[OpenCLDevice] = []
    cpus: list[OpenCLDevice] = []
    for platform in platforms:
        try:
            devices = platform.get_devices()
        except Exception as exc:
            failures.append(f"OpenCL platform '{platform.name}' lists no devices: {exc}")
            continue
        for d in devices:
            # a device that also calls itself a CPU runs on the host (PoCL; Oclgrind, a
            # simulator, reports every type): listed only when CPU devices are allowed
            is_cpu = bool(d.type & cl.device_type.CPU)
            is_gpu = bool(d.type & cl.device_type.GPU) and not is_cpu
            if not (is_gpu or is_cpu):
                continue
            info = DeviceInfo(name=d.name.strip(), fp16="cl_khr_fp16" in d.extensions.split(),
                              max_work_group_size=int(d.max_work_group_size),
                              local_mem_size=int(d.local_mem_size),
                              compute_units=int(d.max_compute_units), is_cpu=not is_gpu)
            dev = OpenCLDevice(d, platform.name.strip(), info)
            # (a CPU device that is not listed anyway is not probed)
            problem = _build_problem(cl, dev) if is_gpu or allow_cpu_devices() else ""
            if problem:
                failures.append(f"OpenCL device '{info.name}' ({platform.name.strip()}) cannot "
                                f"build a kernel program, so it is not listed: {problem}")
                continue
            (gpus if is_gpu else cpus).append(dev)
    if not gpus and cpus and not allow_cpu_devices():
        failures.append(f"no OpenCL GPU device (OpenCL CPU devices "
                        f"{', '.join(c.name for c in cpus)} are listed with "
                        f"{ALLOW_CPU_ENV}=1)")
    if not gpus and not cpus:
        failures.append("no OpenCL GPU device on any platform")
    return gpus + (cpus if allow_cpu_devices() else []), failures


def opencl_devices() -> list[OpenCLDevice]:
    """The devices of the GPU family, in ``GPU.0``, ``GPU.1`` ... order (scanned once per
    process and again when ``OV_GPU_ALLOW_CPU_DEVICES`` changes)."""
    global _devices, _failures, _allow_seen
    allow = allow_cpu_devices()
    if _devices is None or _allow_seen != allow:
        with _lock:
            if _devices is None or _allow_seen != allow:
                found, failures = _scan()
                # keep the objects (and their contexts) of devices already known
                if _devices is not None:
                    known = {d.cl_device.int_ptr: d for d in _devices}
                    found = [known.get(d.cl_device.int_ptr, d) for d in found]
                _devices, _failures, _allow_seen = found, failures, allow
    return list(_devices)


def discovery_failures() -> list[str]:
    """Why the family lists fewer devices than it might: no pyopencl, no OpenCL platform,
    only CPU devices without ``OV_GPU_ALLOW_CPU_DEVICES=1``."""
    opencl_devices()
    return list(_failures)
