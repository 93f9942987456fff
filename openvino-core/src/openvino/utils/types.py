"""Conversions between OpenVINO element types and numpy dtypes (``openvino.utils.types``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from openvino._type import Type

__all__ = ["get_dtype", "get_element_type", "get_element_type_str", "get_numpy_ctype"]


def get_dtype(openvino_type: Type) -> np.dtype:
    """The numpy dtype that holds ``openvino_type`` (``Type.f32`` -> ``float32``)."""
    if not isinstance(openvino_type, Type):
        openvino_type = Type(openvino_type)
    if openvino_type.is_dynamic():
        raise RuntimeError("Type.dynamic has no numpy dtype")
    return np.dtype(openvino_type.to_dtype())


def get_numpy_ctype(openvino_type: Type) -> type:
    """The numpy scalar type of ``openvino_type`` (``Type.i32`` -> ``numpy.int32``)."""
    return get_dtype(openvino_type).type


def get_element_type(data_type: Any) -> Type:
    """The OpenVINO element type of a numpy dtype, scalar type or Python type."""
    if data_type is int:
        return Type.i32
    if data_type is float:
        return Type.f32
    return Type(data_type)


def get_element_type_str(data_type: Any) -> str:
    """The OpenVINO type name (``"f32"``) for a numpy dtype or Python type."""
    return get_element_type(data_type).get_type_name()
