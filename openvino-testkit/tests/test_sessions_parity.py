"""tox.ini and noxfile.py offer the same sessions, and every tox environment runs the nox
session of its name (through tox_session.py), so the two cannot drift."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not (ROOT / "noxfile.py").is_file(),
                                reason="not run from the repository")


def _nox_sessions_from_source() -> tuple[list[str], list[str]]:
    """(every session, the default ones) as noxfile.py declares them."""
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    names, defaults = [], []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
                "session" in ast.unparse(d) for d in node.decorator_list):
            names.append(node.name)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == \
                "nox.options.sessions":
            defaults = list(ast.literal_eval(node.value))
    return names, defaults


def _tox_ini() -> configparser.ConfigParser:
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "tox.ini")
    return config


def _tox_envs(config: configparser.ConfigParser) -> tuple[list[str], list[str]]:
    envs = [s.split(":", 1)[1] for s in config.sections() if s.startswith("testenv:")]
    defaults = [e.strip() for e in config["tox"]["envlist"].split(",") if e.strip()]
    return envs, defaults


def test_tox_ini_lists_every_nox_session():
    nox_all, nox_default = _nox_sessions_from_source()
    tox_all, tox_default = _tox_envs(_tox_ini())
    assert sorted(tox_all) == sorted(nox_all)
    assert tox_default == nox_default


def test_every_tox_environment_runs_its_nox_session():
    config = _tox_ini()
    command = config["testenv"]["commands"].strip()
    assert command == "python {toxinidir}/tox_session.py {envname} {posargs}"
    for section in config.sections():
        if section.startswith("testenv:"):
            assert "commands" not in config[section] or \
                config[section]["commands"].strip() == command, section


def _lines(cmd: list[str]) -> str:
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, (cmd, proc.stdout, proc.stderr)
    return proc.stdout


@pytest.mark.skipif(importlib.util.find_spec("tox") is None
                    or importlib.util.find_spec("nox") is None,
                    reason="tox and nox are not installed (the testkit_tests session has both)")
def test_tox_l_matches_nox_l():
    nox_out = _lines([sys.executable, "-m", "nox", "-l"])
    selected = [ln[2:].split(" -> ")[0] for ln in nox_out.splitlines() if ln.startswith("* ")]
    skipped = [ln[2:].split(" -> ")[0] for ln in nox_out.splitlines() if ln.startswith("- ")]
    assert selected, nox_out
    tox_default = _lines([sys.executable, "-m", "tox", "-l"]).split()
    tox_all = _lines([sys.executable, "-m", "tox", "-a"]).split()
    assert sorted(tox_default) == sorted(selected)
    assert sorted(tox_all) == sorted(selected + skipped)
    # the script tox runs lists the same sessions as nox itself
    listed = _lines([sys.executable, str(ROOT / "tox_session.py"), "--list"]).split()
    assert sorted(listed) == sorted(selected + skipped)
