"""Elementwise steps: the device-independent description of an elementwise op, and of the
chains fusion hangs after a producing op (``op.post_ops``).

An ``EltwiseStep`` is either a unary function of the running value ``y`` (``operand``
None; parameters ``alpha``/``beta``) or a binary function of ``y`` and a tensor operand
(a graph ``Value``, broadcast numpy-style to ``y``; ``swap``: the operand is the left
argument). Functions are named after the ``openvino`` opset factories (snake case):

* unary (``UNARY``): the one-input ops ``relu``, ``sigmoid``, ``tanh``, ``hswish``,
  ``hsigmoid``, ``exp``, ``log``, ``abs``, ``negative``, ``sqrt``, ``softplus``,
  ``mish``, ``erf``, ``floor``, ``ceiling``, ``sign``, ``sin``, ``cos``, ``tan``;
  ``gelu_erf`` / ``gelu_tanh`` (Gelu's two approximations); ``swish`` (``beta``);
  ``elu`` (``alpha``); ``clamp`` (``alpha`` = min, ``beta`` = max); ``round_half_to_even``
  / ``round_half_away_from_zero``; ``hard_sigmoid`` (``alpha``, ``beta``); ``selu``
  (``alpha``, ``beta`` = lambda); ``leaky_relu`` (PRelu with a scalar slope ``alpha``);
  ``square`` (Power by 2); ``power_scalar`` (``y ** alpha``); ``linear``
  (``alpha * y + beta``) and ``reciprocal`` (``1 / y``);
* binary (``BINARY``): ``add``, ``subtract``, ``multiply``, ``divide``, ``maximum``,
  ``minimum``, ``power``, ``squared_difference``, ``prelu`` (``y < 0 ? y * b : y``) and
  the comparisons (``COMPARISONS``, boolean result) ``equal``, ``not_equal``, ``less``,
  ``less_equal``, ``greater``, ``greater_equal``.

``unary_step(op)`` / ``binary_function(op)`` say which of these an f32 graph op computes;
``EltwiseStep.reference`` / ``apply_steps`` compute steps in numpy (the arithmetic a
device kernel should match, and a host fallback).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from openvino import Type

from .graph import Op, Value

__all__ = ["EltwiseStep", "UNARY", "BINARY", "COMMUTATIVE", "COMPARISONS", "unary_step",
           "binary_function", "apply_steps"]

#: graph op type -> unary function, for ops that are one without parameters
_SIMPLE = {
    "Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "HSwish": "hswish",
    "HSigmoid": "hsigmoid", "Exp": "exp", "Log": "log", "Abs": "abs", "Negative": "negative",
    "Sqrt": "sqrt", "SoftPlus": "softplus", "Mish": "mish", "Erf": "erf", "Floor": "floor",
    "Ceiling": "ceiling", "Sign": "sign", "Sin": "sin", "Cos": "cos", "Tan": "tan",
}

#: graph op type -> binary function
_BINARY_OPS = {
    "Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Divide": "divide",
    "Maximum": "maximum", "Minimum": "minimum", "Power": "power",
    "SquaredDifference": "squared_difference", "Equal": "equal", "NotEqual": "not_equal",
    "Less": "less", "LessEqual": "less_equal", "Greater": "greater",
    "GreaterEqual": "greater_equal",
}

#: Unary function names.
UNARY = frozenset(_SIMPLE.values()) | frozenset({
    "gelu_erf", "gelu_tanh", "swish", "elu", "clamp", "round_half_to_even",
    "round_half_away_from_zero", "hard_sigmoid", "selu", "leaky_relu", "square",
    "power_scalar", "linear", "reciprocal"})
#: Binary function names.
BINARY = frozenset(_BINARY_OPS.values()) | frozenset({"prelu"})
#: Binary functions whose arguments may be swapped freely.
COMMUTATIVE = frozenset({"add", "multiply", "maximum", "minimum", "squared_difference"})
#: Binary functions with a boolean result (never fused as post ops).
COMPARISONS = frozenset({"equal", "not_equal", "less", "less_equal", "greater",
                         "greater_equal"})


@dataclass
class EltwiseStep:
    """One elementwise function applied to the running value ``y``: unary when
    ``operand`` is None, else binary with ``operand`` (``f(operand, y)`` when ``swap``,
    else ``f(y, operand)``). ``source`` / ``source_type``: the friendly name and type of
    the graph op it computes (empty for steps a pass or device made up)."""

    function: str
    operand: Value | None = None
    swap: bool = False
    alpha: float = 0.0
    beta: float = 0.0
    source: str = ""
    source_type: str = ""

    def __post_init__(self) -> None:
        known = BINARY if self.operand is not None else UNARY
        if self.function not in known:
            kind = "binary" if self.operand is not None else "unary"
            raise ValueError(f"'{self.function}' is not a {kind} elementwise function")

    @property
    def is_unary(self) -> bool:
        return self.operand is None

    def reference(self, y: np.ndarray, other: np.ndarray | None = None) -> np.ndarray:
        """``y`` after this step in f32 numpy (``other``: the operand's values)."""
        with np.errstate(all="ignore"):
            if self.operand is None:
                out = _unary(self.function, y, self.alpha, self.beta)
            else:
                if other is None:
                    raise ValueError(f"the binary step '{self.function}' needs its operand")
                a, b = (other, y) if self.swap else (y, other)
                out = _binary(self.function, np.asarray(a), np.asarray(b))
        return np.asarray(out, dtype=np.float32).reshape(y.shape)


def apply_steps(y: np.ndarray, steps: Sequence[EltwiseStep],
                operands: Sequence[np.ndarray]) -> np.ndarray:
    """``y`` after ``steps`` in order; ``operands``: the values of the binary steps'
    operands, in the order of those steps."""
    it = iter(operands)
    for step in steps:
        y = step.reference(y, None if step.operand is None else next(it))
    return y


# --- recognising graph ops ---------------------------------------------------------------------

def _scalar(op: Op, index: int) -> float | None:
    """The value of a one-element constant input, or None."""
    if index >= len(op.inputs):
        return None
    v = op.inputs[index]
    if not v.is_const or v.size != 1:
        return None
    return float(np.asarray(v.const).reshape(-1)[0])


def unary_step(op: Op) -> EltwiseStep | None:
    """The unary step computing ``op`` on f32 data (its extra inputs, such as Swish's
    beta, must be scalar constants), or None."""
    if (not op.outputs or not op.inputs or op.outputs[0].type != Type.f32
            or op.inputs[0].type != Type.f32):
        return None
    found = _unary_of(op)
    if found is None:
        return None
    function, alpha, beta = found
    return EltwiseStep(function, alpha=alpha, beta=beta, source=op.name, source_type=op.type)


def _unary_of(op: Op) -> tuple[str, float, float] | None:
    t = op.type
    if t in _SIMPLE and len(op.inputs) == 1:
        return _SIMPLE[t], 0.0, 0.0
    if t == "Gelu":
        mode = op.attr("approximation_mode", "erf")
        return ("gelu_tanh" if mode == "tanh" else "gelu_erf"), 0.0, 0.0
    if t == "Swish":
        if len(op.inputs) == 1:
            return "swish", 0.0, 1.0
        beta = _scalar(op, 1)
        return None if beta is None else ("swish", 0.0, beta)
    if t == "Elu":
        return "elu", float(op.attr("alpha")), 0.0
    if t == "Clamp":
        return "clamp", float(op.attr("min")), float(op.attr("max"))
    if t == "Round":
        mode = op.attr("mode", "half_to_even")
        return ("round_half_away_from_zero" if mode == "half_away_from_zero"
                else "round_half_to_even"), 0.0, 0.0
    if t == "HardSigmoid":
        a, b = _scalar(op, 1), _scalar(op, 2)
        return None if a is None or b is None else ("hard_sigmoid", a, b)
    if t == "Selu":
        a, lam = _scalar(op, 1), _scalar(op, 2)
        return None if a is None or lam is None else ("selu", a, lam)
    if t == "PRelu":
        slope = _scalar(op, 1)
        return None if slope is None else ("leaky_relu", slope, 0.0)
    if t == "Power":
        e = _scalar(op, 1)
        if e is None or op.inputs[1].size != 1 or len(op.inputs[1].shape) > len(op.inputs[0].shape):
            return None
        if e == 2.0:
            return "square", 0.0, 0.0
        return "power_scalar", e, 0.0
    return None


def binary_function(op: Op) -> str | None:
    """The binary function ``op`` computes on two f32 inputs with numpy (or no)
    broadcasting, or None."""
    function = _BINARY_OPS.get(op.type)
    if function is None or len(op.inputs) != 2:
        return None
    if op.attr("auto_broadcast", "numpy") not in ("numpy", "none"):
        return None
    if op.inputs[0].type != Type.f32 or op.inputs[1].type != Type.f32:
        return None
    out = op.outputs[0].type
    if function in COMPARISONS:
        return function if out == Type.boolean else None
    return function if out == Type.f32 else None


# --- numpy reference ---------------------------------------------------------------------------

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _unary(name: str, x: np.ndarray, a: float, b: float) -> np.ndarray:
    f = np.float32
    if name == "relu":
        return np.maximum(x, f(0))
    if name == "leaky_relu":
        return np.where(x < 0, x * f(a), x)
    if name == "clamp":
        return np.clip(x, f(a), f(b))
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "gelu_erf":
        return (0.5 * x * (1 + _erf(x / math.sqrt(2)))).astype(np.float32)
    if name == "gelu_tanh":
        return 0.5 * x * (1 + np.tanh(f(math.sqrt(2 / math.pi)) * (x + f(0.044715) * x ** 3)))
    if name == "swish":
        return x / (1 + np.exp(-f(b) * x))
    if name == "hswish":
        return x * np.clip(x + 3, 0, 6) / 6
    if name == "hsigmoid":
        return np.clip(x + 3, 0, 6) / 6
    if name == "elu":
        return np.where(x > 0, x, f(a) * np.expm1(x))
    if name == "exp":
        return np.exp(x)
    if name == "log":
        return np.log(x)
    if name == "abs":
        return np.abs(x)
    if name == "negative":
        return -x
    if name == "sqrt":
        return np.sqrt(x)
    if name == "softplus":
        return np.logaddexp(f(0), x)
    if name == "mish":
        return x * np.tanh(np.logaddexp(f(0), x))
    if name == "erf":
        return _erf(x).astype(np.float32)
    if name == "floor":
        return np.floor(x)
    if name == "ceiling":
        return np.ceil(x)
    if name == "linear":
        return x * f(a) + f(b)
    if name == "square":
        return x * x
    if name == "sign":
        return np.sign(x)
    if name == "sin":
        return np.sin(x)
    if name == "cos":
        return np.cos(x)
    if name == "tan":
        return np.tan(x)
    if name == "reciprocal":
        return 1 / x
    if name == "round_half_to_even":
        return np.rint(x)
    if name == "round_half_away_from_zero":
        t = np.trunc(x)
        return t + np.where(np.abs(x - t) >= 0.5, np.sign(x), 0).astype(np.float32)
    if name == "hard_sigmoid":
        return np.maximum(0, np.minimum(1, f(a) * x + f(b)))
    if name == "selu":
        return f(b) * np.where(x > 0, x, f(a) * np.expm1(x))
    if name == "power_scalar":
        return np.power(x, f(a))
    raise ValueError(f"'{name}' is not a unary elementwise function")


def _binary(name: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if name == "add":
        return a + b
    if name == "subtract":
        return a - b
    if name == "multiply":
        return a * b
    if name == "divide":
        return a / b
    if name == "maximum":
        return np.maximum(a, b)
    if name == "minimum":
        return np.minimum(a, b)
    if name == "power":
        return np.power(a, b)
    if name == "squared_difference":
        return (a - b) * (a - b)
    if name == "prelu":
        return np.where(a < 0, a * b, a)
    if name in COMPARISONS:
        return getattr(np, name)(a, b)
    raise ValueError(f"'{name}' is not a binary elementwise function")
