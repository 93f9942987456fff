"""Devices use only public names of core: ruff's banned-api (TID251) lists every private
module of ``openvino``, so a new one cannot slip past the rule unlisted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import openvino

tomllib = pytest.importorskip("tomllib")

REPO = Path(__file__).resolve().parents[3]
RUFF_TOML = REPO / "ruff.toml"
PACKAGE = Path(openvino.__file__).parent

pytestmark = pytest.mark.skipif(not RUFF_TOML.is_file(),
                                reason="not run from the repository (no ruff.toml)")


def _private_modules() -> set[str]:
    return {f"openvino.{p.stem if p.suffix == '.py' else p.name}"
            for p in PACKAGE.iterdir()
            if p.name.startswith("_") and not p.name.startswith("__")
            and (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").is_file()))}


def _banned() -> dict:
    config = tomllib.loads(RUFF_TOML.read_text())
    return config["lint"]["flake8-tidy-imports"]["banned-api"]


def test_every_private_module_is_banned_outside_core():
    missing = _private_modules() - set(_banned())
    assert not missing, f"add to ruff.toml [lint.flake8-tidy-imports.banned-api]: {missing}"
    assert "TID251" in tomllib.loads(RUFF_TOML.read_text())["lint"]["select"]


def test_rule_flags_a_device_and_spares_core(tmp_path):
    ruff = pytest.importorskip("ruff")
    del ruff
    # the repository's own configuration, applied to files at the paths they would have
    line = "from openvino._tensor import Tensor\n"
    cases = {"openvino-mydev/src/openvino_mydev/plugin.py": True,
             "openvino-core/src/openvino/template_plugin/plugin.py": True,
             "openvino-core/src/openvino/plugin/reference.py": False,
             "openvino-core/src/openvino/_core.py": False,
             "openvino-core/tests/runtime/test_x.py": False}
    for rel, flagged in cases.items():
        proc = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "TID251",
             "--config", str(RUFF_TOML), "--stdin-filename", str(REPO / rel), "-"],
            input=line, capture_output=True, text=True, cwd=REPO)
        assert (proc.returncode != 0) == flagged, (rel, proc.stdout, proc.stderr)
        if flagged:
            assert "core-private" in proc.stdout
