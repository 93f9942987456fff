"""The names users import, per API.md, in both spellings and with the same identities."""

import importlib

import pytest

NAMES = ("Core Model CompiledModel InferRequest AsyncInferQueue Tensor Type Shape PartialShape "
         "Dimension Symbol Layout Strides OVAny RTMap Output ConstOutput Input Extension "
         "ProfilingInfo compile_model serialize save_model tensor_from_file set_batch get_batch "
         "opset13 properties op utils").split()


@pytest.mark.parametrize("name", NAMES)
def test_name_in_both_spellings(name):
    ov = importlib.import_module("openvino")
    ovr = importlib.import_module("openvino.runtime")
    assert getattr(ovr, name) is getattr(ov, name)


@pytest.mark.parametrize("module", [
    "openvino.utils.types", "openvino.utils.data_helpers", "openvino.helpers",
    "openvino.op.util", "openvino._pyopenvino", "openvino.runtime.opset8",
    "openvino.runtime.properties", "openvino.runtime.op", "openvino.runtime.utils",
])
def test_modules_import(module):
    importlib.import_module(module)


def test_class_paths():
    import openvino as ov
    from openvino._pyopenvino import DescriptorTensor
    from openvino._pyopenvino.op import Parameter
    from openvino.op.util import Variable, VariableInfo
    from openvino.utils.data_helpers import OVDict
    from openvino.utils.types import get_dtype

    assert Parameter is ov.op.Parameter and DescriptorTensor is ov.DescriptorTensor
    assert Variable and VariableInfo and OVDict
    assert get_dtype(ov.Type.f32).name == "float32"
    import openvino.opset13 as ops

    assert ops.parameter is ov.opset13.parameter


def test_binding_module_is_an_attribute_after_import_openvino():
    # real code names openvino._pyopenvino.X in type hints without importing it
    import subprocess
    import sys

    code = ("import openvino, numpy as np\n"
            "p = openvino.opset13.parameter([2], np.float32)\n"
            "m = openvino.Model(openvino.opset13.relu(p), [p])\n"
            "assert isinstance(m, openvino._pyopenvino.Model)\n"
            "assert isinstance(m.output(0), openvino._pyopenvino.Output)\n"
            "assert openvino._pyopenvino.op.Parameter is openvino.op.Parameter\n"
            "assert openvino._pyopenvino.properties is openvino.properties\n"
            "assert openvino._pyopenvino.passes.Manager is openvino.passes.Manager\n"
            "assert openvino._pyopenvino.util.replace_node is openvino.utils.replace_node\n")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", [
    "AsyncInferQueue", "CompiledModel", "ConstOutput", "Core", "DescriptorTensor", "Dimension",
    "Extension", "InferRequest", "Input", "Layout", "Model", "Node", "OVAny", "Output",
    "PartialShape", "ProfilingInfo", "RTMap", "Shape", "Strides", "Symbol", "Tensor", "Type",
    "VariableState", "get_batch", "get_version", "save_model", "serialize", "set_batch",
])
def test_binding_names_are_the_package_objects(name):
    import openvino as ov

    assert getattr(ov._pyopenvino, name) is getattr(ov, name)


@pytest.mark.parametrize("module", [
    "openvino.exceptions", "openvino.experimental", "openvino.helpers.packing",
    "openvino.opset1.ops", "openvino.opset13.ops", "openvino.opset16.ops",
    "openvino.runtime.opset8.ops", "openvino._pyopenvino.op", "openvino._pyopenvino.util",
    "openvino.passes",
    "openvino.properties.hint", "openvino.properties.intel_cpu", "openvino.properties.device",
    "openvino.properties.streams", "openvino.properties.log", "openvino.properties.intel_auto",
])
def test_real_package_submodules_import(module):
    importlib.import_module(module)


def test_opset_ops_submodule_holds_the_same_factories():
    import openvino.opset8 as o8
    import openvino.opset8.ops as o8_ops

    assert o8_ops.relu is o8.relu and o8.ops is o8_ops
    assert "gather" in o8_ops.__all__


def test_exceptions_hierarchy():
    from openvino.exceptions import OVError, OVTypeError, UserInputError

    assert issubclass(UserInputError, OVError) and issubclass(OVTypeError, TypeError)


def test_experimental_bounds_from_shape_of():
    import numpy as np

    import openvino as ov
    from openvino.experimental import (
        evaluate_as_partial_shape,
        evaluate_both_bounds,
        set_element_type,
        set_tensor_type,
    )

    ops = ov.opset13
    p = ops.parameter([2, ov.Dimension(1, 8), -1], np.float32)
    shape = ops.shape_of(p, "i32")
    ps = ov.PartialShape.dynamic()
    assert evaluate_as_partial_shape(shape.output(0), ps)
    assert ps == ov.PartialShape([2, ov.Dimension(1, 8), -1])
    lower, upper = evaluate_both_bounds(shape.output(0))
    assert lower.data.tolist() == [2, 1, 0]
    assert upper.data.tolist() == [2, 8, np.iinfo(np.int32).max]
    folded = ops.add(ops.constant(np.array([1, 2], np.int64)),
                     ops.constant(np.array([3, 4], np.int64)))
    lower, upper = evaluate_both_bounds(folded.output(0))
    assert lower.data.tolist() == upper.data.tolist() == [4, 6]
    untouched = ov.PartialShape([3])
    assert not evaluate_as_partial_shape(p.output(0), untouched) and untouched == [3]
    with pytest.raises(RuntimeError, match="Parameter"):
        evaluate_both_bounds(p.output(0))
    set_element_type(p.output(0).get_tensor(), ov.Type.i32)
    assert p.output(0).get_element_type() == ov.Type.i32
    set_tensor_type(p.output(0).get_tensor(), ov.Type.f16, ov.PartialShape([5]))
    assert p.output(0).get_partial_shape() == ov.PartialShape([5])
