"""Models the runtime tests share."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov


def add_model() -> ov.Model:
    """The seed's add model: two f32[8] inputs ``a`` and ``b``, output ``y``."""
    a = ov.opset8.parameter([8], np.float32, name="a")
    b = ov.opset8.parameter([8], np.float32, name="b")
    a.output(0).set_names({"a"})
    b.output(0).set_names({"b"})
    res = ov.opset8.add(a, b)
    res.output(0).set_names({"y"})
    return ov.Model(res, [a, b], "add")


def accumulator_model() -> ov.Model:
    """A stateful model: ``acc += x`` (variable ``acc``, zeros f32[1,2] at first); the
    output is the new value."""
    x = ov.opset8.parameter([1, 2], np.float32, name="x")
    init = ov.opset8.constant(np.zeros((1, 2), np.float32))
    read = ov.opset8.read_value(init, "acc", ov.Type.f32, [1, 2])
    total = ov.opset8.add(read, x)
    assign = ov.opset8.assign(total, "acc")
    res = ov.opset8.result(total)
    return ov.Model(results=[res], sinks=[assign], parameters=[x], name="acc")


@pytest.fixture
def core() -> ov.Core:
    return ov.Core()


@pytest.fixture
def compiled_add(core: ov.Core) -> ov.CompiledModel:
    return core.compile_model(add_model(), "TEMPLATE")
