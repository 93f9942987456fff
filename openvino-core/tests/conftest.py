"""Shared test options: where the corpus of real-OpenVINO IR models lives.

``--corpus DIR`` or the environment variable ``OV_CORPUS_DIR`` point at it; the default is
``../shared/corpus`` next to the repository root. Tests that need it skip, saying so, when
the folder is absent.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"

# Test modules are imported with --import-mode=importlib, so helpers next to them are not
# importable by default; the IR tests and the interop scripts share ``corpus_runner``.
# ``node_eval`` is shared by the op tests.
for _helpers in ("ir", "ops"):
    _path = str(Path(__file__).resolve().parent / _helpers)
    if _path not in sys.path:
        sys.path.append(_path)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests parametrized over devices run on CPU only where openvino-cpu is installed (the
    ``tests`` session installs the core alone; openvino-cpu's own tests cover it there)."""
    import importlib.util

    if importlib.util.find_spec("openvino_cpu") is not None:
        return
    skip = pytest.mark.skip(reason="the CPU device (openvino-cpu) is not installed")
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("device") == "CPU":
            item.add_marker(skip)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--corpus", default=None,
                     help="folder of the reference IR corpus (default: $OV_CORPUS_DIR, else "
                          f"{DEFAULT_CORPUS})")


def corpus_path(config: pytest.Config) -> Path:
    """The corpus folder named by ``--corpus``, ``OV_CORPUS_DIR`` or the default."""
    given = config.getoption("--corpus") or os.environ.get("OV_CORPUS_DIR")
    return Path(given) if given else DEFAULT_CORPUS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests taking ``corpus_case_name`` run once per case folder of the corpus (one skipped
    test when the corpus is absent)."""
    if "corpus_case_name" not in metafunc.fixturenames:
        return
    folder = corpus_path(metafunc.config)
    names = sorted(p.name for p in folder.iterdir() if (p / "case.json").is_file()) \
        if folder.is_dir() else []
    metafunc.parametrize("corpus_case_name", names or [pytest.param("-", marks=pytest.mark.skip(
        reason=f"IR corpus folder {folder} not found (set OV_CORPUS_DIR or pass --corpus)"))])


@pytest.fixture(scope="session")
def corpus_dir(pytestconfig: pytest.Config) -> Path:
    """The corpus folder; skips the test when it does not exist."""
    path = corpus_path(pytestconfig)
    if not path.is_dir():
        pytest.skip(f"IR corpus folder {path} not found (set OV_CORPUS_DIR or pass --corpus)")
    return path
