"""openvino.plugin.passes.eltwise: which f32 ops are which elementwise steps, and the numpy
reference of each step agrees with the op's own reference implementation."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino.plugin.passes import (
    BINARY,
    UNARY,
    EltwiseStep,
    Graph,
    apply_steps,
    binary_function,
    unary_step,
)

X = np.linspace(-3.2, 3.1, 24, dtype=np.float32).reshape(2, 3, 4)
POS = np.linspace(0.1, 4.0, 24, dtype=np.float32).reshape(2, 3, 4)


def _c(v: float) -> ov.Node:
    return ops.constant(np.float32(v))


# (factory of the op on x, expected function, alpha, beta, input values)
UNARY_CASES: list[tuple[Callable, str, float, float, np.ndarray]] = [
    (ops.relu, "relu", 0, 0, X), (ops.sigmoid, "sigmoid", 0, 0, X),
    (ops.tanh, "tanh", 0, 0, X), (ops.hswish, "hswish", 0, 0, X),
    (ops.hsigmoid, "hsigmoid", 0, 0, X), (ops.exp, "exp", 0, 0, X),
    (ops.log, "log", 0, 0, POS), (ops.abs, "abs", 0, 0, X),
    (ops.negative, "negative", 0, 0, X), (ops.sqrt, "sqrt", 0, 0, POS),
    (ops.softplus, "softplus", 0, 0, X), (ops.mish, "mish", 0, 0, X),
    (ops.erf, "erf", 0, 0, X), (ops.floor, "floor", 0, 0, X),
    (ops.ceiling, "ceiling", 0, 0, X), (ops.sign, "sign", 0, 0, X),
    (ops.sin, "sin", 0, 0, X), (ops.cos, "cos", 0, 0, X), (ops.tan, "tan", 0, 0, X / 3),
    (lambda x: ops.gelu(x, "erf"), "gelu_erf", 0, 0, X),
    (lambda x: ops.gelu(x, "tanh"), "gelu_tanh", 0, 0, X),
    (lambda x: ops.swish(x), "swish", 0, 1.0, X),
    (lambda x: ops.swish(x, _c(0.75)), "swish", 0, 0.75, X),
    (lambda x: ops.elu(x, 0.5), "elu", 0.5, 0, X),
    (lambda x: ops.clamp(x, -1.5, 2.0), "clamp", -1.5, 2.0, X),
    (lambda x: ops.round(x, "half_to_even"), "round_half_to_even", 0, 0, X * 2),
    (lambda x: ops.round(x, "half_away_from_zero"), "round_half_away_from_zero", 0, 0, X * 2),
    (lambda x: ops.hard_sigmoid(x, _c(0.2), _c(0.5)), "hard_sigmoid", 0.2, 0.5, X),
    (lambda x: ops.selu(x, _c(1.67), _c(1.05)), "selu", 1.67, 1.05, X),
    (lambda x: ops.prelu(x, _c(0.1)), "leaky_relu", 0.1, 0, X),
    (lambda x: ops.power(x, _c(2.0)), "square", 0, 0, X),
    (lambda x: ops.power(x, _c(0.5)), "power_scalar", 0.5, 0, POS),
]


@pytest.mark.parametrize("make,function,alpha,beta,values", UNARY_CASES,
                         ids=[f"{c[1]}-{i}" for i, c in enumerate(UNARY_CASES)])
def test_unary_ops_and_their_reference(make: Callable, function: str, alpha: float,
                                       beta: float, values: np.ndarray) -> None:
    x = ops.parameter(list(values.shape), np.float32)
    node = make(x)
    node.set_friendly_name("op")
    g = Graph.from_model(ov.Model([node], [x]))
    op = g.ops[-1]
    step = unary_step(op)
    assert step is not None and step.is_unary
    assert (step.function, step.source, step.source_type) == (function, "op", op.type)
    assert step.alpha == pytest.approx(alpha) and step.beta == pytest.approx(beta)
    expected = op.node.reference(values, *[v.const for v in op.inputs[1:]])
    np.testing.assert_allclose(step.reference(values), expected, rtol=2e-6, atol=2e-6)


BINARY_CASES = [(ops.add, "add"), (ops.subtract, "subtract"), (ops.multiply, "multiply"),
                (ops.divide, "divide"), (ops.maximum, "maximum"), (ops.minimum, "minimum"),
                (ops.power, "power"), (ops.squared_difference, "squared_difference")]


@pytest.mark.parametrize("make,function", BINARY_CASES, ids=[c[1] for c in BINARY_CASES])
def test_binary_ops_and_their_reference(make: Callable, function: str) -> None:
    a = ops.parameter([2, 3, 4], np.float32)
    b = ops.parameter([3, 1], np.float32)
    g = Graph.from_model(ov.Model([make(a, b)], [a, b]))
    op = g.ops[-1]
    assert binary_function(op) == function
    other = np.linspace(0.5, 1.5, 3, dtype=np.float32).reshape(3, 1)
    y = POS
    step = EltwiseStep(function, g.inputs[1])
    np.testing.assert_allclose(step.reference(y, other), op.node.reference(y, other),
                               rtol=1e-6)
    swapped = EltwiseStep(function, g.inputs[1], swap=True)
    np.testing.assert_allclose(swapped.reference(y, other),
                               np.broadcast_to(op.node.reference(other, y), y.shape), rtol=1e-6)


def test_what_is_not_an_f32_elementwise_step() -> None:
    i = ops.parameter([3], np.int32)
    f = ops.parameter([3], np.float32)
    beta = ops.parameter([], np.float32)
    nodes = {"int_relu": ops.relu(i), "int_add": ops.add(i, i), "less": ops.less(f, f),
             "swish_runtime_beta": ops.swish(f, beta), "add": ops.add(f, f)}
    for name, node in nodes.items():
        node.set_friendly_name(name)
    g = Graph.from_model(ov.Model(list(nodes.values()), [i, f, beta]))
    op = {o.name: o for o in g.ops}
    assert unary_step(op["int_relu"]) is None                # integer
    assert binary_function(op["int_add"]) is None            # integer
    assert binary_function(op["less"]) == "less"             # a comparison (boolean)
    assert unary_step(op["swish_runtime_beta"]) is None      # beta is not a constant
    assert unary_step(op["add"]) is None and binary_function(op["add"]) == "add"


def test_steps_check_their_function_names() -> None:
    assert "gelu_erf" in UNARY and "prelu" in BINARY
    with pytest.raises(ValueError, match="'add' is not a unary elementwise function"):
        EltwiseStep("add")
    g = Graph()
    v = g.const(np.ones(3, np.float32))
    with pytest.raises(ValueError, match="'relu' is not a binary elementwise function"):
        EltwiseStep("relu", v)
    with pytest.raises(ValueError, match="needs its operand"):
        EltwiseStep("add", v).reference(np.ones(3, np.float32))


def test_apply_steps_runs_a_chain_with_its_operands_in_order() -> None:
    g = Graph()
    bias = g.const(np.array([1, 2, 3], np.float32))
    scale = g.const(np.array([2], np.float32))
    steps = [EltwiseStep("add", bias), EltwiseStep("relu"),
             EltwiseStep("subtract", scale, swap=True), EltwiseStep("clamp", alpha=-3, beta=0)]
    y = np.array([[-5, 0, 1], [1, -1, -9]], np.float32)
    out = apply_steps(y, steps, [bias.const, scale.const])
    expected = np.clip(2 - np.maximum(y + bias.const, 0), -3, 0)
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.float32
