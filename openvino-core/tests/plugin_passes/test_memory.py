"""openvino.plugin.passes.memory: lifetime-based arena layout (storages alive at the same
step never overlap, dead ones share bytes), views, scratch buffers and alignment."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino.plugin.passes import ALIGN, Graph, MemoryPlan, Value, plan_arena


def _chain_model(n: int = 6) -> ov.Model:
    x = ops.parameter([256], np.float32)
    y = x
    for _ in range(n):
        y = ops.relu(y)
    return ov.Model([y], [x])


def _interval(mem: MemoryPlan, v: Value) -> tuple[int, int]:
    storage, off = mem.resolve(v)
    return off, off + mem.size_of(v)


def _check_no_overlap(graph: Graph, mem: MemoryPlan) -> None:
    """Every two arena values alive at one op occupy disjoint bytes."""
    live: dict[int, tuple[int, int]] = {}
    producers = {}
    last_use: dict[int, int] = {}
    values = {}
    for i, op in enumerate(graph.ops):
        for v in op.outputs:
            producers[v.id] = i
            values[v.id] = v
        for v in op.inputs:
            last_use[v.id] = i
    for v in graph.outputs:
        last_use[v.id] = len(graph.ops)
    for vid, first in producers.items():
        live[vid] = (first, last_use.get(vid, first))
    ids = list(live)
    for a in ids:
        for b in ids:
            if a >= b:
                continue
            la, lb = live[a], live[b]
            if la[1] < lb[0] or lb[1] < la[0]:
                continue
            ia, ib = _interval(mem, values[a]), _interval(mem, values[b])
            assert ia[1] <= ib[0] or ib[1] <= ia[0], (values[a], values[b], ia, ib)


def test_a_chain_reuses_two_buffers() -> None:
    g = Graph.from_model(_chain_model(6))
    mem = plan_arena(g)
    assert mem.arena_size == 2 * 1024  # ping-pong: each value lives from its op to the next
    _check_no_overlap(g, mem)
    storage, off = mem.resolve(g.inputs[0])
    assert (storage.kind, storage.param, off) == ("param", 0, 0)
    for op in g.ops:
        storage, off = mem.resolve(op.outputs[0])
        assert storage.kind == "arena" and off % ALIGN == 0


def test_branches_and_outputs_keep_their_bytes_while_alive() -> None:
    x = ops.parameter([100], np.float32)
    a = ops.relu(x)
    b = ops.exp(x)
    c = ops.add(a, ops.constant(np.ones(100, np.float32)))
    d = ops.multiply(c, b)           # b is alive from its op to here
    e = ops.tanh(d)
    f = ops.sigmoid(e)
    g = Graph.from_model(ov.Model([a, f], [x]))   # a is a model output: lives to the end
    mem = plan_arena(g, align=128)
    _check_no_overlap(g, mem)
    const = next(op for op in g.ops if op.type == "Add").inputs[1]
    storage, _ = mem.resolve(const)
    assert storage.kind == "const"
    np.testing.assert_array_equal(storage.array, np.ones(100, np.float32))
    for op in g.ops:
        assert mem.resolve(op.outputs[0])[1] % 128 == 0
    a_off = _interval(mem, g.outputs[0])
    for op in g.ops[1:]:
        o = _interval(mem, op.outputs[0])
        if op.outputs[0] is not g.outputs[0]:
            assert o[1] <= a_off[0] or a_off[1] <= o[0]


def test_a_device_sizes_values_its_own_way() -> None:
    g = Graph.from_model(_chain_model(3))
    mem = plan_arena(g, align=64, nbytes=lambda v: v.size * 2)   # f16 storage
    assert mem.arena_size == 2 * 512
    assert mem.size_of(g.outputs[0]) == 512


def test_views_scratch_and_nesting() -> None:
    g = Graph()
    a = g.new_value(ov.Type.f32, (4, 8))
    b = g.new_value(ov.Type.f32, (32,))
    half = g.new_value(ov.Type.f32, (16,))
    mem = MemoryPlan(64)
    mem.place(a)
    mem.view(b, a, 0)
    mem.view(half, a, 64)
    with pytest.raises(RuntimeError, match="view of 128 bytes at 64 is outside a value of "
                                           "128 bytes"):
        mem.view(g.new_value(ov.Type.f32, (32,)), a, 64)
    sc = mem.scratch(1000)
    other = g.new_value(ov.Type.f32, (8,))
    mem.place(other)
    outer = g.new_value(ov.Type.f32, (16,))
    mem.place(outer)
    assert mem.nest(other, outer, 32)
    assert not mem.nest(other, outer, 40)   # already nested: its storage is outer's now
    for v in (a, b, half, outer, other):
        mem.use(v, 0)
    mem.use(sc, 1)
    mem.layout(2)
    assert mem.resolve(b) == mem.resolve(a)
    assert mem.resolve(half)[1] == mem.resolve(a)[1] + 64
    assert mem.resolve(other)[1] == mem.resolve(outer)[1] + 32
    # the scratch buffer is alive only at step 1: it may share bytes with the rest
    assert mem.arena_size == 1024
    assert mem.resolve(sc)[0].kind == "arena"


@pytest.mark.parametrize("align,error", [(0, ValueError), (48, ValueError), (2.0, TypeError)])
def test_alignment_must_be_a_power_of_two(align: object, error: type) -> None:
    with pytest.raises(error, match="alignment"):
        MemoryPlan(align)  # type: ignore[arg-type]


def test_a_fused_operand_stays_alive_until_the_op_that_reads_it() -> None:
    from openvino.plugin.passes import fuse_post_ops

    x = ops.parameter([64], np.float32)
    residual = ops.relu(x)
    long_chain = ops.tanh(ops.exp(ops.negative(ops.sigmoid(x))))
    y = ops.add(long_chain, residual)    # fused into the chain: residual read at its end
    g = Graph.from_model(ov.Model([y], [x]))
    fuse_post_ops(g)
    fused = g.ops[-1]
    assert fused.post_ops[-1].operand is not None
    res_value = fused.post_ops[-1].operand
    mem = plan_arena(g)
    res = _interval(mem, res_value)
    for op in g.ops:
        if op.outputs[0] is not res_value:
            o = _interval(mem, op.outputs[0])
            assert o[1] <= res[0] or res[1] <= o[0], (op, o, res)


def test_a_value_no_step_touches_takes_no_bytes_unless_it_is_an_output() -> None:
    g = Graph()
    used = g.new_value(ov.Type.f32, (64,))       # 256 bytes, steps 0-1
    idle = g.new_value(ov.Type.f32, (512,))      # 2048 bytes, written straight elsewhere
    out = g.new_value(ov.Type.f32, (16,))        # a model output nothing writes
    mem = MemoryPlan(64)
    for v in (used, idle, out):
        mem.place(v)
    mem.use(used, 0)
    mem.use(used, 1)
    mem.pin(out)
    mem.layout(2)
    # the idle value overlaps nothing that lives: the arena is what the others need, at
    # least its own size (it still resolves, to offset 0)
    assert mem.arena_size == 2048
    assert mem.resolve(idle)[1] == 0
    ui, oi = _interval(mem, used), _interval(mem, out)
    assert ui[1] <= oi[0] or oi[1] <= ui[0]  # the output lives through the plan, apart
    small = MemoryPlan(64)
    a, b = g.new_value(ov.Type.f32, (64,)), g.new_value(ov.Type.f32, (512,))
    small.place(a)
    small.place(b)
    small.use(a, 0)
    big_idle_first = small.layout(1)
    assert big_idle_first == 2048 and small.resolve(a)[1] == 0
