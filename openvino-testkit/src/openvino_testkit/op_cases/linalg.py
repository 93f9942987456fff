"""Linear algebra: MatMul (every transpose and broadcast form, vectors, odd and empty
inner sizes), Einsum, Inverse (well-conditioned matrices) and ScaledDotProductAttention."""

from __future__ import annotations

import numpy as np

import openvino as ov

from ._case import FLOAT_TYPES, INT_TYPES, Case, OpInfo, T, const, op_cases, param

_NUMERIC = FLOAT_TYPES + INT_TYPES


@op_cases("MatMul", types=_NUMERIC)
def _matmul(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    lo, hi = (-2.0, 2.0) if et.is_real() or et.is_signed() else (0.0, 3.0)

    def mm(sa: list[int], sb: list[int], ta: bool = False, tb: bool = False,
           name: str = "") -> Case:
        return Case(name, [param(sa, low=lo, high=hi), param(sb, low=lo, high=hi)],
                    lambda a, b: ops.matmul(a, b, ta, tb))

    return [
        mm([3, 4], [4, 5], name="2d"),
        mm([3, 4], [5, 4], tb=True, name="transpose_b"),
        mm([4, 3], [4, 5], ta=True, name="transpose_a"),
        mm([4, 3], [5, 4], True, True, name="transpose_both"),
        mm([2, 1, 3, 4], [3, 4, 2], name="batch_broadcast"),
        mm([4], [4, 3], name="vector_matrix"),
        mm([3, 4], [4], name="matrix_vector"),
        mm([5], [5], name="dot"),
        mm([17, 131], [131, 19], name="odd_large"),
        mm([3, 0], [0, 4], name="empty_inner"),
        mm([0, 4], [4, 2], name="empty_rows"),
    ]


@op_cases("Einsum", types=_NUMERIC)
def _einsum(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    lo, hi = (-2.0, 2.0) if et.is_real() or et.is_signed() else (0.0, 3.0)

    def es(equation: str, *shapes: list[int]) -> Case:
        return Case(equation.replace("->", "_to_").replace(",", "_").replace("...", "E"),
                    [param(s, low=lo, high=hi) for s in shapes],
                    lambda *xs: ops.einsum(list(xs), equation))

    return [
        es("ij,jk->ik", [3, 4], [4, 5]),
        es("bij,bjk->bik", [2, 3, 4], [2, 4, 2]),
        es("ij->ji", [3, 5]),
        es("ii->i", [4, 4]),
        es("i,i->", [6], [6]),
        es("abc->cb", [2, 3, 4]),
        es("...ij,...jk->...ik", [2, 3, 4], [2, 4, 5]),
        es("ij,k->ijk", [2, 3], [4]),
    ]


def _well_conditioned(n: int, batch: list[int], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = rng.uniform(-1, 1, size=[*batch, n, n])
    return m + np.eye(n) * (n + 1)


@op_cases("Inverse", types=FLOAT_TYPES)
def _inverse(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("3x3", [param([3, 3], value=_well_conditioned(3, [], 1))],
             lambda x: ops.inverse(x, False)),
        Case("batched_adjoint", [param([2, 4, 4], value=_well_conditioned(4, [2], 2))],
             lambda x: ops.inverse(x, True)),
        Case("1x1", [param([1, 1], value=[[4.0]])], lambda x: ops.inverse(x, False)),
    ]


@op_cases("ScaledDotProductAttention", types=FLOAT_TYPES)
def _sdpa(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    q, k, v = [2, 4, 5, 8], [2, 4, 6, 8], [2, 4, 6, 8]
    rng = np.random.default_rng(9)
    bool_mask = rng.integers(0, 2, size=(5, 6)).astype(bool)
    bool_mask[:, 0] = True
    return [
        Case("plain", [param(q), param(k), param(v)],
             lambda a, b, c: ops.scaled_dot_product_attention(a, b, c)),
        Case("causal", [param([1, 2, 6, 4]), param([1, 2, 6, 4]), param([1, 2, 6, 4])],
             lambda a, b, c: ops.scaled_dot_product_attention(a, b, c, causal=True)),
        Case("float_mask_and_scale", [param(q), param(k), param(v), param([5, 6], low=-2,
                                                                          high=0),
                                      param([], low=0.1, high=0.5)],
             lambda a, b, c, m, s: ops.scaled_dot_product_attention(a, b, c, m, s)),
        Case("bool_mask", [param(q), param(k), param(v), const(bool_mask, T.boolean)],
             lambda a, b, c, m: ops.scaled_dot_product_attention(a, b, c, m)),
    ]
