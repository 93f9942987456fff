"""Convolution, GroupConvolution, ConvolutionBackpropData and GroupConvolutionBackpropData:
shape inference (static, dynamic, interval, dynamic rank, auto_pad) and the references
against direct nested-loop implementations on tiny shapes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset8
from openvino._ops.convolution import (
    Convolution,
    ConvolutionBackpropData,
    GroupConvolution,
    GroupConvolutionBackpropData,
)

RNG = np.random.default_rng(7)


def _param(shape, dtype=np.float32):
    return opset8.parameter(shape, dtype)


def _rand(shape, dtype):
    if np.dtype(dtype).kind in "iu":
        return RNG.integers(-4, 5, size=shape).astype(dtype)
    return RNG.standard_normal(shape).astype(dtype)


# --- independent expectations -----------------------------------------------------------------
def direct_conv(x, w, strides, dilations, pb, pe, groups=1):
    """Nested-loop convolution; ``w`` is [C_OUT, C_IN / groups, *K]."""
    n, c = x.shape[:2]
    co = w.shape[0]
    kernel = w.shape[2:]
    nsp = len(kernel)
    acc = np.float64 if x.dtype.kind == "f" else np.int64
    out_dims = [(x.shape[2 + i] + pb[i] + pe[i] - (kernel[i] - 1) * dilations[i] - 1)
                // strides[i] + 1 for i in range(nsp)]
    out = np.zeros((n, co, *out_dims), dtype=acc)
    cg, og = c // groups, co // groups
    for b, oc in itertools.product(range(n), range(co)):
        g = oc // og
        for opos in itertools.product(*[range(d) for d in out_dims]):
            total = 0
            for ic in range(cg):
                for kpos in itertools.product(*[range(k) for k in kernel]):
                    src = [opos[i] * strides[i] - pb[i] + kpos[i] * dilations[i]
                           for i in range(nsp)]
                    if all(0 <= s < x.shape[2 + i] for i, s in enumerate(src)):
                        total += acc(x[(b, g * cg + ic, *src)]) * acc(w[(oc, ic, *kpos)])
            out[(b, oc, *opos)] = total
    return out


def direct_backprop(x, w, strides, dilations, pb, out_dims, groups=1):
    """Scatter form of the transposed convolution; ``w`` is [C_IN, C_OUT / groups, *K]. The
    full result at ``o + pb`` lands at output ``o``."""
    n, c = x.shape[:2]
    og = w.shape[1]
    kernel = w.shape[2:]
    nsp = len(kernel)
    cg = c // groups
    out = np.zeros((n, og * groups, *out_dims), dtype=np.float64)
    for b, ic in itertools.product(range(n), range(c)):
        g = ic // cg
        for ipos in itertools.product(*[range(d) for d in x.shape[2:]]):
            for oc in range(og):
                for kpos in itertools.product(*[range(k) for k in kernel]):
                    dst = [ipos[i] * strides[i] + kpos[i] * dilations[i] - pb[i]
                           for i in range(nsp)]
                    if all(0 <= d < out_dims[i] for i, d in enumerate(dst)):
                        out[(b, g * og + oc, *dst)] += x[(b, ic, *ipos)] * w[(ic, oc, *kpos)]
    return out


def _tol(dtype):
    return {"rtol": 1e-2, "atol": 1e-2} if dtype == np.float16 else {"rtol": 1e-5, "atol": 1e-5}


# --- forward convolution -----------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32])
@pytest.mark.parametrize("case", [
    # x shape, w shape, strides, dilations, pads_begin, pads_end
    ((1, 2, 7), (3, 2, 3), [1], [1], [0], [0]),
    ((2, 2, 6, 5), (3, 2, 3, 2), [1, 1], [1, 1], [1, 0], [1, 2]),
    ((1, 3, 7, 7), (2, 3, 3, 3), [2, 2], [1, 1], [1, 1], [1, 1]),
    ((1, 2, 8, 7), (2, 2, 2, 3), [2, 1], [2, 2], [0, 1], [1, 0]),
    ((1, 1, 4, 5, 4), (2, 1, 2, 3, 2), [1, 2, 1], [1, 1, 2], [0, 1, 1], [1, 0, 0]),
])
def test_convolution_matches_direct_loops(dtype, case):
    xs, ws, strides, dil, pb, pe = case
    x, w = _rand(xs, dtype), _rand(ws, dtype)
    node = opset1.convolution(_param(xs, dtype), _param(ws, dtype), strides, pb, pe, dil)
    got = node.reference(x, w)
    expected = direct_conv(x, w, strides, dil, pb, pe)
    assert got.dtype == np.dtype(dtype)
    assert list(node.get_output_shape(0)) == list(got.shape)
    if dtype == np.int32:
        np.testing.assert_array_equal(got, expected.astype(np.int32))
    else:
        np.testing.assert_allclose(got.astype(np.float64), expected, **_tol(dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.int32])
@pytest.mark.parametrize("case", [
    # x shape, groups, out channels per group, kernel, strides, dilations, pads
    ((1, 4, 6, 6), 2, 3, (3, 3), [1, 1], [1, 1], [1, 1], [1, 1]),
    ((2, 6, 5, 7), 3, 1, (2, 3), [2, 1], [1, 2], [0, 1], [1, 1]),
    ((1, 3, 7, 6), 3, 1, (3, 3), [2, 2], [1, 1], [1, 1], [1, 0]),  # depthwise
    ((1, 2, 5, 5), 2, 2, (3, 3), [1, 1], [2, 2], [2, 2], [2, 2]),  # channel multiplier
    ((1, 4, 9), 4, 1, (3,), [2], [1], [1], [1]),  # depthwise 1D
])
def test_group_convolution_matches_direct_loops(dtype, case):
    xs, groups, og, kernel, strides, dil, pb, pe = case
    cg = xs[1] // groups
    x = _rand(xs, dtype)
    w = _rand((groups, og, cg) + kernel, dtype)
    node = opset1.group_convolution(_param(xs, dtype), _param(w.shape, dtype), strides, pb,
                                    pe, dil)
    got = node.reference(x, w)
    expected = direct_conv(x, w.reshape((groups * og, cg) + kernel), strides, dil, pb, pe,
                           groups)
    assert list(node.get_output_shape(0)) == list(got.shape)
    np.testing.assert_allclose(got.astype(np.float64), expected, **_tol(dtype))


@pytest.mark.parametrize("auto_pad, in_len, kernel, stride, dil, expect_pads, out_len", [
    ("same_upper", 5, 2, 1, 1, (0, 1), 5),
    ("same_lower", 5, 2, 1, 1, (1, 0), 5),
    ("same_upper", 7, 4, 2, 1, (1, 2), 4),
    ("same_lower", 7, 4, 2, 1, (2, 1), 4),
    ("same_upper", 6, 3, 2, 2, (1, 2), 3),
    ("same_upper", 9, 1, 3, 1, (0, 0), 3),
    ("valid", 7, 3, 2, 1, (0, 0), 3),
    ("valid", 8, 3, 2, 1, (0, 0), 3),
])
def test_auto_pad_shapes_pads_and_values(auto_pad, in_len, kernel, stride, dil, expect_pads,
                                         out_len):
    x = _rand((1, 2, in_len), np.float32)
    w = _rand((2, 2, kernel), np.float32)
    node = opset1.convolution(_param(x.shape), _param(w.shape), [stride], [5], [5], [dil],
                              auto_pad=auto_pad)
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 2, out_len])
    attrs = node.get_attributes()
    assert (attrs["pads_begin"][0], attrs["pads_end"][0]) == expect_pads
    got = node.reference(x, w)
    expected = direct_conv(x, w, [stride], [dil], [expect_pads[0]], [expect_pads[1]])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_convolution_dynamic_shapes():
    w = _param([8, 3, 3, 3])
    conv = opset1.convolution(_param([-1, 3, 32, 32]), w, [1, 1], [1, 1], [1, 1], [1, 1])
    assert conv.get_output_partial_shape(0) == ov.PartialShape([-1, 8, 32, 32])
    conv = opset1.convolution(_param([2, -1, (10, 20), -1]), w, [2, 2], [0, 0], [0, 0], [1, 1])
    # a fully dynamic spatial dim still yields at least one window: 1..
    assert conv.get_output_partial_shape(0) == ov.PartialShape([2, 8, (4, 9), (1, -1)])
    conv = opset1.convolution(_param([1, 3, (1, 7), 9]), w, [1, 1], [0, 0], [0, 0], [1, 1])
    assert conv.get_output_partial_shape(0) == ov.PartialShape([1, 8, (1, 5), 7])
    conv = opset1.convolution(_param(ov.PartialShape.dynamic()), w, [1, 1], [0, 0], [0, 0],
                              [1, 1])
    assert conv.get_output_partial_shape(0) == ov.PartialShape([-1, 8, (1, -1), (1, -1)])
    both = opset1.convolution(_param(ov.PartialShape.dynamic()),
                              _param(ov.PartialShape.dynamic()), [1, 1, 1], [0, 0, 0],
                              [0, 0, 0], [1, 1, 1])
    assert both.get_output_partial_shape(0) == ov.PartialShape([-1, -1] + [(1, -1)] * 3)
    same = opset1.convolution(_param([-1, 3, (5, 10), 8]), w, [2, 2], [0, 0], [0, 0], [1, 1],
                              auto_pad="same_upper")
    assert same.get_output_partial_shape(0) == ov.PartialShape([-1, 8, (3, 5), 4])
    group = opset1.group_convolution(_param([-1, 6, 10, 10]), _param([3, 4, 2, 3, 3]),
                                     [1, 1], [1, 1], [1, 1], [1, 1])
    assert group.get_output_partial_shape(0) == ov.PartialShape([-1, 12, 10, 10])


def test_convolution_invalid_arguments():
    with pytest.raises(RuntimeError, match="channel"):
        opset1.convolution(_param([1, 4, 8, 8]), _param([2, 3, 3, 3]), [1, 1], [0, 0], [0, 0],
                           [1, 1])
    with pytest.raises(RuntimeError, match="rank"):
        opset1.convolution(_param([1, 3, 8, 8]), _param([2, 3, 3]), [1, 1], [0, 0], [0, 0],
                           [1, 1])
    with pytest.raises(RuntimeError, match="Strides"):
        opset1.convolution(_param([1, 3, 8, 8]), _param([2, 3, 3, 3]), [1], [0, 0], [0, 0],
                           [1, 1])
    with pytest.raises(RuntimeError, match="larger than the data"):
        opset1.convolution(_param([1, 3, 2, 8]), _param([2, 3, 3, 3]), [1, 1], [0, 0], [0, 0],
                           [1, 1])
    with pytest.raises(RuntimeError, match="same element type"):
        opset1.convolution(_param([1, 3, 8, 8]), _param([2, 3, 3, 3], np.float16), [1, 1],
                           [0, 0], [0, 0], [1, 1])
    with pytest.raises(RuntimeError, match="numeric"):
        opset1.convolution(_param([1, 3, 8, 8], bool), _param([2, 3, 3, 3], bool), [1, 1],
                           [0, 0], [0, 0], [1, 1])
    with pytest.raises(RuntimeError, match="auto_pad"):
        opset1.convolution(_param([1, 3, 8, 8]), _param([2, 3, 3, 3]), [1, 1], [0, 0], [0, 0],
                           [1, 1], auto_pad="bogus")
    with pytest.raises(RuntimeError, match="channel"):
        opset1.group_convolution(_param([1, 5, 8, 8]), _param([2, 2, 2, 3, 3]), [1, 1],
                                 [0, 0], [0, 0], [1, 1])


def test_convolution_ir_attributes_and_versions():
    node = opset1.convolution(_param([1, 3, 8, 8]), _param([2, 3, 3, 3]), [1, 1], [1, 1],
                              [1, 1], [1, 1])
    assert node._ir_attributes() == {"strides": "1,1", "dilations": "1,1", "pads_begin": "1,1",
                                     "pads_end": "1,1", "auto_pad": "explicit"}
    assert (node.get_type_name(), node.version) == ("Convolution", "opset1")
    assert isinstance(node, Convolution)
    group = opset1.group_convolution(_param([1, 4, 8, 8]), _param([2, 1, 2, 3, 3]), [1, 1],
                                     [1, 1], [1, 1], [1, 1])
    assert isinstance(group, GroupConvolution)
    # attribute order as the real IR writes it
    assert list(node._ir_attributes()) == ["strides", "dilations", "pads_begin", "pads_end",
                                           "auto_pad"]
    assert list(group._ir_attributes()) == ["strides", "pads_begin", "pads_end", "dilations",
                                            "auto_pad"]
    back = opset1.convolution_backprop_data(_param([1, 2, 4, 4]), _param([2, 3, 3, 3]), [2, 2])
    assert back._ir_attributes()["output_padding"] == "0,0"


# --- transposed convolution ------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("case", [
    # x shape, w shape, strides, dilations, pads_begin, pads_end, output_padding
    ((1, 2, 4), (2, 3, 3), [2], [1], [0], [0], [0]),
    ((1, 2, 3, 3), (2, 2, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1], [0, 0]),
    ((2, 3, 3, 4), (3, 2, 2, 3), [2, 3], [1, 1], [0, 1], [1, 0], [1, 2]),
    ((1, 1, 3, 3), (1, 2, 2, 2), [2, 2], [2, 1], [1, 0], [0, 1], [0, 0]),
])
def test_convolution_backprop_matches_direct_loops(dtype, case):
    xs, ws, strides, dil, pb, pe, op = case
    x, w = _rand(xs, dtype), _rand(ws, dtype)
    node = opset1.convolution_backprop_data(_param(xs, dtype), _param(ws, dtype), strides,
                                            pads_begin=pb, pads_end=pe, dilations=dil,
                                            output_padding=op)
    out_dims = [strides[i] * (xs[2 + i] - 1) + (ws[2 + i] - 1) * dil[i] + 1 - pb[i] - pe[i]
                + op[i] for i in range(len(strides))]
    assert node.get_output_partial_shape(0) == ov.PartialShape([xs[0], ws[1], *out_dims])
    got = node.reference(x, w)
    expected = direct_backprop(x.astype(np.float64), w.astype(np.float64), strides, dil, pb,
                               out_dims)
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_allclose(got.astype(np.float64), expected, **_tol(dtype))


@pytest.mark.parametrize("auto_pad, expect_begin", [("same_upper", 1), ("same_lower", 0),
                                                   ("explicit", 0), ("valid", 0)])
def test_convolution_backprop_with_output_shape(auto_pad, expect_begin):
    x = _rand((1, 2, 3, 3), np.float32)
    w = _rand((2, 1, 3, 3), np.float32)
    shape = np.array([6, 6], dtype=np.int64)
    node = opset1.convolution_backprop_data(_param(x.shape), _param(w.shape), [2, 2],
                                            output_shape=shape, auto_pad=auto_pad)
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 1, 6, 6])
    got = node.reference(x, w, shape)
    # full result is 7 long; 6 are kept starting at the computed pad
    expected = direct_backprop(x, w, [2, 2], [1, 1], [expect_begin] * 2, [6, 6])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    dynamic = opset1.convolution_backprop_data(_param(x.shape), _param(w.shape), [2, 2],
                                               output_shape=_param([2], np.int64))
    assert dynamic.get_output_partial_shape(0) == ov.PartialShape([1, 1, -1, -1])


def test_group_convolution_backprop_matches_direct_loops():
    groups, cg, og = 2, 2, 3
    x = _rand((1, groups * cg, 3, 4), np.float32)
    w = _rand((groups, cg, og, 3, 2), np.float32)
    node = opset1.group_convolution_backprop_data(_param(x.shape), _param(w.shape), [2, 1],
                                                  pads_begin=[1, 0], pads_end=[0, 1],
                                                  dilations=[1, 1])
    assert isinstance(node, GroupConvolutionBackpropData)
    out_dims = [2 * 2 + 3 - 1, 3 + 2 - 1]
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, groups * og] + out_dims)
    got = node.reference(x, w)
    expected = direct_backprop(x, w.reshape(groups * cg, og, 3, 2), [2, 1], [1, 1], [1, 0],
                               out_dims, groups)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_convolution_backprop_dynamic_and_invalid():
    node = opset1.convolution_backprop_data(_param([-1, 4, (2, 5), -1]), _param([4, 2, 3, 3]),
                                            [2, 2])
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 2, (5, 11), -1])
    node = opset1.convolution_backprop_data(_param(ov.PartialShape.dynamic()),
                                            _param([4, 2, 3, 3]), [1, 1])
    assert node.get_output_partial_shape(0).rank == 4
    assert isinstance(node, ConvolutionBackpropData)
    with pytest.raises(RuntimeError, match="channel"):
        opset1.convolution_backprop_data(_param([1, 3, 4, 4]), _param([4, 2, 3, 3]), [1, 1])
    with pytest.raises(RuntimeError, match="integer"):
        opset1.convolution_backprop_data(_param([1, 4, 4, 4]), _param([4, 2, 3, 3]), [1, 1],
                                         output_shape=np.array([5.0, 5.0], np.float32))
    with pytest.raises(RuntimeError, match="spatial"):
        opset1.convolution_backprop_data(_param([1, 4, 4, 4]), _param([4, 2, 3, 3]), [1, 1],
                                         output_shape=np.array([5, 5, 5], np.int64))


def test_convolution_runs_in_a_model_via_evaluate():
    data = _param([-1, 3, 6, 6])
    conv = opset1.convolution(data, _rand((4, 3, 3, 3), np.float32), [1, 1], [1, 1], [1, 1],
                              [1, 1])
    model = ov.Model([conv], [data])
    x = _rand((2, 3, 6, 6), np.float32)
    out = [ov.Tensor(np.zeros((2, 4, 6, 6), np.float32))]
    assert model.evaluate(out, [ov.Tensor(x)])
    w = conv.input_value(1).get_node().get_data()
    np.testing.assert_allclose(out[0].data, direct_conv(x, w, [1, 1], [1, 1], [1, 1], [1, 1]),
                               rtol=1e-5, atol=1e-5)
