"""The model layer without the project's shared corpus: the slice shipped in the wheel,
``python -m openvino_testkit.corpus build DIR`` (the real OpenVINO writes the cases), and
the summary line that says which corpus a run used, or that there was none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import openvino as ov
from openvino_testkit import corpus_build
from openvino_testkit.corpus import SLICE, corpus_summary, discover, find_corpus, run_case
from openvino_testkit.corpus_generator import CASES

ROOT = Path(__file__).resolve().parents[2]


def _real_python() -> str | None:
    for candidate in (os.environ.get("OV_REAL_PYTHON"),
                      str(ROOT / ".nox" / "real-openvino" / "bin" / "python")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def test_slice_holds_every_generator_case_written_by_the_real_openvino():
    cases = discover(SLICE)
    assert sorted(c.name for c in cases) == sorted(CASES)
    for case in cases:
        meta = case.meta
        assert meta["set"] == "testkit"
        assert meta["openvino_version"].startswith("2026.4.1-"), meta["openvino_version"]
        assert meta["expected_from"]["device"] == "CPU"
        assert all("tolerance" in o for o in meta["outputs"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_slice_cases_pass_on_template(name):
    core = ov.Core()
    (case,) = [c for c in discover(SLICE) if c.name == name]
    assert run_case(core, "TEMPLATE", case) == []


def test_a_wrong_device_result_fails_a_slice_case(monkeypatch):
    # the check can fail: expected outputs off by more than the tolerance are reported
    core = ov.Core()
    (case,) = [c for c in discover(SLICE) if c.name == "tk_softmax_large_logits"]
    real_load = np.load

    def shifted(path, *args, **kwargs):
        data = real_load(path, *args, **kwargs)
        if Path(path).name != "expected.npz":
            return data
        arrays = {k: data[k] for k in data.files}
        arrays["probs"] = arrays["probs"] + 1e-3
        return _Npz(arrays)

    monkeypatch.setattr(np, "load", shifted)
    problems = run_case(core, "TEMPLATE", case)
    assert problems and "probs" in problems[0]


class _Npz(dict):
    @property
    def files(self):
        return list(self)


def test_find_corpus_falls_back_to_the_slice_only_when_none_was_asked_for(tmp_path,
                                                                           monkeypatch):
    monkeypatch.delenv("OV_CORPUS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert find_corpus(None, tmp_path)[0] == SLICE
    assert "shipped slice (7 model checks per device)" in corpus_summary(None, tmp_path)
    missing = tmp_path / "nothing"
    assert find_corpus(str(missing), tmp_path)[0] is None
    line = corpus_summary(str(missing), tmp_path)
    assert line.startswith("models: NO CORPUS") and str(missing) in line
    assert "python -m openvino_testkit.corpus build DIR" in line
    monkeypatch.setenv("OV_CORPUS_DIR", str(missing))
    assert find_corpus(None, tmp_path)[0] is None
    assert corpus_summary(str(SLICE), tmp_path) == \
        f"models: corpus {SLICE} ({len(CASES)} model checks per device)"


def test_run_summary_names_the_corpus(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "OV_CORPUS_DIR"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--pyargs",
         "openvino_testkit", "--ov-device", "TEMPLATE", "--ov-no-auto", "-k", "model",
         f"--ov-corpus={tmp_path / 'absent'}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "models: NO CORPUS, the model checks did not run" in proc.stdout


def test_generator_refuses_an_openvino_that_is_not_the_real_runtime(tmp_path):
    proc = subprocess.run([sys.executable, str(corpus_build.GENERATOR), str(tmp_path / "c")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "not the real runtime" in proc.stderr
    assert not (tmp_path / "c").exists()


def test_build_with_a_missing_interpreter_is_an_error(tmp_path):
    rc = corpus_build.main(["build", str(tmp_path / "c"), "--real-python",
                            str(tmp_path / "no-python")])
    assert rc == 2


@pytest.mark.skipif(_real_python() is None,
                    reason="no Python with the real openvino (set OV_REAL_PYTHON)")
def test_build_writes_the_slice_again(tmp_path):
    out = tmp_path / "corpus"
    proc = subprocess.run(
        [sys.executable, "-m", "openvino_testkit.corpus", "build", str(out),
         "--real-python", _real_python(), "--only", "tk_add_mul_f32", "tk_stateful_accumulate"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"2 model checks; run them with --ov-corpus={out.resolve()}" in proc.stdout
    for name in ("tk_add_mul_f32", "tk_stateful_accumulate"):
        for npz in ("inputs.npz", "expected.npz"):
            new, old = np.load(out / name / npz), np.load(SLICE / name / npz)
            assert sorted(new.files) == sorted(old.files)
            for key in new.files:
                np.testing.assert_array_equal(new[key], old[key])
        new_meta = json.loads((out / name / "case.json").read_text())
        old_meta = json.loads((SLICE / name / "case.json").read_text())
        assert new_meta["outputs"] == old_meta["outputs"]
