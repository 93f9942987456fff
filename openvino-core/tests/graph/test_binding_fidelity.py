"""Small graph-API behaviours real OpenVINO code relies on, each checked against OpenVINO
2026.4.1 (found by running upstream's own Python tests against both runtimes)."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov

o = ov.opset13


def test_ordered_ops_follow_the_runtime_order():
    p = o.parameter([2], np.float32, name="p")
    model = ov.Model([o.relu(p), o.exp(p), o.sigmoid(p)], [p])
    assert [n.get_type_name() for n in model.get_ordered_ops()] == [
        "Parameter", "Sigmoid", "Result", "Exp", "Result", "Relu", "Result"]
    rv1, rv2 = o.read_value(p, "v1"), o.read_value(p, "v2")
    s1, s2 = o.assign(o.abs(rv1), "v1"), o.assign(o.negative(rv2), "v2")
    stateful = ov.Model(results=[o.result(o.tan(p))], sinks=[s1, s2], parameters=[p])
    assert [n.get_type_name() for n in stateful.get_ordered_ops()] == [
        "Parameter", "ReadValue", "Negative", "Assign", "ReadValue", "Abs", "Assign", "Tan",
        "Result"]


def test_saved_ir_keeps_the_output_order(tmp_path):
    p = o.parameter([2], np.float32, name="p")
    outs = [o.relu(p), o.exp(p), o.sigmoid(p)]
    for node, name in zip(outs, "ABC"):
        node.output(0).set_names({name})
    ov.save_model(ov.Model(outs, [p]), tmp_path / "m.xml")
    read = ov.Core().read_model(tmp_path / "m.xml")
    assert [x.get_any_name() for x in read.outputs] == ["A", "B", "C"]


def test_model_repr_one_port_a_line():
    p = o.parameter([1, 2], np.float32, name="a")
    q = o.parameter([-1], np.float32, name="b")
    m = ov.Model([o.relu(p), o.relu(q)], [p, q], "mm")
    r1, r2 = (r.get_friendly_name() for r in m.get_results())
    assert repr(m) == (
        "<Model: 'mm'\ninputs[\n<ConstOutput: names[a] shape[1,2] type: f32>,\n"
        "<ConstOutput: names[b] shape[?] type: f32>\n]\noutputs[\n"
        f"<ConstOutput: names[{r1}] shape[1,2] type: f32>,\n"
        f"<ConstOutput: names[{r2}] shape[?] type: f32>\n]>")


def test_model_ports_by_keyword():
    p = o.parameter([1, 2], np.float32, name="a")
    q = o.parameter([2], np.float32, name="b")
    m = ov.Model([o.relu(p), o.relu(q)], [p, q])
    assert m.input(tensor_name="a").get_node() is p
    assert m.input(index=1).get_node() is q
    assert m.output(index=1).get_any_name() == m.outputs[1].get_any_name()
    assert m.output(tensor_name=m.outputs[0].get_any_name()).get_index() == 0


def test_node_input_tensor_and_type_info():
    p = o.parameter([1, 2], np.float32, name="a")
    add = o.add(p, p)
    ov.Model(add, [p])  # names the Parameter's tensor "a"
    assert repr(add.get_input_tensor(1)) == "<DescriptorTensor: names[a] shape[1,2] type: f32>"
    assert add.type_info.name == "Add" and add.type_info.version_id == "opset1"
    assert o.sin(0.2).type_info == o.sin(0.2).get_type_info()


def test_op_class_paths_are_the_bindings():
    assert str(type(o.parameter([1]))) == "<class 'openvino._pyopenvino.op.Parameter'>"
    assert ov.op.Constant.__module__ == ov.op.Result.__module__ == "openvino._pyopenvino.op"
    p = o.parameter([1, 2], np.float32)
    with pytest.raises(TypeError, match="<class 'openvino._pyopenvino.op.Parameter'>"):
        ov.Model(o.relu(p), [p]).reshape({p: [1, 3]})


def test_ports_take_user_attributes():
    out = o.relu(5).outputs()[0]
    out._tag = "mine"
    assert out._tag == "mine"
    port = o.relu(5).input(0)
    port.note = 1
    assert port.note == 1


def test_layout_scalar():
    scalar = ov.Layout.scalar()
    assert str(scalar) == "**SCALAR**" and repr(scalar) == "<Layout: **SCALAR**>"
    assert not scalar.empty and scalar.rank == 0
    assert scalar == ov.Layout("**SCALAR**") and scalar != ov.Layout()


def test_shape_items_and_shape_text():
    s = ov.Shape([1, 10])
    s[0] = ov.Dimension(3)
    s[1] = 5
    assert s == [3, 5]
    with pytest.raises(RuntimeError, match="dynamic dimension"):
        s[0] = ov.Dimension(-1)
    with pytest.raises(TypeError, match=r"Incorrect pair of types \(<class 'str'>"):
        ov.PartialShape([("?", "?")])
    with pytest.raises(RuntimeError, match="Cannot get vector of dimensions"):
        ov.PartialShape("[?,,3]")


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
def test_assign_is_ordered_after_the_reads_of_its_variable(device):
    # the Assign does not consume the ReadValue here: only the order keeps the read first
    x = o.parameter([2], np.float32, name="x")
    read = o.read_value(o.constant(np.zeros(2, np.float32)), "v")
    model = ov.Model(results=[o.result(o.relu(read))], sinks=[o.assign(x, "v")],
                     parameters=[x])
    order = [n.get_type_name() for n in model.get_ordered_ops()]
    assert order.index("ReadValue") < order.index("Assign")
    request = ov.Core().compile_model(model, device).create_infer_request()
    first = request.infer([np.array([1, 2], np.float32)])[0].copy()
    second = request.infer([np.array([3, 4], np.float32)])[0]
    np.testing.assert_array_equal(first, [0, 0])
    np.testing.assert_array_equal(second, [1, 2])
