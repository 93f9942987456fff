"""``openvino.op.util``: variables of stateful models and the port map descriptions of
the control flow ops (If, Loop, TensorIterator)."""

from openvino._ops._subgraph import (
    BodyOutputDescription,
    ConcatOutputDescription,
    InvariantInputDescription,
    MergedInputDescription,
    SliceInputDescription,
)
from openvino._variable import Variable, VariableInfo

__all__ = ["Variable", "VariableInfo", "InvariantInputDescription", "SliceInputDescription",
           "MergedInputDescription", "BodyOutputDescription", "ConcatOutputDescription"]
