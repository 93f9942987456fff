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


class _Step:
    __slots__ = ("node", "fn", "args", "outs", "stateful", "types", "name", "type_name")

    def __init__(self, node: Any, args: list[int], outs: list[int]) -> None:
        self.node = node
        self.fn: Callable[..., Any] = node.reference
        self.args = args
        self.outs = outs
        self.stateful = node.needs_state
        self.types = [d.element_type for d in node._outputs]
        self.name = node.get_friendly_name()
        self.type_name = node.type_name


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

    def run(self, inputs: Sequence[np.ndarray], state: dict[str, np.ndarray] | None = None,
            profile: list | None = None) -> list[np.ndarray]:
        """Run the plan on evaluation-form arrays, one per parameter; return the results.
        ``state`` maps variable ids to their values (read and updated in place);
        ``profile``, when given, receives ``(name, type_name, seconds)`` per step."""
        values: list[Any] = [None] * self.num_slots
        for slot, arr in zip(self.parameter_slots, inputs):
            values[slot] = arr
        for slot, arr in self.constants.items():
            values[slot] = arr
        if state is None:
            state = {}
        for step in self.steps:
            args = [values[i] for i in step.args]
            t0 = time.perf_counter() if profile is not None else 0.0
            if step.stateful:
                out = step.fn(*args, state=state)
            else:
                out = step.fn(*args)
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
            if profile is not None:
                profile.append((step.name, step.type_name, time.perf_counter() - t0))
        return [values[s] for s in self.result_slots]
