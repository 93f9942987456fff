"""Activations, Softmax and LogSoftmax."""

from __future__ import annotations

import math

import numpy as np
import pytest
from node_eval import evaluate_node as run

import openvino as ov
import openvino.opset13 as ops
from openvino import Dimension, PartialShape, Type
from openvino._ops.activations import Gelu, Gelu0

X = np.array([[-4.0, -1.5, -0.5, 0.0], [0.25, 1.0, 2.5, 6.0]], np.float32)
X64 = X.astype(np.float64)
ERF = np.vectorize(math.erf)



def param(shape, dtype=np.float32):
    return ops.parameter(shape, dtype)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


@pytest.mark.parametrize("fname, expect", [
    ("relu", lambda x: np.where(x > 0, x, 0)),
    ("sigmoid", sigmoid),
    ("tanh", np.tanh),
    ("hswish", lambda x: x * np.minimum(np.maximum(x + 3, 0), 6) / 6),
    ("hsigmoid", lambda x: np.minimum(np.maximum(x + 3, 0), 6) / 6),
    ("mish", lambda x: x * np.tanh(np.log(1 + np.exp(x)))),
    ("softplus", lambda x: np.log(1 + np.exp(x))),
    ("softsign", lambda x: x / (1 + np.abs(x))),
    ("gelu", lambda x: 0.5 * x * (1 + ERF(x / math.sqrt(2)))),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64])
def test_float_activations(fname, expect, dtype):
    node = getattr(ops, fname)(param([2, 4], dtype))
    assert node.get_output_element_type(0) == Type(dtype)
    assert node.get_output_partial_shape(0) == PartialShape([2, 4])
    got = run(node, X.astype(dtype))
    assert got.dtype == dtype
    tol = 2e-3 if dtype == np.float16 else 1e-6
    np.testing.assert_allclose(got, expect(X64), rtol=tol, atol=tol)


def test_softplus_large_inputs_do_not_overflow():
    data = np.array([100.0, -100.0, 30.0], np.float32)
    got = run(ops.softplus(param([3])), data)
    np.testing.assert_allclose(got, [100.0, 0.0, 30.0], atol=1e-6)


def test_activations_on_dynamic_shapes():
    for fname in ("relu", "sigmoid", "hswish", "mish", "softsign"):
        node = getattr(ops, fname)(param([-1, Dimension(2, 5)]))
        assert node.get_output_partial_shape(0) == PartialShape([-1, Dimension(2, 5)])
    node = ops.gelu(param(PartialShape.dynamic()))
    assert node.get_output_partial_shape(0).rank.is_dynamic


def test_float_only_activations_reject_integers():
    for fname in ("hswish", "hsigmoid", "mish", "softplus", "softsign", "gelu"):
        with pytest.raises(RuntimeError):
            getattr(ops, fname)(param([2], np.int32))


def test_relu_and_sigmoid_on_integers():
    data = np.array([-3, 0, 5], np.int32)
    np.testing.assert_array_equal(run(ops.relu(param([3], np.int32)), data), [0, 0, 5])
    np.testing.assert_array_equal(run(ops.sigmoid(param([3], np.int32)), data), [0, 1, 1])


def test_gelu_versions_and_modes():
    node7 = ops.gelu(param([2, 4]), approximation_mode="tanh")
    assert isinstance(node7, Gelu)
    c = math.sqrt(2 / math.pi)
    want = 0.5 * X64 * (1 + np.tanh(c * (X64 + 0.044715 * X64 ** 3)))
    np.testing.assert_allclose(run(node7, X), want, rtol=1e-6, atol=1e-6)
    node0 = ov.opset2.gelu(param([2, 4]))
    assert isinstance(node0, Gelu0) and node0.version == "opset2"
    np.testing.assert_allclose(run(node0, X), 0.5 * X64 * (1 + ERF(X64 / math.sqrt(2))),
                               rtol=1e-6, atol=1e-6)
    with pytest.raises(RuntimeError, match="approximation_mode"):
        ops.gelu(param([2]), approximation_mode="cubic")


def test_gelu_ir_attribute_is_upper_case():
    node = ops.gelu(param([2]), approximation_mode="tanh")
    assert node._ir_attributes() == {"approximation_mode": "TANH"}
    assert node.get_attributes() == {"approximation_mode": "TANH"}
    parsed = Gelu._from_ir([param([2]).output(0)], {"approximation_mode": "ERF"}, "g")
    assert parsed._ir_attributes() == {"approximation_mode": "ERF"}
    default = Gelu._from_ir([param([2]).output(0)], {}, "g")
    assert default.get_attributes()["approximation_mode"] == "ERF"


def test_swish_with_and_without_beta():
    no_beta = ops.swish(param([2, 4]))
    assert no_beta.get_input_size() == 1
    np.testing.assert_allclose(run(no_beta, X), X64 * sigmoid(X64), rtol=1e-6, atol=1e-6)
    with_beta = ops.swish(param([2, 4]), np.float32(0.5))
    got = with_beta.reference(X, np.float32(0.5))
    np.testing.assert_allclose(got, X64 * sigmoid(0.5 * X64), rtol=1e-6, atol=1e-6)
    with pytest.raises(RuntimeError, match="scalar"):
        ops.swish(param([2]), np.array([1, 2], np.float32))
    with pytest.raises(RuntimeError):
        ops.swish(param([2]), np.array(1.0, np.float64))


def test_elu():
    node = ops.elu(param([2, 4]), 0.5)
    assert node.get_attributes() == {"alpha": 0.5}
    assert node._ir_attributes() == {"alpha": "0.5"}
    want = np.where(X64 > 0, X64, 0.5 * (np.exp(X64) - 1))
    np.testing.assert_allclose(run(node, X), want, rtol=1e-6, atol=1e-7)


def test_selu():
    alpha, lam = 1.6732632, 1.050701
    node = ops.selu(param([2, 4]), np.array([alpha], np.float32), np.array([lam], np.float32))
    want = lam * np.where(X64 > 0, X64, alpha * (np.exp(X64) - 1))
    got = node.reference(X, np.array([alpha], np.float32), np.array([lam], np.float32))
    np.testing.assert_allclose(got, want, rtol=1e-6)
    with pytest.raises(RuntimeError, match="one element"):
        ops.selu(param([2]), np.array([1, 2], np.float32), np.array([1], np.float32))
    with pytest.raises(RuntimeError):
        ops.selu(param([2]), np.array([1], np.float64), np.array([1], np.float32))


def test_prelu_per_channel_slope():
    data = np.arange(-12, 12, dtype=np.float32).reshape(2, 3, 2, 2)
    slope = np.array([0.1, 0.2, 0.3], np.float32)
    node = ops.prelu(param([2, 3, 2, 2]), param([3]))
    assert node.get_output_partial_shape(0) == PartialShape([2, 3, 2, 2])
    want = np.where(data < 0, data * slope.reshape(1, 3, 1, 1), data)
    np.testing.assert_allclose(run(node, data, slope), want)


def test_prelu_numpy_broadcast_slope_and_scalar():
    data = np.arange(-6, 6, dtype=np.float32).reshape(3, 2, 2)
    slope = np.array([0.5, 2.0], np.float32)  # matches the last axis, not the channels
    node = ops.prelu(param([3, 2, 2]), param([2]))
    want = np.where(data < 0, data * slope.reshape(1, 1, 2), data)
    # channel axis (1) has length 2 too, so the per-channel rule applies first
    want_channel = np.where(data < 0, data * slope.reshape(1, 2, 1), data)
    got = run(node, data, slope)
    np.testing.assert_allclose(got, want_channel)
    assert not np.allclose(got, want)
    data2 = np.arange(-6, 6, dtype=np.float32).reshape(2, 3, 2)
    node2 = ops.prelu(param([2, 3, 2]), param([1, 2]))
    np.testing.assert_allclose(run(node2, data2, slope.reshape(1, 2)),
                               np.where(data2 < 0, data2 * slope, data2))
    node3 = ops.prelu(param([4]), np.array([0.25], np.float32))
    np.testing.assert_allclose(node3.reference(np.array([-4, 4, -1, 0], np.float32),
                                               np.array([0.25], np.float32)), [-1, 4, -0.25, 0])


def test_prelu_integer_dynamic_and_invalid():
    node = ops.prelu(param([2, 3], np.int32), param([3], np.int32))
    got = run(node, np.array([[-4, 5, -6], [1, -2, 3]], np.int32), np.array([2, 3, 1], np.int32))
    np.testing.assert_array_equal(got, [[-8, 5, -6], [1, -6, 3]])
    dyn = ops.prelu(param([-1, 3, -1]), param([3]))
    assert dyn.get_output_partial_shape(0) == PartialShape([-1, 3, -1])
    with pytest.raises(RuntimeError):
        ops.prelu(param([2, 3, 4]), param([5]))
    with pytest.raises(RuntimeError):
        ops.prelu(param([2, 3]), param([3], np.float16))


def test_clamp_float_and_integer_rounding():
    node = ops.clamp(param([2, 4]), -1.0, 2.0)
    assert node._ir_attributes() == {"min": "-1", "max": "2"}
    np.testing.assert_array_equal(run(node, X), np.clip(X, -1, 2))
    ints = ops.clamp(param([5], np.int32), -1.5, 2.7)
    got = run(ints, np.array([-5, -1, 0, 2, 9], np.int32))
    np.testing.assert_array_equal(got, [-1, -1, 0, 2, 2])  # min ceil -> -1, max floor -> 2
    u8 = ops.clamp(param([3], np.uint8), -10.0, 1e9)
    np.testing.assert_array_equal(run(u8, np.array([0, 7, 255], np.uint8)), [0, 7, 255])


def test_clamp_invalid_and_dynamic():
    with pytest.raises(RuntimeError, match="min"):
        ops.clamp(param([2]), 3.0, 1.0)
    node = ops.clamp(param([-1, 2]), 0.0, 6.0)
    assert node.get_output_partial_shape(0) == PartialShape([-1, 2])


def test_hard_sigmoid():
    node = ops.hard_sigmoid(param([2, 4]), np.float32(0.2), np.float32(0.5))
    got = node.reference(X, np.float32(0.2), np.float32(0.5))
    np.testing.assert_allclose(got, np.clip(0.2 * X64 + 0.5, 0, 1), rtol=1e-6)


# --- softmax ----------------------------------------------------------------------------------

def softmax_ref(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [0, 1, -1, -2])
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_softmax_v8_axes(axis, dtype):
    node = ops.softmax(param([2, 4], dtype), axis)
    assert node.get_type_name() == "Softmax" and node.version == "opset8"
    assert node._ir_attributes() == {"axis": str(axis)}
    got = run(node, X.astype(dtype))
    assert got.dtype == dtype
    tol = 2e-3 if dtype == np.float16 else 1e-6
    np.testing.assert_allclose(got, softmax_ref(X64, axis), rtol=tol, atol=tol)


def test_softmax_v1_rejects_negative_axis_and_matches_reference():
    node = ov.opset1.softmax(param([2, 4]), 1)
    assert node.version == "opset1"
    np.testing.assert_allclose(run(node, X), softmax_ref(X64, 1), rtol=1e-6)
    with pytest.raises(RuntimeError, match="non-negative"):
        ov.opset1.softmax(param([2, 4]), -1)
    assert ov.opset7.softmax is ov.opset1.softmax and ov.opset8.softmax is ops.softmax


def test_softmax_invalid_axis_types_and_dynamic_rank():
    with pytest.raises(RuntimeError, match="out of bounds"):
        ops.softmax(param([2, 4]), 2)
    with pytest.raises(RuntimeError, match="out of bounds"):
        ops.softmax(param([2, 4]), -3)
    with pytest.raises(RuntimeError):
        ops.softmax(param([2, 4], np.int32), 1)
    node = ops.softmax(param(PartialShape.dynamic()), 5)
    assert node.get_output_partial_shape(0).rank.is_dynamic
    node = ops.softmax(param([-1, 10]), -1)
    assert node.get_output_partial_shape(0) == PartialShape([-1, 10])


def test_softmax_large_values_stay_finite():
    data = np.array([[1000.0, 1000.0, -1000.0]], np.float32)
    np.testing.assert_allclose(run(ops.softmax(param([1, 3]), 1), data), [[0.5, 0.5, 0.0]])


@pytest.mark.parametrize("axis", [1, -2, 0])
def test_log_softmax(axis):
    node = ops.log_softmax(param([2, 4]), axis)
    assert node.get_type_name() == "LogSoftmax" and node.version == "opset5"
    want = np.log(softmax_ref(X64, axis))
    np.testing.assert_allclose(run(node, X), want, rtol=1e-5, atol=1e-6)
    assert not hasattr(ov.opset4, "log_softmax")
    with pytest.raises(RuntimeError):
        ops.log_softmax(param([2, 4]), 2)
