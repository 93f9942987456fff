"""NV12toRGB / NV12toBGR / I420toRGB / I420toBGR (opset8): shapes, errors and values
against a per-pixel loop of the conversion formulas."""

from __future__ import annotations

import numpy as np
import pytest
from references import yuv_to_rgb

import openvino as ov
import openvino.opset8 as o8
from openvino import Dimension, PartialShape, Type

RNG = np.random.default_rng(7)


def planes(n=2, h=4, w=6, dtype=np.uint8):
    y = RNG.integers(0, 256, (n, h, w, 1)).astype(dtype)
    u = RNG.integers(0, 256, (n, h // 2, w // 2, 1)).astype(dtype)
    v = RNG.integers(0, 256, (n, h // 2, w // 2, 1)).astype(dtype)
    return y, u, v


def run(node, *arrays):
    outs = []
    node.evaluate(outs, [ov.Tensor(np.ascontiguousarray(a)) for a in arrays])
    return outs[0].data


def expected(y, u, v, dtype, bgr=False):
    rgb = yuv_to_rgb(y[..., 0], u[..., 0], v[..., 0])
    rgb = rgb[..., ::-1] if bgr else rgb
    return np.floor(rgb + 0.5).astype(dtype) if dtype == np.uint8 else rgb


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("bgr", [False, True])
def test_nv12_two_planes(dtype, bgr):
    y, u, v = planes(dtype=dtype)
    uv = np.concatenate([u, v], axis=-1)
    fn = o8.nv12_to_bgr if bgr else o8.nv12_to_rgb
    node = fn(o8.parameter(list(y.shape), dtype), o8.parameter(list(uv.shape), dtype))
    assert node.get_type_name() == ("NV12toBGR" if bgr else "NV12toRGB")
    assert node.get_type_info().version_id == "opset8"
    assert node.get_output_partial_shape(0) == PartialShape([2, 4, 6, 3])
    got = run(node, y, uv)
    assert got.dtype == dtype
    want = expected(y, u, v, dtype, bgr)
    if dtype == np.uint8:
        # float32 arithmetic may round a value sitting on .5 the other way
        assert np.abs(got.astype(int) - want.astype(int)).max() <= 1
        assert (got == want).mean() > 0.99
    else:
        np.testing.assert_allclose(got, want, atol=1e-3)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("bgr", [False, True])
def test_i420_three_planes(dtype, bgr):
    y, u, v = planes(dtype=dtype)
    fn = o8.i420_to_bgr if bgr else o8.i420_to_rgb
    node = fn(*(o8.parameter(list(a.shape), dtype) for a in (y, u, v)))
    got = run(node, y, u, v)
    want = expected(y, u, v, dtype, bgr)
    if dtype == np.uint8:
        assert np.abs(got.astype(int) - want.astype(int)).max() <= 1
    else:
        np.testing.assert_allclose(got, want, atol=1e-3)


def test_single_plane_layouts_match_separate_planes():
    y, u, v = planes(n=2, h=6, w=8)
    uv = np.concatenate([u, v], axis=-1)
    nv12 = np.concatenate([y.reshape(2, -1), uv.reshape(2, -1)], axis=1).reshape(2, 9, 8, 1)
    i420 = np.concatenate([y.reshape(2, -1), u.reshape(2, -1), v.reshape(2, -1)],
                          axis=1).reshape(2, 9, 8, 1)
    two = run(o8.nv12_to_rgb(o8.parameter([2, 6, 8, 1], np.uint8),
                             o8.parameter([2, 3, 4, 2], np.uint8)), y, uv)
    one = o8.nv12_to_rgb(o8.parameter([2, 9, 8, 1], np.uint8))
    assert one.get_output_partial_shape(0) == PartialShape([2, 6, 8, 3])
    np.testing.assert_array_equal(run(one, nv12), two)
    np.testing.assert_array_equal(run(o8.i420_to_rgb(o8.parameter([2, 9, 8, 1], np.uint8)),
                                      i420), two)
    np.testing.assert_array_equal(
        run(o8.i420_to_bgr(o8.parameter([2, 9, 8, 1], np.uint8)), i420), two[..., ::-1])


def test_u8_rounds_and_clips():
    # Y=235, U=V=128 -> 1.164 * 219 = 254.9 -> 255; Y=0 -> negative -> 0
    y = np.array([[[[235], [235]], [[0], [0]]]], np.uint8)
    uv = np.array([[[[128, 128]]]], np.uint8)
    got = run(o8.nv12_to_rgb(o8.parameter([1, 2, 2, 1], np.uint8),
                             o8.parameter([1, 1, 1, 2], np.uint8)), y, uv)
    np.testing.assert_array_equal(got[0, 0], [[255, 255, 255]] * 2)
    np.testing.assert_array_equal(got[0, 1], [[0, 0, 0]] * 2)


def test_dynamic_shapes():
    one = o8.nv12_to_rgb(o8.parameter([-1, Dimension(6, 12), -1, 1], np.float32))
    assert one.get_output_partial_shape(0) == PartialShape([-1, Dimension(4, 8), -1, 3])
    dyn_rank = o8.i420_to_bgr(o8.parameter(PartialShape.dynamic(), np.float32))
    assert dyn_rank.get_output_partial_shape(0) == PartialShape([-1, -1, -1, 3])
    two = o8.nv12_to_bgr(o8.parameter([1, -1, -1, 1], np.uint8),
                         o8.parameter([1, 5, 7, 2], np.uint8))
    assert two.get_output_partial_shape(0) == PartialShape([1, 10, 14, 3])
    assert two.get_output_element_type(0) == Type.u8


@pytest.mark.parametrize("make, match", [
    (lambda: o8.nv12_to_rgb(o8.parameter([1, 7, 6, 1], np.uint8)), "multiple of 3"),
    (lambda: o8.nv12_to_rgb(o8.parameter([1, 6, 5, 1], np.uint8)), "width shall be even"),
    (lambda: o8.nv12_to_rgb(o8.parameter([1, 6, 6, 3], np.uint8)), "channel"),
    (lambda: o8.nv12_to_rgb(o8.parameter([1, 6, 6], np.uint8)), "4 dimensions"),
    (lambda: o8.nv12_to_rgb(o8.parameter([1, 4, 6, 1], np.int32)), "u8 or a floating"),
    (lambda: o8.nv12_to_rgb(o8.parameter([1, 4, 6, 1], np.uint8),
                            o8.parameter([1, 3, 3, 2], np.uint8)), "inconsistent with UV"),
    (lambda: o8.nv12_to_rgb(o8.parameter([1, 4, 6, 1], np.uint8),
                            o8.parameter([1, 2, 3, 2], np.float32)), "same element type"),
    (lambda: o8.i420_to_rgb(o8.parameter([1, 4, 6, 1], np.uint8),
                            o8.parameter([1, 2, 3, 1], np.uint8),
                            o8.parameter([2, 2, 3, 1], np.uint8)), "inconsistent with V"),
    (lambda: o8.i420_to_rgb(o8.parameter([1, 4, 6, 1], np.uint8),
                            o8.parameter([1, 2, 3, 1], np.uint8)), "one plane or all three"),
])
def test_invalid_inputs(make, match):
    with pytest.raises(RuntimeError, match=match):
        make()


def test_ir_round_trip_and_template(tmp_path, infer):
    y = o8.parameter([1, 4, 6, 1], np.uint8, name="y")
    uv = o8.parameter([1, 2, 3, 2], np.uint8, name="uv")
    model = ov.Model([o8.nv12_to_bgr(y, uv)], [y, uv])
    ov.save_model(model, tmp_path / "m.xml")
    text = (tmp_path / "m.xml").read_text()
    assert 'type="NV12toBGR" version="opset8"' in text
    back = ov.Core().read_model(tmp_path / "m.xml")
    a, b, _ = planes(n=1, h=4, w=6)
    uv_data = RNG.integers(0, 256, (1, 2, 3, 2)).astype(np.uint8)
    np.testing.assert_array_equal(infer(back, a, uv_data)[0], infer(model, a, uv_data)[0])
    assert "nv12_to_rgb" in dir(ov.opset8) and "i420_to_bgr" in dir(ov.opset13)
    assert "nv12_to_rgb" not in dir(ov.opset7)
