"""Every corpus case (IR written by the real OpenVINO 2026.4.1) reads and evaluates through
the reference semantics to its expected outputs; reading, saving and reading again keeps
the outputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from corpus_runner import Case, check_case, run_model

import openvino as ov
from openvino._ir import read_ir
from openvino._ir.fp16_compression import compress_model_to_fp16


@pytest.fixture
def case(corpus_dir: Path, corpus_case_name: str) -> Case:
    return Case(corpus_dir / corpus_case_name)


def test_corpus_case_matches_expected(case: Case) -> None:
    model = read_ir(case.folder / "model.xml")
    problems = check_case(case, model)
    assert not problems, f"{case.name}: " + "; ".join(problems)


def _runs(case: Case) -> list[list[np.ndarray]]:
    return [case.run_inputs(k) for k in range(case.runs)]


def _assert_same(a: list, b: list, exact: bool) -> None:
    for run_a, run_b in zip(a, b, strict=True):
        for x, y in zip(run_a, run_b, strict=True):
            assert x.shape == y.shape and x.dtype == y.dtype
            if exact or x.dtype.kind not in "fc":
                assert np.array_equal(x, y, equal_nan=x.dtype.kind in "fc")
            else:
                scale = max(1.0, float(np.max(np.abs(y))) if y.size else 1.0)
                assert np.allclose(x, y, rtol=2e-2, atol=2e-2 * scale)


@pytest.mark.parametrize("compress", [False, True], ids=["f32", "fp16"])
def test_corpus_round_trip(case: Case, compress: bool, tmp_path: Path) -> None:
    model = read_ir(case.folder / "model.xml")
    before, state_before = run_model(model, _runs(case))
    ov.save_model(model, tmp_path / "m.xml", compress_to_fp16=compress)
    again = read_ir(tmp_path / "m.xml")
    assert [o.get_names() for o in again.inputs] == [o.get_names() for o in model.inputs]
    assert [o.get_names() for o in again.outputs] == [o.get_names() for o in model.outputs]
    after, state_after = run_model(again, _runs(case))
    if not compress:
        _assert_same(after, before, exact=True)
    else:
        reference = model.clone()
        compress_model_to_fp16(reference)
        compressed, _ = run_model(reference, _runs(case))
        _assert_same(after, compressed, exact=True)
        _assert_same(after, before, exact=False)
    assert state_after.keys() == state_before.keys()
