"""ONNX MaxUnpool, training-mode BatchNormalization and the ai.onnx.ml Binarizer and
ArrayFeatureExtractor through the reader, on TEMPLATE and CPU, against numpy."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402

import openvino as ov  # noqa: E402
from openvino._onnx import read_onnx  # noqa: E402

DEVICES = ["TEMPLATE", "CPU"]
RNG = np.random.default_rng(11)


def _model(nodes, inputs, outputs, opset=22, ml=False):
    graph = helper.make_graph(nodes, "g", inputs, outputs)
    imports = [helper.make_opsetid("", opset)]
    if ml:
        imports.append(helper.make_opsetid("ai.onnx.ml", 3))
    return helper.make_model(graph, opset_imports=imports)


def _infer(proto, device, *arrays):
    model = read_onnx(proto.SerializeToString())
    request = ov.Core().compile_model(model, device).create_infer_request()
    request.infer(list(arrays))
    return [request.get_output_tensor(i).data.copy() for i in range(len(model.outputs))]


def _vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("with_shape", [False, True])
def test_max_unpool_undoes_max_pool(device, with_shape):
    x = RNG.standard_normal((2, 3, 6, 4)).astype(np.float32)
    pool = helper.make_node("MaxPool", ["x"], ["v", "i"], kernel_shape=[2, 2], strides=[2, 2])
    inputs = ["v", "i"] + (["shape"] if with_shape else [])
    unpool = helper.make_node("MaxUnpool", inputs, ["y"], kernel_shape=[2, 2],
                              strides=[2, 2])
    graph_inputs = [_vi("x", TensorProto.FLOAT, list(x.shape))]
    feeds = [x]
    if with_shape:
        graph_inputs.append(_vi("shape", TensorProto.INT64, [4]))
        feeds.append(np.array([2, 3, 7, 6], np.int64))
    proto = _model([pool, unpool], graph_inputs, [_vi("y", TensorProto.FLOAT, None)])
    (y,) = _infer(proto, device, *feeds)
    # each 2x2 window keeps its maximum in place, the rest is zero
    win = x.reshape(2, 3, 3, 2, 2, 2)
    keep = win == win.max(axis=(3, 5), keepdims=True)
    want = np.where(keep, win, 0).reshape(x.shape)
    if with_shape:
        want = np.pad(want, [(0, 0), (0, 0), (0, 1), (0, 2)])
    np.testing.assert_array_equal(y, want)


@pytest.mark.parametrize("device", DEVICES)
def test_training_batch_norm_uses_batch_statistics(device):
    x = RNG.standard_normal((4, 3, 5, 2)).astype(np.float32)
    scale, bias = np.float32([1.5, 0.5, -1.0]), np.float32([0.1, 0.0, 2.0])
    mean, var = np.float32([0.2, -0.1, 0.0]), np.float32([1.0, 2.0, 0.5])
    node = helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"],
                            ["y", "rm", "rv"], training_mode=1, momentum=0.8, epsilon=1e-3)
    proto = _model([node], [_vi("x", TensorProto.FLOAT, list(x.shape))]
                   + [_vi(n, TensorProto.FLOAT, [3]) for n in "sbmv"],
                   [_vi("y", TensorProto.FLOAT, None), _vi("rm", TensorProto.FLOAT, None),
                    _vi("rv", TensorProto.FLOAT, None)], opset=15)
    y, rm, rv = _infer(proto, device, x, scale, bias, mean, var)
    bm = x.mean(axis=(0, 2, 3))
    bv = x.var(axis=(0, 2, 3))
    c = (1, 3, 1, 1)
    want = (x - bm.reshape(c)) / np.sqrt(bv.reshape(c) + 1e-3) * scale.reshape(c) \
        + bias.reshape(c)
    np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(rm, mean * 0.8 + bm * 0.2, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rv, var * 0.8 + bv * 0.2, rtol=1e-5, atol=1e-6)


def test_training_batch_norm_before_opset_14_is_refused():
    node = helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y", "rm"])
    proto = _model([node], [_vi("x", TensorProto.FLOAT, [2, 3])]
                   + [_vi(n, TensorProto.FLOAT, [3]) for n in "sbmv"],
                   [_vi("y", TensorProto.FLOAT, None), _vi("rm", TensorProto.FLOAT, None)],
                   opset=9)
    with pytest.raises(RuntimeError, match="training-mode BatchNormalization before opset 14"):
        read_onnx(proto.SerializeToString())


@pytest.mark.parametrize("device", DEVICES)
def test_binarizer(device):
    x = np.array([[-1.0, 0.5, 0.51, np.nan], [2.0, 0.0, 0.5, 7.0]], np.float32)
    node = helper.make_node("Binarizer", ["x"], ["y"], domain="ai.onnx.ml", threshold=0.5)
    proto = _model([node], [_vi("x", TensorProto.FLOAT, [2, 4])],
                   [_vi("y", TensorProto.FLOAT, [2, 4])], ml=True)
    (y,) = _infer(proto, device, x)
    np.testing.assert_array_equal(y, [[0, 0, 1, 0], [1, 0, 0, 1]])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", [[3, 4], [2, 2, 5], [6]])
def test_array_feature_extractor(device, shape):
    x = RNG.standard_normal(shape).astype(np.float32)
    index = np.array([[0, shape[-1] - 1, 1]], np.int64)
    node = helper.make_node("ArrayFeatureExtractor", ["x", "i"], ["y"], domain="ai.onnx.ml")
    proto = _model([node], [_vi("x", TensorProto.FLOAT, shape),
                            _vi("i", TensorProto.INT64, [1, 3])],
                   [_vi("y", TensorProto.FLOAT, None)], ml=True)
    (y,) = _infer(proto, device, x, index)
    want = x[..., index.ravel()]
    np.testing.assert_array_equal(y, want.reshape(1, 3) if len(shape) == 1 else want)


# --- TensorScatter ------------------------------------------------------------------------
def _tensor_scatter(past, update, index, mode, axis=-2):
    out = past.copy()
    ax = axis % past.ndim
    for b in range(past.shape[0]):
        for s in range(update.shape[ax]):
            pos = index[b] + s
            if mode == "circular":
                pos %= past.shape[ax]
            dst = [slice(None)] * past.ndim
            src = [slice(None)] * past.ndim
            dst[0] = src[0] = b
            dst[ax], src[ax] = pos, s
            out[tuple(dst)] = update[tuple(src)]
    return out


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("mode, axis, index", [("linear", -2, [0, 1]),
                                               ("circular", -2, [4, 5]),
                                               ("circular", 1, [1, 0])])
def test_tensor_scatter_writes_the_update_at_each_batch_index(device, mode, axis, index):
    past = RNG.standard_normal((2, 6, 3, 4)).astype(np.float32)
    ushape = list(past.shape)
    ushape[axis] = 2
    update = RNG.standard_normal(ushape).astype(np.float32)
    node = helper.make_node("TensorScatter", ["p", "u", "i"], ["y"], mode=mode, axis=axis)
    proto = _model([node], [_vi("p", TensorProto.FLOAT, list(past.shape)),
                            _vi("u", TensorProto.FLOAT, ushape),
                            _vi("i", TensorProto.INT64, [2])],
                   [_vi("y", TensorProto.FLOAT, None)], opset=24)
    index = np.array(index, np.int64)
    (y,) = _infer(proto, device, past, update, index)
    np.testing.assert_array_equal(y, _tensor_scatter(past, update, index, mode, axis))


def test_tensor_scatter_linear_past_the_end_is_an_error():
    node = helper.make_node("TensorScatter", ["p", "u", "i"], ["y"])
    proto = _model([node], [_vi("p", TensorProto.FLOAT, [2, 4, 3]),
                            _vi("u", TensorProto.FLOAT, [2, 2, 3]),
                            _vi("i", TensorProto.INT64, [2])],
                   [_vi("y", TensorProto.FLOAT, None)], opset=24)
    with pytest.raises(RuntimeError, match="out of range"):
        _infer(proto, "TEMPLATE", np.zeros([2, 4, 3], np.float32),
               np.ones([2, 2, 3], np.float32), np.array([0, 3], np.int64))


def test_tensor_scatter_bad_mode_names_it():
    node = helper.make_node("TensorScatter", ["p", "u"], ["y"], mode="wrap")
    proto = _model([node], [_vi("p", TensorProto.FLOAT, [2, 4, 3]),
                            _vi("u", TensorProto.FLOAT, [2, 1, 3])],
                   [_vi("y", TensorProto.FLOAT, None)], opset=24)
    with pytest.raises(RuntimeError, match="mode must be 'linear' or 'circular', got 'wrap'"):
        read_onnx(proto.SerializeToString())
