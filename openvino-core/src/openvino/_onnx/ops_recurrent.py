"""Mappings of ONNX RNN, GRU and LSTM: each direction is unrolled over the (static) sequence
length into MatMuls, gate activations and elementwise updates."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Output
from .._type import Type
from .context import NodeContext, convert, unsqueeze
from .registry import onnx_op

_ACTIVATIONS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "Relu"}


class _Cell:
    """What the three ops share: inputs split per direction, activations, unrolling."""

    def __init__(self, ctx: NodeContext, gates: int, defaults: list[str]) -> None:
        self.ctx = ctx
        self.gates = gates
        x = ctx.input(0)
        self.layout = int(ctx.attr("layout", 0))
        if self.layout:
            x = ctx.make("Transpose", x, ctx.const(np.array([1, 0, 2], np.int64))).output(0)
        self.x = x
        ps = x.get_partial_shape()
        if ps.rank.is_dynamic or ps[0].is_dynamic:
            ctx.fail("the sequence length must be static")
        self.steps = ps[0].get_length()
        self.hidden = int(ctx.attr("hidden_size"))
        direction = ctx.attr("direction", "forward")
        self.directions = {"forward": [0], "reverse": [1], "bidirectional": [0, 1]}.get(direction)
        if self.directions is None:
            ctx.fail(f"unknown direction '{direction}'")
        names = [a.lower() for a in ctx.attr("activations", [])]
        per_dir = len(defaults)
        if not names:
            names = defaults * len(self.directions)
        if ctx.has_attr("activation_alpha") or ctx.has_attr("activation_beta"):
            ctx.fail("activation_alpha/activation_beta are not supported")
        self.acts = []
        for d in range(len(self.directions)):
            chosen = names[d * per_dir:(d + 1) * per_dir]
            for a in chosen:
                if a not in _ACTIVATIONS:
                    ctx.fail(f"activation '{a}' is not supported")
            self.acts.append([_ACTIVATIONS[a] for a in chosen])
        self.clip = ctx.attr("clip", None)
        self.seq_lens = ctx.opt(4)
        if self.seq_lens is not None:
            v = ctx.value(4)
            if v is not None and (np.asarray(v) == self.steps).all():
                self.seq_lens = None
            elif 1 in self.directions:
                ctx.fail("sequence_lens shorter than the sequence in reverse direction is "
                         "not supported")
            else:
                self.seq_lens = convert(ctx, self.seq_lens, Type.i64)

    def per_dir(self, index: int, d: int) -> Output | None:
        """Input ``index`` for direction ``d`` (its leading num_directions axis removed)."""
        t = self.ctx.opt(index)
        if t is None:
            return None
        return self.ctx.make("Gather", t, self.ctx.const(np.int64(d)),
                             self.ctx.const(np.int64(0)), batch_dims=0).output(0)

    def initial(self, index: int, d: int) -> Output:
        t = self.per_dir(index, d)
        if t is not None:
            if self.layout:  # [batch, num_dir, H] -> per direction [batch, H]
                t = self.ctx.make("Gather", self.ctx.opt(index), self.ctx.const(np.int64(d)),
                                  self.ctx.const(np.int64(1)), batch_dims=0).output(0)
            return t
        ctx = self.ctx
        step0 = ctx.make("Gather", self.x, ctx.const(np.int64(0)), ctx.const(np.int64(0)),
                         batch_dims=0)
        batch = ctx.make("Gather", ctx.make("ShapeOf", step0, output_type=Type.i64),
                         ctx.const(np.array([0], np.int64)), ctx.const(np.int64(0)),
                         batch_dims=0)
        shape = ctx.make("Concat", batch, ctx.const(np.array([self.hidden], np.int64)), axis=0)
        return ctx.make("Broadcast", ctx.const_like(0, self.x), shape, mode="numpy").output(0)

    def act(self, name: str, x: Output) -> Output:
        return self.ctx.make(name, x).output(0)

    def clipped(self, x: Output) -> Output:
        if self.clip is None:
            return x
        c = float(self.clip)
        x = self.ctx.make("Maximum", x, self.ctx.const_like(-c, x)).output(0)
        return self.ctx.make("Minimum", x, self.ctx.const_like(c, x)).output(0)

    def input_projection(self, d: int) -> tuple[Output, Output | None]:
        """``X @ W^T + Wb (+ Rb)`` for every step, and the recurrent bias ``Rb``."""
        ctx = self.ctx
        w = self.per_dir(1, d)
        xw = ctx.make("MatMul", self.x, w, transpose_a=False, transpose_b=True).output(0)
        b = self.per_dir(3, d)
        if b is None:
            return xw, None
        parts = ctx.make("Split", b, ctx.const(np.int64(0)), num_splits=2)
        return ctx.make("Add", xw, parts.output(0)).output(0), parts.output(1)

    def split_gates(self, x: Output) -> list[Output]:
        node = self.ctx.make("Split", x, self.ctx.const(np.int64(-1)), num_splits=self.gates)
        return node.outputs()

    def mask(self, t: int) -> Output | None:
        if self.seq_lens is None:
            return None
        ctx = self.ctx
        m = ctx.make("Greater", self.seq_lens, ctx.const(np.int64(t)))
        return unsqueeze(ctx, m.output(0), [1])

    def run(self, step: Any, states: list[int]) -> list[Output]:
        """Unroll ``step(di, di, xw_t, rb, state_list) -> state_list`` in every direction
        (``di`` indexes the inputs' num_directions axis); returns Y and the final states."""
        ctx = self.ctx
        ys, finals = [], [[] for _ in states]
        for di, d in enumerate(self.directions):
            xw, rb = self.input_projection(di)
            state = [self.initial(i, di) for i in states]
            outs: list[Output | None] = [None] * self.steps
            order = range(self.steps) if d == 0 else range(self.steps - 1, -1, -1)
            for t in order:
                xw_t = ctx.make("Gather", xw, ctx.const(np.int64(t)), ctx.const(np.int64(0)),
                                batch_dims=0).output(0)
                new = step(di, di, xw_t, rb, state)
                m = self.mask(t)
                if m is not None:
                    zero = ctx.const_like(0, new[0])
                    outs[t] = ctx.make("Select", m, new[0], zero).output(0)
                    new = [ctx.make("Select", m, n, s).output(0) for n, s in zip(new, state)]
                else:
                    outs[t] = new[0]
                state = new
            ys.append(ctx.make("Concat", *[unsqueeze(ctx, o, [0]) for o in outs], axis=0)
                      if self.steps > 1 else unsqueeze(ctx, outs[0], [0]))
            for i, s in enumerate(state):
                finals[i].append(unsqueeze(ctx, s, [0]))
        # Y: [seq, num_dir, batch, H]
        y = unsqueeze(ctx, ys[0], [1]) if len(ys) == 1 else ctx.make(
            "Concat", *[unsqueeze(ctx, v, [1]) for v in ys], axis=1).output(0)
        results = [y]
        for f in finals:
            results.append(f[0] if len(f) == 1 else ctx.make("Concat", *f, axis=0).output(0))
        if self.layout:
            results[0] = ctx.make("Transpose", results[0],
                                  ctx.const(np.array([2, 0, 1, 3], np.int64))).output(0)
            results[1:] = [ctx.make("Transpose", r, ctx.const(np.array([1, 0, 2], np.int64)))
                           .output(0) for r in results[1:]]
        return results

    def recur(self, d: int, h: Output) -> Output:
        r = self.per_dir(2, d)
        return self.ctx.make("MatMul", h, r, transpose_a=False, transpose_b=True).output(0)


@onnx_op("RNN")
def rnn(ctx: NodeContext) -> Any:
    cell = _Cell(ctx, 1, ["tanh"])

    def step(di: int, d: int, xw_t: Output, rb: Output | None, state: list[Output]):
        g = ctx.make("Add", xw_t, cell.recur(d, state[0])).output(0)
        if rb is not None:
            g = ctx.make("Add", g, rb).output(0)
        return [cell.act(cell.acts[di][0], cell.clipped(g))]

    return cell.run(step, [5])


@onnx_op("GRU")
def gru(ctx: NodeContext) -> Any:
    cell = _Cell(ctx, 3, ["sigmoid", "tanh"])
    lbr = bool(ctx.attr("linear_before_reset", 0))

    def step(di: int, d: int, xw_t: Output, rb: Output | None, state: list[Output]):
        h = state[0]
        f, g = cell.acts[di]
        xz, xr, xh = cell.split_gates(xw_t)
        r_all = cell.per_dir(2, d)
        rz, rr, rh = ctx.make("Split", r_all, ctx.const(np.int64(0)), num_splits=3).outputs()
        rbz = rbr = rbh = None
        if rb is not None:
            rbz, rbr, rbh = cell.split_gates(rb)

        def lin(x_part: Output, w: Output, hh: Output, bias: Output | None) -> Output:
            y = ctx.make("Add", x_part, ctx.make("MatMul", hh, w, transpose_a=False,
                                                 transpose_b=True)).output(0)
            return y if bias is None else ctx.make("Add", y, bias).output(0)

        z = cell.act(f, cell.clipped(lin(xz, rz, h, rbz)))
        r = cell.act(f, cell.clipped(lin(xr, rr, h, rbr)))
        if lbr:
            hr = ctx.make("MatMul", h, rh, transpose_a=False, transpose_b=True).output(0)
            if rbh is not None:
                hr = ctx.make("Add", hr, rbh).output(0)
            pre = ctx.make("Add", xh, ctx.make("Multiply", r, hr)).output(0)
        else:
            pre = lin(xh, rh, ctx.make("Multiply", r, h).output(0), rbh)
        hc = cell.act(g, cell.clipped(pre))
        one = ctx.const_like(1, z)
        new_h = ctx.make("Add", ctx.make("Multiply", ctx.make("Subtract", one, z), hc),
                         ctx.make("Multiply", z, h)).output(0)
        return [new_h]

    return cell.run(step, [5])


@onnx_op("LSTM")
def lstm(ctx: NodeContext) -> Any:
    cell = _Cell(ctx, 4, ["sigmoid", "tanh", "tanh"])
    if ctx.attr("input_forget", 0):
        ctx.fail("input_forget=1 is not supported")

    def step(di: int, d: int, xw_t: Output, rb: Output | None, state: list[Output]):
        h, c = state
        f, g, hact = cell.acts[di]
        pre = ctx.make("Add", xw_t, cell.recur(d, h)).output(0)
        if rb is not None:
            pre = ctx.make("Add", pre, rb).output(0)
        gi, go, gf, gc = cell.split_gates(pre)
        p = cell.per_dir(7, d)
        if p is not None:
            pi, po, pf = ctx.make("Split", p, ctx.const(np.int64(0)), num_splits=3).outputs()
            gi = ctx.make("Add", gi, ctx.make("Multiply", pi, c)).output(0)
            gf = ctx.make("Add", gf, ctx.make("Multiply", pf, c)).output(0)
        i = cell.act(f, cell.clipped(gi))
        fg = cell.act(f, cell.clipped(gf))
        cc = cell.act(g, cell.clipped(gc))
        new_c = ctx.make("Add", ctx.make("Multiply", fg, c), ctx.make("Multiply", i, cc)).output(0)
        if p is not None:
            go = ctx.make("Add", go, ctx.make("Multiply", po, new_c)).output(0)
        o = cell.act(f, cell.clipped(go))
        new_h = ctx.make("Multiply", o, cell.act(hact, new_c)).output(0)
        return [new_h, new_c]

    outs = cell.run(step, [5, 6])
    return outs


