"""Element types and generated values: Parameter, Result and Constant of every element
type (odd element counts exercise the packing of u1/u4/i4/nf4), Convert between every pair
of types, ConvertLike, ConvertPromoteTypes, and the generators Range, Eye, RandomUniform
and Multinomial (seeded, so the values are defined)."""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov

from ._case import ALL_TYPES, FLOAT_TYPES, INT_TYPES, Case, OpInfo, T, op_cases, param, weights

_NO_STRING = tuple(t for t in ALL_TYPES if t != T.string)
#: Convert destinations (nf4 is a storage format for weights, not a conversion target)
_DESTINATIONS = tuple(t for t in _NO_STRING if t != T.nf4)
_SIGNED_OR_REAL = tuple(t for t in _DESTINATIONS if t.is_signed() or t.is_real())

_SHAPES = [("2d", [2, 3]), ("odd_count", [7]), ("scalar", []), ("empty", [0, 4]),
           ("odd_large", [3, 1031])]


@op_cases("Parameter", "Result", types=ALL_TYPES)
def _parameter_result(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    if info.type_name == "Parameter":
        return [Case(name, [param(shape)], lambda x: x) for name, shape in _SHAPES]
    return [Case(name, [param(shape)], lambda x: ops.result(x)) for name, shape in _SHAPES]


@op_cases("Constant", types=ALL_TYPES)
def _constant(info: OpInfo, et: ov.Type) -> list[Case]:
    return [Case(name, [weights(shape, low=-4, high=4)], lambda c: c) for name, shape in _SHAPES]


def _integral(shape: list[int], low: int, high: int, seed: int, et: ov.Type) -> np.ndarray:
    values = np.random.default_rng(seed).integers(low, high, size=shape, endpoint=True)
    if et == T.boolean:
        return values.astype(bool)
    if et == T.u1:
        return (values % 2).astype(np.uint8)
    return values.astype(np.float64)


@op_cases("Convert", types=_NO_STRING)
def _convert(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = []
    for n, dst in enumerate(_DESTINATIONS if et != T.nf4 else FLOAT_TYPES):
        if et == T.nf4:
            data = param([2, 5])
        else:
            data = param([2, 5], value=_integral([2, 5], 0, 7, n, et))
        cases.append(Case(f"to_{dst.get_type_name()}", [data],
                          lambda x, d=dst: ops.convert(x, d), dynamic=n == 0))
    if (et.is_signed() or et.is_real()) and et not in (T.nf4, T.boolean, T.u1):
        for n, dst in enumerate(_SIGNED_OR_REAL):
            if dst in (T.boolean,):
                continue
            low = -8 if dst != T.u1 else 0
            cases.append(Case(f"negative_to_{dst.get_type_name()}",
                              [param([6], value=_integral([6], low, 0, 100 + n, et))],
                              lambda x, d=dst: ops.convert(x, d), dynamic=False))
    if et in FLOAT_TYPES:
        for dst in FLOAT_TYPES + (T.f8e4m3, T.f8e5m2):
            cases.append(Case(f"fraction_to_{dst.get_type_name()}", [param([4, 5], low=-3, high=3)],
                              lambda x, d=dst: ops.convert(x, d), dynamic=False))
        # the newer low-precision destinations: u2 (truncated, modulo 4), f4e2m1 (rounded,
        # saturating at 6), f8e8m0 (a power of two; zero and negatives give its smallest)
        for dst in (T.u2, T.f4e2m1, T.f8e8m0):
            cases.append(Case(f"fraction_to_{dst.get_type_name()}",
                              [param([3, 7], low=-9, high=9)],
                              lambda x, d=dst: ops.convert(x, d), dynamic=False))
    cases.append(Case("empty", [param([0, 3], value=np.zeros((0, 3)))],
                      lambda x: ops.convert(x, T.f32), dynamic=False))
    return cases


@op_cases("ConvertLike", types=_NO_STRING)
def _convert_like(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case(f"like_{dst.get_type_name()}",
             [param([3, 4], value=_integral([3, 4], 0, 7, n, et)), weights([2], dst)],
             lambda x, like: ops.convert_like(x, like), dynamic=n == 0)
        for n, dst in enumerate((T.f32, T.f16, T.i32, T.u8, T.boolean, T.i64))
    ]


@op_cases("ConvertPromoteTypes", types=FLOAT_TYPES + INT_TYPES + (T.boolean,))
def _convert_promote_types(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = []
    for n, other in enumerate((T.f32, T.f16, T.i32, T.u8, T.i64, T.boolean)):
        data = [param([2, 3], value=_integral([2, 3], 0, 5, n, et)),
                param([3], other, value=_integral([3], 0, 5, n + 50, other))]
        cases.append(Case(f"with_{other.get_type_name()}", data,
                          lambda a, b: ops.convert_promote_types(a, b, True, False)))
        cases.append(Case(f"with_{other.get_type_name()}_pytorch_scalar",
                          [data[0], param([], other, value=_integral([], 0, 5, n, other))],
                          lambda a, b: ops.convert_promote_types(a, b, True, True),
                          dynamic=False))
    return cases


@op_cases("Range", types=FLOAT_TYPES + INT_TYPES)
def _range(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    signed = et.is_signed() or et.is_real()
    triples: list[tuple[str, tuple[float, float, float]]] = [("up", (0, 10, 3)),
                                                             ("empty", (3, 3, 1))]
    if signed:
        triples.append(("down", (5, -3, -2)))
    if et.is_real():
        triples.append(("fractional", (1.5, 4.0, 0.5)))

    def make(a: Any, b: Any, c: Any) -> Any:
        if info.number < 4:
            return ops.range(a, b, c)
        return ops.range(a, b, c, et)

    return [Case(name, [param([], value=s), param([], value=e), param([], value=d)], make)
            for name, (s, e, d) in triples]


@op_cases("Eye", types=FLOAT_TYPES + INT_TYPES + (T.boolean,))
def _eye(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset

    def scalar(v: int) -> Any:
        return param([], T.i64, value=v)

    return [
        Case("square", [scalar(4), scalar(4), scalar(0)],
             lambda r, c, d: ops.eye(r, c, d, et.get_type_name())),
        Case("wide_upper", [scalar(3), scalar(5), scalar(2)],
             lambda r, c, d: ops.eye(r, c, d, et.get_type_name())),
        Case("tall_lower", [scalar(5), scalar(3), scalar(-1)],
             lambda r, c, d: ops.eye(r, c, d, et.get_type_name())),
        Case("batched", [scalar(2), scalar(3), scalar(0), param([2], T.i32, value=[2, 1])],
             lambda r, c, d, b: ops.eye(r, c, d, et.get_type_name(), b)),
        Case("off_matrix", [scalar(2), scalar(2), scalar(7)],
             lambda r, c, d: ops.eye(r, c, d, et.get_type_name())),
    ]


@op_cases("RandomUniform", types=(T.f32, T.f16, T.bf16, T.f64, T.i32, T.i64))
def _random_uniform(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    lo, hi = (-2.0, 5.0) if et.is_real() else (-50, 70)
    cases = []
    for alignment in ("tensorflow", "pytorch"):
        cases.append(Case(f"seeded_{alignment}",
                          [param([2], T.i64, value=[3, 7]), param([], value=lo),
                           param([], value=hi)],
                          lambda s, a, b, al=alignment: ops.random_uniform(
                              s, a, b, et.get_type_name(), 150, 10, al), dynamic=False))
    cases.append(Case("large", [param([1], T.i32, value=[1031]), param([], value=lo),
                                param([], value=hi)],
                      lambda s, a, b: ops.random_uniform(s, a, b, et.get_type_name(), 7, 3),
                      dynamic=False))
    return cases


@op_cases("Multinomial", types=FLOAT_TYPES)
def _multinomial(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    probs = np.array([[0.1, 0.2, 0.3, 0.4], [0.7, 0.0, 0.2, 0.1]])
    return [
        Case("with_replacement", [param([2, 4], value=probs), param([], T.i32, value=5)],
             lambda p, n: ops.multinomial(p, n, "i64", True, False, 3, 7), dynamic=False),
        Case("without_replacement_i32", [param([2, 4], value=probs),
                                         param([], T.i64, value=2)],
             lambda p, n: ops.multinomial(p, n, "i32", False, False, 5, 1), dynamic=False),
        Case("log_probs", [param([2, 4], value=np.log(probs + 1e-3)), param([], T.i32, value=4)],
             lambda p, n: ops.multinomial(p, n, "i64", True, True, 11, 2), dynamic=False),
    ]
