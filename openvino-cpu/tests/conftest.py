"""Shared fixtures of the CPU device tests: a Core, running a model on CPU next to the
TEMPLATE reference device, and the corpus of real-OpenVINO IR models.

The corpus is found through ``OV_CORPUS_DIR`` (default ``../shared/corpus`` beside the
repository); tests that need it skip, saying so, when it is absent.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import openvino as ov

# test modules are imported with --import-mode=importlib: make helpers.py importable
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)

from helpers import Runner, forced_isa  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"


def corpus_folder() -> Path:
    given = os.environ.get("OV_CORPUS_DIR")
    return Path(given) if given else DEFAULT_CORPUS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests taking ``corpus_case`` run once per case folder (one skipped test when the
    corpus is absent)."""
    if "corpus_case" not in metafunc.fixturenames:
        return
    folder = corpus_folder()
    names = sorted(p.name for p in folder.iterdir() if (p / "case.json").is_file()) \
        if folder.is_dir() else []
    metafunc.parametrize("corpus_case", names or [pytest.param("-", marks=pytest.mark.skip(
        reason=f"IR corpus folder {folder} not found (set OV_CORPUS_DIR)"))])


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = corpus_folder()
    if not path.is_dir():
        pytest.skip(f"IR corpus folder {path} not found (set OV_CORPUS_DIR)")
    return path


@pytest.fixture(scope="session")
def core() -> ov.Core:
    return ov.Core()


@pytest.fixture(scope="session")
def runner(core: ov.Core) -> Runner:
    return Runner(core)


@pytest.fixture(params=[0, 1, 2, 3], ids=["generic", "avx2", "avx512", "nr32-portable"])
def every_isa_level(request: pytest.FixtureRequest):
    """Runs the test on every code path of the kernels: portable, AVX2, AVX-512, and the
    AVX-512 panel geometry with the portable micro-kernels (level 3, for tests)."""
    with forced_isa(request.param) as used:
        yield used


@pytest.fixture(params=[1, 2], ids=["avx2", "avx512"])
def isa_level(request: pytest.FixtureRequest):
    """Runs the test on the AVX2 and on the AVX-512 code paths of the kernels (skipped where
    the CPU lacks the level), then restores the detected level."""
    with forced_isa(request.param) as used:
        yield used
