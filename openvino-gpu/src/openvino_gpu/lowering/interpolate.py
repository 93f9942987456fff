"""Interpolate (v4, v11) on float tensors through ``kernels/interpolate.cl``: every mode of
OpenVINO's Interpolate is separable, so each resized axis becomes a table of source
indices and weights per output coordinate (nearest: one tap; linear_onnx: two; cubic:
four; linear with antialias and the pillow modes: as many as their filter covers), built
here on the host with the op's coordinate transformation, nearest rounding and padding.

The tables are checked against the op's reference at compile time (the op evaluated once
on random data): a mismatch is ``Unsupported``, never silently different numbers."""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov

from . import In, Launch, OpContext, Out, Unsupported, register
from .reduction import normalize_axes

__all__ = ["axis_table", "lower_interpolate"]

F32 = np.float32
MAXR = 8
MAXA = 4


def _coords(out_len: int, in_len: int, scale: float, mode: str) -> np.ndarray:
    x = np.arange(out_len, dtype=F32)
    s, half = F32(scale), F32(0.5)
    if mode == "half_pixel":
        return (x + half) / s - half
    if mode == "pytorch_half_pixel":
        return (x + half) / s - half if out_len > 1 else np.zeros(out_len, F32)
    if mode == "asymmetric":
        return x / s
    if mode == "tf_half_pixel_for_nn":
        return (x + half) / s
    if mode == "align_corners":
        return (np.zeros(out_len, F32) if out_len == 1
                else x * F32(in_len - 1) / F32(out_len - 1))
    raise Unsupported(f"coordinate_transformation_mode {mode}")


def _nearest(c: np.ndarray, mode: str, downsample: bool) -> np.ndarray:
    fl = np.floor(c)
    if mode == "round_prefer_floor":
        return np.where(c == fl + F32(0.5), fl, np.round(c))
    if mode == "round_prefer_ceil":
        return np.where(c >= 0, np.floor(c + F32(0.5)), np.ceil(c - F32(0.5)))
    if mode == "floor":
        return fl
    if mode == "ceil":
        return np.ceil(c)
    if mode == "simple":
        return np.ceil(c) if downsample else np.trunc(c)
    raise Unsupported(f"nearest_mode {mode}")


def _cubic(t: np.ndarray, a: float) -> np.ndarray:
    t = np.abs(t.astype(np.float64))
    return np.stack([a * (t - 1) * (t - 1) * t, ((a + 2) * t - (a + 3)) * t * t + 1,
                     (((-a - 2) * t + (2 * a + 3)) * t - a) * t, -a * t * t * (t - 1)], -1)


def _pillow(cubic: bool, in_len: int, out_len: int, a: float) -> tuple[np.ndarray, np.ndarray]:
    support = 2.0 if cubic else 1.0
    scale = in_len / out_len
    fs = max(scale, 1.0)
    support *= fs
    centers = (np.arange(out_len) + 0.5) * scale
    lo = np.maximum(np.trunc(centers - support + 0.5).astype(np.int64), 0)
    hi = np.minimum(np.trunc(centers + support + 0.5).astype(np.int64), in_len)
    n = int(max((hi - lo).max(initial=1), 1))
    taps = lo[:, None] + np.arange(n)[None, :]
    z = np.abs((taps - centers[:, None] + 0.5) / fs)
    if cubic:
        f = np.where(z < 1, ((a + 2) * z - (a + 3)) * z * z + 1,
                     np.where(z < 2, (((z - 5) * z + 8) * z - 4) * a, 0.0))
    else:
        f = np.maximum(1.0 - z, 0.0)
    w = f * (taps < hi[:, None])
    total = w.sum(axis=1, keepdims=True)
    w = np.where(total != 0, w / np.where(total != 0, total, 1.0), 0.0)
    return np.clip(taps, 0, in_len - 1), w


def axis_table(mode: str, in_len: int, out_len: int, scale: float, attrs: dict,
               antialias_a: float) -> tuple[np.ndarray, np.ndarray]:
    """(source index [out, taps], weight [out, taps]) along one axis of ``in_len`` (padded)
    elements."""
    if mode in ("bilinear_pillow", "bicubic_pillow"):
        return _pillow(mode == "bicubic_pillow", in_len, out_len,
                       float(attrs.get("cube_coeff", -0.75)))
    c = _coords(out_len, in_len, scale, str(attrs.get("coordinate_transformation_mode",
                                                       "half_pixel")))
    if mode == "nearest":
        idx = _nearest(c, str(attrs.get("nearest_mode", "round_prefer_floor")),
                       F32(scale) < 1)
        idx = np.clip(idx.astype(np.int64), 0, in_len - 1)
        return idx[:, None], np.ones((out_len, 1))
    if mode == "linear_onnx":
        cc = np.clip(c, F32(0), F32(in_len - 1))
        i1 = np.clip(cc.astype(np.int64), 0, in_len - 1)
        i2 = np.minimum(i1 + 1, in_len - 1)
        d1 = np.abs(cc - i1.astype(F32))
        d2 = np.abs(cc - i2.astype(F32))
        same = i1 == i2
        d1 = np.where(same, F32(0.5), d1)
        d2 = np.where(same, F32(0.5), d2)
        return np.stack([i1, i2], -1), np.stack([d2, d1], -1).astype(np.float64)
    if mode == "cubic":
        base = np.floor(c)
        w = _cubic(c - base, float(attrs.get("cube_coeff", -0.75)))
        taps = base.astype(np.int64)[:, None] + np.arange(-1, 3)[None, :]
        return np.clip(taps, 0, in_len - 1), w
    if mode == "linear":
        a = antialias_a
        r = 2 if scale > 1.0 else int(np.ceil(2.0 / a))
        center = np.round(c.astype(np.float64)).astype(np.int64)
        taps = center[:, None] + np.arange(-r, r + 1)[None, :]
        valid = (taps >= 0) & (taps < in_len)
        w = np.maximum(0.0, 1.0 - np.abs(a * (c.astype(np.float64)[:, None] - taps))) * valid
        total = w.sum(axis=1, keepdims=True)
        w = np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0)
        return np.clip(taps, 0, in_len - 1), w
    raise Unsupported(f"Interpolate mode {mode}")


def _values(op: OpContext, index: int) -> np.ndarray:
    spec = op.inputs[index]
    if spec.const is None:
        raise Unsupported(f"Interpolate input {index} is not a constant")
    return np.asarray(spec.const).reshape(-1)


def _plan(op: OpContext) -> tuple[list[int], list[np.ndarray], list[np.ndarray]]:
    x, y = op.inputs[0], op.outputs[0]
    rank = len(x.shape)
    attrs = op.node.get_attributes() if op.node is not None else {}
    mode = str(attrs.get("mode", "nearest"))
    v11 = op.node is not None and op.node.get_type_info().version_id == "opset11"
    axes_index = 2 if v11 else 3
    axes = (normalize_axes(_values(op, axes_index), rank) if len(op.inputs) > axes_index
            else list(range(rank)))
    pb = ([int(v) for v in attrs.get("pads_begin") or []] + [0] * rank)[:rank]
    pe = ([int(v) for v in attrs.get("pads_end") or []] + [0] * rank)[:rank]
    padded = [x.shape[d] + pb[d] + pe[d] for d in range(rank)]
    sizes_mode = str(attrs.get("shape_calculation_mode", "sizes")) == "sizes"
    if sizes_mode:
        scales = [float(F32(y.shape[a]) / F32(padded[a])) if padded[a] else 1.0 for a in axes]
    else:
        sv = _values(op, 1 if v11 else 2).astype(np.float64)
        if len(sv) != len(axes):
            raise Unsupported("Interpolate scales do not match its axes")
        scales = [float(F32(s)) for s in sv]
    downsample = any(s < 1.0 for s in scales)
    antialias = bool(attrs.get("antialias", False)) and downsample and mode == "linear"
    used, tables_i, tables_w = [], [], []
    for a, s in zip(axes, scales):
        out_len, in_len = y.shape[a], padded[a]
        if in_len == 0 or out_len == 0:
            continue
        if mode in ("bilinear_pillow", "bicubic_pillow") and out_len == in_len:
            if pb[a] or pe[a]:
                raise Unsupported("pillow Interpolate with padding on an unchanged axis")
            continue
        idx, w = axis_table(mode, in_len, out_len, s, attrs, s if antialias else 1.0)
        idx = idx - pb[a]
        outside = (idx < 0) | (idx >= x.shape[a])
        idx = np.where(outside, -1, idx)
        w = np.where(outside, 0.0, w)
        if (idx.shape[1] == 1 and out_len == x.shape[a]
                and np.array_equal(idx[:, 0], np.arange(out_len))):
            continue  # identity along this axis
        used.append(a)
        tables_i.append(idx.astype(np.int32))
        tables_w.append(w.astype(np.float32))
    for d in range(rank):
        if d not in used and x.shape[d] != y.shape[d]:
            raise Unsupported(f"Interpolate changes axis {d} without a table")
    return used, tables_i, tables_w


def _host(x: np.ndarray, used: list[int], ti: list[np.ndarray], tw: list[np.ndarray]
          ) -> np.ndarray:
    for a, idx, w in zip(used, ti, tw):
        shape = [1] * x.ndim
        shape[a] = -1
        out = 0.0
        for t in range(idx.shape[1]):
            take = np.take(x, np.maximum(idx[:, t], 0), axis=a)
            out = out + take * (w[:, t] * (idx[:, t] >= 0)).reshape(shape)
        x = np.asarray(out, np.float64)
    return x


def _check(op: OpContext, used: list[int], ti: list[np.ndarray], tw: list[np.ndarray]) -> None:
    """The tables against the op's reference on random data."""
    x, y = op.inputs[0], op.outputs[0]
    if op.node is None or x.size > 1 << 22:
        raise Unsupported("Interpolate too large to check its tables against the reference")
    data = np.random.default_rng(0).uniform(-1, 1, x.shape).astype(np.float32)
    values = [ov.Tensor(data)] + [ov.Tensor(np.ascontiguousarray(s.const)) for s in
                                  op.inputs[1:]]
    if any(s.const is None for s in op.inputs[1:]):
        raise Unsupported("Interpolate with non-constant sizes, scales or axes")
    import openvino.opset13 as ops

    new = [ops.parameter(list(x.shape), ov.Type.f32).output(0)] + \
          [ops.constant(np.asarray(s.const)).output(0) for s in op.inputs[1:]]
    clone = op.node.clone_with_new_inputs(new)
    out = ov.Tensor(ov.Type.f32, list(y.shape))
    if not clone.evaluate([out], values):
        raise Unsupported("Interpolate could not be evaluated to check its tables")
    want = np.asarray(out.data)
    got = _host(data.astype(np.float64), used, ti, tw)
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-4, atol=1e-5):
        raise Unsupported(f"Interpolate attributes {op.node.get_attributes()} have no GPU "
                          "table equal to the reference")


def _supports(node: Any) -> bool:
    return (node.get_output_element_type(0).get_type_name() in ("f32", "f16", "bf16")
            and node.get_type_info().version_id in ("opset4", "opset11"))


@register("Interpolate", supports=_supports)
def lower_interpolate(op: OpContext) -> list[Launch]:
    x, y = op.inputs[0], op.outputs[0]
    if np.dtype(x.dtype).kind != "f":
        raise Unsupported("Interpolate of non-float tensors")
    if op.node is None or op.node.get_type_info().version_id not in ("opset4", "opset11"):
        raise Unsupported("Interpolate other than v4 and v11")
    rank = len(x.shape)
    if rank > MAXR:
        raise Unsupported(f"Interpolate of rank {rank} (> {MAXR})")
    if y.size == 0:
        return []
    used, ti, tw = _plan(op)
    if len(used) > MAXA:
        raise Unsupported(f"Interpolate over {len(used)} axes (> {MAXA})")
    _check(op, used, ti, tw)
    meta = np.zeros(30, np.int32)
    meta[0] = rank
    meta[1:1 + rank] = x.shape
    meta[9:9 + rank] = y.shape
    meta[17] = len(used)
    offset = 0
    for k, (a, idx) in enumerate(zip(used, ti)):
        meta[18 + k] = a
        meta[22 + k] = idx.shape[1]
        meta[26 + k] = offset
        offset += idx.size
    idx_all = np.concatenate([t.ravel() for t in ti]) if ti else np.zeros(1, np.int32)
    w_all = np.concatenate([t.ravel() for t in tw]) if tw else np.zeros(1, np.float32)
    program = op.program("interpolate.cl", op.float_options())
    n = y.size
    return [Launch(program, "interpolate", ((n + 63) // 64 * 64,), (64,),
                   (In(0), Out(0), op.constant(meta), op.constant(idx_all),
                    op.constant(w_all), np.int32(n)))]
