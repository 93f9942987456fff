"""The memory plan: where every value of the plan lives.

Values are grouped into storages: a view (Reshape, a contiguous slice, an input of an
in-place Concat ...) lives inside the storage of another value at a byte offset. Storages
are the model inputs (the caller's memory), constants (their arrays) and the arena: one
block per infer request in which storages whose lifetimes do not overlap share bytes.
"""

from __future__ import annotations

import numpy as np

from .graph import Value

__all__ = ["Storage", "MemoryPlan", "ALIGN"]

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


class MemoryPlan:
    """Value -> (storage, offset) with views, merges and the arena layout."""

    def __init__(self) -> None:
        self._loc: dict[int, tuple[Storage, int]] = {}
        self.storages: list[Storage] = []
        self.arena_size = 0

    # --- building ---------------------------------------------------------------------------
    def place_param(self, value: Value, index: int) -> None:
        s = Storage("param", value.nbytes, param=index)
        self.storages.append(s)
        self._loc[value.id] = (s, 0)

    def place_const(self, value: Value, array: np.ndarray) -> None:
        s = Storage("const", array.nbytes, array=array)
        self.storages.append(s)
        self._loc[value.id] = (s, 0)

    def place(self, value: Value) -> None:
        """Give ``value`` an arena storage of its own (if it has none yet)."""
        if value.id in self._loc:
            return
        s = Storage("arena", value.nbytes)
        self.storages.append(s)
        self._loc[value.id] = (s, 0)

    def view(self, value: Value, base: Value, offset: int) -> None:
        """``value`` is ``base``'s bytes from ``offset`` on (no copy)."""
        if offset < 0 or offset + value.nbytes > base.nbytes:
            raise RuntimeError(f"view of {value.nbytes} bytes at {offset} is outside a value "
                               f"of {base.nbytes} bytes")
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
        if off_in != 0 or s_in.size != inner.nbytes:
            return False
        if offset < 0 or offset + inner.nbytes > outer.nbytes:
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
        for s in tops:
            if s.pinned:
                s.last = nsteps
            if s.last < 0:  # never used by a step (a model output written by nothing)
                s.first, s.last = 0, nsteps
        placed: list[Storage] = []
        for s in sorted(tops, key=lambda x: (-x.size, x.first)):
            size = _round(s.size)
            busy = sorted((p.arena_offset, p.arena_offset + _round(p.size)) for p in placed
                          if not (p.last < s.first or s.last < p.first))
            offset = 0
            for lo, hi in busy:
                if offset + size <= lo:
                    break
                offset = max(offset, hi)
            s.arena_offset = offset
            placed.append(s)
        self.arena_size = max((s.arena_offset + _round(s.size) for s in placed), default=0)
        return self.arena_size

    def resolve(self, value: Value) -> tuple[Storage, int]:
        """After ``layout``: the outermost storage and the byte offset of ``value`` in it
        (in the arena, counted from the arena start)."""
        s, off = self.location(value)
        if s.kind == "arena":
            return s, s.arena_offset + off
        return s, off


def _round(n: int) -> int:
    return max((int(n) + ALIGN - 1) // ALIGN * ALIGN, ALIGN)

