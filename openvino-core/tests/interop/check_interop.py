"""The real OpenVINO's side of the interop check. Run it with a Python whose venv has the
REAL ``openvino==2026.4.1`` installed (never in our venvs: both import as ``openvino``).

``python check_interop.py check ROOT`` reads every model our side wrote into ``ROOT/ours/``
with the real ``Core.read_model``, runs it on the real CPU plugin (f32, no dynamic
quantization; stateful models on one request after ``reset_state()``) and compares with
our outputs, tensor names, rt_info and final variable values.

``python check_interop.py export ROOT [--corpus DIR]`` writes ``ROOT/real/<name>/``: every
corpus case re-saved by the real ``save_model`` (with and without fp16 compression) and the
opset-API models of ``interop_models`` built and saved by the real runtime, each with its
inputs and the real CPU outputs, for ``ours.py check``.

Both commands print a summary, write ``ROOT/<command>_real.json`` and exit 1 on a failure.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Our own package also imports as ``openvino``: keep its source tree (e.g. from a
# PYTHONPATH meant for our side) out of the way of the real one.
sys.path[:] = [p for p in sys.path if not (Path(p or ".") / "openvino" / "_ir").is_dir()]
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
from exchange import (  # noqa: E402
    MODES,
    REAL_CPU_CONFIG,
    command_line,
    interface,
    read_case,
    run_command,
    saved_folders,
    saved_model_problems,
    user_array,
    widened,
    write_case,
)
from interop_models import RECIPES, RT_INFO_CHECKS  # noqa: E402

import openvino as ov  # noqa: E402


def run_real(core: ov.Core, xml: Path, runs: list[list[np.ndarray]], stateful: bool
             ) -> tuple[ov.Model, list[list[np.ndarray]], dict[str, np.ndarray]]:
    """Read ``xml`` with the real runtime and infer every run on its CPU plugin."""
    model = core.read_model(str(xml))
    compiled = core.compile_model(model, "CPU", REAL_CPU_CONFIG)
    request = compiled.create_infer_request()
    if stateful:
        request.reset_state()
    outputs = []
    for inputs in runs:
        result = request.infer({i: a for i, a in enumerate(inputs)})
        outputs.append([user_array(result[port]) for port in compiled.outputs])
    state = {s.name: user_array(s.state.data) for s in request.query_state()} if stateful \
        else {}
    return model, outputs, state


def check(root: Path) -> dict:
    core = ov.Core()
    report: dict = {"passed": [], "failed": {}}
    folders = saved_folders(root / "ours")
    if not folders:
        report["failed"]["ours"] = f"no models from our side under {root / 'ours'}"
    for folder in folders:
        try:
            meta, runs, expected, exp_state = read_case(folder)
            model, outputs, state = run_real(core, folder / "model.xml", runs, meta["stateful"])
            problems = saved_model_problems(model, meta, outputs, expected, state, exp_state)
        except Exception as e:  # noqa: BLE001 - report and go on with the next model
            problems = [f"{type(e).__name__}: {e}", traceback.format_exc(limit=3)]
        if problems:
            report["failed"][folder.name] = problems
        else:
            report["passed"].append(folder.name)
    return report


def _case_runs(folder: Path) -> tuple[dict, list[list[np.ndarray]]]:
    meta = json.loads((folder / "case.json").read_text())
    data = np.load(folder / "inputs.npz")
    ordered = sorted(meta["inputs"], key=lambda i: i["index"])
    runs = [[data[("" if k == 0 else f"run{k}:") + i["name"]] for i in ordered]
            for k in range(int(meta.get("runs", 1)))]
    return meta, runs


def _export_one(core: ov.Core, folder: Path, model: ov.Model, runs: list[list[np.ndarray]],
                compress: bool, meta: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ov.save_model(model, str(folder / "model.xml"), compress_to_fp16=compress)
    saved, outputs, state = run_real(core, folder / "model.xml", runs, meta["stateful"])
    meta = dict(meta, **interface(saved))
    write_case(folder, runs, outputs, state, meta)


def export(root: Path, corpus: Path) -> dict:
    core = ov.Core()
    report: dict = {"exported": [], "failed": {}}
    jobs = []
    if corpus.is_dir():
        jobs += [(p.name, "corpus", p) for p in sorted(corpus.iterdir())
                 if (p / "case.json").is_file()]
    else:
        report["failed"]["corpus"] = f"corpus folder {corpus} not found"
    jobs += [(name, "opset", name) for name in RECIPES]
    for name, kind, what in jobs:
        for mode, compress in MODES.items():
            label = f"{name}__{mode}"
            try:
                if kind == "corpus":
                    case_meta, runs = _case_runs(what)
                    model = core.read_model(str(what / "model.xml"))
                    tols = [widened(o["tolerance"]) for o in
                            sorted(case_meta["outputs"], key=lambda o: o["index"])]
                    meta = {"origin": f"corpus case {name} re-saved by the real OpenVINO",
                            "stateful": bool(case_meta.get("stateful")), "tolerances": tols}
                else:
                    model, runs, stateful = RECIPES[what]()
                    meta = {"origin": f"opset recipe {name} built and saved by the real "
                                      "OpenVINO", "stateful": stateful,
                            "rt_info": RT_INFO_CHECKS.get(name, [])}
                _export_one(core, root / "real" / label, model, runs, compress, meta)
                report["exported"].append(label)
            except Exception as e:  # noqa: BLE001
                report["failed"][label] = f"{type(e).__name__}: {e}"
    return report


def main(argv: list[str] | None = None) -> int:
    args = command_line(__doc__, argv)
    if not list(Path(ov.__file__).parent.glob("_pyopenvino*")):
        print(f"check_interop.py needs the real OpenVINO; this 'openvino' is {ov.__file__}")
        return 2
    return run_command(args, "real", f"OpenVINO {ov.get_version()}: ", export, check)


if __name__ == "__main__":
    raise SystemExit(main())
