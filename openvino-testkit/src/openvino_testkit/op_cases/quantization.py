"""Quantization: FakeQuantize (per-tensor and per-channel ranges, several level counts,
values outside the input range) and FakeConvert (to f8e4m3 / f8e5m2 with scale and
shift)."""

from __future__ import annotations

import numpy as np

import openvino as ov

from ._case import FLOAT_TYPES, Case, OpInfo, const, op_cases, param


@op_cases("FakeQuantize", types=FLOAT_TYPES)
def _fake_quantize(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset

    def fq(levels: int, mode: str = "numpy") -> object:
        return lambda x, a, b, c, d: ops.fake_quantize(x, a, b, c, d, levels, mode)

    per_channel_low = np.array([-1.0, -2.0, 0.0]).reshape(1, 3, 1, 1)
    per_channel_high = np.array([1.0, 0.5, 3.0]).reshape(1, 3, 1, 1)
    return [
        Case("per_tensor_256", [param([2, 3, 4, 4], low=-4, high=4), const(-2.0), const(2.0),
                                const(-1.0), const(1.0)], fq(256)),
        Case("per_channel_16", [param([1, 3, 5, 5], low=-3, high=3), const(per_channel_low),
                                const(per_channel_high), const(per_channel_low * 2),
                                const(per_channel_high * 2)], fq(16)),
        Case("levels_2", [param([4, 6], low=-2, high=2), const(-1.0), const(1.0), const(0.0),
                          const(1.0)], fq(2)),
        Case("inverted_output", [param([3, 4], low=-2, high=2), const(-1.0), const(1.0),
                                 const(1.0), const(-1.0)], fq(5)),
    ]


@op_cases("FakeConvert", types=FLOAT_TYPES)
def _fake_convert(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = []
    for dst in ("f8e4m3", "f8e5m2"):
        cases.append(Case(f"{dst}_scale", [param([2, 3, 4], low=-50, high=50), const([0.5])],
                          lambda x, s, d=dst: ops.fake_convert(x, s, None, d)))
        cases.append(Case(f"{dst}_scale_shift",
                          [param([2, 3], low=-10, high=10), const(np.array([[2.0], [0.25]])),
                           const(np.array([[0.5], [-1.0]]))],
                          lambda x, s, h, d=dst: ops.fake_convert(x, s, h, d)))
    return cases
