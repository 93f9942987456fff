"""The Model API as OpenVINO 2026.4.1 gives it: reshape (keys by tensor name, index and
port; shapes as Python values; variables), add_outputs and its errors, rt_info."""

import numpy as np
import pytest

import openvino as ov
from openvino import Dimension, Model, PartialShape
from openvino.op.util import Variable, VariableInfo

ops = ov.opset13


def _two_inputs():
    a = ops.parameter([1, 3, 224, 224], np.float32, name="a")
    a.output(0).get_tensor().set_names({"a_t"})
    b = ops.parameter([1, 3], np.float32, name="b")
    b.output(0).get_tensor().set_names({"b_t"})
    return Model([ops.relu(a), ops.relu(b)], [a, b], "two")


def _shapes(model):
    return [str(p.get_partial_shape()) for p in model.inputs]


@pytest.mark.parametrize(("shapes", "expected"), [
    ({"a_t": [1, 3, -1, 224], "b_t": (2, 3)}, ["[1,3,?,224]", "[2,3]"]),
    ({0: "1,3,?,224", 1: "[1..10, ?]"}, ["[1,3,?,224]", "[1..10,?]"]),
    ({0: "?,3,..224,..224", 1: "194, 194"}, ["[?,3,..224,..224]", "[194,194]"]),
    ({np.int64(1): [5, 3]}, ["[1,3,224,224]", "[5,3]"]),
    ({0: [Dimension(1), Dimension(3), Dimension(1, 10), 224]}, ["[1,3,1..10,224]", "[1,3]"]),
    ({0: [1, 3, (10, 20), (1, -1)]}, ["[1,3,10..20,1..]", "[1,3]"]),
    ({0: ((1, 2), 3, 8, 8)}, ["[1..2,3,8,8]", "[1,3]"]),
    ({0: ["?", "3", 8, [4, 8]]}, ["[?,3,8,4..8]", "[1,3]"]),
    ({0: [Dimension(-1), 3, 8, 8]}, ["[?,3,8,8]", "[1,3]"]),
    ({1: PartialShape([4, 3])}, ["[1,3,224,224]", "[4,3]"]),
])
def test_reshape_keys_and_values(shapes, expected):
    model = _two_inputs()
    model.reshape(shapes)
    assert _shapes(model) == expected
    # the results follow the new inputs
    assert str(model.output(0).get_partial_shape()) == expected[0]


def test_reshape_by_port_of_the_model():
    model = _two_inputs()
    model.reshape({model.input(0): PartialShape([2, 3, 8, 8]), model.inputs[1]: [7, 3]})
    assert _shapes(model) == ["[2,3,8,8]", "[7,3]"]


def test_reshape_single_input_forms():
    x = ops.parameter([1, 3], np.float32, name="x")
    model = Model(ops.relu(x), [x])
    for value, want in [([2, 3], "[2,3]"), ((4, 3), "[4,3]"), ("?,3", "[?,3]"),
                        (PartialShape([5, 3]), "[5,3]"), ([(1, 8), 3], "[1..8,3]")]:
        model.reshape(value)
        assert str(model.input(0).get_partial_shape()) == want
    model.reshape({"x": [6, 3]})  # an unnamed input goes by its Parameter's name
    assert str(model.input(0).get_partial_shape()) == "[6,3]"


@pytest.mark.parametrize(("shapes", "error", "message"), [
    ({(0, 1): [1]}, TypeError, "Incorrect key type <class 'tuple'>"),
    ({0: ov.Dimension(4)}, TypeError, "Incorrect value type <class 'openvino._shape.Dimension'> "
     "to reshape a model, expected values as openvino.PartialShape, str, list or tuple."),
    ({0: ov.Shape([1, 3, 8, 8])}, TypeError, "Incorrect value type"),
    ({0: np.array([1, 3, 8, 8])}, TypeError, "Incorrect value type <class 'numpy.ndarray'>"),
    ({0: 5}, TypeError, "Incorrect value type <class 'int'>"),
    ({0: None}, TypeError, "Incorrect value type <class 'NoneType'>"),
    ({0.0: [1]}, TypeError, "Incorrect key type <class 'float'> to reshape a model, expected "
     "keys as openvino.Output, int or str."),
    ({"zzz": [1, 3, 8, 8]}, RuntimeError, "Input for tensor name 'zzz' is not found."),
    ({"a": [1, 3, 8, 8]}, RuntimeError, "Input for tensor name 'a' is not found."),
    ({5: [1, 3, 8, 8]}, IndexError, "5"),
    ({0: [1.0, 3, 8, 8]}, TypeError, "Incorrect type <class 'float'> for dimension. Expected "
     "types are: int, str, openvino.Dimension, list/tuple with lower and upper values for "
     "dynamic dimension."),
    ({0: [None, 3, 8, 8]}, TypeError, "Incorrect type <class 'NoneType'> for dimension."),
    ({0: [(1, 2, 3), 3, 8, 8]}, TypeError, "Two elements are expected in tuple(lower, upper) "
     "for dynamic dimension, but 3 elements were given."),
    ({1: "abc"}, RuntimeError, "Cannot parse dimension"),
    ([1, 3, 8, 8], RuntimeError, "must be called on a Model with exactly one parameter"),
    ("1,3,8,8", RuntimeError, "must be called on a Model with exactly one parameter"),
    ([[1, 3, 8, 8], [1, 3]], TypeError, "Two elements are expected"),
])
def test_reshape_errors(shapes, error, message):
    model = _two_inputs()
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace(".", r"\.")):
        model.reshape(shapes)
    assert _shapes(model) == ["[1,3,224,224]", "[1,3]"]  # unchanged


def test_reshape_key_kinds_that_are_not_inputs():
    model = _two_inputs()
    with pytest.raises(TypeError, match="Incorrect key type .*Parameter"):
        model.reshape({model.get_parameters()[0]: [2, 3, 8, 8]})
    compiled = ov.Core().compile_model(_two_inputs(), "TEMPLATE")
    with pytest.raises(TypeError, match="Incorrect key type .*ConstOutput"):
        model.reshape({compiled.input(0): [2, 3, 8, 8]})
    with pytest.raises(RuntimeError, match="is not used in"):
        model.reshape({model.output(0): [2, 3, 8, 8]})
    other = ops.parameter([1, 3], np.float32, name="other")
    with pytest.raises(RuntimeError, match="other"):
        model.reshape({other.output(0): [2, 3]})


def test_reshape_failure_keeps_the_model():
    x = ops.parameter([4, 6], np.float32, name="x")
    model = Model(ops.reshape(x, ops.constant(np.array([2, 12], np.int64)), False), [x])
    with pytest.raises(RuntimeError):
        model.reshape([5, 5])
    assert str(model.input(0).get_partial_shape()) == "[4,6]"
    assert str(model.output(0).get_partial_shape()) == "[2,12]"


def _stateful():
    x = ops.parameter([1, 4], np.float32, name="x")
    x.output(0).get_tensor().set_names({"x"})
    info = VariableInfo()
    info.data_shape = PartialShape([1, 4])
    info.data_type = ov.Type.f32
    info.variable_id = "state"
    var = Variable(info)
    add = ops.add(ops.read_value(var), x)
    return Model(results=[ops.result(add)], sinks=[ops.assign(add, var)], parameters=[x],
                 name="stateful"), var


@pytest.mark.parametrize(("args", "kwargs"), [
    (({"x": [2, 4]}, {"state": [2, 4]}), {}),
    (([2, 4], {"state": (2, 4)}), {}),
    (({0: PartialShape([2, 4])}, {"state": "2,4"}), {}),
    (({0: [2, 4]},), {"variables_shapes": {"state": PartialShape([2, 4])}}),
])
def test_reshape_with_variables(args, kwargs):
    model, var = _stateful()
    model.reshape(*args, **kwargs)
    assert str(model.output(0).get_partial_shape()) == "[2,4]"
    assert str(var.info.data_shape) == "[2,4]"
    assert str(model.get_variables()[0].info.data_shape) == "[2,4]"
    request = ov.Core().compile_model(model, "TEMPLATE").create_infer_request()
    ones = np.ones((2, 4), np.float32)
    request.infer({"x": ones})
    np.testing.assert_array_equal(request.infer({"x": ones})[0], 2 * ones)


def test_reshape_with_dynamic_variable():
    model, var = _stateful()
    model.reshape({"x": [-1, 4]}, {"state": "?,4"})
    assert str(model.output(0).get_partial_shape()) == "[?,4]"
    assert str(var.info.data_shape) == "[?,4]"


def test_reshape_with_variables_errors():
    model, var = _stateful()
    with pytest.raises(RuntimeError):  # the variable keeps [1,4]; Assign gets [2,4]
        model.reshape({"x": [2, 4]})
    with pytest.raises(RuntimeError):  # [3,4] + [2,4] do not broadcast
        model.reshape({"x": [2, 4]}, {"state": [3, 4]})
    assert str(var.info.data_shape) == "[1,4]"  # both failures left the model as it was
    assert str(model.input(0).get_partial_shape()) == "[1,4]"
    with pytest.raises(TypeError, match="Incorrect key type <class 'int'> to reshape a model, "
                                        "expected values as str."):
        model.reshape({"x": [2, 4]}, {0: [2, 4]})
    with pytest.raises(TypeError, match="Incorrect value type <class 'int'>"):
        model.reshape({"x": [2, 4]}, {"state": 5})
    with pytest.raises(RuntimeError, match="'unknown'"):
        model.reshape({"x": [2, 4]}, {"unknown": [2, 4]})


# --- add_outputs -------------------------------------------------------------------------

def _hidden_model():
    a = ops.parameter([2, 3], np.float32, name="a")
    relu = ops.relu(a)
    relu.set_friendly_name("relu")
    relu.output(0).get_tensor().set_names({"hidden"})
    split = ops.split(relu, 0, 2)
    split.set_friendly_name("split")
    return Model(ops.exp(split.output(0)), [a], "m"), relu, split


def test_add_outputs_forms():
    model, relu, split = _hidden_model()
    added = model.add_outputs("hidden")
    assert len(added) == 1 and added[0].get_names() == {"hidden"}
    assert model.add_outputs("hidden") == added  # already a result: that one
    assert len(model.outputs) == 2
    (by_pair,) = model.add_outputs(("split", 1))
    assert by_pair.get_node().input_value(0) == split.output(1)
    (by_port,) = model.add_outputs(split.output(0))
    assert by_port.get_node().input_value(0) == split.output(0)
    assert len(model.outputs) == 4
    assert model.add_outputs(model.output(0)) == [model.output(0)]
    assert len(model.outputs) == 4
    model2, _, split2 = _hidden_model()
    several = model2.add_outputs(["hidden", ("split", 1), split2.output(0)])
    assert len(several) == 3 and len(model2.outputs) == 4
    compiled = ov.Core().compile_model(model2, "TEMPLATE")
    res = compiled(np.array([[-1, 2, -3], [4, -5, 6]], np.float32))
    np.testing.assert_array_equal(res["hidden"], [[0, 2, 0], [4, 0, 6]])
    np.testing.assert_array_equal(res[2], [[4, 0, 6]])


@pytest.mark.parametrize(("value", "error", "message"), [
    ("missing", RuntimeError, "Model::add_output. Tensor name 'missing' was not found."),
    ("relu", RuntimeError, "Tensor name 'relu' was not found."),
    (("nope", 0), RuntimeError, "Model::add_output. Operation with name 'nope' was not found."),
    (("split", 5), RuntimeError, "Cannot add output to port 5 operation split has only 2 "
     "outputs."),
    (1, TypeError, "Incorrect type of a value to add as output."),
    ([1], TypeError, "Incorrect type of a value to add as output at index 0."),
    (["hidden", 1.5], TypeError, "Incorrect type of a value to add as output at index 1."),
    (["hidden", "missing"], RuntimeError, "Tensor name 'missing' was not found."),
])
def test_add_outputs_errors(value, error, message):
    model, relu, _ = _hidden_model()
    with pytest.raises(error) as err:
        model.add_outputs(value)
    assert str(err.value) == message or message in str(err.value)
    if isinstance(value, list) and error is TypeError:
        assert str(err.value) == message


def test_add_outputs_rejects_nodes_and_compiled_ports():
    model, relu, _ = _hidden_model()
    with pytest.raises(TypeError, match="Incorrect type of a value to add as output."):
        model.add_outputs(relu)
    compiled = ov.Core().compile_model(model, "TEMPLATE")
    with pytest.raises(TypeError, match="Incorrect type of a value to add as output."):
        model.add_outputs(compiled.output(0))
    assert len(model.outputs) == 1


# --- rt_info and save_model ------------------------------------------------------------

def test_rt_info_sections_are_dicts_of_ovany():
    x = ops.parameter([2], np.float32, name="x")
    model = Model(ops.relu(x), [x])
    model.set_rt_info({"k1": "v1", "k2": 3, "k3": {"z": 1.0}}, "dict")
    model.set_rt_info(2, ["nested", "i"])
    model.set_rt_info(1.5, "f")
    value = model.get_rt_info("dict")
    assert isinstance(value, ov.OVAny)
    assert value.value == {"k1": "v1", "k2": 3, "k3": {"z": 1.0}}
    as_dict = value.astype(dict)
    assert isinstance(as_dict["k1"], ov.OVAny) and as_dict["k1"] == "v1"
    assert isinstance(as_dict["k3"], dict) and as_dict["k3"]["z"].astype(float) == 1.0
    items = dict(model.get_rt_info().items())
    assert isinstance(items["nested"], dict) and isinstance(items["f"], ov.OVAny)
    assert isinstance(model.get_rt_info()["nested"]["i"], ov.OVAny)
    assert model.get_rt_info(["nested", "i"]).value == 2
    assert model.get_rt_info("nested").value == {"i": 2}


def test_save_model_none_raises_type_error(tmp_path):
    for call in (lambda: ov.save_model(None, str(tmp_path / "m.xml")),
                 lambda: ov.save_model(model=None, output_model=str(tmp_path / "m.xml")),
                 lambda: ov.save_model(5, str(tmp_path / "m.xml")),
                 lambda: ov.serialize(None, str(tmp_path / "m.xml"))):
        with pytest.raises(TypeError, match="Incompatible `model` argument. Please provide a "
                                            "valid openvino.Model instance."):
            call()
    assert not (tmp_path / "m.xml").exists()
