"""Our side of the interop check (run with OUR ``openvino`` importable).

``python ours.py export ROOT [--corpus DIR]`` writes ``ROOT/ours/<name>/``: every corpus case
re-saved by our ``save_model`` (with and without fp16 compression) and the opset-API models
of ``interop_models`` (both ways), each with its inputs and our reference outputs.

``python ours.py check ROOT`` reads every model the real OpenVINO wrote into ``ROOT/real/``,
evaluates it with our reference semantics and compares with the real runtime's outputs.
Both commands print a summary, write ``ROOT/<command>_ours.json`` and exit 1 on a failure.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "ir")]

import numpy as np  # noqa: E402
from corpus_runner import Case, case_folders, run_model  # noqa: E402
from exchange import (  # noqa: E402
    MODES,
    command_line,
    interface,
    read_case,
    run_command,
    saved_folders,
    saved_model_problems,
    widened,
    write_case,
)
from interop_models import RECIPES, RT_INFO_CHECKS  # noqa: E402

import openvino as ov  # noqa: E402
from openvino._ir import read_ir  # noqa: E402


def _export_one(folder: Path, model: ov.Model, runs: list[list[np.ndarray]], compress: bool,
                meta: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ov.save_model(model, folder / "model.xml", compress_to_fp16=compress)
    saved = read_ir(folder / "model.xml")
    outputs, state = run_model(saved, runs)
    meta = dict(meta, **interface(saved))
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


def check(root: Path) -> dict:
    report: dict = {"passed": [], "failed": {}}
    folders = saved_folders(root / "real")
    if not folders:
        report["failed"]["real"] = f"no models from the real OpenVINO under {root / 'real'}"
    for folder in folders:
        try:
            meta, runs, expected, exp_state = read_case(folder)
            model = read_ir(folder / "model.xml")
            outputs, state = run_model(model, runs)
            problems = saved_model_problems(model, meta, outputs, expected, state, exp_state)
        except Exception as e:  # noqa: BLE001 - report and go on with the next model
            problems = [f"{type(e).__name__}: {e}", traceback.format_exc(limit=3)]
        if problems:
            report["failed"][folder.name] = problems
        else:
            report["passed"].append(folder.name)
    return report


def main(argv: list[str] | None = None) -> int:
    return run_command(command_line(__doc__, argv), "ours", "", export, check)


if __name__ == "__main__":
    raise SystemExit(main())
