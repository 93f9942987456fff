"""The plan: steps placed in memory, checked, and packed into ``ov_step`` records.

``Plan.build`` takes the lowered steps and the memory plan, assigns buffer-table slots
(0: the arena, 1..n: the model inputs, then every constant array), resolves each operand
to (slot, byte offset), and validates every byte range a kernel can touch against the
size of its buffer; only then are the C records written. ``PlanRunner`` is the per-request
state: the arena, the buffer table and the Python callbacks.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np

from openvino import Type
from openvino.plugin.passes import Graph, MemoryPlan, Storage, Value

from .._native import Pool, ffi, lib
from .steps import Step, aligned, zeroed_buffer

__all__ = ["Plan", "PlanRunner", "Arena", "OutputSource", "PlanError", "PlanLayout"]


class PlanError(RuntimeError):
    """The compiler produced a step that would touch memory outside its buffers."""


@dataclass
class OutputSource:
    """Where an output's values are after a run: ``slot`` and byte ``offset`` in the
    buffer table, element type and shape."""

    slot: int
    offset: int
    type: Type
    shape: tuple[int, ...]
    dtype: np.dtype


@dataclass
class PlanLayout:
    """The memory side of a built plan, relative to storages: ``tops`` is the arena's
    storages (``(size, first step, last step, pinned)``, in the memory plan's order, laid
    out with the plan's ``align``); ``operands`` has, per step, one ``(where, index,
    base, off, lo, hi, limit)`` per operand: ``where`` 0 for a storage of the arena
    (``index`` into ``tops``), 1 for model input ``index``, 2 for the constant array of
    slot ``index``; ``base`` the value's byte offset in that storage (0 for an array),
    ``off`` the operand's byte offset from the value, ``lo`` / ``hi`` the bytes a kernel
    may touch from the value's start and ``limit`` the value's size; ``outputs`` one
    ``(where, index, offset)`` per model output."""

    align: int
    tops: list[tuple[int, int, int, bool]]
    operands: list[list[tuple[int, int, int, int, int, int, int]]]
    outputs: list[tuple[int, int, int]]


@dataclass
class StepInfo:
    """What profiling and the runtime model report for one step."""

    name: str
    type: str
    exec_type: str
    fused: list[str]
    op: Any = None
    fused_types: dict[str, str] | None = None  # a plan read from an export has no ops

    def fused_type(self, name: str) -> str:
        """The op type of fused node ``name``."""
        if self.op is None:
            return (self.fused_types or {}).get(name, "")
        return self.op.fused_types.get(name, "")


class Plan:
    """An executable plan for one set of input shapes."""

    def __init__(self) -> None:
        self.records: Any = None
        self.nsteps = 0
        self.arena_size = 0
        self.const_arrays: list[np.ndarray] = []  # slot = 1 + n_inputs + index
        self.n_inputs = 0
        self.input_shapes: list[tuple[int, ...]] = []
        self.input_types: list[Type] = []
        self.outputs: list[OutputSource] = []
        self.callbacks: list[Any] = []       # tag -> PyCall
        self.callback_operands: list[list[tuple[int, int, tuple[int, ...], np.dtype]]] = []
        self.info: list[StepInfo] = []
        self.graph: Graph | None = None
        self.nr = int(lib.ov_gemm_nr())
        #: where each operand and output lives, relative to its storage (``PlanLayout``;
        #: what ``plan_template`` needs to place the plan's values again for other sizes)
        self.layout: PlanLayout | None = None
        #: made by a ``PlanTemplate`` (for a dynamic model's size), not compiled
        self.from_template = False

    # --- construction ----------------------------------------------------------------------
    @classmethod
    def build(cls, graph: Graph, steps: list[Step], mem: MemoryPlan) -> Plan:
        plan = cls()
        plan.graph = graph
        plan.n_inputs = len(graph.inputs)
        plan.input_shapes = [v.shape for v in graph.inputs]
        plan.input_types = [v.type for v in graph.inputs]
        for i, st in enumerate(steps):
            for o in st.operands:
                if isinstance(o.ref, Value):
                    mem.use(o.ref, i)
        for v in graph.outputs:
            mem.pin(v)
        plan.arena_size = mem.layout(len(steps))
        slots: dict[int, int] = {}

        def slot_of_storage(s: Storage) -> int:
            if s.kind == "arena":
                return 0
            if s.kind == "param":
                return 1 + int(s.param)
            key = id(s)
            if key not in slots:
                slots[key] = 1 + plan.n_inputs + len(plan.const_arrays)
                plan.const_arrays.append(s.array)
            return slots[key]

        arrays: dict[int, int] = {}

        def slot_of_array(a: np.ndarray) -> int:
            key = id(a)
            if key not in arrays:
                arrays[key] = 1 + plan.n_inputs + len(plan.const_arrays)
                plan.const_arrays.append(a)
            return arrays[key]

        tops = [s for s in mem.storages if s.parent is None and s.kind == "arena"]
        top_index = {id(s): k for k, s in enumerate(tops)}
        where: list[list[tuple[int, int, int, int, int, int, int]]] = []

        def place(storage: Storage, base: int) -> tuple[int, int, int]:
            if storage.kind == "arena":
                return 0, top_index[id(storage)], base - storage.arena_offset
            if storage.kind == "param":
                return 1, int(storage.param), base
            return 2, slot_of_storage(storage), base

        records = ffi.new("ov_step[]", max(len(steps), 1))
        for i, st in enumerate(steps):
            resolved: list[tuple[int, int]] = []
            placed: list[tuple[int, int, int, int, int, int, int]] = []
            where.append(placed)
            for j, o in enumerate(st.operands):
                if isinstance(o.ref, Value):
                    storage, base = mem.resolve(o.ref)
                    size = _storage_size(storage, plan, mem)
                    limit = mem.size_of(o.ref)
                    _check(st, j, base, limit, size, "value placement")
                    if o.write and storage.kind != "arena":
                        raise PlanError(f"step {i} ({st.op.name if st.op else '?'}) would "
                                        f"write into a {storage.kind} buffer")
                    _check_range(st, j, o.off + o.lo, o.off + o.hi, limit)
                    resolved.append((slot_of_storage(storage), base + o.off))
                    placed.append((*place(storage, base), o.off, o.off + o.lo, o.off + o.hi,
                                   limit))
                else:
                    arr = o.ref
                    if o.write:
                        raise PlanError(f"step {i} would write into a constant array")
                    _check_range(st, j, o.off + o.lo, o.off + o.hi, arr.nbytes)
                    resolved.append((slot_of_array(arr), o.off))
                    placed.append((2, resolved[-1][0], 0, o.off, o.off + o.lo, o.off + o.hi,
                                   arr.nbytes))
            _fill(records[i], st, resolved, len(plan.callbacks))
            if st.kind == lib.OV_K_PY:
                plan.callbacks.append(st.callback)
                ops = []
                for (slot, off), o in zip(resolved, st.operands):
                    v = o.ref
                    ops.append((slot, off, v.shape, v.dtype))
                plan.callback_operands.append(ops)
            plan.info.append(StepInfo(st.op.name if st.op else "", st.op.type if st.op else "",
                                      st.exec_type, list(st.op.fused) if st.op else [], st.op))
        plan.records = records
        plan.nsteps = len(steps)
        out_places = []
        for v in graph.outputs:
            if v.is_const and not mem.has(v):
                mem.place_const(v, aligned(np.ascontiguousarray(v.const)))
            storage, base = mem.resolve(v)
            slot = slot_of_storage(storage)
            plan.outputs.append(OutputSource(slot, base, v.type, v.shape, v.dtype))
            out_places.append(place(storage, base))
        plan.layout = PlanLayout(mem.align, [(s.size, s.first, s.last, s.pinned) for s in tops],
                                 where, out_places)
        return plan

    # --- introspection -------------------------------------------------------------------------
    def kernel_counts(self) -> dict[str, int]:
        """Steps per exec type."""
        out: dict[str, int] = {}
        for info in self.info:
            out[info.exec_type] = out.get(info.exec_type, 0) + 1
        return out


def _storage_size(storage: Storage, plan: Plan, mem: MemoryPlan) -> int:
    if storage.kind == "arena":
        return mem.arena_size
    if storage.kind == "param":
        v_shape = plan.input_shapes[storage.param]
        dt = plan.input_types[storage.param].evaluation_dtype
        return int(np.prod(v_shape, dtype=np.int64)) * dt.itemsize
    return storage.array.nbytes


def _check(step: Step, j: int, base: int, nbytes: int, size: int, what: str) -> None:
    if base < 0 or base + nbytes > size:
        raise PlanError(f"{what}: operand {j} of step {_name(step)} spans "
                        f"[{base}, {base + nbytes}) of a buffer of {size} bytes")


def _check_range(step: Step, j: int, lo: int, hi: int, size: int) -> None:
    if hi <= lo:
        return
    if lo < 0 or hi > size:
        raise PlanError(f"operand {j} of step {_name(step)} would touch bytes [{lo}, {hi}) "
                        f"of a value of {size} bytes")


def _name(step: Step) -> str:
    return f"'{step.op.name}' ({step.op.type})" if step.op is not None else "?"


def _fill(rec: Any, st: Step, resolved: list[tuple[int, int]], tag: int) -> None:
    # a Python step (OV_K_PY) finds its operands through its callback, not the record
    if st.kind != lib.OV_K_PY and len(resolved) > lib.OV_MAX_BUFS:
        raise PlanError(f"step {_name(st)} has {len(resolved)} operands")
    if len(st.p) > lib.OV_MAX_PARAMS or len(st.f) > lib.OV_MAX_FLOATS:
        raise PlanError(f"step {_name(st)} has too many parameters")
    if len(st.posts) > lib.OV_MAX_POST:
        raise PlanError(f"step {_name(st)} has {len(st.posts)} post ops")
    rec.kind = st.kind
    rec.nbuf = len(resolved) if st.kind != lib.OV_K_PY else 0
    rec.npost = len(st.posts)
    rec.tag = tag if st.kind == lib.OV_K_PY else 0
    for i, (slot, off) in enumerate(resolved if st.kind != lib.OV_K_PY else []):
        rec.buf[i] = slot
        rec.off[i] = off
    for i, v in enumerate(st.p):
        rec.p[i] = int(v)
    for i, v in enumerate(st.f):
        rec.f[i] = float(v)
    for i, po in enumerate(st.posts):
        if po.buf >= len(resolved):
            raise PlanError(f"post op {i} of step {_name(st)} has no operand")
        r = rec.post[i]
        r.kind = po.kind
        r.op = po.op
        r.buf = po.buf
        r.swap = 1 if po.swap else 0
        r.ld_m = po.ld_m
        r.ld_n = po.ld_n
        r.bstride = po.bstride
        r.alpha = po.alpha
        r.beta = po.beta


class Arena:
    """The working memory of one infer request, shared by every plan it runs (one run at
    a time): a dynamic model's plans for other shapes take the same buffer, grown to the
    largest arena any of them needs, instead of an arena each."""

    def __init__(self) -> None:
        self.buffer: np.ndarray | None = None

    def reserve(self, nbytes: int) -> np.ndarray:
        """The buffer, at least ``nbytes`` long (a new, larger one when it was shorter)."""
        nbytes = max(int(nbytes), 64)
        if self.buffer is None or self.buffer.nbytes < nbytes:
            self.buffer = None  # the old one goes before the new one is made
            self.buffer = zeroed_buffer(nbytes)
        return self.buffer


class PlanRunner:
    """Runs one plan for one infer request: the buffer table, and the arena (its own, or
    the request's ``Arena`` shared with its other plans)."""

    def __init__(self, plan: Plan, pool: Pool | None, arena: Arena | None = None) -> None:
        self.plan = plan
        self.pool = pool
        self._shared = arena
        nslots = 1 + plan.n_inputs + len(plan.const_arrays)
        self.table = ffi.new("void*[]", nslots)
        self.slot_bytes: list[np.ndarray | None] = [None] * nslots
        self._keep: list[Any] = []
        for i, arr in enumerate(plan.const_arrays):
            raw = arr.reshape(-1).view(np.uint8) if arr.size else np.zeros(1, np.uint8)
            ptr = ffi.from_buffer(raw)
            self._keep.append(ptr)
            self.table[1 + plan.n_inputs + i] = ptr
            self.slot_bytes[1 + plan.n_inputs + i] = raw
        self.state: dict[str, np.ndarray] = {}
        self.error: BaseException | None = None
        self.handle = ffi.new_handle(self)
        self.times = ffi.new("double[]", max(plan.nsteps, 1))
        self.last_times: list[float] | None = None
        self._has_python = bool(plan.callbacks)
        self.arena: np.ndarray | None = None
        self._out_views: list[np.ndarray | None] = []
        self._bind_arena(arena.reserve(plan.arena_size) if arena is not None
                         else zeroed_buffer(max(plan.arena_size, 64)))

    def _bind_arena(self, buffer: np.ndarray) -> None:
        """Point the plan at ``buffer``: slot 0 of the table, and the outputs that live in
        the arena (the same views on every run)."""
        self.arena = buffer
        self._arena_ptr = ffi.from_buffer(buffer)
        self.table[0] = self._arena_ptr
        self.slot_bytes[0] = buffer
        self._out_views = []
        for src in self.plan.outputs:
            if src.slot == 0:
                n = int(np.prod(src.shape, dtype=np.int64)) * src.dtype.itemsize
                self._out_views.append(
                    buffer[src.offset:src.offset + n].view(src.dtype).reshape(src.shape))
            else:
                self._out_views.append(None)

    def run(self, inputs: list[np.ndarray], profile: bool = False,
            pool: Pool | None = None) -> list[np.ndarray]:
        """Run on evaluation-form input arrays (C-contiguous, shapes of the plan) on
        ``pool``'s threads (default: the runner's own); returns evaluation-form output
        arrays (views of the arena where they live there)."""
        plan = self.plan
        if self._shared is not None:  # another plan of the request may have grown it
            buffer = self._shared.reserve(plan.arena_size)
            if buffer is not self.arena:
                self._bind_arena(buffer)
        table = self.table
        held = [ffi.from_buffer(arr) for arr in inputs]
        for i, ptr in enumerate(held):
            table[1 + i] = ptr
        if self._has_python:
            for i, arr in enumerate(inputs):
                self.slot_bytes[1 + i] = arr.reshape(-1).view(np.uint8)
        self.error = None
        pool = pool if pool is not None else self.pool
        if pool is None:
            raise RuntimeError("PlanRunner.run needs a thread pool: the runner has none")
        rc = lib.ov_run(plan.records, plan.nsteps, self.table, pool.handle,
                        self.times if profile else ffi.NULL, self.handle)
        del held
        if rc != 0:
            index = -rc - 1
            info = plan.info[index] if 0 <= index < len(plan.info) else None
            err = self.error
            self.error = None
            if err is not None:
                raise err
            where = f"'{info.name}' ({info.type})" if info else f"step {index}"
            raise RuntimeError(f"CPU plan failed at {where}: "
                               f"{ffi.string(lib.ov_last_error()).decode()}")
        if profile:
            self.last_times = [self.times[i] for i in range(plan.nsteps)]
        outs = []
        for src, view in zip(plan.outputs, self._out_views):
            if view is None:
                raw = self.slot_bytes[src.slot]
                if raw is None:  # an input slot when no step runs in Python
                    raw = inputs[src.slot - 1].reshape(-1).view(np.uint8)
                n = int(np.prod(src.shape, dtype=np.int64)) * src.dtype.itemsize
                view = raw[src.offset:src.offset + n].view(src.dtype).reshape(src.shape)
            outs.append(view)
        return outs

    def run_python_step(self, tag: int, bufs: Any) -> int:
        """OV_K_PY callback (from C, with the GIL): run callback ``tag``."""
        try:
            arrays = []
            for slot, off, shape, dtype in self.plan.callback_operands[tag]:
                raw = self.slot_bytes[slot]
                n = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
                arrays.append(raw[off:off + n].view(dtype).reshape(shape))
            self.plan.callbacks[tag](arrays, self.state)
            return 0
        except BaseException as exc:  # reported to the caller of run()
            self.error = exc
            return 1

    def profile(self) -> list[tuple[StepInfo, datetime.timedelta]]:
        """(step, time) of the last profiled run."""
        if self.last_times is None:
            return []
        return [(info, datetime.timedelta(seconds=t))
                for info, t in zip(self.plan.info, self.last_times)]
