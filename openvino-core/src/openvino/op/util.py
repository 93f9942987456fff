"""``openvino.op.util``: variables of stateful models."""

from openvino._variable import Variable, VariableInfo

__all__ = ["Variable", "VariableInfo"]
