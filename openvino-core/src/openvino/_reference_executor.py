"""The reference executor: runs a model by calling each op's numpy ``reference``.

``ReferencePlan(model)`` orders the ops once and assigns every output a slot; ``run``
then walks that flat list. Constant folding, ``Model.evaluate`` and the ``TEMPLATE``
device all execute models through it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._encoding import cast_evaluation
from ._type import Type

__all__ = ["ReferencePlan", "fold_values", "NOT_FOLDED"]

#: Ops never computed ahead of an inference: graph boundaries, variables, random values.
NOT_FOLDED = frozenset({"Parameter", "Result", "Constant", "ReadValue", "Assign",
                        "RandomUniform", "Multinomial"})


#: A dtype no op result has: steps without a fast path compare against it.
_NO_DTYPE = np.dtype([("no fast path", np.uint8)])


class _Step:
    __slots__ = ("node", "fn", "args", "outs", "stateful", "types", "name", "type_name",
                 "out", "dtype")

    def __init__(self, node: Any, args: list[int], outs: list[int]) -> None:
        self.node = node
        self.fn: Callable[..., Any] = node.reference
        self.args = args
        self.outs = outs
        self.stateful = node.needs_state
        self.types = [d.element_type for d in node._outputs]
        self.name = node.get_friendly_name()
        self.type_name = node.type_name
        # single-output steps take a fast path: the output slot and the dtype a result
        # must have to be stored as is (None: always go through the checks)
        self.out = outs[0] if len(outs) == 1 else -1
        et = self.types[0] if len(self.types) == 1 else None
        self.dtype = et.evaluation_dtype if et is not None and et.is_static() else _NO_DTYPE


class _InferenceState(dict):
    """The variables as one inference sees them: reads return the values from before the
    inference (whatever order ReadValue and Assign run in); writes are kept aside and
    committed once the inference finishes."""

    def __init__(self, before: dict[str, np.ndarray]) -> None:
        super().__init__(before)
        self.written: dict[str, np.ndarray] = {}

    def __setitem__(self, key: str, value: np.ndarray) -> None:
        self.written[key] = value


def fold_values(node: Any, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The outputs of ``node`` on constant ``inputs`` as OpenVINO's constant folding
    computes them, for a chain of constant ops (weight decompression: ``Convert(u8/u4 ->
    f16) -> Subtract -> Multiply -> Reshape -> Convert(f32)``).

    OpenVINO evaluates f16 arithmetic of constants in f32 and rounds to f16 only where a
    value leaves the folded chain: ``Convert(f32)(a * b)`` of two f16 constants is the
    exact product, not the product rounded to f16 (CPU computes the same chain in f32).
    So each f16 output comes back as a float32 array that is *not* rounded to f16, and an
    f16 input may be given the same way (the unrounded value of an earlier fold). A
    ``Convert`` to f16 still rounds (its output holds f16 values). Outputs of other
    types are in their evaluation form. Raises what the op's reference raises."""
    f16 = Type.f16
    f32 = np.dtype(np.float32)
    convert = node.type_name == "Convert"
    args = [a if convert or a.dtype != np.float16 else a.astype(f32) for a in
            (np.asarray(v) for v in inputs)]
    if convert and args and args[0].dtype == f32 and node.get_input_element_type(0) == f16:
        args[0] = args[0].astype(np.float16) if node.get_output_element_type(0) == f16 \
            else args[0]
    from ._ops.elementwise import F16_UNROUNDED

    token = F16_UNROUNDED.set(not convert)
    try:
        with np.errstate(all="ignore"):
            out = node.reference(*args)
    finally:
        F16_UNROUNDED.reset(token)
    out = list(out) if isinstance(out, (tuple, list)) else [out]
    if len(out) != node.get_output_size():
        raise RuntimeError(f"Op '{node.get_friendly_name()}' ({node.type_name}) produced "
                           f"{len(out)} outputs, expected {node.get_output_size()}")
    values = []
    for i, value in enumerate(out):
        value = np.asarray(value)
        et = node.get_output_element_type(i)
        if et == f16:
            if convert:
                value = cast_evaluation(value, et)
            value = value.astype(f32, copy=False)
        elif et.is_static() and value.dtype != et.evaluation_dtype:
            value = cast_evaluation(value, et)
        values.append(value)
    return values


#: A folded step whose value is this many bytes and over 4x its inputs runs at inference.
_MAX_FOLD_GROWTH = 16 << 20


def _stored(value: np.ndarray, et: Any) -> np.ndarray:
    """A folded value as its slot holds it (f16 rounded), read-only: it is shared by every
    inference."""
    if value.dtype != et.evaluation_dtype:
        value = cast_evaluation(value, et)
    if value.flags.writeable:
        value = np.array(value, copy=True)
        value.setflags(write=False)
    return value


def _handing_out(value: Any) -> Callable[..., Any]:
    def folded(*_args: Any) -> Any:
        return value
    return folded


class ReferencePlan:
    """A model lowered to a list of reference calls over numbered value slots."""

    def __init__(self, model: Any) -> None:
        ops = model.get_ordered_ops()
        slot_of: dict[tuple[int, int], int] = {}
        self.constants: dict[int, np.ndarray] = {}
        self.steps: list[_Step] = []
        n = 0
        params = model.get_parameters()
        self.parameter_slots: list[int] = []
        for p in params:
            slot_of[(id(p), 0)] = n
            self.parameter_slots.append(n)
            n += 1
        for node in ops:
            tn = node.type_name
            if tn == "Parameter":
                if (id(node), 0) not in slot_of:
                    slot_of[(id(node), 0)] = n
                    n += 1
                continue
            if tn == "Result":
                src = node._inputs[0]
                slot_of[(id(node), 0)] = slot_of[(id(src._node), src._index)]
                continue
            outs = []
            for i in range(len(node._outputs)):
                slot_of[(id(node), i)] = n
                outs.append(n)
                n += 1
            if tn == "Constant":
                self.constants[outs[0]] = node.get_evaluation_data()
                continue
            args = [slot_of[(id(s._node), s._index)] for s in node._inputs]
            self.steps.append(_Step(node, args, outs))
        self.result_slots = [slot_of[(id(r), 0)] for r in model.get_results()]
        self.result_types = [r.get_output_element_type(0) for r in model.get_results()]
        self.num_slots = n
        self.stateful = any(step.stateful for step in self.steps)
        self._fold_constant_steps()
        self._template = self._initial_values()

    def _fold_constant_steps(self) -> None:
        """Compute the steps whose inputs are all constants once, here, as OpenVINO folds
        constants when it compiles a model (with its f16 rule: see ``fold_values``). A
        folded step stays in the plan (profiles list it) and hands out its value; one whose
        values only other folded steps read hands out empty arrays of its types. A step
        whose reference fails, or whose value is much larger than its inputs (a Broadcast
        of a scalar), stays to run at inference."""
        known: dict[int, np.ndarray] = dict(self.constants)
        folded: dict[int, _Step] = {}
        for step in self.steps:
            node = step.node
            if step.stateful or node.type_name in NOT_FOLDED or \
                    not all(a in known for a in step.args) or not node.has_evaluate():
                continue
            try:
                values = fold_values(node, [known[a] for a in step.args])
            except Exception:  # noqa: BLE001 - the op fails at inference too: report there
                continue
            if not all(et.is_static() and node.get_output_partial_shape(i)._compatible(
                    list(v.shape)) for i, (v, et) in enumerate(zip(values, step.types))):
                continue
            grown = sum(v.nbytes for v in values)
            if grown > max(_MAX_FOLD_GROWTH, 4 * sum(known[a].nbytes for a in step.args)):
                continue
            known.update(zip(step.outs, values))
            folded[id(step)] = step
        if not folded:
            return
        read_at_inference = set(self.result_slots)
        for step in self.steps:
            if id(step) not in folded:
                read_at_inference.update(step.args)
        for step in folded.values():
            if any(slot in read_at_inference for slot in step.outs):
                outs = tuple(_stored(known[slot], et) for slot, et in zip(step.outs, step.types))
            else:
                outs = tuple(np.empty(0, et.evaluation_dtype) for et in step.types)
            step.fn = _handing_out(outs[0] if len(outs) == 1 else outs)
            step.stateful = False

    def _initial_values(self) -> list[Any]:
        values: list[Any] = [None] * self.num_slots
        for slot, arr in self.constants.items():
            values[slot] = arr
        return values

    def run(self, inputs: Sequence[np.ndarray], state: dict[str, np.ndarray] | None = None,
            profile: list | None = None) -> list[np.ndarray]:
        """Run the plan on evaluation-form arrays, one per parameter; return the results.
        ``state`` maps variable ids to their values (read and updated in place);
        ``profile``, when given, receives ``(name, type_name, seconds)`` per step."""
        values = self._template.copy()
        for slot, arr in zip(self.parameter_slots, inputs):
            values[slot] = arr
        if state is None:
            state = {}
        view = _InferenceState(state) if self.stateful else state
        timer = time.perf_counter
        ndarray = np.ndarray
        for step in self.steps:
            if profile is not None:
                t0 = timer()
            args = [values[i] for i in step.args]
            if step.stateful:
                out = step.fn(*args, state=view)
            else:
                out = step.fn(*args)
            if type(out) is ndarray and out.dtype == step.dtype:
                values[step.out] = out
            else:
                self._store(step, out, values)
            if profile is not None:
                profile.append((step.name, step.type_name, timer() - t0))
        if self.stateful:
            state.update(view.written)
        return [values[s] for s in self.result_slots]

    @staticmethod
    def _store(step: _Step, out: Any, values: list[Any]) -> None:
        """Check and cast the outputs of ``step`` into their slots."""
        if type(out) is not tuple and type(out) is not list:
            out = (out,)
        if len(out) != len(step.outs):
            raise RuntimeError(
                f"Op '{step.name}' ({step.type_name}) produced {len(out)} outputs, "
                f"expected {len(step.outs)}")
        for slot, value, et in zip(step.outs, out, step.types):
            if type(value) is not np.ndarray or (
                    value.dtype != et.evaluation_dtype and et.is_static()):
                value = cast_evaluation(np.asarray(value), et) if et.is_static() \
                    else np.asarray(value)
            values[slot] = value
