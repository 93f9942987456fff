"""Mappings of ONNX control flow: ``If`` (inlined when its condition is computable from
constants, else our If with both branches as bodies), ``Loop`` (our Loop: the iteration
number and the condition are special body ports, loop-carried values merged inputs, scan
outputs concatenated) and ``Scan`` over sequences of static length (the body is unrolled
once per step). Values a body reads from an enclosing scope become body inputs."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Output
from .._shape import PartialShape
from .._type import Type
from .context import NodeContext, squeeze, unsqueeze
from .registry import onnx_op


@onnx_op("If")
def if_(ctx: NodeContext) -> Any:
    cond = ctx.value(0)
    if cond is not None:
        branch = ctx.attr("then_branch") if bool(np.asarray(cond).reshape(-1)[0]) \
            else ctx.attr("else_branch")
        return ctx.builder.map_subgraph(branch, ctx.env, ctx.opsets, {})
    from .._ops.if_op import If

    then_body, then_caps = ctx.builder.build_body(ctx.attr("then_branch"), ctx.env, ctx.opsets)
    else_body, else_caps = ctx.builder.build_body(ctx.attr("else_branch"), ctx.env, ctx.opsets)
    n_then, n_else = len(then_body.get_results()), len(else_body.get_results())
    if n_then != n_else:
        ctx.fail(f"the then branch has {n_then} outputs, the else branch {n_else}")
    node = If(ctx.input(0), name=ctx.name)
    node.set_then_body(then_body)
    node.set_else_body(else_body)
    # each outer value once, to whichever branches read it
    inputs: list[list[Any]] = []
    for caps, slot in ((then_caps, 1), (else_caps, 2)):
        for value, param in caps:
            for entry in inputs:
                if entry[0].get_node() is value.get_node() and \
                        entry[0].get_index() == value.get_index():
                    entry[slot] = param
                    break
            else:
                entry = [value, None, None]
                entry[slot] = param
                inputs.append(entry)
    for value, t, e in inputs:
        node.set_input(value, t, e)
    return [node.set_output(t, e) for t, e in zip(then_body.get_results(),
                                                  else_body.get_results())]


@onnx_op("Loop")
def loop(ctx: NodeContext) -> Any:
    from .._ops.loop import Loop

    graph = ctx.attr("body")
    body, captured = ctx.builder.build_body(graph, ctx.env, ctx.opsets)
    params, results = body.get_parameters(), body.get_results()
    carried = ctx.num_inputs - 2
    n_declared = len(graph.input)
    if n_declared != carried + 2:
        ctx.fail(f"the body takes {n_declared} inputs, the Loop gives it {carried + 2} "
                 "(iteration number, condition and each loop-carried value)")
    if len(results) < carried + 1:
        ctx.fail(f"the body gives {len(results)} outputs, the Loop needs at least "
                 f"{carried + 1} (condition and each loop-carried value)")
    cond_et = results[0].get_input_element_type(0)
    if not (cond_et.is_dynamic() or cond_et == Type.boolean):
        ctx.fail(f"the body's condition output is {cond_et.get_type_name()}, not bool")
    trip = ctx.opt(0)
    if trip is None:
        trip = ctx.const(np.int64(-1))
    cond = ctx.opt(1)
    if cond is None:
        cond = ctx.const(np.array(True))
    # the iteration number and condition inputs: ONNX lets their types be inferred
    it_param, cond_param = params[0], params[1]
    if it_param.get_element_type().is_dynamic():
        it_param.set_element_type(Type.i64)
        it_param.set_partial_shape(PartialShape([]))
    node = Loop(trip, cond, name=ctx.name)
    node.set_function(body)
    node.set_special_body_ports([0, 0])
    node.set_merged_input(cond_param, cond, results[0])
    for k in range(carried):
        node.set_merged_input(params[2 + k], ctx.input(2 + k), results[1 + k])
    for value, param in captured:
        node.set_invariant_input(param, value)
    outs = [node.get_iter_value(results[1 + k], -1) for k in range(carried)]
    # scan outputs: each iteration's value stacked along a new first axis
    for r in results[1 + carried:]:
        src = r.input_value(0)
        body.add_results([unsqueeze(ctx, src, [0])])
        outs.append(node.get_concatenated_slices(body.get_results()[-1], 0, 1, 1, -1, 0))
    return outs


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
    k = len(body.output) - n
    return _unrolled_scan(ctx, body, inputs[:n], inputs[n:],
                          list(ctx.attr("scan_input_axes", [0] * m)),
                          list(ctx.attr("scan_input_directions", [0] * m)),
                          list(ctx.attr("scan_output_axes", [0] * k)),
                          list(ctx.attr("scan_output_directions", [0] * k)))


@onnx_op("Scan", since=8)
def scan_8(ctx: NodeContext) -> Any:
    """Scan-8: every input and output has a batch axis first, the sequence axis second;
    each batch item is scanned on its own (``sequence_lens``, when given, must be the full
    length)."""
    body = ctx.attr("body")
    m = int(ctx.attr("num_scan_inputs"))
    inputs = [ctx.input(i) for i in range(1, ctx.num_inputs)]
    n = len(inputs) - m
    k = len(body.output) - n
    dirs = list(ctx.attr("directions", [0] * m))
    batch = ctx.static_shape(inputs[0]) if inputs else None
    if not batch:
        ctx.fail("Scan-8 needs a static batch size")
    if ctx.has_input(0):
        lens = ctx.value(0)
        seq_len = ctx.static_shape(inputs[n])
        if lens is None or seq_len is None or len(seq_len) < 2 or \
                np.any(np.asarray(lens) != seq_len[1]):
            ctx.fail("Scan-8 with sequence_lens shorter than the sequences is not supported")
    per_item: list[list[Output]] = []
    for b in range(batch[0]):
        pick = [ctx.make("Gather", x, ctx.const(np.int64(b)), ctx.const(np.int64(0)),
                         batch_dims=0).output(0) for x in inputs]
        per_item.append(_unrolled_scan(ctx, body, pick[:n], pick[n:], [0] * m, dirs,
                                       [0] * k, [0] * k))
    outs = []
    for j in range(n + k):
        parts = [unsqueeze(ctx, item[j], [0]) for item in per_item]
        outs.append(parts[0] if len(parts) == 1
                    else ctx.make("Concat", *parts, axis=0).output(0))
    return outs


#: Scans over static sequences up to this long are unrolled; longer or dynamic ones become
#: a TensorIterator
UNROLL_LIMIT = 16


def _unrolled_scan(ctx: NodeContext, body: Any, states: list[Output], seqs: list[Output],
                   in_axes: list[int], in_dirs: list[int], out_axes: list[int],
                   out_dirs: list[int]) -> list[Output]:
    """The Scan body mapped once per step of short sequences of static length, else a
    TensorIterator over it."""
    n, k = len(states), len(out_axes)
    lengths = set()
    for j, s in enumerate(seqs):
        in_axes[j] = _norm_axis(ctx, in_axes[j], ctx.rank(s))
        ps = s.get_partial_shape()
        if ps.rank.is_dynamic:
            ctx.fail("Scan needs scan inputs of known rank")
        lengths.add(ps[in_axes[j]].get_length() if ps[in_axes[j]].is_static else None)
    known = {n for n in lengths if n is not None}
    if len(known) > 1:
        ctx.fail(f"scan inputs have different sequence lengths {sorted(known)}")
    steps = known.pop() if known and None not in lengths else None
    if steps is None or steps == 0 or steps > UNROLL_LIMIT:
        return _scan_as_tensor_iterator(ctx, body, states, seqs, in_axes, in_dirs, out_axes,
                                        out_dirs)
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


def _scan_as_tensor_iterator(ctx: NodeContext, graph: Any, states: list[Output],
                             seqs: list[Output], in_axes: list[int], in_dirs: list[int],
                             out_axes: list[int], out_dirs: list[int]) -> list[Output]:
    """Scan as OpenVINO reads it: a TensorIterator whose body takes each scan input's slice
    (squeezed, as the ONNX body expects), carries the states as merged inputs and stacks
    the scan outputs."""
    from .._model import Model
    from .._ops.loop import TensorIterator
    from .._shape import Dimension
    from ..op import Parameter, Result

    body, captured = ctx.builder.build_body(graph, ctx.env, ctx.opsets)
    params = body.get_parameters()
    results = body.get_results()
    n, k = len(states), len(out_axes)
    if len(results) != n + k:
        ctx.fail(f"the body gives {len(results)} outputs, the Scan {n + k}")
    new_params = list(params)
    for j, s in enumerate(seqs):
        dims = list(s.get_partial_shape())
        dims[in_axes[j]] = Dimension(1)
        full = Parameter(s.get_element_type(), PartialShape(dims))
        params[n + j].output(0).replace(squeeze(ctx, full.output(0), [in_axes[j]]))
        new_params[n + j] = full
    stacked = []
    axes = []
    for j in range(k):
        src = results[n + j].input_value(0)
        r = ctx.rank(src)
        axes.append(_norm_axis(ctx, out_axes[j], None if r is None else r + 1))
        stacked.append(Result(unsqueeze(ctx, src, [axes[j]])))
    new_body = Model([*results[:n], *stacked], new_params, graph.name or "body")
    body_results = new_body.get_results()
    node = TensorIterator(name=ctx.name)
    node.set_body(new_body)
    for i in range(n):
        node.set_merged_input(new_params[i], states[i], body_results[i])
    for j, s in enumerate(seqs):
        start, stride, end = (0, 1, -1) if in_dirs[j] == 0 else (-1, -1, 0)
        node.set_sliced_input(new_params[n + j], s, start, stride, 1, end, in_axes[j])
    for value, param in captured:
        node.set_invariant_input(param, value)
    outs = [node.get_iter_value(body_results[i], -1) for i in range(n)]
    for j in range(k):
        start, stride, end = (0, 1, -1) if out_dirs[j] == 0 else (-1, -1, 0)
        outs.append(node.get_concatenated_slices(body_results[n + j], start, stride, 1, end,
                                                 axes[j]))
    return outs
