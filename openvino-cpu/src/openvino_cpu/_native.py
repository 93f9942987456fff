"""The compiled kernels (``_kernels``, built by cffi at install time) and the few Python
objects wrapping them: thread pools and the callback C uses for steps that run in Python.

``OV_CPU_ISA`` (environment, read once at import) forces the kernels' instruction set:
``0`` (or ``generic``) portable, ``1`` (``avx2``) AVX2, ``2`` (``avx512``) AVX-512 (never
above what the CPU has), ``3`` the AVX-512 panel geometry with AVX2 helpers and portable
micro-kernels (a test mode). Any other value is refused, naming these.
"""

from __future__ import annotations

import os
import weakref
from typing import Any

from ._kernels import ffi, lib

_ISA_LEVELS = {"0": 0, "generic": 0, "1": 1, "avx2": 1, "2": 2, "avx512": 2, "3": 3}


def _forced_isa(value: str) -> int:
    """The level ``OV_CPU_ISA`` asks for."""
    level = _ISA_LEVELS.get(value.strip().lower())
    if level is None:
        raise ValueError(f"OV_CPU_ISA={value!r} is not an instruction set of the CPU device's "
                         "kernels: use 0 or generic, 1 or avx2, 2 or avx512 (3: a test mode)")
    return level


lib.ov_isa()  # detect the instruction set (and self-test AVX-512) once, at import
if os.environ.get("OV_CPU_ISA", "").strip():
    lib.ov_set_isa(_forced_isa(os.environ["OV_CPU_ISA"]))

__all__ = ["ffi", "lib", "Pool", "isa"]


def isa() -> str:
    """The instruction set the kernels dispatch to: ``avx512``, ``avx2`` or ``generic``."""
    return ffi.string(lib.ov_isa()).decode()


class Pool:
    """``nthreads`` kernel threads (the caller is one of them) with their scratch memory;
    freed when the object is collected."""

    def __init__(self, nthreads: int) -> None:
        handle = lib.ov_pool_create(int(nthreads), lib.ov_scratch_bytes())
        if handle == ffi.NULL:
            raise MemoryError(f"could not start a CPU pool of {nthreads} threads")
        self.handle = handle
        self.nthreads = int(lib.ov_pool_threads(handle))
        self._finalizer = weakref.finalize(self, lib.ov_pool_destroy, handle)

    def pin(self, cpus: list[int]) -> int:
        """Bind thread i to core ``cpus[i]`` (the caller while it runs a plan); threads the
        system refuses a core stay unpinned. Returns how many threads were pinned."""
        if len(cpus) < self.nthreads:
            raise ValueError(f"pinning {self.nthreads} threads needs as many cores, "
                             f"got {len(cpus)}")
        arr = ffi.new("int32_t[]", [int(c) for c in cpus])
        return int(lib.ov_pool_pin(self.handle, arr, len(cpus)))

    def close(self) -> None:
        self._finalizer()


@ffi.def_extern(onerror=lambda *exc: _on_error(*exc))
def ov_py_step(py: Any, tag: int, bufs: Any) -> int:
    """Entry of OV_K_PY steps: ``py`` is the handle of the running request's
    ``PyStepRunner``; it runs callback ``tag``."""
    runner = ffi.from_handle(py)
    return runner.run_python_step(tag, bufs)


def _on_error(exc_type: type, exc: BaseException, tb: Any) -> int:
    # exceptions escaping the callback itself are reported by the runner; this keeps the
    # C side from seeing a garbage return value if something failed before that
    return 1

