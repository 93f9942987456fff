"""Bodies of the testkit's nox sessions; the root ``noxfile.py`` wires them in::

    nox -s conformance                    # the suite on every device of ours
    nox -s conformance -- --device CPU    # one device (repeat --device for more)
    nox -s conformance -- --device TEMPLATE -k "api"   # other arguments go to pytest
    nox -s testkit_tests                  # the testkit's own tests, self-test included

``conformance`` installs openvino-core, openvino-testkit and every device distribution
folder at the repository root (a folder ``openvino-*`` whose ``pyproject.toml`` declares an
``openvino.plugins`` entry point), then runs ``pytest --pyargs openvino_testkit`` once per
device, writing ``<venv>/conformance/<device>.json``. A plugin author runs the same with
their own distribution installed instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

__all__ = ["conformance", "tests", "device_distributions", "split_devices", "install_target"]

TESTKIT = Path(__file__).resolve().parent
ROOT = TESTKIT.parent
CORE = ROOT / "openvino-core"
CORPUS = Path(os.environ.get("OV_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
_VIRTUAL = ("AUTO", "MULTI", "HETERO", "BATCH")


def device_distributions(root: Path = ROOT) -> list[Path]:
    """Folders at ``root`` holding a device distribution (an ``openvino.plugins`` entry
    point in their ``pyproject.toml``), core excluded (it is always installed)."""
    found = []
    for folder in sorted(root.glob("openvino-*")):
        pyproject = folder / "pyproject.toml"
        if folder == root / "openvino-core" or not pyproject.is_file():
            continue
        if "openvino.plugins" in pyproject.read_text(encoding="utf-8"):
            found.append(folder)
    return found


def split_devices(posargs: list[str]) -> tuple[list[str], list[str]]:
    """``(devices, other pytest arguments)`` from ``--device X`` / ``--device=X`` in
    ``posargs``."""
    devices: list[str] = []
    rest: list[str] = []
    args = iter(posargs)
    for arg in args:
        if arg == "--device":
            value = next(args, None)
            if value is None:
                raise ValueError("--device needs a device name")
            devices.append(value)
        elif arg.startswith("--device="):
            devices.append(arg.split("=", 1)[1])
        else:
            rest.append(arg)
    return devices, rest


def _env() -> dict[str, str]:
    # the GPU device runs on the OpenCL CPU device of its [pocl] extra
    return {"OV_CORPUS_DIR": str(CORPUS), "OV_GPU_ALLOW_CPU_DEVICES": "1"}


def install_target(dist: Path) -> str:
    """What to pip-install for a device distribution: with its ``[pocl]`` extra when it
    declares one (an OpenCL runtime on the CPU, so the device runs on any machine)."""
    text = (dist / "pyproject.toml").read_text(encoding="utf-8")
    return f"{dist}[pocl]" if re.search(r"^pocl\s*=", text, re.M) else str(dist)


def _installed_devices(session: Any) -> list[str]:
    code = ("import openvino as ov; print('OV_DEVICES:', *(d for d in ov.Core().available_devices "
            f"if d.split('.')[0].split(':')[0] not in {_VIRTUAL!r}))")
    out = session.run("python", "-c", code, silent=True, env=_env()) or ""
    for line in out.splitlines():
        if line.startswith("OV_DEVICES:"):
            return line.split()[1:]
    return []


def conformance(session: Any) -> None:
    """Install core, the testkit and our device distributions; run the suite per device."""
    devices, pytest_args = split_devices(list(session.posargs))
    session.install(f"{CORE}[onnx]", str(TESTKIT))
    for dist in device_distributions():
        session.install(install_target(dist))
    if not devices:
        devices = _installed_devices(session)
        session.log(f"devices: {' '.join(devices) or '(none)'}")
    if not devices:
        session.error("no device is installed")
    reports = Path(session.virtualenv.location) / "conformance"
    reports.mkdir(parents=True, exist_ok=True)
    # pyopencl's kernel binaries stay in the venv: a reused one builds each program once
    cache = Path(session.virtualenv.location) / "pyopencl-cache"
    cache.mkdir(exist_ok=True)
    env = _env() | {"PYOPENCL_CACHE_DIR": str(cache)}
    failed = []
    for device in devices:
        report = reports / f"{device}.json"
        try:
            session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "-q",
                        "--pyargs", "openvino_testkit", "--ov-device", device,
                        "--ov-report", str(report), *pytest_args, env=env)
        except Exception:  # nox raises on a failing command; go on with the next device
            failed.append(device)
        session.log(f"{device}: report in {report}")
    if failed:
        session.error(f"conformance failures on: {', '.join(failed)}")


def tests(session: Any) -> None:
    """The testkit's own tests: unit tests and the self-test with the BROKEN device (nox
    and tox for the check that tox.ini offers the sessions of noxfile.py)."""
    session.install(f"{CORE}[onnx]", str(TESTKIT), "pytest", "nox", "tox")
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "-q",
                str(TESTKIT / "tests"), *session.posargs, env=_env())
