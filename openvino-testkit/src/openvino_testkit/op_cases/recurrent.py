"""Recurrent cells and sequences: RNN, GRU and LSTM, with clipping, other activations,
GRU's linear_before_reset, and forward/reverse/bidirectional sequences of unequal lengths.
Weights are Constants."""

from __future__ import annotations

import openvino as ov

from ._case import FLOAT_TYPES, Case, OpInfo, T, op_cases, param, weights

BATCH, INPUT, HIDDEN, SEQ = 3, 5, 4, 6


@op_cases("RNNCell", "GRUCell", "LSTMCell", types=FLOAT_TYPES)
def _cells(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    kind = info.type_name[:-len("Cell")]
    if kind == "RNN" and not hasattr(ops, "rnn_cell"):
        # RNNCell is an opset1 op whose Python factory OpenVINO only offers from opset3
        import openvino.opset3 as ops
    gates = {"RNN": 1, "GRU": 3, "LSTM": 4}[kind]

    def ins(bias: int = gates) -> list:
        data = [param([BATCH, INPUT]), param([BATCH, HIDDEN])]
        if kind == "LSTM":
            data.append(param([BATCH, HIDDEN]))
        return data + [weights([gates * HIDDEN, INPUT]), weights([gates * HIDDEN, HIDDEN]),
                       weights([bias * HIDDEN])]

    if kind == "RNN":
        return [
            # OpenVINO's rnn_cell takes the activations and their alpha/beta positionally
            Case("tanh", ins(), lambda x, h, w, r, b: ops.rnn_cell(x, h, w, r, b, HIDDEN,
                                                                   ["tanh"], [], [])),
            Case("relu_clip", ins(), lambda x, h, w, r, b: ops.rnn_cell(
                x, h, w, r, b, HIDDEN, ["relu"], None, None, 0.5)),
        ]
    if kind == "GRU":
        return [
            Case("default", ins(), lambda x, h, w, r, b: ops.gru_cell(x, h, w, r, b, HIDDEN)),
            Case("linear_before_reset", ins(4), lambda x, h, w, r, b: ops.gru_cell(
                x, h, w, r, b, HIDDEN, None, None, None, 0.0, True)),
            Case("clip_activations", ins(), lambda x, h, w, r, b: ops.gru_cell(
                x, h, w, r, b, HIDDEN, ["tanh", "sigmoid"], None, None, 0.8)),
        ]
    return [
        Case("default", ins(), lambda x, h, c, w, r, b: ops.lstm_cell(x, h, c, w, r, b, HIDDEN)),
        Case("clip", ins(), lambda x, h, c, w, r, b: ops.lstm_cell(
            x, h, c, w, r, b, HIDDEN, None, None, None, 0.7)),
        Case("activations", ins(), lambda x, h, c, w, r, b: ops.lstm_cell(
            x, h, c, w, r, b, HIDDEN, ["tanh", "relu", "sigmoid"])),
    ]


@op_cases("RNNSequence", "GRUSequence", "LSTMSequence", types=FLOAT_TYPES)
def _sequences(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    kind = info.type_name[:-len("Sequence")]
    gates = {"RNN": 1, "GRU": 3, "LSTM": 4}[kind]
    if kind == "LSTM" and info.number < 5:
        return []  # LSTMSequence-1 (with peepholes) has no opset factory of its own

    def ins(dirs: int, lengths: list[int]) -> list:
        data = [param([BATCH, SEQ, INPUT]), param([BATCH, dirs, HIDDEN])]
        if kind == "LSTM":
            data.append(param([BATCH, dirs, HIDDEN]))
        data.append(param([BATCH], T.i32, value=lengths))
        return data + [weights([dirs, gates * HIDDEN, INPUT]),
                       weights([dirs, gates * HIDDEN, HIDDEN]), weights([dirs, gates * HIDDEN])]

    factory = {"RNN": ops.rnn_sequence, "GRU": ops.gru_sequence,
               "LSTM": ops.lstm_sequence}[kind]
    cases = []
    for direction, dirs in (("forward", 1), ("reverse", 1), ("bidirectional", 2)):
        for lengths_name, lengths in (("full", [SEQ] * BATCH), ("ragged", [SEQ, 2, 4])):
            cases.append(Case(f"{direction}_{lengths_name}", ins(dirs, lengths),
                              lambda *xs, d=direction: factory(*xs, HIDDEN, d),
                              dynamic=direction == "forward" and lengths_name == "full"))
    return cases
