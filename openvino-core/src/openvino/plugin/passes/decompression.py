"""Weight decompression patterns: a MatMul whose weights are computed from a low-precision
constant is given the constant itself (``op.compressed_weights``), so a device can keep
it compressed in memory and expand it inside its matmul kernel.

Recognised chains (weights input of the MatMul, read upwards):

    Const(u8|i8|u4|i4) -> Convert -> [Subtract(zero point)] -> Multiply(scale)
        -> [Reshape] -> [Convert to f32]
    Const(f16) -> Convert to f32

Scales and zero points may be per output channel or per group of consecutive input
channels (the ``[N, groups, group size]`` weight layout NNCF writes). The result is a
``CompressedWeights`` in ``op.compressed_weights``; the MatMul keeps only its data input
(``op.inputs == [data]``) and the chain's ops become dead (``Graph.remove_dead``).

Run it before ``fold_constants``, which would otherwise expand the chain to f32.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from openvino import Type

from .const_cache import ConstantCache
from .graph import Graph, Op, Value

__all__ = ["CompressedWeights", "COMPRESSED_TYPES", "claim_compressed_weights"]

#: Element types of the codes a ``CompressedWeights`` holds.
COMPRESSED_TYPES = ("u8", "i8", "u4", "i4", "f16")


@dataclass
class CompressedWeights:
    """The [K, N] weights of a MatMul (``y = x @ W``, ``transpose_b`` already applied),
    compressed: ``codes[n, k]`` of ``element_type`` (one of ``COMPRESSED_TYPES``; u4/i4
    codes are held one per byte, in uint8/int8, f16 values in float16), and for integer
    codes ``scale[g, n]`` and optional ``zero_point[g, n]`` (float32) per group
    ``g = k // group_size`` of input channels (``group_size == K``: per output channel).

    ``W[k, n] = (codes[n, k] - zero_point[g, n]) * scale[g, n]`` (see ``dense``); f16
    codes have no scale (``W[k, n] = codes[n, k]``) and ``group_size`` 1. ``source``
    names the ops of the chain (friendly names) it replaces."""

    element_type: str
    codes: np.ndarray
    scale: np.ndarray | None
    zero_point: np.ndarray | None
    group_size: int
    N: int
    K: int
    source: list[str]

    @property
    def groups(self) -> int:
        """Number of groups along K."""
        return (self.K + self.group_size - 1) // self.group_size

    def dense(self) -> np.ndarray:
        """The decompressed [K, N] f32 weights (for checks and for a host fallback)."""
        w = self.codes.astype(np.float32)
        if self.scale is not None:
            g = np.repeat(np.arange(self.scale.shape[0]), self.group_size)[:self.K]
            s = self.scale[g].T  # [N, K]
            if self.zero_point is not None:
                w = (w - self.zero_point[g].T) * s
            else:
                w = w * s
        return np.ascontiguousarray(w.T)


def _producer(v: Value, kind: str) -> Op | None:
    p = v.producer
    return p if p is not None and p.type == kind else None


def _const_input(op: Op) -> tuple[Value, Value] | None:
    """(the non-constant input, the constant input) of a binary op, or None."""
    a, b = op.inputs[:2]
    if b.is_const and not a.is_const:
        return a, b
    if a.is_const and not b.is_const:
        return b, a
    return None


def _match(mm: Op, cache: ConstantCache | None = None
           ) -> tuple[CompressedWeights, list[Op]] | None:
    v = mm.inputs[1]
    if v.type != Type.f32 or len(v.shape) != 2:
        return None
    chain: list[Op] = []
    out_shape = v.shape
    conv = _producer(v, "Convert")
    if conv is not None and conv.inputs[0].is_const and conv.inputs[0].type == Type.f16:
        src = conv.inputs[0]
        tb = bool(mm.attr("transpose_b"))

        def f16_codes() -> np.ndarray:
            w = src.const.reshape(out_shape)
            return np.ascontiguousarray(w if tb else w.T)

        codes = _derive(cache, "f16_codes", (src.const,), (out_shape, tb), f16_codes)
        return CompressedWeights("f16", codes, None, None,
                                 1, codes.shape[0], codes.shape[1],
                                 [conv.name]), [conv]
    if conv is not None and conv.inputs[0].type in (Type.f16, Type.f32) and \
            not conv.inputs[0].is_const:
        chain.append(conv)
        v = conv.inputs[0]
    reshape = _producer(v, "Reshape")
    if reshape is not None:
        chain.append(reshape)
        v = reshape.inputs[0]
    mul = _producer(v, "Multiply")
    if mul is None or _const_input(mul) is None:
        return None
    chain.append(mul)
    v, scale = _const_input(mul)
    zero = None
    sub = _producer(v, "Subtract")
    if sub is not None:
        a, b = sub.inputs[:2]
        zp = b
        zconv = _producer(b, "Convert")
        if zconv is not None and zconv.inputs[0].is_const:
            chain.append(zconv)
            zp = zconv.inputs[0]
        if not zp.is_const or a.is_const:
            return None
        chain.append(sub)
        zero = zp
        v = a
    qconv = _producer(v, "Convert")
    if qconv is None or not qconv.inputs[0].is_const:
        return None
    q = qconv.inputs[0]
    tname = q.type.get_type_name()
    if tname not in ("u8", "i8", "u4", "i4"):
        return None
    chain.append(qconv)
    qshape = q.shape
    if int(np.prod(qshape)) != int(np.prod(out_shape)):
        return None
    tb = bool(mm.attr("transpose_b"))
    zconst = None if zero is None else zero.const
    found = _derive(cache, "compressed_weights", (q.const, scale.const, zconst),
                    (out_shape, qshape, tb),
                    lambda: _decompose(q.const, scale.const, zconst, out_shape, qshape, tb))
    if found is None:
        return None
    codes, scale_g, zero_g, group = found
    N, K = codes.shape
    qw = CompressedWeights(tname, codes, scale_g, zero_g, group, N, K,
                           [op.name for op in chain])
    return qw, chain


def _derive(cache: ConstantCache | None, kind: str, sources: tuple, params: tuple,
            make: Callable[[], Any]) -> Any:
    return make() if cache is None else cache.get(kind, sources, params, make)


def _decompose(q: np.ndarray, scale: np.ndarray, zero: np.ndarray | None,
               out_shape: tuple[int, ...], qshape: tuple[int, ...], transpose_b: bool
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int] | None:
    """(codes [N, K], scale [G, N], zero point [G, N] or None, group size), or None when
    the scales do not come in groups along K."""
    # broadcast scale / zero point to the code shape, then view as the [K, N] weight
    try:
        s_full = np.broadcast_to(scale.astype(np.float32), qshape)
        z_full = None if zero is None else np.broadcast_to(zero.astype(np.float32), qshape)
    except ValueError:
        return None
    codes = q.reshape(out_shape)
    s2 = s_full.reshape(out_shape)
    z2 = None if z_full is None else z_full.reshape(out_shape)
    if not transpose_b:
        codes, s2 = codes.T, s2.T
        z2 = None if z2 is None else z2.T
    N, K = codes.shape
    group = _group_size(s2, z2, K, qshape)
    if group is None:
        return None
    G = (K + group - 1) // group
    scale_g = np.ascontiguousarray(s2[:, ::group].T)  # [G, N]
    zero_g = None if z2 is None else np.ascontiguousarray(z2[:, ::group].T)
    if scale_g.shape[0] != G:
        return None
    return np.ascontiguousarray(codes), scale_g, zero_g, group


def _group_size(s2: np.ndarray, z2: np.ndarray | None, K: int, qshape: tuple[int, ...]
                ) -> int | None:
    """Size of the runs of equal scales (and zero points) along K in [N, K] arrays."""
    candidates = [K]
    if len(qshape) == 3:
        candidates.append(int(qshape[-1]))
    candidates += [g for g in (128, 64, 32, 16, 8, 4, 2, 1) if g < K]
    for g in candidates:
        if g <= 0 or K % g:
            continue
        ok = np.array_equal(s2, np.repeat(s2[:, ::g], g, axis=1))
        if ok and z2 is not None:
            ok = np.array_equal(z2, np.repeat(z2[:, ::g], g, axis=1))
        if ok:
            return g
    return None


def claim_compressed_weights(graph: Graph, cache: ConstantCache | None = None) -> int:
    """Give every f32 MatMul with a recognised decompression chain on its weights a
    ``CompressedWeights`` (``op.compressed_weights``); returns how many were claimed. The
    chain ops become dead once the MatMul no longer reads them. With a ``cache``, the
    arrays of a ``CompressedWeights`` are made once per set of source constants (the same
    objects in every graph compiled with that cache)."""
    claimed = 0
    for op in list(graph.ops):
        if op.type != "MatMul" or len(op.inputs) != 2 or op.inputs[0].type != Type.f32:
            continue
        if op.outputs[0].type != Type.f32 or not 1 <= len(op.inputs[0].shape) <= 6:
            continue
        found = _match(op, cache)
        if found is None:
            continue
        qw, chain = found
        op.compressed_weights = qw
        old = op.inputs[1]
        op.inputs.pop(1)
        if op in old.consumers:
            old.consumers.remove(op)
        for c in chain:
            op.absorb(c.name, c.type)
        claimed += 1
    return claimed
