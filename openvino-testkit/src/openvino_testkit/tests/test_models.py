"""Model conformance: every case of the model corpus, read from its IR (and from its ONNX
source where the case has one and this openvino reads ONNX), run with the case's inputs
and compared with the outputs the real OpenVINO gave, within the case's tolerances
(``tolerance_low_precision`` when the compiled model computes in f16/bf16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openvino_testkit.corpus import (
    CorpusCase,
    discover,
    find_corpus,
    onnx_reader_missing,
    run_case,
)
from openvino_testkit.device_support import require_support

OV_CHECK_KIND = "model"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "corpus_case" not in metafunc.fixturenames:
        return
    config = metafunc.config
    corpus, looked = find_corpus(config.getoption("ov_corpus"), Path(str(config.rootpath)))
    cases: list[Any] = discover(corpus) if corpus is not None else []
    if not cases:
        where = ", ".join(str(p) for p in looked)
        metafunc.parametrize("corpus_case", [pytest.param(None, marks=pytest.mark.skip(
            reason=f"no model corpus (looked in: {where}); give one with --ov-corpus=DIR "
                   "(python -m openvino_testkit.corpus build DIR writes one)"))],
            ids=["no-corpus"])
        return
    metafunc.parametrize("corpus_case", cases, ids=[str(c) for c in cases])


def test_model(ov_core: Any, ov_device: str, corpus_case: CorpusCase) -> None:
    if corpus_case.source == "onnx":
        missing = onnx_reader_missing()
        if missing:
            pytest.skip(f"ONNX source not checked: {missing}")
    require_support(ov_core, corpus_case.read(ov_core), ov_device)
    problems = run_case(ov_core, ov_device, corpus_case)
    if problems:
        pytest.fail(f"{corpus_case.check_name} on {ov_device}:\n  " + "\n  ".join(problems),
                    pytrace=False)

