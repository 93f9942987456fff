"""cffi build script of the IR scanner (out-of-line API mode), run by ``setup.py``; also
``python _build.py`` builds it next to this file, for work on an uninstalled checkout.

It needs only a C compiler; where there is none, ``setup.py`` installs without it and the
IR reader parses in Python. ``OV_CORE_SANITIZE=1`` builds it with ASan and UBSan
(``nox -s sanitize``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
MODULE = "openvino._ir.scanner._ir_scan"


def _relative(path: Path) -> str:
    """``path`` relative to the working directory when below it (setuptools then keeps the
    object files under build/), absolute otherwise."""
    try:
        rel = os.path.relpath(path, os.getcwd())
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def make_builder() -> FFI:
    """The configured cffi builder."""
    header = (HERE / "ir_scan.h").read_text()
    cflags = ["-std=c99", "-O3", "-Wall", "-fvisibility=hidden"]
    ldflags: list[str] = []
    if os.environ.get("OV_CORE_SANITIZE") == "1":  # nox -s sanitize
        san = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
               "-fno-omit-frame-pointer"]
        cflags += ["-O1", "-g"] + san
        ldflags += san
    ffi = FFI()
    ffi.cdef(header.split("/* OV_CDEF_BEGIN */", 1)[1].split("/* OV_CDEF_END */", 1)[0])
    ffi.set_source(
        MODULE,
        '#include "ir_scan.h"\n',
        sources=[_relative(HERE / "ir_scan.c"), _relative(HERE / "xml_subset.c")],
        include_dirs=[_relative(HERE)],
        extra_compile_args=cflags,
        extra_link_args=ldflags,
    )
    return ffi


ffibuilder = make_builder()

if __name__ == "__main__":
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)  # cffi compiles there: make the source paths relative to it
        built = Path(make_builder().compile(verbose="-v" in sys.argv))
        staged = HERE / (built.name + ".new")
        shutil.copy2(built, staged)
        os.replace(staged, HERE / built.name)  # a running process keeps the old file
        print(HERE / built.name)
