"""Activations: Relu, Sigmoid, Tanh, Gelu, Swish, HSwish, HSigmoid, Mish, SoftPlus, Elu,
PRelu, Clamp, ..."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._opsets import factory
from .elementwise import UnaryElementwise

__all__ = ["Relu"]


class Relu(UnaryElementwise):
    type_name = "Relu"
    ir_type_name = "ReLU"
    version = "opset1"

    def reference(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, np.zeros((), x.dtype))


@factory("relu", since=1)
def relu(node: Any, name: str | None = None) -> Relu:
    """Elementwise ``max(x, 0)``."""
    return Relu(node, name=name)
