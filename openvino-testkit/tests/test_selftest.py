"""The suite must be able to fail: install the BROKEN device (``broken_device/``, a
test-only distribution found through the ``openvino.plugins`` entry point), run the whole
suite on it and on TEMPLATE in a subprocess, and check the report names exactly BROKEN's
ten defects: a wrong op/type, a mis-reported property, a dropped callback, a property
that keeps its old value, a compiled model that forgets a compile-time property, a Softmax
that overflows at large logits, outputs out of order, dropped outputs, an output of
the wrong element type (those two refused by the core, which names the output) and i64
Add computed through f64 (caught by the cases beyond 2**53).

BROKEN is TEMPLATE plus those defects, so whatever else fails fails on TEMPLATE too; the
check is that BROKEN's failures are TEMPLATE's plus exactly the injected ones.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
BROKEN_DIST = HERE / "broken_device"

#: What BROKEN's defects must be reported as (one per target they show on).
INJECTED = {
    "BROKEN::op::Minimum-opset1/i32",            # 1 wrong numbers for one op and type
    "BROKEN::api::properties.range_for_streams",  # 2 mis-reported property (a device one)
    "BROKEN::api::async.queue_under_load",        # 3 a dropped callback ...
    "AUTO:BROKEN::api::async.queue_under_load",   # ... also when AUTO picks BROKEN
    # 4 set_property keeps the old value (only a different value shows it)
    "BROKEN::api::properties.read_write_properties_take_a_new_value",
    # 5 the compiled model reports the device's value, not the one it was compiled with
    "BROKEN::api::properties.compile_properties_reach_the_compiled_model",
    "BROKEN::op::Softmax-opset8/f32",             # 6 no max subtraction: overflow at 1e4
    "BROKEN::api::outputs.output_order",          # 7 pass-through outputs moved last ...
    "AUTO:BROKEN::api::outputs.output_order",
    "BROKEN::api::outputs.many_outputs",          # 8 outputs past the 8th dropped ...
    "AUTO:BROKEN::api::outputs.many_outputs",
    "BROKEN::api::outputs.pass_through_element_types",  # 9 boolean pass-through as u8 ...
    "AUTO:BROKEN::api::outputs.pass_through_element_types",
    "BROKEN::op::Add-opset1/i64",                 # 10 i64 through f64: wrong past 2**53
}

#: Model checks that also catch defect 6 when the corpus the suite finds has the model (a
#: Softmax over logits far from 0): injected too whenever the run has them.
CORPUS_CATCHES = {  # defect 6 overflows where logits are large (squeezenet's reach ~1e9)
    f"{device}::model::{case}"
    for device in ("BROKEN", "AUTO:BROKEN")
    for case in ("corpus/tk_softmax_large_logits", "corpus/onnx_squeezenet_light",
                 "onnx/onnx_squeezenet_light")
}


def _injected(report: dict[str, Any]) -> set[str]:
    """``INJECTED`` and the ``CORPUS_CATCHES`` that ran."""
    ran = {check["id"] for check in report["checks"]}
    return INJECTED | (CORPUS_CATCHES & ran)


@pytest.fixture(scope="session")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip install --target`` of the BROKEN distribution (no dependencies: it runs
    against the openvino-core of this environment)."""
    target = tmp_path_factory.mktemp("broken_site")
    source = tmp_path_factory.mktemp("broken_src") / "broken_device"
    shutil.copytree(BROKEN_DIST, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    done = subprocess.run(  # built from a copy: the build writes next to its sources
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--disable-pip-version-check", "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"pip could not install the BROKEN device:\n{done.stderr}"
    return target


def _run_suite(site: Path, workdir: Path, *args: str) -> tuple[int, str, dict[str, Any]]:
    report = workdir / "report.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
               "--pyargs", "openvino_testkit", f"--ov-report={report}", *args]
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True,
                          timeout=1800)
    output = done.stdout + done.stderr
    assert report.is_file(), f"the suite wrote no report:\n{output[-3000:]}"
    return done.returncode, output, json.loads(report.read_text())


def _failures(report: dict[str, Any], device: str) -> set[str]:
    return set(report["devices"].get(device, {}).get("failures", []))


def _as_broken(check_ids: set[str]) -> set[str]:
    return {c.replace("TEMPLATE::", "BROKEN::", 1) for c in check_ids}


@pytest.fixture(scope="session")
def full_run(broken_site: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[int, str, dict[str, Any]]:
    workdir = tmp_path_factory.mktemp("full_run")
    return _run_suite(broken_site, workdir, "--ov-device", "TEMPLATE", "--ov-device", "BROKEN")


def test_broken_device_is_found_through_its_entry_point(broken_site: Path) -> None:
    code = "import openvino as ov; print(ov.Core().available_devices)"
    env = dict(os.environ, PYTHONPATH=str(broken_site))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)
    assert "BROKEN" in done.stdout, done.stdout + done.stderr


def test_exactly_the_injected_defects_are_reported(full_run: tuple[int, str, dict[str, Any]]
                                                   ) -> None:
    code, output, report = full_run
    assert code == 1, f"pytest exit code {code} for a run with failures\n{output[-2000:]}"
    reference = _as_broken(_failures(report, "TEMPLATE") | _failures(report, "AUTO:TEMPLATE"))
    broken = _failures(report, "BROKEN") | _failures(report, "AUTO:BROKEN")
    injected = _injected(report)
    assert broken - reference == injected, (
        f"reported but not injected: {sorted(broken - reference - injected)}; "
        f"injected but not reported: {sorted(injected - (broken - reference))}")
    assert reference <= broken, \
        f"fail on TEMPLATE but not on BROKEN: {sorted(reference - broken)}"
    clean = {c.replace("BROKEN::", "TEMPLATE::", 1) for c in injected}
    assert not clean & (_failures(report, "TEMPLATE") | _failures(report, "AUTO:TEMPLATE")), \
        "an injected defect's check fails on TEMPLATE as well"


def test_report_counts_and_table(full_run: tuple[int, str, dict[str, Any]]) -> None:
    _code, output, report = full_run
    broken, template = report["devices"]["BROKEN"], report["devices"]["TEMPLATE"]
    minimum = broken["ops"]["by_op"]["Minimum-opset1"]
    assert minimum["outcome"] == "failed"
    assert minimum["types"]["i32"] == "failed"
    assert {t for t, o in minimum["types"].items() if o != "passed"} == {"i32"}
    softmax = broken["ops"]["by_op"]["Softmax-opset8"]
    assert {t for t, o in softmax["types"].items() if o != "passed"} == {"f32"}
    add = broken["ops"]["by_op"]["Add-opset1"]
    assert {t for t, o in add["types"].items() if o != "passed"} == {"i64"}
    assert broken["ops"]["failed"] == template["ops"]["failed"] + 3
    assert broken["api"]["failed"] == template["api"]["failed"] + 7
    assert report["devices"]["AUTO:BROKEN"]["api"]["failed"] == \
        report["devices"]["AUTO:TEMPLATE"]["api"]["failed"] + 4
    by_corpus = len({c for c in _injected(report) - INJECTED if c.startswith("BROKEN::")})
    assert broken["models"]["failed"] == template["models"]["failed"] + by_corpus
    assert broken["models"]["passed"] == template["models"]["passed"] - by_corpus
    assert broken["ops"]["supported"] == template["ops"]["supported"] - 1 > 0
    assert broken["ops"]["unsupported"] == template["ops"]["unsupported"] + 1
    assert broken["ops"]["by_op"]["Tan-opset1"]["outcome"] == "unsupported"
    assert set(broken["ops"]["by_op"]["Tan-opset1"]["types"].values()) == {"unsupported"}
    assert "OpenVINO conformance" in output
    rows = [line for line in output.splitlines() if line.startswith(("BROKEN ", "TEMPLATE "))]
    assert len(rows) == 2, f"expected one table row per device:\n{output[-3000:]}"
    assert report["device_info"]["BROKEN"]["full_device_name"].startswith("Broken device")
    by_id = {c["id"]: c for c in report["checks"]}
    assert "RANGE_FOR_STREAMS" in by_id["BROKEN::api::properties.range_for_streams"]["message"]
    assert "never called back" in by_id["BROKEN::api::async.queue_under_load"]["message"]
    messages = {check_id.split("::")[-1]: by_id[check_id]["message"]
                for check_id in INJECTED if check_id.startswith("BROKEN::")}
    assert "'MODEL_PRIORITY': 'set <Priority." in \
        messages["properties.read_write_properties_take_a_new_value"]
    assert "'INFERENCE_NUM_THREADS': 'compiled with" in \
        messages["properties.compile_properties_reach_the_compiled_model"]
    assert "[extreme]" in messages["Softmax-opset8/f32"]
    assert "output 2 ('x') holds the values of output 'x4'" in \
        messages["outputs.output_order"]
    assert "output 8 ('m9') is missing" in messages["outputs.many_outputs"]
    assert "element type u8 for output 7 ('p_boolean'), expected boolean" in \
        messages["outputs.pass_through_element_types"]


def test_known_failures_are_reported_separately(broken_site: Path, tmp_path: Path) -> None:
    xfails = tmp_path / "broken.xfails"
    xfails.write_text("# BROKEN's defects, declared\n"
                      + "\n".join(f"{c}   # injected" for c in sorted(INJECTED | CORPUS_CATCHES))
                      + "\nBROKEN::op::Minimum-opset1/i64   # passes: reported as fixed\n"
                      + "BROKEN::api::no.such_check\n")
    code, output, report = _run_suite(
        broken_site, tmp_path, "--ov-device", "BROKEN", f"--ov-xfails={xfails}",
        "-k", "queue_under_load or range_for_streams or Minimum or take_a_new_value or "
              "reach_the_compiled_model or Softmax or output_order or many_outputs or "
              "pass_through_element_types or Add-opset1")
    broken = report["devices"]["BROKEN"]
    known = set(broken["known_failures"]) | set(report["devices"]["AUTO:BROKEN"]["known_failures"])
    assert known == _injected(report)
    assert broken["failures"] == [] and report["devices"]["AUTO:BROKEN"]["failures"] == []
    assert broken["fixed"] == ["BROKEN::op::Minimum-opset1/i64"]
    assert code == 0, f"known failures must not fail the run (exit {code}):\n{output[-2000:]}"
    assert "pattern 'BROKEN::api::no.such_check' matched no check" in output
