"""The folder format the two interop sides exchange, and how outputs are compared. Uses
only numpy and json, so both our venv and the real OpenVINO's venv import it.

``<root>/<side>/<model name>/``: ``model.xml`` + ``model.bin`` (written by that side),
``data.npz`` (``in<k>:<i>`` inputs of run k, ``out<k>:<i>`` that side's outputs,
``state:<id>`` final variable values) and ``meta.json`` (runs, stateful, per-output
tolerance, rt_info values to check, where the model came from).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_TOLERANCE = {"atol": 1e-5, "rtol": 1e-4, "scale_atol": True}
REAL_CPU_CONFIG = {"INFERENCE_PRECISION_HINT": "f32", "DYNAMIC_QUANTIZATION_GROUP_SIZE": "0"}
DEFAULT_CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
#: the two ways each side saves a model: with fp16 weight compression and without
MODES = {"fp16": True, "f32": False}


def user_array(value: Any) -> np.ndarray:
    """An output as a plain numpy array (strings as unicode)."""
    arr = np.asarray(value)
    if arr.dtype.kind in "SO":
        return np.array([v.decode("utf-8") if isinstance(v, bytes) else str(v)
                         for v in arr.reshape(-1)], dtype=str).reshape(arr.shape)
    return arr


def tolerance_for(array: np.ndarray) -> dict:
    """The default tolerance for an output of a model without a corpus tolerance."""
    if array.dtype.kind in "biuUSO":
        return {"exact": True}
    return dict(DEFAULT_TOLERANCE)


def write_case(folder: Path, runs: list[list[np.ndarray]], outputs: list[list[np.ndarray]],
               state: dict[str, np.ndarray], meta: dict) -> None:
    """Store one model's inputs, outputs, state and metadata next to its IR."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    for k, (ins, outs) in enumerate(zip(runs, outputs)):
        arrays.update({f"in{k}:{i}": np.asarray(a) for i, a in enumerate(ins)})
        arrays.update({f"out{k}:{i}": user_array(a) for i, a in enumerate(outs)})
    arrays.update({f"state:{vid}": user_array(v) for vid, v in state.items()})
    np.savez(folder / "data.npz", **arrays)
    meta = dict(meta)
    meta.setdefault("tolerances", [tolerance_for(user_array(a)) for a in outputs[0]])
    meta["runs"] = len(runs)
    meta["inputs"] = len(runs[0]) if runs else 0
    (folder / "meta.json").write_text(json.dumps(meta, indent=1))


def read_case(folder: Path) -> tuple[dict, list[list[np.ndarray]], list[list[np.ndarray]],
                                     dict[str, np.ndarray]]:
    """``(meta, runs, outputs, state)`` of a folder written by ``write_case``."""
    meta = json.loads((folder / "meta.json").read_text())
    data = dict(np.load(folder / "data.npz"))
    n_out = len(meta["tolerances"])
    runs = [[data[f"in{k}:{i}"] for i in range(meta["inputs"])] for k in range(meta["runs"])]
    outputs = [[data[f"out{k}:{i}"] for i in range(n_out)] for k in range(meta["runs"])]
    state = {k[len("state:"):]: v for k, v in data.items() if k.startswith("state:")}
    return meta, runs, outputs, state


def compare(got: Any, expected: np.ndarray, tolerance: dict) -> str | None:
    """``None`` when ``got`` matches ``expected`` under ``tolerance``, else why not."""
    got = user_array(got)
    if got.shape != expected.shape:
        return f"shape {got.shape} != {expected.shape}"
    if tolerance.get("exact") or expected.dtype.kind in "biuUSO":
        if not np.array_equal(got, expected):
            return f"{int(np.sum(got != expected))} of {expected.size} values differ"
        return None
    g, e = got.astype(np.float64), expected.astype(np.float64)
    if tolerance.get("ill_conditioned"):
        if not np.all(np.isfinite(g)) or abs(g.sum() / max(1, g.shape[0]) - 1.0) > 1e-3:
            return "ill-conditioned output is not a finite probability distribution"
        return None
    atol = tolerance["atol"]
    if tolerance.get("scale_atol") and e.size:
        atol *= max(1.0, float(np.max(np.abs(e))))
    diff = np.abs(g - e)
    limit = atol + tolerance["rtol"] * np.abs(e)
    if not np.all(diff <= limit):
        return f"max abs diff {float(diff.max()):g} exceeds tolerance (atol {atol:g})"
    return None


def compare_all(outputs: list[list[Any]], expected: list[list[np.ndarray]],
                tolerances: list[dict]) -> list[str]:
    """Every mismatch between two sets of run outputs."""
    problems = []
    if len(outputs) != len(expected):
        return [f"{len(outputs)} runs, expected {len(expected)}"]
    for k, (outs, exps) in enumerate(zip(outputs, expected)):
        if len(outs) != len(exps):
            problems.append(f"run {k}: {len(outs)} outputs, expected {len(exps)}")
            continue
        for i, (o, e) in enumerate(zip(outs, exps)):
            why = compare(o, e, tolerances[i])
            if why:
                problems.append(f"run {k} output {i}: {why}")
    return problems


def widened(tolerance: dict) -> dict:
    """A corpus tolerance for comparing two implementations that each meet it against the
    expected values (twice the bound)."""
    if "atol" not in tolerance:
        return dict(tolerance)
    return dict(tolerance, atol=2 * tolerance["atol"], rtol=2 * tolerance["rtol"])


def port_names(ports: list) -> list[list[str]]:
    return [sorted(p.get_names()) for p in ports]


def input_layouts(model: Any) -> list[str]:
    out = []
    for param in model.get_parameters():
        layout = param.get_layout()
        empty = layout.empty  # a property in the real runtime, a method in ours
        out.append("" if (empty() if callable(empty) else empty) else layout.to_string())
    return out


def interface(model: Any) -> dict:
    """What ``meta.json`` records of a saved model's ports, for the other side to check."""
    return {"input_names": port_names(model.inputs), "output_names": port_names(model.outputs),
            "layouts": input_layouts(model)}


def saved_model_problems(model: Any, meta: dict, outputs: list[list[Any]],
                         expected: list[list[np.ndarray]], state: dict[str, Any],
                         expected_state: dict[str, np.ndarray]) -> list[str]:
    """Every way the other side's model (as read here) and what it computed here differ
    from what the saving side recorded: port names, layouts, outputs, final variable
    values and rt_info."""
    problems = []
    seen = interface(model)
    for key, what in (("input_names", "input names"), ("output_names", "output names"),
                      ("layouts", "input layouts")):
        if seen[key] != meta[key]:
            problems.append(f"{what} {seen[key]} != {meta[key]}")
    problems += compare_all(outputs, expected, meta["tolerances"])
    for vid, value in expected_state.items():
        problems += [f"state {vid}: {p}" for p in compare_all(
            [[state.get(vid, np.array([]))]], [[value]], [{"atol": 1e-5, "rtol": 1e-4}])]
    for path, value in meta.get("rt_info", []):
        try:
            got = model.get_rt_info(path).astype(str)
        except Exception as e:  # noqa: BLE001 - a missing entry is a finding, not a crash
            problems.append(f"rt_info {path}: {e}")
            continue
        if got != value:
            problems.append(f"rt_info {path} is '{got}', expected '{value}'")
    return problems


def saved_folders(side_root: Path) -> list[Path]:
    """The model folders one side wrote (``write_case``) under ``side_root``."""
    if not side_root.is_dir():
        return []
    return sorted(p for p in side_root.iterdir() if (p / "meta.json").is_file())


def command_line(doc: str, argv: list[str] | None) -> argparse.Namespace:
    """``export|check ROOT [--corpus DIR]``, as both sides take it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("command", choices=["export", "check"])
    parser.add_argument("root", type=Path)
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("OV_CORPUS_DIR", DEFAULT_CORPUS)))
    args = parser.parse_args(argv)
    args.root.mkdir(parents=True, exist_ok=True)
    return args


def run_command(args: argparse.Namespace, side: str, title: str,
                export: Callable[[Path, Path], dict], check: Callable[[Path], dict]) -> int:
    """Run one side's command, write ``ROOT/<command>_<side>.json``, print the summary;
    the exit status is 1 when anything failed."""
    report = export(args.root, args.corpus) if args.command == "export" else check(args.root)
    (args.root / f"{args.command}_{side}.json").write_text(json.dumps(report, indent=1))
    good = report.get("exported", report.get("passed", []))
    print(f"[{side} {args.command}] {title}{len(good)} ok, {len(report['failed'])} failed")
    for name, why in report["failed"].items():
        print(f"  FAIL {name}: {why if isinstance(why, str) else '; '.join(why[:1])}")
    return 1 if report["failed"] else 0
