"""cffi build script of the kernels (out-of-line API mode), run by ``setup.py``.

The C sources live in ``kernels/``; ``ov_cpu.h`` is the one header the compiler
(``openvino_cpu.compiler``) and the kernels share, and the part of it between the
``OV_CDEF_BEGIN`` / ``OV_CDEF_END`` markers is what cffi sees.

Environment:

* ``OV_CPU_SANITIZE=1`` builds with ``-fsanitize=address,undefined`` (``nox -s sanitize``);
* ``OV_CPU_CFLAGS`` adds compiler flags.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
KERNELS = HERE / "kernels"
MODULE = "openvino_cpu._kernels"


def cdef_text() -> str:
    """The declarations cffi parses: the marked part of ``ov_cpu.h``, with the Python
    callback declared ``extern "Python+C"``."""
    text = (KERNELS / "ov_cpu.h").read_text()
    body = text.split("/* OV_CDEF_BEGIN */", 1)[1].split("/* OV_CDEF_END */", 1)[0]
    marker = "int32_t ov_py_step("
    if marker not in body:
        raise RuntimeError("ov_cpu.h does not declare ov_py_step")
    return body.replace(marker, 'extern "Python+C" int32_t ov_py_step(', 1)


def compile_args() -> tuple[list[str], list[str]]:
    """(extra compile args, extra link args) for this build."""
    cflags = ["-std=gnu11", "-fno-math-errno", "-fno-trapping-math", "-fopenmp-simd",
              "-fvisibility=hidden", "-Wall", "-Wno-unused-function", "-Wno-unknown-pragmas"]
    ldflags: list[str] = ["-pthread"]
    if os.environ.get("OV_CPU_SANITIZE") == "1":
        san = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
               "-fno-omit-frame-pointer"]
        # line tables only (-g1): enough for ASan's file:line reports, while full debug
        # info makes the large intrinsic kernels take minutes each to compile
        cflags += ["-O1", "-g1"] + san
        ldflags += san
    else:
        cflags += ["-O3"]
    cflags += os.environ.get("OV_CPU_CFLAGS", "").split()
    if sys.platform == "darwin":
        ldflags.remove("-pthread")
    return cflags, ldflags


def _relative(path: Path) -> str:
    """``path`` relative to the build's working directory when it lies below it (setuptools
    puts object files under build/ then); absolute otherwise, never ``../``, which would
    put object files next to the sources."""
    try:
        rel = os.path.relpath(path, os.getcwd())
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def make_builder() -> FFI:
    """The configured cffi builder."""
    ffi = FFI()
    ffi.cdef(cdef_text())
    cflags, ldflags = compile_args()
    sources = sorted(_relative(p) for p in KERNELS.glob("*.c"))
    ffi.set_source(
        MODULE,
        '#include "ov_cpu.h"\n',
        sources=sources,
        include_dirs=[_relative(KERNELS)],
        extra_compile_args=cflags,
        extra_link_args=ldflags,
        libraries=["m"],
    )
    return ffi


ffibuilder = make_builder()

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
