"""Control flow: If (both branches, branches of different output shapes), Loop (trip count,
merged and invariant inputs, last value and concatenated outputs, a body condition that
stops it early, reversed sliced inputs) and TensorIterator (sliced, merged and invariant
inputs, a negative stride). Bodies are small models of elementwise ops over the case's
element type."""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov
import openvino.opset13 as body_ops

from ._case import FLOAT_TYPES, Built, Case, OpInfo, T, op_cases, param

_TYPES = FLOAT_TYPES + (T.i32, T.i64)


def _c(value: float, et: ov.Type) -> Any:
    return body_ops.constant(np.asarray(value, dtype=et.to_dtype()), dtype=et)


def _if(info: OpInfo, et: ov.Type) -> Any:
    ops = info.opset

    def make(cond: Any, x: Any) -> Any:
        then_x = body_ops.parameter([2, 3], et)
        else_x = body_ops.parameter([2, 3], et)
        then_body = ov.Model([body_ops.result(body_ops.multiply(then_x, _c(2, et)))], [then_x])
        else_body = ov.Model([body_ops.result(body_ops.add(else_x, _c(3, et)))], [else_x])
        node = ops.if_op(cond)
        node.set_then_body(then_body)
        node.set_else_body(else_body)
        node.set_input(x.output(0), then_x, else_x)
        node.set_output(then_body.get_results()[0], else_body.get_results()[0])
        return node

    return make


def _if_shapes(info: OpInfo, et: ov.Type) -> Any:
    """Branches whose outputs differ in shape: the op's output shape is their merge."""
    ops = info.opset

    def make(cond: Any, x: Any) -> Any:
        then_x = body_ops.parameter([2, 3], et)
        else_x = body_ops.parameter([2, 3], et)
        axes = body_ops.constant(np.array([1], np.int64))
        then_body = ov.Model([body_ops.result(body_ops.reduce_max(then_x, axes, True))],
                             [then_x])
        else_body = ov.Model([body_ops.result(body_ops.subtract(else_x, _c(1, et)))], [else_x])
        node = ops.if_op(cond)
        node.set_then_body(then_body)
        node.set_else_body(else_body)
        node.set_input(x.output(0), then_x, else_x)
        node.set_output(then_body.get_results()[0], else_body.get_results()[0])
        return node

    return make


@op_cases("If", types=_TYPES)
def _if_cases(info: OpInfo, et: ov.Type) -> list[Case]:
    cases = [Case(f"condition_{flag}", [param([], T.boolean, value=flag), param([2, 3])],
                  _if(info, et), dynamic=False) for flag in (True, False)]
    cases += [Case(f"branch_shapes_differ_{flag}",
                   [param([], T.boolean, value=flag), param([2, 3])], _if_shapes(info, et),
                   dynamic=False) for flag in (True, False)]
    return cases


@op_cases("Loop", types=_TYPES)
def _loop(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset

    def make(trip: Any, x: Any, step: Any) -> Any:
        it = body_ops.parameter([], T.i64)
        acc = body_ops.parameter([2, 3], et)
        inc = body_ops.parameter([2, 3], et)
        nxt = body_ops.add(acc, inc)
        cond = body_ops.constant(np.array(True), dtype=T.boolean)
        # concatenated values have a length-1 axis to stack on (the real CPU plugin takes
        # no other part size)
        body = ov.Model([body_ops.result(cond), body_ops.result(nxt),
                         body_ops.result(body_ops.unsqueeze(nxt, [0]))], [it, acc, inc])
        node = ops.loop(trip, body_ops.constant(np.array(True), dtype=T.boolean))
        node.set_function(body)
        node.set_special_body_ports([0, 0])
        node.set_merged_input(acc, x.output(0), body.get_results()[1].output(0))
        node.set_invariant_input(inc, step.output(0))
        last = node.get_iter_value(body.get_results()[1].output(0), -1)
        slices = node.get_concatenated_slices(body.get_results()[2].output(0), 0, 1, 1, -1, 0)
        return Built([last, slices], [], node)

    cases = [Case(f"trip_{n}", [param([], T.i64, value=n), param([2, 3]), param([2, 3])],
                  make, dynamic=False) for n in (3, 1)]

    def stopping(trip: Any, x: Any) -> Any:
        """The body stops the loop (iteration 2) before the trip count does; the
        concatenated output's length is known only when it runs."""
        it = body_ops.parameter([], T.i64)
        acc = body_ops.parameter([2, 3], et)
        nxt = body_ops.add(acc, acc)
        go_on = body_ops.less(it, body_ops.constant(np.int64(2)))
        body = ov.Model([body_ops.result(go_on), body_ops.result(nxt),
                         body_ops.result(body_ops.unsqueeze(nxt, [0]))], [it, acc])
        node = ops.loop(trip, body_ops.constant(np.array(True), dtype=T.boolean))
        node.set_function(body)
        node.set_special_body_ports([0, 0])
        node.set_merged_input(acc, x.output(0), body.get_results()[1].output(0))
        last = node.get_iter_value(body.get_results()[1].output(0), -1)
        slices = node.get_concatenated_slices(body.get_results()[2].output(0), 0, 1, 1, -1, 0)
        return Built([last, slices], [], node)

    def sliced(x: Any) -> Any:
        """A Loop may slice its inputs as a TensorIterator does (here back to front)."""
        xi = body_ops.parameter([1, 3], et)
        doubled = body_ops.multiply(xi, _c(2, et))
        body = ov.Model([body_ops.result(body_ops.constant(np.array(True), dtype=T.boolean)),
                         body_ops.result(doubled)], [xi])
        node = ops.loop(body_ops.constant(np.int64(4)),
                        body_ops.constant(np.array(True), dtype=T.boolean))
        node.set_function(body)
        node.set_special_body_ports([-1, 0])
        node.set_sliced_input(xi, x.output(0), -1, -1, 1, 0, 0)
        slices = node.get_concatenated_slices(body.get_results()[1].output(0), 0, 1, 1, -1, 0)
        return Built([slices], [], node)

    lo, hi = (-1.0, 1.0) if et.is_real() else (-2.0, 2.0)
    cases += [Case("body_condition_stops", [param([], T.i64, value=5),
                                            param([2, 3], low=lo, high=hi)],
                   stopping, dynamic=False),
              Case("sliced_reversed", [param([4, 3])], sliced, dynamic=False)]
    return cases


@op_cases("TensorIterator", types=_TYPES)
def _tensor_iterator(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset

    def make(x: Any, h0: Any, w: Any) -> Any:
        xi = body_ops.parameter([2, 1, 3], et)
        h = body_ops.parameter([2, 1, 3], et)
        wi = body_ops.parameter([2, 1, 3], et)
        nxt = body_ops.add(body_ops.multiply(h, wi), xi)
        body = ov.Model([body_ops.result(nxt)], [xi, h, wi])
        node = ops.tensor_iterator()
        node.set_body(body)
        node.set_sliced_input(xi, x.output(0), 0, 1, 1, -1, 1)
        node.set_merged_input(h, h0.output(0), body.get_results()[0].output(0))
        node.set_invariant_input(wi, w.output(0))
        last = node.get_iter_value(body.get_results()[0].output(0), -1)
        every = node.get_concatenated_slices(body.get_results()[0].output(0), 0, 1, 1, -1, 1)
        return Built([last, every], [], node)

    def backwards(x: Any, h0: Any) -> Any:
        """A negative stride reads the sequence from its end and concatenates back to
        front."""
        xi = body_ops.parameter([1, 3], et)
        h = body_ops.parameter([1, 3], et)
        nxt = body_ops.subtract(body_ops.multiply(h, _c(2, et)), xi)
        body = ov.Model([body_ops.result(nxt)], [xi, h])
        node = ops.tensor_iterator()
        node.set_body(body)
        node.set_sliced_input(xi, x.output(0), -1, -1, 1, 0, 0)
        node.set_merged_input(h, h0.output(0), body.get_results()[0].output(0))
        last = node.get_iter_value(body.get_results()[0].output(0), -1)
        every = node.get_concatenated_slices(body.get_results()[0].output(0), -1, -1, 1, 0, 0)
        return Built([last, every], [], node)

    lo, hi = (-1.0, 1.0) if et.is_real() else (-2.0, 2.0)
    return [Case("sliced_axis1", [param([2, 4, 3], low=lo, high=hi),
                                  param([2, 1, 3], low=lo, high=hi),
                                  param([2, 1, 3], low=lo, high=hi)], make, dynamic=False),
            Case("reverse_stride", [param([3, 3], low=lo, high=hi),
                                    param([1, 3], low=lo, high=hi)], backwards, dynamic=False)]
