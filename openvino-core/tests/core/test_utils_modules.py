"""The helper modules of ``openvino.utils`` real code imports by path (behaviour checked
against OpenVINO 2026.4.1)."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino.exceptions import UserInputError
from openvino.utils.broadcasting import get_broadcast_axes
from openvino.utils.decorators import binary_op, custom_preprocess_function, nameable_op
from openvino.utils.input_validation import (
    assert_list_of_ints,
    check_valid_attributes,
    is_non_negative_value,
    is_positive_value,
)
from openvino.utils.node_factory import NodeFactory
from openvino.utils.reduction import get_reduction_axes

o = ov.opset8


def test_node_factory_builds_ops_of_its_opset():
    a, b = o.parameter([2], np.float32), o.parameter([2], np.float32)
    add = NodeFactory("opset8").create("Add", [a.output(0), b], {"auto_broadcast": "numpy"})
    assert add.get_type_name() == "Add" and add.get_output_partial_shape(0) == [2]
    index, axis = o.constant(np.array([0])), o.constant(np.array(0))
    assert type(NodeFactory("opset1").create("Gather", [a, index, axis])).version == "opset1"
    assert type(NodeFactory("opset8").create("Gather", [a, index, axis])).version == "opset8"
    assert type(NodeFactory().create("Relu", [a])).version == "opset1"


def test_node_factory_errors():
    with pytest.raises(RuntimeError, match="Couldn't create operation: NoSuch"):
        NodeFactory("opset8").create("NoSuch", [o.parameter([1])])
    with pytest.raises(RuntimeError, match="Unsupported opset version"):
        NodeFactory("opset99")
    with pytest.raises(RuntimeError, match="Cannot load library"):
        NodeFactory().add_extension("libcustom.so")


def test_node_factory_takes_custom_op_extensions():
    class Twice(ov.Op):
        def __init__(self, inputs=None):
            super().__init__(self, inputs)

        def validate_and_infer_types(self):
            self.set_output_type(0, self.get_input_element_type(0),
                                 self.get_input_partial_shape(0))

    for extension in (Twice, ov.OpExtension(Twice), [Twice]):
        factory = NodeFactory()
        with pytest.raises(RuntimeError, match="Couldn't create operation: Twice"):
            factory.create("Twice", [o.parameter([2])])
        factory.add_extension(extension)
        node = factory.create("Twice", [o.parameter([2])])
        assert isinstance(node, Twice) and node.get_type_name() == "Twice"
    with pytest.raises(TypeError, match="op class or an OpExtension"):
        NodeFactory().add_extension(42)


def test_broadcast_and_reduction_axes():
    assert get_broadcast_axes([2, 3, 4], [3, 4]) == ov.AxisSet([0])
    assert repr(get_broadcast_axes([2, 3, 4], [3], 1)) == "<AxisSet {0, 2}>"
    assert get_reduction_axes(o.parameter([2, 3, 4]), None) == {0, 1, 2}
    assert get_reduction_axes(o.parameter([2, 3]), [1]) == {1}


def test_input_validation():
    assert_list_of_ints([1, np.int64(2)], "ok")
    with pytest.raises(UserInputError) as info:
        assert_list_of_ints([1, 2.5], "bad list")
    assert info.value.args == ("bad list", [1, 2.5])
    requirements = [("a", True, np.integer, is_positive_value)]
    assert check_valid_attributes("Op", {"a": 2}, requirements)
    with pytest.raises(UserInputError, match='"a" value does not satisfy'):
        check_valid_attributes("Op", {"a": -1}, requirements)
    with pytest.raises(UserInputError, match='missing Op operator required attribute "a"'):
        check_valid_attributes("Op", {}, requirements)
    with pytest.raises(UserInputError, match="must by of type <class 'numpy.integer'>"):
        check_valid_attributes("Op", {"a": 1.5}, requirements)
    with pytest.raises(UserInputError, match="does not satisfy"):
        check_valid_attributes("Op", {"a": [1, -2]}, requirements)
    assert is_non_negative_value(0) and not is_positive_value(0)


def test_decorators():
    @nameable_op
    def relu(x):
        return o.relu(x)

    @binary_op
    def add(x, y):
        return o.add(x, y)

    node = add(o.parameter([2], np.float32), np.ones(2, np.float32), name="sum")
    assert node.get_friendly_name() == "sum"
    assert node.input_value(1).get_node().get_type_name() == "Constant"
    assert relu(o.parameter([1]), name="r").get_friendly_name() == "r"

    @custom_preprocess_function
    def absolute(output):
        return o.abs(output)

    assert isinstance(absolute(o.parameter([2]).output(0)), ov.Output)


def test_custom_preprocess_function_in_a_pipeline():
    from openvino.preprocess import PrePostProcessor

    p = o.parameter([1, 3], np.float32, name="x")
    model = ov.Model(o.relu(p), [p])

    @custom_preprocess_function
    def negate(output):
        return o.negative(output)

    ppp = PrePostProcessor(model)
    ppp.input().preprocess().custom(negate)
    compiled = ov.Core().compile_model(ppp.build(), "TEMPLATE")
    out = compiled([np.array([[-1, 2, -3]], np.float32)])[0]
    np.testing.assert_array_equal(out, [[1, 0, 3]])


def test_submodules_are_attributes():
    import openvino.utils as utils

    assert utils.node_factory.NodeFactory is NodeFactory
    assert utils.decorators.custom_preprocess_function is custom_preprocess_function
