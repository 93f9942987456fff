"""``python -m openvino_testkit.corpus build DIR``: a model corpus for the model checks,
written by the real OpenVINO, for anyone without the project's shared corpus.

The real ``openvino`` wheel imports as ``openvino`` too, so it runs in a virtual
environment of its own: ``--real-python PY`` (or ``$OV_REAL_PYTHON``) names a Python that
has it; otherwise one is made once under ``$XDG_CACHE_HOME/openvino-testkit/`` (else
``~/.cache/openvino-testkit/``) with ``pip install openvino==<version> numpy`` and reused.
That Python runs ``corpus_generator.py`` (shipped in this package), which builds each
model with the opset API, saves it with ``save_model`` and computes the expected outputs
on the real CPU plugin, checked against a numpy float64 reference. Then::

    pytest --pyargs openvino_testkit --ov-device MYDEV --ov-corpus=DIR
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from . import __version__

__all__ = ["build", "main", "real_python", "GENERATOR"]

GENERATOR = Path(__file__).resolve().parent / "corpus_generator.py"
#: the real OpenVINO release the corpus is written with (the testkit's own version)
OPENVINO_VERSION = __version__


def _cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "openvino-testkit"


def real_python(given: str | None = None, version: str = OPENVINO_VERSION,
                log=print) -> str:
    """A Python whose ``openvino`` is the real runtime: ``given``, ``$OV_REAL_PYTHON``, or
    a venv made once in the user's cache (``pip install openvino==version numpy``)."""
    given = given or os.environ.get("OV_REAL_PYTHON")
    if given:
        if not Path(given).exists():
            raise FileNotFoundError(f"--real-python: no such interpreter: {given}")
        return given
    venv = _cache() / f"openvino-{version}"
    python = venv / "bin" / "python"
    if not python.exists():
        log(f"making {venv} with openvino=={version} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                        f"openvino=={version}", "numpy"], check=True)
    return str(python)


def build(folder: Path, python: str, only: list[str] | None = None) -> int:
    """Run the generator with ``python`` into ``folder``; its exit status."""
    cmd = [python, str(GENERATOR), str(folder)]
    if only:
        cmd += ["--only", *only]
    # the real runtime must not see the package under test through PYTHONPATH
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(cmd, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m openvino_testkit.corpus",
                                     description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write the testkit's corpus with the real OpenVINO")
    b.add_argument("dir", type=Path, help="corpus folder to write (created if missing)")
    b.add_argument("--real-python", default=None,
                   help="a Python with the real openvino (default: $OV_REAL_PYTHON, else a "
                        "venv made once in the user's cache)")
    b.add_argument("--openvino-version", default=OPENVINO_VERSION,
                   help=f"real openvino release for that venv (default {OPENVINO_VERSION})")
    b.add_argument("--only", nargs="*", default=None, metavar="CASE",
                   help="write only these cases")
    args = parser.parse_args(argv)
    try:
        python = real_python(args.real_python, args.openvino_version)
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        print(f"openvino_testkit.corpus: no real openvino: {exc}", file=sys.stderr)
        return 2
    status = build(args.dir, python, args.only)
    if status:
        return status
    from .corpus import discover

    cases = discover(args.dir)
    print(f"{args.dir}: {len(cases)} model checks; run them with "
          f"--ov-corpus={args.dir.resolve()}")
    return 0 if cases else 1
