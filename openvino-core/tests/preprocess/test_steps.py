"""Each pre- and post-processing step, built into a model and run on TEMPLATE, against a
numpy reference of what it should compute."""

from __future__ import annotations

import numpy as np
import pytest
from references import RESIZE_ATOL, identity_model, resize, yuv_to_rgb

import openvino as ov
import openvino.opset13 as ops
from openvino import Layout, PartialShape, Type
from openvino.preprocess import ColorFormat, PaddingMode, PrePostProcessor, ResizeAlgorithm

RNG = np.random.default_rng(3)


def image(shape, dtype=np.float32, high=255):
    return (RNG.random(shape) * high).astype(dtype) if np.dtype(dtype).kind == "f" \
        else RNG.integers(0, high + 1, shape).astype(dtype)


def built(model_shape, configure, element_type=np.float32):
    model = identity_model(model_shape, element_type)
    ppp = PrePostProcessor(model)
    configure(ppp)
    return ppp.build()


def op_types(model):
    return [n.get_type_name() for n in model.get_ordered_ops()]


# --- element type --------------------------------------------------------------------------
def test_tensor_element_type_adds_implicit_convert(infer):
    model = built([2, 3], lambda p: p.input().tensor().set_element_type(Type.u8))
    assert model.input().get_element_type() == Type.u8
    assert "Convert" in op_types(model)
    x = image([2, 3], np.uint8)
    np.testing.assert_array_equal(infer(model, x)[0], x.astype(np.float32))


def test_convert_element_type_explicit_and_default(infer):
    model = built([4], lambda p: (p.input().tensor().set_element_type(Type.f32),
                                  p.input().preprocess().convert_element_type(Type.i8)
                                  .convert_element_type()), np.int32)
    x = np.array([1.7, -2.9, 100.2, -127.5], np.float32)
    # f32 -> i8 truncates, then the default converts to the model's i32
    np.testing.assert_array_equal(infer(model, x)[0], [1, -2, 100, -127])
    assert model.output().get_element_type() == Type.i32


# --- layout --------------------------------------------------------------------------------
def test_convert_layout_implicit_from_tensor_to_model_layout(infer):
    model = built([1, 3, 4, 5], lambda p: (p.input().tensor().set_layout("NHWC"),
                                           p.input().model().set_layout("NCHW")))
    assert model.input().get_partial_shape() == PartialShape([1, 4, 5, 3])
    assert model.input().get_node().get_layout() == Layout("NHWC")
    x = image([1, 4, 5, 3])
    np.testing.assert_array_equal(infer(model, x)[0], x.transpose(0, 3, 1, 2))


def test_convert_layout_by_dims_derives_the_tensor_shape(infer):
    model = built([1, 3, 4, 5], lambda p: p.input().preprocess().convert_layout([0, 3, 1, 2]))
    assert model.input().get_partial_shape() == PartialShape([1, 4, 5, 3])
    x = image([1, 4, 5, 3])
    np.testing.assert_array_equal(infer(model, x)[0], x.transpose(0, 3, 1, 2))


def test_convert_layout_to_layout_step(infer):
    model = built([2, 3, 4], lambda p: (p.input().tensor().set_layout("HWC"),
                                        p.input().preprocess().convert_layout("CHW")))
    assert model.input().get_partial_shape() == PartialShape([3, 4, 2])
    x = image([3, 4, 2])
    np.testing.assert_array_equal(infer(model, x)[0], x.transpose(2, 0, 1))


def test_convert_layout_with_ellipsis(infer):
    model = built([2, 3, 4, 5], lambda p: (p.input().tensor().set_layout("N...C"),
                                           p.input().model().set_layout("NC...")))
    x = image([2, 4, 5, 3])
    np.testing.assert_array_equal(infer(model, x)[0], x.transpose(0, 3, 1, 2))


# --- color ---------------------------------------------------------------------------------
@pytest.mark.parametrize("layout, axis", [("NCHW", 1), ("NHWC", 3)])
def test_bgr_to_rgb_reverses_channels(infer, layout, axis):
    shape = [1, 3, 4, 5] if layout == "NCHW" else [1, 4, 5, 3]
    model = built(shape, lambda p: (
        p.input().tensor().set_color_format(ColorFormat.BGR).set_layout(layout),
        p.input().preprocess().convert_color(ColorFormat.RGB)))
    x = image(shape)
    np.testing.assert_array_equal(infer(model, x)[0], np.flip(x, axis))


@pytest.mark.parametrize("src, dst, order", [
    (ColorFormat.RGBX, ColorFormat.RGB, [0, 1, 2]),
    (ColorFormat.RGBX, ColorFormat.BGR, [2, 1, 0]),
    (ColorFormat.BGRX, ColorFormat.RGB, [2, 1, 0]),
    (ColorFormat.BGRX, ColorFormat.BGR, [0, 1, 2]),
])
def test_four_channel_formats_drop_the_fourth(infer, src, dst, order):
    model = built([1, 3, 2, 2], lambda p: (
        p.input().tensor().set_color_format(src),
        p.input().preprocess().convert_color(dst),
        p.input().model().set_layout("NCHW")))
    assert model.input().get_partial_shape() == PartialShape([1, 2, 2, 4])
    x = image([1, 2, 2, 4])
    np.testing.assert_array_equal(infer(model, x)[0], x[..., order].transpose(0, 3, 1, 2))


@pytest.mark.parametrize("src", [ColorFormat.RGB, ColorFormat.BGR])
def test_to_gray_weights_channels(infer, src):
    model = built([1, 1, 3, 4], lambda p: (
        p.input().tensor().set_color_format(src).set_layout("NHWC").set_shape([1, 3, 4, 3]),
        p.input().preprocess().convert_color(ColorFormat.GRAY),
        p.input().model().set_layout("NCHW")))
    x = image([1, 3, 4, 3])
    rgb = x if src == ColorFormat.RGB else x[..., ::-1]
    gray = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    np.testing.assert_allclose(infer(model, x)[0], gray[:, None], rtol=1e-5, atol=1e-4)


def _yuv(n, h, w):
    y = image([n, h, w, 1], np.uint8)
    u = image([n, h // 2, w // 2, 1], np.uint8)
    v = image([n, h // 2, w // 2, 1], np.uint8)
    return y, u, v


@pytest.mark.parametrize("fmt", [ColorFormat.NV12_SINGLE_PLANE, ColorFormat.NV12_TWO_PLANES,
                                 ColorFormat.I420_SINGLE_PLANE, ColorFormat.I420_THREE_PLANES])
@pytest.mark.parametrize("dst", [ColorFormat.RGB, ColorFormat.BGR])
def test_yuv_to_rgb_and_bgr(infer, fmt, dst):
    n, h, w = 1, 4, 6
    model = built([n, 3, h, w], lambda p: (
        p.input().tensor().set_element_type(Type.u8).set_color_format(fmt),
        p.input().preprocess().convert_element_type(Type.f32).convert_color(dst),
        p.input().model().set_layout("NCHW")))
    y, u, v = _yuv(n, h, w)
    uv = np.concatenate([u, v], axis=-1)
    feeds = {
        ColorFormat.NV12_SINGLE_PLANE: [np.concatenate(
            [y.reshape(n, -1), uv.reshape(n, -1)], 1).reshape(n, h * 3 // 2, w, 1)],
        ColorFormat.NV12_TWO_PLANES: [y, uv],
        ColorFormat.I420_SINGLE_PLANE: [np.concatenate(
            [y.reshape(n, -1), u.reshape(n, -1), v.reshape(n, -1)], 1).reshape(
                n, h * 3 // 2, w, 1)],
        ColorFormat.I420_THREE_PLANES: [y, u, v],
    }[fmt]
    assert [list(i.get_shape()) for i in model.inputs] == [list(f.shape) for f in feeds]
    assert all(i.get_node().get_layout() == Layout("NHWC") for i in model.inputs)
    rgb = yuv_to_rgb(y[..., 0], u[..., 0], v[..., 0])
    want = (rgb if dst == ColorFormat.RGB else rgb[..., ::-1]).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(infer(model, *feeds)[0], want, atol=1e-3)


def test_plane_sub_names_name_the_new_inputs():
    model = identity_model([1, 3, 4, 6])
    ppp = PrePostProcessor(model)
    ppp.input().tensor().set_color_format(ColorFormat.NV12_TWO_PLANES, ["y", "uv"])
    ppp.input().preprocess().convert_color(ColorFormat.RGB)
    ppp.input().model().set_layout("NCHW")
    model = ppp.build()
    assert [i.get_names() for i in model.inputs] == [{"data/y"}, {"data/uv"}]
    assert [p.get_friendly_name() for p in model.get_parameters()] == ["data/y", "data/uv"]
    assert model.input("data/uv").get_partial_shape() == PartialShape([1, 2, 3, 2])


@pytest.mark.parametrize("fmt", [ColorFormat.NV12_SINGLE_PLANE, ColorFormat.I420_THREE_PLANES])
def test_yuv_to_gray_takes_the_y_plane(infer, fmt):
    model = built([1, 1, 4, 6], lambda p: (
        p.input().tensor().set_color_format(fmt),
        p.input().preprocess().convert_color(ColorFormat.GRAY),
        p.input().model().set_layout("NCHW")))
    y, u, v = _yuv(1, 4, 6)
    if fmt == ColorFormat.NV12_SINGLE_PLANE:
        uv = np.concatenate([u, v], axis=-1)
        feeds = [np.concatenate([y.reshape(1, -1), uv.reshape(1, -1)], 1).reshape(1, 6, 6, 1)]
    else:
        feeds = [y, u, v]
    feeds = [f.astype(np.float32) for f in feeds]
    np.testing.assert_array_equal(infer(model, *feeds)[0], y.transpose(0, 3, 1, 2))


def test_reverse_channels(infer):
    model = built([1, 4, 2, 3], lambda p: (p.input().tensor().set_layout("NCHW"),
                                           p.input().preprocess().reverse_channels()))
    x = image([1, 4, 2, 3])
    np.testing.assert_array_equal(infer(model, x)[0], x[:, ::-1])


# --- resize --------------------------------------------------------------------------------
@pytest.mark.parametrize("alg, mode", [(ResizeAlgorithm.RESIZE_LINEAR, "linear"),
                                       (ResizeAlgorithm.RESIZE_CUBIC, "cubic"),
                                       (ResizeAlgorithm.RESIZE_NEAREST, "nearest")])
@pytest.mark.parametrize("src", [(37, 45), (9, 7)])
def test_resize_to_model_size(infer, alg, mode, src):
    model = built([1, 2, 16, 20], lambda p: (
        p.input().tensor().set_spatial_static_shape(*src).set_layout("NCHW"),
        p.input().preprocess().resize(alg)))
    assert model.input().get_partial_shape() == PartialShape([1, 2, *src])
    x = image([1, 2, *src])
    want = resize(x, 2, 3, (16, 20), mode)
    np.testing.assert_allclose(infer(model, x)[0], want, atol=RESIZE_ATOL[mode] + 1e-4)


def test_resize_to_explicit_size_on_dynamic_input(infer):
    model = built([1, 8, 10, 3], lambda p: (
        p.input().tensor().set_spatial_dynamic_shape().set_layout("NHWC"),
        p.input().preprocess().resize(ResizeAlgorithm.RESIZE_LINEAR, 8, 10)))
    assert model.input().get_partial_shape() == PartialShape([1, -1, -1, 3])
    for shape in ([1, 20, 30, 3], [1, 5, 4, 3]):
        x = image(shape)
        np.testing.assert_allclose(infer(model, x)[0], resize(x, 1, 2, (8, 10), "linear"),
                                   atol=RESIZE_ATOL["linear"])


# A dark u8 NHWC image resized to a 3x2 NCHW f32 model input, as OpenVINO's
# hello_classification sample does; the outputs are the real runtime's (CPU, f32 inference
# precision). The u8 resize rounds to nearest: truncating gave 14, 16, 11 ... instead.
_DARK_IMAGE = np.array([
    [[7, 30, 2], [19, 4, 11], [0, 25, 9], [13, 8, 31], [3, 17, 6]],
    [[22, 1, 14], [5, 28, 0], [16, 9, 21], [2, 12, 7], [27, 6, 18]],
    [[10, 23, 5], [29, 3, 16], [4, 19, 26], [18, 0, 9], [8, 24, 1]],
    [[1, 15, 28], [12, 20, 3], [25, 7, 13], [6, 29, 22], [17, 2, 10]]], np.uint8)[None]
_DARK_RESIZED = {
    ResizeAlgorithm.RESIZE_LINEAR: [[[15, 10], [17, 12], [12, 10]], [[12, 10], [15, 8], [17, 20]],
                                    [[8, 22], [8, 8], [10, 17]]],
    ResizeAlgorithm.RESIZE_CUBIC: [[[16, 11], [18, 12], [11, 8]], [[10, 9], [15, 5], [18, 22]],
                                   [[8, 25], [6, 3], [9, 18]]],
    ResizeAlgorithm.RESIZE_BILINEAR_PILLOW: [[[12, 9], [15, 12], [13, 13]],
                                             [[16, 14], [14, 11], [15, 14]],
                                             [[9, 16], [12, 12], [14, 14]]],
}


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
@pytest.mark.parametrize("alg", list(_DARK_RESIZED))
def test_u8_resize_rounds_like_the_runtime(device, alg):
    core = ov.Core()
    if device not in core.available_devices:
        pytest.skip(f"{device} is not installed")
    param = ops.parameter([1, 3, 3, 2], np.float32)
    ppp = PrePostProcessor(ov.Model([ops.relu(param)], [param]))
    ppp.input().tensor().set_shape(_DARK_IMAGE.shape).set_element_type(Type.u8) \
        .set_layout(Layout("NHWC"))
    ppp.input().preprocess().resize(alg)
    ppp.input().model().set_layout(Layout("NCHW"))
    got = core.compile_model(ppp.build(), device)({0: _DARK_IMAGE})[0]
    np.testing.assert_array_equal(got, np.array([_DARK_RESIZED[alg]], np.float32))


# --- mean / scale --------------------------------------------------------------------------
def test_scalar_mean_and_scale(infer):
    model = built([2, 3], lambda p: p.input().preprocess().mean(0.5).scale(2.0))
    x = image([2, 3])
    np.testing.assert_allclose(infer(model, x)[0], (x - 0.5) / 2.0, rtol=1e-6)


@pytest.mark.parametrize("layout, shape, cshape", [
    ("NCHW", [1, 3, 2, 2], [1, 3, 1, 1]),
    ("NHWC", [1, 2, 2, 3], [1, 1, 1, 3]),
    ("...C", [2, 3], [1, 3]),
])
def test_per_channel_mean_and_scale(infer, layout, shape, cshape):
    mean, scale = [10.0, 20.0, 30.0], [2.0, 4.0, 8.0]
    model = built(shape, lambda p: (p.input().tensor().set_layout(layout),
                                    p.input().preprocess().mean(mean).scale(scale)))
    x = image(shape)
    want = (x - np.reshape(mean, cshape)) / np.reshape(scale, cshape)
    np.testing.assert_allclose(infer(model, x)[0], want, rtol=1e-6)


def test_mean_in_f16(infer):
    model = built([3], lambda p: p.input().preprocess().mean(1.5), np.float16)
    x = np.array([1.5, 2.0, 10.0], np.float16)
    np.testing.assert_array_equal(infer(model, x)[0], x - np.float16(1.5))


# --- pad / crop ----------------------------------------------------------------------------
@pytest.mark.parametrize("mode, np_mode", [(PaddingMode.CONSTANT, "constant"),
                                           (PaddingMode.REFLECT, "reflect"),
                                           (PaddingMode.SYMMETRIC, "symmetric")])
def test_pad(infer, mode, np_mode):
    model = built([1, 2, 6, 7], lambda p: (
        p.input().tensor().set_shape([1, 2, 4, 4]),
        p.input().preprocess().pad([0, 0, 1, 2], [0, 0, 1, 1], 7.0, mode)))
    x = image([1, 2, 4, 4])
    widths = [(0, 0), (0, 0), (1, 1), (2, 1)]
    want = np.pad(x, widths, mode="constant", constant_values=7.0) if np_mode == "constant" \
        else np.pad(x, widths, mode=np_mode)
    np.testing.assert_array_equal(infer(model, x)[0], want)


def test_pad_with_negative_values_crops(infer):
    model = built([1, 2, 3, 6], lambda p: (
        p.input().tensor().set_shape([1, 2, 5, 4]),
        p.input().preprocess().pad([0, 0, -1, 1], [0, 0, -1, 1], [0.0], PaddingMode.CONSTANT)))
    x = image([1, 2, 5, 4])
    want = np.pad(x[:, :, 1:4], [(0, 0), (0, 0), (0, 0), (1, 1)])
    np.testing.assert_array_equal(infer(model, x)[0], want)


def test_crop(infer):
    model = built([1, 3, 4, 5], lambda p: (
        p.input().tensor().set_shape([1, 3, 10, 12]),
        p.input().preprocess().crop([0, 0, 2, 3], [1, 3, 6, -4])))
    x = image([1, 3, 10, 12])
    np.testing.assert_array_equal(infer(model, x)[0], x[:, :, 2:6, 3:8])


# --- custom --------------------------------------------------------------------------------
def test_custom_steps_get_and_return_outputs(infer):
    seen = []

    def square(port):
        seen.append(port)
        return ops.multiply(port, port).output(0)

    model = built([3], lambda p: p.input().preprocess().custom(square).custom(ops.abs))
    x = np.array([-2.0, 0.5, 3.0], np.float32)
    np.testing.assert_array_equal(infer(model, x)[0], x * x)
    assert isinstance(seen[-1], ov.Output)


# --- post-processing -----------------------------------------------------------------------
def test_postprocess_steps_and_implicit_conversions(infer):
    def configure(p):
        p.output().model().set_layout("NCHW")
        p.output().postprocess().custom(lambda o: ops.negative(o).output(0)) \
            .convert_element_type(Type.f16)
        p.output().tensor().set_layout("NHWC").set_element_type(Type.f32)

    model = built([1, 3, 2, 4], configure)
    x = image([1, 3, 2, 4])
    out = infer(model, x)[0]
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, (-x).astype(np.float16).astype(np.float32)
                                  .transpose(0, 2, 3, 1))
    assert model.output().get_names() == {"out"}
    assert model.output().get_partial_shape() == PartialShape([1, 2, 4, 3])
    assert ov.layout_helpers.get_layout(model.output()) == Layout("NHWC")
    last = model.get_results()[0].input_value(0).get_node()
    assert last.get_type_name() == "Transpose"
    assert last.get_friendly_name().endswith(".0")


def test_postprocess_convert_layout_by_dims(infer):
    model = built([2, 3, 4], lambda p: p.output().postprocess().convert_layout([2, 0, 1]))
    x = image([2, 3, 4])
    np.testing.assert_array_equal(infer(model, x)[0], x.transpose(2, 0, 1))


def test_postprocess_default_type_is_the_output_tensor_type(infer):
    model = built([3], lambda p: (p.output().tensor().set_element_type(Type.i32),
                                  p.output().postprocess().convert_element_type()))
    np.testing.assert_array_equal(infer(model, np.array([1.9, -2.5, 3.0], np.float32))[0],
                                  [1, -2, 3])


def test_input_selection_by_name_and_index(infer):
    a = ops.parameter([2], np.float32, name="a")
    a.output(0).set_names({"a"})
    b = ops.parameter([2], np.float32, name="b")
    b.output(0).set_names({"b"})
    model = ov.Model([ops.subtract(a, b)], [a, b])
    ppp = PrePostProcessor(model)
    ppp.input("b").preprocess().scale(2.0)
    ppp.input(0).tensor().set_element_type(Type.i32)
    assert ppp.input(1) is ppp.input("b")
    model = ppp.build()
    assert [i.get_element_type() for i in model.inputs] == [Type.i32, Type.f32]
    out = infer(model, np.array([4, 6], np.int32), np.array([2.0, 8.0], np.float32))[0]
    np.testing.assert_array_equal(out, [3.0, 2.0])
