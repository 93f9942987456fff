"""``openvino.helpers.packing``: pack u1/u2/u4/i4/nf4/f4e2m1 element values into bytes the
way the runtime and the IR ``.bin`` lay them out, and unpack them again."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._encoding import pack_bits, unpack_bits
from .._type import Type

__all__ = ["pack_data", "unpack_data"]


def pack_data(array: np.ndarray, element_type: Type) -> np.ndarray:
    """Pack element values (u1: 0/1, u2: 0..3, u4 and the nf4/f4e2m1 codes: 0..15, i4:
    -8..7) into a byte array.

    Element 0 goes to the low nibble of byte 0 for u4/i4/nf4/f4e2m1, to the two least
    significant bits for u2, and to the most significant bit of byte 0 for u1. The result
    feeds ``Tensor(packed, shape, element_type)``.
    """
    et = element_type if isinstance(element_type, Type) else Type(element_type)
    values = np.asarray(array)
    if et.type_name in ("u4", "nf4", "f4e2m1") and values.size and (
            values.min() < 0 or values.max() > 15):
        raise ValueError(f"{et.type_name} values must be in [0, 15]")
    if et.type_name == "u2" and values.size and (values.min() < 0 or values.max() > 3):
        raise ValueError("u2 values must be in [0, 3]")
    if et.type_name == "i4" and values.size and (values.min() < -8 or values.max() > 7):
        raise ValueError("i4 values must be in [-8, 7]")
    return pack_bits(values, et)


def unpack_data(array: np.ndarray, element_type: Type, shape: Any) -> np.ndarray:
    """Unpack a packed byte array into element values of the given shape
    (uint8 for u1/u2/u4 and the nf4/f4e2m1 codes, int8 for i4)."""
    et = element_type if isinstance(element_type, Type) else Type(element_type)
    dims = tuple(int(d) for d in shape)
    count = 1
    for d in dims:
        count *= d
    return unpack_bits(np.asarray(array), et, count).reshape(dims)
