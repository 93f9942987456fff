"""``openvino._pyopenvino.op``: the op classes of ``openvino.op``."""

from openvino.op import Constant, Parameter, Result

__all__ = ["Constant", "Parameter", "Result"]
