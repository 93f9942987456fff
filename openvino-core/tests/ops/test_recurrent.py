"""RNN/GRU/LSTM cells and sequences: the gate equations (OpenVINO's gate orders), ragged and
reversed sequences, zero-length sequences, attributes and errors."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset3, opset4, opset5

from .node_eval import evaluate_in_model

B, I, H, S = 3, 5, 4, 6  # noqa: E741 (the spec's names)
RNG = np.random.default_rng(3)


def _w(*shape):
    return RNG.uniform(-1, 1, shape).astype(np.float32)


def _sig(x):
    return 1 / (1 + np.exp(-x))


def test_lstm_cell_gate_order_f_i_c_o():
    x, h, c = _w(B, I), _w(B, H), _w(B, H)
    w, r, b = _w(4 * H, I), _w(4 * H, H), _w(4 * H)
    node = opset4.lstm_cell(opset4.parameter([B, I]), opset4.parameter([B, H]),
                            opset4.parameter([B, H]), w, r, b, H)
    ho, co = evaluate_in_model(node, x, h, c)
    g = x @ w.T + h @ r.T + b
    f, i, cc, o = np.split(g, 4, axis=1)
    c_want = _sig(f) * c + _sig(i) * np.tanh(cc)
    np.testing.assert_allclose(co, c_want, atol=1e-6)
    np.testing.assert_allclose(ho, _sig(o) * np.tanh(c_want), atol=1e-6)


def test_lstm_cell_v0_weights_format_reorders_gates():
    x, h, c = _w(B, I), _w(B, H), _w(B, H)
    w, r, b = _w(4 * H, I), _w(4 * H, H), _w(4 * H)
    fico = opset1.lstm_cell(opset1.parameter([B, I]), opset1.parameter([B, H]),
                            opset1.parameter([B, H]), w, r, b, H)
    want = evaluate_in_model(fico, x, h, c)

    def to_ifco(a):
        f, i, cc, o = np.split(a, 4, axis=0)
        return np.concatenate([i, f, cc, o])

    node = opset1.lstm_cell(opset1.parameter([B, I]), opset1.parameter([B, H]),
                            opset1.parameter([B, H]), to_ifco(w), to_ifco(r), to_ifco(b), H)
    node.set_attribute("weights_format", "ifco")
    node.validate_and_infer_types()
    got = evaluate_in_model(node, x, h, c)
    for a, e in zip(got, want):
        np.testing.assert_allclose(a, e, atol=1e-6)


@pytest.mark.parametrize("lbr", [False, True])
def test_gru_cell_linear_before_reset(lbr):
    x, h = _w(B, I), _w(B, H)
    w, r, b = _w(3 * H, I), _w(3 * H, H), _w((4 if lbr else 3) * H)
    node = opset3.gru_cell(opset3.parameter([B, I]), opset3.parameter([B, H]), w, r, b, H,
                           linear_before_reset=lbr)
    out = evaluate_in_model(node, x, h)[0]
    xw = x @ w.T
    z = _sig(xw[:, :H] + h @ r[:H].T + b[:H])
    rr = _sig(xw[:, H:2 * H] + h @ r[H:2 * H].T + b[H:2 * H])
    if lbr:
        hh = np.tanh(xw[:, 2 * H:] + b[2 * H:3 * H] + rr * (h @ r[2 * H:].T + b[3 * H:]))
    else:
        hh = np.tanh(xw[:, 2 * H:] + (rr * h) @ r[2 * H:].T + b[2 * H:])
    np.testing.assert_allclose(out, (1 - z) * hh + z * h, atol=1e-6)


def test_rnn_cell_relu_and_clip():
    x, h, w, r, b = _w(B, I), _w(B, H), _w(H, I), _w(H, H), _w(H)
    node = opset3.rnn_cell(opset3.parameter([B, I]), opset3.parameter([B, H]), w, r, b, H,
                           ["relu"], [], [], 0.5)
    out = evaluate_in_model(node, x, h)[0]
    np.testing.assert_allclose(out, np.clip(x @ w.T + h @ r.T + b, 0, 0.5), atol=1e-6)


def _rnn_seq(direction, lengths):
    d = 2 if direction == "bidirectional" else 1
    x, h0 = _w(B, S, I), _w(B, d, H)
    w, r, b = _w(d, H, I), _w(d, H, H), _w(d, H)
    node = opset5.rnn_sequence(opset5.parameter([B, S, I]), opset5.parameter([B, d, H]),
                               opset5.parameter([B], np.int32), w, r, b, H, direction)
    y, ho = evaluate_in_model(node, x, h0, np.array(lengths, np.int32))
    return node, (x, h0, w, r, b), y, ho


def test_rnn_sequence_ragged_forward_and_reverse():
    lengths = [S, 2, 0]
    node, (x, h0, w, r, b), y, ho = _rnn_seq("bidirectional", lengths)
    assert node.get_output_partial_shape(0) == ov.PartialShape([B, 2, S, H])
    for bi, n in enumerate(lengths):
        for d, order in ((0, range(n)), (1, reversed(range(n)))):
            h = h0[bi, d]
            for t in order:
                h = np.tanh(x[bi, t] @ w[d].T + h @ r[d].T + b[d])
                np.testing.assert_allclose(y[bi, d, t], h, atol=1e-6)
            np.testing.assert_allclose(ho[bi, d], h if n else 0, atol=1e-6)
        assert (y[bi, :, n:] == 0).all()


def test_sequence_errors():
    with pytest.raises(RuntimeError, match="is not a member of enum"):
        opset5.rnn_sequence(opset5.parameter([B, S, I]), opset5.parameter([B, 1, H]),
                            opset5.parameter([B], np.int32), _w(1, H, I), _w(1, H, H),
                            _w(1, H), H, "sideways")
    with pytest.raises(RuntimeError, match="required to be compatible with 12"):
        opset5.gru_sequence(opset5.parameter([B, S, I]), opset5.parameter([B, 1, H]),
                            opset5.parameter([B], np.int32), _w(1, 16, I), _w(1, 12, H),
                            _w(1, 12), H, "forward")
    with pytest.raises(RuntimeError, match="Unsupported activation function: elu"):
        opset4.lstm_cell(opset4.parameter([B, I]), opset4.parameter([B, H]),
                         opset4.parameter([B, H]), _w(4 * H, I), _w(4 * H, H), _w(4 * H), H,
                         ["sigmoid", "elu", "tanh"])
    node = opset5.rnn_sequence(opset5.parameter([B, S, I]), opset5.parameter([B, 1, H]),
                               opset5.parameter([B], np.int32), _w(1, H, I), _w(1, H, H),
                               _w(1, H), H, "forward")
    with pytest.raises(RuntimeError, match=r"must give one length in \[0, 6\]"):
        evaluate_in_model(node, _w(B, S, I), _w(B, 1, H), np.array([7, 1, 1], np.int32))


def test_lstm_sequence_ir_round_trip(tmp_path):
    d = 2
    params = [opset5.parameter([B, S, I]), opset5.parameter([B, d, H]),
              opset5.parameter([B, d, H]), opset5.parameter([B], np.int32)]
    node = opset5.lstm_sequence(*params, _w(d, 4 * H, I), _w(d, 4 * H, H), _w(d, 4 * H), H,
                                "bidirectional", clip=0.9)
    model = ov.Model(node.outputs(), params)
    ov.save_model(model, tmp_path / "m.xml", compress_to_fp16=False)
    back = ov.Core().read_model(tmp_path / "m.xml")
    ins = [_w(B, S, I), _w(B, d, H), _w(B, d, H), np.array([6, 3, 1], np.int32)]
    want = ov.Core().compile_model(model, "TEMPLATE")(ins)
    got = ov.Core().compile_model(back, "TEMPLATE")(ins)
    for i in range(3):
        np.testing.assert_allclose(got[i], want[i], atol=1e-6)
