"""Ports as values: ``Output`` (of nodes and models), ``ConstOutput`` (of compiled models)
and ``Input`` — their accessors, equality and hashing, copying, reprs."""

import copy

import numpy as np
import pytest

import openvino as ov
from openvino import ConstOutput, Output

ops = ov.opset13


def _graph():
    data = ops.parameter([2, 3], np.float32, name="data")
    data.output(0).get_tensor().set_names({"x", "data_in"})
    relu = ops.relu(data)
    model = ov.Model(relu, [data], "m")
    return data, relu, model


def _ports():
    data, relu, model = _graph()
    compiled = ov.Core().compile_model(model, "TEMPLATE")
    return {"Output": data.output(0), "ConstOutput": compiled.input(0)}


@pytest.mark.parametrize("kind", ["Output", "ConstOutput"])
def test_accessors_as_methods_and_properties(kind):
    port = _ports()[kind]
    assert type(port).__name__ == kind
    assert port.get_index() == port.index == 0
    assert port.get_element_type() == port.element_type == ov.Type.f32
    assert port.get_shape() == port.shape == ov.Shape([2, 3])
    assert port.get_partial_shape() == port.partial_shape == ov.PartialShape([2, 3])
    assert port.get_names() == port.names == {"x", "data_in"}
    assert isinstance(port.names, set)
    assert port.get_any_name() == port.any_name == "data_in"
    assert port.get_node() is port.node
    assert port.get_node().get_type_name() == "Parameter"
    tensor = port.get_tensor()
    assert tensor is port.tensor
    assert tensor.get_names() == {"x", "data_in"}
    assert tensor.get_partial_shape() == ov.PartialShape([2, 3])
    assert repr(tensor) in ("<DescriptorTensor: names[data_in, x] shape[2,3] type: f32>",
                            "<DescriptorTensor: names[x, data_in] shape[2,3] type: f32>")
    assert repr(port.get_rt_info()) == "<RTMap>"
    assert repr(port.rt_info) == "<RTMap>"
    assert isinstance(port.get_target_inputs(), set) and port.target_inputs == \
        port.get_target_inputs()
    assert repr(port) == str(port)
    assert repr(port) in (f"<{kind}: names[data_in, x] shape[2,3] type: f32>",
                          f"<{kind}: names[x, data_in] shape[2,3] type: f32>")
    assert type(port).__doc__ == f"openvino.{kind} represents port/node output."


def test_target_inputs_of_outputs():
    data, relu, model = _graph()
    (target,) = data.output(0).get_target_inputs()
    assert target.get_node() is relu and target.get_index() == 0
    assert repr(target) == str(target) == "<Input: shape[2,3] type: f32>"
    # a model's output (its Result's port) feeds nothing
    assert model.output(0).get_target_inputs() == set()
    (target,) = relu.output(0).get_target_inputs()
    assert target.get_node() is model.get_results()[0]


def test_target_inputs_of_a_result_feeding_other_nodes():
    """A Result's output shares its input's tensor, yet each port lists only the inputs it
    feeds itself (as OpenVINO: ``result(result(x))`` and ``relu(result(x))``)."""
    data = ops.parameter([2], np.float32, name="a")
    inner = ops.result(data)
    outer = ops.result(inner)
    relu = ops.relu(inner)

    def fed(port):
        return sorted((t.get_node().get_friendly_name(), t.get_index())
                      for t in port.get_target_inputs())

    assert fed(data.output(0)) == [(inner.get_friendly_name(), 0)]
    assert fed(inner.output(0)) == sorted([(outer.get_friendly_name(), 0),
                                           (relu.get_friendly_name(), 0)])
    assert fed(outer.output(0)) == []
    # a consumer moved elsewhere is no longer a target of its old source
    relu.input(0).replace_source_output(data.output(0))
    assert fed(inner.output(0)) == [(outer.get_friendly_name(), 0)]
    assert (relu.get_friendly_name(), 0) in fed(data.output(0))


def test_any_name_without_names():
    relu = ops.relu(ops.parameter([2], np.float32))
    with pytest.raises(RuntimeError, match="without names"):
        relu.output(0).get_any_name()
    assert relu.output(0).get_names() == set()


def test_rt_info_of_an_output():
    data, _, _ = _graph()
    port = data.output(0)
    port.set_rt_info("value", "key")
    port.get_rt_info()["number"] = 3
    assert port.get_rt_info()["key"] == "value"
    assert port.rt_info["number"].astype(int) == 3
    assert data.output(0).get_rt_info()["key"].astype(str) == "value"


@pytest.mark.parametrize("kind", ["Output", "ConstOutput"])
def test_copy_gives_an_equal_port_and_deepcopy_raises(kind):
    port = _ports()[kind]
    twin = copy.copy(port)
    assert twin is not port and type(twin) is type(port)
    assert twin == port and hash(twin) == hash(port)
    assert twin.get_node() is port.get_node()
    with pytest.raises(TypeError, match=f"Cannot deepcopy 'openvino.{kind}' object."):
        copy.deepcopy(port)


def test_input_cannot_be_copied():
    _, relu, _ = _graph()
    for how in (copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="cannot pickle 'openvino._pyopenvino.Input' object"):
            how(relu.input(0))


def test_equality_and_hashing():
    data, relu, model = _graph()
    assert data.output(0) == data.output(0) and not data.output(0) != data.output(0)
    assert hash(data.output(0)) == hash(data.output(0))
    assert {data.output(0): 1}[data.output(0)] == 1
    assert data.output(0) != relu.output(0)
    assert hash(data.output(0)) != hash(data)
    assert (data.output(0) == 1) is False
    assert not data.output(0) < data.output(0)
    assert model.input(0) == data.output(0)
    split = ops.split(data, 1, 3)
    assert sorted([split.output(2), split.output(0)]) == [split.output(0), split.output(2)]
    compiled = ov.Core().compile_model(model, "TEMPLATE")
    assert compiled.input(0) == compiled.inputs[0]
    assert hash(compiled.input(0)) == hash(compiled.inputs[0])
    assert isinstance(compiled.input(0), ConstOutput)
    assert not isinstance(compiled.input(0), Output)


def test_output_from_node():
    data, relu, _ = _graph()
    assert Output._from_node(relu) == relu.output(0)


@pytest.mark.parametrize(("element_type", "shown"), [
    (ov.Type.f32, "float"), (ov.Type.f64, "double"), (ov.Type.f16, "float16"),
    (ov.Type.i64, "int64_t"), (ov.Type.u8, "uint8_t"), (ov.Type.boolean, "char"),
    (ov.Type.string, "string"), (ov.Type.dynamic, "dynamic"),
])
def test_parameter_repr_names_shape_and_c_type(element_type, shown):
    param = ops.parameter([-1, 2], element_type, name="p")
    assert repr(param) == f"<Parameter: 'p' ([?,2], {shown})>"
    relu = ops.relu(ops.parameter([2, 3], np.float32))
    relu.set_friendly_name("r")
    assert repr(relu) == "<Relu: 'r' ([2,3])>"
