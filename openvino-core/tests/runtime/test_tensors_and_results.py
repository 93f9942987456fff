"""Tensor access on requests, results as OVDict, and request attributes."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import openvino as ov
from openvino.utils.data_helpers import OVDict

X = np.arange(8, dtype=np.float32)
Y = np.full(8, 10, np.float32)


def test_ovdict_lookup(compiled_add):
    result = compiled_add([X, Y])
    assert isinstance(result, OVDict)
    port = compiled_add.output(0)
    for key in (0, "y", port):
        np.testing.assert_array_equal(result[key], X + Y)
    assert list(result.keys()) == [port]
    assert len(result) == 1 and list(result) == [port]
    assert result.names() == ({"y"},)
    np.testing.assert_array_equal(result.to_tuple()[0], X + Y)
    plain = result.to_dict()
    assert type(plain) is dict and list(plain) == [port]
    assert list(dict(result)) == [port]
    k, v = next(iter(result.items()))
    assert k == port and np.array_equal(v, X + Y)


def test_ovdict_errors(compiled_add):
    result = compiled_add([X, Y])
    with pytest.raises(KeyError, match="nope"):
        result["nope"]
    with pytest.raises(KeyError):
        result[3]
    with pytest.raises(TypeError, match="Unknown key type: <class 'float'>"):
        result[0.0]
    with pytest.raises(TypeError, match="does not support item assignment"):
        result[0] = 1
    with pytest.raises(TypeError, match="Cannot deepcopy"):
        copy.deepcopy(result)


def test_unnamed_outputs_are_named_after_their_result(core):
    # as in OpenVINO, a port without tensor names takes its Parameter's / Result's name
    x = ov.opset8.parameter([2], np.float32)
    relu = ov.opset8.relu(x)
    relu.set_friendly_name("r")
    model = ov.Model(relu, [x])
    result_name = model.get_results()[0].get_friendly_name()
    compiled = core.compile_model(model, "TEMPLATE")
    names = compiled([np.ones(2, np.float32)]).names()
    assert names == ({result_name},)
    assert compiled([np.ones(2, np.float32)])[result_name].shape == (2,)
    assert compiled.input(x.get_friendly_name()).get_names() == {x.get_friendly_name()}


def test_get_set_tensors(compiled_add):
    request = compiled_add.create_infer_request()
    request.set_tensor("a", ov.Tensor(X))
    request.set_input_tensor(1, ov.Tensor(Y))
    out = ov.Tensor(ov.Type.f32, [8])
    request.set_output_tensor(out)
    request.infer()
    np.testing.assert_array_equal(out.data, X + Y)
    assert request.get_tensor("y") is out
    assert request.get_tensor(compiled_add.output(0)) is out
    np.testing.assert_array_equal(request.get_tensor(compiled_add.input(0)).data, X)
    request.set_tensors({"a": ov.Tensor(Y), "b": ov.Tensor(Y)})
    request.set_input_tensors({0: ov.Tensor(X)})
    request.infer()
    np.testing.assert_array_equal(request.get_output_tensor(0).data, X + Y)
    assert len(request.input_tensors) == 2 and len(request.output_tensors) == 1
    assert request.model_inputs == compiled_add.inputs
    assert request.model_outputs == compiled_add.outputs
    assert request.get_compiled_model() is compiled_add
    with pytest.raises(RuntimeError, match="exactly one parameter"):
        request.get_input_tensor()
    with pytest.raises(RuntimeError, match="cannot take a tensor of i64"):
        request.set_input_tensor(0, ov.Tensor(np.zeros(8, np.int64)))


def test_batched_set_input_tensors(core):
    x = ov.opset8.parameter([-1, 2], np.float32, name="x")
    x.set_layout(ov.Layout("NC"))
    compiled = core.compile_model(ov.Model(ov.opset8.relu(x), [x]), "TEMPLATE")
    request = compiled.create_infer_request()
    parts = [ov.Tensor(np.full((1, 2), v, np.float32)) for v in (1.0, -2.0, 3.0)]
    request.set_input_tensors(parts)
    out = request.infer()
    np.testing.assert_array_equal(out[0], [[1, 1], [0, 0], [3, 3]])
    with pytest.raises(RuntimeError, match="get_tensor shall not be used together with "
                                           "batched set_tensors/set_input_tensors"):
        request.get_tensor(compiled.input(0))
    request.set_tensors("x", parts[:2])
    assert request.infer()[0].shape == (2, 2)


def test_latency_results_userdata(compiled_add):
    request = compiled_add.create_infer_request()
    assert request.userdata is None
    with pytest.raises(RuntimeError, match="not run yet"):
        _ = request.results
    request.infer([X, Y])
    assert request.latency > 0
    np.testing.assert_array_equal(request.results["y"], X + Y)


def test_compiled_model_ports(compiled_add):
    assert compiled_add.input("a") == compiled_add.inputs[0]
    assert compiled_add.input(1) == compiled_add.inputs[1]
    assert compiled_add.output() == compiled_add.outputs[0]
    with pytest.raises(RuntimeError, match="exactly one input"):
        compiled_add.input()
    with pytest.raises(RuntimeError, match="Check"):
        compiled_add.input("zzz")
    assert isinstance(compiled_add.output(0), ov.ConstOutput)


def test_compiled_model_survives_core_and_model(core):
    from .conftest import add_model

    model = add_model()
    compiled = core.compile_model(model, "TEMPLATE")
    del core, model
    np.testing.assert_array_equal(compiled([X, Y])[0], X + Y)


def test_infer_new_request_and_cached_request(compiled_add):
    np.testing.assert_array_equal(compiled_add.infer_new_request({0: X, 1: Y})[0], X + Y)
    assert compiled_add._infer_request is None
    compiled_add([X, Y], False, True)
    assert isinstance(compiled_add._infer_request, ov.InferRequest)
    compiled_add.release_memory()
    np.testing.assert_array_equal(compiled_add([X, Y])[0], X + Y)


def test_runtime_model(compiled_add):
    runtime = compiled_add.get_runtime_model()
    assert isinstance(runtime, ov.Model)
    assert [op.get_type_name() for op in runtime.get_ordered_ops()] == [
        "Parameter", "Parameter", "Add", "Result"]


def test_output_tensors_taken_before_a_run_receive_its_results(compiled_add):
    request = compiled_add.create_infer_request()
    held = request.get_output_tensor()
    view = held.data
    by_name = request.get_tensor("y")
    assert by_name is held
    for k in range(3):
        request.infer([X * k, Y])
        np.testing.assert_array_equal(view, X * k + Y)
        assert request.get_output_tensor() is held
    # results handed out as copies stay as they were
    first = request.infer([X, Y])[0]
    request.infer([X * 2, Y])
    np.testing.assert_array_equal(first, X + Y)
    np.testing.assert_array_equal(view, X * 2 + Y)


def test_held_dynamic_output_follows_the_shape(core):
    x = ov.opset8.parameter([-1], np.float32, name="x")
    compiled = core.compile_model(ov.Model(ov.opset8.relu(x), [x]), "TEMPLATE")
    request = compiled.create_infer_request()
    request.infer([np.ones(3, np.float32)])
    held = request.get_output_tensor()
    request.infer([np.full(5, 2, np.float32)])
    assert request.get_output_tensor().shape == [5]
    np.testing.assert_array_equal(request.get_output_tensor().data, np.full(5, 2))
    assert held.shape in ([3], [5])


def test_request_properties_and_methods(compiled_add):
    # what OpenVINO's InferRequest exposes, as properties or methods
    request = compiled_add.create_infer_request()
    request.infer([X, Y])
    assert request.model_inputs == compiled_add.inputs
    assert request.model_outputs == compiled_add.outputs
    assert [t.data.tolist() for t in request.input_tensors] == [X.tolist(), Y.tolist()]
    np.testing.assert_array_equal(request.output_tensors[0].data, X + Y)
    np.testing.assert_array_equal(request.results[0], X + Y)
    assert request.get_compiled_model() is compiled_add
    assert isinstance(request.profiling_info, list)
    assert not hasattr(request, "inputs") and not hasattr(request, "outputs")
