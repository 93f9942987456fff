"""Every session a developer, CI or a plugin author runs.

    nox                      # what CI runs: tests, lint, onnx_suite, conformance,
                             # testkit_tests, cpu_tests, gpu_tests, ray_tests, interop
    nox -s tests             # unit tests of every distribution
    nox -s lint              # ruff
    nox -s conformance       # openvino-testkit on every device of ours (-- --device X)
    nox -s testkit_tests     # the testkit's own tests and self-test
    nox -s cpu_tests         # openvino-cpu's tests
    nox -s sanitize          # CPU kernels under ASan/UBSan
    nox -s gpu_tests         # openvino-gpu's tests on PoCL (OpenCL on the CPU)
    nox -s gpu_memcheck      # GPU op conformance under Oclgrind (bounds, init, races)
    nox -s ray_tests         # openvino-ray's tests on a two-node local Ray cluster
    nox -s interop           # against the real OpenVINO 2026.4.1 in its own venv
    nox -s onnx_suite        # ONNX backend node tests through our ONNX reader
    nox -s bench             # benchmarks, with the peers in the same run
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

ROOT = Path(__file__).parent
CORE = ROOT / "openvino-core"
CORPUS = Path(os.environ.get("OV_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))

nox.options.sessions = [
    "tests", "lint", "onnx_suite", "conformance", "testkit_tests", "cpu_tests", "gpu_tests",
    "ray_tests", "interop", "sanitize",
]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"

PYTHON = "3.11" if os.environ.get("CI") else None


def _env() -> dict[str, str]:
    return {"OV_CORPUS_DIR": str(CORPUS)}


def _load(path: Path, name: str):
    """Import a session helper module that lives beside the code it drives."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gpu():
    return _load(ROOT / "openvino-gpu" / "nox_sessions.py", "gpu_sessions")


def _interop():
    return _load(CORE / "tests" / "interop" / "nox_interop.py", "nox_interop")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Unit tests of openvino-core (installed as a user would, not from the source tree)."""
    session.install(f"{CORE}[onnx]", "pytest", "pytest-timeout")
    env = _env()
    if os.environ.get("CI"):  # CI has gcc: the IR scanner must have been built
        env["OV_REQUIRE_IR_SCANNER"] = "1"
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                "--timeout=600", str(CORE / "tests"), *session.posargs, env=env)


@nox.session(python=PYTHON)
def conformance(session: nox.Session) -> None:
    """The openvino-testkit suite on every device of ours (``-- --device X`` for one)."""
    _load(ROOT / "openvino-testkit" / "nox_sessions.py", "testkit_sessions").conformance(session)


@nox.session(python=PYTHON)
def testkit_tests(session: nox.Session) -> None:
    """The testkit's own tests, including its self-test against a deliberately broken
    device."""
    _load(ROOT / "openvino-testkit" / "nox_sessions.py", "testkit_sessions").tests(session)


@nox.session(python=PYTHON)
def cpu_tests(session: nox.Session) -> None:
    """openvino-cpu's own tests (kernels built by pip with gcc, as a user installs them)."""
    _load(ROOT / "openvino-cpu" / "nox_sessions.py", "cpu_sessions").tests(session)


@nox.session(python=PYTHON)
def gpu_tests(session: nox.Session) -> None:
    """openvino-gpu's own tests on PoCL (its [pocl] extra, OV_GPU_ALLOW_CPU_DEVICES=1)."""
    _gpu().tests(session)


@nox.session(python=PYTHON)
def gpu_memcheck(session: nox.Session) -> None:
    """GPU op conformance under Oclgrind: no out-of-bounds access, uninitialised read or
    data race."""
    _gpu().memcheck(session)


@nox.session(python=PYTHON)
def ray_tests(session: nox.Session) -> None:
    """openvino-ray's tests on a two-node Ray cluster the tests start and shut down."""
    _load(ROOT / "openvino-ray" / "nox_sessions.py", "ray_sessions").tests(session)


@nox.session(python=PYTHON)
def sanitize(session: nox.Session) -> None:
    """CPU kernels built with -fsanitize=address,undefined; CPU tests and conformance."""
    _load(ROOT / "openvino-cpu" / "nox_sessions.py", "cpu_sessions").sanitize(session)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Static checks with ruff."""
    session.install("ruff")
    session.run("ruff", "check", str(ROOT))


@nox.session(python=PYTHON)
def interop(session: nox.Session) -> None:
    """Both directions against the real OpenVINO 2026.4.1 (installed in its own venv, with
    NNCF for the weight-compressed transformer cases, run on our TEMPLATE and CPU)."""
    _interop().run(session)


#: backend node cases each device must pass (onnxruntime passes 1693-1717 of the 1848)
ONNX_SUITE_MIN_PASS = {"TEMPLATE": 1757, "CPU": 1757}


@nox.session(python=PYTHON)
def onnx_suite(session: nox.Session) -> None:
    """The onnx package's backend node tests through read_onnx on TEMPLATE and CPU
    (``-- --device X ...`` runs the suite once with those arguments)."""
    session.install(f"{CORE}[onnx]", str(ROOT / "openvino-cpu"))
    script = str(CORE / "tests" / "onnx" / "run_backend_suite.py")
    if session.posargs:
        session.run("python", script, *session.posargs, env=_env())
        return
    for device, min_pass in ONNX_SUITE_MIN_PASS.items():
        session.run("python", script, "--device", device, "--min-pass", str(min_pass),
                    "--quiet", env=_env())


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks with their peers (onnxruntime, the real OpenVINO) in the same run."""
    session.install(f"{CORE}[onnx]", "onnxruntime")
    session.install(str(ROOT / "openvino-cpu"), f"{ROOT / 'openvino-gpu'}[pocl]",
                    str(ROOT / "openvino-ray"))
    env = _env() | {"OV_REAL_PYTHON": _interop().real_python_for(session)} | _gpu().gpu_env(
        session)
    scripts = sorted((ROOT / "bench").glob("bench_*.py")) + sorted(
        (ROOT / "openvino-core" / "bench").glob("bench_*.py"))
    for script in scripts:
        session.run("python", str(script), *session.posargs, env=env)
