"""The pre-processing pipelines of ``tests/interop/check_preprocess_real.py`` built by the
real OpenVINO 2026.4.1 and by ours: same models, same reports, same outputs. Runs when
``OV_REAL_PYTHON`` names a Python with the real ``openvino==2026.4.1`` installed."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "interop" / "check_preprocess_real.py"
REAL_PYTHON = os.environ.get("OV_REAL_PYTHON")

pytestmark = pytest.mark.skipif(
    not REAL_PYTHON, reason="set OV_REAL_PYTHON to a Python with the real openvino==2026.4.1")


def _script():
    spec = importlib.util.spec_from_file_location("check_preprocess_real", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pipelines_match_the_real_openvino(tmp_path):
    npz = tmp_path / "preprocess.npz"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([REAL_PYTHON, str(SCRIPT), "export", str(npz)], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    failures = _script().check(npz)
    assert failures == []
