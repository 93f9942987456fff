"""Models over nodes with several outputs: ``Model(node, params)`` takes every output of
the node as a result; a node in a list stands for its default output (output 0), as in
OpenVINO (TopK and VariadicSplit have none: ``RuntimeError``)."""

import numpy as np
import pytest

import openvino as ov
from openvino import Model

ops = ov.opset13
DEVICES = ["TEMPLATE", "CPU"]


def _split_model(names: bool = True):
    data = ops.parameter([10, 4], np.float32, name="data")
    split = ops.split(data, 0, 5)
    if names:
        for i in range(5):
            split.output(i).get_tensor().set_names({f"part{i}"})
    return Model(split, [data], "split5"), data, split


def test_single_node_gives_every_output():
    model, data, split = _split_model()
    assert len(model.outputs) == 5 and len(model.get_results()) == 5
    for i, result in enumerate(model.get_results()):
        assert result.get_type_name() == "Result"
        assert result.input_value(0) == split.output(i)
        assert model.output(i).get_names() == {f"part{i}"}
    assert model.output("part3") == model.outputs[3]


def test_single_node_with_two_output_types():
    data = ops.parameter([6, 3], np.float32, name="data")
    topk = ops.topk(data, 2, 0, "max", "value")
    model = Model(topk, [data])
    assert [o.get_element_type() for o in model.outputs] == [ov.Type.f32, ov.Type.i32]
    assert [list(o.get_shape()) for o in model.outputs] == [[2, 3], [2, 3]]


def test_node_in_a_list_stands_for_its_output_0():
    data = ops.parameter([10, 4], np.float32, name="data")
    split = ops.split(data, 0, 5)
    model = Model([split], [data])
    assert len(model.outputs) == 1
    assert model.get_results()[0].input_value(0) == split.output(0)
    # every output listed explicitly
    assert len(Model(split.outputs(), [data]).outputs) == 5
    assert len(Model(results=[split], parameters=[data]).outputs) == 1


@pytest.mark.parametrize("make", [
    lambda d: ops.topk(d, 2, 0, "max", "value"),
    lambda d: ops.variadic_split(d, 0, [2, 8]),
])
def test_node_without_default_output_in_a_list(make):
    data = ops.parameter([10, 4], np.float32, name="data")
    node = make(data)
    with pytest.raises(RuntimeError, match="Default output not supported") as err:
        Model([node], [data])
    assert node.get_friendly_name() in str(err.value)
    # alone it gives every output
    assert len(Model(node, [data]).outputs) == 2


def test_op_argument_node_with_several_outputs_reads_output_0():
    data = ops.parameter([10, 4], np.float32, name="data")
    split = ops.split(data, 0, 5)
    relu = ops.relu(split)
    assert relu.input_value(0) == split.output(0)
    assert list(relu.get_output_shape(0)) == [2, 4]


@pytest.mark.parametrize("device", DEVICES)
def test_compiled_results_indexable_by_port_index_and_name(device):
    model, _, _ = _split_model()
    x = np.arange(40, dtype=np.float32).reshape(10, 4)
    compiled = ov.Core().compile_model(model, device)
    assert len(compiled.outputs) == 5
    res = compiled(x)
    assert len(res) == 5
    for i in range(5):
        want = x[2 * i:2 * i + 2]
        np.testing.assert_array_equal(res[i], want)
        np.testing.assert_array_equal(res[compiled.output(i)], want)
        np.testing.assert_array_equal(res[f"part{i}"], want)
        assert res.names()[i] == {f"part{i}"}
    assert list(res.keys()) == list(compiled.outputs)
    with pytest.raises(KeyError, match="part9"):
        res["part9"]
    with pytest.raises(KeyError):
        res[5]
    request = compiled.create_infer_request()
    request.infer({"data": x})
    np.testing.assert_array_equal(request.get_output_tensor(3).data, x[6:8])
    np.testing.assert_array_equal(request.get_tensor("part4").data, x[8:10])
    np.testing.assert_array_equal(request.results["part1"], x[2:4])


@pytest.mark.parametrize("device", DEVICES)
def test_compiled_unnamed_multi_output_results(device):
    model, _, _ = _split_model(names=False)
    x = np.arange(40, dtype=np.float32).reshape(10, 4)
    res = ov.Core().compile_model(model, device)(x)
    assert len(res) == 5
    for i in range(5):
        np.testing.assert_array_equal(res[i], x[2 * i:2 * i + 2])
        (name,) = res.names()[i]
        np.testing.assert_array_equal(res[name], x[2 * i:2 * i + 2])


@pytest.mark.parametrize("device", DEVICES)
def test_compiled_topk_model_gives_values_and_indices(device):
    data = ops.parameter([5], np.float32, name="data")
    topk = ops.topk(data, 2, 0, "max", "value")
    topk.output(0).get_tensor().set_names({"values"})
    topk.output(1).get_tensor().set_names({"indices"})
    res = ov.Core().compile_model(Model(topk, [data]), device)(
        np.array([3, 9, 1, 7, 5], np.float32))
    np.testing.assert_array_equal(res["values"], [9, 7])
    np.testing.assert_array_equal(res[1], [1, 3])
    assert res[1].dtype == np.int32
