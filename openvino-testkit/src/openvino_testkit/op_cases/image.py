"""Image ops: resizing (Interpolate 1/4/11 in every mode and coordinate convention),
GridSample, region pooling (ROIPooling, ROIAlign, ROIAlignRotated, PSROIPooling), colour
conversions (NV12/I420 to RGB/BGR), prior boxes, YOLO region/reorg layers and Col2Im."""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov

from ._case import FLOAT_TYPES, Case, OpInfo, T, const, op_cases, param
from .movement import i64

_IMAGE = FLOAT_TYPES + (T.i8, T.u8, T.i32)


def _scales(values: list[float]) -> Any:
    return const(np.asarray(values, dtype=np.float32), T.f32)


@op_cases("Interpolate", types=_IMAGE)
def _interpolate(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    lo, hi = (-3.0, 3.0) if et.is_real() or et.is_signed() else (0.0, 20.0)
    image = [1, 2, 4, 5]

    if info.number < 4:
        def v1(mode: str, align: bool = False, antialias: bool = False) -> Any:
            return lambda x, s: ops.interpolate(x, s, {"axes": [2, 3], "mode": mode,
                                                       "align_corners": align,
                                                       "antialias": antialias})
        return [
            Case("nearest_up", [param(image, low=lo, high=hi), i64([8, 10])], v1("nearest")),
            Case("linear_down", [param([1, 2, 8, 6], low=lo, high=hi), i64([4, 3])],
                 v1("linear")),
            Case("linear_align_corners", [param(image, low=lo, high=hi), i64([7, 9])],
                 v1("linear", True)),
            Case("cubic", [param(image, low=lo, high=hi), i64([6, 7])], v1("cubic")),
        ]

    def v4(mode: str, calc: str, ctm: str = "half_pixel", nearest: str = "round_prefer_floor",
           antialias: bool = False, pads: tuple[list[int], list[int]] | None = None) -> Any:
        pb, pe = pads if pads else ([0, 0, 0, 0], [0, 0, 0, 0])
        if info.number < 11:
            return lambda x, sizes, scales, axes: ops.interpolate(
                x, sizes, scales, mode, calc, pb, pe, ctm, nearest, antialias, -0.75, axes)
        return lambda x, s, axes: ops.interpolate(x, s, mode, calc, pb, pe, ctm, nearest,
                                                  antialias, -0.75, axes)

    def ins(sizes: list[int], scales: list[float], calc: str, shape: list[int] = image) -> list:
        data = param(shape, low=lo, high=hi)
        if info.number < 11:
            return [data, i64(sizes), _scales(scales), i64([2, 3])]
        return [data, i64(sizes) if calc == "sizes" else _scales(scales), i64([2, 3])]

    cases = [
        Case("nearest_sizes_asymmetric_floor", ins([8, 10], [2.0, 2.0], "sizes"),
             v4("nearest", "sizes", "asymmetric", "floor")),
        Case("nearest_scales_prefer_ceil", ins([6, 7], [1.5, 1.5], "scales"),
             v4("nearest", "scales", "tf_half_pixel_for_nn", "round_prefer_ceil")),
        Case("nearest_down_simple", ins([2, 2], [0.5, 0.4], "scales"),
             v4("nearest", "scales", "asymmetric", "simple")),
        Case("linear_onnx_half_pixel", ins([7, 9], [1.75, 1.8], "sizes"),
             v4("linear_onnx", "sizes", "half_pixel")),
        Case("linear_onnx_align_corners", ins([6, 3], [1.5, 0.6], "sizes"),
             v4("linear_onnx", "sizes", "align_corners")),
        Case("linear_antialias_down", ins([2, 3], [0.5, 0.6], "sizes", [1, 2, 7, 9]),
             v4("linear", "sizes", "half_pixel", antialias=True)),
        Case("cubic_pytorch_half_pixel", ins([8, 9], [2.0, 1.8], "scales"),
             v4("cubic", "scales", "pytorch_half_pixel")),
        Case("pads", ins([10, 12], [2.0, 2.0], "scales"),
             v4("nearest", "scales", "asymmetric", "floor",
                pads=([0, 0, 1, 0], [0, 0, 0, 1]))),
    ]
    if info.number >= 11:
        cases.append(Case("bilinear_pillow", ins([3, 7], [0.75, 1.4], "sizes"),
                          v4("bilinear_pillow", "sizes")))
        cases.append(Case("bicubic_pillow", ins([6, 4], [1.5, 0.8], "sizes"),
                          v4("bicubic_pillow", "sizes")))
    return cases


@op_cases("GridSample", types=FLOAT_TYPES)
def _grid_sample(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = []
    for mode in ("bilinear", "bicubic", "nearest"):
        for padding in ("zeros", "border", "reflection"):
            for align in (False, True):
                attrs = {"align_corners": align, "mode": mode, "padding_mode": padding}
                cases.append(Case(f"{mode}_{padding}_align{int(align)}",
                                  [param([1, 2, 4, 5]), param([1, 3, 4, 2], low=-1.3, high=1.3)],
                                  lambda x, g, a=attrs: ops.grid_sample(x, g, a),
                                  dynamic=mode == "bilinear" and padding == "zeros"))
    return cases


def _rois(count: int, width: float, height: float, seed: int, with_batch: bool = True
          ) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x1 = rng.uniform(0, width * 0.6, count)
    y1 = rng.uniform(0, height * 0.6, count)
    x2 = x1 + rng.uniform(1, width * 0.4, count)
    y2 = y1 + rng.uniform(1, height * 0.4, count)
    boxes = np.stack([x1, y1, x2, y2], axis=1)
    if with_batch:
        return np.concatenate([rng.integers(0, 2, (count, 1)).astype(float), boxes], axis=1)
    return boxes


@op_cases("ROIPooling", types=FLOAT_TYPES)
def _roi_pooling(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    rois = _rois(3, 15, 15, 1)
    return [
        Case("max", [param([2, 3, 8, 8]), param([3, 5], value=rois)],
             lambda x, r: ops.roi_pooling(x, r, [2, 2], 0.5, "max")),
        Case("bilinear", [param([2, 3, 8, 8]), param([3, 5], value=rois / [1, 16, 16, 16, 16])],
             lambda x, r: ops.roi_pooling(x, r, [3, 2], 1.0, "bilinear")),
    ]


@op_cases("ROIAlign", types=FLOAT_TYPES)
def _roi_align(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    boxes = _rois(3, 14, 14, 2, with_batch=False)
    ids = param([3], T.i32, value=[0, 1, 1])

    def ra(mode: str, aligned: str = "asymmetric") -> Any:
        if info.number < 9:
            return lambda x, b, i: ops.roi_align(x, b, i, 2, 3, 2, 0.5, mode)
        return lambda x, b, i: ops.roi_align(x, b, i, 2, 3, 2, 0.5, mode, aligned)

    cases = [Case("avg", [param([2, 3, 8, 8]), param([3, 4], value=boxes), ids], ra("avg")),
             Case("max", [param([2, 3, 8, 8]), param([3, 4], value=boxes), ids], ra("max"))]
    if info.number >= 9:
        cases.append(Case("half_pixel", [param([2, 3, 8, 8]), param([3, 4], value=boxes), ids],
                          ra("avg", "half_pixel")))
    return cases


@op_cases("ROIAlignRotated", types=FLOAT_TYPES)
def _roi_align_rotated(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    rois = np.array([[3.0, 3.0, 4.0, 2.0, 0.3], [5.0, 4.0, 3.0, 5.0, -1.0]])
    return [Case("basic", [param([2, 2, 8, 8]), param([2, 5], value=rois),
                           param([2], T.i32, value=[0, 1])],
                 lambda x, r, i: ops.roi_align_rotated(x, r, i, 2, 2, 2, 1.0, True))]


@op_cases("PSROIPooling", types=FLOAT_TYPES)
def _psroi_pooling(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    rois = _rois(2, 15, 15, 3)
    return [
        Case("average", [param([1, 8, 6, 6]), param([2, 5], value=rois * [0, 1, 1, 1, 1])],
             lambda x, r: ops.psroi_pooling(x, r, 2, 2, 0.4, 1, 1, "average")),
        Case("bilinear", [param([1, 8, 6, 6]), param([2, 5], value=rois / [1, 16, 16, 16, 16]
                                                      * [0, 1, 1, 1, 1])],
             lambda x, r: ops.psroi_pooling(x, r, 2, 1, 1.0, 2, 2, "bilinear")),
    ]


@op_cases("NV12toRGB", "NV12toBGR", "I420toRGB", "I420toBGR", types=(T.u8, T.f32))
def _yuv(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    factory = {"NV12toRGB": "nv12_to_rgb", "NV12toBGR": "nv12_to_bgr",
               "I420toRGB": "i420_to_rgb", "I420toBGR": "i420_to_bgr"}[info.type_name]
    make = getattr(ops, factory)
    lo, hi = (0.0, 255.0)
    planes = 2 if info.type_name.startswith("NV12") else 3
    uv_shapes = [[1, 2, 3, 2]] if planes == 2 else [[1, 2, 3, 1], [1, 2, 3, 1]]
    return [
        Case("single_plane", [param([1, 6, 6, 1], low=lo, high=hi)], lambda x: make(x)),
        Case("separate_planes", [param([1, 4, 6, 1], low=lo, high=hi)]
             + [param(s, low=lo, high=hi) for s in uv_shapes], lambda *xs: make(*xs)),
    ]


@op_cases("PriorBox", types=(T.i32, T.i64))
def _prior_box(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    attrs = {"min_size": [2.0, 4.0], "max_size": [5.0, 8.0], "aspect_ratio": [2.0, 0.5],
             "flip": True, "clip": False, "step": 4.0, "offset": 0.5,
             "variance": [0.1, 0.1, 0.2, 0.2], "scale_all_sizes": True}
    cases = [Case("basic", [param([2], value=[3, 4]), param([2], value=[12, 16])],
                  lambda s, i: ops.prior_box(s, i, attrs), dynamic=False),
             Case("clip_fixed", [param([2], value=[2, 2]), param([2], value=[8, 8])],
                  lambda s, i: ops.prior_box(s, i, {"offset": 0.5, "clip": True,
                                                    "fixed_size": [3.0], "density": [2.0],
                                                    "variance": [0.1]}), dynamic=False)]
    if info.number >= 8:
        cases.append(Case("min_max_order", [param([2], value=[2, 3]), param([2], value=[8, 12])],
                          lambda s, i: ops.prior_box(s, i, {**attrs,
                                                            "min_max_aspect_ratios_order": False}),
                          dynamic=False))
    return cases


@op_cases("PriorBoxClustered", types=(T.i32, T.i64))
def _prior_box_clustered(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    # the op's own attribute names (OpenVINO's factory checks "widths"/"heights" but does
    # not apply them)
    attrs = {"width": [1.0, 2.5], "height": [2.0, 1.5], "clip": True, "step_w": 4.0,
             "step_h": 4.0, "offset": 0.5, "variance": [0.1, 0.1, 0.2, 0.2]}
    return [Case("basic", [param([2], value=[3, 4]), param([2], value=[12, 16])],
                 lambda s, i: ops.prior_box_clustered(s, i, attrs), dynamic=False)]


@op_cases("RegionYolo", types=FLOAT_TYPES)
def _region_yolo(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("yolo_v2", [param([1, 5 * (4 + 1 + 3), 3, 3])],
             lambda x: ops.region_yolo(x, 4, 3, 5, True, [], 1, 3)),
        Case("yolo_v3_mask", [param([1, 2 * (4 + 1 + 2), 4, 4])],
             lambda x: ops.region_yolo(x, 4, 2, 6, False, [0, 1], 1, 3,
                                       [10.0, 14.0, 23.0, 27.0, 37.0, 58.0,
                                        81.0, 82.0, 135.0, 169.0, 344.0, 319.0])),
    ]


@op_cases("ReorgYolo", types=FLOAT_TYPES + (T.i32, T.u8))
def _reorg_yolo(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [Case("stride2", [param([1, 4, 4, 6])], lambda x: ops.reorg_yolo(x, [2])),
            Case("stride3", [param([2, 18, 6, 3])], lambda x: ops.reorg_yolo(x, [3]))]


@op_cases("Col2Im", types=FLOAT_TYPES + (T.i32,))
def _col2im(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("basic", [param([1, 3 * 4, 9]), i64([4, 4]), i64([2, 2])],
             lambda x, o, k: ops.col2im(x, o, k)),
        Case("strided_padded", [param([3 * 2 * 2, 9]), i64([5, 5]), i64([2, 2])],
             lambda x, o, k: ops.col2im(x, o, k, [2, 2], [1, 1], [1, 1], [1, 1])),
    ]
