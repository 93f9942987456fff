"""Running sums along an axis: CumSum-3."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._encoding import cast_evaluation
from .._node import Node
from .._opsets import factory
from .._type import Type
from ._index_args import check_integral_input, scalar_input_value
from ._infer import normalize_axis

__all__ = ["CumSum"]


class CumSum(Node):
    """Cumulative sum of ``arg`` along ``axis`` (input 2, default 0); ``exclusive`` leaves
    each element out of its own sum, ``reverse`` sums from the end."""

    type_name = "CumSum"
    version = "opset3"
    attributes = {"exclusive": Attr.bool(False), "reverse": Attr.bool(False)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (1, 2), "CumSum takes one or two inputs: arg[, axis]")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or (et is not Type.boolean and et is not Type.string),
                   f"arg must have a numeric element type, got {et.get_type_name()}")
        ps = self.get_input_partial_shape(0)
        if len(self._inputs) == 2:
            check_integral_input(self, 1, "axis")
            axis_ps = self.get_input_partial_shape(1)
            self.check(axis_ps.rank.is_dynamic or axis_ps.rank.get_length() == 0,
                       f"axis must be a scalar, got shape {axis_ps}")
            axis = scalar_input_value(self, 1)
            if axis is not None and ps.rank.is_static:
                self.check(len(ps) > 0, "arg must have rank of at least 1 to sum along an axis")
                normalize_axis(self, axis, len(ps))
        self.set_output_type(0, et, ps)

    def reference(self, arg: np.ndarray, axis: np.ndarray | None = None) -> np.ndarray:
        if arg.ndim == 0:
            return arg.copy()
        ax = int(np.asarray(axis).reshape(-1)[0]) if axis is not None else 0
        if not -arg.ndim <= ax < arg.ndim:
            raise RuntimeError(f"CumSum '{self.get_friendly_name()}': axis {ax} is out of "
                               f"range for data of rank {arg.ndim}")
        x = np.flip(arg, ax) if self._attrs["reverse"] else arg
        with np.errstate(over="ignore"):
            total = np.cumsum(x, axis=ax, dtype=arg.dtype)
        if self._attrs["exclusive"]:
            shifted = np.zeros_like(total)
            src = [slice(None)] * arg.ndim
            dst = [slice(None)] * arg.ndim
            src[ax] = slice(0, -1)
            dst[ax] = slice(1, None)
            shifted[tuple(dst)] = total[tuple(src)]
            total = shifted
        if self._attrs["reverse"]:
            total = np.flip(total, ax).copy()
        return cast_evaluation(total, self.get_output_element_type(0))


@factory("cum_sum", since=3)
def cum_sum(arg: Any, axis: Any = None, exclusive: bool = False, reverse: bool = False,
            name: str | None = None) -> CumSum:
    """Cumulative sum of ``arg`` along ``axis``."""
    inputs = [arg] + ([axis] if axis is not None else [])
    return CumSum(*inputs, exclusive=exclusive, reverse=reverse, name=name)


factory("cumsum", since=3)(cum_sum)
