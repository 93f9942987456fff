"""``openvino._pyopenvino``: the module path the real package's compiled binding has, which
user code names in type hints, ``isinstance`` checks and error messages
(``openvino._pyopenvino.Model``, ``openvino._pyopenvino.op.Parameter``). Every name is the
same object as in ``openvino``; the submodules are the package's own modules."""

from __future__ import annotations

import importlib as _importlib

from openvino import (
    AsyncInferQueue,
    AxisSet,
    AxisVector,
    CompiledModel,
    ConstOutput,
    Coordinate,
    CoordinateDiff,
    Core,
    DescriptorTensor,
    Dimension,
    DiscreteTypeInfo,
    Extension,
    InferRequest,
    Input,
    Layout,
    Model,
    Node,
    Op,
    OpExtension,
    Output,
    OVAny,
    PartialShape,
    ProfilingInfo,
    RTMap,
    Shape,
    Strides,
    Symbol,
    Tensor,
    Type,
    VariableState,
    get_batch,
    get_version,
    save_model,
    serialize,
    set_batch,
)
from openvino._attribute_visitor import AttributeVisitor

__all__ = ["AsyncInferQueue", "AxisSet", "AxisVector", "Coordinate", "CoordinateDiff",
           "CompiledModel", "ConstOutput", "Core", "DescriptorTensor",
           "Dimension", "Extension", "InferRequest", "Input", "Layout", "Model", "Node",
           "OVAny", "Output", "PartialShape", "ProfilingInfo", "RTMap", "Shape", "Strides",
           "Symbol", "Tensor", "Type", "VariableState", "get_batch", "get_version", "op",
           "save_model", "serialize", "set_batch"]
__all__ += ["AttributeVisitor", "DiscreteTypeInfo", "Op", "OpExtension"]

# submodules of the binding, served by the package's modules of the same role
_SUBMODULES = {
    "op": "openvino._pyopenvino.op",
    "util": "openvino._pyopenvino.util",
    "passes": "openvino.passes",
    "properties": "openvino.properties",
    "preprocess": "openvino.preprocess",
    "layout_helpers": "openvino.layout_helpers",
    "experimental": "openvino.experimental",
}


def __getattr__(name: str):
    target = _SUBMODULES.get(name)
    if target is not None:
        module = _importlib.import_module(target)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'openvino._pyopenvino' has no attribute '{name}'")
