"""The folder format the two interop sides exchange, and how outputs are compared. Uses
only numpy and json, so both our venv and the real OpenVINO's venv import it.

``<root>/<side>/<model name>/``: ``model.xml`` + ``model.bin`` (written by that side),
``data.npz`` (``in<k>:<i>`` inputs of run k, ``out<k>:<i>`` that side's outputs,
``state:<id>`` final variable values) and ``meta.json`` (runs, stateful, per-output
tolerance, rt_info values to check, where the model came from).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_TOLERANCE = {"atol": 1e-5, "rtol": 1e-4, "scale_atol": True}
REAL_CPU_CONFIG = {"INFERENCE_PRECISION_HINT": "f32", "DYNAMIC_QUANTIZATION_GROUP_SIZE": "0"}


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
