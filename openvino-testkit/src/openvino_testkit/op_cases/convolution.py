"""Convolutions and pooling: plain, grouped, transposed, deformable and binary
convolutions; average, max and adaptive pooling. 1-d, 2-d and 3-d spatial shapes, strides,
dilations, asymmetric pads, auto_pad modes and odd sizes. Filters are Constants."""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov

from ._case import FLOAT_TYPES, INT_TYPES, Case, OpInfo, T, const, op_cases, param, weights
from .movement import i64

_NUMERIC = FLOAT_TYPES + INT_TYPES


def _range(et: ov.Type) -> tuple[float, float]:
    return (-3.0, 3.0) if et.is_real() else ((-2.0, 2.0) if et.is_signed() else (0.0, 3.0))


@op_cases("Convolution", types=_NUMERIC)
def _convolution(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    lo, hi = _range(et)

    def conv(strides: list[int], pb: list[int], pe: list[int], dil: list[int],
             auto_pad: str = "EXPLICIT") -> Any:
        return lambda x, w: ops.convolution(x, w, strides, pb, pe, dil, auto_pad)

    def ins(data: list[int], filters: list[int]) -> list:
        return [param(data, low=lo, high=hi), weights(filters, low=lo, high=hi)]

    return [
        Case("3x3_pad1", ins([1, 3, 8, 8], [4, 3, 3, 3]), conv([1, 1], [1, 1], [1, 1], [1, 1])),
        Case("stride2_asym_pads", ins([2, 2, 9, 7], [3, 2, 3, 2]),
             conv([2, 2], [0, 1], [2, 0], [1, 1])),
        Case("dilation2", ins([1, 2, 9, 9], [2, 2, 3, 3]), conv([1, 1], [0, 0], [0, 0], [2, 2])),
        Case("same_upper", ins([1, 3, 7, 6], [2, 3, 4, 3]),
             conv([2, 1], [0, 0], [0, 0], [1, 1], "SAME_UPPER")),
        Case("same_lower", ins([1, 3, 7, 6], [2, 3, 4, 3]),
             conv([2, 2], [0, 0], [0, 0], [1, 1], "SAME_LOWER")),
        Case("valid", ins([1, 1, 5, 5], [1, 1, 3, 3]),
             conv([1, 1], [3, 3], [3, 3], [1, 1], "VALID")),
        Case("1d", ins([2, 3, 13], [4, 3, 3]), conv([2], [1], [1], [1])),
        Case("3d", ins([1, 2, 4, 5, 4], [2, 2, 2, 3, 2]),
             conv([1, 1, 1], [1, 0, 1], [0, 1, 0], [1, 1, 1])),
        Case("1x1_large", ins([1, 16, 17, 19], [8, 16, 1, 1]),
             conv([1, 1], [0, 0], [0, 0], [1, 1])),
    ]


@op_cases("GroupConvolution", types=_NUMERIC)
def _group_convolution(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    lo, hi = _range(et)

    def gconv(strides: list[int], pb: list[int], pe: list[int], dil: list[int]) -> Any:
        return lambda x, w: ops.group_convolution(x, w, strides, pb, pe, dil)

    return [
        Case("groups2", [param([1, 4, 6, 6], low=lo, high=hi),
                         weights([2, 3, 2, 3, 3], low=lo, high=hi)],
             gconv([1, 1], [1, 1], [1, 1], [1, 1])),
        Case("depthwise_stride2", [param([2, 3, 7, 5], low=lo, high=hi),
                                   weights([3, 1, 1, 3, 3], low=lo, high=hi)],
             gconv([2, 2], [1, 0], [0, 1], [1, 1])),
        Case("1d_dilated", [param([1, 4, 11], low=lo, high=hi),
                            weights([4, 2, 1, 3], low=lo, high=hi)],
             gconv([1], [2], [2], [2])),
    ]


@op_cases("ConvolutionBackpropData", types=FLOAT_TYPES)
def _deconvolution(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("stride2_out_pad", [param([1, 3, 4, 4]), weights([3, 2, 3, 3])],
             lambda x, w: ops.convolution_backprop_data(x, w, [2, 2], None, [1, 1], [1, 1],
                                                        [1, 1], "EXPLICIT", [1, 1])),
        Case("output_shape", [param([1, 2, 5, 5]), weights([2, 3, 3, 3]), i64([11, 11])],
             lambda x, w, s: ops.convolution_backprop_data(x, w, [2, 2], s, None, None,
                                                           [1, 1], "SAME_UPPER")),
        Case("dilated_1d", [param([2, 2, 6]), weights([2, 2, 3])],
             lambda x, w: ops.convolution_backprop_data(x, w, [1], None, [0], [0], [2])),
    ]


@op_cases("GroupConvolutionBackpropData", types=FLOAT_TYPES)
def _group_deconvolution(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("groups2", [param([1, 4, 3, 3]), weights([2, 2, 3, 3, 3])],
             lambda x, w: ops.group_convolution_backprop_data(x, w, [2, 2], None, [0, 0],
                                                              [0, 0], [1, 1])),
        Case("output_padding", [param([1, 2, 4, 4]), weights([2, 1, 2, 2, 2])],
             lambda x, w: ops.group_convolution_backprop_data(
                 x, w, [2, 2], None, [1, 0], [0, 1], [1, 1], "EXPLICIT", [1, 1])),
    ]


@op_cases("DeformableConvolution", types=FLOAT_TYPES)
def _deformable(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    # 3x3 kernel over a 5x5 image, no padding: 3x3 output; offsets 2*9 per deformable group
    if info.number < 8:
        return [Case("basic", [param([1, 2, 5, 5]), param([1, 18, 3, 3], low=-1, high=1),
                               weights([3, 2, 3, 3])],
                     lambda x, o, w: ops.deformable_convolution(x, o, w, [1, 1], [0, 0], [0, 0],
                                                                [1, 1]))]
    return [
        Case("basic", [param([1, 2, 5, 5]), param([1, 18, 3, 3], low=-1, high=1),
                       weights([3, 2, 3, 3])],
             lambda x, o, w: ops.deformable_convolution(x, o, w, [1, 1], [0, 0], [0, 0],
                                                        [1, 1])),
        Case("mask_groups", [param([1, 4, 5, 5]), param([1, 36, 3, 3], low=-1.5, high=1.5),
                             weights([2, 2, 3, 3]), param([1, 18, 3, 3], low=0, high=1)],
             lambda x, o, w, m: ops.deformable_convolution(x, o, w, [1, 1], [0, 0], [0, 0],
                                                           [1, 1], m, "EXPLICIT", 2, 2)),
        Case("bilinear_pad", [param([1, 1, 4, 4]), param([1, 8, 4, 4], low=-2, high=2),
                              weights([1, 1, 2, 2])],
             lambda x, o, w: ops.deformable_convolution(x, o, w, [1, 1], [1, 1], [0, 0], [1, 1],
                                                        None, "EXPLICIT", 1, 1, True)),
    ]


@op_cases("BinaryConvolution", types=(T.f32,))
def _binary_convolution(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    rng = np.random.default_rng(5)
    bits = rng.integers(0, 2, size=(2, 3, 3, 3)).astype(np.uint8)
    return [Case("xnor_popcount", [param([1, 3, 6, 6], low=-1, high=1), const(bits, T.u1)],
                 lambda x, w: ops.binary_convolution(x, w, [1, 1], [1, 1], [1, 1], [1, 1],
                                                     "xnor-popcount", -1.0))]


@op_cases("AvgPool", types=FLOAT_TYPES)
def _avg_pool(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = [
        Case("2x2_stride2", [param([1, 3, 8, 8])],
             lambda x: ops.avg_pool(x, [2, 2], [0, 0], [0, 0], [2, 2], True)),
        Case("3x3_pad_exclude", [param([2, 2, 5, 7])],
             lambda x: ops.avg_pool(x, [1, 1], [1, 1], [1, 1], [3, 3], True)),
        Case("3x3_pad_include", [param([2, 2, 5, 7])],
             lambda x: ops.avg_pool(x, [1, 1], [1, 1], [1, 1], [3, 3], False)),
        Case("ceil", [param([1, 1, 7, 7])],
             lambda x: ops.avg_pool(x, [2, 2], [0, 0], [0, 0], [3, 3], True, "ceil")),
        Case("same_upper", [param([1, 2, 6, 5])],
             lambda x: ops.avg_pool(x, [2, 2], [0, 0], [0, 0], [3, 3], True, "floor",
                                    "same_upper")),
        Case("1d", [param([2, 3, 11])], lambda x: ops.avg_pool(x, [3], [1], [0], [4], True)),
        Case("3d", [param([1, 2, 4, 5, 6])],
             lambda x: ops.avg_pool(x, [2, 2, 2], [0, 0, 0], [0, 0, 0], [2, 2, 2], True)),
    ]
    if info.number >= 14:
        cases.append(Case("ceil_torch", [param([1, 1, 7, 7])],
                          lambda x: ops.avg_pool(x, [2, 2], [1, 1], [1, 1], [3, 3], True,
                                                 "ceil_torch")))
    if info.number >= 16:  # dilated windows: the divisor counts the taps inside
        for n, (exclude, rounding) in enumerate([(True, "floor"), (False, "ceil"),
                                                 (True, "ceil_torch")]):
            cases.append(Case(f"dilated_{n}", [param([2, 2, 9, 8])],
                              lambda x, e=exclude, r=rounding: ops.avg_pool(
                                  x, [2, 1], [1, 0], [1, 2], [3, 2], e, r, None, [2, 3])))
        cases.append(Case("dilated_3d", [param([1, 2, 5, 6, 7])],
                          lambda x: ops.avg_pool(x, [1, 2, 1], [1, 1, 0], [0, 1, 1],
                                                 [2, 2, 3], True, "floor", None, [2, 1, 2])))
    return cases


@op_cases("MaxPool", types=_NUMERIC)
def _max_pool(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    v = info.number
    lo, hi = (-10.0, 10.0) if et.is_signed() else (0.0, 20.0)

    def mp(strides: list[int], dil: list[int], pb: list[int], pe: list[int], kernel: list[int],
           rounding: str = "floor", auto_pad: str | None = None, index_type: str = "i64",
           axis: int = 0) -> Any:
        if v < 8:
            return lambda x: ops.max_pool(x, strides, pb, pe, kernel, rounding, auto_pad)
        return lambda x: ops.max_pool(x, strides, dil, pb, pe, kernel, rounding, auto_pad,
                                      index_type, axis)

    cases = [
        Case("2x2_stride2", [param([1, 3, 8, 8], low=lo, high=hi)],
             mp([2, 2], [1, 1], [0, 0], [0, 0], [2, 2])),
        Case("3x3_pads", [param([2, 2, 5, 7], low=lo, high=hi)],
             mp([1, 1], [1, 1], [1, 1], [1, 1], [3, 3])),
        Case("ceil", [param([1, 1, 7, 7], low=lo, high=hi)],
             mp([2, 2], [1, 1], [0, 0], [0, 0], [3, 3], "ceil")),
        Case("same_lower", [param([1, 2, 6, 5], low=lo, high=hi)],
             mp([2, 2], [1, 1], [0, 0], [0, 0], [3, 3], "floor", "same_lower")),
        Case("1d", [param([2, 3, 11], low=lo, high=hi)], mp([3], [1], [1], [0], [4])),
        Case("3d", [param([1, 2, 4, 5, 6], low=lo, high=hi)],
             mp([2, 2, 2], [1, 1, 1], [0, 0, 0], [0, 0, 0], [2, 2, 2])),
    ]
    if v >= 8:
        cases.append(Case("dilated_i32_axis1", [param([2, 3, 7, 7], low=lo, high=hi)],
                          mp([1, 1], [2, 2], [0, 0], [0, 0], [2, 2], "floor", None, "i32", 1)))
    if v >= 14:
        cases.append(Case("ceil_torch", [param([1, 1, 7, 7], low=lo, high=hi)],
                          mp([2, 2], [1, 1], [1, 1], [1, 1], [3, 3], "ceil_torch")))
    return cases


@op_cases("AdaptiveAvgPool", types=FLOAT_TYPES)
def _adaptive_avg(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("2d", [param([2, 3, 7, 9]), i64([3, 4])], lambda x, s: ops.adaptive_avg_pool(x, s)),
        Case("1d", [param([1, 2, 10]), i64([4])], lambda x, s: ops.adaptive_avg_pool(x, s)),
        Case("3d_upsample", [param([1, 1, 2, 3, 4]), i64([3, 3, 5])],
             lambda x, s: ops.adaptive_avg_pool(x, s)),
    ]


@op_cases("AdaptiveMaxPool", types=_NUMERIC)
def _adaptive_max(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    lo, hi = (-10.0, 10.0) if et.is_signed() else (0.0, 20.0)
    return [
        Case("2d", [param([2, 3, 7, 9], low=lo, high=hi), i64([3, 4])],
             lambda x, s: ops.adaptive_max_pool(x, s)),
        Case("1d_i32", [param([1, 2, 10], low=lo, high=hi), i64([4])],
             lambda x, s: ops.adaptive_max_pool(x, s, "i32")),
    ]
