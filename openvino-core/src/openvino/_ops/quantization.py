"""FakeQuantize: linear quantization of values into ``levels`` steps, returned in the input's
floating-point type."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from ._infer import broadcast_shapes
from .elementwise import _check_kind, wrap_integer

__all__ = ["FakeQuantize"]


class FakeQuantize(Node):
    """Inputs: data, input_low, input_high, output_low, output_high (the four limits
    broadcast against data). Values at or below ``min(input_low, input_high)`` map to
    ``output_low``, values above ``max(...)`` to ``output_high``, the rest to
    ``round((x - il) / (ih - il) * (levels - 1)) / (levels - 1) * (oh - ol) + ol``
    (rounding halves to even)."""

    type_name = "FakeQuantize"
    version = "opset1"
    attributes = {"levels": Attr.int(), "auto_broadcast": Attr.enum("numpy")}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 5, "FakeQuantize takes five inputs: data, input_low, "
                                           "input_high, output_low, output_high")
        self.check(self._attrs["levels"] >= 2,
                   f"FakeQuantize 'levels' must be at least 2, got {self._attrs['levels']}")
        mode = self._attrs["auto_broadcast"]
        self.check(mode in ("numpy", "pdpd", "none"),
                   f"Unsupported auto_broadcast mode '{mode}'")
        et = self.get_input_element_type(0)
        _check_kind(self, et, "numeric")
        for i in range(1, 5):
            _check_kind(self, self.get_input_element_type(i), "numeric")
        shape = self.get_input_partial_shape(0)
        for i in range(1, 5):
            shape = broadcast_shapes(self, shape, self.get_input_partial_shape(i), mode)
        self.set_output_type(0, et, shape)

    def reference(self, x: np.ndarray, in_low: np.ndarray, in_high: np.ndarray,
                  out_low: np.ndarray, out_high: np.ndarray) -> np.ndarray:
        calc = np.float64 if x.dtype == np.float64 else np.float32
        x, il, ih, ol, oh = (np.asarray(v, calc) for v in (x, in_low, in_high, out_low,
                                                          out_high))
        steps = calc(self._attrs["levels"] - 1)
        with np.errstate(all="ignore"):
            q = np.rint((x - il) / (ih - il) * steps) / steps * (oh - ol) + ol
        out = np.where(x <= np.minimum(il, ih), ol, np.where(x > np.maximum(il, ih), oh, q))
        et = self.get_output_element_type(0)
        if et.is_integral_number():
            out = np.rint(out)
        return wrap_integer(out, et)

    def get_levels(self) -> int:
        return self._attrs["levels"]

    def set_levels(self, levels: int) -> None:
        self._attrs["levels"] = int(levels)


@factory("fake_quantize", since=1)
def fake_quantize(data: Any, input_low: Any, input_high: Any, output_low: Any,
                  output_high: Any, levels: int, auto_broadcast: str = "NUMPY",
                  name: str | None = None) -> FakeQuantize:
    """Elementwise linear quantization of ``data`` into ``levels`` levels."""
    return FakeQuantize(data, input_low, input_high, output_low, output_high, levels=levels,
                        auto_broadcast=auto_broadcast, name=name)
