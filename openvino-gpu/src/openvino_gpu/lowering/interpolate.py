"""Interpolate (v1, v4, v11) on float tensors through ``kernels/interpolate.cl``: every mode
of OpenVINO's Interpolate is separable, so each resized axis is a table of source indices
and weights per output coordinate. The tables come from the plugin SDK
(``openvino.plugin.interpolate``), the ones core's reference resamples with: coordinate
transformation, nearest rounding, antialias, the Pillow filters and padding resolved."""

from __future__ import annotations

from typing import Any

import numpy as np

from openvino.plugin.interpolate import interpolate_tables

from . import In, Launch, OpContext, Out, Unsupported, register

__all__ = ["lower_interpolate"]

MAXR = 8
MAXA = 4


def _plan(op: OpContext) -> tuple[list[int], list[np.ndarray], list[np.ndarray]]:
    """(resized axes, their index tables [out, taps] (-1: padding), their f32 weights)."""
    x, y = op.inputs[0], op.outputs[0]
    try:
        plan = interpolate_tables(op.node, x.shape, y.shape,
                                  [spec.const for spec in op.inputs[1:]])
    except ValueError as exc:
        raise Unsupported(str(exc)) from exc
    used, tables_i, tables_w = [], [], []
    for t in plan.tables:
        if t.axis in used:
            raise Unsupported(f"Interpolate resamples axis {t.axis} twice")
        used.append(t.axis)
        weight = np.ones(t.index.shape) if t.weight is None else t.weight
        if t.taps == 0:  # an empty source axis: zeros
            tables_i.append(np.full((t.out_len, 1), -1, np.int32))
            tables_w.append(np.zeros((t.out_len, 1), np.float32))
            continue
        tables_i.append(t.index.astype(np.int32))
        tables_w.append(np.where(t.index < 0, 0.0, weight).astype(np.float32))
    return used, tables_i, tables_w


def _supports(node: Any) -> bool:
    return (node.get_output_element_type(0).get_type_name() in ("f32", "f16", "bf16")
            and node.get_type_info().version_id in ("opset1", "opset4", "opset11"))


@register("Interpolate", supports=_supports)
def lower_interpolate(op: OpContext) -> list[Launch]:
    x, y = op.inputs[0], op.outputs[0]
    if np.dtype(x.dtype).kind != "f":
        raise Unsupported("Interpolate of non-float tensors")
    if op.node is None or op.node.get_type_info().version_id not in ("opset1", "opset4",
                                                                      "opset11"):
        raise Unsupported("Interpolate other than v1, v4 and v11")
    rank = len(x.shape)
    if rank > MAXR:
        raise Unsupported(f"Interpolate of rank {rank} (> {MAXR})")
    if y.size == 0:
        return []
    used, ti, tw = _plan(op)
    if len(used) > MAXA:
        raise Unsupported(f"Interpolate over {len(used)} axes (> {MAXA})")
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
