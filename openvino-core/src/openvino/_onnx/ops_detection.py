"""Mappings of ONNX detection ops: NonMaxSuppression, MaxRoiPool and RoiAlign."""

from __future__ import annotations

from typing import Any

import numpy as np

from .context import NodeContext
from .registry import onnx_op


@onnx_op("NonMaxSuppression", since=10)
def non_max_suppression(ctx: NodeContext) -> Any:
    """NonMaxSuppression-9 in ONNX's order (by batch, class, then selection), i64 triplets;
    a constant IoU threshold keeps ONNX's strict comparison."""
    center = int(ctx.attr("center_point_box", 0))
    if center not in (0, 1):
        ctx.fail(f"center_point_box must be 0 or 1, got {center}")
    args = [ctx.input(0), ctx.input(1)]
    defaults = [np.int64(0), np.float32(0), np.float32(0)]
    for i, default in zip(range(2, 5), defaults):
        x = ctx.opt(i)
        args.append(ctx.const(default) if x is None else x)
    # ONNX suppresses an IoU above the threshold, OpenVINO one at or above it: for f32 IoUs
    # "above t" is "at or above the next float after t"
    iou = ctx.value(3)
    if iou is not None:
        t = np.float32(np.asarray(iou).reshape(-1)[0])
        args[3] = ctx.const(np.nextafter(t, np.float32(np.inf), dtype=np.float32))
    args.append(ctx.const(np.float32(0)))
    nms = ctx.make("NonMaxSuppression", *args, version=9,
                   box_encoding="center" if center else "corner",
                   sort_result_descending=False, output_type="i64")
    return nms.output(0)


@onnx_op("MaxRoiPool")
def max_roi_pool(ctx: NodeContext) -> Any:
    size = [int(v) for v in ctx.attr("pooled_shape")]
    return ctx.make("ROIPooling", ctx.input(0), ctx.input(1), output_size=size,
                    spatial_scale=float(ctx.attr("spatial_scale", 1.0)), method="max")


@onnx_op("RoiAlign", since=10)
def roi_align(ctx: NodeContext) -> Any:
    """ROIAlign-9: ONNX's ``half_pixel`` (opset 16's default) shifts by half a pixel after
    scaling (OpenVINO's ``half_pixel_for_nn``), ``output_half_pixel`` (opset 10) does not."""
    default = "half_pixel" if ctx.opset >= 16 else "output_half_pixel"
    transform = ctx.attr("coordinate_transformation_mode", default)
    aligned = {"half_pixel": "half_pixel_for_nn", "output_half_pixel": "asymmetric"}.get(
        transform)
    if aligned is None:
        ctx.fail(f"unknown coordinate_transformation_mode '{transform}'")
    mode = ctx.attr("mode", "avg")
    return ctx.make("ROIAlign", ctx.input(0), ctx.input(1), ctx.input(2), version=9,
                    pooled_h=int(ctx.attr("output_height", 1)),
                    pooled_w=int(ctx.attr("output_width", 1)),
                    sampling_ratio=int(ctx.attr("sampling_ratio", 0)),
                    spatial_scale=float(ctx.attr("spatial_scale", 1.0)), mode=mode,
                    aligned_mode=aligned)
