"""Interpolate kernel (kernels/interpolate.cl, tables from lowering/interpolate.py) against
the TEMPLATE reference: every mode, coordinate transformation and nearest rounding, sizes
and scales, padding, antialias, v4 and v11."""

import numpy as np
import pytest
from kernel_harness import check

import openvino as ov
import openvino.opset4 as ops4
import openvino.opset11 as ops11

RNG = np.random.default_rng(17)


def _x(shape):
    return RNG.uniform(-1, 1, shape).astype(np.float32)


COORDS = ["half_pixel", "pytorch_half_pixel", "asymmetric", "tf_half_pixel_for_nn",
          "align_corners"]
NEAREST = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple"]


@pytest.mark.parametrize("coord", COORDS)
@pytest.mark.parametrize("nearest", NEAREST)
def test_nearest(gpu, coord, nearest):
    p = ops11.parameter([1, 2, 5, 7], ov.Type.f32)
    node = ops11.interpolate(p, np.array([9, 4], np.int64), "nearest", "sizes",
                             axes=np.array([2, 3], np.int64), coordinate_transformation_mode=coord,
                             nearest_mode=nearest)
    check(gpu, node, [_x((1, 2, 5, 7))])


@pytest.mark.parametrize("mode", ["linear_onnx", "cubic", "linear", "bilinear_pillow",
                                  "bicubic_pillow"])
@pytest.mark.parametrize("coord", ["half_pixel", "align_corners", "asymmetric"])
@pytest.mark.parametrize("out_hw", [(9, 4), (3, 11), (1, 1)])
def test_modes(gpu, mode, coord, out_hw, precision):
    p = ops11.parameter([2, 3, 5, 7], ov.Type.f32)
    node = ops11.interpolate(p, np.array(out_hw, np.int64), mode, "sizes",
                             axes=np.array([2, 3], np.int64), coordinate_transformation_mode=coord)
    tol = {} if precision == "f32" else {"rtol": 2e-2, "atol": 2e-2}
    check(gpu, node, [_x((2, 3, 5, 7))], precision, **tol)


def test_scales_pads_and_antialias(gpu):
    p = ops11.parameter([1, 2, 6, 8], ov.Type.f32)
    node = ops11.interpolate(p, np.array([0.5, 1.5], np.float32), "linear", "scales",
                             pads_begin=[0, 0, 1, 0], pads_end=[0, 0, 0, 2],
                             axes=np.array([2, 3], np.int64), antialias=True)
    check(gpu, node, [_x((1, 2, 6, 8))])
    node = ops11.interpolate(p, np.array([1.0, 1.0, 2.0, 0.5], np.float32), "cubic", "scales")
    check(gpu, node, [_x((1, 2, 6, 8))])


def test_v4(gpu):
    p = ops4.parameter([1, 3, 4, 4], ov.Type.f32)
    node = ops4.interpolate(p, np.array([7, 5], np.int64), np.array([1.75, 1.25], np.float32),
                            "linear_onnx", "sizes", axes=np.array([2, 3], np.int64))
    check(gpu, node, [_x((1, 3, 4, 4))])
    node = ops4.interpolate(p, np.array([8, 2], np.int64), np.array([2.0, 0.5], np.float32),
                            "nearest", "scales", axes=np.array([2, 3], np.int64))
    check(gpu, node, [_x((1, 3, 4, 4))])


def test_1d_and_5d(gpu):
    p = ops11.parameter([2, 9], ov.Type.f32)
    node = ops11.interpolate(p, np.array([4], np.int64), "linear_onnx", "sizes",
                             axes=np.array([1], np.int64))
    check(gpu, node, [_x((2, 9))])
    q = ops11.parameter([1, 2, 3, 4, 5], ov.Type.f32)
    node = ops11.interpolate(q, np.array([5, 2, 7], np.int64), "nearest", "sizes",
                             axes=np.array([2, 3, 4], np.int64))
    check(gpu, node, [_x((1, 2, 3, 4, 5))])


def test_v1_and_pillow_padding(gpu):
    import openvino.opset1 as ops1

    p = ops1.parameter([1, 2, 5, 6], ov.Type.f32)
    node = ops1.interpolate(p, ops1.constant(np.array([8, 3], np.int64)),
                            {"axes": [2, 3], "mode": "linear", "align_corners": False})
    check(gpu, node, [_x((1, 2, 5, 6))])
    node = ops11.interpolate(p, np.array([5, 9], np.int64), "bicubic_pillow", "sizes",
                             pads_begin=[0, 1, 1, 0], pads_end=[0, 0, 1, 0],
                             axes=np.array([2, 3], np.int64))
    check(gpu, node, [_x((1, 2, 5, 6))])
