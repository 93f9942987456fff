"""NodeFactory as OpenVINO's: an op made empty (no arguments, no attributes) and
completed with set_arguments / set_attribute / constructor_validate_and_infer_types;
attributes without arguments are a UserInputError; a node argument stands for all its
outputs; Extension objects without ops are accepted."""

import numpy as np
import pytest

import openvino as ov
import openvino.opset8 as o
from openvino.exceptions import UserInputError
from openvino.utils.node_factory import NodeFactory


def test_empty_op_is_completed_later():
    factory = NodeFactory("opset1")
    node = factory.create("TopK")
    assert node.get_type_name() == "TopK"
    assert node.get_input_size() == 0 and node.get_output_size() == 0
    data = o.parameter([2, 10], np.int32)
    k = o.constant(np.int32(3))
    node.set_arguments([data.output(0), k.output(0)])
    for name, value in (("axis", 1), ("mode", "max"), ("sort", "value")):
        node.set_attribute(name, value)
    node.constructor_validate_and_infer_types()
    assert node.get_input_size() == 2 and node.get_output_size() == 2
    assert list(node.get_output_shape(0)) == [2, 3]
    assert node.get_attributes()["sort"] == "value"
    # the inputs are real edges: the producers list the node as a consumer
    assert [i.get_node() for i in data.output(0).get_target_inputs()] == [node]


def test_empty_op_keeps_declared_defaults():
    node = NodeFactory("opset1").create("Add")
    assert node.get_attributes() == {"auto_broadcast": "numpy"}


def test_attributes_without_arguments():
    with pytest.raises(UserInputError, match='cannot create "TopK" op without arguments'):
        NodeFactory("opset1").create("TopK", None, {"axis": 1})


def test_node_argument_gives_all_its_outputs():
    factory = NodeFactory("opset1")
    parts = o.split(o.parameter([4, 2], np.float32), o.constant(np.int64(0)), 2)
    concat = factory.create("Concat", [parts], {"axis": 1})
    assert concat.get_input_size() == 2
    assert list(concat.get_output_shape(0)) == [2, 4]
    outputs = NodeFactory._arguments_as_outputs([parts, parts.output(1)])
    assert [(p.get_node(), p.get_index()) for p in outputs] == [(parts, 0), (parts, 1),
                                                                (parts, 1)]


def test_extension_without_ops_is_accepted():
    class Settings(ov.Extension):
        pass

    factory = NodeFactory()
    factory.add_extension(Settings())
    factory.add_extension([Settings(), Settings()])
    assert factory.create("Relu", [o.parameter([2])]).get_type_name() == "Relu"
