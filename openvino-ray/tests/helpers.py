"""Models of the RAY tests."""

from __future__ import annotations

import numpy as np

import openvino as ov
import openvino.opset13 as ops
from openvino.op.util import Variable, VariableInfo


def add_model(shape=(2, 3)) -> ov.Model:
    a = ops.parameter(list(shape), np.float32, name="a")
    b = ops.parameter(list(shape), np.float32, name="b")
    out = ops.add(a, b)
    out.output(0).get_tensor().set_names({"sum"})
    return ov.Model([out], [a, b], "add")


def accumulator() -> ov.Model:
    """A stateful model: ``acc += x`` kept in a variable, the sum as output."""
    x = ops.parameter([2], np.float32, name="x")
    init = ops.constant(np.zeros(2, np.float32))
    info = VariableInfo()
    info.data_shape = ov.PartialShape([2])
    info.data_type = ov.Type.f32
    info.variable_id = "acc"
    var = Variable(info)
    read = ops.read_value(init, var)
    total = ops.add(read, x)
    assign = ops.assign(total, var)
    return ov.Model([total], [assign], [x], "accumulator")
