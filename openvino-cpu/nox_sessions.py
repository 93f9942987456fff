"""Bodies of the CPU device's nox sessions; the root ``noxfile.py`` wires them in::

    nox -s cpu_tests               # openvino-cpu/tests against an installed build
    nox -s sanitize                # the same build with -fsanitize=address,undefined,
                                   # then the CPU tests and the CPU conformance suite
                                   # (and core's IR scanner, with core's IR tests)
    nox -s sanitize -- -k gemm     # arguments after -- go to pytest

``sanitize`` compiles the kernels with ``OV_CPU_SANITIZE=1`` (see
``src/openvino_cpu/_build.py``: ``-fsanitize=address,undefined -fno-sanitize-recover=all``),
preloads gcc's ASan runtime into the (uninstrumented) Python interpreter, and fails on the
first report: any out-of-bounds access or undefined behaviour in a kernel stops the run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["sanitize", "tests", "asan_runtime"]

CPU = Path(__file__).resolve().parent
ROOT = CPU.parent
CORE = ROOT / "openvino-core"
TESTKIT = ROOT / "openvino-testkit"
CORPUS = Path(os.environ.get("OV_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))


def _env() -> dict[str, str]:
    return {"OV_CORPUS_DIR": str(CORPUS)}


def asan_runtime(compiler: str = "gcc") -> str:
    """Path of the compiler's shared ASan runtime (to LD_PRELOAD into Python)."""
    out = subprocess.run([compiler, "-print-file-name=libasan.so"], capture_output=True,
                         text=True, check=True).stdout.strip()
    if not out or not os.path.isabs(out) or not os.path.exists(out):
        raise RuntimeError(f"{compiler} has no shared ASan runtime (got {out!r})")
    return os.path.realpath(out)


def tests(session: Any) -> None:
    """Install core and the CPU device as a user would; run ``openvino-cpu/tests``."""
    session.install(f"{CORE}[onnx]", "pytest")
    session.install("--no-cache-dir", "--force-reinstall", "--no-deps", str(CPU))
    session.install("cffi>=1.16")
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(CPU / "tests"),
                *session.posargs, env=_env())


def sanitize(session: Any) -> None:
    """Kernels and the IR scanner built with ASan + UBSan; CPU tests, CPU conformance and
    core's IR tests must run clean."""
    session.install(f"{CORE}[onnx]", str(TESTKIT), "pytest", "pytest-xdist", "cffi>=1.16")
    build_env = {"OV_CPU_SANITIZE": "1"}
    session.install("--no-cache-dir", "--force-reinstall", "--no-deps", str(CPU),
                    env=build_env)
    # core's IR scanner parses untrusted files in C: the same instrumentation for it
    session.install("--no-cache-dir", "--force-reinstall", "--no-deps", str(CORE),
                    env={"OV_CORE_SANITIZE": "1"})
    run_env = _env() | {
        "LD_PRELOAD": asan_runtime(),
        # CPython and numpy keep memory alive on purpose: leaks are not what we check
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1:allocator_may_return_null=1",
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
        "PYTHONMALLOC": "malloc",
    }
    session.run("python", "-c", "import sys, openvino_cpu._kernels as k; "
                "data = open(k.__file__, 'rb').read(); "
                "sys.exit(0 if b'__asan_init' in data and b'__ubsan_handle' in data "
                "else 'the installed kernels are not instrumented')", env=run_env)
    session.run("python", "-c", "import sys, openvino._ir.scanner._ir_scan as k; "
                "data = open(k.__file__, 'rb').read(); "
                "sys.exit(0 if b'__asan_init' in data else 'the IR scanner is not instrumented')",
                env=run_env)
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                str(CORE / "tests" / "ir"), *session.posargs, env=run_env)
    # the instrumented runs take most of CI's time: one pytest worker per core (at most 4,
    # each with ASan's shadow memory)
    workers = ["-n", str(max(1, min(4, len(os.sched_getaffinity(0)))))]
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *workers,
                str(CPU / "tests"), *session.posargs, env=run_env)
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *workers, "--pyargs",
                "openvino_testkit", "--ov-device", "CPU", *session.posargs, env=run_env)
