"""What users' OpenVINO code does with a CPU request: tensor names and the original model's
ports through compilation, batched input tensors, profiling records, and state writes (on
CPU, and on AUTO where it picks CPU)."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
import openvino.properties as props
from openvino.op.util import Variable, VariableInfo

DEVICES = ["CPU", "AUTO:CPU"]
X = np.array([[-1.0, 0.5, 2.0]], np.float32)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("way", ["tensor", "after_model", "node_output"])
def test_names_and_original_ports_reach_the_compiled_model(core, device, way):
    p = ops.parameter([1, 3], np.float32, name="p")
    r = ops.relu(p, name="r")
    if way == "tensor":
        p.output(0).get_tensor().set_names({"data"})
        model = ov.Model([r], [p], "m")
    elif way == "after_model":
        model = ov.Model([r], [p], "m")
        model.input(0).get_tensor().set_names({"data"})
    else:
        model = ov.Model([r], [p], "m")
        p.output(0).set_names({"data"})
    compiled = core.compile_model(model, device)
    assert compiled.input("data") is compiled.input(0)
    request = compiled.create_infer_request()
    request.set_tensor("data", ov.Tensor(X))
    np.testing.assert_array_equal(request.get_tensor("data").data, X)
    for port in (model.input(0), model.inputs[0], p.output(0)):
        assert compiled.input(port) is compiled.inputs[0]
        request.set_tensor(port, ov.Tensor(-X))
    out = request.infer()
    for port in (model.output(0), model.outputs[0]):
        np.testing.assert_array_equal(out[port], np.maximum(-X, 0))
        np.testing.assert_array_equal(request.get_tensor(port).data, np.maximum(-X, 0))


@pytest.mark.parametrize("device", DEVICES)
def test_parameter_names_find_unnamed_inputs(core, device):
    # real code: parameter(..., name="data") then compiled.input("data").any_name
    p = ops.parameter([1, 3, 8, 8], np.float32, name="data")
    compiled = core.compile_model(ov.Model([ops.softmax(p, 1, name="fc_out")], [p]), device)
    name = compiled.input("data").any_name
    assert name == "data"
    out = compiled.create_infer_request().infer({name: np.ones((1, 3, 8, 8), np.float32)})
    np.testing.assert_allclose(out[0], np.full((1, 3, 8, 8), 1 / 3), rtol=1e-6)


@pytest.mark.parametrize("device", DEVICES)
def test_batched_input_tensors(core, device):
    x = ops.parameter([4, 2, 2, 2], np.float32, name="input0")
    x.set_layout(ov.Layout("N..."))
    res = ops.result(ops.add(x, ops.constant(np.float32(1))))
    res.output(0).get_tensor().set_names({"out"})
    compiled = core.compile_model(ov.Model([res], [x]), device)
    data = np.random.default_rng(1).standard_normal((4, 2, 2, 2)).astype(np.float32)
    request = compiled.create_infer_request()
    held = request.get_tensor("out").data
    request.set_input_tensors([ov.Tensor(data[i:i + 1]) for i in range(4)])
    request.infer()
    np.testing.assert_array_equal(held, data + 1)
    with pytest.raises(RuntimeError, match="get_tensor shall not be used together with "
                                           "batched set_tensors/set_input_tensors"):
        request.get_input_tensor()
    with pytest.raises(RuntimeError, match="batch 4 doesn't match with total blobs count: 2"):
        request.set_tensors("input0", [ov.Tensor(data[:1])] * 2)


@pytest.mark.parametrize("perf", [True, False])
def test_profiling_records(core, perf):
    p = ops.parameter([1, 3, 8, 8], np.float32, name="data")
    conv_w = ops.constant(np.ones((4, 3, 1, 1), np.float32))
    relu = ops.relu(ops.convolution(p, conv_w, [1, 1], [0, 0], [0, 0], [1, 1]), name="relu")
    model = ov.Model([ops.softmax(relu, 1, name="fc_out")], [p], "m")
    compiled = core.compile_model(model, "CPU", {props.enable_profiling: perf})
    request = compiled.create_infer_request()
    assert all(i.status == i.Status.NOT_RUN for i in request.get_profiling_info())
    request.infer({"data": np.ones((1, 3, 8, 8), np.float32)})
    info = request.get_profiling_info()
    assert info[0].node_name == "data" and info[0].node_type == "Parameter"
    assert info[-1].node_type == "Result" and info[-1].exec_type == "unknown_f32"
    for item in info:
        assert isinstance(item.real_time, datetime.timedelta)
        assert isinstance(item.cpu_time, datetime.timedelta)
        assert isinstance(item.exec_type, str)
    statuses = {i.node_name: i.status for i in info}
    if perf:
        assert statuses["fc_out"] == ov.ProfilingInfo.Status.EXECUTED
        assert statuses["data"] == ov.ProfilingInfo.Status.NOT_RUN
        assert any(i.real_time > datetime.timedelta(0) for i in info)
    else:
        assert set(statuses.values()) == {ov.ProfilingInfo.Status.NOT_RUN}
        assert all(i.real_time == datetime.timedelta(0) for i in info)


@pytest.mark.parametrize("with_init", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.float16])
def test_state_writes_reach_the_next_inference(core, dtype, with_init):
    # a ReadValue without an initializer input used to crash the CPU's post-op fusion
    shape = [2, 10, 10]
    x = ops.parameter(shape, dtype, name="x")
    info = VariableInfo()
    info.data_shape = ov.PartialShape(shape)
    info.data_type = ov.Type(dtype)
    info.variable_id = "v"
    var = Variable(info)
    read = (ops.read_value(ops.constant(np.full(shape, 3, dtype)), var) if with_init
            else ops.read_value(var))
    total = ops.add(read, x)
    model = ov.Model(results=[ops.result(total)], sinks=[ops.assign(total, var)],
                     parameters=[x])
    request = core.compile_model(model, "CPU").create_infer_request()
    (state,) = request.query_state()
    ones = np.ones(shape, dtype)
    start = 3 if with_init else 0
    np.testing.assert_array_equal(request.infer({0: ones})[0], np.full(shape, start + 1))
    np.testing.assert_array_equal(request.infer({0: ones})[0], np.full(shape, start + 2))
    state.state = ov.Tensor(np.full(shape, 5, dtype))
    out = request.infer({0: ones})[0]
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, np.full(shape, 6))
    request.reset_state()
    np.testing.assert_array_equal(request.infer({0: ones})[0], np.full(shape, start + 1))
