"""ONNX element types, shapes and tensors in our terms: ``Type``, ``PartialShape`` and
``Constant`` nodes."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._shape import Dimension, PartialShape
from .._type import Type

__all__ = ["ov_type", "onnx_type", "partial_shape_of", "array_of_tensor", "constant_of_array",
           "constant_of_tensor", "evaluation_array"]

# TensorProto.DataType number -> our type name
_ONNX_TO_OV = {
    1: "f32", 2: "u8", 3: "i8", 4: "u16", 5: "i16", 6: "i32", 7: "i64", 8: "string",
    9: "boolean", 10: "f16", 11: "f64", 12: "u32", 13: "u64", 16: "bf16", 17: "f8e4m3",
    18: "f8e4m3fnuz", 19: "f8e5m2", 20: "f8e5m2fnuz", 21: "u4", 22: "i4", 23: "f4e2m1",
    24: "f8e8m0", 25: "u2", 26: "i2",
}
_ONNX_NAMES = {
    0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32",
    7: "INT64", 8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64",
    14: "COMPLEX64", 15: "COMPLEX128", 16: "BFLOAT16", 17: "FLOAT8E4M3FN",
    18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4",
    23: "FLOAT4E2M1", 24: "FLOAT8E8M0", 25: "UINT2", 26: "INT2",
}
_OV_TO_ONNX = {v: k for k, v in _ONNX_TO_OV.items()}


def ov_type(onnx_elem_type: int, what: str = "tensor") -> Type:
    """Our element type for an ONNX ``TensorProto.DataType``; RuntimeError when we have none."""
    name = _ONNX_TO_OV.get(int(onnx_elem_type))
    if name is None:
        label = _ONNX_NAMES.get(int(onnx_elem_type), str(onnx_elem_type))
        raise RuntimeError(f"{what}: ONNX element type {label} is not supported")
    return Type(name)


def onnx_type(element_type: Type) -> int:
    """The ONNX ``TensorProto.DataType`` of one of our element types (0 when none)."""
    return _OV_TO_ONNX.get(element_type.get_type_name(), 0)


def partial_shape_of(type_proto: Any) -> PartialShape:
    """The shape of a tensor ``TypeProto``: ``dim_param`` and missing values become dynamic
    dimensions, a missing shape becomes a dynamic rank."""
    tt = type_proto.tensor_type
    if not tt.HasField("shape"):
        return PartialShape.dynamic()
    dims = []
    for d in tt.shape.dim:
        dims.append(Dimension(int(d.dim_value)) if d.HasField("dim_value") else Dimension())
    return PartialShape(dims)


def array_of_tensor(tensor: Any, what: str = "tensor") -> tuple[np.ndarray, Type]:
    """A ``TensorProto``'s values in evaluation form (see ``Type.evaluation_dtype``) and its
    element type."""
    from onnx import numpy_helper

    et = ov_type(tensor.data_type, what)
    try:
        arr = numpy_helper.to_array(tensor)
    except Exception as e:  # malformed data: wrong byte count, bad field
        raise RuntimeError(f"{what}: cannot decode tensor data: {e}") from None
    return evaluation_array(arr, et), et


def evaluation_array(arr: np.ndarray, et: Type) -> np.ndarray:
    """A numpy array from the onnx package (ml_dtypes for bf16/f8/int4) in the evaluation
    form of ``et``."""
    if et is Type.string:
        flat = [v if isinstance(v, bytes) else str(v).encode() for v in arr.reshape(-1)]
        out = np.empty(len(flat), dtype=object)
        out[:] = flat
        return out.reshape(arr.shape)
    return np.asarray(arr).astype(et.evaluation_dtype)


def constant_of_array(values: np.ndarray, et: Type, name: str | None = None) -> Any:
    """A ``Constant`` node of type ``et`` holding evaluation-form ``values``."""
    from .._tensor import Tensor
    from ..op import Constant

    node = Constant._from_tensor(Tensor._from_evaluation(np.asarray(values), et))
    if name:
        node.set_friendly_name(name)
    return node


def constant_of_tensor(tensor: Any, what: str) -> Any:
    """A ``Constant`` node from a ``TensorProto``."""
    arr, et = array_of_tensor(tensor, what)
    return constant_of_array(arr, et)
