"""Class paths user code and error messages refer to (``openvino._pyopenvino.X``): the
same objects as in ``openvino``."""

from openvino import (
    AsyncInferQueue,
    CompiledModel,
    ConstOutput,
    Core,
    DescriptorTensor,
    Dimension,
    InferRequest,
    Input,
    Layout,
    Model,
    Node,
    Output,
    PartialShape,
    Shape,
    Tensor,
    Type,
)

from . import op

__all__ = ["AsyncInferQueue", "CompiledModel", "ConstOutput", "Core", "DescriptorTensor",
           "Dimension", "InferRequest", "Input", "Layout", "Model", "Node", "Output",
           "PartialShape", "Shape", "Tensor", "Type", "op"]
