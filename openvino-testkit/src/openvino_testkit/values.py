"""Element values through the public ``Tensor`` API, for every element type.

The suite talks to a device only through ``openvino.Tensor``. These functions turn numpy
values into tensors of any element type (including bf16, f8, the packed u1/u4/i4/nf4 and
string), read a tensor back as comparable numpy values, and draw random values that the
type holds exactly, so the reference and the device start from identical inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov
from openvino.helpers import pack_data, unpack_data

__all__ = ["to_tensor", "from_tensor", "random_values", "F8_TABLES", "NF4_VALUES"]

#: The 16 values of the NF4 (normal float 4) code book, code 0 to 15.
NF4_VALUES = np.array([
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
    -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
    0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
], dtype=np.float64)


def _f8_values(exp_bits: int, man_bits: int, ieee: bool) -> np.ndarray:
    """The value of each of the 256 codes of an 8-bit float format (sign, exp, mantissa)."""
    bias = (1 << (exp_bits - 1)) - 1
    out = np.empty(256, dtype=np.float64)
    top = (1 << exp_bits) - 1
    for code in range(256):
        sign = -1.0 if code & 0x80 else 1.0
        exp = (code >> man_bits) & top
        man = code & ((1 << man_bits) - 1)
        if exp == 0:
            value = man / (1 << man_bits) * 2.0 ** (1 - bias)
        else:
            value = (1.0 + man / (1 << man_bits)) * 2.0 ** (exp - bias)
        if ieee and exp == top:
            value = np.inf if man == 0 else np.nan
        elif not ieee and exp == top and man == (1 << man_bits) - 1:
            value = np.nan
        out[code] = sign * value
    return out


#: Code -> value tables of the two 8-bit float types (e4m3 has no infinities).
F8_TABLES = {"f8e4m3": _f8_values(4, 3, ieee=False), "f8e5m2": _f8_values(5, 2, ieee=True)}

_PACKED = ("u1", "u2", "u4", "i4", "nf4", "f4e2m1")

#: Code -> value of f4e2m1 (1 sign, 2 exponent, 1 mantissa bit; no infinity or NaN) and of
#: f8e8m0 (an exponent alone: 2**(code - 127), 255 NaN); both only Convert destinations here.
F4E2M1_VALUES = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0,
                          -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0])
E8M0_VALUES = np.append(np.power(2.0, np.arange(255) - 127.0), np.nan)


def _bf16_bits(values: np.ndarray) -> np.ndarray:
    """Round float32 values to bf16 (nearest even) and return the 16-bit patterns."""
    flat = np.array(values, dtype=np.float32).reshape(-1)
    bits = flat.view(np.uint32).astype(np.uint64)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    return ((bits + rounding) >> 16).astype(np.uint16).reshape(np.shape(values))


def _f8_codes(values: np.ndarray, name: str) -> np.ndarray:
    """The 8-bit codes of values an f8 type holds exactly (ValueError for any other)."""
    table = F8_TABLES[name]
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    codes = np.zeros(flat.size, dtype=np.uint8)
    usable = [c for c in range(256) if np.isfinite(table[c]) and table[c] != 0]
    usable_values = table[usable]
    order = np.argsort(usable_values)
    sorted_values = usable_values[order]
    sorted_codes = np.asarray(usable, dtype=np.uint8)[order]
    nonzero = np.isfinite(flat) & (flat != 0)
    pos = np.clip(np.searchsorted(sorted_values, flat[nonzero]), 0, len(sorted_values) - 1)
    if not np.array_equal(sorted_values[pos], flat[nonzero]):
        raise ValueError(f"values not held exactly by {name}")
    codes[nonzero] = sorted_codes[pos]
    codes[(flat == 0) & np.signbit(flat)] = 0x80
    codes[np.isnan(flat)] = 0x7F
    if name == "f8e5m2":
        codes[flat == np.inf] = 0x7C
        codes[flat == -np.inf] = 0xFC
    return codes.reshape(np.shape(values))


def to_tensor(values: Any, element_type: ov.Type) -> ov.Tensor:
    """A tensor of ``element_type`` holding ``values`` (which the type must hold exactly:
    draw them with ``random_values``)."""
    name = element_type.get_type_name()
    arr = np.asarray(values)
    shape = list(arr.shape)
    if name == "string":
        return ov.Tensor(np.asarray(arr, dtype=str))
    if name in _PACKED:
        if name == "nf4":
            codes = np.abs(arr.reshape(-1, 1) - NF4_VALUES[None, :]).argmin(axis=1)
            packed = pack_data(codes.astype(np.uint8), element_type)
        else:
            packed = pack_data(arr.astype(np.int8 if name == "i4" else np.uint8), element_type)
        return ov.Tensor(np.array(packed, order="C").reshape(-1), shape, element_type)
    if name == "bf16":
        return ov.Tensor(_bf16_bits(arr), shape, element_type)
    if name in F8_TABLES:
        return ov.Tensor(_f8_codes(arr, name), shape, element_type)
    return ov.Tensor(np.array(arr, dtype=element_type.to_dtype(), order="C"))


def from_tensor(tensor: ov.Tensor) -> np.ndarray:
    """The values of ``tensor`` as numpy: floats of every width as float64, integers in
    their own dtype (4-bit and 1-bit unpacked), booleans as bool, strings as ``str``."""
    et = tensor.get_element_type()
    name = et.get_type_name()
    shape = tuple(int(d) for d in tensor.get_shape())
    if name == "string":
        data = tensor.str_data if hasattr(tensor, "str_data") else tensor.data
        return np.asarray(data, dtype=str).reshape(shape)
    data = tensor.data
    if name in _PACKED:
        codes = unpack_data(np.asarray(data).view(np.uint8), et, shape)
        if name == "nf4":
            return NF4_VALUES[codes.astype(np.int64)]
        if name == "f4e2m1":
            return F4E2M1_VALUES[codes.astype(np.int64)]
        return codes
    if name == "f8e8m0":
        return E8M0_VALUES[np.asarray(data).view(np.uint8)].reshape(shape)
    if name == "bf16":
        bits = np.ascontiguousarray(data).view(np.uint16).astype(np.uint32) << 16
        return bits.view(np.float32).astype(np.float64).reshape(shape)
    if name in F8_TABLES:
        return F8_TABLES[name][np.asarray(data).view(np.uint8)].reshape(shape)
    arr = np.array(data, copy=True).reshape(shape)
    if arr.dtype.kind == "f":
        return arr.astype(np.float64)
    return arr


def _round_to(values: np.ndarray, name: str) -> np.ndarray:
    """Round float64 values to what a floating element type holds (returned as float64)."""
    if name == "f16":
        return values.astype(np.float16).astype(np.float64)
    if name == "f32":
        return values.astype(np.float32).astype(np.float64)
    if name == "bf16":
        bits = np.asarray(_bf16_bits(values), dtype=np.uint32) << 16
        return bits.view(np.float32).astype(np.float64).reshape(values.shape)
    if name in F8_TABLES:
        table = F8_TABLES[name]
        finite = np.nonzero(np.isfinite(table))[0]
        idx = np.abs(values.reshape(-1, 1) - table[finite][None, :]).argmin(axis=1)
        return table[finite][idx].reshape(values.shape)
    if name == "nf4":
        idx = np.abs(values.reshape(-1, 1) - NF4_VALUES[None, :]).argmin(axis=1)
        return NF4_VALUES[idx].reshape(values.shape)
    return values


_INT_LIMITS = {"u1": (0, 1), "u4": (0, 15), "i4": (-8, 7)}


def random_values(rng: np.random.Generator, element_type: ov.Type, shape: Any,
                  low: float = -3.0, high: float = 3.0) -> np.ndarray:
    """Random values of ``element_type`` in ``[low, high]`` (clipped to the type's range),
    each exactly representable in the type. Floats come back as float64, integers in the
    type's numpy dtype, strings as ``str``."""
    name = element_type.get_type_name()
    dims = tuple(int(d) for d in shape)
    if name == "boolean":
        return rng.integers(0, 2, size=dims).astype(bool)
    if name == "string":
        alphabet = list("abcxyz 019_-") + ["é", "ß", "中", "🙂"]
        flat = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 7))))
                for _ in range(int(np.prod(dims, dtype=np.int64)))]
        return np.array(flat, dtype=str).reshape(dims) if flat else np.zeros(dims, dtype=str)
    if element_type.is_real():
        values = np.asarray(rng.uniform(low, high, size=dims), dtype=np.float64)
        return _round_to(values, name)
    if name in _INT_LIMITS:
        lo, hi = _INT_LIMITS[name]
        dtype = np.int8 if name == "i4" else np.uint8
    else:
        info = np.iinfo(element_type.to_dtype())
        lo, hi, dtype = info.min, info.max, element_type.to_dtype()
    lo_v = max(int(np.ceil(low)), int(lo))
    hi_v = min(int(np.floor(high)), int(hi))
    if hi_v < lo_v:
        lo_v, hi_v = int(lo), min(int(hi), int(lo) + 10)
    return rng.integers(lo_v, hi_v, size=dims, endpoint=True).astype(dtype)
