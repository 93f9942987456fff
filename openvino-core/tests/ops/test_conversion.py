"""Convert, ConvertLike and FakeQuantize."""

from __future__ import annotations

import numpy as np
import pytest
from node_eval import evaluate_node as run

import openvino as ov
import openvino.opset13 as ops
from openvino import PartialShape, Type
from openvino._ops.conversion import Convert


def param(shape, dtype=np.float32):
    return ops.parameter(shape, dtype)


FLOATS = np.array([-300.7, -2.5, -0.9, 0.0, 0.5, 1.9, 127.6, 300.2], np.float32)


@pytest.mark.parametrize("target, want", [
    ("i8", [-128, -2, 0, 0, 0, 1, 127, 127]),
    ("u8", [0, 0, 0, 0, 0, 1, 127, 255]),
    ("i32", [-300, -2, 0, 0, 0, 1, 127, 300]),
    ("i64", [-300, -2, 0, 0, 0, 1, 127, 300]),
    ("u16", [0, 0, 0, 0, 0, 1, 127, 300]),
    ("i4", [-8, -2, 0, 0, 0, 1, 7, 7]),
    ("u4", [0, 0, 0, 0, 0, 1, 15, 15]),
])
def test_float_to_integer_truncates_and_saturates(target, want):
    node = ops.convert(param([8]), target)
    et = Type(target)
    assert node.get_output_element_type(0) == et
    got = node.reference(FLOATS)
    assert got.dtype == et.evaluation_dtype
    np.testing.assert_array_equal(got, want)


def test_float_to_integer_through_public_evaluate_and_nan():
    node = ops.convert(param([4]), np.int32)
    got = run(node, np.array([np.nan, 2.7, -2.7, 1e20], np.float32))
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, [0, 2, -2, 2**31 - 1])


def test_integer_to_integer_wraps_modulo():
    data = np.array([-1, 256, 300, -129, 7], np.int32)
    np.testing.assert_array_equal(run(ops.convert(param([5], np.int32), "u8"), data),
                                  [255, 0, 44, 127, 7])
    np.testing.assert_array_equal(run(ops.convert(param([5], np.int32), "i8"), data),
                                  [-1, 0, 44, 127, 7])
    np.testing.assert_array_equal(run(ops.convert(param([5], np.int32), np.uint32), data),
                                  [2**32 - 1, 256, 300, 2**32 - 129, 7])
    np.testing.assert_array_equal(ops.convert(param([5], np.int32), Type.u4).reference(data),
                                  [15, 0, 12, 15, 7])
    np.testing.assert_array_equal(ops.convert(param([5], np.int32), Type.i4).reference(data),
                                  [-1, 0, -4, -1, 7])


def test_to_and_from_boolean_and_u1():
    data = np.array([0.0, 0.2, -3.0, np.nan], np.float32)
    got = run(ops.convert(param([4]), "boolean"), data)
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got, [False, True, True, True])
    np.testing.assert_array_equal(ops.convert(param([4]), Type.u1).reference(data), [0, 1, 1, 1])
    flags = np.array([True, False])
    np.testing.assert_array_equal(run(ops.convert(param([2], np.bool_), np.float32), flags),
                                  [1.0, 0.0])
    np.testing.assert_array_equal(run(ops.convert(param([2], np.bool_), np.int64), flags), [1, 0])


@pytest.mark.parametrize("target, want", [
    ("f16", [1.0009765625, 65504.0, np.inf, -0.0999755859375]),
    ("bf16", [1.0, 65536.0, 99840.0, -0.10009765625]),
    # OpenVINO's Convert does not saturate to f8e4m3: past 464 (the midpoint to the next
    # step after 448) values are NaN (measured on the real 2026.4.1 CPU and its folding)
    ("f8e4m3", [1.0, np.nan, np.nan, -0.1015625]),
    ("f8e5m2", [1.0, np.inf, np.inf, -0.09375]),
    ("f64", [1.001, 65504.0, 1e5, -0.1]),
])
def test_to_floating_types_rounds_to_representable_values(target, want):
    data = np.array([1.001, 65504.0, 1e5, -0.1], np.float32)
    node = ops.convert(param([4]), target)
    got = node.reference(data)
    assert got.dtype == Type(target).evaluation_dtype
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=1e-6)


def test_nf4_and_low_precision_sources():
    node = ops.convert(param([3]), Type.nf4)
    got = node.reference(np.array([-1.0, 0.05, 0.9], np.float32))
    np.testing.assert_allclose(got, [-1.0, 0.07958029955625534, 1.0], rtol=1e-6)
    from_u4 = ops.convert(param([3], Type.u4), np.float32)
    np.testing.assert_array_equal(from_u4.reference(np.array([0, 9, 15], np.uint8)),
                                  [0.0, 9.0, 15.0])
    from_bf16 = ops.convert(param([2], Type.bf16), np.int32)
    np.testing.assert_array_equal(from_bf16.reference(np.array([2.5, -7.75], np.float32)),
                                  [2, -7])


def test_convert_shapes_attributes_and_errors():
    node = ops.convert(param([-1, 3]), "f16")
    assert node.get_output_partial_shape(0) == PartialShape([-1, 3])
    assert node.get_attributes() == {"destination_type": "f16"}
    assert node._ir_attributes() == {"destination_type": "f16"}
    parsed = Convert._from_ir([param([2], np.float16).output(0)],
                              {"destination_type": "f32"}, "c")
    assert parsed.get_output_element_type(0) == Type.f32
    assert parsed._ir_attributes() == {"destination_type": "f32"}
    assert ops.convert(param([2]), np.int64).get_output_element_type(0) == Type.i64
    assert ops.convert(param([2]), "boolean").get_output_element_type(0) == Type.boolean
    with pytest.raises(RuntimeError, match="not supported"):
        ops.convert(param([2], Type.string), "f32")
    with pytest.raises(RuntimeError, match="destination type"):
        ops.convert(param([2]), "not_a_type")
    dyn = ops.convert(param(PartialShape.dynamic()), "i32")
    assert dyn.get_output_partial_shape(0).rank.is_dynamic


def test_convert_like():
    like = param([1], np.int8)
    node = ops.convert_like(param([-1, 2]), like)
    assert node.get_output_element_type(0) == Type.i8
    assert node.get_output_partial_shape(0) == PartialShape([-1, 2])
    got = run(node, np.array([[1.9, -200.0]], np.float32), np.zeros(1, np.int8))
    assert got.dtype == np.int8
    np.testing.assert_array_equal(got, [[1, -128]])
    assert ov.opset1.convert_like is ops.convert_like
    with pytest.raises(RuntimeError):
        ops.convert_like(param([2]), param([1], Type.string))


# --- FakeQuantize ----------------------------------------------------------------------------

def fq_ref(x, il, ih, ol, oh, levels):
    x, il, ih, ol, oh = (np.asarray(v, np.float64) for v in (x, il, ih, ol, oh))
    q = np.round((x - il) / (ih - il) * (levels - 1)) / (levels - 1) * (oh - ol) + ol
    return np.where(x <= np.minimum(il, ih), ol, np.where(x > np.maximum(il, ih), oh, q))


def test_fake_quantize_scalar_limits():
    x = np.linspace(-1.5, 1.5, 13, dtype=np.float32).reshape(1, 13)
    limits = [np.float32(v) for v in (-1.0, 1.0, -2.0, 2.0)]
    node = ops.fake_quantize(param([1, 13]), *limits, levels=5)
    assert node.get_output_partial_shape(0) == PartialShape([1, 13])
    assert node._ir_attributes() == {"levels": "5", "auto_broadcast": "numpy"}
    got = node.reference(x, *limits)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, fq_ref(x, *limits, 5), atol=1e-6)
    assert set(np.round(got.reshape(-1), 5)) <= {-2.0, -1.0, 0.0, 1.0, 2.0}


def test_fake_quantize_per_channel_limits():
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, size=(2, 3, 4)).astype(np.float32)
    il = np.array([-1, -2, -3], np.float32).reshape(1, 3, 1)
    ih = np.array([1, 2, 3], np.float32).reshape(1, 3, 1)
    ol = np.zeros((1, 1, 1), np.float32)
    oh = np.full((1, 1, 1), 255, np.float32)
    node = ops.fake_quantize(param([-1, 3, 4]), il, ih, ol, oh, 256)
    assert node.get_output_partial_shape(0) == PartialShape([-1, 3, 4])
    got = node.reference(x, il, ih, ol, oh)
    np.testing.assert_allclose(got, fq_ref(x, il, ih, ol, oh, 256), atol=1e-4)
    assert np.allclose(got, np.round(got), atol=1e-4)


def test_fake_quantize_invalid():
    with pytest.raises(RuntimeError, match="levels"):
        ops.fake_quantize(param([2]), 0.0, 1.0, 0.0, 1.0, 1)
    with pytest.raises(RuntimeError):
        ops.fake_quantize(param([2, 3]), np.zeros(4, np.float32), 1.0, 0.0, 1.0, 4)
    with pytest.raises(RuntimeError):
        ops.fake_quantize(param([2]), 0.0, 1.0, 0.0, 1.0, 4, auto_broadcast="bogus")
