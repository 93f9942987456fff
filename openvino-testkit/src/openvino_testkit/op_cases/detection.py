"""Detection post-processing: NonMaxSuppression (all versions), CTC decoders and CTCLoss.
Boxes are well-formed, scores distinct, so the selected set is defined."""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov

from ._case import FLOAT_TYPES, Case, OpInfo, T, const, op_cases, param

_BOXES = np.array([[[0.0, 0.0, 1.0, 1.0], [0.0, 0.1, 1.0, 1.1], [0.0, -0.1, 1.0, 0.9],
                    [0.0, 10.0, 1.0, 11.0], [0.0, 10.1, 1.0, 11.1], [0.0, 100.0, 1.0, 101.0]]])
_SCORES = np.array([[[0.9, 0.75, 0.6, 0.95, 0.5, 0.3], [0.2, 0.85, 0.41, 0.1, 0.66, 0.37]]])


@op_cases("NonMaxSuppression", types=(T.f32, T.f16))
def _nms(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    v = info.number
    ins = [param([1, 6, 4], value=_BOXES), param([1, 2, 6], value=_SCORES),
           const(np.int64(3), T.i64), const(np.float32(0.5), T.f32),
           const(np.float32(0.2), T.f32)]

    def nms(encoding: str = "corner", descending: bool = True, sigma: bool = False) -> Any:
        if v < 3:
            return lambda b, s, m, i, t: ops.non_max_suppression(b, s, m, i, t, encoding,
                                                                 descending)
        if v < 5:
            return lambda b, s, m, i, t: ops.non_max_suppression(b, s, m, i, t, encoding,
                                                                 descending, "i32")
        if sigma:
            return lambda b, s, m, i, t, g: ops.non_max_suppression(b, s, m, i, t, g, encoding,
                                                                    descending, "i32")
        return lambda b, s, m, i, t: ops.non_max_suppression(b, s, m, i, t, None, encoding,
                                                             descending, "i64")

    cases = [Case("corner", ins, nms(), dynamic=False),
             Case("center_unsorted", ins, nms("center", False), dynamic=False)]
    if v >= 5:
        cases.append(Case("soft_nms", ins + [const(np.float32(0.5), T.f32)],
                          nms(sigma=True), dynamic=False))
    return cases


@op_cases("CTCGreedyDecoder", types=FLOAT_TYPES)
def _ctc_greedy(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    mask = np.array([[1, 1], [1, 1], [1, 0], [1, 0], [0, 0]], dtype=np.float64)
    return [Case(f"merge{int(m)}", [param([5, 2, 4]), param([5, 2], value=mask)],
                 lambda x, s, m=m: ops.ctc_greedy_decoder(x, s, m), dynamic=False)
            for m in (True, False)]


@op_cases("CTCGreedyDecoderSeqLen", types=FLOAT_TYPES)
def _ctc_greedy_seq_len(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("default_blank", [param([2, 6, 4]), param([2], T.i32, value=[6, 3])],
             lambda x, s: ops.ctc_greedy_decoder_seq_len(x, s)),
        Case("blank0_no_merge_i64", [param([2, 6, 4]), param([2], T.i64, value=[4, 6]),
                                     param([], T.i64, value=0)],
             lambda x, s, b: ops.ctc_greedy_decoder_seq_len(x, s, b, False, "i64", "i64")),
    ]


@op_cases("CTCLoss", types=FLOAT_TYPES)
def _ctc_loss(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    labels = np.array([[1, 2, 2, 0], [3, 1, 0, 0]])
    return [
        Case("default", [param([2, 6, 5]), param([2], T.i32, value=[6, 5]),
                         param([2, 4], T.i32, value=labels), param([2], T.i32, value=[3, 2])],
             lambda x, xl, y, yl: ops.ctc_loss(x, xl, y, yl), dynamic=False),
        Case("blank0_unique", [param([2, 6, 5]), param([2], T.i64, value=[6, 6]),
                               param([2, 4], T.i64, value=labels + 1),
                               param([2], T.i64, value=[4, 2]), param([], T.i64, value=0)],
             lambda x, xl, y, yl, b: ops.ctc_loss(x, xl, y, yl, b, True, False, True),
             dynamic=False),
    ]
