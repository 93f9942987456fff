"""Every corpus case through the public API on TEMPLATE (stateful ones through
``query_state``, multi-run ones with every run)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

import openvino as ov

CORPUS = Path(os.environ.get("OV_CORPUS_DIR")
              or Path(__file__).resolve().parents[3].parent / "shared" / "corpus")
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.json").exists()) \
    if CORPUS.is_dir() else [pytest.param("none", marks=pytest.mark.skip(
        reason=f"IR corpus folder {CORPUS} not found (set OV_CORPUS_DIR)"))]


def _feed(value: np.ndarray) -> np.ndarray:
    if value.dtype.kind == "U":
        return np.vectorize(lambda s: s.encode("utf-8"), otypes=[object])(value)
    return value


def _check(got: np.ndarray, expected: np.ndarray, output: dict) -> None:
    tol = output["tolerance"]
    assert got.shape == expected.shape, output["name"]
    if output.get("ill_conditioned"):
        assert np.isfinite(got).all()
        np.testing.assert_allclose(got.sum(), expected.sum(), rtol=1e-3)
    elif tol.get("exact"):
        assert (got == expected).all(), output["name"]
    else:
        assert np.all(np.abs(got.astype(np.float64) - expected)
                      <= tol["atol"] + tol["rtol"] * np.abs(expected)), output["name"]


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(corpus_dir, case):
    folder = corpus_dir / case
    meta = json.loads((folder / "case.json").read_text())
    inputs = np.load(folder / "inputs.npz")
    expected = np.load(folder / "expected.npz")
    core = ov.Core()
    model = core.read_model(folder / "model.xml")
    compiled = core.compile_model(model, "TEMPLATE")
    request = compiled.create_infer_request()
    if meta.get("stateful"):
        request.reset_state()
    for k in range(meta.get("runs", 1)):
        prefix = "" if k == 0 else f"run{k}:"
        feed = {i["name"]: _feed(inputs[prefix + i["name"]]) for i in meta["inputs"]}
        results = request.infer(feed)
        for output in meta["outputs"]:
            _check(results[output["name"]], expected[prefix + output["name"]], output)
    for key in expected.files:
        if key.startswith("state:"):
            states = {s.name: s for s in request.query_state()}
            np.testing.assert_allclose(states[key[len("state:"):]].state.data, expected[key],
                                       rtol=1e-5, atol=1e-6)
