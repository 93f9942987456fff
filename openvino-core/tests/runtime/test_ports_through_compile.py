"""Tensor names and ports through compilation: every way of naming a model's inputs and
outputs reaches the compiled model, and the ports of the model that was compiled name the
compiled model's ports (TEMPLATE, AUTO, and a third-party device built on the SDK)."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino.plugin import plugin_manager

from .fake_devices import DeviceSource, FakePlugin

X = np.array([[-1.0, 0.5, 2.0]], np.float32)
NAMING = ["tensor_before_model", "set_names_after_model", "node_output_after_model"]


def named_model(way: str) -> tuple[ov.Model, ov.Node, ov.Node]:
    """``relu(p)`` whose input is named "data" and output "out" in one of three ways."""
    p = ops.parameter([1, 3], np.float32, name="p")
    r = ops.relu(p, name="r")
    if way == "tensor_before_model":
        p.output(0).get_tensor().set_names({"data"})
        r.output(0).get_tensor().set_names({"out"})
        model = ov.Model([r], [p], "m")
    elif way == "set_names_after_model":
        model = ov.Model([r], [p], "m")
        model.input(0).get_tensor().set_names({"data"})
        model.output(0).get_tensor().set_names({"out"})
    else:
        model = ov.Model([r], [p], "m")
        p.output(0).set_names({"data"})
        r.output(0).set_names({"out"})
    return model, p, r


@pytest.fixture
def fake_device():
    source = DeviceSource(lambda: FakePlugin("FAKE"))
    plugin_manager().register(source)
    yield "FAKE"
    plugin_manager().unregister(source)


@pytest.fixture(params=["TEMPLATE", "AUTO", "FAKE"])
def device(request, fake_device) -> str:
    return request.param


@pytest.fixture
def core(device) -> ov.Core:
    """A Core made after the FAKE device was registered."""
    return ov.Core()


@pytest.mark.parametrize("way", NAMING)
def test_names_reach_the_compiled_model(core, device, way):
    model, p, _ = named_model(way)
    compiled = core.compile_model(model, device)
    assert compiled.input("data") == compiled.input(0) == compiled.inputs[0]
    assert compiled.output("out") == compiled.output(0)
    assert compiled.input(0).get_names() == {"data"}
    request = compiled.create_infer_request()
    request.set_tensor("data", ov.Tensor(X))
    np.testing.assert_array_equal(request.get_tensor("data").data, X)
    request.infer()
    np.testing.assert_array_equal(request.get_tensor("out").data, np.maximum(X, 0))
    request.set_input_tensor(ov.Tensor(-X))
    np.testing.assert_array_equal(request.infer()["out"], np.maximum(-X, 0))


@pytest.mark.parametrize("way", NAMING)
def test_ports_of_the_original_model_find_the_compiled_ports(core, device, way):
    model, p, r = named_model(way)
    compiled = core.compile_model(model, device)
    request = compiled.create_infer_request()
    for port in (model.input(0), model.inputs[0], p.output(0), model.input("data")):
        assert compiled.input(port) is compiled.inputs[0]
        request.set_tensor(port, ov.Tensor(X))
        np.testing.assert_array_equal(request.get_tensor(port).data, X)
    results = request.infer({model.input(0): X})
    for port in (model.output(0), model.outputs[0], model.output("out")):
        assert compiled.output(port) is compiled.outputs[0]
        np.testing.assert_array_equal(results[port], np.maximum(X, 0))
        np.testing.assert_array_equal(request.get_tensor(port).data, np.maximum(X, 0))


def test_unnamed_ports_take_their_node_names(core, device):
    # as OpenVINO, parameter(name="data") is found as compiled.input("data")
    p = ops.parameter([1, 3], np.float32, name="data")
    q = ops.parameter([1, 3], np.float32, name="other")
    q.output(0).get_tensor().set_names({"q_tensor"})
    res = ops.result(ops.add(p, q), name="sum")
    model = ov.Model([res], [p, q], "m")
    compiled = core.compile_model(model, device)
    assert compiled.input("data").any_name == "data"
    assert compiled.input(1).get_names() == {"q_tensor"}  # a named port keeps its names
    assert compiled.output("sum").any_name == "sum"
    out = compiled({"data": X, "q_tensor": X})
    np.testing.assert_array_equal(out["sum"], 2 * X)
    assert out.names() == ({"sum"},)
    # the compiled model's runtime nodes keep the names the user's model shows
    assert [r.get_friendly_name() for r in compiled.get_runtime_model().get_results()] == \
        ["sum"]


def test_default_names_may_repeat_a_tensor_name():
    # as the binding: Model(...) names the unnamed Parameter 'x' after its node even though
    # another input's tensor is already called 'x'; lookups by that name find the first
    core = ov.Core()
    a = ops.parameter([1], np.float32, name="x")
    b = ops.parameter([1], np.float32, name="y")
    b.output(0).get_tensor().set_names({"x"})
    model = ov.Model([ops.add(a, b)], [a, b])
    assert [i.get_names() for i in model.inputs] == [{"x"}, {"x"}]
    compiled = core.compile_model(model, "TEMPLATE")
    assert compiled.input("x") is compiled.inputs[0]
    out = compiled({"x": np.ones(1, np.float32), 1: np.full(1, 2, np.float32)})
    np.testing.assert_array_equal(out[0], [3.0])


def test_ports_of_another_model_are_refused(core, device):
    model, _, _ = named_model("tensor_before_model")
    compiled = core.compile_model(model, device)
    request = compiled.create_infer_request()
    stranger = ops.parameter([2], np.float32, name="stranger").output(0)
    with pytest.raises(RuntimeError, match="is not an input of this compiled model"):
        compiled.input(stranger)
    with pytest.raises(RuntimeError, match="is not an output of this compiled model"):
        compiled.output(stranger)
    with pytest.raises(RuntimeError, match="neither an input nor an output"):
        request.get_tensor(stranger)
    with pytest.raises(RuntimeError, match="Port for tensor name nope was not found"):
        request.set_tensor("nope", ov.Tensor(X))
    with pytest.raises(RuntimeError, match="no input with tensor name 'nope'"):
        compiled.input("nope")
    request.infer({0: X})
    with pytest.raises(KeyError):
        request.results[stranger]


def test_parameter_feeding_a_result_keeps_input_and_output_apart():
    core = ov.Core()
    p = ops.parameter([3], np.float32, name="p")
    model = ov.Model([ops.result(p, name="echo")], [p], "echo")
    compiled = core.compile_model(model, "TEMPLATE")
    request = compiled.create_infer_request()
    request.set_tensor(model.input(0), ov.Tensor(np.arange(3, dtype=np.float32)))
    request.infer()
    # the original Result's port is the output even though it shares the tensor names
    out = request.get_tensor(model.output(0))
    assert out is request.get_output_tensor()
    np.testing.assert_array_equal(out.data, [0, 1, 2])
