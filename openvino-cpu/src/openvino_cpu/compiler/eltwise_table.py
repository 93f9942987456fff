"""The kernels' codes for the SDK's elementwise functions (``openvino.plugin.passes``
``EltwiseStep.function``): ``OV_ACT_*`` for the unary ones (``OV_K_UNARY`` and post ops of
kind ``OV_PO_ACT``), ``OV_BIN_*`` for the binary ones (``OV_K_BINARY`` and ``OV_PO_BIN``).
Every function of the SDK's vocabulary has a kernel code.
"""

from __future__ import annotations

from openvino.plugin.passes import EltwiseStep

from .._native import lib

__all__ = ["ACT_CODES", "BIN_CODES", "act_code", "bin_code"]

ACT_CODES = {
    "relu": lib.OV_ACT_RELU, "leaky_relu": lib.OV_ACT_LEAKY, "clamp": lib.OV_ACT_CLAMP,
    "sigmoid": lib.OV_ACT_SIGMOID, "tanh": lib.OV_ACT_TANH, "gelu_erf": lib.OV_ACT_GELU_ERF,
    "gelu_tanh": lib.OV_ACT_GELU_TANH, "swish": lib.OV_ACT_SWISH, "hswish": lib.OV_ACT_HSWISH,
    "hsigmoid": lib.OV_ACT_HSIGMOID, "elu": lib.OV_ACT_ELU, "exp": lib.OV_ACT_EXP,
    "log": lib.OV_ACT_LOG, "abs": lib.OV_ACT_ABS, "negative": lib.OV_ACT_NEG,
    "sqrt": lib.OV_ACT_SQRT, "softplus": lib.OV_ACT_SOFTPLUS, "mish": lib.OV_ACT_MISH,
    "erf": lib.OV_ACT_ERF, "floor": lib.OV_ACT_FLOOR, "ceiling": lib.OV_ACT_CEIL,
    "linear": lib.OV_ACT_LINEAR, "square": lib.OV_ACT_SQUARE, "sign": lib.OV_ACT_SIGN,
    "sin": lib.OV_ACT_SIN, "cos": lib.OV_ACT_COS, "tan": lib.OV_ACT_TAN,
    "reciprocal": lib.OV_ACT_RECIP, "round_half_to_even": lib.OV_ACT_ROUND_EVEN,
    "round_half_away_from_zero": lib.OV_ACT_ROUND_AWAY,
    "hard_sigmoid": lib.OV_ACT_HARD_SIGMOID, "selu": lib.OV_ACT_SELU,
    "power_scalar": lib.OV_ACT_POWC,
}

BIN_CODES = {
    "add": lib.OV_BIN_ADD, "subtract": lib.OV_BIN_SUB, "multiply": lib.OV_BIN_MUL,
    "divide": lib.OV_BIN_DIV, "maximum": lib.OV_BIN_MAX, "minimum": lib.OV_BIN_MIN,
    "power": lib.OV_BIN_POW, "squared_difference": lib.OV_BIN_SQDIFF,
    "prelu": lib.OV_BIN_PRELU, "equal": lib.OV_BIN_EQ, "not_equal": lib.OV_BIN_NE,
    "less": lib.OV_BIN_LT, "less_equal": lib.OV_BIN_LE, "greater": lib.OV_BIN_GT,
    "greater_equal": lib.OV_BIN_GE,
}


def act_code(step: EltwiseStep) -> int:
    """``OV_ACT_*`` of a unary step."""
    return ACT_CODES[step.function]


def bin_code(function: str) -> int:
    """``OV_BIN_*`` of a binary function."""
    return BIN_CODES[function]
