"""Small models the API checks run, built with the public opset API, with numpy versions
of what they compute so a check knows the right answer without a reference device."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import openvino as ov
import openvino.opset13 as ops

__all__ = ["ModelWithTruth", "add_model", "scalar_model", "two_output_model",
           "stateful_model", "dynamic_model", "bounded_model", "typed_model", "chain_model",
           "string_model", "TYPED_MODEL_TYPES", "NAMING_WAYS", "named_late_model",
           "batched_model", "ordered_outputs_model", "many_outputs_model",
           "pass_through_model", "PASS_THROUGH_TYPES"]


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


def chain_model() -> ModelWithTruth:
    """``x`` f32[1,3,8,8] -> Multiply ``scale`` -> Add ``shift`` -> Relu ``relu`` ->
    ``y``: several named ops any device takes, for profiling and export."""
    rng = np.random.default_rng(7)
    scale = rng.uniform(0.5, 2.0, size=(1, 3, 1, 1)).astype(np.float32)
    shift = rng.uniform(-1.0, 1.0, size=(1, 3, 8, 8)).astype(np.float32)
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")
    x.output(0).set_names({"x"})
    y = ops.relu(ops.add(ops.multiply(x, ops.constant(scale), name="scale"),
                         ops.constant(shift), name="shift"), name="relu")
    y.output(0).set_names({"y"})
    return ModelWithTruth(ov.Model([y], [x], "chain_model"),
                          lambda v: [np.maximum(v * scale + shift, 0).astype(np.float32)])


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
    """``x`` f32[?,4] -> Multiply by a [4] row -> Add a [4] row -> Relu -> ``y`` f32[?,4]."""
    rng = np.random.default_rng(3)
    w = rng.uniform(-1, 1, size=(4,)).astype(np.float32)
    bias = rng.uniform(-1, 1, size=(4,)).astype(np.float32)
    x = ops.parameter(ov.PartialShape([-1, 4]), np.float32, name="x")
    x.output(0).set_names({"x"})
    y = ops.relu(ops.add(ops.multiply(x, ops.constant(w)), ops.constant(bias)))
    y.output(0).set_names({"y"})
    return ModelWithTruth(ov.Model([y], [x], "dynamic_batch"),
                          lambda v: [np.maximum(v * w + bias, 0).astype(np.float32)])


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


#: How ``named_late_model`` names its ports: on the tensors before the Model is made,
#: through the Model's ports after, or on the nodes' outputs after the Model was made.
NAMING_WAYS = ("tensor_before_model", "model_ports_after", "node_outputs_after")


def named_late_model(way: str) -> tuple[ModelWithTruth, ov.Node]:
    """``x`` f32[2,3] -> Relu -> Negative, input named ``data`` and output ``out`` in one
    of ``NAMING_WAYS``; also returns the Parameter (its port is the user's key)."""
    x = ops.parameter([2, 3], np.float32, name="x")
    y = ops.negative(ops.relu(x, name="relu"), name="neg")
    if way == "tensor_before_model":
        x.output(0).get_tensor().set_names({"data"})
        y.output(0).get_tensor().set_names({"out"})
        model = ov.Model([y], [x], "named_late")
    elif way == "model_ports_after":
        model = ov.Model([y], [x], "named_late")
        model.input(0).get_tensor().set_names({"data"})
        model.output(0).get_tensor().set_names({"out"})
    else:
        model = ov.Model([y], [x], "named_late")
        x.output(0).set_names({"data"})
        y.output(0).set_names({"out"})
    return ModelWithTruth(model, lambda v: [(-np.maximum(v, 0)).astype(np.float32)]), x


def batched_model(batch: int = 4) -> ModelWithTruth:
    """``x`` f32[batch,3,2,2] with layout ``N...`` -> Multiply by 2 -> Add 1 -> ``y``:
    an input whose batch may be set one item per tensor."""
    x = ops.parameter([batch, 3, 2, 2], np.float32, name="x")
    x.output(0).set_names({"x"})
    x.set_layout(ov.Layout("N..."))
    y = ops.add(ops.multiply(x, ops.constant(np.float32(2.0))), ops.constant(np.float32(1.0)))
    y.output(0).set_names({"y"})
    return ModelWithTruth(ov.Model([y], [x], "batched"),
                          lambda v: [(v * 2 + 1).astype(np.float32)])


def ordered_outputs_model() -> ModelWithTruth:
    """One input ``x`` f32[5]; six outputs whose order is neither the order their producers
    were made in nor the order they run in: ``x3`` = 5x, ``x0`` = 2x, ``x`` itself (a
    Parameter straight to a Result), ``x4`` = 6x, ``x1`` = 3x, ``x2`` = 4x."""
    x = ops.parameter([5], np.float32, name="x")
    x.output(0).set_names({"x"})
    scaled = []
    for k in range(5):
        node = ops.multiply(x, ops.constant(np.float32(k + 2)), name=f"times{k + 2}")
        node.output(0).set_names({f"x{k}"})
        scaled.append(node)
    order = [scaled[3], scaled[0], x, scaled[4], scaled[1], scaled[2]]
    factors = [5, 2, 1, 6, 3, 4]
    return ModelWithTruth(ov.Model([ops.result(n) for n in order], [x], "ordered_outputs"),
                          lambda v: [(f * v).astype(np.float32) for f in factors])


def many_outputs_model(count: int = 12) -> ModelWithTruth:
    """One input ``x`` f32[3]; ``count`` outputs ``m1`` .. ``m<count>``, ``m<k>`` = x + k."""
    x = ops.parameter([3], np.float32, name="x")
    x.output(0).set_names({"x"})
    outs = []
    for k in range(1, count + 1):
        node = ops.add(x, ops.constant(np.float32(k)), name=f"plus{k}")
        node.output(0).set_names({f"m{k}"})
        outs.append(node)
    return ModelWithTruth(ov.Model(outs, [x], "many_outputs"),
                          lambda v: [(v + k).astype(np.float32) for k in range(1, count + 1)])


#: The element types ``pass_through_model`` passes from a Parameter straight to a Result.
PASS_THROUGH_TYPES = ("f32", "f16", "f64", "i8", "i64", "u8", "boolean")


def pass_through_model() -> ModelWithTruth:
    """Inputs ``p_<type>`` [2, 3] of each of ``PASS_THROUGH_TYPES``; output 0 is
    ``sum`` = p_f32 + p_f32, then each input again, unchanged (output ``p_<type>``)."""
    params = []
    for name in PASS_THROUGH_TYPES:
        p = ops.parameter([2, 3], ov.Type(name), name=f"p_{name}")
        p.output(0).set_names({f"p_{name}"})
        params.append(p)
    total = ops.add(params[0], params[0], name="sum")
    total.output(0).set_names({"sum"})
    results = [ops.result(total)] + [ops.result(p) for p in params]
    return ModelWithTruth(ov.Model(results, params, "pass_through"),
                          lambda *v: [np.asarray(v[0] + v[0], np.float32)] + list(v))
