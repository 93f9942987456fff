"""Bodies of the RAY device's nox sessions; the root ``noxfile.py`` wires them in::

    nox -s ray_tests               # openvino-ray/tests on a two-node Ray cluster started
                                   # by the tests (ray.cluster_utils.Cluster, shut down
                                   # by them: never ``ray stop``)
    nox -s ray_tests -- -k faults  # arguments after -- go to pytest

The RAY conformance run is part of ``nox -s conformance`` (every device distribution of
the repository is installed there): with no cluster given, the device starts a local Ray
as ``ray.init()`` does.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["tests", "ray_env"]

RAY = Path(__file__).resolve().parent
ROOT = RAY.parent
CORE = ROOT / "openvino-core"
CPU = ROOT / "openvino-cpu"
TESTKIT = ROOT / "openvino-testkit"
CORPUS = Path(os.environ.get("OV_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))


def ray_env() -> dict[str, str]:
    """No usage reports, no dashboard downloads: a test cluster stays on this machine."""
    return {"OV_CORPUS_DIR": str(CORPUS), "RAY_USAGE_STATS_ENABLED": "0"}


def tests(session: Any) -> None:
    """Install core, the CPU device (what the workers compile on), the testkit (corpus
    runner) and ``openvino-ray[test]`` as a user would; run ``openvino-ray/tests``."""
    session.install(f"{CORE}[onnx]", str(TESTKIT), "pytest", "pytest-timeout", "cffi>=1.16")
    session.install(str(CPU))
    session.install(f"{RAY}[test]")
    session.install("--force-reinstall", "--no-deps", str(RAY))  # this checkout's code
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=600",
                str(RAY / "tests"), *session.posargs, env=ray_env())
