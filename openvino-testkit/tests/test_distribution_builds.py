"""``pip install ./openvino-<x>`` leaves the source tree as it was: every distribution of
the repository built with setuptools moves setuptools' work folders (``build/``,
``*.egg-info``) to a temporary folder in its setup.py (test_docs_device.py checks it for
real with core and the testkit; this keeps new distributions to the rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTIONS = sorted(p for p in ROOT.glob("openvino-*") if (p / "pyproject.toml").is_file())

pytestmark = pytest.mark.skipif(not DISTRIBUTIONS, reason="not run from the repository")


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=[d.name for d in DISTRIBUTIONS])
def test_setuptools_work_folders_stay_out_of_the_source_tree(dist):
    if "setuptools.build_meta" not in (dist / "pyproject.toml").read_text():
        pytest.skip("not built with setuptools")
    setup = dist / "setup.py"
    assert setup.is_file(), f"{dist.name}: add a setup.py that sets build_base and egg_base"
    text = setup.read_text()
    assert "build_base" in text and "egg_base" in text and "mkdtemp" in text, \
        f"{dist.name}/setup.py must put build/ and *.egg-info in a temporary folder"
