"""MVN (v0/opset2, v6), NormalizeL2, BatchNormInference (v0, v5) and LRN: references against
per-slice loops, shape inference and invalid arguments."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset2, opset5, opset6, opset8
from openvino._ops.normalization import MVN, MVN1, BatchNormInference, BatchNormInference1

RNG = np.random.default_rng(5)


def _param(shape, dtype=np.float32):
    return opset8.parameter(shape, dtype)


def _slices(shape, axes):
    """Index tuples selecting every slice that spans ``axes`` (other axes fixed)."""
    keep = [d for d in range(len(shape)) if d not in axes]
    for fixed in itertools.product(*[range(shape[d]) for d in keep]):
        idx: list = [slice(None)] * len(shape)
        for d, v in zip(keep, fixed):
            idx[d] = v
        yield tuple(idx)


def loop_mvn(x, axes, normalize_variance, eps, inside):
    out = np.zeros(x.shape)
    x64 = x.astype(np.float64)
    for idx in _slices(x.shape, axes):
        s = x64[idx]
        mean = sum(s.flat) / s.size
        d = s - mean
        if normalize_variance:
            var = sum(v * v for v in d.flat) / s.size
            d = d / (np.sqrt(var + eps) if inside else np.sqrt(var) + eps)
        out[idx] = d
    return out


def _tol(dtype):
    return {"rtol": 5e-3, "atol": 5e-3} if dtype == np.float16 else {"rtol": 1e-4, "atol": 1e-5}


# --- MVN ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("across, normalize", [(False, True), (True, True), (True, False)])
def test_mvn1_matches_loops(dtype, across, normalize):
    x = RNG.standard_normal((2, 3, 4, 5)).astype(dtype)
    node = opset2.mvn(_param(x.shape, dtype), across_channels=across,
                      normalize_variance=normalize, eps=1e-5)
    assert isinstance(node, MVN1) and node.version == "opset2"
    axes = (1, 2, 3) if across else (2, 3)
    got = node.reference(x)
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_allclose(got.astype(np.float64), loop_mvn(x, axes, normalize, 1e-5, True),
                               **_tol(dtype))
    ir = node._ir_attributes()
    assert ir["reduction_axes"] == ",".join(map(str, axes))
    assert ir["across_channels"] == ("true" if across else "false")


def test_mvn1_reduction_axes_from_ir():
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    node = MVN1._from_ir([_param(x.shape).output(0)],
                         {"eps": "1e-6", "normalize_variance": "true", "reduction_axes": "1"},
                         "mvn")
    np.testing.assert_allclose(node.reference(x), loop_mvn(x, (1,), True, 1e-6, True),
                               rtol=1e-4, atol=1e-5)
    assert node.get_attributes()["across_channels"] is True


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64])
@pytest.mark.parametrize("axes, mode", [([2, 3], "inside_sqrt"), ([-1], "outside_sqrt"),
                                        ([1, 2, 3], "inside_sqrt"), ([0, 2], "outside_sqrt")])
def test_mvn6_matches_loops(dtype, axes, mode):
    x = (RNG.standard_normal((2, 3, 4, 5)) * 3 + 1).astype(dtype)
    axes_arr = np.array(axes, dtype=np.int64)
    node = opset6.mvn(_param(x.shape, dtype), axes_arr, True, 1e-3, mode)
    assert isinstance(node, MVN) and node.version == "opset6"
    got = node.reference(x, axes_arr)
    norm_axes = tuple(a % 4 for a in axes)
    np.testing.assert_allclose(got.astype(np.float64),
                               loop_mvn(x, norm_axes, True, 1e-3, mode == "inside_sqrt"),
                               **_tol(dtype))


def test_mvn6_shapes_ir_and_errors():
    node = opset6.mvn(_param([-1, 16, (1, 64)]), np.array([-1], np.int64), True, 1e-5,
                      "INSIDE_SQRT")
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 16, (1, 64)])
    assert node._ir_attributes()["eps_mode"] == "inside_sqrt"
    dyn = opset6.mvn(_param(ov.PartialShape.dynamic()), _param([1], np.int64), False, 1e-5,
                     "outside_sqrt")
    assert dyn.get_output_partial_shape(0) == ov.PartialShape.dynamic()
    with pytest.raises(RuntimeError, match="eps_mode"):
        opset6.mvn(_param([2, 3]), np.array([1], np.int64), True, 1e-5, "sideways")
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        opset6.mvn(_param([2, 3]), np.array([2], np.int64), True, 1e-5, "inside_sqrt")
    with pytest.raises(RuntimeError, match="integer"):
        opset6.mvn(_param([2, 3]), np.array([1.0], np.float32), True, 1e-5, "inside_sqrt")
    with pytest.raises(RuntimeError, match="floating-point"):
        opset6.mvn(_param([2, 3], np.int32), np.array([1], np.int64), True, 1e-5,
                   "inside_sqrt")
    with pytest.raises(RuntimeError, match="unique"):
        opset6.mvn(_param([2, 3]), np.array([1, -1], np.int64), True, 1e-5, "inside_sqrt")


# --- NormalizeL2 -------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("axes, mode, eps", [([1], "add", 1e-6), ([1, 2, 3], "max", 1e-6),
                                             ([], "add", 1e-3), ([-1], "max", 10.0)])
def test_normalize_l2_matches_loops(dtype, axes, mode, eps):
    x = RNG.standard_normal((2, 3, 2, 4)).astype(dtype)
    axes_arr = np.array(axes, dtype=np.int64)
    node = opset1.normalize_l2(_param(x.shape, dtype), axes_arr, eps, mode)
    got = node.reference(x, axes_arr)
    norm_axes = tuple(a % 4 for a in axes)
    expected = np.zeros(x.shape)
    x64 = x.astype(np.float64)
    for idx in _slices(x.shape, norm_axes):
        s = x64[idx]
        sq = sum(v * v for v in np.atleast_1d(s).flat)
        expected[idx] = s / np.sqrt(sq + eps if mode == "add" else max(sq, eps))
    np.testing.assert_allclose(got.astype(np.float64), expected, **_tol(dtype))
    assert node.get_output_partial_shape(0) == ov.PartialShape(x.shape)


def test_normalize_l2_errors():
    with pytest.raises(RuntimeError, match="eps_mode"):
        opset1.normalize_l2(_param([2, 3]), np.array([1], np.int64), 1e-6, "mul")
    with pytest.raises(RuntimeError, match="scalar or 1D"):
        opset1.normalize_l2(_param([2, 3]), np.array([[1]], np.int64), 1e-6, "add")


# --- BatchNormInference ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("opset", [opset1, opset5])
@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4, 5), (1, 3, 2, 2, 2)])
def test_batch_norm_matches_loops(dtype, opset, shape):
    c = shape[1]
    x = RNG.standard_normal(shape).astype(dtype)
    gamma, beta, mean = (RNG.standard_normal(c).astype(dtype) for _ in range(3))
    var = RNG.uniform(0.5, 2.0, c).astype(dtype)
    node = opset.batch_norm_inference(_param(shape, dtype), gamma, beta, mean, var, 1e-3)
    cls = BatchNormInference if opset is opset5 else BatchNormInference1
    assert type(node) is cls
    # the graph input order differs: v0 is gamma, beta, data, mean, variance
    args = [x, gamma, beta, mean, var] if opset is opset5 else [gamma, beta, x, mean, var]
    data_port = 0 if opset is opset5 else 2
    assert node.input_value(data_port).get_partial_shape() == ov.PartialShape(shape)
    got = node.reference(*args)
    expected = np.zeros(shape)
    for idx in np.ndindex(*shape):
        ch = idx[1]
        expected[idx] = ((float(x[idx]) - float(mean[ch])) / np.sqrt(float(var[ch]) + 1e-3)
                         * float(gamma[ch]) + float(beta[ch]))
    np.testing.assert_allclose(got.astype(np.float64), expected, **_tol(dtype))


def test_batch_norm_shapes_and_errors():
    node = opset5.batch_norm_inference(_param([-1, -1, 8]), _param([4]), _param([4]),
                                       _param([-1]), _param([4]), 1e-5)
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 4, 8])
    node = opset1.batch_norm_inference(_param(ov.PartialShape.dynamic()), _param([4]),
                                       _param([4]), _param([4]), _param([4]), 1e-5)
    assert node.get_output_partial_shape(0) == ov.PartialShape.dynamic()
    with pytest.raises(RuntimeError, match="channel"):
        opset5.batch_norm_inference(_param([2, 3, 4]), _param([4]), _param([3]), _param([3]),
                                    _param([3]), 1e-5)
    with pytest.raises(RuntimeError, match="rank must be at least 2"):
        opset5.batch_norm_inference(_param([3]), _param([3]), _param([3]), _param([3]),
                                    _param([3]), 1e-5)
    with pytest.raises(RuntimeError, match="same element type"):
        opset5.batch_norm_inference(_param([2, 3]), _param([3], np.float16), _param([3]),
                                    _param([3]), _param([3]), 1e-5)
    with pytest.raises(RuntimeError, match="1D"):
        opset5.batch_norm_inference(_param([2, 3]), _param([3, 1]), _param([3]), _param([3]),
                                    _param([3]), 1e-5)


# --- LRN -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("axes, size", [([1], 3), ([1], 4), ([2, 3], 3), ([1, 2, 3], 2),
                                        ([3], 5)])
def test_lrn_matches_loops(dtype, axes, size):
    x = RNG.standard_normal((1, 5, 3, 4)).astype(dtype)
    alpha, beta, bias = 0.5, 0.75, 2.0
    axes_arr = np.array(axes, dtype=np.int64)
    node = opset1.lrn(_param(x.shape, dtype), axes_arr, alpha, beta, bias, size)
    got = node.reference(x, axes_arr)
    half = (size - 1) // 2
    x64 = x.astype(np.float64)
    expected = np.zeros(x.shape)
    for idx in np.ndindex(*x.shape):
        ranges = [range(max(0, idx[d] - half), min(x.shape[d], idx[d] + half + 1))
                  if d in axes else [idx[d]] for d in range(4)]
        sq = sum(x64[p] ** 2 for p in itertools.product(*ranges))
        expected[idx] = x64[idx] / (bias + alpha / size ** len(axes) * sq) ** beta
    np.testing.assert_allclose(got.astype(np.float64), expected, **_tol(dtype))


def test_lrn_attributes_shapes_errors():
    node = opset1.lrn(_param([-1, 16, -1, -1]), np.array([1], np.int64))
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 16, -1, -1])
    assert node._ir_attributes() == {"alpha": "1", "beta": "0.5", "bias": "1", "size": "5"}
    with pytest.raises(RuntimeError, match="size"):
        opset1.lrn(_param([1, 3, 4, 4]), np.array([1], np.int64), size=0)
    with pytest.raises(RuntimeError, match="1D"):
        opset1.lrn(_param([1, 3, 4, 4]), np.array(1, np.int64))
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        opset1.lrn(_param([1, 3, 4, 4]), np.array([4], np.int64))
