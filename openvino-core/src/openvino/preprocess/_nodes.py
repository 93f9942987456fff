"""The graph pieces the processing steps are made of: constants, and the Transpose,
Gather and Slice forms the steps use along one axis. Each returns an ``Output``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._node import Output
from .._ops.constant import Constant
from .._ops.indexing import Gather
from .._ops.movement import Transpose
from .._ops.slicing import Slice
from .._type import Type

__all__ = ["constant", "gather", "slice_axis", "transpose"]


def constant(values: Any, element_type: Type = Type.i64, shape: Sequence[int] | None = None
             ) -> Output:
    """A Constant of ``element_type`` holding ``values`` (reshaped to ``shape`` if given)."""
    array = np.asarray(values, dtype=np.float64 if element_type.is_real() else None)
    if shape is not None:
        array = array.reshape(tuple(shape))
    return Constant(element_type, list(array.shape), array.reshape(-1).tolist()).output(0)


def transpose(x: Output, order: Sequence[int]) -> Output:
    """``x`` with its axes permuted: output axis ``i`` is input axis ``order[i]``."""
    return Transpose(x, constant(list(order), Type.i64, [len(order)])).output(0)


def gather(x: Output, indices: Sequence[int], axis: int) -> Output:
    """The entries ``indices`` of ``x`` along ``axis`` (Gather-8)."""
    return Gather(x, constant(list(indices), Type.i64, [len(indices)]),
                  constant(axis, Type.i64, [])).output(0)


def slice_axis(x: Output, start: Any, stop: Any, axis: int) -> Output:
    """``x[start:stop]`` along ``axis`` (Slice-8); ``stop`` may be an ``Output``."""
    stop_value = stop if isinstance(stop, Output) else constant([stop], Type.i64, [1])
    return Slice(x, constant([start], Type.i64, [1]), stop_value, constant([1], Type.i64, [1]),
                 constant([axis], Type.i64, [1])).output(0)
