"""What a new plugin author does, from the docs alone: the device of plugin-authors.md
(section "A whole device on one page", the code blocks marked ``<!-- docs-device: PATH -->``)
written to a temporary folder, pip-installed into a fresh virtual environment together with
openvino-core and openvino-testkit (copies of their sources: the install must leave no
``build/`` or ``*.egg-info`` behind), and the conformance suite run on it: it must be green.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "openvino-core" / "docs" / "plugin-authors.md"
MARKER = re.compile(r"<!-- docs-device: (?P<path>[\w./-]+) -->\n```\w*\n(?P<body>.*?)\n```",
                    re.S)

pytestmark = pytest.mark.skipif(not DOCS.is_file(), reason="not run from the repository")


def docs_device_files(text: str) -> dict[str, str]:
    """``{relative path: content}`` of the marked code blocks of ``text``."""
    files = {m["path"]: m["body"] + "\n" for m in MARKER.finditer(text)}
    for path in files:
        if path.startswith("/") or ".." in Path(path).parts:
            raise ValueError(f"docs-device path must stay inside the device folder: {path}")
    return files


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "OV_CORPUS_DIR")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900,
                          **kwargs)


def _source_copy(src: Path, dst: Path) -> Path:
    """The distribution's sources without build products (nor its own top-level tests)."""
    products = shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "*.so",
                                      ".pytest_cache")

    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = set(products(folder, names))
        return skip | {"tests"} if Path(folder) == src else skip

    shutil.copytree(src, dst, ignore=ignore)
    return dst


def test_docs_name_the_device_files():
    files = docs_device_files(DOCS.read_text())
    assert set(files) == {"pyproject.toml", "openvino_mydev/__init__.py"}
    assert 'mydev = "openvino_mydev"' in files["pyproject.toml"]
    compile(files["openvino_mydev/__init__.py"], "openvino_mydev/__init__.py", "exec")


def test_the_docs_device_passes_the_suite(tmp_path):
    device = tmp_path / "openvino-mydev"
    for rel, body in docs_device_files(DOCS.read_text()).items():
        (device / rel).parent.mkdir(parents=True, exist_ok=True)
        (device / rel).write_text(body)
    core = _source_copy(ROOT / "openvino-core", tmp_path / "openvino-core")
    testkit = _source_copy(ROOT / "openvino-testkit", tmp_path / "openvino-testkit")

    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)])
    assert made.returncode == 0, made.stderr
    python = str(venv / "bin" / "python")
    install = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    deps = ["numpy>=1.24", "pluggy>=1.3", "defusedxml>=0.7", "pytest>=7.4", "pytest-xdist"]
    if _run([python, "-c", "import numpy, pluggy, defusedxml, pytest, xdist"]).returncode:
        result = _run(install + deps)
        if result.returncode != 0:
            pytest.skip(f"cannot install the dependencies: {result.stderr[-500:]}")
    result = _run(install + ["--no-deps", str(core), str(testkit), str(device)])
    assert result.returncode == 0, result.stderr[-3000:]
    for tree in (core, testkit):  # ours; the author's device folder is theirs
        left = [str(p.relative_to(tmp_path)) for p in tree.rglob("*")
                if p.name == "build" or p.name.endswith(".egg-info")]
        assert not left, f"pip install left work folders in the source tree: {left}"

    report = tmp_path / "report.json"
    ran = _run([python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "2",
                "--pyargs", "openvino_testkit", "--ov-device", "MYDEV",
                f"--ov-report={report}"], cwd=tmp_path)
    tail = (ran.stdout + ran.stderr)[-4000:]
    assert ran.returncode == 0, tail
    assert re.search(r"^MYDEV\s+\|", ran.stdout, re.M), tail
    assert "models: the testkit's shipped slice" in ran.stdout, tail
