"""The conformance report: every check's outcome, summarised per device.

A *check* is one test of the suite against one device, named
``<device>::<kind>::<name>`` (``TEMPLATE::api::properties.full_device_name``,
``CPU::op::Add-opset1/f32``, ``GPU.0::model::corpus/small_convnet``). Its outcome is one
of ``OUTCOMES``. The report counts them per device and kind; ops are also counted per op
(an op passes when every element type the device supports passes), and it renders the
end-of-run table and the JSON file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CheckResult", "Report", "OUTCOMES", "KINDS", "check_id"]

KINDS = ("api", "op", "model")
#: passed; failed; known_failure (failed and declared in --ov-xfails); fixed (declared but
#: passed); unsupported (an op the device does not support, by query_model); skipped (does
#: not apply: a capability the device does not declare, a model source that is missing)
OUTCOMES = ("passed", "failed", "known_failure", "fixed", "unsupported", "skipped")


def check_id(device: str, kind: str, name: str) -> str:
    """The stable identifier of a check, as the report and ``--ov-xfails`` spell it."""
    return f"{device}::{kind}::{name}"


@dataclass
class CheckResult:
    """The outcome of one check on one device."""

    device: str
    kind: str
    name: str
    outcome: str
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return check_id(self.device, self.kind, self.name)


def _op_and_type(name: str) -> tuple[str, str]:
    op, _, element_type = name.partition("/")
    return op, element_type


def _op_outcome(outcomes: list[str]) -> str:
    """One op's outcome from its element types' outcomes."""
    for o in ("failed", "known_failure", "passed", "fixed"):
        if o in outcomes:
            return "passed" if o == "fixed" else o
    if "unsupported" in outcomes:
        return "unsupported"
    return "skipped"


class Report:
    """Results of a run, keyed by check id (a later result for the same id wins)."""

    def __init__(self) -> None:
        self.results: dict[str, CheckResult] = {}

    def add(self, result: CheckResult) -> None:
        self.results[result.id] = result

    def devices(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.results.values():
            seen.setdefault(r.device, None)
        return list(seen)

    def _of(self, device: str, kind: str) -> list[CheckResult]:
        return [r for r in self.results.values() if r.device == device and r.kind == kind]

    def summary(self, device: str) -> dict[str, Any]:
        """The counts of one device: ``api``, ``ops`` (per op and per op/type pair) and
        ``models``, plus the ids of its failures and known failures."""
        out: dict[str, Any] = {}
        for kind, key in (("api", "api"), ("model", "models")):
            results = self._of(device, kind)
            counts = {o: 0 for o in OUTCOMES if o != "unsupported"}
            for r in results:
                counts[r.outcome if r.outcome in counts else "skipped"] += 1
            counts["total"] = len(results)
            out[key] = counts
        per_op: dict[str, dict[str, str]] = {}
        pairs = {o: 0 for o in OUTCOMES}
        for r in self._of(device, "op"):
            op, element_type = _op_and_type(r.name)
            per_op.setdefault(op, {})[element_type] = r.outcome
            pairs[r.outcome] += 1
        by_op = {op: {"outcome": _op_outcome(list(types.values())), "types": types}
                 for op, types in sorted(per_op.items())}
        op_counts = {o: 0 for o in ("passed", "failed", "known_failure", "unsupported",
                                    "skipped")}
        for entry in by_op.values():
            op_counts[entry["outcome"]] += 1
        out["ops"] = {
            "supported": op_counts["passed"] + op_counts["failed"] + op_counts["known_failure"],
            **op_counts,
            "total": len(by_op),
            "type_pairs": pairs,
            "by_op": by_op,
        }
        out["failures"] = sorted(r.id for r in self.results.values()
                                 if r.device == device and r.outcome == "failed")
        out["known_failures"] = sorted(r.id for r in self.results.values()
                                       if r.device == device and r.outcome == "known_failure")
        out["fixed"] = sorted(r.id for r in self.results.values()
                              if r.device == device and r.outcome == "fixed")
        return out

    def to_json(self, meta: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            **(meta or {}),
            "devices": {d: self.summary(d) for d in self.devices()},
            "checks": [asdict(r) | {"id": r.id} for r in self.results.values()],
        }

    def write_json(self, path: str | Path, meta: dict[str, Any] | None = None) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(self.to_json(meta), indent=1, sort_keys=False))

    def table(self) -> list[str]:
        """The end-of-run table, one row per device, as text lines."""
        head = ("device", "API pass", "fail", "known", "n/a",
                "ops supp", "pass", "fail", "known", "unsup",
                "models pass", "fail", "known", "skip")
        rows = [head]
        for device in self.devices():
            s = self.summary(device)
            api, ops, models = s["api"], s["ops"], s["models"]
            op_cells: Iterable[Any]
            if ops["total"]:
                op_cells = (ops["supported"], ops["passed"], ops["failed"],
                            ops["known_failure"], ops["unsupported"])
            else:
                op_cells = ("-",) * 5
            rows.append((device, api["passed"] + api["fixed"], api["failed"],
                         api["known_failure"], api["skipped"], *op_cells,
                         models["passed"] + models["fixed"], models["failed"],
                         models["known_failure"], models["skipped"]))
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
        lines = []
        for n, row in enumerate(rows):
            cells = [str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i])
                     for i, c in enumerate(row)]
            lines.append(f"{cells[0]} | {' '.join(cells[1:5])} | {' '.join(cells[5:10])} | "
                         f"{' '.join(cells[10:])}")
            if n == 0:
                lines.append("-" * len(lines[0]))
        return lines
