"""The pytest plugin (registered through the ``pytest11`` entry point).

It adds the ``--ov-*`` options, parametrizes the suite's tests by device (each device,
and ``AUTO:<device>`` for API and model checks), applies ``--ov-xfails``, records every
check's outcome, prints the per-device table at the end of the run and writes the JSON
report. Test modules take part by requesting the ``ov_device`` fixture and naming their
kind in ``OV_CHECK_KIND`` (``"api"``, ``"op"`` or ``"model"``); ``OV_THROUGH_AUTO = False``
keeps a module off the AUTO targets. Without those the plugin leaves a test alone.
"""

from __future__ import annotations

import platform
import time
from pathlib import Path
from typing import Any

import pytest

from . import __version__
from .corpus import find_corpus
from .devices import auto_target, resolve_devices
from .known_failures import KnownFailures
from .report import CheckResult, Report, check_id

_STATE = pytest.StashKey["_State"]()
_CHECK = "ov_check"
_OUTCOME = "ov_outcome"


class _State:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.requested: list[str] = list(config.getoption("ov_device") or [])
        self._devices: list[str] | None = None
        self._core: Any = None
        xfails = config.getoption("ov_xfails")
        self.known = KnownFailures.load(xfails) if xfails else KnownFailures()
        self.report = Report()
        self.started = time.time()

    @property
    def core(self) -> Any:
        if self._core is None:
            import openvino as ov

            self._core = ov.Core()
        return self._core

    @property
    def devices(self) -> list[str]:
        if self._devices is None:
            try:
                self._devices = resolve_devices(self.core, self.requested)
            except ValueError as e:
                raise pytest.UsageError(str(e)) from None
        return self._devices


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("openvino", "OpenVINO device conformance (openvino-testkit)")
    group.addoption("--ov-device", action="append", default=[], metavar="NAME",
                    help="device to test (repeatable); default: every installed device "
                         "except the virtual ones (AUTO, MULTI, HETERO, BATCH)")
    group.addoption("--ov-xfails", metavar="FILE", default=None,
                    help="known failures: one check-id pattern per line (see README)")
    group.addoption("--ov-report", metavar="FILE.json", default=None,
                    help="write the per-device counts and every check's outcome as JSON")
    group.addoption("--ov-corpus", metavar="DIR", default=None,
                    help="model corpus (default: $OV_CORPUS_DIR, else ../shared/corpus); "
                         "model checks skip when it is absent")
    group.addoption("--ov-no-auto", action="store_true", default=False,
                    help="do not repeat API and model checks through AUTO:<device>")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "ov_capability(name): the check applies only to devices that list "
                   "`name` in OPTIMIZATION_CAPABILITIES")
    try:
        state = _State(config)
    except (FileNotFoundError, ValueError) as e:
        raise pytest.UsageError(str(e)) from None
    config.stash[_STATE] = state
    if state.requested:
        state.devices  # noqa: B018  (an unknown --ov-device is a usage error, said at once)


def _state(config: pytest.Config) -> _State:
    return config.stash[_STATE]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ov_device" not in metafunc.fixturenames:
        return
    state = _state(metafunc.config)
    targets = list(state.devices)
    through_auto = getattr(metafunc.module, "OV_THROUGH_AUTO", True)
    if through_auto and not metafunc.config.getoption("ov_no_auto"):
        targets += [auto_target(d) for d in state.devices]
    metafunc.parametrize("ov_device", targets, ids=targets, scope="module")


def _check_of(item: pytest.Item) -> tuple[str, str, str] | None:
    """(device, kind, name) of a suite test item, or ``None`` for other tests."""
    module = getattr(item, "module", None)
    kind = getattr(module, "OV_CHECK_KIND", None)
    callspec = getattr(item, "callspec", None)
    if kind is None or callspec is None or "ov_device" not in callspec.params:
        return None
    device = callspec.params["ov_device"]
    for value in callspec.params.values():
        name = getattr(value, "check_name", None)
        if isinstance(name, str):
            return device, kind, name
    stem = module.__name__.rsplit(".", 1)[-1]
    prefix = stem[len("test_api_"):] if stem.startswith("test_api_") else stem[len("test_"):]
    base = getattr(item, "originalname", item.name.split("[")[0])
    base = base[len("test_"):] if base.startswith("test_") else base
    name = f"{prefix}.{base}"
    if "[" in item.name:
        inner = item.name[item.name.index("[") + 1:-1]
        for token in (f"{device}-", f"-{device}", device):
            if token in inner:
                inner = inner.replace(token, "", 1)
                break
        if inner:
            name += f"[{inner}]"
    return device, kind, name


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    state = _state(config)
    for item in items:
        check = _check_of(item)
        if check is None:
            continue
        device, kind, name = check
        cid = check_id(device, kind, name)
        item.user_properties.append((_CHECK, {"device": device, "kind": kind, "name": name}))
        known = state.known.match(cid)
        if known is not None:
            item.add_marker(pytest.mark.xfail(
                reason=f"known failure ({state.known.source}:{known.line}): {known.reason}",
                strict=False))


def _outcome(report: pytest.TestReport) -> str:
    props = dict(report.user_properties)
    if hasattr(report, "wasxfail"):
        return "fixed" if report.passed else "known_failure"
    if report.passed:
        return "passed"
    if report.failed:
        return "failed"
    return "unsupported" if props.get(_OUTCOME) == "unsupported" else "skipped"


def _message(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail") and not report.failed:
        return str(report.wasxfail)
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)
    return str(longrepr or "")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    props = dict(report.user_properties)
    check = props.get(_CHECK)
    if check is None:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed) or (
            report.when == "teardown" and report.failed):
        outcome = _outcome(report)
        if report.when == "teardown":
            outcome = "failed"
        extra = {k: v for k, v in props.items() if k.startswith("ov_") and k != _CHECK}
        result = CheckResult(check["device"], check["kind"], check["name"], outcome,
                             _message(report) if outcome != "passed" else "", extra)
        _REPORTS[report.nodeid] = result


# Results collected by pytest_runtest_logreport; the session's report is filled from it
# at the end (the hook has no config argument; one pytest session runs per process).
_REPORTS: dict[str, CheckResult] = {}


def _finalise(config: pytest.Config) -> Report:
    state = _state(config)
    for result in _REPORTS.values():
        state.report.add(result)
        state.known.match(result.id)  # marks the line used (xdist: items live on workers)
    _REPORTS.clear()
    return state.report


def _meta(state: _State) -> dict[str, Any]:
    import openvino as ov

    devices: dict[str, Any] = {}
    for device in state.report.devices():
        if device.startswith("AUTO:"):
            continue
        try:
            full_name = state.core.get_property(device, "FULL_DEVICE_NAME")
        except Exception as e:  # the report must be written even for a broken device
            full_name = f"<FULL_DEVICE_NAME failed: {e}>"
        devices[device] = {"full_device_name": str(full_name)}
    return {
        "testkit_version": __version__,
        "openvino_version": ov.get_version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "duration_s": round(time.time() - state.started, 1),
        "device_info": devices,
        "known_failures_file": state.known.source if state.known.entries else None,
    }


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int,
                            config: pytest.Config) -> None:
    report = _finalise(config)
    if not report.results:
        return
    state = _state(config)
    tr = terminalreporter
    tr.write_sep("=", "OpenVINO conformance")
    for line in report.table():
        tr.write_line(line)
    for device in report.devices():
        summary = report.summary(device)
        untested = summary["ops"]["skipped"]
        if untested:
            names = [op for op, e in summary["ops"]["by_op"].items() if e["outcome"] == "skipped"]
            tr.write_line(f"{device}: {untested} ops not tested (no case applies): "
                          f"{', '.join(names)}")
    failures = [r for r in report.results.values() if r.outcome == "failed"]
    if failures:
        tr.write_line("")
        tr.write_line(f"failures ({len(failures)}):")
        for r in failures:
            tr.write_line(f"  {r.id}: {_one_line(r.message)}")
    known = [r for r in report.results.values() if r.outcome == "known_failure"]
    if known:
        tr.write_line(f"known failures ({len(known)}), declared in {state.known.source}:")
        for r in known:
            tr.write_line(f"  {r.id}")
    fixed = [r for r in report.results.values() if r.outcome == "fixed"]
    if fixed:
        tr.write_line(f"declared known failures that now pass ({len(fixed)}): remove them from "
                      f"{state.known.source}")
        for r in fixed:
            tr.write_line(f"  {r.id}")
    for entry in state.known.unused():
        tr.write_line(f"{state.known.source}:{entry.line}: pattern {entry.pattern!r} matched "
                      "no check")
    path = config.getoption("ov_report")
    if path:
        tr.write_line(f"JSON report: {path}")


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 3] + "..."


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workerinput"):
        return
    path = config.getoption("ov_report")
    report = _finalise(config)
    if path and report.results:
        report.write_json(path, _meta(_state(config)))


# --- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def ov_core() -> Any:
    """One ``openvino.Core`` for the whole run."""
    import openvino as ov

    return ov.Core()


@pytest.fixture(scope="session")
def ov_corpus(pytestconfig: pytest.Config) -> Path | None:
    """The model corpus folder (``--ov-corpus``, ``$OV_CORPUS_DIR``, ``../shared/corpus``),
    or ``None`` when none exists."""
    return find_corpus(pytestconfig.getoption("ov_corpus"), Path(str(pytestconfig.rootpath)))[0]


@pytest.fixture
def ov_unsupported(request: pytest.FixtureRequest) -> Any:
    """Call ``ov_unsupported(reason)`` to end a check as *unsupported by the device*."""

    def mark(reason: str) -> None:
        request.node.user_properties.append((_OUTCOME, "unsupported"))
        pytest.skip(f"unsupported: {reason}")

    return mark
