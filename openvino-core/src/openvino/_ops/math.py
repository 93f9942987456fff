"""Unary math: Abs, Negative, Sign, Floor, Ceiling, Round, Exp, Log, Sqrt, Erf, and the
trigonometric family."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._opsets import factory
from .elementwise import UnaryElementwise

__all__ = ["Abs"]


class Abs(UnaryElementwise):
    type_name = "Abs"
    version = "opset1"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return np.abs(x)


@factory("absolute", since=1)
def absolute(node: Any, name: str | None = None) -> Abs:
    """Elementwise ``|x|``."""
    return Abs(node, name=name)


factory("abs", since=1)(absolute)
