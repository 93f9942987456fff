"""Step records: what the lowering emits before memory planning.

A ``Step`` names its operands as ``Operand(ref, off, lo, hi)``: ``ref`` is a graph
``Value`` (placed later by the memory plan) or a compile-time array (packed weights), and
the kernel touches bytes ``[off + lo, off + hi)`` of it. The lowering computes those ranges
from the shapes and strides it writes into ``p`` (the layouts documented at the top of each
kernel file, ``kernels/*.c``); ``Plan.build`` checks each against the size of what the
operand refers to, so the C kernels can trust the plan. This module also holds the shape
and stride helpers the lowering shares.
"""

from __future__ import annotations

import mmap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from openvino.plugin.passes import EltwiseStep, Op, Value, operand_layout

from .._native import lib
from .eltwise_table import act_code, bin_code

__all__ = ["Operand", "Post", "Step", "strided_range"]


@dataclass
class Operand:
    """Bytes ``[off + lo, off + hi)`` of ``ref`` (a ``Value`` or a numpy array)."""

    ref: Any
    off: int
    lo: int
    hi: int
    write: bool = False


@dataclass
class Post:
    """A post op bound to a step: the operand index and its strides in elements."""

    kind: int
    op: int
    buf: int = -1
    swap: bool = False
    ld_m: int = 0
    ld_n: int = 0
    bstride: int = 0
    alpha: float = 0.0
    beta: float = 0.0


@dataclass
class Step:
    """One kernel call of the plan."""

    kind: int
    op: Op | None
    exec_type: str
    operands: list[Operand] = field(default_factory=list)
    p: list[int] = field(default_factory=list)
    f: list[float] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    tag: int = 0
    callback: Any = None  # OV_K_PY: the Python callable

    def add(self, ref: Any, off: int, lo: int, hi: int, write: bool = False) -> int:
        """Append an operand; returns its index."""
        self.operands.append(Operand(ref, int(off), int(lo), int(hi), write))
        return len(self.operands) - 1

    def add_value(self, value: Value, write: bool = False) -> int:
        """The whole of ``value`` as an operand."""
        return self.add(value, 0, 0, value.nbytes, write)

    def bind_posts(self, posts: Sequence[EltwiseStep], out_shape: Sequence[int],
                   groups: tuple[int, int]) -> None:
        """Attach fused post ops, the output seen as ``[batch dims | row dims | col dims]``
        with ``groups = (number of batch dims, number of row dims)``."""
        nb, nr = groups
        out_shape = tuple(int(d) for d in out_shape)
        B = _prod(out_shape[:nb])
        M = _prod(out_shape[nb:nb + nr])
        N = _prod(out_shape[nb + nr:])
        for spec in posts:
            if spec.operand is None:
                self.posts.append(Post(lib.OV_PO_ACT, act_code(spec), alpha=spec.alpha,
                                       beta=spec.beta))
                continue
            layout = operand_layout(spec.operand.shape, out_shape, groups)
            if layout is None:
                raise RuntimeError(f"post op operand {spec.operand.shape} does not fit output "
                                   f"{out_shape}")
            ld_m, ld_n, bstride = layout
            last = (B - 1) * bstride + (M - 1) * ld_m + (N - 1) * ld_n + 1
            idx = self.add(spec.operand, 0, 0, last * 4)
            self.posts.append(Post(lib.OV_PO_BIN, bin_code(spec.function), idx, spec.swap,
                                   ld_m, ld_n, bstride, spec.alpha, spec.beta))


def _prod(dims: Sequence[int]) -> int:
    n = 1
    for d in dims:
        n *= int(d)
    return n


def strided_range(shape: Sequence[int], strides: Sequence[int], elsize: int) -> tuple[int, int]:
    """Byte range ``(lo, hi)`` relative to the base touched by a strided walk (strides in
    bytes, possibly negative or zero)."""
    if any(int(d) == 0 for d in shape):
        return 0, 0
    lo = hi = 0
    for d, s in zip(shape, strides):
        span = (int(d) - 1) * int(s)
        if span < 0:
            lo += span
        else:
            hi += span
    return lo, hi + elsize


def contiguous_strides(shape: Sequence[int], elsize: int = 1) -> list[int]:
    """Row-major strides of ``shape`` (in units of ``elsize``)."""
    out = [0] * len(shape)
    acc = elsize
    for d in range(len(shape) - 1, -1, -1):
        out[d] = acc
        acc *= int(shape[d])
    return out


def collapse(shape: Sequence[int], *stride_lists: Sequence[int]
             ) -> tuple[list[int], list[list[int]]]:
    """Merge adjacent dims that are contiguous in every stride list (and drop size-1 dims),
    keeping at least one dim."""
    dims = [(int(d), [int(s[i]) for s in stride_lists]) for i, d in enumerate(shape)
            if int(d) != 1]
    if not dims:
        return [1], [[0] for _ in stride_lists]
    out_shape = [dims[0][0]]
    out_strides = [list(dims[0][1])]
    for d, ss in dims[1:]:
        prev = out_strides[-1]
        if all(prev[k] == ss[k] * d for k in range(len(ss))):
            out_shape[-1] *= d
            out_strides[-1] = ss
        else:
            out_shape.append(d)
            out_strides.append(list(ss))
    return out_shape, [[row[k] for row in out_strides] for k in range(len(stride_lists))]


def as_f32_array(values: Any) -> np.ndarray:
    """A contiguous float32 copy aligned for the kernels."""
    return aligned(np.asarray(values, dtype=np.float32))


#: Buffers from this many bytes on get pages of their own (``zeroed_buffer``).
OWN_PAGES_BYTES = 1 << 18


def zeroed_buffer(nbytes: int, alignment: int = 64) -> np.ndarray:
    """``nbytes`` zeroed bytes (uint8) aligned to ``alignment``. Large ones (packed weights,
    arenas) are an anonymous mapping of their own, unmapped as soon as the last array on
    it goes: they never sit in the heap's free lists nor pin its pages, so the memory of
    a compiled model goes back to the system when it is freed."""
    nbytes = max(int(nbytes), 0)
    if nbytes >= OWN_PAGES_BYTES and alignment <= mmap.PAGESIZE:
        return np.frombuffer(mmap.mmap(-1, nbytes), dtype=np.uint8)
    raw = np.zeros(nbytes + alignment, dtype=np.uint8)
    start = (-raw.ctypes.data) % alignment
    return raw[start:start + nbytes]


def aligned(array: np.ndarray, alignment: int = 64) -> np.ndarray:
    """``array`` copied into memory aligned to ``alignment`` bytes (C order;
    ``zeroed_buffer``)."""
    array = np.asarray(array)
    raw = zeroed_buffer(max(array.nbytes, 1), alignment)
    out = raw[:array.nbytes].view(array.dtype).reshape(array.shape)
    out[...] = array
    return out
