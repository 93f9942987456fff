"""Lowering of data movement: Concat (in place when it can be), Gather, Pad, and every
op that only rearranges elements (Transpose, Slice, StridedSlice, Split, VariadicSplit,
Broadcast, Tile, DepthToSpace, SpaceToDepth, ShuffleChannels, Reverse).

The rearranging ops are lowered from their own reference: it runs once, at compile time,
on an array of element numbers, and when each output turns out to be an affine function
of the output index (base + sum of index * stride), the output is a view (contiguous
strides) or one strided copy. Anything else runs in Python.
"""

from __future__ import annotations

import numpy as np

from openvino import Type
from openvino.plugin.passes import Op, Value

from .._native import lib
from .lowering import Lowering, handler
from .steps import collapse, contiguous_strides, strided_range

__all__ = ["affine_map", "factor_dims"]

_MAX_MAP_ELEMENTS = 1 << 23
_MOVEMENT = ("Transpose", "Slice", "StridedSlice", "Split", "VariadicSplit", "Broadcast",
             "Tile", "DepthToSpace", "SpaceToDepth", "ShuffleChannels", "Reverse")


def affine_map(idx: np.ndarray) -> tuple[int, list[int]] | None:
    """``(base, strides)`` with ``idx[i] == base + sum(i_d * strides[d])``, or None."""
    if idx.size == 0:
        return 0, [0] * idx.ndim
    base = int(idx.reshape(-1)[0])
    strides = []
    pred = np.full((1,) * idx.ndim, base, dtype=np.int64)
    for d, n in enumerate(idx.shape):
        if n == 1:
            strides.append(0)
            continue
        at = [0] * idx.ndim
        at[d] = 1
        st = int(idx[tuple(at)]) - base
        strides.append(st)
        shape = [1] * idx.ndim
        shape[d] = n
        pred = pred + (np.arange(n, dtype=np.int64) * st).reshape(shape)
    if not np.array_equal(np.broadcast_to(pred, idx.shape), idx):
        return None
    return base, strides


def _factor_seq(seq: np.ndarray) -> list[int]:
    """Split a run of indices into nested runs each with a constant step: [0, 80, 160, 1,
    81, 161, ...] (a channel shuffle) -> sizes [n / 3, 3]."""
    n = len(seq)
    if n <= 2:
        return [n]
    step = seq[1] - seq[0]
    period = n
    for i in range(2, n):
        if seq[i] - seq[0] != i * step:
            period = i
            break
    if period == n or n % period:
        return [n]
    return _factor_seq(seq[::period]) + [period]


def factor_dims(idx: np.ndarray) -> np.ndarray:
    """``idx`` reshaped so that each dim that wraps around (Tile, channel shuffles, space
    to depth) becomes several dims; the reshape keeps the row-major order."""
    shape: list[int] = []
    for d, n in enumerate(idx.shape):
        if n <= 2:
            shape.append(n)
            continue
        at: list = [0] * idx.ndim
        at[d] = slice(None)
        seq = idx[tuple(at)].astype(np.int64)
        shape.extend(_factor_seq(seq - seq[0]))
    return idx.reshape(shape)


def copy_step(lw: Lowering, op: Op, src: Value, src_off: int, dst: Value, dst_off: int,
              shape: list[int], src_strides: list[int], dst_strides: list[int],
              exec_type: str = "ref_copy") -> bool:
    """A strided copy (strides in elements); False when the shape is too deep."""
    es = dst.dtype.itemsize
    shp, (ss, ds) = collapse(shape, src_strides, dst_strides)
    if len(shp) > 8:
        return False
    ssb = [st * es for st in ss]
    dsb = [st * es for st in ds]
    s = lw.step(lib.OV_K_COPY, op, exec_type)
    lw.need(src)
    lw.need(dst)
    s.add(src, src_off, *strided_range(shp, ssb, es))
    s.add(dst, dst_off, *strided_range(shp, dsb, es), write=True)
    pad = [0] * (8 - len(shp))
    s.p = [len(shp), es] + shp + [1] * (8 - len(shp)) + ssb + pad + dsb + pad
    return True


Maps = list[tuple[tuple[int, list[int]], tuple[int, ...]]]


def _transpose_maps(op: Op, x: Value) -> Maps | None:
    """A Transpose's map straight from its order (what ``_reference_maps`` finds, without
    running the reference on the element numbers: a dynamic model's attention transposes
    are lowered again for every sequence length)."""
    order = [int(d) for d in np.asarray(op.inputs[1].const).reshape(-1)]
    rank = len(x.shape)
    if not order:
        order = list(range(rank - 1, -1, -1))
    if sorted(order) != list(range(rank)):
        return None
    shape = tuple(x.shape[d] for d in order)
    if shape != op.outputs[0].shape:
        return None
    src = contiguous_strides(x.shape)
    strides = [0 if n == 1 else src[d] for d, n in zip(order, shape)]
    return [((0, strides), shape)]


def _reference_maps(op: Op, x: Value) -> Maps | None:
    """Each output's ``((base, strides), shape)``: the op's reference run on the element
    numbers of its input, fitted (``affine_map``, after ``factor_dims``); None when an
    output is not an affine function of the index."""
    iota = np.arange(x.size, dtype=np.int64).reshape(x.shape)
    try:
        with np.errstate(all="ignore"):
            result = op.node.reference(iota, *[v.const for v in op.inputs[1:]])
    except Exception:
        return None
    if not isinstance(result, (tuple, list)):
        result = (result,)
    maps = []
    for y, r in zip(op.outputs, result):
        r = np.asarray(r)
        if r.dtype.kind not in "iu" or tuple(r.shape) != y.shape:
            return None
        if r.size and (r.min() < 0 or r.max() >= x.size):
            return None
        r = r.astype(np.int64)
        fit = affine_map(r)
        if fit is None:
            r = factor_dims(r)
            fit = affine_map(r)
            if fit is None:
                return None
        maps.append((fit, r.shape))
    return maps


@handler(*_MOVEMENT)
def lower_movement(lw: Lowering, op: Op) -> bool:
    x = op.inputs[0]
    if not all(v.is_const for v in op.inputs[1:]) or x.size > _MAX_MAP_ELEMENTS:
        return False
    if any(v.dtype != x.dtype for v in op.outputs):
        return False
    maps = _transpose_maps(op, x) if op.type == "Transpose" else None
    if maps is None:
        maps = _reference_maps(op, x)
        if maps is None:
            return False
    es = x.dtype.itemsize
    for y, ((base, strides), shape) in zip(op.outputs, maps):
        if y.size == 0:
            lw.need(y)
            continue
        contiguous = contiguous_strides(shape)
        if all(s == c for s, c, n in zip(strides, contiguous, shape) if n != 1) and \
                lw.view(y, x, base * es):
            continue
        if not copy_step(lw, op, x, base * es, y, 0, list(shape), strides, contiguous,
                         "ref_permute" if op.type == "Transpose" else "ref_copy"):
            return False
    return True


@handler("Concat")
def lower_concat(lw: Lowering, op: Op) -> bool:
    y = op.outputs[0]
    rank = len(y.shape)
    if rank == 0 or any(v.dtype != y.dtype for v in op.inputs):
        return False
    axis = int(op.attr("axis"))
    axis = axis + rank if axis < 0 else axis
    es = y.dtype.itemsize
    outer = int(np.prod(y.shape[:axis], dtype=np.int64))
    row = int(np.prod(y.shape[axis:], dtype=np.int64)) * es
    lw.need(y)
    if y.size == 0:
        return True
    rows = [int(np.prod(v.shape[axis:], dtype=np.int64)) * es for v in op.inputs]
    if outer == 1:
        # each input is a contiguous piece of the output: write it there directly
        offset = 0
        for v, nbytes in zip(op.inputs, rows):
            placed = False
            if nbytes and not v.is_const and v.param is None and v.producer is not None \
                    and not lw.graph.is_output(v) and lw.mem.has(v):
                placed = lw.mem.nest(v, y, offset)
            if not placed and nbytes:
                if not copy_step(lw, op, v, 0, y, offset, [nbytes // es], [1], [1]):
                    return False
            offset += nbytes
        return True
    items = [(v, r) for v, r in zip(op.inputs, rows) if r]
    col = 0
    for start in range(0, len(items), 7):
        chunk = items[start:start + 7]
        s = lw.step(lib.OV_K_CONCAT, op, "ref_concat")
        width = sum(r for _, r in chunk)
        s.add(y, col, 0, (outer - 1) * row + width, write=True)
        for v, r in chunk:
            lw.need(v)
            s.add(v, 0, 0, outer * r)
        s.p = [outer, len(chunk), row] + [r for _, r in chunk] + [0] * (7 - len(chunk))
        col += width
    return True


@handler("Gather")
def lower_gather(lw: Lowering, op: Op) -> bool:
    data, idx, axis_v = op.inputs[:3]
    y = op.outputs[0]
    if idx.type not in (Type.i32, Type.i64) or not axis_v.is_const or data.dtype != y.dtype:
        return False
    if data.type == Type.string:
        return False
    rank = len(data.shape)
    if rank == 0:
        return False
    axis = int(np.asarray(axis_v.const).reshape(-1)[0])
    axis = axis + rank if axis < 0 else axis
    b = int(op.attr("batch_dims", 0))
    if b < 0:
        b += len(idx.shape)
    if not 0 <= axis < rank or not 0 <= b <= min(axis, len(idx.shape)):
        return False
    if tuple(data.shape[:b]) != tuple(idx.shape[:b]):
        return False
    if y.size == 0:
        lw.need(y)
        return True
    es = data.dtype.itemsize
    batch = int(np.prod(data.shape[:b], dtype=np.int64))
    pre = int(np.prod(data.shape[b:axis], dtype=np.int64))
    inner = int(np.prod(data.shape[axis + 1:], dtype=np.int64)) * es
    nidx = int(np.prod(idx.shape[b:], dtype=np.int64))
    if data.shape[axis] == 0:
        return False
    s = lw.step(lib.OV_K_GATHER, op, "ref_gather")
    lw.operand(s, data)
    lw.operand(s, idx)
    lw.operand(s, y, write=True)
    s.p = [batch, pre, data.shape[axis], inner, nidx, 1 if idx.type == Type.i64 else 0,
           1 if getattr(op.node, "allow_negative", True) else 0]
    return True


@handler("Pad")
def lower_pad(lw: Lowering, op: Op) -> bool:
    x = op.inputs[0]
    y = op.outputs[0]
    if op.attr("pad_mode", "constant") != "constant":
        return lower_movement(lw, op)
    if not all(v.is_const for v in op.inputs[1:]):
        return False
    pb = [int(v) for v in np.asarray(op.inputs[1].const).reshape(-1)]
    pe = [int(v) for v in np.asarray(op.inputs[2].const).reshape(-1)]
    rank = len(x.shape)
    if len(pb) != rank or len(pe) != rank or x.dtype != y.dtype or y.dtype.kind not in "fiub":
        return False
    if not getattr(op.node, "allow_negative", False) and any(p < 0 for p in pb + pe):
        return False
    value = np.zeros((), y.dtype)
    if len(op.inputs) > 3:
        value = np.asarray(op.inputs[3].const).reshape(-1)[0].astype(y.dtype)
    lw.need(y)
    if y.size == 0:
        return True
    es = y.dtype.itemsize
    s = lw.step(lib.OV_K_FILL, op, "ref_pad")
    s.add(y, 0, 0, y.nbytes, write=True)
    bits = int.from_bytes(np.asarray(value, y.dtype).tobytes().ljust(8, b"\0"), "little",
                          signed=True)
    s.p = [y.size, es, bits]
    # the part of x that survives (negative pads crop) lands at max(pb, 0)
    src_start = [max(-b, 0) for b in pb]
    dst_start = [max(b, 0) for b in pb]
    shape = [n - max(-b, 0) - max(-e, 0) for n, b, e in zip(x.shape, pb, pe)]
    if any(n <= 0 for n in shape):
        return True
    xs = contiguous_strides(x.shape)
    ys = contiguous_strides(y.shape)
    src_off = sum(a * st for a, st in zip(src_start, xs)) * es
    dst_off = sum(a * st for a, st in zip(dst_start, ys)) * es
    if not copy_step(lw, op, x, src_off, y, dst_off, shape, xs, ys, "ref_pad"):
        lw.steps.pop()
        return False
    return True
