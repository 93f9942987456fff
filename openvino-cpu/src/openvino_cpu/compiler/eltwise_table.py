"""Which ``openvino`` elementwise ops the kernels compute, and with which codes.

``activation(op)`` gives ``(OV_ACT_*, alpha, beta)`` for a unary f32 op the kernels run
(its extra inputs, such as Swish's beta, must be constants); ``binary_code(op)`` gives
``OV_BIN_*`` for a two-input f32 op with numpy (or no) broadcasting.
"""

from __future__ import annotations

import numpy as np

from openvino import Type

from .._native import lib
from .graph import Op

__all__ = ["activation", "binary_code", "COMMUTATIVE", "COMPARISONS"]

_SIMPLE = {
    "Relu": lib.OV_ACT_RELU, "Sigmoid": lib.OV_ACT_SIGMOID, "Tanh": lib.OV_ACT_TANH,
    "HSwish": lib.OV_ACT_HSWISH, "HSigmoid": lib.OV_ACT_HSIGMOID, "Exp": lib.OV_ACT_EXP,
    "Log": lib.OV_ACT_LOG, "Abs": lib.OV_ACT_ABS, "Negative": lib.OV_ACT_NEG,
    "Sqrt": lib.OV_ACT_SQRT, "SoftPlus": lib.OV_ACT_SOFTPLUS, "Mish": lib.OV_ACT_MISH,
    "Erf": lib.OV_ACT_ERF, "Floor": lib.OV_ACT_FLOOR, "Ceiling": lib.OV_ACT_CEIL,
    "Sign": lib.OV_ACT_SIGN, "Sin": lib.OV_ACT_SIN, "Cos": lib.OV_ACT_COS,
    "Tan": lib.OV_ACT_TAN,
}

_BINARY = {
    "Add": lib.OV_BIN_ADD, "Subtract": lib.OV_BIN_SUB, "Multiply": lib.OV_BIN_MUL,
    "Divide": lib.OV_BIN_DIV, "Maximum": lib.OV_BIN_MAX, "Minimum": lib.OV_BIN_MIN,
    "Power": lib.OV_BIN_POW, "SquaredDifference": lib.OV_BIN_SQDIFF,
    "Equal": lib.OV_BIN_EQ, "NotEqual": lib.OV_BIN_NE, "Less": lib.OV_BIN_LT,
    "LessEqual": lib.OV_BIN_LE, "Greater": lib.OV_BIN_GT, "GreaterEqual": lib.OV_BIN_GE,
}

#: Binary codes whose operands may be swapped freely.
COMMUTATIVE = frozenset({lib.OV_BIN_ADD, lib.OV_BIN_MUL, lib.OV_BIN_MAX, lib.OV_BIN_MIN,
                         lib.OV_BIN_SQDIFF})
#: Binary codes producing a boolean output.
COMPARISONS = frozenset({lib.OV_BIN_EQ, lib.OV_BIN_NE, lib.OV_BIN_LT, lib.OV_BIN_LE,
                         lib.OV_BIN_GT, lib.OV_BIN_GE})


def _scalar(op: Op, index: int) -> float | None:
    """The value of a one-element constant input, or None."""
    if index >= len(op.inputs):
        return None
    v = op.inputs[index]
    if not v.is_const or v.size != 1:
        return None
    return float(np.asarray(v.const).reshape(-1)[0])


def activation(op: Op) -> tuple[int, float, float] | None:
    """The kernel activation computing ``op`` on f32 data, or None."""
    if (not op.outputs or not op.inputs or op.outputs[0].type != Type.f32
            or op.inputs[0].type != Type.f32):
        return None
    t = op.type
    if t in _SIMPLE and len(op.inputs) == 1:
        return _SIMPLE[t], 0.0, 0.0
    if t == "Gelu":
        mode = op.attr("approximation_mode", "erf")
        return (lib.OV_ACT_GELU_TANH if mode == "tanh" else lib.OV_ACT_GELU_ERF), 0.0, 0.0
    if t == "Swish":
        if len(op.inputs) == 1:
            return lib.OV_ACT_SWISH, 0.0, 1.0
        beta = _scalar(op, 1)
        return None if beta is None else (lib.OV_ACT_SWISH, 0.0, beta)
    if t == "Elu":
        return lib.OV_ACT_ELU, float(op.attr("alpha")), 0.0
    if t == "Clamp":
        return lib.OV_ACT_CLAMP, float(op.attr("min")), float(op.attr("max"))
    if t == "Round":
        mode = op.attr("mode", "half_to_even")
        return (lib.OV_ACT_ROUND_AWAY if mode == "half_away_from_zero"
                else lib.OV_ACT_ROUND_EVEN), 0.0, 0.0
    if t == "HardSigmoid":
        a, b = _scalar(op, 1), _scalar(op, 2)
        return None if a is None or b is None else (lib.OV_ACT_HARD_SIGMOID, a, b)
    if t == "Selu":
        a, lam = _scalar(op, 1), _scalar(op, 2)
        return None if a is None or lam is None else (lib.OV_ACT_SELU, a, lam)
    if t == "PRelu":
        slope = _scalar(op, 1)
        return None if slope is None else (lib.OV_ACT_LEAKY, slope, 0.0)
    if t == "Power":
        e = _scalar(op, 1)
        if e is None or op.inputs[1].size != 1 or len(op.inputs[1].shape) > len(op.inputs[0].shape):
            return None
        if e == 2.0:
            return lib.OV_ACT_SQUARE, 0.0, 0.0
        return lib.OV_ACT_POWC, e, 0.0
    return None


def binary_code(op: Op) -> int | None:
    """The kernel binary op computing ``op`` on f32 inputs, or None."""
    code = _BINARY.get(op.type)
    if code is None or len(op.inputs) != 2:
        return None
    if op.attr("auto_broadcast", "numpy") not in ("numpy", "none"):
        return None
    if op.inputs[0].type != Type.f32 or op.inputs[1].type != Type.f32:
        return None
    out = op.outputs[0].type
    if code in COMPARISONS:
        return code if out == Type.boolean else None
    return code if out == Type.f32 else None
