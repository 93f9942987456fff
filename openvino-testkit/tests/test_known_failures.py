"""Parsing and matching ``--ov-xfails`` files."""

from __future__ import annotations

from pathlib import Path

import pytest

from openvino_testkit.known_failures import KnownFailures


def test_patterns_reasons_and_unused(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("# header comment\n\nMYDEV::op::Exp-opset1/f16   # one ulp off\n"
                 "*::model::onnx/*\nMYDEV::api::never\n")
    known = KnownFailures.load(f)
    hit = known.match("MYDEV::op::Exp-opset1/f16")
    assert hit is not None and hit.reason == "one ulp off" and hit.line == 3
    assert known.match("AUTO:MYDEV::model::onnx/squeeze").reason == "known failure"
    assert known.match("MYDEV::op::Exp-opset1/f32") is None
    assert [e.pattern for e in known.unused()] == ["MYDEV::api::never"]


def test_missing_file_and_bad_line(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        KnownFailures.load(tmp_path / "absent.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("MYDEV::op::Exp MYDEV::op::Log\n")
    with pytest.raises(ValueError, match="bad.txt:1"):
        KnownFailures.load(bad)
