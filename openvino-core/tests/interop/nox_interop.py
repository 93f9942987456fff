"""The ``interop`` session: both directions against the real OpenVINO 2026.4.1.

The real ``openvino`` wheel imports as ``openvino`` too, so it lives in a venv of its own:
``$OV_REAL_PYTHON`` when set, else ``<repo>/.nox/real-openvino`` (created on first use with
``pip install openvino==2026.4.1 nncf numpy``, then reused; ``nncf`` is added to a venv
made before it was needed). The session's own venv gets our ``openvino-core`` and
``openvino-cpu``. Steps, all in one temporary folder:

1. ours:  ``ours.py export``           our save_model -> IR + inputs + our outputs
2. real:  ``check_interop.py check``   real read_model + CPU infer == our outputs
3. real:  ``check_interop.py export``  real save_model -> IR + inputs + real outputs
4. ours:  ``ours.py check``            our reader + reference semantics == real outputs
5. real:  ``check_preprocess_real.py export``  real PrePostProcessor pipelines + CPU outputs
6. ours:  ``check_preprocess_real.py check``   the same pipelines built by ours == real
7. real:  ``check_compressed.py export``  a MiniLM-shaped encoder compressed by NNCF in
   every weight mode (INT8/INT4, asym/sym, group sizes, ratio < 1) + real CPU outputs
8. ours:  ``check_compressed.py check``   the same IRs on our TEMPLATE and CPU: the max
   error per mode and device, within 1e-4

The root noxfile calls ``run(session)``. Without nox:
``python nox_interop.py --real-python /path/to/real/venv/bin/python [--work DIR]`` runs the
same steps with the current interpreter as our side (our ``openvino`` importable).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
CORE = REPO / "openvino-core"
REAL_OPENVINO = "openvino==2026.4.1"
#: NNCF compresses the weights of the compressed-transformer cases (in the real venv only)
NNCF = "nncf==3.4.0"


def _corpus() -> str:
    return os.environ.get("OV_CORPUS_DIR", str(REPO.parent / "shared" / "corpus"))


def steps(our_python: str, real_python: str, work: Path) -> list[list[str]]:
    """The commands of the check, in order."""
    corpus = ["--corpus", _corpus()]
    return [
        [our_python, str(HERE / "ours.py"), "export", str(work), *corpus],
        [real_python, str(HERE / "check_interop.py"), "check", str(work)],
        [real_python, str(HERE / "check_interop.py"), "export", str(work), *corpus],
        [our_python, str(HERE / "ours.py"), "check", str(work)],
        [real_python, str(HERE / "check_preprocess_real.py"), "export",
         str(work / "preprocess.npz")],
        [our_python, str(HERE / "check_preprocess_real.py"), "check",
         str(work / "preprocess.npz")],
        [real_python, str(HERE / "check_compressed.py"), "export", str(work / "compressed")],
        [our_python, str(HERE / "check_compressed.py"), "check", str(work / "compressed")],
    ]


def real_python_for(session: Any) -> str:
    """A Python with the real OpenVINO, from ``$OV_REAL_PYTHON`` or a venv made once."""
    given = os.environ.get("OV_REAL_PYTHON")
    if given:
        return given
    venv = REPO / ".nox" / "real-openvino"
    python = venv / "bin" / "python"
    if not python.exists():
        session.run(sys.executable, "-m", "venv", str(venv), external=True)
        session.run(str(python), "-m", "pip", "install", "--quiet", REAL_OPENVINO, NNCF,
                    "numpy", external=True)
    elif subprocess.run([str(python), "-c", "import nncf"], capture_output=True,
                        check=False).returncode != 0:
        session.run(str(python), "-m", "pip", "install", "--quiet", REAL_OPENVINO, NNCF,
                    external=True)
    return str(python)


def run(session: Any) -> None:
    """Body of ``nox -s interop``."""
    session.install(str(CORE))
    session.install("cffi>=1.16")
    session.install("--no-deps", str(REPO / "openvino-cpu"))
    real = real_python_for(session)
    work = Path(session.create_tmp()) / "interop"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for cmd in steps("python", real, work):
        ours = cmd[0] == "python"
        env = {"OV_CORPUS_DIR": _corpus()} if ours else {"OV_CORPUS_DIR": _corpus(),
                                                          "PYTHONPATH": ""}
        session.run(*cmd, env=env, external=not ours)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="interop check without nox")
    parser.add_argument("--real-python", default=os.environ.get("OV_REAL_PYTHON"),
                        required="OV_REAL_PYTHON" not in os.environ,
                        help="python of a venv with the real openvino==2026.4.1")
    parser.add_argument("--work", type=Path, default=None, help="folder for the exchange")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="ov-interop-"))
    failed = 0
    real_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for cmd in steps(sys.executable, args.real_python, work):
        env = None if cmd[0] == sys.executable else real_env
        failed |= subprocess.run(cmd, check=False, env=env).returncode != 0
    print(f"interop files in {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
