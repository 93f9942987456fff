"""Elementwise ops: unary math and activations, binary arithmetic, comparison, logical and
bitwise ops, Select.

Every one of them gets the same shape menu: a 4-d tensor (also with dynamic dimensions),
an odd-sized large one, a scalar, an empty tensor; binary ops add numpy broadcasting both
ways, a scalar operand, ``auto_broadcast="none"`` and ``"pdpd"``. Inputs are drawn from
each op's domain (``DOMAINS``), so results are finite where the op is defined.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import openvino as ov

from ._case import ALL_TYPES, FLOAT_TYPES, Case, OpInfo, T, op_cases, param
from ._wide_integers import wide_integer_cases

#: op type -> (low, high) of its random inputs (default: -3 .. 3)
DOMAINS: dict[str, tuple[float, float]] = {
    "Sqrt": (0.0, 9.0), "Log": (0.05, 20.0), "Acos": (-0.99, 0.99), "Asin": (-0.99, 0.99),
    "Atanh": (-0.95, 0.95), "Acosh": (1.0, 10.0), "Tan": (-1.3, 1.3), "Exp": (-8.0, 8.0),
    "Cosh": (-5.0, 5.0), "Sinh": (-5.0, 5.0), "SoftPlus": (-8.0, 8.0), "Mish": (-6.0, 6.0),
    "HSwish": (-5.0, 5.0), "HSigmoid": (-5.0, 5.0), "Swish": (-6.0, 6.0), "Erf": (-2.5, 2.5),
}

_UNARY: dict[str, str] = {
    "Abs": "absolute", "Acos": "acos", "Acosh": "acosh", "Asin": "asin", "Asinh": "asinh",
    "Atan": "atan", "Atanh": "atanh", "Ceiling": "ceiling", "Cos": "cos", "Cosh": "cosh",
    "Erf": "erf", "Exp": "exp", "Floor": "floor", "Log": "log", "Negative": "negative",
    "Sign": "sign", "Sin": "sin", "Sinh": "sinh", "Sqrt": "sqrt", "Tan": "tan", "Tanh": "tanh",
    "Relu": "relu", "Sigmoid": "sigmoid", "HSwish": "hswish", "HSigmoid": "hsigmoid",
    "Mish": "mish", "SoftPlus": "softplus", "SoftSign": "softsign", "LogicalNot": "logical_not",
    "BitwiseNot": "bitwise_not", "IsFinite": "is_finite", "IsNaN": "is_nan",
    "Identity": "identity",
}

#: ops whose result on NaN/inf/-0 is fixed by IEEE arithmetic, tested with those values
_SPECIAL_VALUES_OPS = {"Abs", "Negative", "IsFinite", "IsNaN", "IsInf", "Identity", "Floor",
                       "Ceiling"}
_SPECIALS = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.5, -2.5, 0.5, -0.5, 3.0]
#: ops with a finite result far outside ``DOMAINS``, tried there too (a float case with
#: ``extra={"finite": True}``): exp of large negatives is 0, sigmoid and tanh saturate
#: (a naive exp(x) / (1 + exp(x)) gives inf / inf), softplus(x), swish(x) and mish(x) are
#: x (or 0) for large |x|
_EXTREME: dict[str, tuple[float, float]] = {
    "Exp": (-1e4, 10.0), "Sigmoid": (-1e4, 1e4), "SoftPlus": (-1e4, 1e4),
    "Tanh": (-1e4, 1e4), "Swish": (-1e4, 1e4), "Mish": (-1e4, 1e4),
}


def _unary_shapes(type_name: str, et: ov.Type) -> list[tuple[str, list[int]]]:
    return [("4d", [2, 3, 4, 5]), ("odd_large", [3, 1031]), ("scalar", []),
            ("empty", [0, 3])]


def unary_cases(info: OpInfo, et: ov.Type, make: Callable[..., Any],
                domain: tuple[float, float] | None = None) -> list[Case]:
    """The shape menu of a one-input op; ``make(x)`` builds it on the input node."""
    low, high = domain or DOMAINS.get(info.type_name, (-3.0, 3.0))
    cases = [Case(name, [param(shape, low=low, high=high)], make)
             for name, shape in _unary_shapes(info.type_name, et)]
    if info.type_name in _SPECIAL_VALUES_OPS and et.is_real() and et.get_type_name() in (
            "f32", "f16", "bf16", "f64"):
        cases.append(Case("special_values", [param([len(_SPECIALS)], value=_SPECIALS)], make,
                          dynamic=False))
    if info.type_name in _EXTREME and et.get_type_name() in ("f32", "f16", "bf16", "f64"):
        low, high = _EXTREME[info.type_name]
        cases.append(Case("extreme", [param([4, 33], low=low, high=high)], make,
                          dynamic=False, extra={"finite": True}))
    return cases


@op_cases(*_UNARY)
def _unary(info: OpInfo, et: ov.Type) -> list[Case]:
    factory = getattr(info.opset, _UNARY[info.type_name])
    return unary_cases(info, et, lambda x: factory(x))


@op_cases("IsInf", types=FLOAT_TYPES)
def _is_inf(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = unary_cases(info, et, lambda x: ops.is_inf(x))
    for neg, pos in ((True, False), (False, True), (False, False)):
        attrs = {"detect_negative": neg, "detect_positive": pos}
        cases.append(Case(f"special_values_neg{int(neg)}_pos{int(pos)}",
                          [param([len(_SPECIALS)], value=_SPECIALS)],
                          lambda x, a=attrs: ops.is_inf(x, a), dynamic=False))
    return cases


@op_cases("Round")
def _round(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    halves = (np.arange(-12, 13) / 2.0).tolist() if et.is_real() else list(range(-12, 13))
    if not et.is_signed() and not et.is_real():
        halves = list(range(0, 25))
    cases = []
    for mode in ("half_to_even", "half_away_from_zero"):
        cases += [Case(f"{mode}_{name}", c.inputs, lambda x, m=mode: ops.round(x, m))
                  for name, c in ((c.name, c) for c in unary_cases(info, et, lambda x: x))]
        cases.append(Case(f"{mode}_ties", [param([len(halves)], value=halves)],
                          lambda x, m=mode: ops.round(x, m), dynamic=False))
    return cases


@op_cases("Gelu")
def _gelu(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    if info.number < 7:
        return unary_cases(info, et, lambda x: ops.gelu(x))
    return (unary_cases(info, et, lambda x: ops.gelu(x, "erf"))
            + [Case(f"tanh_{c.name}", c.inputs, lambda x: ops.gelu(x, "tanh"))
               for c in unary_cases(info, et, lambda x: x)])


@op_cases("Elu")
def _elu(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return (unary_cases(info, et, lambda x: ops.elu(x, 0.5))
            + [Case("alpha_1.7", [param([4, 9])], lambda x: ops.elu(x, 1.7))])


@op_cases("Clamp")
def _clamp(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    lo, hi = (-1.5, 2.25) if et.is_real() else ((-2.0, 2.0) if et.is_signed() else (2.0, 7.0))
    return (unary_cases(info, et, lambda x: ops.clamp(x, lo, hi), (-4.0, 9.0))
            + [Case("fractional_bounds", [param([5, 7], low=-4, high=9)],
                    lambda x: ops.clamp(x, lo + 0.3, hi + 0.6))])


def _const_like(ops: Any, value: Any, et: ov.Type) -> Any:
    return ops.constant(np.asarray(value, dtype=et.to_dtype()), dtype=et)


@op_cases("Selu", types=FLOAT_TYPES)
def _selu(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    alpha, lam = 1.6732632423543772, 1.0507009873554805

    def make(x: Any) -> Any:
        return ops.selu(x, _const_like(ops, [alpha], et), _const_like(ops, [lam], et))

    return unary_cases(info, et, make)


@op_cases("HardSigmoid", types=FLOAT_TYPES)
def _hard_sigmoid(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset

    def make(x: Any) -> Any:
        return ops.hard_sigmoid(x, _const_like(ops, 0.2, et), _const_like(ops, 0.5, et))

    return unary_cases(info, et, make)


@op_cases("Swish", types=FLOAT_TYPES)
def _swish(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return (unary_cases(info, et, lambda x: ops.swish(x))
            + [Case("beta_input", [param([3, 8], low=-6, high=6), param([], low=0.5, high=2)],
                    lambda x, b: ops.swish(x, b))])


@op_cases("PRelu")
def _prelu(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("per_channel", [param([2, 3, 4, 5]), param([3], low=0, high=1)],
             lambda x, s: ops.prelu(x, s)),
        Case("scalar_slope", [param([7, 13]), param([1], low=0, high=1)],
             lambda x, s: ops.prelu(x, s)),
        Case("full_slope", [param([2, 5]), param([2, 5], low=-1, high=1)],
             lambda x, s: ops.prelu(x, s)),
        Case("1d", [param([6]), param([6], low=0, high=1)], lambda x, s: ops.prelu(x, s)),
        Case("empty", [param([0, 3]), param([3], low=0, high=1)],
             lambda x, s: ops.prelu(x, s)),
    ]


# --- binary ops ---------------------------------------------------------------------------

_ARITHMETIC = {
    "Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Divide": "divide",
    "Power": "power", "Maximum": "maximum", "Minimum": "minimum", "Mod": "mod",
    "FloorMod": "floor_mod", "SquaredDifference": "squared_difference",
}
_COMPARISON = {
    "Equal": "equal", "NotEqual": "not_equal", "Less": "less", "LessEqual": "less_equal",
    "Greater": "greater", "GreaterEqual": "greater_equal",
}
_LOGICAL = {"LogicalAnd": "logical_and", "LogicalOr": "logical_or",
            "LogicalXor": "logical_xor"}
_BITWISE = {"BitwiseAnd": "bitwise_and", "BitwiseOr": "bitwise_or",
            "BitwiseXor": "bitwise_xor", "BitwiseLeftShift": "bitwise_left_shift",
            "BitwiseRightShift": "bitwise_right_shift"}

_BINARY_SHAPES: list[tuple[str, list[int], list[int]]] = [
    ("same_4d", [2, 3, 4, 5], [2, 3, 4, 5]),
    ("broadcast_both", [2, 1, 4], [3, 1]),
    ("broadcast_rank", [3, 4, 5], [5]),
    ("scalar_operand", [5, 6], []),
    ("scalars", [], []),
    ("odd_large", [3, 1031], [1, 1031]),
    ("empty", [0, 4], [1, 4]),
]


def _ranges(type_name: str, et: ov.Type) -> tuple[tuple[float, float], tuple[float, float]]:
    """Value ranges of the (left, right) operands of a binary op."""
    real, signed = et.is_real(), et.is_signed()
    if type_name in ("Divide", "Mod", "FloorMod"):
        return (-9.0, 9.0), (0.5, 4.0) if real else (1.0, 5.0)
    if type_name == "Power":
        return ((0.2, 3.0), (-2.0, 2.0)) if real else ((-3.0, 3.0) if signed else (0, 4),
                                                        (0.0, 4.0))
    if type_name in ("BitwiseLeftShift", "BitwiseRightShift"):
        return (0.0, 15.0), (0.0, 3.0)
    if type_name in _COMPARISON:
        return (-2.0, 2.0), (-2.0, 2.0)
    if not real:
        return ((-10.0, 10.0), (-10.0, 10.0)) if signed else ((0.0, 20.0), (0.0, 20.0))
    return (-3.0, 3.0), (-3.0, 3.0)


def _integral_values(shape: list[int], seed: int, low: int, high: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(low, high, size=shape, endpoint=True).astype(np.float64)


def binary_cases(info: OpInfo, et: ov.Type, make: Callable[..., Any]) -> list[Case]:
    """The shape menu of a two-input elementwise op; ``make(a, b, auto_broadcast)``."""
    (la, ha), (lb, hb) = _ranges(info.type_name, et)
    cases = []
    for n, (name, sa, sb) in enumerate(_BINARY_SHAPES):
        if info.type_name in _COMPARISON and et.is_real():
            # integral values, so equal elements occur and the comparison is decisive
            lo = 0 if not et.is_signed() else -2
            a = param(sa, value=_integral_values(sa, n, lo, 2))
            b = param(sb, value=_integral_values(sb, n + 100, lo, 2))
        else:
            a, b = param(sa, low=la, high=ha), param(sb, low=lb, high=hb)
        cases.append(Case(name, [a, b], lambda x, y: make(x, y, "numpy")))
    if info.type_name in ("Divide", "Mod", "FloorMod") and et.is_signed():
        cases.append(Case("negative_divisor", [param([4, 6], low=-9, high=9),
                                               param([4, 6], low=-4, high=-1)],
                          lambda x, y: make(x, y, "numpy")))
    cases.append(Case("auto_broadcast_none", [param([3, 5], low=la, high=ha),
                                              param([3, 5], low=lb, high=hb)],
                      lambda x, y: make(x, y, "none")))
    cases.append(Case("auto_broadcast_pdpd", [param([2, 3, 4, 5], low=la, high=ha),
                                              param([4, 1], low=lb, high=hb)],
                      lambda x, y: make(x, y, "pdpd"), dynamic=False))
    cases += wide_integer_cases(info, et, make)
    return cases


@op_cases(*_ARITHMETIC, *_COMPARISON, *_LOGICAL, *_BITWISE)
def _binary(info: OpInfo, et: ov.Type) -> list[Case]:
    names = {**_ARITHMETIC, **_COMPARISON, **_LOGICAL, **_BITWISE}
    factory = getattr(info.opset, names[info.type_name])
    cases = binary_cases(info, et, lambda a, b, mode: factory(a, b, auto_broadcast=mode))
    if info.type_name == "Divide" and not et.is_real() and et.is_signed():
        def truncating(a: Any, b: Any) -> Any:
            node = factory(a, b)
            node.set_attribute("m_pythondiv", False)
            return node

        cases.append(Case("truncating_division", [param([4, 6], low=-9, high=9),
                                                  param([4, 6], low=-4, high=-1)],
                          truncating, dynamic=False))
    return cases


@op_cases("Select", types=ALL_TYPES)
def _select(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset

    def make(mode: str) -> Callable[..., Any]:
        return lambda c, a, b: ops.select(c, a, b, auto_broadcast=mode)

    def cond(shape: list[int]) -> Any:
        return param(shape, T.boolean)

    return [
        Case("same", [cond([2, 3, 4]), param([2, 3, 4]), param([2, 3, 4])], make("numpy")),
        Case("broadcast", [cond([2, 1, 4]), param([3, 1]), param([])], make("numpy")),
        Case("cond_broadcast", [cond([4]), param([3, 4]), param([3, 4])], make("numpy")),
        Case("scalars", [cond([]), param([]), param([])], make("numpy")),
        Case("empty", [cond([0, 2]), param([0, 2]), param([1, 2])], make("numpy")),
        Case("odd_large", [cond([3, 1031]), param([3, 1031]), param([1, 1031])],
             make("numpy")),
        Case("auto_broadcast_none", [cond([3, 5]), param([3, 5]), param([3, 5])],
             make("none")),
    ]

