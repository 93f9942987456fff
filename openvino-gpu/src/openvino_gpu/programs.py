"""``ProgramCache``: the OpenCL programs of one context, each ``kernels/<file>`` built once
per set of build options, through pyopencl's on-disk binary cache.

The cache folder is pyopencl's (``PYOPENCL_CACHE_DIR``, else its per-user default); the
GPU nox sessions point it into the nox virtual environment so CI builds each program once.

``OV_GPU_BUILD_OPTIONS`` adds options to every build (and so to the binary cache's key):
``gpu_memcheck`` sets ``-cl-opt-disable``, since Oclgrind's checkers stop on what the
optimiser emits (the ``freeze`` instruction, ``llvm.abs`` for an integer ``x < 0 ? -x : x``).
"""

from __future__ import annotations

import os
import shlex
import threading
from pathlib import Path
from typing import Any

__all__ = ["ProgramCache", "KERNELS_DIR", "BUILD_OPTIONS_ENV"]

#: The folder of the OpenCL C sources.
KERNELS_DIR = Path(__file__).resolve().parent / "kernels"
#: Environment variable: build options added to every program (``-cl-opt-disable``).
BUILD_OPTIONS_ENV = "OV_GPU_BUILD_OPTIONS"


class ProgramCache:
    """Built programs of one device's context by ``(file name, build options)``."""

    def __init__(self, device: Any) -> None:
        self._device = device
        self._programs: dict[tuple[str, tuple[str, ...]], Any] = {}
        self._lock = threading.Lock()
        self._building: dict[tuple[str, tuple[str, ...]], threading.Lock] = {}

    def get(self, filename: str, options: tuple[str, ...] = ()) -> Any:
        """The built ``pyopencl.Program`` of ``kernels/<filename>`` with ``options``;
        ``RuntimeError`` naming the device, the file and the build log when it fails."""
        key = (filename, tuple(options))
        program = self._programs.get(key)
        if program is not None:
            return program
        with self._lock:
            build_lock = self._building.setdefault(key, threading.Lock())
        with build_lock:  # two compiles needing the same program build it once
            program = self._programs.get(key)
            if program is None:
                program = self._build(filename, key[1])
                self._programs[key] = program
        return program

    def _build(self, filename: str, options: tuple[str, ...]) -> Any:
        import pyopencl as cl

        path = KERNELS_DIR / filename
        if path.parent != KERNELS_DIR or not path.is_file():
            raise RuntimeError(f"GPU kernel source '{filename}' does not exist in {KERNELS_DIR}")
        source = path.read_text(encoding="utf-8")
        opts = [*options, *shlex.split(os.environ.get(BUILD_OPTIONS_ENV, "")),
                f"-I{KERNELS_DIR}"]
        try:
            return cl.Program(self._device.context, source).build(options=opts)
        except cl.RuntimeError as exc:  # build failure: the log is in the message
            raise RuntimeError(f"GPU device '{self._device.name}': building kernel program "
                               f"'{filename}' with options {list(options)} failed: "
                               f"{exc}") from None

    def __len__(self) -> int:
        return len(self._programs)
