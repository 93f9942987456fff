"""Mappings of ONNX control flow whose structure is known when the model is read: ``If``
with a condition computable from constants (the taken branch is inlined) and ``Scan`` over
sequences of static length (the body is unrolled once per step)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Output
from .context import NodeContext, unsqueeze
from .registry import onnx_op


@onnx_op("If")
def if_(ctx: NodeContext) -> Any:
    cond = ctx.value(0)
    if cond is None:
        ctx.fail("If with a condition computed at run time is not supported")
    branch = ctx.attr("then_branch") if bool(np.asarray(cond).reshape(-1)[0]) \
        else ctx.attr("else_branch")
    return ctx.builder.map_subgraph(branch, ctx.env, ctx.opsets, {})


def _norm_axis(ctx: NodeContext, axis: int, rank: int | None) -> int:
    if axis >= 0:
        return axis
    if rank is None:
        ctx.fail("negative scan axes need inputs of known rank")
    return axis + rank  # type: ignore[operator]


@onnx_op("Scan", since=9)
def scan(ctx: NodeContext) -> Any:
    body = ctx.attr("body")
    m = int(ctx.attr("num_scan_inputs"))
    inputs = [ctx.input(i) for i in range(ctx.num_inputs)]
    n = len(inputs) - m
    states, seqs = inputs[:n], inputs[n:]
    in_axes = list(ctx.attr("scan_input_axes", [0] * m))
    in_dirs = list(ctx.attr("scan_input_directions", [0] * m))
    k = len(body.output) - n
    out_axes = list(ctx.attr("scan_output_axes", [0] * k))
    out_dirs = list(ctx.attr("scan_output_directions", [0] * k))
    lengths = set()
    for j, s in enumerate(seqs):
        in_axes[j] = _norm_axis(ctx, in_axes[j], ctx.rank(s))
        ps = s.get_partial_shape()
        if ps.rank.is_dynamic or ps[in_axes[j]].is_dynamic:
            ctx.fail("Scan needs a static sequence length")
        lengths.add(ps[in_axes[j]].get_length())
    if len(lengths) != 1:
        ctx.fail(f"scan inputs have different sequence lengths {sorted(lengths)}")
    steps = lengths.pop()
    if steps == 0:
        ctx.fail("Scan over an empty sequence is not supported")
    names = [vi.name for vi in body.input]
    collected: list[list[Output]] = [[] for _ in range(k)]
    for t in range(steps):
        bindings = {names[i]: states[i] for i in range(n)}
        for j, s in enumerate(seqs):
            idx = t if in_dirs[j] == 0 else steps - 1 - t
            bindings[names[n + j]] = ctx.make("Gather", s, ctx.const(np.int64(idx)),
                                              ctx.const(np.int64(in_axes[j])),
                                              batch_dims=0).output(0)
        outs = ctx.builder.map_subgraph(body, ctx.env, ctx.opsets, bindings)
        states = outs[:n]
        for j in range(k):
            collected[j].append(outs[n + j])
    results: list[Output] = list(states)
    for j in range(k):
        items = collected[j] if out_dirs[j] == 0 else collected[j][::-1]
        r = ctx.rank(items[0])
        axis = _norm_axis(ctx, out_axes[j], None if r is None else r + 1)
        parts = [unsqueeze(ctx, it, [axis]) for it in items]
        results.append(parts[0] if len(parts) == 1
                       else ctx.make("Concat", *parts, axis=axis).output(0))
    return results
