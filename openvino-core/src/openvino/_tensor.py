"""``openvino.Tensor``: an element type, a shape and numpy-backed memory."""

from __future__ import annotations

import copy as _copy
import warnings
from typing import Any

import numpy as np

from . import _encoding
from ._shape import PartialShape, Shape
from ._type import Type, type_from_dtype

__all__ = ["Tensor"]

_ndarray = np.ndarray
#: ``Tensor._owner`` of a tensor sharing a caller's array where ``_data`` already holds
#: the one reference to it (never a second one in ``_owner``): ``_SHARED``, ``_data`` is
#: the array itself; ``_BASE``, ``_data`` is a view whose ``base`` is the array
_SHARED = object()
_BASE = object()
_DTYPE_TO_TYPE = {np.dtype(k): Type(k) for k in (
    np.float32, np.float64, np.float16, np.int8, np.int16, np.int32, np.int64, np.uint8,
    np.uint16, np.uint32, np.uint64, np.bool_)}


def _shape_tuple(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, Shape):
        return shape.to_tuple()
    if isinstance(shape, PartialShape):
        return shape.to_shape().to_tuple()
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    out = tuple(int(d) for d in shape)
    if any(d < 0 for d in out):
        raise RuntimeError(f"Tensor shape must be non-negative, got {list(out)}")
    return out


def _count(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _string_storage(array: np.ndarray) -> np.ndarray:
    """Strings are held as an object array of UTF-8 ``bytes``."""
    out = np.empty(array.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(array.reshape(-1)):
        if isinstance(v, str):
            flat[i] = v.encode("utf-8")
        elif isinstance(v, (bytes, np.bytes_)):
            flat[i] = bytes(v)
        else:
            flat[i] = str(v).encode("utf-8")
    return out


class Tensor:
    """Memory with an element type and a shape.

    * ``Tensor(array)`` copies the array; ``Tensor(array, shared_memory=True)`` aliases
      it (both ways) and keeps it alive.
    * ``Tensor(type, shape)`` allocates zeroed memory.
    * ``Tensor(buffer, shape, type)`` views a numpy buffer as elements of ``type``
      (for packed types such as u4 the buffer holds packed bytes).
    * ``Tensor(port)`` / ``Tensor(port, array)`` sizes a tensor for a model port.
    * ``Tensor(tensor, begin, end)`` is a region of interest sharing memory.
    """

    __slots__ = ("_data", "_type", "_shape", "_owner", "__weakref__")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Fast path: Tensor(ndarray) copies.
        if len(args) == 1 and not kwargs and type(args[0]) is _ndarray:
            array = args[0]
            t = _DTYPE_TO_TYPE.get(array.dtype)
            if t is not None:
                self._data = array.copy()
                self._type = t
                self._shape = array.shape
                self._owner = None
                return
        self._owner = None
        self._init_slow(args, kwargs)

    # ----------------------------------------------------------------------------------
    def _init_slow(self, args: tuple, kwargs: dict) -> None:
        shared = kwargs.pop("shared_memory", False)
        if "array" in kwargs:
            args = (kwargs.pop("array"),) + args
        if "type" in kwargs or "shape" in kwargs:
            el = kwargs.pop("type", None)
            shape = kwargs.pop("shape", None)
            if args and isinstance(args[0], np.ndarray):
                self._init_buffer(args[0], shape if shape is not None else args[0].shape,
                                  el)
                return
            self._init_alloc(el if el is not None else Type.f32, shape)
            return
        if kwargs:
            raise TypeError(f"Tensor got unexpected keyword arguments {sorted(kwargs)}")
        if not args:
            self._init_alloc(Type.dynamic, ())
            return
        first = args[0]
        from ._node import ConstOutput  # local: graph imports tensors

        if isinstance(first, ConstOutput):
            self._init_port(first, args[1] if len(args) > 1 else None)
            return
        if isinstance(first, Tensor) and len(args) == 3:
            self._init_roi(first, args[1], args[2])
            return
        if isinstance(first, (Type, type, np.dtype, str)) and not isinstance(first, np.ndarray):
            if len(args) >= 2 and not isinstance(first, str) or len(args) == 2:
                self._init_alloc(first, args[1])
                return
        if len(args) >= 2 and isinstance(args[1], bool):
            shared = args[1]
            args = args[:1]
        if len(args) == 3 or len(args) == 2:
            buf = first if isinstance(first, np.ndarray) else np.asarray(first)
            self._init_buffer(buf, args[1], args[2] if len(args) == 3 else None)
            return
        self._init_array(first, shared)

    def _init_alloc(self, element_type: Any, shape: Any) -> None:
        t = element_type if isinstance(element_type, Type) else Type(element_type)
        dims = _shape_tuple(shape if shape is not None else ())
        self._type = t
        self._shape = dims
        if t.is_dynamic():
            self._data = np.zeros(0, np.uint8)
        elif t.is_packed:
            self._data = np.zeros(_encoding.packed_byte_size(t, _count(dims)),
                                  dtype=t.to_dtype())
        elif t is Type.string:
            self._data = np.full(dims, b"", dtype=object)
        else:
            self._data = np.zeros(dims, dtype=t.to_dtype())

    def _init_array(self, value: Any, shared: bool) -> None:
        if not isinstance(value, np.ndarray):
            # array-likes: numpy's protocols (PIL images expose ``__array_interface__``),
            # sequences and scalars; only an ndarray's memory can be shared
            if (hasattr(value, "__array__") or hasattr(value, "__array_interface__")
                    or isinstance(value, (list, tuple, int, float, bool, np.generic, str,
                                          bytes))):
                if shared:
                    raise TypeError(f"Tensor(array, shared_memory=True) shares the memory of "
                                    f"a numpy.ndarray; got {type(value)!r}")
                value = np.asarray(value)
            else:
                raise TypeError(f"Cannot create a Tensor from {type(value)!r}")
        if value.dtype.kind in "SUO":
            if shared:
                raise RuntimeError("SHARED MEMORY MODE FOR THIS TENSOR IS NOT APPLICABLE! "
                                   "String types can be only copied.")
            self._type = Type.string
            self._shape = value.shape
            self._data = _string_storage(value)
            return
        t = type_from_dtype(value.dtype)
        if t is None:
            raise TypeError(f"Unsupported numpy dtype for a Tensor: {value.dtype}")
        self._type = t
        self._shape = value.shape
        if shared:
            if not value.flags.c_contiguous:
                raise RuntimeError("SHARED MEMORY MODE FOR THIS TENSOR IS NOT APPLICABLE! "
                                   "Passed numpy array must be C contiguous.")
            self._data = value
            self._owner = _SHARED
        else:
            self._data = np.array(value, copy=True, order="C")

    def _init_buffer(self, buf: np.ndarray, shape: Any, element_type: Any) -> None:
        dims = _shape_tuple(shape)
        t = Type(element_type) if element_type is not None else type_from_dtype(buf.dtype)
        if t is None:
            raise TypeError(f"Unsupported numpy dtype for a Tensor: {buf.dtype}")
        if t is Type.string:
            self._init_array(np.asarray(buf).reshape(dims), False)
            return
        need = _encoding.packed_byte_size(t, _count(dims))
        if not buf.flags.c_contiguous:
            buf = np.ascontiguousarray(buf)
        raw = buf.reshape(-1).view(np.uint8)
        if raw.size < need:
            raise RuntimeError(
                f"Buffer of {raw.size} bytes is too small for a {t.type_name} tensor of shape "
                f"{list(dims)} ({need} bytes)")
        self._type = t
        self._shape = dims
        view = raw[:need].view(t.to_dtype())
        self._data = view if t.is_packed else view.reshape(dims)
        self._owner = _BASE if self._data.base is buf else buf

    def _init_port(self, port: Any, array: np.ndarray | None) -> None:
        t = port.get_element_type()
        ps = port.get_partial_shape()
        dims = ps.to_shape().to_tuple() if ps.is_static else (0,)
        if array is None:
            self._init_alloc(t, dims)
            return
        if not isinstance(array, np.ndarray):
            array = np.asarray(array)
        if not array.flags.c_contiguous:  # the tensor shares the array's memory
            raise RuntimeError("SHARED MEMORY MODE FOR THIS TENSOR IS NOT APPLICABLE! Passed "
                               "numpy array must be C contiguous.")
        need = _encoding.packed_byte_size(t, _count(dims))
        if array.nbytes < need:
            raise RuntimeError("Shape of the port exceeds shape of the array.")
        import warnings

        if array.nbytes > need:
            warnings.warn("Shape of the port is smaller than shape of the array. Passed data "
                          "will be cropped.", RuntimeWarning, stacklevel=3)
        if type_from_dtype(array.dtype) != t:
            warnings.warn(f"Type of the array ({array.dtype}) does not match the port's "
                          f"element type {t.get_type_name()}; its bytes are reinterpreted.",
                          RuntimeWarning,
                          stacklevel=3)
        self._init_buffer(array, dims, t)

    def _init_roi(self, parent: Tensor, begin: Any, end: Any) -> None:
        if parent._type.bitwidth < 8:
            raise RuntimeError("ROI tensors are not supported for types with bitwidths less "
                               "then 8 bit")
        b = _shape_tuple(begin)
        e = _shape_tuple(end)
        if len(b) != len(parent._shape) or len(e) != len(parent._shape):
            raise RuntimeError("ROI begin/end must have the tensor's rank")
        for lo, hi, d in zip(b, e, parent._shape):
            if not 0 <= lo <= hi <= d:
                raise RuntimeError(f"ROI [{list(b)}, {list(e)}) is outside shape "
                                   f"{list(parent._shape)}")
        self._type = parent._type
        self._data = parent._data[tuple(slice(lo, hi) for lo, hi in zip(b, e))]
        self._shape = self._data.shape
        self._owner = parent

    @classmethod
    def _wrap(cls, array: np.ndarray, element_type: Type, shape: tuple[int, ...]) -> Tensor:
        """Internal: a tensor over ``array`` (storage form), no copy, no checks."""
        t = cls.__new__(cls)
        t._data = array
        t._type = element_type
        t._shape = shape
        t._owner = None
        return t

    @classmethod
    def _from_evaluation(cls, values: np.ndarray, element_type: Type) -> Tensor:
        """Internal: a tensor holding reference-op values of ``element_type``."""
        values = np.asarray(values)
        return cls._wrap(_encoding.from_evaluation(values, element_type), element_type,
                         values.shape)

    def _to_evaluation(self) -> np.ndarray:
        """Internal: the values as the reference ops see them (unpacked, decoded)."""
        return _encoding.to_evaluation(self._data, self._type, self._shape)

    # --- attributes -----------------------------------------------------------------
    @property
    def data(self) -> np.ndarray:
        """A numpy view of the memory (packed bytes for u1/u4/i4/nf4; strings as bytes)."""
        if self._type is Type.string:
            warnings.warn("Data of string type will be copied! Please use dedicated properties "
                          "`str_data` and `bytes_data` to avoid confusion while accessing "
                          "Tensor's contents.", RuntimeWarning, stacklevel=2)
            return self._bytes()
        return self._data

    def _bytes(self) -> np.ndarray:
        """Internal: a string tensor's values as a numpy ``bytes`` array (a copy)."""
        return np.array(self._data.tolist() if self._data.ndim else self._data.item(),
                        dtype=np.bytes_).reshape(self._shape)

    def _fill_strings(self, value: Any) -> None:
        """Internal: the ``str_data``/``bytes_data`` setters (as many strings as elements)."""
        if isinstance(value, list):
            value = np.array(value)
        elif not isinstance(value, np.ndarray):
            raise RuntimeError("Invalid data to fill String Tensor!")
        if value.dtype.kind not in "SU":
            raise RuntimeError("Unknown string kind passed to fill the Tensor's data!")
        if value.size != self.get_size():
            raise RuntimeError("Passed array must have the same size (number of elements) as "
                               "the Tensor!")
        self._data = _string_storage(value).reshape(self._shape)

    @data.setter
    def data(self, value: Any) -> None:
        if self._type is Type.string:
            self._data = _string_storage(np.asarray(value)).reshape(self._shape)
        else:
            self._data[...] = value

    @property
    def str_data(self) -> np.ndarray:
        if self._type is not Type.string:
            raise RuntimeError("Tensor's type must be a string!")
        return np.array([b.decode("utf-8", errors="replace") for b in self._data.reshape(-1)],
                        dtype=str).reshape(self._shape)

    @str_data.setter
    def str_data(self, value: Any) -> None:
        if self._type is not Type.string:
            raise RuntimeError(f"Tensor data with element type {self._type.get_type_name()}, is "
                               "not representable as pointer to string")
        self._fill_strings(value)

    @property
    def bytes_data(self) -> np.ndarray:
        if self._type is not Type.string:
            raise RuntimeError("Tensor's type must be a string!")
        return self._bytes()

    @bytes_data.setter
    def bytes_data(self, value: Any) -> None:
        if self._type is not Type.string:
            raise RuntimeError(f"Tensor data with element type {self._type.get_type_name()}, is "
                               "not representable as pointer to string")
        self._fill_strings(value)

    def get_element_type(self) -> Type:
        return self._type

    element_type = property(get_element_type)

    def get_shape(self) -> Shape:
        return Shape(self._shape)

    def set_shape(self, shape: Any) -> None:
        dims = _shape_tuple(shape)
        if dims == self._shape:
            return
        t = self._type
        count = _count(dims)
        if self._owner is _SHARED:  # the caller's array: what a resized view keeps as owner
            self._owner = self._data
        elif self._owner is _BASE:
            self._owner = self._data.base
        if t.is_packed:
            need = _encoding.packed_byte_size(t, count)
            if need <= self._data.size:
                self._data = self._data[:need]
            elif self._owner is not None:
                raise RuntimeError("set_shape failed: the tensor shares memory that is too "
                                   "small for the new shape")
            else:
                self._data = np.zeros(need, dtype=t.to_dtype())
            self._shape = dims
            return
        base = self._data
        if self._owner is not None:
            flat = self._owner.reshape(-1) if isinstance(self._owner, np.ndarray) else None
            if flat is None or flat.nbytes < count * t.size:
                raise RuntimeError("set_shape failed: the tensor shares memory that is too "
                                   "small for the new shape")
            self._data = flat.view(np.uint8)[: count * t.size].view(base.dtype).reshape(dims)
            if self._data.base is self._owner:  # the view holds the array: no second ref
                self._owner = _BASE
        elif count <= base.size and base.flags.c_contiguous:
            self._data = base.reshape(-1)[:count].reshape(dims)
        else:
            self._data = (np.full(dims, b"", dtype=object) if t is Type.string
                          else np.zeros(dims, dtype=base.dtype))
        self._shape = dims

    shape = property(get_shape, set_shape)

    def get_size(self) -> int:
        return _count(self._shape)

    size = property(get_size)

    def get_byte_size(self) -> int:
        if self._type is Type.string:
            return self.get_size() * self._type.size
        return _encoding.packed_byte_size(self._type, self.get_size())

    byte_size = property(get_byte_size)

    def get_strides(self) -> list[int]:
        if self._type.bitwidth < 8:
            raise RuntimeError("Could not get strides for types with bitwidths less then 8 bit.")
        return list(self._data.strides)

    strides = property(get_strides)

    def is_continuous(self) -> bool:
        return self._type.is_packed or bool(self._data.flags.c_contiguous)

    def copy_to(self, target: Tensor) -> None:
        """Copy this tensor's values into ``target`` (reshaping it if it can)."""
        if not isinstance(target, Tensor):
            raise TypeError("copy_to expects a Tensor")
        if target._type != self._type:
            raise RuntimeError(f"copy_to: element types differ ({self._type.get_type_name()} -> "
                               f"{target._type.get_type_name()})")
        if target._shape != self._shape:
            target.set_shape(self._shape)
        if self._type.is_packed:
            target._data[...] = self._data
        else:
            np.copyto(target._data, self._data)

    def copy_from(self, source: Any) -> None:
        src = source if isinstance(source, Tensor) else Tensor(np.asarray(source))
        src.copy_to(self)

    def __copy__(self) -> Tensor:
        t = Tensor.__new__(Tensor)
        t._data, t._type, t._shape, t._owner = self._data, self._type, self._shape, self._owner
        return t

    def __deepcopy__(self, memo: Any) -> Tensor:
        return Tensor._wrap(_copy.deepcopy(self._data) if self._type is Type.string
                            else self._data.copy(), self._type, self._shape)

    def __repr__(self) -> str:
        return (f"<Tensor: shape[{','.join(map(str, self._shape))}] type: "
                f"{self._type.get_type_name()}>")

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        values = self._bytes() if self._type is Type.string else self._data
        return values if dtype is None else values.astype(dtype)

    def __reduce__(self):
        return (Tensor._wrap, (self._data.copy(), self._type, self._shape))

