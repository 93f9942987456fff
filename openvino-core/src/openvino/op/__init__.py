"""Op classes users construct directly: ``Constant``, ``Parameter``, ``Result`` and the
rest of the registry by type name (``openvino.op.Relu`` ...)."""

from openvino import _ops  # noqa: F401  (registers every op class)
from openvino._op_registry import OP_CLASSES as _OP_CLASSES
from openvino._ops.constant import Constant
from openvino._ops.if_op import If as if_op
from openvino._ops.loop import Loop as loop
from openvino._ops.loop import TensorIterator as tensor_iterator
from openvino._ops.parameter import Parameter
from openvino._ops.result import Result

from . import util

__all__ = ["Constant", "Parameter", "Result", "if_op", "loop", "tensor_iterator", "util"]


def __getattr__(name: str):
    matches = [(int(v.removeprefix("opset") or 0), cls) for (n, v), cls in _OP_CLASSES.items()
               if n == name]
    if matches:
        return max(matches, key=lambda m: m[0])[1]
    raise AttributeError(f"module 'openvino.op' has no attribute '{name}'")
