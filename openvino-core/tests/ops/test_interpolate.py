"""Interpolate v1 (opset1), v4 and v11: every mode against a per-output-element
implementation written from the specification's formulas (all resized axes at once, not one
after the other), coordinate transformation and nearest modes, sizes/scales shape
calculation, pads, axes, dynamic shapes and invalid arguments."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset4, opset8, opset11
from openvino._ops.interpolate import Interpolate, Interpolate1, Interpolate4

RNG = np.random.default_rng(19)


def _param(shape, dtype=np.float32):
    return opset8.parameter(shape, dtype)


# --- per-element expectation ------------------------------------------------------------------
def _coord(mode, x, scale, out_len, in_len):
    if mode == "half_pixel":
        return (x + 0.5) / scale - 0.5
    if mode == "pytorch_half_pixel":
        return (x + 0.5) / scale - 0.5 if out_len > 1 else 0.0
    if mode == "asymmetric":
        return x / scale
    if mode == "tf_half_pixel_for_nn":
        return (x + 0.5) / scale
    return 0.0 if out_len == 1 else x * (in_len - 1) / (out_len - 1)


def _nearest(mode, c, downsample):
    if mode == "round_prefer_floor":
        return math.floor(c) if c == math.floor(c) + 0.5 else round(c)
    if mode == "round_prefer_ceil":
        return math.floor(c + 0.5)
    if mode == "floor":
        return math.floor(c)
    if mode == "ceil":
        return math.ceil(c)
    return math.ceil(c) if downsample else int(c)


def _cubic(t, a):
    t = abs(t)
    return [a * (t - 1) * (t - 1) * t, ((a + 2) * t - (a + 3)) * t * t + 1,
            ((-a - 2) * t + (2 * a + 3)) * t * t - a * t, -a * t * t * (t - 1)]


def expected(x, axes, out_lens, scales, mode, coord="half_pixel", nearest="round_prefer_floor",
             antialias=False, cube=-0.75):
    """Resize ``x`` (already padded) along ``axes``; one output element at a time."""
    out_shape = list(x.shape)
    for a, o in zip(axes, out_lens):
        out_shape[a] = o
    out = np.zeros(out_shape)
    down = any(s < 1 for s in scales)
    for pos in np.ndindex(*out_shape):
        coords = {a: _coord(coord, pos[a], s, out_shape[a], x.shape[a])
                  for a, s in zip(axes, scales)}
        if mode == "nearest":
            src = list(pos)
            for a, s in zip(axes, scales):
                src[a] = min(max(_nearest(nearest, coords[a], s < 1), 0), x.shape[a] - 1)
            out[pos] = x[tuple(src)]
            continue
        taps = {}
        for a, s in zip(axes, scales):
            n, c = x.shape[a], coords[a]
            if mode == "linear_onnx":
                c = min(max(c, 0.0), n - 1)
                i1 = min(int(c), n - 1)
                i2 = min(i1 + 1, n - 1)
                taps[a] = [(i1, 0.5), (i2, 0.5)] if i1 == i2 else [(i1, i2 - c), (i2, c - i1)]
            elif mode == "cubic":
                base = math.floor(c)
                w = _cubic(c - base, cube)
                taps[a] = [(min(max(base + t - 1, 0), n - 1), w[t]) for t in range(4)]
            else:  # linear, triangle filter
                aa = s if antialias and down else 1.0
                r = 2 if s > 1 else math.ceil(2 / aa)
                center = round(c)
                taps[a] = [(i, max(0.0, 1 - abs(aa * (c - i))))
                           for i in range(center - r, center + r + 1) if 0 <= i < n]
        total, wsum = 0.0, 0.0
        for combo in itertools.product(*[taps[a] for a in axes]):
            src = list(pos)
            w = 1.0
            for a, (i, wi) in zip(axes, combo):
                src[a] = i
                w *= wi
            total += w * float(x[tuple(src)])
            wsum += w
        if mode == "linear":
            out[pos] = total / wsum if wsum else 0.0
        else:
            out[pos] = total
    return out


# --- v4 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["nearest", "linear_onnx", "cubic", "linear"])
@pytest.mark.parametrize("coord", ["half_pixel", "pytorch_half_pixel", "asymmetric",
                                   "tf_half_pixel_for_nn", "align_corners"])
@pytest.mark.parametrize("in_hw, out_hw", [((4, 5), (8, 10)), ((6, 4), (3, 2)),
                                           ((5, 5), (7, 3))])
def test_interpolate4_sizes_matches_per_element(mode, coord, in_hw, out_hw):
    x = RNG.standard_normal((1, 2) + in_hw).astype(np.float32)
    sizes = np.array(out_hw, np.int64)
    scales = np.array([o / i for o, i in zip(out_hw, in_hw)], np.float32)
    axes = np.array([2, 3], np.int64)
    node = opset4.interpolate(_param(x.shape), sizes, scales, mode, "sizes",
                              coordinate_transformation_mode=coord, axes=axes)
    got = node.reference(x, sizes, scales, axes)
    exp = expected(x.astype(np.float64), [2, 3], list(out_hw),
                   [np.float32(o) / np.float32(i) for o, i in zip(out_hw, in_hw)], mode, coord)
    assert list(node.get_output_shape(0)) == list(got.shape) == [1, 2, *out_hw]
    np.testing.assert_allclose(got, exp, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("nearest", ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil",
                                     "simple"])
@pytest.mark.parametrize("coord, scale", [("asymmetric", 2.0), ("half_pixel", 0.5),
                                          ("asymmetric", 0.5), ("tf_half_pixel_for_nn", 1.5),
                                          ("half_pixel", 2.5)])
def test_interpolate_nearest_modes(nearest, coord, scale):
    x = np.arange(2 * 6, dtype=np.float32).reshape(2, 6)
    scales = np.array([scale], np.float32)
    node = opset11.interpolate(_param(x.shape), scales, "nearest", "scales",
                               coordinate_transformation_mode=coord, nearest_mode=nearest,
                               axes=np.array([1], np.int64))
    got = node.reference(x, scales, np.array([1]))
    out_len = int(6 * scale)
    exp = expected(x, [1], [out_len], [scale], "nearest", coord, nearest)
    np.testing.assert_array_equal(got, exp)


def test_interpolate_nearest_known_values():
    x = np.array([[[[1, 2], [3, 4]]]], np.float32)
    node = opset11.interpolate(_param(x.shape), np.array([2.0, 3.0], np.float32), "nearest",
                               "scales", nearest_mode="floor", axes=np.array([2, 3]),
                               coordinate_transformation_mode="asymmetric")
    got = node.reference(x, np.array([2.0, 3.0], np.float32), np.array([2, 3]))
    np.testing.assert_array_equal(got[0, 0], [[1, 1, 1, 2, 2, 2], [1, 1, 1, 2, 2, 2],
                                              [3, 3, 3, 4, 4, 4], [3, 3, 3, 4, 4, 4]])


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.uint8])
def test_interpolate_element_types(dtype):
    x = RNG.integers(0, 50, size=(1, 1, 3, 4)).astype(dtype)
    for mode in ("nearest", "linear_onnx"):
        node = opset11.interpolate(_param(x.shape, dtype), np.array([5, 7], np.int64), mode,
                                   "sizes", axes=np.array([2, 3], np.int64))
        got = node.reference(x, np.array([5, 7]), np.array([2, 3]))
        exp = expected(x.astype(np.float64), [2, 3], [5, 7],
                       [np.float32(5 / 3), np.float32(7 / 4)], mode)
        assert got.dtype == np.dtype(dtype)
        if mode == "nearest":
            np.testing.assert_array_equal(got, exp.astype(dtype))
        elif dtype in (np.int32, np.uint8):
            # rounded to nearest (computed in f32, so a tie may fall either way)
            assert np.abs(got - exp).max() <= 0.5 + 1e-4
        else:
            tol = 5e-2 if dtype == np.float16 else 1e-5
            np.testing.assert_allclose(got.astype(np.float64), exp, rtol=tol, atol=tol)


def test_interpolate_linear_antialias():
    x = RNG.standard_normal((1, 1, 8, 9)).astype(np.float32)
    scales = np.array([0.5, 0.4], np.float32)
    node = opset11.interpolate(_param(x.shape), scales, "linear", "scales", antialias=True,
                               axes=np.array([2, 3], np.int64))
    got = node.reference(x, scales, np.array([2, 3]))
    assert got.shape == (1, 1, 4, 3)
    exp = expected(x.astype(np.float64), [2, 3], [4, 3], [0.5, np.float32(0.4)], "linear",
                   antialias=True)
    np.testing.assert_allclose(got, exp, rtol=1e-4, atol=1e-5)
    plain = opset11.interpolate(_param(x.shape), scales, "linear", "scales",
                                axes=np.array([2, 3], np.int64))
    assert not np.allclose(plain.reference(x, scales, np.array([2, 3])), got)


def test_interpolate_cubic_coeff_and_3_axes():
    x = RNG.standard_normal((3, 4, 5)).astype(np.float32)
    sizes = np.array([2, 6, 4], np.int64)
    node = opset11.interpolate(_param(x.shape), sizes, "cubic", "sizes", cube_coeff=-0.5,
                               coordinate_transformation_mode="pytorch_half_pixel")
    got = node.reference(x, sizes)
    exp = expected(x.astype(np.float64), [0, 1, 2], [2, 6, 4],
                   [np.float32(2 / 3), np.float32(6 / 4), np.float32(4 / 5)], "cubic",
                   "pytorch_half_pixel", cube=-0.5)
    np.testing.assert_allclose(got, exp, rtol=1e-4, atol=1e-4)


def test_interpolate_pads_and_unordered_axes():
    x = RNG.standard_normal((1, 2, 3, 4)).astype(np.float32)
    sizes = np.array([9, 5], np.int64)
    axes = np.array([3, 2], np.int64)
    node = opset4.interpolate(_param(x.shape), sizes, np.array([1.0, 1.0], np.float32),
                              "linear_onnx", "sizes", pads_begin=[0, 1, 1, 0],
                              pads_end=[0, 0, 1, 2], axes=axes)
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 3, 5, 9])
    got = node.reference(x, sizes, np.array([1.0, 1.0], np.float32), axes)
    padded = np.pad(x, [(0, 0), (1, 0), (1, 1), (0, 2)]).astype(np.float64)
    exp = expected(padded, [3, 2], [9, 5], [np.float32(9 / 6), np.float32(5 / 5)],
                   "linear_onnx")
    np.testing.assert_allclose(got, exp, rtol=1e-5, atol=1e-5)


def test_interpolate_scales_shape_uses_f32_epsilon():
    # 0.7f * 10 is 6.9999998 in f32; the runtime adds 1e-6 to the scale and gets 7
    node = opset11.interpolate(_param([1, 10]), np.array([0.7], np.float32), "nearest",
                               "scales", axes=np.array([1], np.int64))
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 7])
    got = node.reference(np.arange(10, dtype=np.float32)[None], np.array([0.7], np.float32),
                         np.array([1]))
    assert got.shape == (1, 7)
    node = opset11.interpolate(_param([2, (4, 10), -1]), np.array([2.0, 0.5], np.float32),
                               "linear", "scales", axes=np.array([1, 2], np.int64))
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, (8, 20), -1])


def test_interpolate_dynamic_shapes():
    node = opset4.interpolate(_param([-1, 3, 10, 10]), np.array([20, 20], np.int64),
                              np.array([2.0, 2.0], np.float32), "nearest", "sizes",
                              axes=np.array([2, 3], np.int64))
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 3, 20, 20])
    node = opset4.interpolate(_param([-1, 3, 10, 10]), _param([2], np.int64),
                              np.array([2.0, 2.0], np.float32), "nearest", "sizes",
                              axes=np.array([2, 3], np.int64))
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 3, -1, -1])
    node = opset11.interpolate(_param([1, 3, 10, 10]), np.array([5, 5], np.int64), "cubic",
                               "sizes", axes=_param([2], np.int64))
    assert node.get_output_partial_shape(0) == ov.PartialShape.dynamic(4)
    node = opset11.interpolate(_param(ov.PartialShape.dynamic()), np.array([5], np.int64),
                               "nearest", "sizes", axes=np.array([1], np.int64))
    assert node.get_output_partial_shape(0) == ov.PartialShape.dynamic()
    data = _param([-1, 1, 4, 4])
    model_node = opset11.interpolate(data, np.array([8, 8], np.int64), "nearest", "sizes",
                                     axes=np.array([2, 3], np.int64))
    model = ov.Model([model_node], [data])
    x = RNG.standard_normal((2, 1, 4, 4)).astype(np.float32)
    out = [ov.Tensor(np.zeros((2, 1, 8, 8), np.float32))]
    assert model.evaluate(out, [ov.Tensor(x)])
    np.testing.assert_array_equal(out[0].data, x.repeat(2, axis=2).repeat(2, axis=3))


def test_interpolate_attributes_and_versions():
    node = opset4.interpolate(_param([1, 3, 4, 4]), np.array([8, 8], np.int64),
                              np.array([2.0, 2.0], np.float32), "linear", "scales",
                              axes=np.array([2, 3], np.int64))
    assert isinstance(node, Interpolate4) and node.version == "opset4"
    assert node._ir_attributes() == {
        "mode": "linear", "shape_calculation_mode": "scales",
        "coordinate_transformation_mode": "half_pixel", "nearest_mode": "round_prefer_floor",
        "antialias": "false", "pads_begin": "0", "pads_end": "0", "cube_coeff": "-0.75"}
    v11 = opset11.interpolate(_param([1, 3, 4, 4]), np.array([8, 8], np.int64), "nearest",
                              "sizes", axes=np.array([2, 3], np.int64))
    assert isinstance(v11, Interpolate) and v11.version == "opset11"


def test_interpolate_invalid_arguments():
    with pytest.raises(RuntimeError, match="mode"):
        opset11.interpolate(_param([1, 4]), np.array([2], np.int64), "area", "sizes",
                            axes=np.array([1], np.int64))
    with pytest.raises(RuntimeError, match="coordinate_transformation_mode"):
        opset11.interpolate(_param([1, 4]), np.array([2], np.int64), "nearest", "sizes",
                            coordinate_transformation_mode="tf_crop_and_resize",
                            axes=np.array([1], np.int64))
    with pytest.raises(RuntimeError, match="nearest_mode"):
        opset11.interpolate(_param([1, 4]), np.array([2], np.int64), "nearest", "sizes",
                            nearest_mode="round", axes=np.array([1], np.int64))
    with pytest.raises(RuntimeError, match="integer"):
        opset11.interpolate(_param([1, 4]), np.array([2.0], np.float32), "nearest", "sizes",
                            axes=np.array([1], np.int64))
    with pytest.raises(RuntimeError, match="floating-point"):
        opset11.interpolate(_param([1, 4]), np.array([2], np.int64), "nearest", "scales",
                            axes=np.array([1], np.int64))
    with pytest.raises(RuntimeError, match="number of sizes"):
        opset11.interpolate(_param([1, 4]), np.array([2, 2], np.int64), "nearest", "sizes",
                            axes=np.array([1], np.int64))
    with pytest.raises(RuntimeError, match="unique"):
        opset11.interpolate(_param([1, 4]), np.array([2, 2], np.int64), "nearest", "sizes",
                            axes=np.array([1, 1], np.int64))
    with pytest.raises(RuntimeError, match="shape_calculation_mode"):
        opset11.interpolate(_param([1, 4]), np.array([2], np.int64), "nearest", "both",
                            axes=np.array([1], np.int64))


def test_interpolate_pillow_modes_match_pillow():
    image = pytest.importorskip("PIL.Image")
    x = RNG.random((9, 7), dtype=np.float32) * 10
    for mode, resample in (("bilinear_pillow", image.BILINEAR),
                           ("bicubic_pillow", image.BICUBIC)):
        for oh, ow in ((4, 3), (13, 11), (5, 12)):
            ref = np.asarray(image.fromarray(x, mode="F").resize((ow, oh), resample))
            sizes = np.array([oh, ow], np.int64)
            node = opset11.interpolate(_param(x.shape), sizes, mode, "sizes", cube_coeff=-0.5)
            np.testing.assert_allclose(node.reference(x, sizes), ref, rtol=1e-5, atol=1e-5)


# --- integer data ---------------------------------------------------------------------------------
# Values from the real runtime (CPU, INFERENCE_PRECISION_HINT f32): integer results are rounded
# to nearest, ties to even, and saturated; the Pillow modes round the horizontal pass too.
_DARK = np.array([[228, 70], [92, 85]], np.uint8).reshape(1, 1, 2, 2)


@pytest.mark.parametrize("mode, expect", [
    ("linear", 119), ("linear_onnx", 119), ("cubic", 119),
    # horizontal pass [149, 88.5 -> 88], then (149 + 88) / 2 = 118.5 -> 118
    ("bilinear_pillow", 118), ("bicubic_pillow", 118), ("nearest", 228),
])
def test_interpolate_u8_rounds_to_nearest(mode, expect):
    sizes = np.array([1, 1], np.int64)
    node = opset11.interpolate(_param(_DARK.shape, np.uint8), sizes, mode, "sizes",
                               axes=np.array([2, 3], np.int64))
    got = node.reference(_DARK, sizes, np.array([2, 3]))
    assert got.dtype == np.uint8 and got.item() == expect


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32, np.int64])
@pytest.mark.parametrize("mode", ["linear", "linear_onnx", "cubic"])
def test_interpolate_integers_are_the_rounded_saturated_float_result(mode, dtype):
    info = np.iinfo(dtype)
    lo, hi = max(info.min, -1000), min(info.max, 1000)
    x = RNG.integers(lo, hi, (1, 2, 5, 7), endpoint=True).astype(dtype)
    sizes = np.array([9, 4], np.int64)
    node = opset11.interpolate(_param(x.shape, dtype), sizes, mode, "sizes",
                               axes=np.array([2, 3], np.int64))
    ref = opset11.interpolate(_param(x.shape, np.float32), sizes, mode, "sizes",
                              axes=np.array([2, 3], np.int64))
    exact = ref.reference(x.astype(np.float32), sizes, np.array([2, 3]))
    got = node.reference(x, sizes, np.array([2, 3]))
    assert got.dtype == np.dtype(dtype)
    _assert_rounded(got, np.clip(exact.astype(np.float64), info.min, info.max))


def _assert_rounded(got, exact):
    """``got`` is ``exact`` rounded to nearest; where ``exact`` lies within 1e-3 of a tie
    (the f32 and integer paths accumulate in different precisions) either neighbour."""
    frac = np.abs(exact - np.floor(exact) - 0.5)
    assert np.abs(got - exact).max() <= 0.5 + 1e-3
    clear = frac > 1e-3
    np.testing.assert_array_equal(got[clear], np.rint(exact)[clear])


def test_interpolate_integer_ties_round_to_even():
    x = np.array([0, 1, 1, 2, 2, 3, 3, 4], np.int32).reshape(1, 1, 1, 8)
    sizes = np.array([1, 4], np.int64)
    node = opset11.interpolate(_param(x.shape, np.int32), sizes, "linear_onnx", "sizes",
                               axes=np.array([2, 3], np.int64))
    got = node.reference(x, sizes, np.array([2, 3]))
    # pair averages 0.5, 1.5, 2.5, 3.5 -> ties to even (the real runtime gives the same)
    np.testing.assert_array_equal(got.reshape(-1), [0, 2, 2, 4])


def test_interpolate_cubic_u8_saturates():
    x = np.array([[0, 0, 255, 255, 0, 0]], np.uint8).reshape(1, 1, 1, 6)
    sizes = np.array([1, 11], np.int64)
    node = opset11.interpolate(_param(x.shape, np.uint8), sizes, "cubic", "sizes",
                               axes=np.array([2, 3], np.int64))
    f32 = opset11.interpolate(_param(x.shape), sizes, "cubic", "sizes",
                              axes=np.array([2, 3], np.int64))
    exact = f32.reference(x.astype(np.float32), sizes, np.array([2, 3]))
    assert exact.min() < 0 and exact.max() > 255
    got = node.reference(x, sizes, np.array([2, 3]))
    np.testing.assert_array_equal(got, np.clip(np.rint(exact), 0, 255))


def test_interpolate_pillow_u8_rounds_each_pass():
    # own generator: the expectation recomputes the passes in f32, so the data must not
    # depend on which tests ran before (a near-tie could round either way)
    x = np.random.default_rng(23).integers(0, 256, (1, 3, 6, 6)).astype(np.uint8)
    sizes = np.array([4, 9], np.int64)
    for mode in ("bilinear_pillow", "bicubic_pillow"):
        node = opset11.interpolate(_param(x.shape, np.uint8), sizes, mode, "sizes",
                                   axes=np.array([2, 3], np.int64), cube_coeff=-0.5)
        f32 = opset11.interpolate(_param(x.shape), np.array([6, 9], np.int64), mode, "sizes",
                                  axes=np.array([2, 3], np.int64), cube_coeff=-0.5)
        horizontal = f32.reference(x.astype(np.float32), np.array([6, 9]), np.array([2, 3]))
        horizontal = np.clip(np.rint(horizontal), 0, 255).astype(np.float32)
        f32v = opset11.interpolate(_param(horizontal.shape), sizes, mode, "sizes",
                                   axes=np.array([2, 3], np.int64), cube_coeff=-0.5)
        expect = np.clip(f32v.reference(horizontal, sizes, np.array([2, 3])), 0, 255)
        got = node.reference(x, sizes, np.array([2, 3])).astype(np.float64)
        # a near-tie in the horizontal pass may round the other way: allow 1 there
        assert np.abs(got - expect).max() <= 1.0 + 1e-3
        assert (got == np.rint(expect)).mean() > 0.9


@pytest.mark.parametrize("et", [ov.Type.u16, ov.Type.i16, ov.Type.u32, ov.Type.u64,
                                ov.Type.boolean])
def test_interpolate_v4_v11_reject_data_types_the_runtime_does_not_resample(et):
    p = opset8.parameter([1, 1, 4, 4], et)
    with pytest.raises(RuntimeError, match="Input element type must be f32, f16, i8, bf16, "
                                           "u8, i64, i32, f64"):
        opset11.interpolate(p, np.array([2, 2], np.int64), "linear", "sizes",
                            axes=np.array([2, 3], np.int64))
    with pytest.raises(RuntimeError, match="Input element type must be"):
        opset4.interpolate(p, np.array([2, 2], np.int64), np.array([.5, .5], np.float32),
                           "linear", "sizes", axes=np.array([2, 3], np.int64))


def test_interpolate1_accepts_other_integer_types():
    p = opset8.parameter([1, 1, 4, 4], ov.Type.u16)
    node = opset1.interpolate(p, np.array([2, 2], np.int64), {"axes": [2, 3], "mode": "linear"})
    assert node.get_output_element_type(0) == ov.Type.u16


# --- v1 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode, align, shape, axes, out, v4_mode, coord", [
    ("nearest", False, (1, 1, 3, 4), [2, 3], [6, 5], "nearest", "asymmetric"),
    ("linear", False, (1, 1, 3, 4), [2, 3], [5, 7], "linear_onnx", "asymmetric"),
    ("linear", True, (1, 1, 3, 4), [2, 3], [5, 7], "linear_onnx", "align_corners"),
    ("linear", False, (2, 3, 4), [1, 2], [5, 6], "linear_onnx", "half_pixel"),
    ("cubic", False, (1, 1, 4, 4), [2, 3], [6, 3], "cubic", "asymmetric"),
    ("linear", False, (1, 1, 2, 3, 4), [2, 3, 4], [3, 4, 5], "linear", "half_pixel"),
])
def test_interpolate1_runs_as_converted_v4(mode, align, shape, axes, out, v4_mode, coord):
    x = RNG.standard_normal(shape).astype(np.float32)
    target = np.array(out, np.int64)
    node = opset1.interpolate(_param(shape), target, {"axes": axes, "mode": mode,
                                                       "align_corners": align})
    assert isinstance(node, Interpolate1) and node.version == "opset1"
    assert list(node.get_output_shape(0)) == [out[axes.index(i)] if i in axes else d
                                              for i, d in enumerate(shape)]
    got = node.reference(x, target)
    scales = [np.float32(o) / np.float32(shape[a]) for a, o in zip(axes, out)]
    exp = expected(x.astype(np.float64), axes, out, scales, v4_mode, coord, "simple")
    np.testing.assert_allclose(got, exp, rtol=1e-4, atol=1e-4)


def test_interpolate1_shapes_and_errors():
    node = opset1.interpolate(_param([-1, 3, 4, 4]), np.array([8, 8], np.int64),
                              {"axes": [2, 3], "mode": "nearest"})
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 3, 8, 8])
    node = opset1.interpolate(_param([1, 3, 4, 4]), _param([2], np.int64),
                              {"axes": [2, 3], "mode": "nearest"})
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 3, -1, -1])
    assert set(node._ir_attributes()) == {"align_corners", "antialias", "axes", "mode",
                                          "pads_begin", "pads_end"}
    with pytest.raises(RuntimeError, match="axes"):
        opset1.interpolate(_param([1, 3, 4, 4]), np.array([8], np.int64), {"mode": "nearest"})
    with pytest.raises(RuntimeError, match="mode"):
        opset1.interpolate(_param([1, 3, 4, 4]), np.array([8, 8], np.int64),
                           {"axes": [2, 3], "mode": "area"})
    with pytest.raises(RuntimeError, match="Unknown"):
        opset1.interpolate(_param([1, 3, 4, 4]), np.array([8, 8], np.int64),
                           {"axes": [2, 3], "mode": "nearest", "shape": 1})
