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

__all__ = ["ReferencePlan"]


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
        self._template = self._initial_values()

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
