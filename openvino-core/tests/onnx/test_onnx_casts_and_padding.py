"""ONNX Cast/CastLike rules (saturate, out-of-range small ints, float4 NaN, float8e8m0
round_mode), Pad mode 'wrap' and MaxPool's column-major indices, on TEMPLATE and CPU."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402

import openvino as ov  # noqa: E402
from openvino import Type  # noqa: E402
from openvino._onnx import read_onnx  # noqa: E402
from openvino.plugin import encoding  # noqa: E402

DEVICES = ["TEMPLATE", "CPU"]


def _model(nodes, inputs, outputs, opset=25):
    graph = helper.make_graph(nodes, "g", inputs, outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _infer(proto, device, *arrays):
    model = read_onnx(proto.SerializeToString())
    request = ov.Core().compile_model(model, device).create_infer_request()
    request.infer(list(arrays))
    return [encoding.tensor_values(request.get_output_tensor(i))
            for i in range(len(model.outputs))]


def _cast_model(to: int, n: int, **attrs):
    node = helper.make_node("Cast", ["x"], ["y"], to=to, **attrs)
    return _model([node], [helper.make_tensor_value_info("x", TensorProto.FLOAT, [n])],
                  [helper.make_tensor_value_info("y", to, [n])])


X = np.array([1e6, -1e6, np.inf, 256.0, 1.0, np.nan], np.float32)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("to, name, largest", [
    (TensorProto.FLOAT8E4M3FN, "f8e4m3", 448.0),
    (TensorProto.FLOAT8E4M3FNUZ, "f8e4m3fnuz", 240.0),
    (TensorProto.FLOAT8E5M2FNUZ, "f8e5m2fnuz", 57344.0),
])
def test_saturating_float8_cast_clamps(device, to, name, largest):
    (got,) = _infer(_cast_model(to, X.size), device, X)
    np.testing.assert_array_equal(got[:5], [largest, -largest, largest, min(256.0, largest),
                                            1.0])
    assert np.isnan(got[5])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("to", [TensorProto.FLOAT8E4M3FN, TensorProto.FLOAT8E4M3FNUZ])
def test_non_saturating_float8_cast_gives_nan(device, to):
    (got,) = _infer(_cast_model(to, X.size, saturate=0), device, X)
    assert np.isnan(got[[0, 1, 2, 5]]).all()
    assert got[4] == 1.0


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("to, lo, hi", [(TensorProto.INT4, -8, 7), (TensorProto.UINT4, 0, 15),
                                        (TensorProto.INT2, -2, 1), (TensorProto.UINT2, 0, 3)])
def test_float_to_small_int_out_of_range_is_zero(device, to, lo, hi):
    x = np.array([lo - 1, lo, hi, hi + 1, hi + 0.7, np.nan, 1e9], np.float32)
    (got,) = _infer(_cast_model(to, x.size), device, x)
    np.testing.assert_array_equal(got, [0, lo, hi, 0, hi, 0, 0])


@pytest.mark.parametrize("device", DEVICES)
def test_float4_cast_saturates_and_nan_is_negative_zero(device):
    x = np.array([np.nan, 7.0, -100.0, 2.5, 0.25], np.float32)
    (got,) = _infer(_cast_model(TensorProto.FLOAT4E2M1, x.size), device, x)
    np.testing.assert_array_equal(got, [-0.0, 6.0, -6.0, 2.0, 0.0])
    assert np.signbit(got[0])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("mode, want", [
    ("up", [1.0, 2.0, 2.0, 4.0, 0.125]),
    ("down", [1.0, 1.0, 1.0, 2.0, 0.0625]),
    ("nearest", [1.0, 1.0, 2.0, 2.0, 0.125]),  # ties on the exponent to even: 1.5 -> 2, 3 -> 2
])
def test_float8e8m0_round_modes(device, mode, want):
    x = np.array([1.0, 1.1, 1.5, 3.0, 0.1], np.float32)
    proto = _cast_model(TensorProto.FLOAT8E8M0, x.size, round_mode=mode)
    (got,) = _infer(proto, device, x)
    np.testing.assert_array_equal(got, want)


def test_float8e8m0_bad_round_mode_names_it():
    proto = _cast_model(TensorProto.FLOAT8E8M0, 2, round_mode="sideways")
    with pytest.raises(RuntimeError, match="round_mode must be one of up, down, nearest, got "
                                           "'sideways'"):
        read_onnx(proto.SerializeToString())


@pytest.mark.parametrize("device", DEVICES)
def test_onnx_only_types_read_as_graph_inputs(device):
    node = helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)
    proto = _model([node], [helper.make_tensor_value_info("x", TensorProto.INT2, [4])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])])
    model = read_onnx(proto.SerializeToString())
    assert model.inputs[0].get_element_type() == Type("i2")
    t = encoding.values_tensor(np.array([-2, -1, 0, 1]), Type("i2"))
    request = ov.Core().compile_model(model, device).create_infer_request()
    request.infer([t])
    np.testing.assert_array_equal(request.get_output_tensor(0).data, [-2, -1, 0, 1])


# --- Pad 'wrap' ---------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("pads", [[0, 2, 1, 3], [1, 0, 0, 0], [0, -1, 0, 4], [0, 7, 0, 0]])
def test_wrap_pad_matches_numpy(device, pads):
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    node = helper.make_node("Pad", ["x", "pads"], ["y"], mode="wrap")
    proto = _model([node], [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 4]),
                            helper.make_tensor_value_info("pads", TensorProto.INT64, [4])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], opset=19)
    (got,) = _infer(proto, device, x, np.array(pads, np.int64))
    begin, end = pads[:2], pads[2:]
    cropped = x[max(0, -begin[0]):x.shape[0] - max(0, -end[0]),
                max(0, -begin[1]):x.shape[1] - max(0, -end[1])]
    want = np.pad(cropped, [(max(0, b), max(0, e)) for b, e in zip(begin, end)], mode="wrap")
    if min(pads) >= 0:
        np.testing.assert_array_equal(got, want)
    else:  # numpy crops before wrapping, ONNX wraps the whole axis: index arithmetic
        rows = np.arange(-begin[0], 3 + end[0]) % 3
        cols = np.arange(-begin[1], 4 + end[1]) % 4
        np.testing.assert_array_equal(got, x[rows][:, cols])


# --- MaxPool storage_order=1 ---------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_maxpool_column_major_indices(device):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 5, 4)).astype(np.float32)
    node = helper.make_node("MaxPool", ["x"], ["y", "i"], kernel_shape=[2, 2], strides=[2, 1],
                            storage_order=1)
    proto = _model([node], [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, None),
                    helper.make_tensor_value_info("i", TensorProto.INT64, None)], opset=12)
    y, idx = _infer(proto, device, x)
    n, c, h, w = x.shape
    for flat, value in zip(idx.reshape(-1), y.reshape(-1)):
        plane, spatial = divmod(int(flat), h * w)
        col, row = divmod(spatial, h)  # column-major within the plane
        assert x.reshape(n * c, h, w)[plane, row, col] == value
