"""Normalizations: MVN, NormalizeL2, GRN, LRN, BatchNormInference, GroupNormalization.
Scales and statistics are Constants (as models carry them); variances are positive."""

from __future__ import annotations

import openvino as ov

from ._case import FLOAT_TYPES, Case, OpInfo, op_cases, param, weights
from .movement import i32, i64


@op_cases("MVN", types=FLOAT_TYPES)
def _mvn(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    if info.number < 6:
        return [
            Case(f"across{int(a)}_normalize{int(n)}", [param([2, 3, 4, 5])],
                 lambda x, a=a, n=n: ops.mvn(x, a, n, 1e-6))
            for a in (False, True) for n in (False, True)
        ] + [Case("odd", [param([1, 5, 7, 3])], lambda x: ops.mvn(x, False, True, 1e-4))]
    return [
        Case("spatial_inside", [param([2, 3, 4, 5]), i64([2, 3])],
             lambda x, a: ops.mvn(x, a, True, 1e-6, "inside_sqrt")),
        Case("last_outside", [param([2, 3, 4, 5]), i32([-1])],
             lambda x, a: ops.mvn(x, a, True, 1e-5, "outside_sqrt")),
        Case("mean_only", [param([2, 6]), i64([1])],
             lambda x, a: ops.mvn(x, a, False, 1e-6, "inside_sqrt")),
        Case("chw", [param([2, 3, 4, 5]), i64([1, 2, 3])],
             lambda x, a: ops.mvn(x, a, True, 1e-9, "inside_sqrt")),
        Case("large", [param([2, 1031]), i64([1])],
             lambda x, a: ops.mvn(x, a, True, 1e-6, "inside_sqrt")),
    ]


@op_cases("NormalizeL2", types=FLOAT_TYPES)
def _normalize_l2(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("channels_add", [param([2, 3, 4]), i64([1])],
             lambda x, a: ops.normalize_l2(x, a, 1e-6, "add")),
        Case("spatial_max", [param([2, 3, 4, 5]), i64([2, 3])],
             lambda x, a: ops.normalize_l2(x, a, 1e-6, "max")),
        Case("negative_axis", [param([3, 7]), i32([-1])],
             lambda x, a: ops.normalize_l2(x, a, 1e-10, "add")),
        Case("large_eps_max", [param([2, 5], low=-0.01, high=0.01), i64([1])],
             lambda x, a: ops.normalize_l2(x, a, 0.5, "max")),
    ]


@op_cases("GRN", types=FLOAT_TYPES)
def _grn(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [Case("4d", [param([2, 3, 4, 5])], lambda x: ops.grn(x, 1e-3)),
            Case("2d", [param([4, 6])], lambda x: ops.grn(x, 0.5))]


@op_cases("LRN", types=FLOAT_TYPES)
def _lrn(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("channels", [param([2, 5, 3, 3]), i64([1])],
             lambda x, a: ops.lrn(x, a, 1e-2, 0.75, 1.0, 3)),
        Case("spatial", [param([1, 2, 5, 5]), i64([2, 3])],
             lambda x, a: ops.lrn(x, a, 1e-1, 0.5, 2.0, 3)),
        Case("even_size", [param([1, 6, 2, 2]), i64([1])],
             lambda x, a: ops.lrn(x, a, 1e-3, 0.75, 1.0, 4)),
    ]


@op_cases("BatchNormInference", types=FLOAT_TYPES)
def _batch_norm(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset

    def stats(c: int) -> list:
        return [weights([c], low=0.5, high=2), weights([c]), weights([c]),
                weights([c], low=0.1, high=2)]

    return [
        Case("nchw", [param([2, 3, 4, 5]), *stats(3)],
             lambda x, g, b, m, v: ops.batch_norm_inference(x, g, b, m, v, 1e-5)),
        Case("nc", [param([4, 6]), *stats(6)],
             lambda x, g, b, m, v: ops.batch_norm_inference(x, g, b, m, v, 1e-3)),
    ]


@op_cases("GroupNormalization", types=FLOAT_TYPES)
def _group_norm(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("groups3", [param([2, 6, 3, 3]), weights([6], low=0.5, high=2), weights([6])],
             lambda x, s, b: ops.group_normalization(x, s, b, 3, 1e-5)),
        Case("groups1_3d", [param([2, 4, 5]), weights([4]), weights([4])],
             lambda x, s, b: ops.group_normalization(x, s, b, 1, 1e-5)),
        Case("one_per_channel", [param([1, 4, 2, 2]), weights([4]), weights([4])],
             lambda x, s, b: ops.group_normalization(x, s, b, 4, 1e-3)),
    ]
