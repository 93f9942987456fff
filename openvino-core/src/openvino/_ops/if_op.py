"""If (opset8): runs its then body when the boolean condition (input 0) holds, its else
body otherwise; both bodies take inputs through invariant input descriptions and give every
output through a body output description."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Output, as_output
from .._opsets import factory
from .._shape import PartialShape
from .._type import Type
from ._subgraph import (
    BodyOutputDescription,
    InvariantInputDescription,
    MultiSubGraphOp,
    body_runner,
    merged_shape,
    scalar_bool,
)

__all__ = ["If"]

THEN_BODY, ELSE_BODY = 0, 1


class If(MultiSubGraphOp):
    type_name = "If"
    version = "opset8"
    num_bodies = 2

    def __init__(self, execution_condition: Any = None, name: str | None = None) -> None:
        self._init_node([] if execution_condition is None else [as_output(execution_condition)])
        self._init_bodies()
        if name:
            self._friendly_name = name
        self.validate_and_infer_types()

    # --- OpenVINO's If API --------------------------------------------------------------------
    def get_then_body(self) -> Any:
        return self._bodies[THEN_BODY]

    def get_else_body(self) -> Any:
        return self._bodies[ELSE_BODY]

    def set_then_body(self, body: Any) -> None:
        self.set_function(THEN_BODY, body)

    def set_else_body(self, body: Any) -> None:
        self.set_function(ELSE_BODY, body)

    def set_input(self, value: Any, then_parameter: Any, else_parameter: Any) -> None:
        """Feed ``value`` to ``then_parameter`` of the then body and ``else_parameter`` of the
        else body (either may be ``None``: that body does not read it)."""
        if then_parameter is None and else_parameter is None:
            raise RuntimeError(f"{self._describe()}: set_input needs a then or an else "
                               "body Parameter")
        found = [(b, self._parameter_index(b, p)) for b, p in
                 ((THEN_BODY, then_parameter), (ELSE_BODY, else_parameter)) if p is not None]
        index = self._add_input(value)
        for b, p in found:
            self._input_descs[b].append(InvariantInputDescription(index, p))
        self.validate_and_infer_types()

    def set_output(self, then_result: Any, else_result: Any) -> Output:
        """A new output: ``then_result`` of the then body or ``else_result`` of the else
        body, whichever runs."""
        t = self._result_index(THEN_BODY, then_result)
        e = self._result_index(ELSE_BODY, else_result)
        index = self._new_output()
        self._output_descs[THEN_BODY].append(BodyOutputDescription(t, index))
        self._output_descs[ELSE_BODY].append(BodyOutputDescription(e, index))
        self.validate_and_infer_types()
        return Output(self, index)

    # --- inference ----------------------------------------------------------------------------
    def validate_and_infer_types(self) -> None:
        if not self._inputs:
            return  # made empty: arguments and bodies come later
        # any element type: OpenVINO takes a non-zero number as true
        if any(b is None for b in self._bodies):
            return
        cond_ps = self.get_input_partial_shape(0)
        self.check(cond_ps.rank.is_dynamic or cond_ps.rank.get_length() in (0, 1),
                   f"{self._layer()}: Rank of If condition input must be equal to 0 or 1 "
                   f"(its shape is {cond_ps})")
        n_then, n_else = (len(self._output_descs[b]) for b in (THEN_BODY, ELSE_BODY))
        self.check(n_then == n_else,
                   f"{self._layer()}: the then body gives {n_then} outputs, the else body "
                   f"{n_else}; both must give the same outputs")
        for b in (THEN_BODY, ELSE_BODY):
            self._check_descriptions(b)
            self._bind_parameters(b)
        taken = self._constant_condition()
        per_output: dict[int, list[tuple[Type, PartialShape]]] = {}
        for b in (THEN_BODY, ELSE_BODY):
            results = self._bodies[b].get_results()
            for d in self._output_descs[b]:
                r = results[d.body_value_index]
                per_output.setdefault(d.output_index, [None, None])[b] = (
                    r.get_input_element_type(0), r.get_input_partial_shape(0))
        count = max(per_output, default=-1) + 1
        for j in range(count):
            pair = per_output.get(j)
            self.check(pair is not None and None not in pair,
                       f"{self._layer()}: output {j} is not given by both bodies")
            (et_t, ps_t), (et_e, ps_e) = pair
            if taken is not None:
                et, ps = pair[THEN_BODY if taken else ELSE_BODY]
            else:
                self.check(et_t.is_dynamic() or et_e.is_dynamic() or et_t == et_e,
                           f"{self._layer()}: output {j} is {et_t.get_type_name()} in the "
                           f"then body and {et_e.get_type_name()} in the else body")
                et = et_e if et_t.is_dynamic() else et_t
                ps = ps_t if ps_t.to_string() == ps_e.to_string() else merged_shape(ps_t, ps_e)
            self.set_output_type(j, et, ps)
        self.needs_state = self._bodies_stateful()

    def _constant_condition(self) -> bool | None:
        from ._infer import constant_value

        value = constant_value(self._inputs[0])
        return None if value is None else scalar_bool(value)

    # --- semantics ----------------------------------------------------------------------------
    def reference(self, cond: np.ndarray, *inputs: np.ndarray, state: dict | None = None,
                  body_runners: Any = None) -> tuple[np.ndarray, ...]:
        """``body_runners``: a device's executor per body (see ``body_runner``)."""
        b = THEN_BODY if scalar_bool(cond) else ELSE_BODY
        body = self._bodies[b]
        args: list[Any] = [None] * len(body.get_parameters())
        for d in self._input_descs[b]:
            args[d.body_parameter_index] = inputs[d.input_index - 1] if d.input_index else cond
        missing = next((p for a, p in zip(args, body.get_parameters()) if a is None), None)
        if missing is not None:
            raise RuntimeError(f"{self._layer()}: body Parameter "
                               f"'{missing.get_friendly_name()}' has no input")
        local = None
        if state is not None:  # the body's writes are seen by what runs after it
            local = dict(state)
            local.update(getattr(state, "written", {}))
        values = body_runner(self, b, body_runners)(args, local)
        if local is not None:
            for key, value in local.items():
                if state.get(key) is not value:
                    state[key] = value
        outs: list[Any] = [None] * len(self._outputs)
        for d in self._output_descs[b]:
            outs[d.output_index] = values[d.body_value_index]
        return tuple(outs)


If.__name__ = If.__qualname__ = "if_op"
If.__module__ = "openvino._pyopenvino.op"


# OpenVINO's opset8.if_op is the op class itself
factory("if_op", since=8)(If)
