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
