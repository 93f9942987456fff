"""OpenVINO Runtime Python API, implemented in Python.

This module is the map of what users may touch; everything else in the package is
private and named after what it holds.
"""

from __future__ import annotations

import importlib as _importlib

from ._async_infer_queue import AsyncInferQueue
from ._compiled_model import CompiledModel
from ._coordinates import AxisSet, AxisVector, Coordinate, CoordinateDiff
from ._core import Core, compile_model
from ._custom_op import Op
from ._discrete_type_info import DiscreteTypeInfo
from ._extension import Extension
from ._infer_request import InferRequest
from ._ir import save_model, serialize, tensor_from_file
from ._layout import Layout, get_batch, set_batch
from ._model import Model
from ._node import ConstOutput, DescriptorTensor, Input, Node, Output
from ._op_extension import OpExtension
from ._ov_any import OVAny
from ._profiling import ProfilingInfo
from ._remote import RemoteContext, RemoteTensor
from ._rt_info import RTMap
from ._shape import Dimension, PartialShape, Shape, Strides, Symbol
from ._tensor import Tensor
from ._type import Type
from .plugin.infer_request import VariableState

__version__ = "2026.4.1"

__all__ = [
    "AxisSet", "AxisVector", "Coordinate", "CoordinateDiff", "ConstOutput", "DescriptorTensor",
    "Dimension", "Input", "Layout", "Model", "Node",
    "OVAny", "Output", "PartialShape", "RTMap", "Shape", "Strides", "Symbol", "Tensor", "Type",
    "get_batch", "set_batch", "get_version",
]
__all__ += ["Extension"]
__all__ += ["RemoteContext", "RemoteTensor"]
__all__ += ["DiscreteTypeInfo", "Op", "OpExtension"]
__all__ += ["save_model", "serialize", "tensor_from_file"]
__all__ += ["AsyncInferQueue", "CompiledModel", "Core", "InferRequest", "ProfilingInfo",
            "VariableState", "compile_model"]

_LAZY_SUBMODULES = {f"opset{i}" for i in range(1, 17)} | {
    "op", "helpers", "properties", "utils", "runtime", "preprocess", "plugin", "frontend",
    "layout_helpers", "tools", "exceptions", "experimental", "passes",
}


def get_version() -> str:
    return __version__


def __getattr__(name: str):
    if name in _LAZY_SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'openvino' has no attribute '{name}'")


# The binding's module path, which user code names in type hints and isinstance checks
# (``openvino._pyopenvino.Model``): an attribute of the package once it is imported.
from . import _pyopenvino  # noqa: E402, F401
