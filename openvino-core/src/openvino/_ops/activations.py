"""Activations: Relu, Sigmoid, Gelu (v0 and v7), Swish, HSwish, HSigmoid, Mish, SoftPlus,
SoftSign, Elu, Selu, PRelu, Clamp and HardSigmoid. (Tanh lives with the hyperbolic functions
in ``math``.)"""

from __future__ import annotations

import math as _math
from typing import Any

import numpy as np

from .._attributes import Attr
from .._opsets import factory
from .._shape import PartialShape
from ._infer import merge_types
from .elementwise import UnaryElementwise, _check_kind, wrap_integer
from .math import erf_values, real_function_result

__all__ = ["Relu", "Sigmoid", "Gelu0", "Gelu", "Swish", "HSwish", "HSigmoid", "Mish",
           "SoftPlus", "SoftSign", "Elu", "Selu", "PRelu", "Clamp", "HardSigmoid"]


class Relu(UnaryElementwise):
    type_name = "Relu"
    ir_type_name = "ReLU"
    version = "opset1"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, np.zeros((), x.dtype))


class Sigmoid(UnaryElementwise):
    """``1 / (1 + exp(-x))``."""

    type_name = "Sigmoid"
    version = "opset1"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return real_function_result(_sigmoid, x, self.get_output_element_type(0))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    one = np.ones((), x.dtype)
    return one / (one + np.exp(-x))


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(np.zeros((), x.dtype), x)


class _FloatActivation(UnaryElementwise):
    """An activation defined on floating-point inputs only."""

    allowed = "real"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def reference(self, x: np.ndarray) -> np.ndarray:
        return real_function_result(type(self).function, x, self.get_output_element_type(0))


def _gelu_erf(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + erf_values(x / np.sqrt(2).astype(x.dtype)))


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    c = np.asarray(np.sqrt(2 / np.pi), x.dtype)
    return 0.5 * x * (1 + np.tanh(c * (x + np.asarray(0.044715, x.dtype) * x * x * x)))


class Gelu0(_FloatActivation):
    """Gelu of opset2: ``0.5 * x * (1 + erf(x / sqrt(2)))``."""

    type_name = "Gelu"
    version = "opset2"
    function = staticmethod(_gelu_erf)


class Gelu(_FloatActivation):
    """Gelu of opset7; ``approximation_mode`` is ``ERF`` (exact) or ``TANH``."""

    type_name = "Gelu"
    version = "opset7"
    attributes = {"approximation_mode": Attr.enum("erf")}

    def validate_and_infer_types(self) -> None:
        mode = self._attrs["approximation_mode"]
        self.check(mode in ("erf", "tanh"),
                   f"Gelu approximation_mode '{mode}' is not one of ERF, TANH")
        super().validate_and_infer_types()

    def reference(self, x: np.ndarray) -> np.ndarray:
        fn = _gelu_tanh if self._attrs["approximation_mode"] == "tanh" else _gelu_erf
        return real_function_result(fn, x, self.get_output_element_type(0))

    def _ir_attributes(self) -> dict[str, str]:
        return {"approximation_mode": self._attrs["approximation_mode"].upper()}

    def get_attributes(self) -> dict[str, Any]:
        return {"approximation_mode": self._attrs["approximation_mode"].upper()}


class HSwish(_FloatActivation):
    """``x * min(max(x + 3, 0), 6) / 6``."""

    type_name = "HSwish"
    version = "opset4"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        return x * np.clip(x + 3, 0, 6) / 6


class HSigmoid(_FloatActivation):
    """``min(max(x + 3, 0), 6) / 6``."""

    type_name = "HSigmoid"
    version = "opset5"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        return np.clip(x + 3, 0, 6) / 6


class Mish(_FloatActivation):
    """``x * tanh(ln(1 + exp(x)))``."""

    type_name = "Mish"
    version = "opset4"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        return x * np.tanh(_softplus(x))


class SoftPlus(_FloatActivation):
    """``ln(1 + exp(x))`` (computed without overflow for large ``x``)."""

    type_name = "SoftPlus"
    version = "opset4"
    function = staticmethod(_softplus)


class SoftSign(_FloatActivation):
    """``x / (1 + |x|)``."""

    type_name = "SoftSign"
    version = "opset9"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        return x / (1 + np.abs(x))


class Swish(UnaryElementwise):
    """``x * sigmoid(beta * x)``; ``beta`` is an optional scalar second input (default 1)."""

    type_name = "Swish"
    version = "opset4"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (1, 2), "Swish takes one or two inputs")
        et = self.get_input_element_type(0)
        _check_kind(self, et, "real")
        if len(self._inputs) == 2:
            merge_types(self, et, self.get_input_element_type(1))
            beta = self.get_input_partial_shape(1)
            self.check(beta.rank.is_dynamic or beta.rank.get_length() == 0
                       or (beta.rank.get_length() == 1 and beta[0]._compatible(1)),
                       f"Swish input 'beta' must be a scalar, got shape {beta}")
        self.set_output_type(0, et, self.get_input_partial_shape(0))

    def reference(self, x: np.ndarray, beta: np.ndarray | None = None) -> np.ndarray:
        b = np.ones((), x.dtype) if beta is None else np.asarray(beta, x.dtype).reshape(())
        return real_function_result(lambda v: v * _sigmoid(b * v), x,
                                    self.get_output_element_type(0))


class Elu(UnaryElementwise):
    """``x`` for positive ``x``, ``alpha * (exp(x) - 1)`` otherwise."""

    type_name = "Elu"
    version = "opset1"
    attributes = {"alpha": Attr.float()}

    def reference(self, x: np.ndarray) -> np.ndarray:
        alpha = self._attrs["alpha"]
        return real_function_result(
            lambda v: np.where(v > 0, v, np.asarray(alpha, v.dtype) * np.expm1(v)), x,
            self.get_output_element_type(0))


class Selu(UnaryElementwise):
    """``lambda * x`` for positive ``x``, ``lambda * alpha * (exp(x) - 1)`` otherwise;
    ``alpha`` and ``lambda`` are one-element inputs."""

    type_name = "Selu"
    version = "opset1"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3, "Selu takes three inputs: data, alpha, lambda")
        et = merge_types(self, *(self.get_input_element_type(i) for i in range(3)))
        _check_kind(self, et, "real")
        for i, what in ((1, "alpha"), (2, "lambda")):
            ps = self.get_input_partial_shape(i)
            if ps.rank.is_static and ps.is_static:
                n = int(np.prod([d.get_length() for d in ps], dtype=np.int64))
                self.check(n == 1, f"Selu input '{what}' must have one element, got shape {ps}")
        self.set_output_type(0, et, self.get_input_partial_shape(0))

    def reference(self, x: np.ndarray, alpha: np.ndarray, lam: np.ndarray) -> np.ndarray:
        a = np.asarray(alpha).reshape(-1)[0]
        m = np.asarray(lam).reshape(-1)[0]
        return real_function_result(
            lambda v: m * np.where(v > 0, v, a * np.expm1(v)), x,
            self.get_output_element_type(0))


class PRelu(UnaryElementwise):
    """``x`` for positive ``x``, ``slope * x`` otherwise. A 1-D ``slope`` whose length is
    the channel dimension (axis 1) applies per channel; otherwise it broadcasts numpy-style
    into ``x``'s shape."""

    type_name = "PRelu"
    ir_type_name = "PReLU"
    version = "opset1"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "PRelu takes two inputs: data and slope")
        et = merge_types(self, self.get_input_element_type(0), self.get_input_element_type(1))
        _check_kind(self, et, "numeric")
        data = self.get_input_partial_shape(0)
        slope = self.get_input_partial_shape(1)
        if data.rank.is_static and slope.rank.is_static and not self._per_channel(data, slope):
            self.check(slope.rank.get_length() <= max(data.rank.get_length(), 1),
                       f"Slope shape {slope} does not broadcast to data shape {data}")
            for d, s in zip(reversed(list(data)), reversed(list(slope))):
                self.check(s._compatible(1) or s._compatible(d),
                           f"Slope shape {slope} does not broadcast to data shape {data}")
        self.set_output_type(0, et, data)

    @staticmethod
    def _per_channel(data: PartialShape, slope: PartialShape) -> bool:
        return (slope.rank.get_length() == 1 and data.rank.get_length() >= 2
                and slope[0].compatible(data[1]))

    def reference(self, x: np.ndarray, slope: np.ndarray) -> np.ndarray:
        if slope.ndim == 1 and x.ndim >= 2 and slope.shape[0] == x.shape[1]:
            slope = slope.reshape((-1,) + (1,) * (x.ndim - 2))
        with np.errstate(all="ignore"):
            out = np.where(x < 0, np.multiply(x, slope, dtype=x.dtype), x)
        return wrap_integer(np.broadcast_to(out, x.shape), self.get_output_element_type(0))


class Clamp(UnaryElementwise):
    """Clip to ``[min, max]``; for integer types ``min`` is rounded up and ``max`` down."""

    type_name = "Clamp"
    version = "opset1"
    attributes = {"min": Attr.float(), "max": Attr.float()}

    def validate_and_infer_types(self) -> None:
        lo, hi = self._attrs["min"], self._attrs["max"]
        self.check(not (np.isnan(lo) or np.isnan(hi)), "Clamp 'min' and 'max' must be numbers")
        self.check(lo <= hi, f"Attribute 'min' ({lo}) must be less or equal than "
                             f"'max' ({hi})")
        super().validate_and_infer_types()

    def reference(self, x: np.ndarray) -> np.ndarray:
        lo, hi = self._attrs["min"], self._attrs["max"]
        if x.dtype.kind in "iu":
            info = np.iinfo(x.dtype)
            lo_i = _saturate(lo, _math.ceil, int(info.min), int(info.max))
            hi_i = _saturate(hi, _math.floor, int(info.min), int(info.max))
            return np.clip(x, np.asarray(lo_i, x.dtype), np.asarray(hi_i, x.dtype))
        return wrap_integer(np.clip(x, np.asarray(lo, x.dtype), np.asarray(hi, x.dtype)),
                            self.get_output_element_type(0))


def _saturate(value: float, to_int: Any, lowest: int, highest: int) -> int:
    """``to_int(value)`` limited to ``[lowest, highest]`` (infinities saturate)."""
    if np.isinf(value):
        return lowest if value < 0 else highest
    return min(max(to_int(value), lowest), highest)


class HardSigmoid(UnaryElementwise):
    """``max(0, min(1, alpha * x + beta))`` with scalar inputs ``alpha`` and ``beta``."""

    type_name = "HardSigmoid"
    version = "opset1"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3, "HardSigmoid takes three inputs: data, alpha, beta")
        et = merge_types(self, *(self.get_input_element_type(i) for i in range(3)))
        _check_kind(self, et, "real")
        for i, what in ((1, "alpha"), (2, "beta")):
            ps = self.get_input_partial_shape(i)
            self.check(ps.rank.is_dynamic or ps.rank.get_length() == 0
                       or (ps.rank.get_length() == 1 and ps[0]._compatible(1)),
                       f"HardSigmoid input '{what}' must be a scalar, got shape {ps}")
        self.set_output_type(0, et, self.get_input_partial_shape(0))

    def reference(self, x: np.ndarray, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
        a = np.asarray(alpha, x.dtype).reshape(-1)[0]
        b = np.asarray(beta, x.dtype).reshape(-1)[0]
        return real_function_result(lambda v: np.clip(a * v + b, 0, 1), x,
                                    self.get_output_element_type(0))


# --- factories ------------------------------------------------------------------------------

@factory("relu", since=1)
def relu(node: Any, name: str | None = None) -> Relu:
    """Elementwise ``max(x, 0)``."""
    return Relu(node, name=name)


@factory("sigmoid", since=1)
def sigmoid(data: Any, name: str | None = None) -> Sigmoid:
    """Elementwise logistic function."""
    return Sigmoid(data, name=name)


@factory("gelu", since=2)
def gelu_v0(node: Any, name: str | None = None) -> Gelu0:
    """Gaussian error linear unit (exact, with erf)."""
    return Gelu0(node, name=name)


@factory("gelu", since=7)
def gelu(data: Any, approximation_mode: str = "ERF", name: str | None = None) -> Gelu:
    """Gaussian error linear unit; ``approximation_mode`` is ``"ERF"`` or ``"TANH"``."""
    return Gelu(data, approximation_mode=approximation_mode, name=name)


@factory("swish", since=4)
def swish(data: Any, beta: Any = None, name: str | None = None) -> Swish:
    """Elementwise ``x * sigmoid(beta * x)`` (``beta`` defaults to 1)."""
    if beta is None:
        return Swish(data, name=name)
    return Swish(data, beta, name=name)


@factory("hswish", since=4)
def hswish(data: Any, name: str | None = None) -> HSwish:
    """Elementwise hard swish."""
    return HSwish(data, name=name)


@factory("hsigmoid", since=5)
def hsigmoid(data: Any, name: str | None = None) -> HSigmoid:
    """Elementwise hard sigmoid ``relu6(x + 3) / 6``."""
    return HSigmoid(data, name=name)


@factory("mish", since=4)
def mish(data: Any, name: str | None = None) -> Mish:
    """Elementwise ``x * tanh(softplus(x))``."""
    return Mish(data, name=name)


@factory("softplus", since=4)
def softplus(data: Any, name: str | None = None) -> SoftPlus:
    """Elementwise ``ln(1 + exp(x))``."""
    return SoftPlus(data, name=name)


@factory("softsign", since=9)
def softsign(node: Any, name: str | None = None) -> SoftSign:
    """Elementwise ``x / (1 + |x|)``."""
    return SoftSign(node, name=name)


@factory("elu", since=1)
def elu(data: Any, alpha: float, name: str | None = None) -> Elu:
    """Exponential linear unit with coefficient ``alpha``."""
    return Elu(data, alpha=alpha, name=name)


@factory("selu", since=1)
def selu(data: Any, alpha: Any, lambda_value: Any, name: str | None = None) -> Selu:
    """Scaled exponential linear unit; ``alpha`` and ``lambda_value`` are tensors."""
    return Selu(data, alpha, lambda_value, name=name)


@factory("prelu", since=1)
def prelu(data: Any, slope: Any, name: str | None = None) -> PRelu:
    """Parametric ReLU: negative values are multiplied by ``slope``."""
    return PRelu(data, slope, name=name)


@factory("clamp", since=1)
def clamp(data: Any, min_value: float, max_value: float, name: str | None = None) -> Clamp:
    """Clip values to ``[min_value, max_value]``."""
    return Clamp(data, min=min_value, max=max_value, name=name)


@factory("hard_sigmoid", since=1)
def hard_sigmoid(data: Any, alpha: Any, beta: Any, name: str | None = None) -> HardSigmoid:
    """Elementwise ``max(0, min(1, alpha * x + beta))``."""
    return HardSigmoid(data, alpha, beta, name=name)
