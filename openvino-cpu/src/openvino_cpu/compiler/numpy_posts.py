"""Post ops in numpy: the same arithmetic as ``kernels/postops.c`` for an op whose fused
tail ends up running in Python."""

from __future__ import annotations

import math

import numpy as np

from .._native import lib
from .steps import PostSpec

__all__ = ["numpy_post"]

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _act(code: int, x: np.ndarray, a: float, b: float) -> np.ndarray:
    f = np.float32
    if code == lib.OV_ACT_RELU:
        return np.maximum(x, f(0))
    if code == lib.OV_ACT_LEAKY:
        return np.where(x < 0, x * f(a), x)
    if code == lib.OV_ACT_CLAMP:
        return np.clip(x, f(a), f(b))
    if code == lib.OV_ACT_SIGMOID:
        return 1 / (1 + np.exp(-x))
    if code == lib.OV_ACT_TANH:
        return np.tanh(x)
    if code == lib.OV_ACT_GELU_ERF:
        return (0.5 * x * (1 + _erf(x / math.sqrt(2)))).astype(np.float32)
    if code == lib.OV_ACT_GELU_TANH:
        return 0.5 * x * (1 + np.tanh(f(math.sqrt(2 / math.pi)) * (x + f(0.044715) * x ** 3)))
    if code == lib.OV_ACT_SWISH:
        return x / (1 + np.exp(-f(b) * x))
    if code == lib.OV_ACT_HSWISH:
        return x * np.clip(x + 3, 0, 6) / 6
    if code == lib.OV_ACT_HSIGMOID:
        return np.clip(x + 3, 0, 6) / 6
    if code == lib.OV_ACT_ELU:
        return np.where(x > 0, x, f(a) * np.expm1(x))
    if code == lib.OV_ACT_EXP:
        return np.exp(x)
    if code == lib.OV_ACT_LOG:
        return np.log(x)
    if code == lib.OV_ACT_ABS:
        return np.abs(x)
    if code == lib.OV_ACT_NEG:
        return -x
    if code == lib.OV_ACT_SQRT:
        return np.sqrt(x)
    if code == lib.OV_ACT_SOFTPLUS:
        return np.logaddexp(f(0), x)
    if code == lib.OV_ACT_MISH:
        return x * np.tanh(np.logaddexp(f(0), x))
    if code == lib.OV_ACT_ERF:
        return _erf(x).astype(np.float32)
    if code == lib.OV_ACT_FLOOR:
        return np.floor(x)
    if code == lib.OV_ACT_CEIL:
        return np.ceil(x)
    if code == lib.OV_ACT_LINEAR:
        return x * f(a) + f(b)
    if code == lib.OV_ACT_SQUARE:
        return x * x
    if code == lib.OV_ACT_SIGN:
        return np.sign(x)
    if code == lib.OV_ACT_SIN:
        return np.sin(x)
    if code == lib.OV_ACT_COS:
        return np.cos(x)
    if code == lib.OV_ACT_TAN:
        return np.tan(x)
    if code == lib.OV_ACT_RECIP:
        return 1 / x
    if code == lib.OV_ACT_ROUND_EVEN:
        return np.rint(x)
    if code == lib.OV_ACT_ROUND_AWAY:
        t = np.trunc(x)
        return t + np.where(np.abs(x - t) >= 0.5, np.sign(x), 0).astype(np.float32)
    if code == lib.OV_ACT_HARD_SIGMOID:
        return np.maximum(0, np.minimum(1, f(a) * x + f(b)))
    if code == lib.OV_ACT_SELU:
        return f(b) * np.where(x > 0, x, f(a) * np.expm1(x))
    if code == lib.OV_ACT_POWC:
        return np.power(x, f(a))
    raise RuntimeError(f"unknown activation code {code}")


def _bin(code: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if code == lib.OV_BIN_ADD:
        return a + b
    if code == lib.OV_BIN_SUB:
        return a - b
    if code == lib.OV_BIN_MUL:
        return a * b
    if code == lib.OV_BIN_DIV:
        return a / b
    if code == lib.OV_BIN_MAX:
        return np.maximum(a, b)
    if code == lib.OV_BIN_MIN:
        return np.minimum(a, b)
    if code == lib.OV_BIN_POW:
        return np.power(a, b)
    if code == lib.OV_BIN_SQDIFF:
        return (a - b) * (a - b)
    if code == lib.OV_BIN_PRELU:
        return np.where(a < 0, a * b, a)
    raise RuntimeError(f"unknown binary code {code}")


def numpy_post(spec: PostSpec, y: np.ndarray, other: np.ndarray | None) -> np.ndarray:
    """``y`` after one post op (``other``: the tensor operand, broadcast numpy-style)."""
    with np.errstate(all="ignore"):
        if spec.operand is None:
            out = _act(spec.op, y, spec.alpha, spec.beta)
        else:
            a, b = (other, y) if spec.swap else (y, other)
            out = _bin(spec.op, np.asarray(a), np.asarray(b))
    return np.asarray(out, dtype=np.float32).reshape(y.shape)
