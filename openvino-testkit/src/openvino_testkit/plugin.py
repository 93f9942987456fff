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
from .corpus import corpus_summary, find_corpus
from .devices import auto_target, resolve_devices
from .known_failures import KnownFailures
from .report import CheckResult, Report, check_id

__all__ = ["ConformanceRun"]

_CHECK = "ov_check"
_OUTCOME = "ov_outcome"
_RUN = pytest.StashKey["ConformanceRun"]()


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
                    help="model corpus (default: $OV_CORPUS_DIR, else ../shared/corpus, else the "
                         "testkit's shipped slice); model checks skip when a given one is "
                         "absent")
    group.addoption("--ov-no-auto", action="store_true", default=False,
                    help="do not repeat API and model checks through AUTO:<device>")


#: Options whose value is a path: written ``--ov-corpus DIR`` (a space, not ``=``), pytest
#: also takes ``DIR`` as a test path when it looks for its rootdir and ini file, before any
#: plugin sees the options, and may read a ``pyproject.toml``/``pytest.ini`` beside it.
_PATH_OPTIONS = ("--ov-corpus", "--ov-xfails", "--ov-report")


def path_option_misread(config: pytest.Config) -> str | None:
    """Why the run is not what was asked for when a path option's value, given after a
    space, made pytest pick its rootdir or ini file there (``None`` when it did not)."""
    args = [str(a) for a in config.invocation_params.args]
    roots = {Path(str(config.rootpath)).resolve()}
    if config.inipath is not None:
        roots.add(Path(str(config.inipath)).resolve().parent)
    base = Path(str(config.invocation_params.dir))
    for option, value in zip(args, args[1:]):
        if option not in _PATH_OPTIONS:
            continue
        path = (base / value).resolve()
        folder = path if path.is_dir() else path.parent
        if folder in roots:
            return (f"{option} {value}: pytest took {value} for a test path and read its "
                    f"configuration from {folder} (rootdir {config.rootpath}, ini file "
                    f"{config.inipath}); write {option}={value}")
    return None


def pytest_configure(config: pytest.Config) -> None:
    misread = path_option_misread(config)
    if misread:
        raise pytest.UsageError(misread)
    try:
        run = ConformanceRun(config)
    except (FileNotFoundError, ValueError) as e:
        raise pytest.UsageError(str(e)) from None
    config.stash[_RUN] = run
    config.pluginmanager.register(run, "openvino_testkit_run")
    if run.requested:
        run.devices  # noqa: B018  (an unknown --ov-device is a usage error, said at once)


def _check_of(item: pytest.Item) -> tuple[str, str, str] | None:
    """(device, kind, name) of a suite test item, or ``None`` for other tests. The name is
    the ``check_name`` of a parameter that has one, else ``<module>.<test>[<params>]``."""
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
    name = f"{prefix}.{base.removeprefix('test_')}"
    if "[" in item.name:
        inner = item.name[item.name.index("[") + 1:-1]
        for token in (f"{device}-", f"-{device}", device):
            if token in inner:
                inner = inner.replace(token, "", 1)
                break
        if inner:
            name += f"[{inner}]"
    return device, kind, name


def _outcome(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return "fixed" if report.passed else "known_failure"
    if report.passed:
        return "passed"
    if report.failed:
        return "failed"
    unsupported = dict(report.user_properties).get(_OUTCOME) == "unsupported"
    return "unsupported" if unsupported else "skipped"


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


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 3] + "..."


class ConformanceRun:
    """One pytest run of the suite: the devices under test, the known failures, and the
    report, filled from every test report (on the controller too when pytest-xdist runs
    the tests in workers)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.requested: list[str] = list(config.getoption("ov_device") or [])
        xfails = config.getoption("ov_xfails")
        self.known = KnownFailures.load(xfails) if xfails else KnownFailures()
        self.report = Report()
        self.started = time.time()
        self._devices: list[str] | None = None
        self._core: Any = None

    @property
    def core(self) -> Any:
        if self._core is None:
            import openvino as ov

            self._core = ov.Core()
        return self._core

    @property
    def devices(self) -> list[str]:
        """The devices under test (checked against the installed ones on first use)."""
        if self._devices is None:
            try:
                self._devices = resolve_devices(self.core, self.requested)
            except ValueError as e:
                raise pytest.UsageError(str(e)) from None
        return self._devices

    # --- collection ------------------------------------------------------------------------
    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "ov_device" not in metafunc.fixturenames:
            return
        targets = list(self.devices)
        through_auto = getattr(metafunc.module, "OV_THROUGH_AUTO", True)
        if through_auto and not self.config.getoption("ov_no_auto"):
            targets += [auto_target(d) for d in self.devices]
        metafunc.parametrize("ov_device", targets, ids=targets, scope="module")

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            check = _check_of(item)
            if check is None:
                continue
            device, kind, name = check
            item.user_properties.append((_CHECK, {"device": device, "kind": kind,
                                                  "name": name}))
            known = self.known.match(check_id(device, kind, name))
            if known is not None:
                item.add_marker(pytest.mark.xfail(
                    reason=f"known failure ({self.known.source}:{known.line}): {known.reason}",
                    strict=False))

    # --- results ---------------------------------------------------------------------------
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        check = props.get(_CHECK)
        if check is None:
            return
        final = report.when == "call" or (report.when == "setup" and not report.passed) or (
            report.when == "teardown" and report.failed)
        if not final:
            return
        outcome = "failed" if report.when == "teardown" else _outcome(report)
        extra = {k: v for k, v in props.items() if k.startswith("ov_") and k != _CHECK}
        result = CheckResult(check["device"], check["kind"], check["name"], outcome,
                             _message(report) if outcome != "passed" else "", extra)
        self.report.add(result)
        self.known.match(result.id)  # marks the line used (xdist: items live on workers)

    def meta(self) -> dict[str, Any]:
        """The head of the JSON report: versions, platform, devices, duration."""
        import openvino as ov

        devices: dict[str, Any] = {}
        for device in self.report.devices():
            if device.startswith("AUTO:"):
                continue
            try:
                full_name = self.core.get_property(device, "FULL_DEVICE_NAME")
            except Exception as e:  # the report must be written even for a broken device
                full_name = f"<FULL_DEVICE_NAME failed: {e}>"
            devices[device] = {"full_device_name": str(full_name)}
        return {
            "testkit_version": __version__,
            "openvino_version": ov.get_version(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "duration_s": round(time.time() - self.started, 1),
            "device_info": devices,
            "known_failures_file": self.known.source if self.known.entries else None,
            "corpus": corpus_summary(self.config.getoption("ov_corpus"),
                                     Path(str(self.config.rootpath))),
        }

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(self.config, "workerinput"):
            return
        path = self.config.getoption("ov_report")
        if path and self.report.results:
            self.report.write_json(path, self.meta())

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        report = self.report
        if not report.results:
            return
        tr = terminalreporter
        tr.write_sep("=", "OpenVINO conformance")
        for line in report.table():
            tr.write_line(line)
        if any(r.kind == "model" for r in report.results.values()):
            tr.write_line(corpus_summary(self.config.getoption("ov_corpus"),
                                         Path(str(self.config.rootpath))))
        for device in report.devices():
            by_op = report.summary(device)["ops"]["by_op"]
            untested = [op for op, e in by_op.items() if e["outcome"] == "skipped"]
            if untested:
                tr.write_line(f"{device}: {len(untested)} ops not tested (no case applies): "
                              f"{', '.join(untested)}")
        results = list(report.results.values())
        failures = [r for r in results if r.outcome == "failed"]
        if failures:
            tr.write_line("")
            tr.write_line(f"failures ({len(failures)}):")
            for r in failures:
                tr.write_line(f"  {r.id}: {_one_line(r.message)}")
        known = [r for r in results if r.outcome == "known_failure"]
        if known:
            tr.write_line(f"known failures ({len(known)}), declared in {self.known.source}:")
            for r in known:
                tr.write_line(f"  {r.id}")
        fixed = [r for r in results if r.outcome == "fixed"]
        if fixed:
            tr.write_line(f"declared known failures that now pass ({len(fixed)}): remove "
                          f"them from {self.known.source}")
            for r in fixed:
                tr.write_line(f"  {r.id}")
        for entry in self.known.unused():
            tr.write_line(f"{self.known.source}:{entry.line}: pattern {entry.pattern!r} "
                          "matched no check")
        path = self.config.getoption("ov_report")
        if path:
            tr.write_line(f"JSON report: {path}")


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
