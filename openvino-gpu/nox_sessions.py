"""Bodies of the GPU device's nox sessions; the root ``noxfile.py`` wires them in::

    nox -s gpu_tests               # openvino-gpu/tests on PoCL (openvino-gpu[pocl])
    nox -s gpu_memcheck            # op conformance on Oclgrind (openvino-gpu[oclgrind]):
                                   # any out-of-bounds access or data race a kernel makes
                                   # fails the session
    nox -s gpu_memcheck -- -k Add  # arguments after -- go to pytest

Both list the OpenCL CPU device as ``GPU`` (``OV_GPU_ALLOW_CPU_DEVICES=1``) and keep
pyopencl's kernel binary cache inside the session's virtual environment
(``PYOPENCL_CACHE_DIR``), so a reused environment builds each program once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["tests", "memcheck", "gpu_env", "MEMCHECK_ERRORS"]

GPU = Path(__file__).resolve().parent
ROOT = GPU.parent
CORE = ROOT / "openvino-core"
TESTKIT = ROOT / "openvino-testkit"
CORPUS = Path(os.environ.get("OV_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))

#: What Oclgrind prints for the faults ``gpu_memcheck`` fails on.
MEMCHECK_ERRORS = re.compile(
    r"^(Invalid (read|write) of size|Uninitialized value|.*data race|"
    r"Work-group divergence|Invalid kernel argument|.*out of bounds)", re.M | re.I)


def gpu_env(session: Any) -> dict[str, str]:
    """Environment of a session that runs the GPU device on an OpenCL CPU device."""
    cache = Path(session.virtualenv.location) / "pyopencl-cache"
    cache.mkdir(parents=True, exist_ok=True)
    return {"OV_CORPUS_DIR": str(CORPUS), "OV_GPU_ALLOW_CPU_DEVICES": "1",
            "PYOPENCL_CACHE_DIR": str(cache)}


def tests(session: Any) -> None:
    """Install core and ``openvino-gpu[pocl]`` as a user would; run ``openvino-gpu/tests``."""
    session.install(f"{CORE}[onnx]", str(TESTKIT), "pytest")  # testkit: corpus runner
    session.install(f"{GPU}[pocl]")
    session.install("--force-reinstall", "--no-deps", str(GPU))  # this checkout's code
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(GPU / "tests"),
                *session.posargs, env=gpu_env(session))


def memcheck(session: Any) -> None:
    """The op conformance subset on the GPU device under Oclgrind, with its checks of
    out-of-bounds accesses, uninitialised values and data races on; fails on any fault it
    reports."""
    session.install(f"{CORE}[onnx]", str(TESTKIT), "pytest")
    session.install(f"{GPU}[oclgrind]")
    session.install("--force-reinstall", "--no-deps", str(GPU))
    # Oclgrind must be the only OpenCL device: PoCL (from a reused venv) would be GPU.0
    session.run("python", "-m", "pip", "uninstall", "-y", "-q", "pocl-binary-distribution")
    # one buffer per value, so a read or write past a value's end is outside its buffer
    # and Oclgrind's shadow memory follows each value; kernels built without optimisation
    # (OV_GPU_BUILD_OPTIONS, part of pyopencl's cache key): Oclgrind's uninitialised-value
    # checker stops on the optimiser's "freeze" instruction, and its interpreter has no
    # llvm.abs intrinsic (what the optimiser makes of an integer x < 0 ? -x : x)
    env = gpu_env(session) | {"OCLGRIND_DATA_RACES": "1", "OCLGRIND_UNINITIALIZED": "1",
                              "OV_GPU_SEPARATE_BUFFERS": "1",
                              "OV_GPU_BUILD_OPTIONS": "-cl-opt-disable"}
    # the op checks run single-threaded: Oclgrind 19.10's uninitialised-value plugin
    # crashes the process (SIGSEGV in clFinish) when requests run on other threads
    # (start_async, the API checks' queues), with this code as with earlier versions
    args = list(session.posargs) or ["-k", "test_op"]
    log = Path(session.virtualenv.location) / "gpu_memcheck.log"
    cmd = [str(Path(session.bin) / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-q",
           "--pyargs", "openvino_testkit", "--ov-device", "GPU", *args]
    session.log(" ".join(cmd))
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.run(cmd, env={**os.environ, **env}, stdout=out,
                              stderr=subprocess.STDOUT, check=False)
    text = log.read_text(encoding="utf-8", errors="replace")
    sys.stdout.write(text[-4000:])
    faults = MEMCHECK_ERRORS.findall(text)
    if faults:
        session.error(f"Oclgrind reported {len(faults)} fault(s); see {log}")
    if proc.returncode not in (0, 5):
        # results are checked by the conformance runs on PoCL; here a failing check is
        # mostly a kernel the simulator cannot execute (intrinsics it lacks)
        limits = sorted(set(re.findall(r"OCLGRIND FATAL ERROR[^\n]*\n([^\n]+)", text)))
        session.warn(f"some op checks did not pass under Oclgrind (exit {proc.returncode}); "
                     f"simulator limits met: {'; '.join(limits) or 'none'}; see {log}")
    session.log(f"no out-of-bounds access or data race reported; log in {log}")
