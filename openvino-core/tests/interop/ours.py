"""Our side of the interop check (run with OUR ``openvino`` importable).

``python ours.py export ROOT [--corpus DIR]`` writes ``ROOT/ours/<name>/``: every corpus case
re-saved by our ``save_model`` (with and without fp16 compression) and the opset-API models
of ``interop_models`` (both ways), each with its inputs and our reference outputs.

``python ours.py check ROOT`` reads every model the real OpenVINO wrote into ``ROOT/real/``,
evaluates it with our reference semantics and compares with the real runtime's outputs.
Both commands print a summary, write ``ROOT/<command>_ours.json`` and exit 1 on a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "ir")]

import numpy as np  # noqa: E402
from corpus_runner import Case, case_folders, run_model  # noqa: E402
from exchange import compare_all, read_case, widened, write_case  # noqa: E402
from interop_models import RECIPES, RT_INFO_CHECKS  # noqa: E402

import openvino as ov  # noqa: E402
from openvino._ir import read_ir  # noqa: E402

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


def _export_one(folder: Path, model: ov.Model, runs: list[list[np.ndarray]], compress: bool,
                meta: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ov.save_model(model, folder / "model.xml", compress_to_fp16=compress)
    saved = read_ir(folder / "model.xml")
    outputs, state = run_model(saved, runs)
    meta = dict(meta, input_names=_names(saved.inputs), output_names=_names(saved.outputs),
                layouts=_layouts(saved))
    write_case(folder, runs, outputs, state, meta)


def export(root: Path, corpus: Path) -> dict:
    out = root / "ours"
    report: dict = {"exported": [], "failed": {}}
    jobs = []
    if corpus.is_dir():
        for folder in case_folders(corpus):
            jobs.append((folder.name, "corpus", folder))
    else:
        report["failed"]["corpus"] = f"corpus folder {corpus} not found"
    jobs += [(name, "opset", name) for name in RECIPES]
    for name, kind, what in jobs:
        for mode, compress in MODES.items():
            label = f"{name}__{mode}"
            try:
                if kind == "corpus":
                    case = Case(what)
                    model = read_ir(what / "model.xml")
                    runs = [case.run_inputs(k) for k in range(case.runs)]
                    tols = [widened(o["tolerance"]) for o in
                            sorted(case.meta["outputs"], key=lambda o: o["index"])]
                    meta = {"origin": f"corpus case {name} re-saved by ours",
                            "stateful": case.stateful, "tolerances": tols}
                else:
                    model, runs, stateful = RECIPES[what]()
                    meta = {"origin": f"opset recipe {name} built and saved by ours",
                            "stateful": stateful, "rt_info": RT_INFO_CHECKS.get(name, [])}
                _export_one(out / label, model, runs, compress, meta)
                report["exported"].append(label)
            except Exception as e:  # noqa: BLE001 - report and go on with the next model
                report["failed"][label] = f"{type(e).__name__}: {e}"
    return report


def _check_rt_info(model: ov.Model, checks: list) -> list[str]:
    problems = []
    for path, value in checks:
        try:
            got = model.get_rt_info(path).astype(str)
        except Exception as e:  # noqa: BLE001
            problems.append(f"rt_info {path}: {e}")
            continue
        if got != value:
            problems.append(f"rt_info {path} is '{got}', expected '{value}'")
    return problems


def check(root: Path) -> dict:
    report: dict = {"passed": [], "failed": {}}
    folders = sorted(p for p in (root / "real").iterdir() if (p / "meta.json").is_file()) \
        if (root / "real").is_dir() else []
    if not folders:
        report["failed"]["real"] = f"no models from the real OpenVINO under {root / 'real'}"
    for folder in folders:
        try:
            meta, runs, expected, exp_state = read_case(folder)
            model = read_ir(folder / "model.xml")
            problems = []
            if _names(model.inputs) != meta["input_names"]:
                problems.append(f"input names {_names(model.inputs)} != {meta['input_names']}")
            if _names(model.outputs) != meta["output_names"]:
                problems.append(f"output names {_names(model.outputs)} != "
                                f"{meta['output_names']}")
            if _layouts(model) != meta["layouts"]:
                problems.append(f"input layouts {_layouts(model)} != {meta['layouts']}")
            outputs, state = run_model(model, runs)
            problems += compare_all(outputs, expected, meta["tolerances"])
            for vid, value in exp_state.items():
                problems += [f"state {vid}: {p}" for p in compare_all(
                    [[state.get(vid, np.array([]))]], [[value]], [{"atol": 1e-5, "rtol": 1e-4}])]
            problems += _check_rt_info(model, meta.get("rt_info", []))
        except Exception as e:  # noqa: BLE001
            problems = [f"{type(e).__name__}: {e}", traceback.format_exc(limit=3)]
        if problems:
            report["failed"][folder.name] = problems
        else:
            report["passed"].append(folder.name)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["export", "check"])
    parser.add_argument("root", type=Path)
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("OV_CORPUS_DIR", DEFAULT_CORPUS)))
    args = parser.parse_args(argv)
    args.root.mkdir(parents=True, exist_ok=True)
    report = export(args.root, args.corpus) if args.command == "export" else check(args.root)
    (args.root / f"{args.command}_ours.json").write_text(json.dumps(report, indent=1))
    good = report.get("exported", report.get("passed", []))
    print(f"[ours {args.command}] {len(good)} ok, {len(report['failed'])} failed")
    for name, why in report["failed"].items():
        print(f"  FAIL {name}: {why if isinstance(why, str) else '; '.join(why[:1])}")
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
