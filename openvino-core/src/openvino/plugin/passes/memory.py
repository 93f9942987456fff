"""The memory plan: where every value of a plan lives.

Values are grouped into storages: a view (Reshape, a contiguous slice, an input of an
in-place Concat ...) lives inside the storage of another value at a byte offset. Storages
are the model inputs (the caller's memory), constants (their arrays) and the arena: one
block per infer request in which storages whose lifetimes do not overlap share bytes.

A device builds a ``MemoryPlan`` while it lowers ops to its steps (``place_param``,
``place_const``, ``place``, ``view``, ``nest``), records which step reads or writes each
value (``use``) and pins the model outputs (``pin``); ``layout`` then gives every arena
storage an offset (storages alive at the same step never overlap, each offset a multiple
of ``align``) and ``resolve`` says where a value is. ``plan_arena`` does all of it for a
device whose steps are the graph's ops, one each, with no views.

Values are told apart by ``value.id`` and sized by ``nbytes(value)`` (default
``value.nbytes``, the evaluation form's size; a device that stores values otherwise, f16
for f32 say, passes its own). ``scratch(nbytes)`` adds a work buffer of a step.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from .graph import Graph, Value

__all__ = ["Storage", "MemoryPlan", "Scratch", "ALIGN", "plan_arena"]

#: Default alignment (bytes) of arena offsets and sizes.
ALIGN = 64


class Storage:
    """Bytes holding one or more values: ``kind`` is ``"arena"``, ``"param"`` or
    ``"const"``. A storage placed inside another has ``parent`` and ``offset``."""

    __slots__ = ("kind", "size", "param", "array", "parent", "offset", "first", "last",
                 "arena_offset", "pinned")

    def __init__(self, kind: str, size: int, param: int | None = None,
                 array: np.ndarray | None = None) -> None:
        self.kind = kind
        self.size = int(size)
        self.param = param
        self.array = array
        self.parent: Storage | None = None
        self.offset = 0
        self.first = 1 << 60
        self.last = -1
        self.arena_offset = -1
        self.pinned = False  # holds a model output: lives to the end

    def top(self) -> tuple[Storage, int]:
        """The outermost storage and this one's offset in it."""
        s, off = self, 0
        while s.parent is not None:
            off += s.offset
            s = s.parent
        return s, off


class Scratch:
    """A work buffer of ``nbytes`` in the arena (``MemoryPlan.scratch``); ``use`` it at
    the steps that need it and ``resolve`` it like a value."""

    __slots__ = ("id", "nbytes")

    def __init__(self, sid: int, nbytes: int) -> None:
        self.id = sid
        self.nbytes = int(nbytes)

    def __repr__(self) -> str:
        return f"<Scratch {self.id} {self.nbytes} bytes>"


class MemoryPlan:
    """Value -> (storage, offset) with views, merges and the arena layout; arena offsets
    and sizes are rounded up to ``align`` bytes (a power of two); ``nbytes(value)``: the
    bytes a value takes (default ``value.nbytes``)."""

    def __init__(self, align: int = ALIGN,
                 nbytes: Callable[[Value], int] | None = None) -> None:
        try:
            align = operator.index(align)
        except TypeError:
            raise TypeError(f"the arena alignment must be an integer, not "
                            f"{type(align).__name__}") from None
        if align <= 0 or align & (align - 1):
            raise ValueError(f"the arena alignment must be a power of two, not {align}")
        self.align = align
        self._nbytes = nbytes
        self._next_scratch = -1
        self._loc: dict[int, tuple[Storage, int]] = {}
        self.storages: list[Storage] = []
        self.arena_size = 0

    def size_of(self, value: Any) -> int:
        """Bytes ``value`` takes."""
        if self._nbytes is None or isinstance(value, Scratch):
            return int(value.nbytes)
        return int(self._nbytes(value))

    # --- building ---------------------------------------------------------------------------
    def place_param(self, value: Value, index: int) -> None:
        """``value`` is model input ``index`` (the caller's memory)."""
        s = Storage("param", self.size_of(value), param=index)
        self.storages.append(s)
        self._loc[value.id] = (s, 0)

    def place_const(self, value: Value, array: np.ndarray) -> None:
        """``value`` is the constant ``array`` (as the device keeps it)."""
        s = Storage("const", array.nbytes, array=array)
        self.storages.append(s)
        self._loc[value.id] = (s, 0)

    def place(self, value: Value | Scratch) -> None:
        """Give ``value`` an arena storage of its own (if it has none yet)."""
        if value.id in self._loc:
            return
        s = Storage("arena", self.size_of(value))
        self.storages.append(s)
        self._loc[value.id] = (s, 0)

    def scratch(self, nbytes: int) -> Scratch:
        """A new work buffer of ``nbytes`` with an arena storage of its own."""
        if nbytes < 0:
            raise ValueError(f"a scratch buffer cannot have {nbytes} bytes")
        sc = Scratch(self._next_scratch, nbytes)
        self._next_scratch -= 1
        self.place(sc)
        return sc

    def view(self, value: Value, base: Value, offset: int) -> None:
        """``value`` is ``base``'s bytes from ``offset`` on (no copy)."""
        size, base_size = self.size_of(value), self.size_of(base)
        if offset < 0 or offset + size > base_size:
            raise RuntimeError(f"view of {size} bytes at {offset} is outside a value "
                               f"of {base_size} bytes")
        s, off = self.location(base)
        self._loc[value.id] = (s, off + offset)

    def has(self, value: Value) -> bool:
        return value.id in self._loc

    def location(self, value: Value) -> tuple[Storage, int]:
        """(outermost storage, byte offset) of ``value``."""
        s, off = self._loc[value.id]
        top, extra = s.top()
        return top, off + extra

    def nest(self, inner: Value, outer: Value, offset: int) -> bool:
        """Place ``inner``'s whole storage inside ``outer``'s at ``offset`` (in-place
        concat). Returns False when that is not possible."""
        s_in, off_in = self.location(inner)
        s_out, off_out = self.location(outer)
        if s_in is s_out or s_in.kind != "arena" or s_out.kind != "arena":
            return False
        if off_in != 0 or s_in.size != self.size_of(inner):
            return False
        if offset < 0 or offset + self.size_of(inner) > self.size_of(outer):
            return False
        s_in.parent = s_out
        s_in.offset = off_out + offset
        return True

    # --- lifetimes and layout ------------------------------------------------------------------
    def use(self, value: Value, step: int) -> None:
        """``value`` is read or written by step ``step``."""
        s, _ = self.location(value)
        s.first = min(s.first, step)
        s.last = max(s.last, step)

    def pin(self, value: Value) -> None:
        s, _ = self.location(value)
        s.pinned = True

    def layout(self, nsteps: int) -> int:
        """Assign arena offsets (storages alive at the same time never overlap); returns
        the arena size in bytes."""
        tops = [s for s in self.storages if s.parent is None and s.kind == "arena"]
        unused = []
        for s in tops:
            if s.pinned:  # a model output, written by nothing when never used
                s.first, s.last = (0 if s.last < 0 else s.first), nsteps
            elif s.last < 0:
                # no step reads or writes it and it is no model output (a value its
                # producer wrote straight into its consumer's buffer): no bytes of its own
                s.first, s.arena_offset = 0, 0
                unused.append(s)
        placed: list[Storage] = []
        for s in sorted((t for t in tops if t.last >= 0), key=lambda x: (-x.size, x.first)):
            size = self._round(s.size)
            busy = sorted((p.arena_offset, p.arena_offset + self._round(p.size))
                          for p in placed if not (p.last < s.first or s.last < p.first))
            offset = 0
            for lo, hi in busy:
                if offset + size <= lo:
                    break
                offset = max(offset, hi)
            s.arena_offset = offset
            placed.append(s)
        # an unused value still resolves to offset 0: keep its range inside the arena
        self.arena_size = max((s.arena_offset + self._round(s.size) for s in placed + unused),
                              default=0)
        return self.arena_size

    def resolve(self, value: Value) -> tuple[Storage, int]:
        """After ``layout``: the outermost storage and the byte offset of ``value`` in it
        (in the arena, counted from the arena start)."""
        s, off = self.location(value)
        if s.kind == "arena":
            return s, s.arena_offset + off
        return s, off


    def _round(self, n: int) -> int:
        a = self.align
        return max((int(n) + a - 1) // a * a, a)


def plan_arena(graph: Graph, align: int = ALIGN,
               nbytes: Callable[[Value], int] | None = None) -> MemoryPlan:
    """The memory plan of ``graph`` run one op per step, in ``graph.ops`` order: model
    inputs are ``"param"`` storages, constants ``"const"`` ones (their arrays), every
    other value an arena storage alive from the op that writes it to the last op that
    reads it (model outputs to the end). Fused post-op operands count as reads of their
    op. After it, ``resolve(value)`` gives each value's storage and byte offset and
    ``arena_size`` the bytes one request needs. ``nbytes``: as for ``MemoryPlan``."""
    mem = MemoryPlan(align, nbytes)
    for i, v in enumerate(graph.inputs):
        mem.place_param(v, i)

    def need(v: Value) -> None:
        if not mem.has(v):
            if v.is_const:
                mem.place_const(v, np.ascontiguousarray(v.const))
            else:
                mem.place(v)

    for step, op in enumerate(graph.ops):
        reads = list(op.inputs) + [p.operand for p in op.post_ops if p.operand is not None]
        for v in reads + list(op.outputs):
            need(v)
            mem.use(v, step)
    for v in graph.outputs:
        need(v)
        mem.pin(v)
    mem.layout(len(graph.ops))
    return mem

