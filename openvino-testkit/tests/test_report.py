"""The report: per-device counts, per-op outcomes, the table and the JSON file."""

from __future__ import annotations

import json
from pathlib import Path

from openvino_testkit.report import CheckResult, Report


def _report() -> Report:
    r = Report()
    for name, outcome in [("Add-opset1/f32", "passed"), ("Add-opset1/i32", "failed"),
                          ("Abs-opset1/f32", "passed"), ("Abs-opset1/f16", "unsupported"),
                          ("Exp-opset1/f32", "unsupported"), ("Tan-opset1/f16", "known_failure"),
                          ("Foo-opset3/-", "skipped")]:
        r.add(CheckResult("DEV", "op", name, outcome))
    r.add(CheckResult("DEV", "api", "infer.forms[list]", "passed"))
    r.add(CheckResult("DEV", "api", "export.round_trip", "skipped"))
    r.add(CheckResult("DEV", "api", "props.x", "fixed"))
    r.add(CheckResult("DEV", "model", "corpus/a", "failed", "3 elements differ"))
    r.add(CheckResult("AUTO:DEV", "api", "infer.forms[list]", "passed"))
    return r


def test_op_level_outcomes() -> None:
    ops = _report().summary("DEV")["ops"]
    assert ops["by_op"]["Add-opset1"]["outcome"] == "failed"
    assert ops["by_op"]["Abs-opset1"]["outcome"] == "passed"
    assert ops["by_op"]["Exp-opset1"]["outcome"] == "unsupported"
    assert ops["by_op"]["Tan-opset1"]["outcome"] == "known_failure"
    assert ops["by_op"]["Foo-opset3"]["outcome"] == "skipped"
    assert (ops["supported"], ops["passed"], ops["failed"], ops["known_failure"],
            ops["unsupported"], ops["skipped"]) == (3, 1, 1, 1, 1, 1)
    assert ops["type_pairs"]["unsupported"] == 2


def test_api_and_model_counts() -> None:
    s = _report().summary("DEV")
    assert s["api"]["passed"] == 1 and s["api"]["fixed"] == 1 and s["api"]["skipped"] == 1
    assert s["models"]["failed"] == 1
    assert s["failures"] == ["DEV::model::corpus/a", "DEV::op::Add-opset1/i32"]
    assert s["known_failures"] == ["DEV::op::Tan-opset1/f16"]
    assert s["fixed"] == ["DEV::api::props.x"]


def test_table_has_a_row_per_device() -> None:
    lines = _report().table()
    assert lines[0].startswith("device")
    rows = [line.split("|")[0].strip() for line in lines[2:]]
    assert rows == ["DEV", "AUTO:DEV"]
    auto = lines[3]
    assert "-" in auto.split("|")[2], "a target without op checks shows '-' for ops"


def test_json(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "r.json"
    _report().write_json(path, {"testkit_version": "x"})
    data = json.loads(path.read_text())
    assert data["testkit_version"] == "x"
    assert set(data["devices"]) == {"DEV", "AUTO:DEV"}
    ids = {c["id"] for c in data["checks"]}
    assert "DEV::model::corpus/a" in ids and len(ids) == len(data["checks"])


def test_later_result_wins() -> None:
    r = Report()
    r.add(CheckResult("D", "api", "x", "passed"))
    r.add(CheckResult("D", "api", "x", "failed"))
    assert r.summary("D")["api"]["failed"] == 1 and r.summary("D")["api"]["passed"] == 0
