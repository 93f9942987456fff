"""Reductions along axes: Reduce*, CumSum, Softmax and LogSoftmax. Axes are Constants,
negative ones included; shapes cover keep_dims, all axes, no axes, an empty input and a
long odd-sized axis."""

from __future__ import annotations

import numpy as np

import openvino as ov

from ._case import FLOAT_TYPES, Case, OpInfo, op_cases, param
from .movement import i32, i64

_REDUCE = {
    "ReduceSum": "reduce_sum", "ReduceMean": "reduce_mean", "ReduceProd": "reduce_prod",
    "ReduceMax": "reduce_max", "ReduceMin": "reduce_min", "ReduceL1": "reduce_l1",
    "ReduceL2": "reduce_l2", "ReduceLogicalAnd": "reduce_logical_and",
    "ReduceLogicalOr": "reduce_logical_or",
}
#: reductions with a value for an empty set of elements (0, 1, true, false)
_EMPTY_OK = {"ReduceSum", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogicalAnd",
             "ReduceLogicalOr"}


@op_cases(*_REDUCE)
def _reduce(info: OpInfo, et: ov.Type) -> list[Case]:
    factory = getattr(info.opset, _REDUCE[info.type_name])
    low, high = (-1.5, 1.5) if info.type_name == "ReduceProd" else (-3.0, 3.0)
    if info.type_name == "ReduceProd" and not et.is_real():
        low, high = -2, 2

    def data(shape: list[int]) -> object:
        return param(shape, low=low, high=high)

    cases = [
        Case("axis1_keep_dims", [data([2, 3, 4]), i64([1])], lambda x, a: factory(x, a, True)),
        Case("negative_axes", [data([2, 3, 4]), i64([-1, 0])], lambda x, a: factory(x, a)),
        Case("all_axes", [data([3, 5]), i32([0, 1])], lambda x, a: factory(x, a)),
        Case("scalar_axis", [data([2, 3, 4]), i64(2)], lambda x, a: factory(x, a, False)),
        Case("no_axes", [data([2, 3]), i64(np.zeros(0, np.int64))], lambda x, a: factory(x, a)),
        Case("large", [data([4, 1031]), i64([1])], lambda x, a: factory(x, a)),
        Case("empty_kept", [data([0, 3]), i64([1])], lambda x, a: factory(x, a, True)),
    ]
    if info.type_name in _EMPTY_OK:
        cases.append(Case("empty_reduced", [data([0, 3]), i64([0])], lambda x, a: factory(x, a)))
    return cases


@op_cases("CumSum")
def _cumsum(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = []
    for exclusive in (False, True):
        for reverse in (False, True):
            cases.append(Case(f"exclusive{int(exclusive)}_reverse{int(reverse)}",
                              [param([3, 5]), i64(1)],
                              lambda x, a, e=exclusive, r=reverse: ops.cum_sum(x, a, e, r)))
    cases += [
        Case("negative_axis", [param([2, 3, 4]), i32(-3)], lambda x, a: ops.cum_sum(x, a)),
        Case("default_axis", [param([6, 2])], lambda x: ops.cum_sum(x)),
        Case("large", [param([2, 1031], low=-1, high=1), i64(1)], lambda x, a: ops.cum_sum(x, a)),
        Case("empty", [param([0, 4]), i64(1)], lambda x, a: ops.cum_sum(x, a)),
    ]
    return cases


@op_cases("Softmax", "LogSoftmax", types=FLOAT_TYPES)
def _softmax(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    make = ops.softmax if info.type_name == "Softmax" else ops.log_softmax
    negative = info.type_name == "LogSoftmax" or info.number >= 8
    cases = [
        Case("axis1", [param([2, 3, 4], low=-10, high=10)], lambda x: make(x, 1)),
        Case("axis0", [param([5, 3])], lambda x: make(x, 0)),
        Case("large", [param([3, 1031], low=-20, high=20)], lambda x: make(x, 1)),
        Case("empty", [param([0, 4])], lambda x: make(x, 1)),
        # logits up to +-1e4: exp overflows unless the maximum is subtracted first, yet
        # the result is finite (softmax in [0, 1], log-softmax <= 0)
        Case("extreme", [param([3, 17], low=-1e4, high=1e4)], lambda x: make(x, 1),
             dynamic=False, extra={"finite": True}),
    ]
    if negative:
        cases.append(Case("negative_axis", [param([2, 3, 4])], lambda x: make(x, -1)))
    return cases
