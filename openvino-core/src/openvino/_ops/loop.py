"""The iterating ops: TensorIterator (opset1), which runs its body once per part of its
sliced inputs, and Loop (opset5), which runs it while its trip count and the body's
condition allow.

Loop's inputs 0 and 1 are the trip count (an integer scalar or one-element tensor, negative
for none) and the initial execution condition (boolean); its special body ports name the
body Parameter that receives the current iteration number (-1: none) and the body Result
whose boolean value decides whether another iteration runs (-1: always). Both ops take their
other inputs and give their outputs through port maps (see ``_subgraph``).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from .._node import Output, as_output
from .._opsets import factory
from .._type import Type
from ._subgraph import (
    BodyOutputDescription,
    ConcatOutputDescription,
    InvariantInputDescription,
    MergedInputDescription,
    MultiSubGraphOp,
    SliceInputDescription,
    body_runner,
    concat_parts,
    scalar_bool,
    scalar_int,
    slice_parts,
)

__all__ = ["TensorIterator", "Loop"]


class _IteratingOp(MultiSubGraphOp):
    """The part TensorIterator and Loop share: building the port maps, and running the body
    over sliced, merged and invariant inputs."""

    #: inputs before the port-mapped ones (Loop: trip count and condition)
    first_mapped_input = 0

    def _new_empty_node(self, inputs: list[Output], name: str | None) -> None:
        self._init_node(inputs, name)
        self._init_bodies()
        self._special = [-1, -1]

    def _copy_state_from(self, other: Any) -> None:
        super()._copy_state_from(other)
        self._special = list(other._special)

    # --- OpenVINO's SubGraphOp API --------------------------------------------------------------
    def get_body(self) -> Any:
        return self._bodies[0]

    def set_body(self, body: Any) -> None:
        self.set_function(0, body)

    def set_invariant_input(self, body_parameter: Any, value: Any) -> None:
        p = self._parameter_index(0, body_parameter)
        index = self._add_input(value)
        self._input_descs[0].append(InvariantInputDescription(index, p))
        self.validate_and_infer_types()

    def set_sliced_input(self, body_parameter: Any, value: Any, start: int, stride: int,
                         part_size: int, end: int, axis: int) -> None:
        p = self._parameter_index(0, body_parameter)
        index = self._add_input(value)
        self._input_descs[0].append(
            SliceInputDescription(index, p, start, stride, part_size, end, axis))
        self.validate_and_infer_types()

    def set_merged_input(self, body_parameter: Any, initial_value: Any,
                         successive_value: Any) -> None:
        p = self._parameter_index(0, body_parameter)
        r = self._result_index(0, successive_value)
        index = self._add_input(initial_value)
        self._input_descs[0].append(MergedInputDescription(index, p, r))
        self.validate_and_infer_types()

    def get_iter_value(self, body_value: Any, iteration: int = -1) -> Output:
        r = self._result_index(0, body_value)
        index = self._new_output()
        self._output_descs[0].append(BodyOutputDescription(r, index, iteration))
        self.validate_and_infer_types()
        return Output(self, index)

    def get_concatenated_slices(self, body_value: Any, start: int, stride: int,
                                part_size: int, end: int, axis: int) -> Output:
        r = self._result_index(0, body_value)
        index = self._new_output()
        self._output_descs[0].append(
            ConcatOutputDescription(r, index, start, stride, part_size, end, axis))
        self.validate_and_infer_types()
        return Output(self, index)

    def get_num_iterations(self) -> int:
        if self._bodies[0] is None:
            return -1
        n = self._num_iterations()
        return -1 if n is None else n

    # --- inference --------------------------------------------------------------------------
    def _slices_count(self) -> int | None:
        """The iterations the sliced inputs allow (None: no sliced input, or unknown)."""
        counts = []
        for d in self._input_descs[0]:
            if not isinstance(d, SliceInputDescription):
                continue
            ps = self._inputs[d.input_index].get_partial_shape()
            if ps.rank.is_dynamic:
                return None
            axis = d.axis + len(ps) if d.axis < 0 else d.axis
            if not 0 <= axis < len(ps) or ps[axis].is_dynamic:
                return None
            dim = ps[axis].get_length()
            start = d.start + dim if d.start < 0 else d.start
            end = d.end + dim if d.end < 0 else d.end
            lo, hi = max(min(start, end), 0), min(max(start, end), dim - 1)
            counts.append(max(hi - lo + 1, 0) // max(d.part_size, 1))  # as slice_parts
        return min(counts) if counts else None

    def _num_iterations(self) -> int | None:
        raise NotImplementedError

    def validate_and_infer_types(self) -> None:
        if self._bodies[0] is None:
            return
        mapped = len(self._inputs) - self.first_mapped_input
        self.check(mapped == len(self._input_descs[0]),
                   f"{self._layer()}: Number of inputs must be the same as number of input "
                   f"descriptions ({mapped} inputs, {len(self._input_descs[0])} in the port "
                   "map)")
        self._check_descriptions(0)
        self._check_special_ports()
        self._bind_parameters(0)
        n = self._num_iterations()
        for d in self._output_descs[0]:
            self._output_type(0, d, n)
        self.needs_state = self._bodies_stateful()

    def _check_special_ports(self) -> None:
        pass

    # --- semantics ----------------------------------------------------------------------------
    def _iterate(self, inputs: tuple[np.ndarray, ...], limit: int, go: bool,
                 state: dict | None, runners: Any = None) -> tuple[np.ndarray, ...]:
        body = self._bodies[0]
        params = body.get_parameters()
        results = body.get_results()
        args: list[Any] = [None] * len(params)
        sliced: list[tuple[int, list[np.ndarray]]] = []
        merged: list[tuple[int, int]] = []
        for d in self._input_descs[0]:
            value = inputs[d.input_index]
            if isinstance(d, SliceInputDescription):
                parts = slice_parts(value, d, self._layer())
                sliced.append((d.body_parameter_index, parts))
                limit = min(limit, len(parts))
            else:
                args[d.body_parameter_index] = value
                if isinstance(d, MergedInputDescription):
                    merged.append((d.body_parameter_index, d.body_value_index))
        current, cond_index = self._special
        if current >= 0:
            et = params[current].get_element_type()
            iter_dtype = et.evaluation_dtype if et.is_static() else np.int64
            iter_shape = (1,) if params[current].get_partial_shape().rank.get_length() else ()
        for i, a in enumerate(args):
            if a is None and i != current and all(p != i for p, _ in sliced):
                raise RuntimeError(f"{self._layer()}: body Parameter "
                                   f"'{params[i].get_friendly_name()}' has no input")
        run = body_runner(self, 0, runners)
        local = None
        if state is not None:
            local = dict(state)
            local.update(getattr(state, "written", {}))
        outputs = self._output_descs[0]
        last: dict[int, np.ndarray] = {}
        collected: dict[int, list[np.ndarray]] = {d.output_index: [] for d in outputs
                                                  if isinstance(d, ConcatOutputDescription)}
        i = 0
        while go and i < limit:
            if current >= 0:
                args[current] = np.full(iter_shape, i, iter_dtype)
            for p, parts in sliced:
                args[p] = parts[i]
            values = run(list(args), local)
            for d in outputs:
                v = values[d.body_value_index]
                if isinstance(d, ConcatOutputDescription):
                    collected[d.output_index].append(v)
                else:  # the last value whatever ``iteration`` says, as OpenVINO's CPU plugin
                    last[d.output_index] = v
            for p, r in merged:
                args[p] = values[r]
            if cond_index >= 0:
                go = scalar_bool(values[cond_index])
            i += 1
        if local is not None:
            for key, value in local.items():
                if state.get(key) is not value:
                    state[key] = value
        outs: list[Any] = [None] * len(self._outputs)
        for d in outputs:
            j = d.output_index
            if isinstance(d, ConcatOutputDescription):
                r = results[d.body_value_index]
                ps = r.get_input_partial_shape(0)
                et = r.get_input_element_type(0)
                parts = collected[j]
                if parts:
                    outs[j] = concat_parts(parts, d)
                else:
                    outs[j] = _empty(ps, et, d.axis)
            elif j in last:
                outs[j] = last[j]
            else:  # no iteration ran: a back-edged value keeps its initial value
                outs[j] = self._initial_value(d.body_value_index, inputs, results)
        return tuple(outs)

    def _initial_value(self, result_index: int, inputs: tuple[np.ndarray, ...],
                       results: list[Any]) -> np.ndarray:
        for d in self._input_descs[0]:
            if isinstance(d, MergedInputDescription) and d.body_value_index == result_index:
                return inputs[d.input_index]
        r = results[result_index]
        ps = r.get_input_partial_shape(0)
        return _empty(ps, r.get_input_element_type(0), None)


def _empty(ps: Any, et: Type, axis: int | None) -> np.ndarray:
    """A value with no iterations behind it: zero along ``axis`` (every dynamic dimension
    zero), zeros elsewhere."""
    dtype = et.evaluation_dtype if et.is_static() else np.float32
    if ps.rank.is_dynamic:
        return np.zeros((0,), dtype)
    dims = [d.get_length() if d.is_static else 0 for d in ps]
    if axis is not None and dims:
        dims[axis + len(dims) if axis < 0 else axis] = 0
    return np.zeros(dims, dtype)


class TensorIterator(_IteratingOp):
    type_name = "TensorIterator"
    version = "opset1"

    def __init__(self, name: str | None = None) -> None:
        self._new_empty_node([], name)

    def _num_iterations(self) -> int | None:
        return self._slices_count()

    def reference(self, *inputs: np.ndarray, state: dict | None = None,
                  body_runners: Any = None) -> tuple[np.ndarray, ...]:
        if not any(isinstance(d, SliceInputDescription) for d in self._input_descs[0]):
            limit = 1  # nothing to iterate over: one run of the body
        else:
            limit = sys.maxsize
        return self._iterate(inputs, limit, True, state, body_runners)


class Loop(_IteratingOp):
    type_name = "Loop"
    version = "opset5"
    first_mapped_input = 2

    def __init__(self, trip_count: Any = None, execution_condition: Any = None,
                 name: str | None = None) -> None:
        if (trip_count is None) != (execution_condition is None):
            raise TypeError("Loop takes both trip_count and execution_condition, or neither")
        inputs = [] if trip_count is None else [as_output(trip_count),
                                                 as_output(execution_condition)]
        self._new_empty_node(inputs, name)
        self.validate_and_infer_types()

    def get_special_body_ports(self) -> list[int]:
        return list(self._special)

    def set_special_body_ports(self, ports: Any) -> None:
        ports = [int(p) for p in ports]
        if len(ports) != 2:
            raise TypeError("special body ports are [current_iteration_input_idx, "
                            "body_condition_output_idx]")
        self._special = ports
        self.validate_and_infer_types()

    def validate_and_infer_types(self) -> None:
        # the trip count and the initial condition may be of any number type, as in
        # OpenVINO (a non-zero condition is true); the body's condition must be boolean
        super().validate_and_infer_types()

    def _check_special_ports(self) -> None:
        body = self._bodies[0]
        current, cond = self._special
        params, results = body.get_parameters(), body.get_results()
        self.check(-1 <= current < len(params),
                   f"{self._layer()}: the current iteration port names body Parameter "
                   f"{current}, the body has {len(params)}")
        self.check(-1 <= cond < len(results),
                   f"{self._layer()}: the condition port names body Result {cond}, the "
                   f"body has {len(results)}")
        if current >= 0:
            p = params[current]
            et = p.get_element_type()
            self.check(et.is_dynamic() or et.is_integral_number(),
                       f"{self._layer()}: the current iteration Parameter "
                       f"'{p.get_friendly_name()}' must be an integer, it is "
                       f"{et.get_type_name()}")
        if cond >= 0:
            et = results[cond].get_input_element_type(0)
            self.check(et.is_dynamic() or et is Type.boolean,
                       f"{self._layer()}: the body condition (Result {cond}) must be "
                       f"boolean, it is {et.get_type_name()}")

    def _num_iterations(self) -> int | None:
        from ._infer import constant_value

        if len(self._inputs) < 2:
            return None
        cond = constant_value(self._inputs[1])
        if cond is not None and not scalar_bool(cond):
            return 0
        body_cond = self._special[1]
        if body_cond >= 0:
            value = constant_value(self._bodies[0].get_results()[body_cond].input_value(0))
            if value is None or not scalar_bool(value):
                return None
        trip = constant_value(self._inputs[0])
        if trip is None or cond is None:
            return None
        n = scalar_int(trip)
        slices = self._slices_count()
        if n < 0:
            return slices
        return n if slices is None else min(n, slices)

    def reference(self, trip_count: np.ndarray, condition: np.ndarray, *inputs: np.ndarray,
                  state: dict | None = None, body_runners: Any = None
                  ) -> tuple[np.ndarray, ...]:
        n = scalar_int(trip_count)
        limit = sys.maxsize if n < 0 else n
        if n < 0 and self._special[1] < 0 and not any(
                isinstance(d, SliceInputDescription) for d in self._input_descs[0]):
            raise RuntimeError(f"{self._layer()}: the trip count is {n} (none) and the body "
                               "has no condition: the loop would never end")
        return self._iterate((trip_count, condition, *inputs), limit, scalar_bool(condition),
                             state, body_runners)


for _cls, _name in ((TensorIterator, "tensor_iterator"), (Loop, "loop")):
    _cls.__name__ = _cls.__qualname__ = _name
    _cls.__module__ = "openvino._pyopenvino.op"

# OpenVINO's opset factories are the op classes themselves
factory("tensor_iterator", since=1)(TensorIterator)
factory("loop", since=5)(Loop)
