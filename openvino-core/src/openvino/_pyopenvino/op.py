"""``openvino._pyopenvino.op``: the op classes of ``openvino.op`` (``Constant``,
``Parameter``, ``Result``, ``util`` and every registered op by type name)."""

from openvino.op import Constant, Parameter, Result, if_op, loop, tensor_iterator, util
from openvino.op import __getattr__ as __getattr__  # the other op classes, by type name

__all__ = ["Constant", "Parameter", "Result", "if_op", "loop", "tensor_iterator", "util"]
