"""Element types: ``openvino.Type`` and its mapping to numpy.

Every element type has two numpy faces:

* the *storage* dtype (``Type.to_dtype()``), which is what ``Tensor.data`` shows.
  Packed types (u1, u2, u4, i4, nf4, f4e2m1) store bytes; bf16 shows as float16 like the
  real runtime; f8 types store their raw byte.
* the *evaluation* dtype, the unpacked numpy form the reference ops compute on
  (u4 -> uint8 with one element per byte, bf16/f8/nf4 -> float32 values, string ->
  object array of ``bytes``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Type"]


class _TypeSpec:
    __slots__ = (
        "name", "c_name", "bitwidth", "real", "integral", "signed", "quantized",
        "storage", "evaluation",
    )

    def __init__(self, name, c_name, bitwidth, real, integral, signed, quantized, storage,
                 evaluation):
        self.name = name
        self.c_name = c_name
        self.bitwidth = bitwidth
        self.real = real
        self.integral = integral
        self.signed = signed
        self.quantized = quantized
        self.storage = storage
        self.evaluation = evaluation


_OBJ = np.dtype(object)
_SPECS = [
    # name, c_name, bits, real, integral, signed, quantized, storage dtype, evaluation dtype
    ("dynamic", "dynamic", 0, False, True, False, False, None, None),
    ("boolean", "char", 8, False, True, True, False, np.bool_, np.bool_),
    ("bf16", "bfloat16", 16, True, False, True, False, np.float16, np.float32),
    ("f16", "float16", 16, True, False, True, False, np.float16, np.float16),
    ("f32", "float32", 32, True, False, True, False, np.float32, np.float32),
    ("f64", "double64", 64, True, False, True, False, np.float64, np.float64),
    ("i4", "int4_t", 4, False, True, True, True, np.int8, np.int8),
    ("i8", "int8_t", 8, False, True, True, True, np.int8, np.int8),
    ("i16", "int16_t", 16, False, True, True, False, np.int16, np.int16),
    ("i32", "int32_t", 32, False, True, True, True, np.int32, np.int32),
    ("i64", "int64_t", 64, False, True, True, False, np.int64, np.int64),
    ("u1", "uint1_t", 1, False, True, False, False, np.uint8, np.uint8),
    ("u4", "uint4_t", 4, False, True, False, False, np.uint8, np.uint8),
    ("u8", "uint8_t", 8, False, True, False, True, np.uint8, np.uint8),
    ("u16", "uint16_t", 16, False, True, False, False, np.uint16, np.uint16),
    ("u32", "uint32_t", 32, False, True, False, False, np.uint32, np.uint32),
    ("u64", "uint64_t", 64, False, True, False, False, np.uint64, np.uint64),
    ("nf4", "nfloat4", 4, True, False, True, True, np.uint8, np.float32),
    ("f8e4m3", "f8e4m3", 8, True, False, True, False, np.uint8, np.float32),
    ("f8e5m2", "f8e5m2", 8, True, False, True, False, np.uint8, np.float32),
    ("u2", "uint2_t", 2, False, True, False, False, np.uint8, np.uint8),
    ("f4e2m1", "f4e2m1", 4, True, False, True, True, np.uint8, np.float32),
    ("f8e8m0", "f8e8m0", 8, True, False, True, True, np.uint8, np.float32),
    ("string", "string", 8 * 8, False, False, False, False, np.bytes_, _OBJ),
]

# Types the real runtime does not have, which ONNX models use (INT2, FLOAT8E4M3FNUZ,
# FLOAT8E5M2FNUZ): reachable by name (``Type("i2")``) for the ONNX reader and the
# reference ops, but not attributes of ``Type``, so the class shows OpenVINO's set.
# i2 packs as u2; the fnuz float8s have no infinities, no negative zero and one NaN (0x80).
_EXTENSION_SPECS = [
    ("i2", "int2_t", 2, False, True, True, False, np.int8, np.int8),
    ("f8e4m3fnuz", "f8e4m3fnuz", 8, True, False, True, False, np.uint8, np.float32),
    ("f8e5m2fnuz", "f8e5m2fnuz", 8, True, False, True, False, np.uint8, np.float32),
]

_BY_NAME: dict[str, Type] = {}
_BY_DTYPE: dict[np.dtype, Type] = {}


class _TypeMeta(type):
    """Serves the deprecated class attribute ``Type.undefined`` (now ``Type.dynamic``)."""

    def __getattr__(cls, name: str) -> Any:
        if name == "undefined":
            import warnings

            # the text OpenVINO 2025 warned with, which code written for it checks
            warnings.warn("openvino.Type.undefined is deprecated and will be removed in "
                          "version 2026.0. openvino.Type.dynamic should be used instead.",
                          DeprecationWarning, stacklevel=2)
            return _BY_NAME["dynamic"]
        raise AttributeError(f"type object 'Type' has no attribute '{name}'")


class Type(metaclass=_TypeMeta):
    """An OpenVINO element type (``Type.f32``, ``Type.u4``, ...).

    ``Type(x)`` accepts a numpy dtype or scalar type, a dtype string (``"float32"``),
    an OpenVINO type name (``"f32"``), Python ``bool``/``int``/``float``/``str``/``bytes``,
    or another ``Type``; it returns the shared instance for that type.
    """

    __slots__ = ("_spec", "_storage", "_evaluation")

    # populated below
    dynamic: Type
    boolean: Type
    bf16: Type
    f16: Type
    f32: Type
    f64: Type
    i4: Type
    i8: Type
    i16: Type
    i32: Type
    i64: Type
    u1: Type
    u4: Type
    u8: Type
    u16: Type
    u32: Type
    u64: Type
    nf4: Type
    f8e4m3: Type
    f8e5m2: Type
    u2: Type
    f4e2m1: Type
    f8e8m0: Type
    string: Type

    def __new__(cls, value: Any = None) -> Type:
        if value is None:
            return _BY_NAME["dynamic"]
        found = _lookup(value)
        if found is None:
            raise TypeError(f"Unsupported element type: {value!r}")
        return found

    @classmethod
    def _make(cls, spec: _TypeSpec) -> Type:
        obj = object.__new__(cls)
        obj._spec = spec
        obj._storage = None if spec.storage is None else np.dtype(spec.storage)
        obj._evaluation = None if spec.evaluation is None else np.dtype(spec.evaluation)
        return obj

    def __reduce__(self):
        return (Type, (self._spec.name,))

    def __copy__(self) -> Type:
        return self

    def __deepcopy__(self, memo) -> Type:
        return self

    # --- naming -----------------------------------------------------------
    def get_type_name(self) -> str:
        """The short OpenVINO name: ``"f32"``, ``"boolean"``, ``"dynamic"``."""
        return self._spec.name

    type_name = property(get_type_name)

    def to_string(self) -> str:
        return self._spec.name

    def __repr__(self) -> str:
        return f"<Type: '{self._spec.c_name}'>"

    __str__ = __repr__  # as the real binding: str(Type.f32) == "<Type: 'float32'>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Type):
            return self is other
        if isinstance(other, str):
            return self._spec.name == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._spec.name)

    def __lt__(self, other: Type) -> bool:
        return self._spec.name < other._spec.name

    # --- predicates ---------------------------------------------------------
    def is_static(self) -> bool:
        return self._spec.name != "dynamic"

    def is_dynamic(self) -> bool:
        return self._spec.name == "dynamic"

    def is_real(self) -> bool:
        return self._spec.real

    def is_integral(self) -> bool:
        return self._spec.integral

    def is_integral_number(self) -> bool:
        return self._spec.integral and self._spec.name != "boolean"

    def is_signed(self) -> bool:
        return self._spec.signed

    def is_quantized(self) -> bool:
        return self._spec.quantized

    real = property(is_real)
    integral = property(is_integral)
    integral_number = property(is_integral_number)
    signed = property(is_signed)
    quantized = property(is_quantized)

    def get_size(self) -> int:
        """Bytes per element, rounded up (1 for the sub-byte types, 0 for dynamic)."""
        return (self._spec.bitwidth + 7) // 8

    def get_bitwidth(self) -> int:
        return self._spec.bitwidth

    size = property(get_size)
    bitwidth = property(get_bitwidth)

    @property
    def is_packed(self) -> bool:
        """True for types holding several elements per byte (u1, u2, i2, u4, i4, nf4,
        f4e2m1)."""
        return self._spec.bitwidth < 8 and self._spec.bitwidth > 0

    def compatible(self, other: Type) -> bool:
        return self.is_dynamic() or other.is_dynamic() or self is other

    def merge(self, other: Type) -> Type | None:
        if self.is_dynamic():
            return other
        if other.is_dynamic() or other is self:
            return self
        return None

    # --- numpy ---------------------------------------------------------------
    def to_dtype(self) -> np.dtype:
        """The numpy dtype of this type's storage (what ``Tensor.data`` shows)."""
        if self._storage is None:
            raise RuntimeError("Type.dynamic has no numpy dtype")
        return self._storage

    @property
    def evaluation_dtype(self) -> np.dtype:
        """The numpy dtype reference ops compute with for this type."""
        if self._evaluation is None:
            raise RuntimeError("Type.dynamic has no numpy dtype")
        return self._evaluation


for _row in _SPECS:
    _t = Type._make(_TypeSpec(*_row))
    setattr(Type, _row[0], _t)
    _BY_NAME[_row[0]] = _t
for _row in _EXTENSION_SPECS:
    _BY_NAME[_row[0]] = Type._make(_TypeSpec(*_row))

# numpy dtypes -> Type (the natural, unambiguous ones)
for _name, _dt in [
    ("boolean", np.bool_), ("f16", np.float16), ("f32", np.float32), ("f64", np.float64),
    ("i8", np.int8), ("i16", np.int16), ("i32", np.int32), ("i64", np.int64),
    ("u8", np.uint8), ("u16", np.uint16), ("u32", np.uint32), ("u64", np.uint64),
]:
    _BY_DTYPE[np.dtype(_dt)] = _BY_NAME[_name]

_ALIASES = {
    "bool": "boolean", "float16": "f16", "float32": "f32", "float64": "f64", "float": "f32",
    "double": "f64", "bfloat16": "bf16", "int4": "i4", "int8": "i8", "int16": "i16",
    "int32": "i32", "int64": "i64", "uint1": "u1", "bin": "u1", "uint4": "u4", "uint8": "u8",
    "uint16": "u16", "uint32": "u32", "uint64": "u64", "nfloat4": "nf4", "undefined": "dynamic",
    "f8e4m3fn": "f8e4m3", "str": "string", "bytes": "string", "fp16": "f16", "fp32": "f32",
    "fp64": "f64", "bf16": "bf16", "i1": "u1", "uint2": "u2", "int2": "i2",
    "f4e2m1fn": "f4e2m1", "f8e8m0fnu": "f8e8m0",
}
# IR "precision" spellings (FP32, I64, BOOL, U8, ...)
_PRECISION_NAMES = {
    "FP32": "f32", "FP16": "f16", "FP64": "f64", "BF16": "bf16", "I4": "i4", "I8": "i8",
    "I16": "i16", "I32": "i32", "I64": "i64", "U1": "u1", "BIN": "u1", "U4": "u4", "U8": "u8",
    "U16": "u16", "U32": "u32", "U64": "u64", "BOOL": "boolean", "BOOLEAN": "boolean",
    "NF4": "nf4", "F8E4M3": "f8e4m3", "F8E5M2": "f8e5m2", "STRING": "string",
    "U2": "u2", "I2": "i2", "F4E2M1": "f4e2m1", "F8E8M0": "f8e8m0",
    "F8E4M3FNUZ": "f8e4m3fnuz", "F8E5M2FNUZ": "f8e5m2fnuz",
    "DYNAMIC": "dynamic", "UNSPECIFIED": "dynamic",
}


def _lookup(value: Any) -> Type | None:
    if isinstance(value, Type):
        return value
    if isinstance(value, str):
        found = _BY_NAME.get(value) or _BY_NAME.get(_ALIASES.get(value, ""))
        if found is None:
            found = _BY_NAME.get(_PRECISION_NAMES.get(value.upper(), ""))
        if found is not None:
            return found
    if value is bool:
        return _BY_NAME["boolean"]
    if value is int:
        return _BY_NAME["i64"]
    if value is float:
        return _BY_NAME["f32"]
    if value is str or value is bytes:
        return _BY_NAME["string"]
    try:
        dt = np.dtype(value)
    except TypeError:
        return None
    return type_from_dtype(dt)


def type_from_dtype(dt: np.dtype) -> Type | None:
    """The element type a numpy dtype maps to (``None`` when it maps to none)."""
    found = _BY_DTYPE.get(dt)
    if found is not None:
        return found
    if dt.kind in "SUO":
        return _BY_NAME["string"]
    return None


def type_from_name(name: str) -> Type:
    """Parse an element type name as the IR writes it (``f32``, ``FP32``, ``boolean``)."""
    found = _BY_NAME.get(name) or _BY_NAME.get(_ALIASES.get(name, "")) or _BY_NAME.get(
        _PRECISION_NAMES.get(name.upper(), "")
    )
    if found is None:
        raise RuntimeError(f"Unknown element type name: '{name}'")
    return found


def all_types() -> list[Type]:
    return list(_BY_NAME.values())
