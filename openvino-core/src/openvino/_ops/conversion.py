"""Element type conversion: Convert (to ``destination_type``) and ConvertLike (to the type
of a second input).

Conversion rules (the spec leaves out-of-range values undefined; these are the choices):

* to boolean (and u1): ``x != 0``;
* floating point to integer: truncation toward zero, NaN gives 0, values beyond the
  target's range saturate to its limits;
* integer to integer: the value modulo ``2**bits`` (C++ conversion), including u4/i4;
* to u2/i2: floats truncated toward zero, then modulo 4 (as OpenVINO converts to u2);
* to floating types: nearest representable value (bf16, f8, f4e2m1 and nf4 rounded, f16
  may overflow to infinity); as in OpenVINO, f8e4m3 does not saturate (past 464 is NaN),
  f8e5m2 overflows to infinity, f4e2m1 saturates at 6 and f8e8m0 rounds the exponent to
  nearest even (see ``openvino._encoding``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._encoding import cast_evaluation
from .._node import Node
from .._opsets import factory
from .._type import Type

__all__ = ["Convert", "ConvertLike", "convert_values"]

_INT_LIMITS = {"i4": (-8, 7), "u4": (0, 15)}


def _limits(et: Type) -> tuple[int, int]:
    name = et.get_type_name()
    if name in _INT_LIMITS:
        return _INT_LIMITS[name]
    info = np.iinfo(et.evaluation_dtype)
    return int(info.min), int(info.max)


def convert_values(values: np.ndarray, et: Type) -> np.ndarray:
    """``values`` (evaluation form of any type) converted to ``et``'s evaluation form."""
    values = np.asarray(values)
    if et is Type.boolean:
        return values != 0
    if et is Type.u1:
        return (values != 0).astype(np.uint8)
    if et.is_integral_number() and values.dtype.kind == "f" and et.bitwidth > 2:
        lo, hi = _limits(et)
        with np.errstate(invalid="ignore"):
            t = np.trunc(np.nan_to_num(values.astype(np.float64), nan=0.0))
        # compare in float64, then place the in-range values exactly
        below, above = t <= lo, t >= hi
        inside = np.where(below | above, 0, t).astype(np.int64 if lo < 0 else np.uint64)
        out = inside.astype(et.evaluation_dtype)
        out[below] = lo
        out[above] = hi
        return out
    if et.is_integral_number() and values.dtype == np.bool_:
        return values.astype(et.evaluation_dtype)
    with np.errstate(over="ignore"):
        return cast_evaluation(values, et)


def round_to_integer(values: np.ndarray, dtype: Any) -> np.ndarray:
    """Float results of an op on integer data, stored in the integer ``dtype`` as the
    runtime stores them: rounded to nearest (ties to even) and saturated to the type's range
    (Convert, by contrast, truncates)."""
    info = np.iinfo(dtype)
    with np.errstate(invalid="ignore"):
        return np.clip(np.rint(values), info.min, info.max).astype(dtype)


def _check_convertible(node: Node, source: Type, target: Type) -> None:
    if source is Type.string or target is Type.string:
        node.fail(f"Convert from {source.get_type_name()} to {target.get_type_name()} is not "
                  f"supported")


class Convert(Node):
    type_name = "Convert"
    version = "opset1"
    attributes = {"destination_type": Attr.type()}

    def validate_and_infer_types(self) -> None:
        inputs = self._inputs
        if len(inputs) != 1:
            self.fail("Convert takes one input")
        x = inputs[0]
        x = x._node._outputs[x._index]
        target = self._attrs["destination_type"]
        if x.element_type is Type.string or target is Type.string:
            _check_convertible(self, x.element_type, target)
        self.set_output_type(0, target, x.partial_shape)

    def reference(self, x: np.ndarray) -> np.ndarray:
        return convert_values(x, self._attrs["destination_type"])

    def get_destination_type(self) -> Type:
        return self._attrs["destination_type"]

    def set_destination_type(self, destination_type: Any) -> None:
        self.set_attribute("destination_type", destination_type)
        self.validate_and_infer_types()


class ConvertLike(Node):
    """Converts the first input to the element type of the second (``like``)."""

    type_name = "ConvertLike"
    version = "opset1"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "ConvertLike takes two inputs: data and like")
        target = self.get_input_element_type(1)
        _check_convertible(self, self.get_input_element_type(0), target)
        self.set_output_type(0, target, self.get_input_partial_shape(0))

    def reference(self, x: np.ndarray, like: np.ndarray) -> np.ndarray:
        return convert_values(x, self.get_output_element_type(0))


@factory("convert", since=1)
def convert(data: Any, destination_type: Any, name: str | None = None) -> Convert:
    """Cast ``data`` to ``destination_type`` (a ``Type``, numpy dtype or type name)."""
    return Convert(data, destination_type=_as_type(destination_type), name=name)


@factory("convert_like", since=1)
def convert_like(data: Any, like: Any, name: str | None = None) -> ConvertLike:
    """Cast ``data`` to the element type of ``like``."""
    return ConvertLike(data, like, name=name)


def _as_type(value: Any) -> Type:
    if isinstance(value, Type):
        return value
    try:
        return Type(value)
    except TypeError:
        raise RuntimeError(f"Unsupported destination type: {value!r}") from None
