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

import argparse
import json
import os
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
    REAL_CPU_CONFIG,
    compare_all,
    read_case,
    user_array,
    widened,
    write_case,
)
from interop_models import RECIPES, RT_INFO_CHECKS  # noqa: E402

import openvino as ov  # noqa: E402

DEFAULT_CORPUS = HERE.parents[2].parent / "shared" / "corpus"
MODES = {"fp16": True, "f32": False}


def _names(ports: list) -> list[list[str]]:
    return [sorted(p.get_names()) for p in ports]


def _layouts(model: ov.Model) -> list[str]:
    out = []
    for param in model.get_parameters():
        layout = param.get_layout()
        empty = layout.empty  # a property in the real runtime
        out.append("" if (empty() if callable(empty) else empty) else layout.to_string())
    return out


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
    folders = sorted(p for p in (root / "ours").iterdir() if (p / "meta.json").is_file()) \
        if (root / "ours").is_dir() else []
    if not folders:
        report["failed"]["ours"] = f"no models from our side under {root / 'ours'}"
    for folder in folders:
        try:
            meta, runs, expected, exp_state = read_case(folder)
            model, outputs, state = run_real(core, folder / "model.xml", runs, meta["stateful"])
            problems = []
            if _names(model.inputs) != meta["input_names"]:
                problems.append(f"input names {_names(model.inputs)} != {meta['input_names']}")
            if _names(model.outputs) != meta["output_names"]:
                problems.append(f"output names {_names(model.outputs)} != "
                                f"{meta['output_names']}")
            if _layouts(model) != meta["layouts"]:
                problems.append(f"input layouts {_layouts(model)} != {meta['layouts']}")
            problems += compare_all(outputs, expected, meta["tolerances"])
            for vid, value in exp_state.items():
                problems += [f"state {vid}: {p}" for p in compare_all(
                    [[state.get(vid, np.array([]))]], [[value]], [{"atol": 1e-5, "rtol": 1e-4}])]
            for path, value in meta.get("rt_info", []):
                got = model.get_rt_info(path).astype(str)
                if got != value:
                    problems.append(f"rt_info {path} is '{got}', expected '{value}'")
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
    meta = dict(meta, input_names=_names(saved.inputs), output_names=_names(saved.outputs),
                layouts=_layouts(saved))
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["export", "check"])
    parser.add_argument("root", type=Path)
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("OV_CORPUS_DIR", DEFAULT_CORPUS)))
    args = parser.parse_args(argv)
    if not list(Path(ov.__file__).parent.glob("_pyopenvino*")):
        print(f"check_interop.py needs the real OpenVINO; this 'openvino' is {ov.__file__}")
        return 2
    args.root.mkdir(parents=True, exist_ok=True)
    report = export(args.root, args.corpus) if args.command == "export" else check(args.root)
    (args.root / f"{args.command}_real.json").write_text(json.dumps(report, indent=1))
    good = report.get("exported", report.get("passed", []))
    print(f"[real {args.command}] OpenVINO {ov.get_version()}: {len(good)} ok, "
          f"{len(report['failed'])} failed")
    for name, why in report["failed"].items():
        print(f"  FAIL {name}: {why if isinstance(why, str) else '; '.join(why[:1])}")
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
