"""Spectral ops: DFT/IDFT on complex (trailing 2) data, RDFT/IRDFT, STFT and ISTFT, with
explicit axes (negative included) and signal sizes that pad or crop."""

from __future__ import annotations

import numpy as np

import openvino as ov

from ._case import FLOAT_TYPES, Case, OpInfo, op_cases, param
from .movement import i64


@op_cases("DFT", "IDFT", types=FLOAT_TYPES)
def _dft(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    make = ops.dft if info.type_name == "DFT" else ops.idft
    return [
        Case("1d", [param([3, 8, 2]), i64([0])], lambda x, a: make(x, a)),
        Case("2d_negative_axes", [param([2, 4, 6, 2]), i64([-3, -2])], lambda x, a: make(x, a)),
        Case("signal_size", [param([2, 5, 2]), i64([1]), i64([8])],
             lambda x, a, s: make(x, a, s)),
        Case("crop", [param([7, 2]), i64([0]), i64([4])], lambda x, a, s: make(x, a, s)),
    ]


@op_cases("RDFT", "IRDFT", types=FLOAT_TYPES)
def _rdft(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    if info.type_name == "RDFT":
        return [
            Case("1d", [param([3, 8]), i64([1])], lambda x, a: ops.rdft(x, a)),
            Case("2d", [param([4, 6]), i64([0, 1])], lambda x, a: ops.rdft(x, a)),
            Case("signal_size", [param([2, 5]), i64([-1]), i64([8])],
                 lambda x, a, s: ops.rdft(x, a, s)),
        ]
    return [
        Case("1d", [param([3, 5, 2]), i64([1])], lambda x, a: ops.irdft(x, a)),
        Case("2d", [param([4, 4, 2]), i64([0, 1])], lambda x, a: ops.irdft(x, a)),
        Case("signal_size", [param([2, 5, 2]), i64([-1]), i64([9])],
             lambda x, a, s: ops.irdft(x, a, s)),
    ]


@op_cases("STFT", types=FLOAT_TYPES)
def _stft(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    window = np.hanning(8)
    return [
        Case("frames", [param([2, 40]), param([8], value=window), i64(8), i64(4)],
             lambda x, w, f, s: ops.stft(x, w, f, s, False)),
        Case("transposed_short_window", [param([33]), param([5], value=window[:5]), i64(8),
                                         i64(3)],
             lambda x, w, f, s: ops.stft(x, w, f, s, True)),
    ]


@op_cases("ISTFT", types=FLOAT_TYPES)
def _istft(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    window = np.hanning(8) + 0.1
    return [
        Case("center", [param([5, 9, 2]), param([8], value=window), i64(8), i64(4)],
             lambda x, w, f, s: ops.istft(x, w, f, s, True, False)),
        Case("normalized_length", [param([5, 7, 2]), param([8], value=window), i64(8), i64(2),
                                   i64(20)],
             lambda x, w, f, s, n: ops.istft(x, w, f, s, False, True, n)),
    ]
