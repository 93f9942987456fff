"""Integer cases the random ``[-10, 10]`` operands never reach: i64 values beyond 2**53
(where a double no longer holds every integer, so a device computing i64 through f64
gives wrong results) and i32/i64 overflow, which wraps around modulo 2**bits (two's
complement, as the reference and C++ integer arithmetic on every OpenVINO device give).

Expected values come from the reference like every op case's; the values below are
chosen so that each result differs from what the same op in double precision gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import openvino as ov

from ._case import Case, OpInfo, param

__all__ = ["wide_integer_cases", "BEYOND_2_53_OPS", "WRAPPING_OPS"]

#: ops with cases beyond 2**53 (i64)
BEYOND_2_53_OPS = ("Add", "Subtract", "Multiply", "Maximum", "Minimum", "Equal", "NotEqual",
                   "Less", "LessEqual", "Greater", "GreaterEqual", "FloorMod", "Mod")
#: ops with overflow cases (i32 and i64), wrapping around modulo 2**bits
WRAPPING_OPS = ("Add", "Subtract", "Multiply")

_B = 2 ** 53
# left and right operands beyond 2**53: odd results, neighbours that differ by one, large
# products of factors whose product is below 2**63
_BEYOND = {
    "Multiply": ([2 ** 31 + 1, 3, 2 ** 40 + 1, -(2 ** 31 + 1), 7, 2 ** 26 + 1],
                 [2 ** 31 - 1, _B + 1, 2 ** 20 + 1, 2 ** 31 + 3, -(_B + 3), 2 ** 30 + 1]),
    "FloorMod": ([_B + 1, 2 ** 62 + 3, -(_B + 5), 2 ** 60 + 7, _B * 3 + 1, -(2 ** 62) - 1],
                 [2, 10, 3, 2 ** 31 - 1, 4, 7]),
}
_BEYOND["Mod"] = _BEYOND["FloorMod"]
_DEFAULT_BEYOND = ([_B + 1, 2 ** 62 + 3, -(_B + 5), 2 ** 60 + 7, _B, -(2 ** 62) - 1],
                   [_B, 2 ** 62 + 2, -(_B + 4), 6, _B + 1, 2 ** 62 - 3])

_LIMITS = {"i32": (-(2 ** 31), 2 ** 31 - 1), "i64": (-(2 ** 63), 2 ** 63 - 1)}


def _wrapping_operands(type_name: str, et: ov.Type) -> tuple[list[int], list[int]]:
    lo, hi = _LIMITS[et.get_type_name()]
    if type_name == "Multiply":
        root = 46341 if et.get_type_name() == "i32" else 3037000500  # root**2 > hi
        return [hi, lo, root, -root, hi // 2 + 1, lo], [2, 2, root, root, 3, -1]
    return [hi, lo, hi, lo, hi - 5, lo + 3], [1, -1, hi, lo, 10, -7]


def wide_integer_cases(info: OpInfo, et: ov.Type, make: Callable[..., Any]) -> list[Case]:
    """The cases above for binary op ``info`` on ``et``; ``make(a, b, auto_broadcast)``."""
    name = et.get_type_name()
    cases = []
    if name == "i64" and info.type_name in BEYOND_2_53_OPS:
        a, b = _BEYOND.get(info.type_name, _DEFAULT_BEYOND)
        cases.append(Case("beyond_2_53", [param([len(a)], value=np.array(a, np.int64)),
                                          param([len(b)], value=np.array(b, np.int64))],
                          lambda x, y: make(x, y, "numpy")))
    if name in _LIMITS and info.type_name in WRAPPING_OPS:
        a, b = _wrapping_operands(info.type_name, et)
        dtype = et.to_dtype()
        cases.append(Case("wrap_around", [param([len(a)], value=np.array(a, dtype)),
                                          param([len(b)], value=np.array(b, dtype))],
                          lambda x, y: make(x, y, "numpy")))
    return cases
