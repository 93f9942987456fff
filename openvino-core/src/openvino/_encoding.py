"""How element values are laid out in memory, for the types numpy has no dtype for.

* u4 / i4 / nf4: two elements per byte, element 0 in the low nibble (IR ``.bin`` and
  runtime order); i4 is two's complement; nf4 holds 4-bit codes into a fixed table.
* u1: eight elements per byte, element 0 in the most significant bit.
* bf16: the upper 16 bits of an IEEE f32 (round to nearest even on the way in).
* f8e4m3 (no infinities, max 448) and f8e5m2 (IEEE-like): one byte per element.

``to_evaluation`` turns storage into the unpacked numpy form the reference ops
compute with (see ``Type.evaluation_dtype``); ``from_evaluation`` goes back.
"""

from __future__ import annotations

import numpy as np

from ._type import Type

__all__ = ["pack_bits", "unpack_bits", "to_evaluation", "from_evaluation", "packed_byte_size"]

NF4_TABLE = np.array(
    [
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
        -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
        0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
        0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    ],
    dtype=np.float32,
)


def packed_byte_size(element_type: Type, count: int) -> int:
    """Bytes needed for ``count`` elements of ``element_type``."""
    bits = element_type.bitwidth
    if bits >= 8:
        return count * (bits // 8)
    return (count * bits + 7) // 8


def pack_bits(values: np.ndarray, element_type: Type) -> np.ndarray:
    """Pack integer element values (u1: 0/1, u4/nf4: 0..15, i4: -8..7) into bytes."""
    flat = np.ascontiguousarray(values).reshape(-1)
    name = element_type.type_name
    if name in ("u4", "i4", "nf4"):
        nib = (flat.astype(np.int64) & 0xF).astype(np.uint8)
        if nib.size % 2:
            nib = np.concatenate([nib, np.zeros(1, np.uint8)])
        out = (nib[0::2] | (nib[1::2] << 4)).astype(np.uint8)
        return out.view(np.int8) if name == "i4" else out
    if name == "u1":
        bits = (flat != 0).astype(np.uint8)
        return np.packbits(bits, bitorder="big")
    raise TypeError(f"pack_data supports u1, u4, i4 and nf4, got {element_type}")


def unpack_bits(buffer: np.ndarray, element_type: Type, count: int) -> np.ndarray:
    """Inverse of ``pack_bits``: the first ``count`` element values of a packed buffer."""
    raw = np.ascontiguousarray(buffer).reshape(-1).view(np.uint8)
    name = element_type.type_name
    if name in ("u4", "i4", "nf4"):
        need = (count + 1) // 2
        if raw.size < need:
            raise RuntimeError(
                f"packed {name} buffer holds {raw.size} bytes, {count} elements need {need}"
            )
        out = np.empty(raw[:need].size * 2, dtype=np.uint8)
        out[0::2] = raw[:need] & 0xF
        out[1::2] = raw[:need] >> 4
        out = out[:count]
        if name == "i4":
            return ((out.astype(np.int8) << 4) >> 4).astype(np.int8)
        return out
    if name == "u1":
        need = (count + 7) // 8
        if raw.size < need:
            raise RuntimeError(
                f"packed u1 buffer holds {raw.size} bytes, {count} elements need {need}"
            )
        return np.unpackbits(raw[:need], bitorder="big")[:count]
    raise TypeError(f"unpack_data supports u1, u4, i4 and nf4, got {element_type}")


# --- bf16 ---------------------------------------------------------------------------

def bf16_to_f32(bits: np.ndarray) -> np.ndarray:
    return (bits.astype(np.uint32) << 16).view(np.float32)


def f32_to_bf16(values: np.ndarray) -> np.ndarray:
    v = np.ascontiguousarray(values, dtype=np.float32)
    b = v.view(np.uint32)
    rounded = ((b + np.uint32(0x7FFF) + ((b >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(v)
    if nan.any():
        rounded[nan] = ((b[nan] >> 16) | 0x40).astype(np.uint16)
    return rounded


def round_to_bf16(values: np.ndarray) -> np.ndarray:
    return bf16_to_f32(f32_to_bf16(values)).reshape(np.shape(values))


# --- f8 -------------------------------------------------------------------------------

def _f8_table(exp_bits: int, man_bits: int, ieee: bool) -> np.ndarray:
    bias = (1 << (exp_bits - 1)) - 1
    codes = np.arange(256, dtype=np.int64)
    sign = np.where(codes & 0x80, -1.0, 1.0)
    exp = (codes >> man_bits) & ((1 << exp_bits) - 1)
    man = codes & ((1 << man_bits) - 1)
    normal = (1.0 + man / (1 << man_bits)) * np.power(2.0, exp - bias)
    sub = (man / (1 << man_bits)) * 2.0 ** (1 - bias)
    val = sign * np.where(exp == 0, sub, normal)
    top = (1 << exp_bits) - 1
    if ieee:
        val = np.where((exp == top) & (man == 0), sign * np.inf, val)
        val = np.where((exp == top) & (man != 0), np.nan, val)
    else:
        val = np.where((exp == top) & (man == (1 << man_bits) - 1), np.nan, val)
    return val.astype(np.float32)


_F8_TABLES = {"f8e4m3": _f8_table(4, 3, ieee=False), "f8e5m2": _f8_table(5, 2, ieee=True)}


def _f8_encode(values: np.ndarray, name: str) -> np.ndarray:
    table = _F8_TABLES[name]
    v = np.asarray(values, dtype=np.float32).reshape(-1)
    finite_codes = np.array([c for c in range(128) if np.isfinite(table[c])], dtype=np.int64)
    mags = table[finite_codes].astype(np.float64)
    order = np.argsort(mags, kind="stable")
    mags, finite_codes = mags[order], finite_codes[order]
    a = np.abs(v).astype(np.float64)
    idx = np.clip(np.searchsorted(mags, a), 1, len(mags) - 1)
    lo, hi = mags[idx - 1], mags[idx]
    pick_hi = (a - lo > hi - a) | ((a - lo == hi - a) & (finite_codes[idx] % 2 == 0))
    code = np.where(pick_hi, finite_codes[idx], finite_codes[idx - 1])
    top = mags[-1]
    if name == "f8e5m2":
        inf_code = 0x7C
        code = np.where(a > top, inf_code, code)
    else:
        code = np.where(a > top, finite_codes[-1], code)  # saturate
    code = code | np.where(np.signbit(v), 0x80, 0)
    code = np.where(np.isnan(v), 0x7F, code)
    return code.astype(np.uint8).reshape(np.shape(values))


# --- storage <-> evaluation ----------------------------------------------------------------

def to_evaluation(storage: np.ndarray, element_type: Type, shape: tuple[int, ...]) -> np.ndarray:
    """Storage of a tensor -> the numpy array reference ops compute with."""
    name = element_type.type_name
    if element_type.is_packed:
        count = int(np.prod(shape, dtype=np.int64))
        vals = unpack_bits(storage, element_type, count)
        if name == "nf4":
            vals = NF4_TABLE[vals]
        return vals.reshape(shape)
    if name == "bf16":
        return bf16_to_f32(np.asarray(storage).view(np.uint16)).reshape(shape)
    if name in _F8_TABLES:
        return _F8_TABLES[name][np.asarray(storage).view(np.uint8)].reshape(shape)
    return storage


def from_evaluation(values: np.ndarray, element_type: Type) -> np.ndarray:
    """Numpy values -> storage for ``element_type`` (packed bytes for sub-byte types)."""
    name = element_type.type_name
    if element_type.is_packed:
        if name == "nf4":
            v = np.asarray(values, dtype=np.float32).reshape(-1)
            codes = np.abs(v[:, None] - NF4_TABLE[None, :]).argmin(axis=1)
            return pack_bits(codes, element_type)
        return pack_bits(values, element_type)
    if name == "bf16":
        return f32_to_bf16(np.asarray(values, dtype=np.float32)).view(np.float16)
    if name in _F8_TABLES:
        return _f8_encode(values, name)
    if name == "string":
        return np.asarray(values, dtype=object)
    return np.asarray(values, dtype=element_type.to_dtype())


def cast_evaluation(values: np.ndarray, element_type: Type) -> np.ndarray:
    """Cast numpy values to ``element_type``'s evaluation form, rounding to what the type
    can hold (bf16, f8 and nf4 values are rounded; u4/i4/u1 wrap like the runtime)."""
    name = element_type.type_name
    if name == "bf16":
        return round_to_bf16(np.asarray(values, dtype=np.float32))
    if name in _F8_TABLES or name == "nf4":
        return to_evaluation(from_evaluation(values, element_type), element_type,
                             np.shape(values))
    if name == "u4":
        return (np.asarray(values).astype(np.int64) & 0xF).astype(np.uint8)
    if name == "i4":
        v = np.asarray(values).astype(np.int64) & 0xF
        return np.where(v > 7, v - 16, v).astype(np.int8)
    if name == "u1":
        return (np.asarray(values) != 0).astype(np.uint8)
    if name == "string":
        return np.asarray(values, dtype=object)
    return np.asarray(values).astype(element_type.evaluation_dtype, copy=False)
