"""The numpy kernel of each op MINIMAL runs, by the op's type name."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

KERNELS: dict[str, Callable[..., np.ndarray]] = {
    "Add": np.add,
    "Subtract": np.subtract,
    "Multiply": np.multiply,
    "Maximum": np.maximum,
    "Abs": np.abs,
    "Relu": lambda x: np.maximum(x, 0).astype(x.dtype, copy=False),
    "Negative": np.negative,
}

#: Element types the kernels handle (numpy computes them natively).
ELEMENT_TYPES = frozenset({"f32", "f64", "i32", "i64"})
