"""How element values are laid out in memory, for the types numpy has no dtype for.

* u4 / i4 / nf4 / f4e2m1: two elements per byte, element 0 in the low nibble (IR ``.bin``
  and runtime order); i4 is two's complement; nf4 holds 4-bit codes into a fixed table;
  f4e2m1 is 1 sign, 2 exponent, 1 mantissa bit (values 0 .. 6, no infinity or NaN).
* u2 / i2: four elements per byte, element 0 in the two least significant bits.
* u1: eight elements per byte, element 0 in the most significant bit.
* bf16: the upper 16 bits of an IEEE f32 (round to nearest even on the way in).
* f8e4m3 (no infinities, max 448) and f8e5m2 (IEEE-like): one byte per element.
* f8e8m0: an exponent alone, code ``c`` is ``2**(c - 127)``, 255 is NaN.
* f8e4m3fnuz / f8e5m2fnuz (ONNX only): no infinities, no negative zero, NaN is 0x80.

Conversions to the float8/float4 types round to nearest even. Beyond the largest value,
f8e4m3 and the fnuz types give NaN and f8e5m2 infinity, as OpenVINO's Convert does (ONNX's
saturating Cast clamps first); f4e2m1 saturates to +-6 and f8e8m0 to ``2**127``.

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


_NIBBLE_TYPES = ("u4", "i4", "nf4", "f4e2m1")
_CRUMB_TYPES = ("u2", "i2")


def pack_bits(values: np.ndarray, element_type: Type) -> np.ndarray:
    """Pack integer element values (u1: 0/1, u2: 0..3, i2: -2..1, u4/nf4/f4e2m1 codes:
    0..15, i4: -8..7) into bytes."""
    flat = np.ascontiguousarray(values).reshape(-1)
    name = element_type.type_name
    if name in _CRUMB_TYPES:
        crumbs = (flat.astype(np.int64) & 0x3).astype(np.uint8)
        pad = (-crumbs.size) % 4
        if pad:
            crumbs = np.concatenate([crumbs, np.zeros(pad, np.uint8)])
        out = (crumbs[0::4] | (crumbs[1::4] << 2) | (crumbs[2::4] << 4)
               | (crumbs[3::4] << 6)).astype(np.uint8)
        return out.view(np.int8) if name == "i2" else out
    if name in _NIBBLE_TYPES:
        nib = (flat.astype(np.int64) & 0xF).astype(np.uint8)
        if nib.size % 2:
            nib = np.concatenate([nib, np.zeros(1, np.uint8)])
        out = (nib[0::2] | (nib[1::2] << 4)).astype(np.uint8)
        return out.view(np.int8) if name == "i4" else out
    if name == "u1":
        bits = (flat != 0).astype(np.uint8)
        return np.packbits(bits, bitorder="big")
    raise TypeError(f"pack_data supports u1, u2, u4, i4, nf4 and f4e2m1, got {element_type}")


def unpack_bits(buffer: np.ndarray, element_type: Type, count: int) -> np.ndarray:
    """Inverse of ``pack_bits``: the first ``count`` element values of a packed buffer."""
    raw = np.ascontiguousarray(buffer).reshape(-1).view(np.uint8)
    name = element_type.type_name
    if name in _CRUMB_TYPES:
        need = (count + 3) // 4
        if raw.size < need:
            raise RuntimeError(
                f"packed {name} buffer holds {raw.size} bytes, {count} elements need {need}"
            )
        out = np.empty(need * 4, dtype=np.uint8)
        for k in range(4):
            out[k::4] = (raw[:need] >> (2 * k)) & 0x3
        out = out[:count]
        if name == "i2":
            return ((out.astype(np.int8) << 6) >> 6).astype(np.int8)
        return out
    if name in _NIBBLE_TYPES:
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
    raise TypeError(f"unpack_data supports u1, u2, u4, i4, nf4 and f4e2m1, got "
                    f"{element_type}")


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


# --- f8 / f4 ---------------------------------------------------------------------------

def _minifloat_table(exp_bits: int, man_bits: int, kind: str) -> np.ndarray:
    """Values of every code of a 1-sign minifloat. ``kind``: "ieee" (infinities and NaNs at
    the top exponent), "fn" (no infinities, NaN where exponent and mantissa are all ones),
    "fnuz" (exponent bias one more, no infinities, NaN at 0x80, no negative zero) or
    "finite" (every code a number)."""
    bias = (1 << (exp_bits - 1)) - 1 + (1 if kind == "fnuz" else 0)
    size = 1 << (1 + exp_bits + man_bits)
    sign_bit = size >> 1
    codes = np.arange(size, dtype=np.int64)
    sign = np.where(codes & sign_bit, -1.0, 1.0)
    exp = (codes >> man_bits) & ((1 << exp_bits) - 1)
    man = codes & ((1 << man_bits) - 1)
    normal = (1.0 + man / (1 << man_bits)) * np.power(2.0, exp - bias)
    sub = (man / (1 << man_bits)) * 2.0 ** (1 - bias)
    val = sign * np.where(exp == 0, sub, normal)
    top = (1 << exp_bits) - 1
    if kind == "ieee":
        val = np.where((exp == top) & (man == 0), sign * np.inf, val)
        val = np.where((exp == top) & (man != 0), np.nan, val)
    elif kind == "fn":
        val = np.where((exp == top) & (man == (1 << man_bits) - 1), np.nan, val)
    elif kind == "fnuz":
        val = np.where(codes == sign_bit, np.nan, val)
    return val.astype(np.float32)


def _e8m0_table() -> np.ndarray:
    val = np.power(2.0, np.arange(256, dtype=np.float64) - 127.0)
    val[255] = np.nan
    return val.astype(np.float32)


class _Minifloat:
    """How f32 values round to the codes of one minifloat type."""

    def __init__(self, table: np.ndarray, sign_bit: int, nan_code: int, overflow: str,
                 signed_zero: bool, signed_nan: bool) -> None:
        self.table = table
        self.sign_bit = sign_bit
        self.nan_code = nan_code
        self.overflow = overflow  # "nan", "inf" or "saturate"
        self.signed_zero = signed_zero
        self.signed_nan = signed_nan
        finite = [c for c in range(sign_bit) if np.isfinite(table[c])]
        codes = np.array(finite, dtype=np.int64)
        mags = table[codes].astype(np.float64)
        order = np.argsort(mags, kind="stable")
        mags, codes = mags[order], codes[order]
        # one step past the largest value: rounding there (ties to even on the code) is
        # an overflow
        self.top = mags[-1]
        self.mags = np.append(mags, mags[-1] + (mags[-1] - mags[-2]))
        self.codes = np.append(codes, codes[-1] + 1)
        self.inf_code = int(codes[-1] + 1)

    def encode(self, values: np.ndarray) -> np.ndarray:
        v = np.asarray(values, dtype=np.float32).reshape(-1)
        a = np.abs(v).astype(np.float64)
        mags, codes = self.mags, self.codes
        idx = np.clip(np.searchsorted(mags, a), 1, len(mags) - 1)
        lo, hi = mags[idx - 1], mags[idx]
        with np.errstate(invalid="ignore"):
            pick_hi = (a - lo > hi - a) | ((a - lo == hi - a) & (codes[idx] % 2 == 0))
        code = np.where(pick_hi, codes[idx], codes[idx - 1])
        over = (code == self.inf_code) | (a > mags[-1])
        if self.overflow == "saturate":
            code = np.where(over, codes[-2], code)
        elif self.overflow == "inf":
            code = np.where(over, self.inf_code, code)
        sign = np.where(np.signbit(v), self.sign_bit, 0)
        if not self.signed_zero:
            sign = np.where(code == 0, 0, sign)
        code = code | sign
        if self.overflow == "nan":
            code = np.where(over, self.nan_code | (sign if self.signed_nan else 0), code)
        nan = np.isnan(v)
        if nan.any():
            nan_code = self.nan_code | (sign if self.signed_nan else 0)
            code = np.where(nan, nan_code, code)
        return code.astype(np.uint8).reshape(np.shape(values))


_MINIFLOATS = {
    "f8e4m3": _Minifloat(_minifloat_table(4, 3, "fn"), 0x80, 0x7F, "nan", True, True),
    "f8e5m2": _Minifloat(_minifloat_table(5, 2, "ieee"), 0x80, 0x7E, "inf", True, True),
    "f8e4m3fnuz": _Minifloat(_minifloat_table(4, 3, "fnuz"), 0x80, 0x80, "nan", False,
                             False),
    "f8e5m2fnuz": _Minifloat(_minifloat_table(5, 2, "fnuz"), 0x80, 0x80, "nan", False,
                             False),
    # no NaN: NaN converts to the largest value, as OpenVINO's Convert gives
    "f4e2m1": _Minifloat(_minifloat_table(2, 1, "finite"), 0x8, 0x7, "saturate", True,
                         True),
}
_F8_TABLES = {name: m.table for name, m in _MINIFLOATS.items() if name != "f4e2m1"}
_F8_TABLES["f8e8m0"] = _e8m0_table()
F4E2M1_TABLE = _MINIFLOATS["f4e2m1"].table


def _e8m0_encode(values: np.ndarray) -> np.ndarray:
    """f32 -> f8e8m0 codes as OpenVINO converts: the biased f32 exponent rounded to nearest
    even on the mantissa (1.5 -> 2, 3 -> 2), zero, negatives and -inf -> code 0 (2**-127),
    +inf -> 254 (2**127), NaN -> 255."""
    v = np.ascontiguousarray(values, dtype=np.float32).reshape(-1)
    bits = v.view(np.uint32).astype(np.int64)
    exp = (bits >> 23) & 0xFF
    man = bits & 0x7FFFFF
    up = (man > 0x400000) | ((man == 0x400000) & (exp % 2 == 1))
    code = np.minimum(exp + up, 254)
    code = np.where((v <= 0) | np.signbit(v), 0, code)
    code = np.where(np.isnan(v), 255, code)
    return code.astype(np.uint8).reshape(np.shape(values))


def _f8_encode(values: np.ndarray, name: str) -> np.ndarray:
    if name == "f8e8m0":
        return _e8m0_encode(values)
    return _MINIFLOATS[name].encode(values)


# --- storage <-> evaluation ----------------------------------------------------------------

def to_evaluation(storage: np.ndarray, element_type: Type, shape: tuple[int, ...]) -> np.ndarray:
    """Storage of a tensor -> the numpy array reference ops compute with."""
    name = element_type.type_name
    if element_type.is_packed:
        count = int(np.prod(shape, dtype=np.int64))
        vals = unpack_bits(storage, element_type, count)
        if name == "nf4":
            vals = NF4_TABLE[vals]
        elif name == "f4e2m1":
            vals = F4E2M1_TABLE[vals]
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
        if name == "f4e2m1":
            return pack_bits(_MINIFLOATS["f4e2m1"].encode(values), element_type)
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
    can hold (bf16, f8, f4e2m1 and nf4 values are rounded; u4/i4/u2/i2/u1 wrap like the
    runtime)."""
    name = element_type.type_name
    if name == "bf16":
        return round_to_bf16(np.asarray(values, dtype=np.float32))
    if name in _F8_TABLES or name in ("nf4", "f4e2m1"):
        return to_evaluation(from_evaluation(values, element_type), element_type,
                             np.shape(values))
    if name == "u4":
        return (np.asarray(values).astype(np.int64) & 0xF).astype(np.uint8)
    if name == "i4":
        v = np.asarray(values).astype(np.int64) & 0xF
        return np.where(v > 7, v - 16, v).astype(np.int8)
    if name in _CRUMB_TYPES:
        return wrap_crumbs(values, name == "i2")
    if name == "u1":
        return (np.asarray(values) != 0).astype(np.uint8)
    if name == "string":
        return np.asarray(values, dtype=object)
    return np.asarray(values).astype(element_type.evaluation_dtype, copy=False)


def wrap_crumbs(values: np.ndarray, signed: bool) -> np.ndarray:
    """Numbers as 2-bit integers, modulo 4 as OpenVINO converts to u2 (floats truncated
    toward zero first; NaN and infinities give 0): u2 0..3, i2 -2..1."""
    v = np.asarray(values)
    if v.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            t = np.trunc(np.nan_to_num(v.astype(np.float64), nan=0.0, posinf=0.0,
                                       neginf=0.0))
        m = np.mod(t, 4.0).astype(np.int64)
    else:
        m = v.astype(np.int64) & 0x3
    if signed:
        return np.where(m > 1, m - 4, m).astype(np.int8)
    return m.astype(np.uint8)
