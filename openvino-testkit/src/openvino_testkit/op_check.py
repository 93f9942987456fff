"""Op conformance: run one op's cases for one element type on a device and on the reference.

For every case the single-op model is built (static shapes, and for the first case also
with dynamic dimensions), ``core.query_model`` says whether the device takes the op, the
reference result comes from ``Model.evaluate`` (the op's reference semantics, what
``TEMPLATE`` runs) and the device's from ``compile_model`` + ``infer``; every output must
have the model's element type and shape and lie within ``tolerances.op_tolerance``.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import openvino as ov

from .compare import mismatch
from .op_cases import Built, Case, OpInfo, candidate_types, cases_for, registry_ops
from .tolerances import compute_type, inference_precision, op_tolerance
from .values import from_tensor, random_values, to_tensor

__all__ = ["OpTarget", "BuiltCase", "build_case", "run_target", "TargetResult", "OP_NODE_NAME",
           "op_targets", "probe"]

#: The friendly name of the op under test in every single-op model.
OP_NODE_NAME = "op_under_test"


@dataclass(frozen=True)
class OpTarget:
    """One op (type and version) with one element type: one check of op conformance.
    ``element_type`` is ``None`` for an op the suite has no case for."""

    info: OpInfo
    element_type: ov.Type | None

    @property
    def check_name(self) -> str:
        et = self.element_type.get_type_name() if self.element_type is not None else "-"
        return f"{self.info.key}/{et}"

    def __str__(self) -> str:
        return self.check_name.replace("/", "-")

    def cases(self) -> list[Case]:
        assert self.element_type is not None
        return cases_for(self.info, self.element_type)


@dataclass
class BuiltCase:
    """A case turned into a model, with the values to feed (one per Parameter)."""

    model: ov.Model
    feeds: list[tuple[np.ndarray, ov.Type]]
    node: Any


def _as_outputs(built: Any) -> list[Any]:
    if isinstance(built, (list, tuple)):
        out = []
        for b in built:
            out.extend(_as_outputs(b))
        return out
    if hasattr(built, "outputs") and callable(built.outputs):
        return list(built.outputs())
    return [built]


def build_case(info: OpInfo, case: Case, element_type: ov.Type, dynamic: bool = False
               ) -> BuiltCase:
    """Build the single-op model of ``case`` and draw its input values."""
    ops = info.opset
    rng = np.random.default_rng(
        zlib.crc32(f"{info.key}/{element_type.get_type_name()}/{case.name}".encode()))
    nodes, params, feeds = [], [], []
    for i, spec in enumerate(case.inputs):
        et = spec.element_type if spec.element_type is not None else element_type
        if spec.value is not None:
            values = np.asarray(spec.value)
        else:
            values = random_values(rng, et, spec.shape, spec.low, spec.high)
        if spec.const:
            nodes.append(_constant(ops, values, et))
            continue
        shape: Any = list(spec.shape)
        if dynamic and spec.dynamic:
            shape = ov.PartialShape([-1] * len(spec.shape))
        p = ops.parameter(shape, dtype=et, name=f"in{i}")
        params.append(p)
        nodes.append(p)
        feeds.append((values, et))
    built = case.build(*nodes)
    sinks: list[Any] = []
    if isinstance(built, Built):
        outputs, sinks, node = _as_outputs(built.outputs), list(built.sinks), built.node
    else:
        outputs = _as_outputs(built)
        node = outputs[0].get_node()
    if node.get_type_name() != info.type_name or \
            node.get_type_info().version_id != info.version:
        raise RuntimeError(
            f"case '{case.name}' built {node.get_type_name()}-"
            f"{node.get_type_info().version_id}, not {info.key} (the opset{info.number} "
            "factory makes another version)")
    node.set_friendly_name(OP_NODE_NAME)
    if sinks:
        model = ov.Model(results=[ops.result(o) for o in outputs], sinks=sinks,
                         parameters=params, name=f"{info.key}_{case.name}")
    else:
        model = ov.Model(outputs, params, f"{info.key}_{case.name}")
    return BuiltCase(model, feeds, node)


def _constant(ops: Any, values: np.ndarray, et: ov.Type) -> Any:
    """A Constant of ``et`` holding ``values`` (through a Tensor for the types numpy has no
    dtype for)."""
    name = et.get_type_name()
    if name in ("bf16", "u1", "u4", "i4", "nf4", "f8e4m3", "f8e5m2", "string"):
        return ov.op.Constant(to_tensor(values, et))
    return ops.constant(np.asarray(values).astype(et.to_dtype()), dtype=et)


@dataclass
class TargetResult:
    """The outcome of one op target: ``supported`` variants that ran, ``unsupported``
    ones (by query_model) and the ``failures`` (variant name -> what went wrong)."""

    ran: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)


def _reference(model: ov.Model, inputs: list[ov.Tensor]) -> list[ov.Tensor]:
    outs = []
    for o in model.outputs:
        ps = o.get_partial_shape()
        outs.append(ov.Tensor(o.get_element_type(), ps.to_shape() if ps.is_static else [0]))
    model.evaluate(outs, inputs)
    return outs


def _run_variant(core: ov.Core, device: str, info: OpInfo, case: Case,
                 element_type: ov.Type, dynamic: bool) -> str | None:
    """Run one variant; ``None`` when it passes, ``"unsupported"``, or a failure text."""
    try:
        built = build_case(info, case, element_type, dynamic)
    except Exception as e:
        return f"the model could not be built: {type(e).__name__}: {e}"
    try:
        supported = core.query_model(built.model, device)
    except Exception as e:
        return f"query_model raised {type(e).__name__}: {e}"
    if OP_NODE_NAME not in supported:
        return "unsupported"
    try:
        expected = _reference(built.model, [to_tensor(v, t) for v, t in built.feeds])
    except Exception as e:
        return f"the reference (Model.evaluate) failed: {type(e).__name__}: {e}"
    try:
        compiled = core.compile_model(built.model, device)
        request = compiled.create_infer_request()
        request.infer([to_tensor(v, t) for v, t in built.feeds])
        actual = [request.get_output_tensor(i) for i in range(len(built.model.outputs))]
    except Exception as e:
        return f"{device} raised {type(e).__name__}: {e}"
    precision = inference_precision(compiled)
    problems = []
    if case.extra.get("finite"):
        problems += _not_finite(actual, expected)
    for i, (got, want) in enumerate(zip(actual, expected)):
        want_type = built.model.outputs[i].get_element_type()
        if got.get_element_type() != want_type:
            problems.append(f"output {i} has element type "
                            f"{got.get_element_type().get_type_name()}, "
                            f"expected {want_type.get_type_name()}")
            continue
        tol = op_tolerance(case.tolerance_op or info.type_name,
                           compute_type(want_type.get_type_name(), precision))
        diff = mismatch(from_tensor(got), from_tensor(want), tol)
        if diff:
            problems.append(f"output {i}: {diff}")
    return "; ".join(problems) or None


def _not_finite(actual: list[ov.Tensor], expected: list[ov.Tensor]) -> list[str]:
    """For a case whose result the op's definition keeps finite (inputs at extreme
    magnitudes): each output, device's or reference's, with infinities or NaNs."""
    problems = []
    for i, (got, want) in enumerate(zip(actual, expected)):
        for who, tensor in (("the reference", want), ("the device", got)):
            values = np.asarray(from_tensor(tensor), dtype=np.float64)
            bad = int(np.count_nonzero(~np.isfinite(values)))
            if bad:
                problems.append(f"output {i}: {who} gives {bad} of {values.size} values that "
                                "are not finite where the op's result is (inputs at extreme "
                                "magnitudes)")
    return problems


def run_target(core: ov.Core, device: str, target: OpTarget) -> TargetResult:
    """Run every case (and the dynamic variants) of ``target`` on ``device``."""
    assert target.element_type is not None
    result = TargetResult()
    for n, case in enumerate(target.cases()):
        variants = [False]
        wants_dynamic = case.dynamic if case.dynamic is not None else n == 0
        if wants_dynamic and any(not s.const and s.dynamic and s.shape for s in case.inputs):
            variants.append(True)
        for dynamic in variants:
            name = case.name + (" (dynamic dims)" if dynamic else "")
            outcome = _run_variant(core, device, target.info, case, target.element_type,
                                   dynamic)
            if outcome == "unsupported":
                result.unsupported.append(name)
            else:
                result.ran.append(name)
                if outcome is not None:
                    result.failures[name] = outcome
    return result


def probe(info: OpInfo) -> dict[str, str | None]:
    """For each candidate element type of ``info``: ``None`` when its first case builds,
    else why not (the op rejects the type, or the case does not fit the op)."""
    out: dict[str, str | None] = {}
    for et in candidate_types(info):
        try:
            cases = cases_for(info, et)
            if not cases:
                out[et.get_type_name()] = "no case for this element type"
                continue
            build_case(info, cases[0], et)
            out[et.get_type_name()] = None
        except Exception as e:
            out[et.get_type_name()] = f"{type(e).__name__}: {e}"
    return out


def op_targets() -> list[OpTarget]:
    """Every (op, element type) check of the suite: each registry op with every candidate
    type whose first case builds; an op with none is listed once with no type."""
    targets = []
    for info in registry_ops():
        why_not = probe(info)
        accepted = [et for et in candidate_types(info) if why_not[et.get_type_name()] is None]
        if not accepted:
            targets.append(OpTarget(info, None))
        for et in accepted:
            targets.append(OpTarget(info, et))
    return targets
