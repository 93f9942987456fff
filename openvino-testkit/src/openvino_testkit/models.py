"""Small models the API checks run, built with the public opset API, with numpy versions
of what they compute so a check knows the right answer without a reference device."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import openvino as ov
import openvino.opset13 as ops

__all__ = ["ModelWithTruth", "add_model", "scalar_model", "two_output_model",
           "stateful_model", "dynamic_model", "bounded_model", "typed_model", "conv_model",
           "string_model", "TYPED_MODEL_TYPES"]


@dataclass
class ModelWithTruth:
    """A model and ``truth(*inputs) -> list of outputs`` in numpy."""

    model: ov.Model
    truth: Callable[..., list[np.ndarray]]


def add_model() -> ModelWithTruth:
    """``y = a + b`` on two f32[8] inputs named ``a`` and ``b``: the seed's model."""
    a = ops.parameter([8], np.float32, name="a")
    b = ops.parameter([8], np.float32, name="b")
    a.output(0).set_names({"a"})
    b.output(0).set_names({"b"})
    add = ops.add(a, b, name="add")
    add.output(0).set_names({"y"})
    model = ov.Model([add], [a, b], "add_model")
    return ModelWithTruth(model, lambda x, y: [(x + y).astype(np.float32)])


def scalar_model() -> ModelWithTruth:
    """``y = 2 * x`` on one f32 scalar input ``x``."""
    x = ops.parameter([], np.float32, name="x")
    x.output(0).set_names({"x"})
    y = ops.multiply(x, ops.constant(np.float32(2.0)), name="double")
    y.output(0).set_names({"y"})
    return ModelWithTruth(ov.Model([y], [x], "scalar_model"),
                          lambda v: [np.asarray(2.0 * np.asarray(v), dtype=np.float32)])


def two_output_model() -> ModelWithTruth:
    """One input ``x`` f32[2,3]; outputs ``relu`` = max(x, 0) and ``neg`` = -x."""
    x = ops.parameter([2, 3], np.float32, name="x")
    x.output(0).set_names({"x"})
    relu = ops.relu(x, name="relu")
    relu.output(0).set_names({"relu"})
    neg = ops.negative(x, name="neg")
    neg.output(0).set_names({"neg"})
    return ModelWithTruth(ov.Model([relu, neg], [x], "two_outputs"),
                          lambda v: [np.maximum(v, 0).astype(np.float32),
                                     (-v).astype(np.float32)])


def conv_model() -> ModelWithTruth:
    """``x`` f32[1,3,8,8] -> Convolution (4 filters 3x3) -> Relu -> Softmax(axis 1):
    several ops, for profiling and export."""
    rng = np.random.default_rng(7)
    weights = rng.uniform(-1, 1, size=(4, 3, 3, 3)).astype(np.float32)
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")
    x.output(0).set_names({"x"})
    conv = ops.convolution(x, ops.constant(weights), [1, 1], [1, 1], [1, 1], [1, 1],
                           name="conv")
    relu = ops.relu(conv, name="relu")
    soft = ops.softmax(relu, 1, name="softmax")
    soft.output(0).set_names({"probs"})

    def truth(v: np.ndarray) -> list[np.ndarray]:
        padded = np.pad(v.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
        out = np.zeros((1, 4, 8, 8))
        for i in range(8):
            for j in range(8):
                patch = padded[0, :, i:i + 3, j:j + 3]
                out[0, :, i, j] = np.tensordot(weights, patch, axes=([1, 2, 3], [0, 1, 2]))
        out = np.maximum(out, 0)
        e = np.exp(out - out.max(axis=1, keepdims=True))
        return [(e / e.sum(axis=1, keepdims=True)).astype(np.float32)]

    return ModelWithTruth(ov.Model([soft], [x], "conv_model"), truth)


def stateful_model() -> ModelWithTruth:
    """Variable ``acc`` (f32[1,4], initially zeros): ``acc += x``; output ``sum`` = acc.
    ``truth`` is for one call from the initial state."""
    x = ops.parameter([1, 4], np.float32, name="x")
    x.output(0).set_names({"x"})
    init = ops.constant(np.zeros((1, 4), np.float32))
    read = ov.opset6.read_value(init, "acc", ov.Type.f32, [1, 4])
    add = ops.add(read, x, name="accumulate")
    add.output(0).set_names({"sum"})
    assign = ov.opset6.assign(add, "acc")
    result = ops.result(add)
    model = ov.Model(results=[result], sinks=[assign], parameters=[x], name="stateful")
    return ModelWithTruth(model, lambda v: [np.asarray(v, dtype=np.float32)])


def dynamic_model() -> ModelWithTruth:
    """``x`` f32[?,4] -> MatMul with a 4x3 matrix -> Add bias -> Relu -> ``y`` f32[?,3]."""
    rng = np.random.default_rng(3)
    w = rng.uniform(-1, 1, size=(4, 3)).astype(np.float32)
    bias = rng.uniform(-1, 1, size=(3,)).astype(np.float32)
    x = ops.parameter(ov.PartialShape([-1, 4]), np.float32, name="x")
    x.output(0).set_names({"x"})
    y = ops.relu(ops.add(ops.matmul(x, ops.constant(w), False, False), ops.constant(bias)))
    y.output(0).set_names({"y"})
    return ModelWithTruth(
        ov.Model([y], [x], "dynamic_batch"),
        lambda v: [np.maximum(v.astype(np.float64) @ w + bias, 0).astype(np.float32)])


def bounded_model() -> ModelWithTruth:
    """``x`` f32[1..4, 2] -> Abs: a dimension with bounds."""
    x = ops.parameter(ov.PartialShape([ov.Dimension(1, 4), 2]), np.float32, name="x")
    x.output(0).set_names({"x"})
    y = ops.absolute(x)
    y.output(0).set_names({"y"})
    return ModelWithTruth(ov.Model([y], [x], "bounded"), lambda v: [np.abs(v)])


_TYPED: dict[str, tuple[ov.Type, Callable[..., object]]] = {
    "f32": (ov.Type.f32, lambda x: ops.add(x, x)),
    "f16": (ov.Type.f16, lambda x: ops.add(x, x)),
    "i32": (ov.Type.i32, lambda x: ops.add(x, x)),
    "i64": (ov.Type.i64, lambda x: ops.add(x, x)),
    "u8": (ov.Type.u8, lambda x: ops.add(x, x)),
    "boolean": (ov.Type.boolean, lambda x: ops.logical_not(x)),
}


def typed_model(type_name: str) -> ModelWithTruth:
    """One input and one output of element type ``type_name`` (f32, f16, i32, i64, u8:
    ``x + x``; boolean: ``not x``) of shape [2, 5]."""
    et, make = _TYPED[type_name]
    x = ops.parameter([2, 5], et, name="x")
    x.output(0).set_names({"x"})
    y = make(x)
    y.output(0).set_names({"y"})
    dtype = et.to_dtype()
    if type_name == "boolean":
        return ModelWithTruth(ov.Model([y], [x], f"typed_{type_name}"),
                              lambda v: [np.logical_not(v)])
    return ModelWithTruth(ov.Model([y], [x], f"typed_{type_name}"),
                          lambda v: [(v + v).astype(dtype)])


TYPED_MODEL_TYPES = tuple(_TYPED)


def string_model() -> ModelWithTruth:
    """A string input ``text`` [3] passed straight to the output ``same``."""
    x = ops.parameter([3], ov.Type.string, name="text")
    x.output(0).set_names({"text"})
    result = ops.result(x)
    result.output(0).set_names({"same"})
    return ModelWithTruth(ov.Model([result], [x], "strings"), lambda v: [np.asarray(v)])
