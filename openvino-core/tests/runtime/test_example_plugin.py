"""The example device distribution (examples/minimal-device), installed with pip into a
fresh virtual environment, is found by ``Core()`` through its entry point alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CORE = REPO / "openvino-core"
EXAMPLE = REPO / "examples" / "minimal-device"

SCRIPT = textwrap.dedent("""
    import json, sys
    import numpy as np
    import openvino as ov

    core = ov.Core()
    assert "openvino_minimal" in sys.modules, "the entry point was not loaded"
    a = ov.opset13.parameter([4], np.float32)
    b = ov.opset13.parameter([4], np.float32)
    model = ov.Model(ov.opset13.relu(ov.opset13.add(a, b)), [a, b])
    x = np.array([1, -2, 3, -4], np.float32)
    direct = core.compile_model(model, "MINIMAL", {"PERF_COUNT": True})
    request = direct.create_infer_request()
    out = request.infer([x, x])[0]
    auto = core.compile_model(model)
    c = ov.opset13.parameter([4], np.float32)
    other = core.compile_model(ov.Model(ov.opset13.sigmoid(c), [c]))
    print(json.dumps({
        "devices": core.available_devices,
        "out": out.tolist(),
        "profile": [p.node_type for p in request.get_profiling_info()],
        "auto": auto.get_property("EXECUTION_DEVICES"),
        "auto_other": other.get_property("EXECUTION_DEVICES"),
        "version": core.get_versions("MINIMAL")["MINIMAL"].build_number,
    }))
""")


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, **kwargs)


def test_example_device_installs_and_is_discovered(tmp_path):
    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)])
    assert made.returncode == 0, made.stderr
    python = str(venv / ("Scripts" if os.name == "nt" else "bin") / "python")
    have_deps = _run([python, "-c", "import numpy, pluggy, defusedxml"]).returncode == 0
    install = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not have_deps:
        result = _run(install + ["numpy>=1.24", "pluggy>=1.3", "defusedxml>=0.7"])
        if result.returncode != 0:
            pytest.skip(f"cannot install the core's dependencies: {result.stderr[-500:]}")
    result = _run(install + ["--no-deps", str(CORE), str(EXAMPLE)])
    assert result.returncode == 0, result.stderr[-2000:]

    ran = _run([python, "-c", SCRIPT], cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr[-2000:]
    report = json.loads(ran.stdout.strip().splitlines()[-1])
    assert "MINIMAL" in report["devices"] and "TEMPLATE" in report["devices"]
    assert report["out"] == [2.0, 0.0, 6.0, 0.0]
    assert report["profile"] == ["Add", "Relu"]
    assert report["auto"] == ["MINIMAL"]          # covered: ranked ahead of TEMPLATE
    assert report["auto_other"] != ["MINIMAL"]    # Sigmoid is not a MINIMAL op
    assert report["version"] == "0.1.0"
