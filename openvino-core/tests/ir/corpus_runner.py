"""Running a corpus case (a folder written by the real OpenVINO: model.xml/.bin,
inputs.npz, expected.npz, case.json) through our reference semantics, and comparing outputs
by the case's per-output tolerance. Used by the corpus tests and the interop scripts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from openvino import Tensor
from openvino._reference_executor import ReferencePlan


class Case:
    """One corpus folder, loaded."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.name = self.folder.name
        self.meta = json.loads((self.folder / "case.json").read_text())
        self.inputs = dict(np.load(self.folder / "inputs.npz"))
        self.expected = dict(np.load(self.folder / "expected.npz"))
        self.runs = int(self.meta.get("runs", 1))
        self.stateful = bool(self.meta.get("stateful", False))

    def run_inputs(self, run: int) -> list[np.ndarray]:
        prefix = "" if run == 0 else f"run{run}:"
        ordered = sorted(self.meta["inputs"], key=lambda i: i["index"])
        return [self.inputs[prefix + i["name"]] for i in ordered]


def case_folders(corpus: Path) -> list[Path]:
    """The case folders of a corpus, sorted by name."""
    return sorted(p for p in Path(corpus).iterdir() if (p / "case.json").is_file())


def to_evaluation(array: np.ndarray) -> np.ndarray:
    """A user-side array (unicode strings included) in the reference ops' form."""
    return Tensor(np.asarray(array))._to_evaluation()


def from_evaluation(value: np.ndarray) -> np.ndarray:
    """Reference output -> user-side array (strings decoded to unicode)."""
    value = np.asarray(value)
    if value.dtype == object:
        return np.array([v.decode("utf-8") if isinstance(v, bytes) else str(v)
                         for v in value.reshape(-1)], dtype=str).reshape(value.shape)
    return value


def run_model(model: Any, runs: list[list[np.ndarray]]) -> tuple[list[list[np.ndarray]], dict]:
    """Evaluate ``model`` on each run's inputs in turn, keeping variable state across runs.
    Returns the outputs of every run and the final state (variable id -> array)."""
    plan = ReferencePlan(model)
    state: dict[str, np.ndarray] = {}
    outputs = []
    for inputs in runs:
        outs = plan.run([to_evaluation(a) for a in inputs], state=state)
        outputs.append([from_evaluation(o) for o in outs])
    return outputs, {k: from_evaluation(v) for k, v in state.items()}


def compare(got: np.ndarray, expected: np.ndarray, tolerance: dict) -> str | None:
    """``None`` when ``got`` matches ``expected`` under ``tolerance``, else why not."""
    got = np.asarray(got)
    if got.shape != expected.shape:
        return f"shape {got.shape} != expected {expected.shape}"
    if tolerance.get("exact"):
        if not np.array_equal(got, expected):
            bad = int(np.sum(got != expected))
            return f"{bad} of {expected.size} values differ (exact match required)"
        return None
    got = got.astype(np.float64)
    if tolerance.get("ill_conditioned"):
        if not np.all(np.isfinite(got)):
            return "non-finite values"
        total = got.sum() / max(1, got.shape[0] if got.ndim else 1)
        if abs(total - 1.0) > 1e-3:
            return f"probabilities sum to {total}, not 1"
        return None
    exp = expected.astype(np.float64)
    limit = tolerance["atol"] + tolerance["rtol"] * np.abs(exp)
    diff = np.abs(got - exp)
    if not np.all(diff <= limit):
        worst = float(np.max(diff - limit))
        return f"max excess over tolerance {worst:g} (max abs diff {float(diff.max()):g})"
    return None


def check_case(case: Case, model: Any) -> list[str]:
    """Run ``case`` on ``model`` and list every mismatch with expected.npz (empty: pass)."""
    problems = []
    ordered_in = sorted(case.meta["inputs"], key=lambda i: i["index"])
    for spec in ordered_in:
        names = model.inputs[spec["index"]].get_names()
        if spec["name"] not in names:
            problems.append(f"input {spec['index']} is named {sorted(names)}, expected "
                            f"'{spec['name']}'")
    ordered_out = sorted(case.meta["outputs"], key=lambda o: o["index"])
    for spec in ordered_out:
        names = model.outputs[spec["index"]].get_names()
        if spec["name"] not in names:
            problems.append(f"output {spec['index']} is named {sorted(names)}, expected "
                            f"'{spec['name']}'")
    outputs, state = run_model(model, [case.run_inputs(k) for k in range(case.runs)])
    for k, outs in enumerate(outputs):
        prefix = "" if k == 0 else f"run{k}:"
        for spec in ordered_out:
            why = compare(outs[spec["index"]], case.expected[prefix + spec["name"]],
                          spec["tolerance"])
            if why:
                problems.append(f"run {k} output '{spec['name']}': {why}")
    for key, value in case.expected.items():
        if key.startswith("state:"):
            vid = key[len("state:"):]
            if vid not in state:
                problems.append(f"variable '{vid}' holds no state after the runs")
            else:
                why = compare(state[vid], value, {"atol": 1e-5, "rtol": 1e-4})
                if why:
                    problems.append(f"state '{vid}': {why}")
    return problems
