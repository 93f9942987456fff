"""Unary math: Abs, Negative, Sign, Floor, Ceiling, Round, Exp, Log, Sqrt, Erf, the
trigonometric and hyperbolic family, and the IsFinite/IsInf/IsNaN tests.

Functions of the reals accept integer inputs too: they are computed in float64 and the
result is rounded to the nearest integer (halves away from zero) of the input's type.
"""

from __future__ import annotations

import math as _math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._attributes import Attr
from .._opsets import factory
from .._type import Type
from .elementwise import UnaryElementwise, _check_kind, wrap_integer

__all__ = ["Abs", "Negative", "Sign", "Floor", "Ceiling", "Round", "Exp", "Log", "Sqrt", "Erf",
           "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Tanh", "Asinh",
           "Acosh", "Atanh", "IsFinite", "IsInf", "IsNaN", "erf_values", "round_half_away",
           "real_function_result"]


# --- numeric helpers shared with the activation family -------------------------------------

_erf_scalar = np.frompyfunc(_math.erf, 1, 1)


def erf_values(x: np.ndarray) -> np.ndarray:
    """The error function, elementwise, at double precision, in ``x``'s float dtype."""
    x = np.asarray(x)
    out = np.asarray(_erf_scalar(x.astype(np.float64)), dtype=np.float64)
    return out.astype(x.dtype) if x.dtype.kind == "f" else out


def round_half_away(x: np.ndarray) -> np.ndarray:
    """Round to the nearest integer, halves away from zero (exact for every float)."""
    t = np.trunc(x)
    frac = np.abs(x - t)
    return t + np.where(frac >= 0.5, np.sign(x), 0).astype(t.dtype)


def real_function_result(fn: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                         et: Type) -> np.ndarray:
    """``fn`` applied to ``x`` as a real function, returned in element type ``et``:
    integer inputs are computed in float64 and rounded back (saturating to the type)."""
    with np.errstate(all="ignore"):
        if x.dtype.kind in "iub":
            y = round_half_away(fn(x.astype(np.float64)))
            info = np.iinfo(et.evaluation_dtype)
            y = np.clip(np.nan_to_num(y, nan=0.0), info.min, info.max)
            return wrap_integer(y, et)
        return wrap_integer(fn(x), et)


class _RealFunction(UnaryElementwise):
    """A unary op computing a function of the reals (see ``real_function_result``)."""

    allowed = "numeric"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def reference(self, x: np.ndarray) -> np.ndarray:
        return real_function_result(type(self).function, x, self.get_output_element_type(0))


# --- exact ops --------------------------------------------------------------------------------

class Abs(UnaryElementwise):
    type_name = "Abs"
    version = "opset1"

    def reference(self, x: np.ndarray) -> np.ndarray:
        if x.dtype.kind == "u":
            return x.copy()
        with np.errstate(all="ignore"):
            return wrap_integer(np.abs(x), self.get_output_element_type(0))


class Negative(UnaryElementwise):
    type_name = "Negative"
    version = "opset1"

    def reference(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return wrap_integer(np.negative(x), self.get_output_element_type(0))


class Sign(UnaryElementwise):
    type_name = "Sign"
    version = "opset1"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return wrap_integer(np.sign(x), self.get_output_element_type(0))


class Floor(UnaryElementwise):
    type_name = "Floor"
    version = "opset1"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return x.copy() if x.dtype.kind in "iu" else np.floor(x)


class Ceiling(UnaryElementwise):
    type_name = "Ceiling"
    version = "opset1"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return x.copy() if x.dtype.kind in "iu" else np.ceil(x)


class Round(UnaryElementwise):
    """Round to the nearest integer; ``mode`` decides halves: ``half_to_even`` or
    ``half_away_from_zero``."""

    type_name = "Round"
    version = "opset5"
    attributes = {"mode": Attr.enum("half_to_even")}
    _MODES = ("half_to_even", "half_away_from_zero")

    def validate_and_infer_types(self) -> None:
        self.check(self._attrs["mode"] in self._MODES,
                   f"Round mode '{self._attrs['mode']}' is not one of {', '.join(self._MODES)}")
        super().validate_and_infer_types()

    def reference(self, x: np.ndarray) -> np.ndarray:
        if x.dtype.kind in "iu":
            return x.copy()
        if self._attrs["mode"] == "half_to_even":
            return np.rint(x)
        return round_half_away(x)


# --- functions of the reals ---------------------------------------------------------------------

class Exp(_RealFunction):
    """Elementwise ``e ** x``."""

    type_name = "Exp"
    version = "opset1"
    function = staticmethod(np.exp)


class Log(_RealFunction):
    """Elementwise natural logarithm."""

    type_name = "Log"
    version = "opset1"
    function = staticmethod(np.log)


class Sqrt(_RealFunction):
    """Elementwise square root."""

    type_name = "Sqrt"
    version = "opset1"
    function = staticmethod(np.sqrt)


class Erf(_RealFunction):
    """Elementwise error function."""

    type_name = "Erf"
    version = "opset1"
    function = staticmethod(erf_values)


class Sin(_RealFunction):
    """Elementwise sine."""

    type_name = "Sin"
    version = "opset1"
    function = staticmethod(np.sin)


class Cos(_RealFunction):
    """Elementwise cosine."""

    type_name = "Cos"
    version = "opset1"
    function = staticmethod(np.cos)


class Tan(_RealFunction):
    """Elementwise tangent."""

    type_name = "Tan"
    version = "opset1"
    function = staticmethod(np.tan)


class Asin(_RealFunction):
    """Elementwise arcsine."""

    type_name = "Asin"
    version = "opset1"
    function = staticmethod(np.arcsin)


class Acos(_RealFunction):
    """Elementwise arccosine."""

    type_name = "Acos"
    version = "opset1"
    function = staticmethod(np.arccos)


class Atan(_RealFunction):
    """Elementwise arctangent."""

    type_name = "Atan"
    version = "opset1"
    function = staticmethod(np.arctan)


class Sinh(_RealFunction):
    """Elementwise hyperbolic sine."""

    type_name = "Sinh"
    version = "opset1"
    function = staticmethod(np.sinh)


class Cosh(_RealFunction):
    """Elementwise hyperbolic cosine."""

    type_name = "Cosh"
    version = "opset1"
    function = staticmethod(np.cosh)


class Tanh(_RealFunction):
    """Elementwise hyperbolic tangent."""

    type_name = "Tanh"
    version = "opset1"
    function = staticmethod(np.tanh)


class Asinh(_RealFunction):
    """Elementwise inverse hyperbolic sine."""

    type_name = "Asinh"
    version = "opset4"
    function = staticmethod(np.arcsinh)


class Acosh(_RealFunction):
    """Elementwise inverse hyperbolic cosine."""

    type_name = "Acosh"
    version = "opset4"
    function = staticmethod(np.arccosh)


class Atanh(_RealFunction):
    """Elementwise inverse hyperbolic tangent."""

    type_name = "Atanh"
    version = "opset4"
    function = staticmethod(np.arctanh)


# --- floating-point class tests -------------------------------------------------------------

class _FloatTest(UnaryElementwise):
    """Real input, boolean output of the same shape."""

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 1, f"{self.type_name} takes one input")
        et = self.get_input_element_type(0)
        _check_kind(self, et, "real")
        self.set_output_type(0, Type.boolean, self.get_input_partial_shape(0))


class IsFinite(_FloatTest):
    type_name = "IsFinite"
    version = "opset10"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return np.isfinite(x)


class IsNaN(_FloatTest):
    type_name = "IsNaN"
    version = "opset10"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return np.isnan(x)


class IsInf(_FloatTest):
    """True for infinities; ``detect_negative`` / ``detect_positive`` pick which."""

    type_name = "IsInf"
    version = "opset10"
    attributes = {"detect_negative": Attr.bool(True), "detect_positive": Attr.bool(True)}

    def reference(self, x: np.ndarray) -> np.ndarray:
        out = np.zeros(x.shape, dtype=np.bool_)
        if self._attrs["detect_negative"]:
            out |= np.isneginf(x)
        if self._attrs["detect_positive"]:
            out |= np.isposinf(x)
        return out


# --- factories ------------------------------------------------------------------------------

@factory("absolute", since=1)
def absolute(node: Any, name: str | None = None) -> Abs:
    """Elementwise ``|x|``."""
    return Abs(node, name=name)


factory("abs", since=1)(absolute)


@factory("negative", since=1)
def negative(node: Any, name: str | None = None) -> Negative:
    """Elementwise ``-x``."""
    return Negative(node, name=name)


@factory("sign", since=1)
def sign(node: Any, name: str | None = None) -> Sign:
    """Elementwise sign: -1, 0 or 1."""
    return Sign(node, name=name)


@factory("floor", since=1)
def floor(node: Any, name: str | None = None) -> Floor:
    """Elementwise floor."""
    return Floor(node, name=name)


@factory("ceiling", since=1)
def ceiling(node: Any, name: str | None = None) -> Ceiling:
    """Elementwise ceiling."""
    return Ceiling(node, name=name)


factory("ceil", since=1)(ceiling)


@factory("round", since=5)
def round(data: Any, mode: str = "half_to_even", name: str | None = None) -> Round:
    """Elementwise rounding to the nearest integer; ``mode`` says how halves go."""
    return Round(data, mode=mode, name=name)


@factory("exp", since=1)
def exp(node: Any, name: str | None = None) -> Exp:
    """Elementwise ``e ** x``."""
    return Exp(node, name=name)


@factory("log", since=1)
def log(node: Any, name: str | None = None) -> Log:
    """Elementwise natural logarithm."""
    return Log(node, name=name)


@factory("sqrt", since=1)
def sqrt(node: Any, name: str | None = None) -> Sqrt:
    """Elementwise square root."""
    return Sqrt(node, name=name)


@factory("erf", since=1)
def erf(node: Any, name: str | None = None) -> Erf:
    """Elementwise error function."""
    return Erf(node, name=name)


@factory("sin", since=1)
def sin(node: Any, name: str | None = None) -> Sin:
    """Elementwise sine."""
    return Sin(node, name=name)


@factory("cos", since=1)
def cos(node: Any, name: str | None = None) -> Cos:
    """Elementwise cosine."""
    return Cos(node, name=name)


@factory("tan", since=1)
def tan(node: Any, name: str | None = None) -> Tan:
    """Elementwise tangent."""
    return Tan(node, name=name)


@factory("asin", since=1)
def asin(node: Any, name: str | None = None) -> Asin:
    """Elementwise arcsine."""
    return Asin(node, name=name)


@factory("acos", since=1)
def acos(node: Any, name: str | None = None) -> Acos:
    """Elementwise arccosine."""
    return Acos(node, name=name)


@factory("atan", since=1)
def atan(node: Any, name: str | None = None) -> Atan:
    """Elementwise arctangent."""
    return Atan(node, name=name)


@factory("sinh", since=1)
def sinh(node: Any, name: str | None = None) -> Sinh:
    """Elementwise hyperbolic sine."""
    return Sinh(node, name=name)


@factory("cosh", since=1)
def cosh(node: Any, name: str | None = None) -> Cosh:
    """Elementwise hyperbolic cosine."""
    return Cosh(node, name=name)


@factory("tanh", since=1)
def tanh(node: Any, name: str | None = None) -> Tanh:
    """Elementwise hyperbolic tangent."""
    return Tanh(node, name=name)


@factory("asinh", since=4)
def asinh(node: Any, name: str | None = None) -> Asinh:
    """Elementwise inverse hyperbolic sine."""
    return Asinh(node, name=name)


@factory("acosh", since=4)
def acosh(node: Any, name: str | None = None) -> Acosh:
    """Elementwise inverse hyperbolic cosine."""
    return Acosh(node, name=name)


@factory("atanh", since=4)
def atanh(node: Any, name: str | None = None) -> Atanh:
    """Elementwise inverse hyperbolic tangent."""
    return Atanh(node, name=name)


@factory("is_finite", since=10)
def is_finite(data: Any, name: str | None = None) -> IsFinite:
    """True where ``data`` is neither infinite nor NaN."""
    return IsFinite(data, name=name)


@factory("is_nan", since=10)
def is_nan(data: Any, name: str | None = None) -> IsNaN:
    """True where ``data`` is NaN."""
    return IsNaN(data, name=name)


@factory("is_inf", since=10)
def is_inf(data: Any, attributes: dict | None = None, name: str | None = None) -> IsInf:
    """True where ``data`` is infinite; ``attributes`` may hold ``detect_negative`` and
    ``detect_positive`` (both default true)."""
    attrs = dict(attributes or {})
    unknown = set(attrs) - {"detect_negative", "detect_positive"}
    if unknown:
        raise RuntimeError(f"is_inf: unknown attributes {sorted(unknown)}")
    return IsInf(data, name=name, **attrs)
