"""Recurrent cells and sequences: RNNCell (v0), GRUCell (v3), LSTMCell (v0 with peepholes,
v4) and RNNSequence, GRUSequence, LSTMSequence (v5).

Gate order in ``W`` ``[gates * hidden, input]``, ``R`` ``[gates * hidden, hidden]`` and
``B``: LSTM ``f, i, c, o``; GRU ``z, r, h``; RNN one gate. With ``clip`` > 0 every gate's
pre-activation is clipped to ``[-clip, clip]``. ``activations`` (defaults: RNN ``tanh``;
GRU ``sigmoid, tanh``; LSTM ``sigmoid, tanh, tanh``) are ``sigmoid``, ``tanh`` or
``relu``.

- RNN: ``H = f(X W^T + H R^T + B)``.
- GRU: ``z, r = f(X W^T + H R^T + B)``; ``h~ = g(X Wh^T + (r * H) Rh^T + Bh)``, or with
  ``linear_before_reset`` (``B`` then has 4 gates, the last ``Rh``'s bias)
  ``g(X Wh^T + Bwh + r * (H Rh^T + Brh))``; ``H' = (1 - z) * h~ + z * H``.
- LSTM: ``f, i, o = f(...)``, ``c~ = g(...)``, ``C' = f * C + i * c~``, ``H' = o * h(C')``;
  LSTMCell v0 adds peepholes ``P`` (``i, o, f``) and ``input_forget`` (``f = 1 - i``).

Sequences read ``X`` ``[batch, steps, input]``, states ``[batch, directions, hidden]``,
``sequence_lengths`` ``[batch]`` and per-direction weights, and return every step's
``H`` (``[batch, directions, steps, hidden]``, zero past a sequence's length) and the last
states (zero for a sequence of length 0). ``reverse`` runs each sequence from its last valid
step; ``bidirectional`` runs both and stacks them. Computed in double precision, stored in
the input's type.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape

__all__ = ["RNNCell", "GRUCell", "LSTMCell0", "LSTMCell", "RNNSequence", "GRUSequence",
           "LSTMSequence"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


_ACTIVATIONS = {"sigmoid": _sigmoid, "tanh": np.tanh, "relu": lambda x: np.maximum(x, 0.0)}


def _clip(x: np.ndarray, clip: float) -> np.ndarray:
    return np.clip(x, -clip, clip) if clip > 0 else x


def _rnn_step(x: np.ndarray, h: np.ndarray, w: np.ndarray, r: np.ndarray, b: np.ndarray,
              acts: list, clip: float) -> np.ndarray:
    return acts[0](_clip(x @ w.T + h @ r.T + b, clip))


def _gru_step(x: np.ndarray, h: np.ndarray, w: np.ndarray, r: np.ndarray, b: np.ndarray,
              acts: list, clip: float, linear_before_reset: bool) -> np.ndarray:
    n = h.shape[-1]
    xw = x @ w.T
    f, g = acts[0], acts[1]
    zr = f(_clip(xw[:, :2 * n] + h @ r[:2 * n].T + b[:2 * n], clip))
    z, rr = zr[:, :n], zr[:, n:]
    if linear_before_reset:
        cand = xw[:, 2 * n:] + b[2 * n:3 * n] + rr * (h @ r[2 * n:].T + b[3 * n:4 * n])
    else:
        cand = xw[:, 2 * n:] + (rr * h) @ r[2 * n:].T + b[2 * n:3 * n]
    hh = g(_clip(cand, clip))
    return (1 - z) * hh + z * h


def _lstm_step(x: np.ndarray, h: np.ndarray, c: np.ndarray, w: np.ndarray, r: np.ndarray,
               b: np.ndarray, acts: list, clip: float, peepholes: np.ndarray | None = None,
               input_forget: bool = False) -> tuple[np.ndarray, np.ndarray]:
    n = h.shape[-1]
    gates = x @ w.T + h @ r.T + b
    f_in, i_in, c_in, o_in = (gates[:, k * n:(k + 1) * n] for k in range(4))
    if peepholes is not None:  # P is [i, o, f]
        i_in = i_in + peepholes[:n] * c
        f_in = f_in + peepholes[2 * n:3 * n] * c
    fa, ga, ha = acts
    i = fa(_clip(i_in, clip))
    f = 1 - i if input_forget else fa(_clip(f_in, clip))
    c_new = f * c + i * ga(_clip(c_in, clip))
    if peepholes is not None:
        o_in = o_in + peepholes[n:2 * n] * c_new
    o = fa(_clip(o_in, clip))
    return o * ha(c_new), c_new


_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}
_DEFAULT_ACTS = {"RNN": ["tanh"], "GRU": ["sigmoid", "tanh"],
                 "LSTM": ["sigmoid", "tanh", "tanh"]}


def _common_attrs(kind: str) -> dict[str, Attr]:
    return {"hidden_size": Attr.int(), "activations": Attr.strs(list(_DEFAULT_ACTS[kind])),
            "activations_alpha": Attr.floats([]), "activations_beta": Attr.floats([]),
            "clip": Attr.float(0.0)}


class _Recurrent(Node):
    """Attribute checks and helpers shared by cells and sequences."""

    kind = "RNN"

    def _acts(self) -> list:
        return [_ACTIVATIONS[a] for a in self._attrs["activations"]]

    def _check_attrs(self) -> None:
        a = self._attrs
        acts = [str(x).lower() for x in a["activations"]]
        a["activations"] = acts
        want = len(_DEFAULT_ACTS[self.kind])
        self.check(len(acts) == want, f"{self.type_name} expects {want} activation functions, "
                                      f"got {len(acts)}")
        for act in acts:
            self.check(act in _ACTIVATIONS, f"Unsupported activation function: {act}")
        self.check(a["hidden_size"] > 0, f"Attribute hidden_size must be positive, got "
                                         f"{a['hidden_size']}")
        self.check(a["clip"] >= 0, f"Attribute clip must be non-negative, got {a['clip']}")

    def _gates(self) -> int:
        return _GATES[self.kind]

    def _bias_gates(self) -> int:
        return self._gates() + (1 if self._attrs.get("linear_before_reset") else 0)

    def _check_floats(self, count: int) -> Any:
        et = self.get_input_element_type(0)
        for i in range(count):
            t = self.get_input_element_type(i)
            if self._integer_input(i):
                self.check(t.is_dynamic() or t.is_integral_number(),
                           f"Element type of sequence_lengths input must be integer, got "
                           f"{t.get_type_name()}")
                continue
            self.check(t.is_dynamic() or t.is_real(),
                       f"Element types for X, initial_hidden_state, W, R and B inputs must be "
                       f"floating point, got {t.get_type_name()} for input {i}")
            self.check(t.is_dynamic() or et.is_dynamic() or t == et,
                       f"Element types for X, initial_hidden_state, W, R and B inputs do not "
                       f"match: {et.get_type_name()} and {t.get_type_name()}")
        return et

    def _integer_input(self, i: int) -> bool:
        return False

    def _states(self) -> int:
        return 2 if self.kind == "LSTM" else 1

    def _step(self, x: np.ndarray, states: list[np.ndarray], w: np.ndarray, r: np.ndarray,
              b: np.ndarray, acts: list, peepholes: tuple = ()) -> list[np.ndarray]:
        """One step of the cell: the new states (``[H]``, LSTM ``[H, C]``)."""
        a = self._attrs
        if self.kind == "LSTM":
            return list(_lstm_step(x, states[0], states[1], w, r, b, acts, a["clip"],
                                   *peepholes))
        if self.kind == "GRU":
            return [_gru_step(x, states[0], w, r, b, acts, a["clip"],
                              a["linear_before_reset"])]
        return [_rnn_step(x, states[0], w, r, b, acts, a["clip"])]

    def _merge_state_batches(self, x: PartialShape, batch: Dimension, rank: int,
                             dims: tuple[tuple[int, int, str], ...], shape_text: str
                             ) -> Dimension:
        """Check the state inputs (``rank``-D, ``dims``: (axis, size, name) checks) and merge
        their batch dimension with ``batch`` (X's)."""
        for i in range(1, 1 + self._states()):
            ps = self.get_input_partial_shape(i)
            if ps.rank.is_static:
                self.check(len(ps) == rank, f"{self.type_name} state input {i} must be "
                                            f"{rank}-D{shape_text}, got {ps}")
                for axis, want, name in dims:
                    self._check_dim(i, axis, want, name)
                merged = batch.merge(ps[0])
                self.check(merged is not None, f"Batch dimensions of X {x} and the state "
                                               f"{ps} do not match")
                batch = merged
        return batch

    def _check_dim(self, index: int, axis: int, want: int, name: str) -> None:
        ps = self.get_input_partial_shape(index)
        if ps.rank.is_static and len(ps) > axis:
            self.check(ps[axis]._compatible(want),
                       f"Dimension {axis} of {name} input shape is required to be compatible "
                       f"with {want}. Got shape: {ps[axis]}.")


class _Cell(_Recurrent):
    """Cells: inputs ``X, H[, C], W, R, B``; outputs ``H[, C]`` ``[batch, hidden]``."""

    def validate_and_infer_types(self) -> None:
        n_states = self._states()
        need = 4 + n_states
        self.check(len(self._inputs) >= need - 1,
                   f"{self.type_name} takes {need} inputs, got {len(self._inputs)}")
        self._check_attrs()
        et = self._check_floats(len(self._inputs))
        hidden = self._attrs["hidden_size"]
        g = self._gates()
        x = self.get_input_partial_shape(0)
        self.check(x.rank.is_dynamic or len(x) == 2,
                   f"{self.type_name} input X must be 2-D [batch, input_size], got {x}")
        w, r = 1 + n_states, 2 + n_states
        self._check_dim(w, 0, g * hidden, "W")
        self._check_dim(r, 0, g * hidden, "R")
        self._check_dim(r, 1, hidden, "R")
        if len(self._inputs) > 3 + n_states:
            self._check_dim(3 + n_states, 0, self._bias_gates() * hidden, "B")
        batch = x[0] if x.rank.is_static else Dimension()
        batch = self._merge_state_batches(x, batch, 2, ((1, hidden, "initial state"),), "")
        for i in range(n_states):
            self.set_output_type(i, et, PartialShape([batch, hidden]))

    def _bias(self, inputs: tuple, index: int, rows: int) -> np.ndarray:
        if len(inputs) > index:
            return inputs[index].astype(np.float64)
        return np.zeros(rows)

    def reference(self, *inputs: np.ndarray) -> Any:
        a = self._attrs
        dt = inputs[0].dtype
        v = [x.astype(np.float64) for x in inputs]
        n = self._states()
        b = self._bias(inputs, 3 + n, self._bias_gates() * a["hidden_size"])
        out = self._step(v[0], v[1:1 + n], v[1 + n], v[2 + n], b, self._acts(),
                         self._peepholes(v))
        return tuple(o.astype(dt) for o in out) if n == 2 else out[0].astype(dt)

    def _peepholes(self, v: list) -> tuple:
        return ()


class RNNCell(_Cell):
    """RNNCell (v0)."""

    type_name = "RNNCell"
    version = "opset1"
    kind = "RNN"
    attributes = _common_attrs("RNN")


class GRUCell(_Cell):
    """GRUCell (v3)."""

    type_name = "GRUCell"
    version = "opset3"
    kind = "GRU"
    attributes = {**_common_attrs("GRU"), "linear_before_reset": Attr.bool(False)}


class LSTMCell(_Cell):
    """LSTMCell (v4)."""

    type_name = "LSTMCell"
    version = "opset4"
    kind = "LSTM"
    attributes = _common_attrs("LSTM")


_FORMATS = {"fico": "fico", "icof": "icof", "ifco": "ifco", "ifoc": "ifoc", "iofc": "iofc"}


class LSTMCell0(LSTMCell):
    """LSTMCell (v0): optional peepholes ``P`` ``[3 * hidden]`` (``i, o, f``),
    ``input_forget`` and ``weights_format`` (the gate order of W, R and B)."""

    type_name = "LSTMCell"
    version = "opset1"
    attributes = {**_common_attrs("LSTM"), "input_forget": Attr.bool(False),
                  "weights_format": Attr.str("fico")}

    def validate_and_infer_types(self) -> None:
        fmt = self._attrs["weights_format"].lower()
        self.check(fmt in _FORMATS, f'"{fmt}" is not a member of enum LSTMWeightsFormat')
        super().validate_and_infer_types()

    def _peepholes(self, v: list) -> tuple:
        p = v[6] if len(v) > 6 else None
        return (p, self._attrs["input_forget"])

    def reference(self, *inputs: np.ndarray) -> Any:
        fmt = self._attrs["weights_format"].lower()
        if fmt != "fico":  # reorder the gates of W, R and B to f, i, c, o
            order = [fmt.index(g) for g in "fico"]
            inputs = list(inputs)
            for k in (3, 4, 5):
                if k < len(inputs):
                    parts = np.split(inputs[k], 4, axis=0)
                    inputs[k] = np.concatenate([parts[j] for j in order], axis=0)
        return super().reference(*inputs)


class _Sequence(_Recurrent):
    """Sequences: ``X, H0[, C0], sequence_lengths, W, R, B``."""

    def _integer_input(self, i: int) -> bool:
        return i == 1 + self._states()

    def _directions(self) -> list[bool]:
        d = self._attrs["direction"]
        return {"forward": [False], "reverse": [True], "bidirectional": [False, True]}[d]

    def validate_and_infer_types(self) -> None:
        n_states = self._states()
        self.check(len(self._inputs) == 5 + n_states,
                   f"{self.type_name} takes {5 + n_states} inputs, got {len(self._inputs)}")
        a = self._attrs
        a["direction"] = str(a["direction"]).lower()
        self.check(a["direction"] in ("forward", "reverse", "bidirectional"),
                   f'"{a["direction"]}" is not a member of enum op::RecurrentSequenceDirection')
        self._check_attrs()
        et = self._check_floats(len(self._inputs))
        hidden, g = a["hidden_size"], self._gates()
        dirs = len(self._directions())
        x = self.get_input_partial_shape(0)
        self.check(x.rank.is_dynamic or len(x) == 3,
                   f"{self.type_name} input X must be 3-D [batch, seq_length, input_size], "
                   f"got {x}")
        w = 2 + n_states
        for idx, name, axis, want in ((w, "W", 0, dirs), (w, "W", 1, g * hidden),
                                      (w + 1, "R", 0, dirs), (w + 1, "R", 1, g * hidden),
                                      (w + 1, "R", 2, hidden), (w + 2, "B", 0, dirs),
                                      (w + 2, "B", 1, self._bias_gates() * hidden)):
            self._check_dim(idx, axis, want, name)
        batch = x[0] if x.rank.is_static else Dimension()
        steps = x[1] if x.rank.is_static else Dimension()
        batch = self._merge_state_batches(
            x, batch, 3, ((1, dirs, "initial state"), (2, hidden, "initial state")),
            " [batch, num_directions, hidden_size]")
        self.set_output_type(0, et, PartialShape([batch, dirs, steps, hidden]))
        for i in range(n_states):
            self.set_output_type(1 + i, et, PartialShape([batch, dirs, hidden]))

    def reference(self, *inputs: np.ndarray) -> Any:
        a = self._attrs
        dt = inputs[0].dtype
        n_states = self._states()
        x = inputs[0].astype(np.float64)
        states = [s.astype(np.float64) for s in inputs[1:1 + n_states]]
        lengths = np.asarray(inputs[1 + n_states]).astype(np.int64).reshape(-1)
        w, r, b = (v.astype(np.float64) for v in inputs[2 + n_states:5 + n_states])
        batch, steps, _ = x.shape
        hidden = a["hidden_size"]
        if lengths.size != batch or (lengths < 0).any() or (lengths > steps).any():
            raise RuntimeError(f"{self.type_name} '{self.get_friendly_name()}': "
                               f"sequence_lengths {lengths.tolist()} must give one length in "
                               f"[0, {steps}] per batch entry")
        acts = self._acts()
        y = np.zeros((batch, len(self._directions()), steps, hidden))
        finals = [np.zeros((batch, len(self._directions()), hidden)) for _ in range(n_states)]
        for d, backwards in enumerate(self._directions()):
            cur = [s[:, d].copy() for s in states]
            for t in range(steps):
                # each sequence's own step index (reverse: from its last valid step)
                src = np.where(lengths > t, lengths - 1 - t, 0) if backwards else \
                    np.full(batch, t)
                live = (lengths > t)[:, None]
                new = self._step(x[np.arange(batch), src], cur, w[d], r[d], b[d], acts)
                cur = [np.where(live, n, c) for n, c in zip(new, cur)]
                rows = np.flatnonzero(live[:, 0])
                y[rows, d, src[rows]] = cur[0][rows]
            # a sequence of length 0 ends with zero states, as the runtime's CPU plugin
            # returns them
            empty = (lengths == 0)[:, None]
            for final, c in zip(finals, cur):
                final[:, d] = np.where(empty, 0.0, c)
        return (y.astype(dt), *[f.astype(dt) for f in finals])


def _sequence_attrs(kind: str) -> dict[str, Attr]:
    return {"direction": Attr.enum(), **_common_attrs(kind)}


class RNNSequence(_Sequence):
    """RNNSequence (v5)."""

    type_name = "RNNSequence"
    version = "opset5"
    kind = "RNN"
    attributes = _sequence_attrs("RNN")


class GRUSequence(_Sequence):
    """GRUSequence (v5)."""

    type_name = "GRUSequence"
    version = "opset5"
    kind = "GRU"
    attributes = {**_sequence_attrs("GRU"), "linear_before_reset": Attr.bool(False)}


class LSTMSequence(_Sequence):
    """LSTMSequence (v5)."""

    type_name = "LSTMSequence"
    version = "opset5"
    kind = "LSTM"
    attributes = _sequence_attrs("LSTM")


# --- factories -----------------------------------------------------------------------------
def _activation_attrs(kind: str, activations: Any, alpha: Any, beta: Any,
                      clip: float) -> dict[str, Any]:
    return {"activations": list(_DEFAULT_ACTS[kind]) if activations is None else activations,
            "activations_alpha": [] if alpha is None else alpha,
            "activations_beta": [] if beta is None else beta, "clip": clip}


@factory("rnn_cell", since=3)
def rnn_cell(X: Any, initial_hidden_state: Any, W: Any, R: Any, B: Any, hidden_size: int,
             activations: list[str], activations_alpha: list[float],
             activations_beta: list[float], clip: float = 0.0,
             name: str | None = None) -> RNNCell:
    """One step of a simple recurrent cell."""
    return RNNCell(X, initial_hidden_state, W, R, B, hidden_size=hidden_size, name=name,
                   **_activation_attrs("RNN", activations, activations_alpha,
                                       activations_beta, clip))


@factory("gru_cell", since=3)
def gru_cell(X: Any, initial_hidden_state: Any, W: Any, R: Any, B: Any, hidden_size: int,
             activations: list[str] | None = None, activations_alpha: list[float] | None = None,
             activations_beta: list[float] | None = None, clip: float = 0.0,
             linear_before_reset: bool = False, name: str | None = None) -> GRUCell:
    """One step of a GRU cell."""
    return GRUCell(X, initial_hidden_state, W, R, B, hidden_size=hidden_size,
                   linear_before_reset=linear_before_reset, name=name,
                   **_activation_attrs("GRU", activations, activations_alpha,
                                       activations_beta, clip))


@factory("lstm_cell", since=1)
def lstm_cell0(X: Any, initial_hidden_state: Any, initial_cell_state: Any, W: Any, R: Any,
               B: Any, hidden_size: int, activations: list[str] | None = None,
               activations_alpha: list[float] | None = None,
               activations_beta: list[float] | None = None, clip: float = 0.0,
               name: str | None = None) -> LSTMCell0:
    """One step of an LSTM cell (v0)."""
    return LSTMCell0(X, initial_hidden_state, initial_cell_state, W, R, B,
                     hidden_size=hidden_size, name=name,
                     **_activation_attrs("LSTM", activations, activations_alpha,
                                         activations_beta, clip))


@factory("lstm_cell", since=4)
def lstm_cell(X: Any, initial_hidden_state: Any, initial_cell_state: Any, W: Any, R: Any,
              B: Any, hidden_size: int, activations: list[str] | None = None,
              activations_alpha: list[float] | None = None,
              activations_beta: list[float] | None = None, clip: float = 0.0,
              name: str | None = None) -> LSTMCell:
    """One step of an LSTM cell."""
    return LSTMCell(X, initial_hidden_state, initial_cell_state, W, R, B,
                    hidden_size=hidden_size, name=name,
                    **_activation_attrs("LSTM", activations, activations_alpha,
                                        activations_beta, clip))


@factory("rnn_sequence", since=5)
def rnn_sequence(X: Any, initial_hidden_state: Any, sequence_lengths: Any, W: Any, R: Any,
                 B: Any, hidden_size: int, direction: str, activations: list[str] | None = None,
                 activations_alpha: list[float] | None = None,
                 activations_beta: list[float] | None = None, clip: float = 0.0,
                 name: str | None = None) -> RNNSequence:
    """A simple recurrent layer over a batch of sequences."""
    return RNNSequence(X, initial_hidden_state, sequence_lengths, W, R, B,
                       hidden_size=hidden_size, direction=direction, name=name,
                       **_activation_attrs("RNN", activations, activations_alpha,
                                           activations_beta, clip))


@factory("gru_sequence", since=5)
def gru_sequence(X: Any, initial_hidden_state: Any, sequence_lengths: Any, W: Any, R: Any,
                 B: Any, hidden_size: int, direction: str, activations: list[str] | None = None,
                 activations_alpha: list[float] | None = None,
                 activations_beta: list[float] | None = None, clip: float = 0.0,
                 linear_before_reset: bool = False, name: str | None = None) -> GRUSequence:
    """A GRU layer over a batch of sequences."""
    return GRUSequence(X, initial_hidden_state, sequence_lengths, W, R, B,
                       hidden_size=hidden_size, direction=direction,
                       linear_before_reset=linear_before_reset, name=name,
                       **_activation_attrs("GRU", activations, activations_alpha,
                                           activations_beta, clip))


@factory("lstm_sequence", since=5)
def lstm_sequence(X: Any, initial_hidden_state: Any, initial_cell_state: Any,
                  sequence_lengths: Any, W: Any, R: Any, B: Any, hidden_size: int,
                  direction: str, activations: list[str] | None = None,
                  activations_alpha: list[float] | None = None,
                  activations_beta: list[float] | None = None, clip: float = 0.0,
                  name: str | None = None) -> LSTMSequence:
    """An LSTM layer over a batch of sequences."""
    return LSTMSequence(X, initial_hidden_state, initial_cell_state, sequence_lengths, W, R, B,
                        hidden_size=hidden_size, direction=direction, name=name,
                        **_activation_attrs("LSTM", activations, activations_alpha,
                                            activations_beta, clip))
