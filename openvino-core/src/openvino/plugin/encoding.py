"""Element values between a tensor's storage and the numpy form ops compute with.

A ``Tensor`` holds its elements in *storage form*: what ``Tensor.data`` shows and what
the IR ``.bin`` holds. For most element types that is a plain numpy array of the type's
dtype (f32 -> ``float32``, i64 -> ``int64``, boolean -> ``bool``). The others have no
numpy dtype and are stored as OpenVINO lays them out:

=========  ==================================================  ======================
type       storage (``Tensor.data``)                           evaluation form
=========  ==================================================  ======================
u1         ``uint8``, 8 elements a byte, element 0 in the MSB  ``uint8`` 0/1
u2         ``uint8``, 4 elements a byte, element 0 in bits 1:0 ``uint8``
u4, i4     ``uint8``/``int8``, 2 a byte, element 0 low nibble  ``uint8`` / ``int8``
nf4        ``uint8``, 2 codes a byte into the NF4 table        ``float32``
f4e2m1     ``uint8``, 2 codes a byte, element 0 low nibble     ``float32``
bf16       ``float16`` view of the bf16 bits                   ``float32`` (rounded)
f8e4m3     ``uint8`` codes (no infinities, max 448)            ``float32``
f8e5m2     ``uint8`` codes (IEEE-like)                         ``float32``
f8e8m0     ``uint8`` codes, ``2**(code - 127)``, 255 NaN       ``float32``
string     ``object`` array of UTF-8 ``bytes``                 the same array
=========  ==================================================  ======================

The ONNX reader also uses three types OpenVINO has not (by name only, ``Type("i2")``):
i2 (packed as u2, ``int8`` values), f8e4m3fnuz and f8e5m2fnuz (``uint8`` codes).

The *evaluation form* is the numpy array core's references compute with
(:mod:`openvino.plugin.reference`): unpacked and decoded, of dtype
:func:`evaluation_dtype`. For the plain types (:func:`is_plain`) both forms are the same
array and the conversions below cost nothing.

* :func:`decode` / :func:`encode`: storage -> evaluation form and back;
* :func:`cast_values`: any numbers -> the evaluation form of a type, rounded to what the
  type can hold (bf16/f8/nf4 rounded, u4/i4 wrapped, u1 = nonzero), as a runtime
  conversion to that type gives;
* :func:`tensor_values` / :func:`values_tensor`: the same for whole ``Tensor`` objects;
* :func:`storage_tensor`: a ``Tensor`` over an array already in storage form, without a
  copy (a device's output buffers).

``openvino.helpers.pack_data``/``unpack_data`` do the bit packing alone, as in OpenVINO.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from openvino import _encoding
from openvino._tensor import Tensor, _string_storage
from openvino._type import Type

__all__ = ["cast_values", "decode", "encode", "evaluation_dtype", "is_plain",
           "storage_tensor", "tensor_values", "values_tensor"]

_NOT_PLAIN = frozenset({"bf16", "f8e4m3", "f8e5m2", "f8e8m0", "f8e4m3fnuz", "f8e5m2fnuz",
                        "nf4", "string"})


def _type(element_type: Any, what: str) -> Type:
    if isinstance(element_type, Type):
        et = element_type
    elif isinstance(element_type, str):
        et = Type(element_type)
    else:
        raise TypeError(f"{what} takes an openvino.Type (or its name), got "
                        f"{type(element_type).__name__}")
    if et.is_dynamic():
        raise ValueError(f"{what}: a dynamic element type has no values")
    return et


def _plain_dtypes() -> dict[int, np.dtype]:
    """By ``id`` of the (singleton) Type objects: a lookup without ``Type.__hash__``."""
    out = {}
    for name in ("boolean", "f16", "f32", "f64", "i8", "i16", "i32", "i64", "u8", "u16",
                 "u32", "u64"):
        et = Type(name)
        out[id(et)] = et.to_dtype()
    return out


def is_plain(element_type: Type) -> bool:
    """Whether storage and evaluation form are the same array (no packing, no decoding);
    false for dynamic types."""
    if element_type.is_dynamic():
        return False
    return not element_type.is_packed and element_type.get_type_name() not in _NOT_PLAIN


#: storage dtype of the plain types (storage_tensor's fast path)
_PLAIN_DTYPES = _plain_dtypes()


def evaluation_dtype(element_type: Type) -> np.dtype:
    """The numpy dtype of ``element_type``'s evaluation form (``float32`` for bf16, f8 and
    nf4; ``uint8``/``int8`` for u1/u4/i4; ``object`` for strings)."""
    return _type(element_type, "evaluation_dtype").evaluation_dtype


def _shape(shape: Any) -> tuple[int, ...]:
    try:
        dims = tuple(int(d) for d in shape)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"shape must be a sequence of non-negative ints, got {shape!r}"
                        ) from exc
    if any(d < 0 for d in dims):
        raise ValueError(f"shape must be a sequence of non-negative ints, got {list(dims)}")
    return dims


def decode(storage: np.ndarray, element_type: Type, shape: Sequence[int]) -> np.ndarray:
    """Storage-form array -> evaluation form of ``shape`` (no copy for plain types)."""
    et = _type(element_type, "decode")
    dims = _shape(shape)
    storage = np.asarray(storage)
    if is_plain(et):
        if storage.dtype != et.to_dtype():
            raise TypeError(f"{et.get_type_name()} storage is {et.to_dtype()}, got "
                            f"{storage.dtype}")
        return storage.reshape(dims)
    if et.get_type_name() == "string":
        return np.asarray(storage, dtype=object).reshape(dims)
    count = int(np.prod(dims, dtype=np.int64))
    need = _encoding.packed_byte_size(et, count)
    if storage.nbytes < need:
        raise ValueError(f"{et.get_type_name()} storage of {storage.nbytes} bytes is too "
                         f"small for shape {list(dims)} ({need} bytes)")
    if not et.is_packed and storage.size != count:
        raise ValueError(f"{et.get_type_name()} storage holds {storage.size} elements, shape "
                         f"{list(dims)} has {count}")
    return _encoding.to_evaluation(storage, et, dims)


def encode(values: Any, element_type: Type) -> np.ndarray:
    """Numbers (evaluation form or any numpy-convertible values) -> storage form of
    ``element_type`` (packed bytes for u1/u4/i4/nf4; the values' shape otherwise)."""
    et = _type(element_type, "encode")
    if et.get_type_name() == "string":
        return _string_storage(np.asarray(values))
    return _encoding.from_evaluation(cast_values(values, et), et)


def cast_values(values: Any, element_type: Type) -> np.ndarray:
    """``values`` as ``element_type``'s evaluation form, rounded or wrapped to what the
    type can hold (as converting to that type at run time does)."""
    et = _type(element_type, "cast_values")
    return _encoding.cast_evaluation(values, et)


def tensor_values(tensor: Tensor) -> np.ndarray:
    """A tensor's elements in evaluation form (the tensor's own memory for plain types:
    writing to it writes the tensor)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"tensor_values takes an openvino.Tensor, got {type(tensor).__name__}")
    return tensor._to_evaluation()


def values_tensor(values: Any, element_type: Type) -> Tensor:
    """A new ``Tensor`` of ``element_type`` holding ``values`` (cast as
    :func:`cast_values` does, then encoded; no copy when already in evaluation form of a
    plain type). A dynamic ``element_type`` takes the values' own type (as
    ``Tensor(array)`` does)."""
    if isinstance(element_type, Type) and element_type.is_dynamic():
        return Tensor(np.asarray(values))
    et = _type(element_type, "values_tensor")
    values = np.asarray(values)
    if et.get_type_name() == "string":
        return Tensor._wrap(_string_storage(values), et, values.shape)
    if values.dtype != et.evaluation_dtype:
        values = _encoding.cast_evaluation(values, et)
    return Tensor._from_evaluation(values, et)


def storage_tensor(storage: np.ndarray, element_type: Type,
                   shape: Sequence[int] | None = None) -> Tensor:
    """A ``Tensor`` of ``element_type`` and ``shape`` over ``storage`` (no copy): a numpy
    array in the type's storage form (``storage.shape`` when ``shape`` is omitted; give
    the shape for packed types). The tensor shares the memory: writes show on both sides.
    """
    dtype = _PLAIN_DTYPES.get(id(element_type))
    if dtype is not None and shape is None and type(storage) is np.ndarray and \
            storage.dtype == dtype:  # a device's usual output: checked in a few compares
        return Tensor._wrap(storage, element_type, storage.shape)
    et = _type(element_type, "storage_tensor")
    if type(storage) is not np.ndarray:
        raise TypeError(f"storage_tensor takes a numpy array, got {type(storage).__name__}")
    dims = storage.shape if shape is None else _shape(shape)
    if et.get_type_name() == "string":
        if storage.dtype != object:
            raise TypeError(f"string storage is an object array of bytes, got {storage.dtype}")
    elif storage.dtype != et.to_dtype():
        raise TypeError(f"{et.get_type_name()} storage is {et.to_dtype()}, got {storage.dtype}")
    if et.is_packed:
        count = int(np.prod(dims, dtype=np.int64))
        need = _encoding.packed_byte_size(et, count)
        if storage.ndim != 1 or storage.size != need:
            raise ValueError(f"{et.get_type_name()} storage for shape {list(dims)} is "
                             f"{need} bytes in one dimension, got shape {list(storage.shape)}")
    elif storage.shape != tuple(dims):
        if storage.size != int(np.prod(dims, dtype=np.int64)):
            raise ValueError(f"storage of shape {list(storage.shape)} does not hold shape "
                             f"{list(dims)}")
        storage = storage.reshape(dims)
    return Tensor._wrap(storage, et, tuple(dims))
