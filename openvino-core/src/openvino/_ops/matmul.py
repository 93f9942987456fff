"""MatMul: matrix product with numpy-style batch broadcasting.

A 1D first input is treated as a row vector ([1, K]) and a 1D second input as a column
vector ([K, 1]); the added dimension is removed from the result. ``transpose_a`` /
``transpose_b`` swap the last two dimensions of inputs of rank 2 and more (they are ignored
for 1D inputs).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._infer import broadcast_shapes, merge_types
from .convolution import accumulation_dtype

__all__ = ["MatMul"]


def matmul_shape(node: Node, a: PartialShape, b: PartialShape, transpose_a: bool,
                 transpose_b: bool) -> PartialShape:
    """The output shape of MatMul (fails on incompatible inner dimensions)."""
    if a.rank.is_dynamic or b.rank.is_dynamic:
        return PartialShape.dynamic()
    da, db = list(a), list(b)
    node.check(len(da) > 0 and len(db) > 0,
               f"Scalars are not supported as MatMul inputs (shapes {a} and {b})")
    a_vec, b_vec = len(da) == 1, len(db) == 1
    if a_vec:
        da = [Dimension(1)] + da
    elif transpose_a:
        da[-2], da[-1] = da[-1], da[-2]
    if b_vec:
        db = db + [Dimension(1)]
    elif transpose_b:
        db[-2], db[-1] = db[-1], db[-2]
    node.check(da[-1].compatible(db[-2]),
               f"Incompatible MatMul matrix dimension. First input dimension={da[-1]} at "
               f"COL_INDEX_DIM={len(da) - 1} doesn't match the second input dimension="
               f"{db[-2]} at ROW_INDEX_DIM={len(db) - 2}")
    batch = broadcast_shapes(node, PartialShape(da[:-2]), PartialShape(db[:-2]))
    out = list(batch)
    if not a_vec:
        out.append(da[-2])
    if not b_vec:
        out.append(db[-1])
    return PartialShape(out)


def matmul_reference(a: np.ndarray, b: np.ndarray, transpose_a: bool, transpose_b: bool,
                     out_dtype: np.dtype) -> np.ndarray:
    """``a @ b`` after the optional transposes, accumulated in at least f32 / i64."""
    if transpose_a and a.ndim >= 2:
        a = np.swapaxes(a, -1, -2)
    if transpose_b and b.ndim >= 2:
        b = np.swapaxes(b, -1, -2)
    acc = accumulation_dtype(np.result_type(a.dtype, b.dtype))
    out = np.matmul(a.astype(acc, copy=False), b.astype(acc, copy=False))
    return np.asarray(out).astype(out_dtype, copy=False)


class MatMul(Node):
    """Matrix product of two tensors of one numeric element type."""

    type_name = "MatMul"
    version = "opset1"
    attributes = {"transpose_a": Attr.bool(False), "transpose_b": Attr.bool(False)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "MatMul takes two inputs")
        et = merge_types(self, self.get_input_element_type(0), self.get_input_element_type(1))
        self.check(et.is_dynamic() or (et is not Type.boolean and et is not Type.string),
                   f"MatMul expects a numeric element type, got {et.get_type_name()}")
        shape = matmul_shape(self, self.get_input_partial_shape(0),
                             self.get_input_partial_shape(1), self._attrs["transpose_a"],
                             self._attrs["transpose_b"])
        self.set_output_type(0, et, shape)

    def reference(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.ndim == 0 or b.ndim == 0:
            raise RuntimeError(f"MatMul '{self.get_friendly_name()}': scalar inputs")
        return matmul_reference(a, b, self._attrs["transpose_a"], self._attrs["transpose_b"],
                                a.dtype)


@factory("matmul", since=1)
def matmul(data_a: Any, data_b: Any, transpose_a: bool, transpose_b: bool,
           name: str | None = None) -> MatMul:
    """Matrix product of ``data_a`` and ``data_b`` (optionally transposed)."""
    return MatMul(data_a, data_b, transpose_a=transpose_a, transpose_b=transpose_b, name=name)
