"""Elementwise ops: arithmetic, unary math, comparison, logical, bitwise and Select."""

from __future__ import annotations

import math

import numpy as np
import pytest

import openvino as ov
import openvino.opset1 as ops1
import openvino.opset13 as ops13
import openvino.opset15 as ops15
from openvino import Dimension, PartialShape, Tensor, Type
from openvino._ops.arithmetic import Divide

ops = ops15


def run(node, *arrays):
    """Evaluate ``node`` through the public ``Node.evaluate`` on one array per input."""
    outs = []
    node.evaluate(outs, [Tensor(np.asarray(a)) for a in arrays])
    return outs[0].data


def param(shape, dtype=np.float32):
    return ops.parameter(shape, dtype)


# --- binary arithmetic --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64, np.int32, np.int64,
                                   np.uint8, np.int8])
@pytest.mark.parametrize("fname, expect", [
    ("add", lambda a, b: a + b),
    ("subtract", lambda a, b: a - b),
    ("multiply", lambda a, b: a * b),
    ("maximum", np.maximum),
    ("minimum", np.minimum),
    ("squared_difference", lambda a, b: (a - b) * (a - b)),
])
def test_binary_arithmetic_matches_numpy(dtype, fname, expect):
    a = np.array([[1, 7, 3], [9, 2, 5]], dtype=dtype)
    b = np.array([4, 2, 6], dtype=dtype)
    node = getattr(ops, fname)(param([2, 3], dtype), param([3], dtype))
    assert node.get_output_element_type(0) == Type(dtype)
    assert node.get_output_partial_shape(0) == PartialShape([2, 3])
    with np.errstate(all="ignore"):
        want = expect(a, b).astype(dtype)
    got = run(node, a, b)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, want)


def test_integer_arithmetic_wraps_around():
    node = ops.add(param([2], np.uint8), param([2], np.uint8))
    np.testing.assert_array_equal(run(node, np.array([250, 3], np.uint8),
                                      np.array([10, 4], np.uint8)), [4, 7])
    node = ops.multiply(param([1], np.int8), param([1], np.int8))
    assert run(node, np.array([100], np.int8), np.array([3], np.int8))[0] == 44


def test_u4_addition_wraps_in_four_bits():
    node = ops.add(param([3], Type.u4), param([3], Type.u4))
    got = node.reference(np.array([15, 8, 1], np.uint8), np.array([1, 8, 2], np.uint8))
    np.testing.assert_array_equal(got, [0, 0, 3])


def test_divide_float_and_integer_modes():
    node = ops.divide(param([4]), param([4]))
    np.testing.assert_allclose(run(node, np.array([7, -7, 1, 0], np.float32),
                                   np.array([2, 2, 4, 5], np.float32)),
                               [3.5, -3.5, 0.25, 0.0])
    a = np.array([7, -7, 7, -7, 6], np.int32)
    b = np.array([2, 2, -2, -2, 3], np.int32)
    floor_node = ops.divide(param([5], np.int32), param([5], np.int32))
    assert floor_node.get_attributes()["m_pythondiv"] is True
    np.testing.assert_array_equal(run(floor_node, a, b), [3, -4, -4, 3, 2])
    trunc_node = Divide(param([5], np.int32), param([5], np.int32), m_pythondiv=False)
    np.testing.assert_array_equal(run(trunc_node, a, b), [3, -3, -3, 3, 2])


def test_divide_ir_attributes_and_integer_division_by_zero():
    node = ops.divide(param([2], np.int64), param([2], np.int64))
    assert node._ir_attributes() == {"auto_broadcast": "numpy", "m_pythondiv": "true"}
    with pytest.raises(RuntimeError, match="division by zero"):
        run(node, np.array([1, 2], np.int64), np.array([1, 0], np.int64))
    rebuilt = Divide._from_ir(node.input_values(), {"m_pythondiv": "false"}, "d")
    assert rebuilt.get_attributes()["m_pythondiv"] is False


def test_power_float_and_integer():
    node = ops.power(param([3]), param([3]))
    np.testing.assert_allclose(run(node, np.array([2, 9, 4], np.float32),
                                   np.array([3, 0.5, -1], np.float32)), [8, 3, 0.25])
    node = ops.power(param([6], np.int32), param([6], np.int32))
    got = run(node, np.array([2, 3, 2, 1, -1, -1], np.int32),
              np.array([10, 3, -1, -5, -3, -2], np.int32))
    np.testing.assert_array_equal(got, [1024, 27, 0, 1, -1, 1])


@pytest.mark.parametrize("dtype", [np.int32, np.float32])
def test_mod_sign_of_dividend_floor_mod_sign_of_divisor(dtype):
    a = np.array([7, -7, 7, -7], dtype)
    b = np.array([3, 3, -3, -3], dtype)
    mod = ops.mod(param([4], dtype), param([4], dtype))
    floor_mod = ops.floor_mod(param([4], dtype), param([4], dtype))
    np.testing.assert_array_equal(run(mod, a, b), [1, -1, 1, -1])
    np.testing.assert_array_equal(run(floor_mod, a, b), [1, 2, -2, -1])


def test_broadcasting_shapes():
    node = ops.add(param([2, 1, 3]), param([4, 1]))
    assert node.get_output_partial_shape(0) == PartialShape([2, 4, 3])
    a = np.arange(6, dtype=np.float32).reshape(2, 1, 3)
    b = np.arange(4, dtype=np.float32).reshape(4, 1)
    np.testing.assert_array_equal(run(node, a, b), a + b)
    scalar = ops.multiply(param([2, 3]), np.float32(2.0))
    assert scalar.get_output_partial_shape(0) == PartialShape([2, 3])


def test_dynamic_and_interval_shape_inference():
    node = ops.add(param([-1, 3]), param([3]))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(), 3])
    node = ops.subtract(param([Dimension(1, 5), 3]), param([4, 1]))
    assert node.get_output_partial_shape(0) == PartialShape([4, 3])
    node = ops.add(param(PartialShape.dynamic()), param([3]))
    assert node.get_output_partial_shape(0).rank.is_dynamic
    node = ops.maximum(param([Dimension(2, 6)], np.int32), param([Dimension(3, 8)], np.int32))
    assert node.get_output_partial_shape(0).rank.get_length() == 1


def test_auto_broadcast_none_and_pdpd():
    node = ops.add(param([2, 3]), param([2, 3]), auto_broadcast="none")
    assert node.get_attributes()["auto_broadcast"] == "none"
    with pytest.raises(RuntimeError):
        ops.add(param([2, 3]), param([3]), auto_broadcast="none")
    pdpd = ops.add(param([2, 3, 4]), param([3, 4]), auto_broadcast="pdpd")
    a = np.ones((2, 3, 4), np.float32)
    b = np.arange(12, dtype=np.float32).reshape(3, 4)
    np.testing.assert_array_equal(run(pdpd, a, b), a + b)


def test_binary_arithmetic_invalid_inputs():
    with pytest.raises(RuntimeError, match="do not broadcast|inconsistent"):
        ops.add(param([2, 3]), param([4]))
    with pytest.raises(RuntimeError, match="same element type"):
        ops.add(param([2]), param([2], np.int32))
    with pytest.raises(RuntimeError, match="boolean"):
        ops.multiply(param([2], np.bool_), param([2], np.bool_))


def test_node_operator_overloads():
    p = param([3])
    np.testing.assert_allclose(run(p + p, [1, 2, 3], [1, 2, 3]), [2, 4, 6])
    assert (p - p).get_type_name() == "Subtract"
    assert (p * p).get_type_name() == "Multiply"
    assert (p / p).get_type_name() == "Divide"
    neg = -p
    assert neg.get_type_name() == "Negative"
    np.testing.assert_array_equal(run(neg, np.array([1, -2, 0], np.float32)), [-1, 2, 0])


def test_factories_exist_in_every_opset_since_introduction():
    assert ops1.add is ops13.add and ops1.floor_mod is ops15.floor_mod
    for name in ("bitwise_and", "bitwise_not"):
        assert not hasattr(ops1, name) and hasattr(ops13, name)
    assert not hasattr(ops13, "bitwise_left_shift") and hasattr(ops15, "bitwise_left_shift")
    assert not hasattr(ov.opset9, "is_nan") and hasattr(ov.opset10, "is_nan")
    assert not hasattr(ov.opset4, "round") and hasattr(ov.opset5, "round")
    assert not hasattr(ov.opset3, "asinh") and hasattr(ov.opset4, "asinh")
    assert ov.opset1.ceil is ov.opset1.ceiling and ov.opset1.abs is ov.opset1.absolute


# --- unary math ----------------------------------------------------------------------------

X = np.array([-2.5, -0.5, 0.0, 0.3, 1.5, 2.5], np.float32)
UNIT = np.array([-0.9, -0.2, 0.0, 0.4, 0.99], np.float32)


@pytest.mark.parametrize("fname, data, expect", [
    ("absolute", X, np.abs),
    ("negative", X, np.negative),
    ("sign", X, np.sign),
    ("floor", X, np.floor),
    ("ceiling", X, np.ceil),
    ("exp", X, np.exp),
    ("log", np.abs(X) + 0.5, np.log),
    ("sqrt", np.abs(X), np.sqrt),
    ("erf", X, np.vectorize(math.erf)),
    ("sin", X, np.sin), ("cos", X, np.cos), ("tan", X, np.tan),
    ("asin", UNIT, np.arcsin), ("acos", UNIT, np.arccos), ("atan", X, np.arctan),
    ("sinh", X, np.sinh), ("cosh", X, np.cosh), ("tanh", X, np.tanh),
    ("asinh", X, np.arcsinh), ("acosh", np.abs(X) + 1, np.arccosh), ("atanh", UNIT, np.arctanh),
])
def test_unary_math_float(fname, data, expect):
    node = getattr(ops, fname)(param(list(data.shape)))
    assert node.get_output_element_type(0) == Type.f32
    got = run(node, data)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expect(data.astype(np.float64)), rtol=1e-6, atol=1e-7)


def test_unary_math_f16_and_dynamic_shape():
    node = ops.exp(param([-1, 2], np.float16))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(), 2])
    data = np.array([[0, 1], [2, -1]], np.float16)
    got = run(node, data)
    assert got.dtype == np.float16
    np.testing.assert_allclose(got, np.exp(data.astype(np.float32)), rtol=1e-3)


def test_unary_math_integer_inputs_round_the_real_result():
    data = np.array([0, 1, 2, 10], np.int32)
    np.testing.assert_array_equal(run(ops.sqrt(param([4], np.int32)), data), [0, 1, 1, 3])
    np.testing.assert_array_equal(run(ops.exp(param([4], np.int32)), data), [1, 3, 7, 22026])
    np.testing.assert_array_equal(run(ops.absolute(param([3], np.int8)),
                                      np.array([-3, 4, -128], np.int8)), [3, 4, -128])
    np.testing.assert_array_equal(run(ops.sign(param([3], np.int64)),
                                      np.array([-9, 0, 4], np.int64)), [-1, 0, 1])
    np.testing.assert_array_equal(run(ops.negative(param([2], np.uint8)),
                                      np.array([1, 0], np.uint8)), [255, 0])


def test_unary_math_rejects_boolean():
    with pytest.raises(RuntimeError, match="boolean"):
        ops.exp(param([2], np.bool_))
    with pytest.raises(RuntimeError):
        ops.negative(param([2], np.bool_))


@pytest.mark.parametrize("mode, want", [
    ("half_to_even", [-2, -0, 0, 2, 2, -2, 0]),
    ("half_away_from_zero", [-3, -1, 1, 2, 3, -2, 0]),
])
def test_round_modes(mode, want):
    data = np.array([-2.5, -0.5, 0.5, 1.5, 2.5, -1.7, 0.49999997], np.float32)
    node = ops.round(param([7]), mode=mode.upper())
    assert node._ir_attributes() == {"mode": mode}
    np.testing.assert_array_equal(run(node, data), want)


def test_round_integer_is_identity_and_bad_mode_fails():
    data = np.array([-3, 7], np.int32)
    np.testing.assert_array_equal(run(ops.round(param([2], np.int32)), data), data)
    with pytest.raises(RuntimeError, match="Round mode"):
        ops.round(param([2]), mode="up")


def test_is_finite_is_inf_is_nan():
    data = np.array([1.0, np.inf, -np.inf, np.nan, 0.0], np.float32)
    fin = ops.is_finite(param([5]))
    assert fin.get_output_element_type(0) == Type.boolean
    np.testing.assert_array_equal(run(fin, data), [True, False, False, False, True])
    np.testing.assert_array_equal(run(ops.is_nan(param([5])), data),
                                  [False, False, False, True, False])
    np.testing.assert_array_equal(run(ops.is_inf(param([5])), data),
                                  [False, True, True, False, False])
    only_pos = ops.is_inf(param([5]), {"detect_negative": False})
    np.testing.assert_array_equal(run(only_pos, data), [False, True, False, False, False])
    with pytest.raises(RuntimeError):
        ops.is_nan(param([2], np.int32))
    node = ops.is_inf(param([-1, 5]))
    assert node.get_output_partial_shape(0) == PartialShape([-1, 5])


# --- comparison ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8, np.bool_])
@pytest.mark.parametrize("fname, expect", [
    ("equal", np.equal), ("not_equal", np.not_equal), ("less", np.less),
    ("less_equal", np.less_equal), ("greater", np.greater), ("greater_equal", np.greater_equal),
])
def test_comparison_outputs_boolean(dtype, fname, expect):
    a = np.array([[0, 1, 1], [1, 0, 0]], dtype)
    b = np.array([1, 1, 0], dtype)
    node = getattr(ops, fname)(param([2, 3], dtype), param([3], dtype))
    assert node.get_output_element_type(0) == Type.boolean
    got = run(node, a, b)
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got, expect(a, b))


def test_comparison_dynamic_and_type_mismatch():
    node = ops.less(param([-1, 1]), param([1, 4]))
    assert node.get_output_partial_shape(0) == PartialShape([-1, 4])
    with pytest.raises(RuntimeError):
        ops.equal(param([2]), param([2], np.int32))


# --- logical --------------------------------------------------------------------------------

def test_logical_ops():
    a = np.array([True, True, False, False])
    b = np.array([True, False, True, False])
    for fname, expect in [("logical_and", np.logical_and), ("logical_or", np.logical_or),
                          ("logical_xor", np.logical_xor)]:
        node = getattr(ops, fname)(param([4], np.bool_), param([4], np.bool_))
        assert node.get_output_element_type(0) == Type.boolean
        np.testing.assert_array_equal(run(node, a, b), expect(a, b))
    np.testing.assert_array_equal(run(ops.logical_not(param([4], np.bool_)), a), ~a)
    node = ops.logical_and(param([-1, 1], np.bool_), param([3], np.bool_))
    assert node.get_output_partial_shape(0) == PartialShape([-1, 3])


def test_logical_ops_reject_non_boolean():
    with pytest.raises(RuntimeError, match="boolean"):
        ops.logical_and(param([2], np.int32), param([2], np.int32))
    with pytest.raises(RuntimeError, match="boolean"):
        ops.logical_not(param([2]))


# --- bitwise ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.int64, np.bool_])
def test_bitwise_binary_and_not(dtype):
    a = np.array([0b1100, 0b1010, 0, 7], dtype)
    b = np.array([0b1010, 0b0110, 3, 1], dtype)
    for fname, expect in [("bitwise_and", np.bitwise_and), ("bitwise_or", np.bitwise_or),
                          ("bitwise_xor", np.bitwise_xor)]:
        node = getattr(ops, fname)(param([4], dtype), param([4], dtype))
        np.testing.assert_array_equal(run(node, a, b), expect(a, b))
    np.testing.assert_array_equal(run(ops.bitwise_not(param([4], dtype)), a), np.invert(a))


def test_bitwise_low_bit_types_and_invalid():
    node = ops.bitwise_not(param([3], Type.u4))
    np.testing.assert_array_equal(node.reference(np.array([0, 5, 15], np.uint8)), [15, 10, 0])
    node = ops.bitwise_not(param([2], Type.u1))
    np.testing.assert_array_equal(node.reference(np.array([0, 1], np.uint8)), [1, 0])
    with pytest.raises(RuntimeError):
        ops.bitwise_and(param([2]), param([2]))
    with pytest.raises(RuntimeError):
        ops.bitwise_left_shift(param([2], np.bool_), param([2], np.bool_))


def test_bitwise_shifts():
    a = np.array([1, -8, 5, 3, -1], np.int32)
    s = np.array([3, 1, 0, 40, 31], np.int32)
    left = ops.bitwise_left_shift(param([5], np.int32), param([5], np.int32))
    np.testing.assert_array_equal(run(left, a, s), [8, -16, 5, 0, np.int32(-2**31)])
    right = ops.bitwise_right_shift(param([5], np.int32), param([5], np.int32))
    np.testing.assert_array_equal(run(right, a, s), [0, -4, 5, 0, -1])
    u = ops.bitwise_right_shift(param([2], np.uint8), param([1], np.uint8))
    np.testing.assert_array_equal(run(u, np.array([255, 16], np.uint8), np.array([4], np.uint8)),
                                  [15, 1])
    u4 = ops.bitwise_left_shift(param([2], Type.u4), param([2], Type.u4))
    np.testing.assert_array_equal(u4.reference(np.array([15, 3], np.uint8),
                                               np.array([1, 2], np.uint8)), [14, 12])


# --- select ----------------------------------------------------------------------------------

def test_select_numpy_broadcast_of_three_inputs():
    node = ops.select(param([2, 1], np.bool_), param([3]), param([1, 1, 1]))
    assert node.get_output_partial_shape(0) == PartialShape([1, 2, 3])
    cond = np.array([[True], [False]])
    then = np.array([1, 2, 3], np.float32)
    other = np.array([[[-1]]], np.float32)
    np.testing.assert_array_equal(run(node, cond, then, other), np.where(cond, then, other))


def test_select_types_and_dynamic_shapes():
    node = ops.select(param([-1, 4], np.bool_), param([4], np.int32), param([1, 4], np.int32))
    assert node.get_output_element_type(0) == Type.i32
    assert node.get_output_partial_shape(0) == PartialShape([-1, 4])
    none = ops.select(param([2], np.bool_), param([2]), param([2]), auto_broadcast="none")
    assert none.get_output_partial_shape(0) == PartialShape([2])
    with pytest.raises(RuntimeError):
        ops.select(param([2], np.bool_), param([2]), param([1]), auto_broadcast="none")
    with pytest.raises(RuntimeError, match="boolean"):
        ops.select(param([2], np.int32), param([2]), param([2]))
    with pytest.raises(RuntimeError, match="same element type"):
        ops.select(param([2], np.bool_), param([2]), param([2], np.int32))
    with pytest.raises(RuntimeError):
        ops.select(param([2], np.bool_), param([3]), param([2]))
