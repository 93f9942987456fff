import copy

import numpy as np
import pytest

import openvino as ov
from openvino import Model, PartialShape, Tensor, Type

ops = ov.opset13


def _add_model():
    a = ops.parameter([8], np.float32, name="a")
    b = ops.parameter([8], np.float32, name="b")
    a.output(0).set_names({"a"})
    b.output(0).set_names({"b"})
    add = ops.add(a, b)
    add.output(0).set_names({"y"})
    return Model(add, [a, b], "adder"), a, b, add


def test_constructors_and_names():
    model, a, b, add = _add_model()
    assert model.get_friendly_name() == "adder" and model.friendly_name == "adder"
    assert [p for p in model.get_parameters()] == [a, b]
    res = ops.result(add)
    m2 = Model(results=[res], parameters=[a, b], name="m2")
    assert m2.get_results()[0] is res and m2.friendly_name == "m2"
    m3 = Model([add.output(0)], [a, b])
    assert len(m3.outputs) == 1


def test_inputs_outputs_by_index_and_name():
    model, a, b, add = _add_model()
    assert model.input("b").get_node() is b and model.input(0).get_node() is a
    assert model.output(0).get_names() == {"y"} and model.output("y") == model.output(0)
    assert model.outputs[0].get_node().get_type_name() == "Result"
    with pytest.raises(RuntimeError):
        model.input("nope")
    with pytest.raises(RuntimeError, match="exactly one"):
        model.input()


def test_ordered_ops_topological():
    model, a, b, add = _add_model()
    names = [n.get_type_name() for n in model.get_ordered_ops()]
    assert names == ["Parameter", "Parameter", "Add", "Result"]


def test_indices():
    model, a, b, add = _add_model()
    assert model.get_parameter_index(b) == 1
    assert model.get_parameter_index(ops.parameter([1])) == -1
    assert model.get_result_index(model.output(0)) == 0
    assert model.get_result_index(ops.parameter([1]).output(0)) == -1
    with pytest.raises(TypeError, match="Sink node is expected"):
        model.get_sink_index(1)


def test_add_outputs():
    a = ops.parameter([4], np.float32)
    r = ops.relu(a)
    r.output(0).set_names({"hidden"})
    r.set_friendly_name("relu")
    y = ops.absolute(r)
    model = Model(y, [a])
    new = model.add_outputs("hidden")
    assert len(new) == 1 and len(model.outputs) == 2
    new2 = model.add_outputs(("relu", 0))
    assert len(model.outputs) == 2 and new2[0] == new[0]
    with pytest.raises(RuntimeError, match="missing"):
        model.add_outputs("missing")
    with pytest.raises(TypeError, match="Incorrect type of a value to add as output."):
        model.add_outputs(1)
    with pytest.raises(TypeError, match="at index 0"):
        model.add_outputs([1])


def test_reshape_forms():
    p = ops.parameter([1, 3, 4], np.float32, name="x")
    p.output(0).set_names({"x"})
    model = Model(ops.relu(p), [p])
    model.reshape([2, 3, 4])
    assert model.input(0).get_partial_shape() == PartialShape([2, 3, 4])
    model.reshape({"x": "[?,3,..8]"})
    assert str(model.output(0).get_partial_shape()) == "[?,3,..8]"
    model.reshape({0: [(1, 10), 3, 4]})
    assert model.input(0).get_partial_shape()[0] == ov.Dimension(1, 10)
    model.reshape({model.input(0): PartialShape([5, 3, 4])})
    assert model.output(0).get_shape() == [5, 3, 4]
    assert not model.is_dynamic()
    model.reshape([-1, 3, 4])
    assert model.is_dynamic()
    with pytest.raises(TypeError, match="Incorrect key type"):
        model.reshape({p: [1, 3, 4]})
    with pytest.raises(TypeError, match="expected values as"):
        model.reshape({0: 5})


def test_evaluate_and_clone():
    model, *_ = _add_model()
    outs = []
    ins = [Tensor(np.arange(8, dtype=np.float32)), Tensor(np.ones(8, np.float32))]
    assert model.evaluate(outs, ins) is True
    np.testing.assert_array_equal(outs[0].data, np.arange(8) + 1)
    clone = model.clone()
    assert clone.get_ordered_ops()[0] is not model.get_ordered_ops()[0]
    assert clone.output(0).get_names() == {"y"}
    outs2 = []
    clone.evaluate(outs2, ins)
    np.testing.assert_array_equal(outs2[0].data, outs[0].data)
    with pytest.raises(TypeError, match="Cannot copy"):
        copy.copy(model)
    assert copy.deepcopy(model).get_friendly_name() == "adder"
    with pytest.raises(RuntimeError, match="Cannot evaluate model!"):
        model.evaluate([], [Tensor(np.ones(3, np.float32)), Tensor(np.ones(8, np.float32))])


def test_rt_info():
    model, *_ = _add_model()
    model.set_rt_info("value", "key")
    model.set_rt_info(1.5, ["nested", "x"])
    assert model.has_rt_info("key") and model.has_rt_info(["nested", "x"])
    assert model.get_rt_info("key") == "value"
    assert model.get_rt_info(["nested", "x"]).astype(float) == 1.5
    assert not model.has_rt_info("nope")
    with pytest.raises(RuntimeError):
        model.get_rt_info("nope")


def test_validate_detects_inconsistent_shapes():
    a = ops.parameter([4], np.float32)
    b = ops.parameter([4], np.float32)
    add = ops.add(a, b)
    model = Model(add, [a, b])
    b.set_partial_shape(PartialShape([3]))
    with pytest.raises(RuntimeError, match="Argument shapes are inconsistent"):
        model.validate_nodes_and_infer_types()


def test_undeclared_parameter_rejected():
    a = ops.parameter([4], np.float32)
    with pytest.raises(RuntimeError, match="undeclared parameter"):
        Model(ops.relu(a), [])


def test_node_api():
    a = ops.parameter([2, 3], Type.f32, name="input")
    r = ops.relu(a)
    r.set_friendly_name("relu")
    assert r.get_type_name() == "Relu" and r.friendly_name == "relu"
    assert r.get_output_size() == 1 and r.get_output_partial_shape(0) == PartialShape([2, 3])
    assert r.get_output_element_type(0) == Type.f32 and r.shape == [2, 3]
    assert r.input(0).get_source_output().get_node() is a
    assert r.output(0) in {r.output(0)} and hash(r.output(0)) != hash(r)
    assert a.output(0).get_target_inputs() == {r.input(0)}
    s = a + a
    assert s.get_type_name() == "Add"
    with pytest.raises(TypeError, match="Cannot deepcopy 'openvino.Output' object."):
        copy.deepcopy(r.output(0))


def test_output_replace_moves_consumers():
    a = ops.parameter([2], np.float32)
    r = ops.relu(a)
    y = ops.absolute(r)
    other = ops.absolute(a)
    r.output(0).set_names({"mid"})
    r.output(0).replace(other.output(0))
    assert y.input(0).get_source_output().get_node() is other
    assert "mid" in other.output(0).get_names()


def test_cycle_is_reported():
    a = ops.parameter([2], np.float32)
    r1 = ops.relu(a)
    r2 = ops.absolute(r1)
    r1.set_argument(0, r2.output(0))
    with pytest.raises(RuntimeError, match="cycle"):
        Model(r2, [a])


def test_runtime_alias_identity():
    import openvino.runtime as ovr
    import openvino.runtime.opset8 as o8

    assert ovr.Model is ov.Model and ovr.Tensor is ov.Tensor and o8 is ov.opset8
    assert ovr.op is ov.op


def test_constructor_names_unnamed_parameters_and_results():
    # as the real binding: Model(...) gives an unnamed Parameter its friendly name as tensor
    # name and an unnamed Result its own (on the tensor it shares with its producer)
    import numpy as np

    import openvino as ov

    o = ov.opset13
    p = o.parameter([2], np.float32, name="data")
    q = o.parameter([2], np.float32)
    named = o.parameter([2], np.float32, name="x")
    named.output(0).set_names({"given"})
    r = o.relu(p)
    a = o.add(r, q)
    m = ov.Model([a, r], [p, q, named])
    assert [i.get_names() for i in m.inputs] == [{"data"}, {q.get_friendly_name()}, {"given"}]
    results = m.get_results()
    assert [out.get_names() for out in m.outputs] == [{res.get_friendly_name()}
                                                      for res in results]
    assert a.output(0).get_names() == {results[0].get_friendly_name()}
    assert m.input("data").get_node() is p
    direct = o.parameter([2], np.float32, name="same")
    through = ov.Model([direct.output(0)], [direct])
    assert through.inputs[0].get_names() == through.outputs[0].get_names() == {"same"}


def test_read_model_keeps_the_file_names(tmp_path):
    # a model read from IR gets no default names (the real reader adds none either)
    import numpy as np

    import openvino as ov

    p = ov.opset13.parameter([2], np.float32, name="data")
    m = ov.Model(ov.opset13.relu(p), [p])
    p.output(0).set_names(set())
    m.outputs[0].get_tensor().set_names(set())
    ov.save_model(m, tmp_path / "m.xml")
    read = ov.Core().read_model(tmp_path / "m.xml")
    assert read.inputs[0].get_names() == set() and read.outputs[0].get_names() == set()
