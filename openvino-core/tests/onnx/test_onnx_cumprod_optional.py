"""ONNX CumProd (a log-step scan of OpenVINO ops) and the Optional ops on plain tensors,
on TEMPLATE and CPU, against numpy."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

import openvino as ov  # noqa: E402
from openvino._onnx import read_onnx  # noqa: E402

DEVICES = ["TEMPLATE", "CPU"]


def _model(nodes, inputs, outputs, initializers=(), opset=26):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _infer(proto, device, *arrays):
    model = read_onnx(proto.SerializeToString())
    request = ov.Core().compile_model(model, device).create_infer_request()
    request.infer(list(arrays))
    return [request.get_output_tensor(i).data.copy() for i in range(len(model.outputs))]


def _numpy_cumprod(x, axis, exclusive, reverse):
    v = np.flip(x, axis) if reverse else x
    out = np.cumprod(v, axis=axis, dtype=x.dtype)
    if exclusive:
        out = np.concatenate([np.ones_like(np.take(out, [0], axis)),
                              np.delete(out, -1, axis)], axis)
    return np.flip(out, axis) if reverse else out


def _cumprod_model(shape, elem, exclusive, reverse, axis=None):
    node = helper.make_node("CumProd", ["x", "axis"], ["y"], exclusive=int(exclusive),
                            reverse=int(reverse))
    inputs = [helper.make_tensor_value_info("x", elem, shape)]
    inits = []
    if axis is None:
        inputs.append(helper.make_tensor_value_info("axis", TensorProto.INT64, []))
    else:
        inits.append(numpy_helper.from_array(np.array(axis, np.int64), "axis"))
    return _model([node], inputs, [helper.make_tensor_value_info("y", elem, None)], inits)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumprod_constant_axis_matches_numpy(device, exclusive, reverse, axis):
    rng = np.random.default_rng(2)
    x = rng.uniform(0.5, 1.5, size=(3, 13)).astype(np.float32)
    proto = _cumprod_model(list(x.shape), TensorProto.FLOAT, exclusive, reverse, axis)
    (got,) = _infer(proto, device, x)
    np.testing.assert_allclose(got, _numpy_cumprod(x, axis, exclusive, reverse), rtol=1e-5)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("axis", [0, 1, -2])
def test_cumprod_run_time_axis_and_integers(device, axis):
    x = np.arange(1, 16, dtype=np.int64).reshape(3, 5)
    proto = _cumprod_model([3, 5], TensorProto.INT64, False, False)
    (got,) = _infer(proto, device, x, np.array(axis, np.int64))
    np.testing.assert_array_equal(got, np.cumprod(x, axis=axis))


@pytest.mark.parametrize("device", DEVICES)
def test_cumprod_integers_wrap_as_multiplication_does(device):
    x = np.full(40, 3, np.int32)
    proto = _cumprod_model([40], TensorProto.INT32, False, False, 0)
    (got,) = _infer(proto, device, x)
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(got, np.cumprod(x, dtype=np.int32))


def test_cumprod_needs_a_static_axis_length():
    proto = _cumprod_model(["n"], TensorProto.FLOAT, False, False, 0)
    with pytest.raises(RuntimeError, match="CumProd needs a static length along axis 0"):
        read_onnx(proto.SerializeToString())


def test_cumprod_axis_out_of_range_names_it():
    proto = _cumprod_model([3, 4], TensorProto.FLOAT, False, False, 2)
    with pytest.raises(RuntimeError, match="axis 2 is out of range for rank 2"):
        read_onnx(proto.SerializeToString())


# --- Optional ---------------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_optional_has_element_of_nothing_is_false(device):
    node = helper.make_node("OptionalHasElement", [""], ["y"])
    proto = _model([node], [], [helper.make_tensor_value_info("y", TensorProto.BOOL, [])],
                   opset=18)
    (got,) = _infer(proto, device)
    assert got.dtype == np.bool_ and got.shape == () and not got


@pytest.mark.parametrize("device", DEVICES)
def test_optional_has_and_get_element_of_a_tensor(device):
    nodes = [helper.make_node("OptionalHasElement", ["x"], ["has"]),
             helper.make_node("OptionalGetElement", ["x"], ["y"])]
    proto = _model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                   [helper.make_tensor_value_info("has", TensorProto.BOOL, []),
                    helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])], opset=18)
    has, y = _infer(proto, device, np.array([1.5, -2], np.float32))
    assert has
    np.testing.assert_array_equal(y, [1.5, -2])


def test_optional_get_element_of_nothing_is_an_error():
    node = helper.make_node("OptionalGetElement", [""], ["y"])
    proto = _model([node], [], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                   opset=18)
    with pytest.raises(RuntimeError, match="OptionalGetElement of an empty optional"):
        read_onnx(proto.SerializeToString())
