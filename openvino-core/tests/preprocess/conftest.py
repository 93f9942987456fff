"""Pre-processing tests: the numpy references next to them (``references.py``) are
importable, and ``infer`` runs a model on TEMPLATE."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import openvino as ov

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)


@pytest.fixture(scope="session")
def infer():
    """``infer(model, *arrays)`` -> the outputs of ``model`` on TEMPLATE, as a list."""
    core = ov.Core()

    def run(model, *arrays):
        result = core.compile_model(model, "TEMPLATE")(list(arrays))
        return [result[i] for i in range(len(model.outputs))]

    return run
