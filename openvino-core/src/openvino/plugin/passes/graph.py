"""The static-shape graph the passes work on: a model with every shape known, in a form
the passes can rewrite freely without touching the user's ``openvino.Model``.

``Graph.from_model(model)`` takes a model whose shapes are all static;
``Graph.from_model(model, input_shapes)`` first specialises a model with dynamic inputs
to one set of input shapes (``static_model``), which is how a device compiles one plan
per shape it is run with. Each ``Op`` keeps the ``openvino`` node it came from: its
attributes (``op.attr``), and its ``reference`` for ops a device runs on the host.

What the passes record on an op, for the device's lowering to read:

* ``op.post_ops``: elementwise steps fused after the op (``fusion``);
* ``op.weight_scale``: a per-output-channel factor to multiply the filters by (``fusion``);
* ``op.compressed_weights``: the MatMul's weights kept compressed (``decompression``);
* ``op.fused`` / ``op.fused_types``: friendly names and types of the ops it absorbed.

``op.info`` is free for the device's own notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from openvino import Model, Type
from openvino import Op as CustomOp

if TYPE_CHECKING:
    from .decompression import CompressedWeight
    from .eltwise import EltwiseStep

__all__ = ["Graph", "Op", "Value", "NotStatic", "static_model", "shared_clone"]


class NotStatic(Exception):
    """The model has a value whose shape or element type is only known at run time, or a
    string tensor (which has no fixed-size element to keep in the arena)."""


class Value:
    """A tensor of the graph: element type, static shape, and the constant's data when it
    is one (evaluation form: the numpy array reference ops compute with)."""

    __slots__ = ("id", "type", "shape", "const", "producer", "consumers", "names", "param",
                 "is_output")

    def __init__(self, vid: int, et: Type, shape: tuple[int, ...],
                 const: np.ndarray | None = None) -> None:
        self.id = vid
        self.type = et
        self.shape = tuple(int(d) for d in shape)
        self.const = const
        self.producer: Op | None = None
        self.consumers: list[Op] = []
        self.names: set[str] = set()
        self.param: int | None = None   # index of the model input it is
        self.is_output = False          # read by a Result of the model

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n

    @property
    def dtype(self) -> np.dtype:
        """Numpy dtype of the value in the arena (its evaluation form)."""
        return self.type.evaluation_dtype

    @property
    def nbytes(self) -> int:
        return self.size * self.dtype.itemsize

    @property
    def is_const(self) -> bool:
        return self.const is not None

    def __repr__(self) -> str:
        kind = "const " if self.is_const else ""
        return f"<Value {self.id} {kind}{self.type.get_type_name()}{list(self.shape)}>"


class Op:
    """One operation: ``type`` (the ``openvino`` type name; a Python custom op is
    ``"Reference"``), ``node`` (the ``openvino`` node, None for an op a pass made),
    inputs and outputs, ``name`` (the node's friendly name), what the passes recorded
    (see the module docstring) and ``info`` for the device's own notes."""

    __slots__ = ("type", "node", "inputs", "outputs", "name", "fused", "fused_types",
                 "post_ops", "weight_scale", "compressed_weights", "info")

    def __init__(self, op_type: str, node: Any, inputs: list[Value], outputs: list[Value],
                 name: str) -> None:
        self.type = op_type
        self.node = node
        self.inputs = inputs
        self.outputs = outputs
        self.name = name
        self.fused: list[str] = []
        self.fused_types: dict[str, str] = {}
        self.post_ops: list[EltwiseStep] = []
        self.weight_scale: np.ndarray | None = None
        self.compressed_weights: CompressedWeight | None = None
        self.info: dict[str, Any] = {}

    def absorb(self, name: str, op_type: str) -> None:
        """Record that the op now also computes the op ``name`` of type ``op_type``."""
        self.fused.append(name)
        self.fused_types[name] = op_type

    def attr(self, key: str, default: Any = None) -> Any:
        """An attribute of the original node."""
        if self.node is None:
            return default
        return self.node._attrs.get(key, default)

    def __repr__(self) -> str:
        return f"<Op {self.type} '{self.name}'>"


class Graph:
    """Ops in execution order over values; ``inputs``/``outputs`` are the model's."""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.inputs: list[Value] = []
        self.outputs: list[Value] = []
        self.output_names: list[str] = []
        self._next = 0

    def new_value(self, et: Type, shape: tuple[int, ...], const: np.ndarray | None = None
                  ) -> Value:
        v = Value(self._next, et, shape, const)
        self._next += 1
        return v

    def const(self, array: np.ndarray, et: Type | None = None) -> Value:
        """A new constant value holding ``array``."""
        array = np.asarray(array)
        if et is None:
            et = Type(array.dtype)
        return self.new_value(et, array.shape, array)

    # --- construction ----------------------------------------------------------------------
    @classmethod
    def from_model(cls, model: Model,
                   input_shapes: Sequence[Sequence[int]] | None = None) -> Graph:
        """The graph of ``model`` (first specialised to ``input_shapes``, one per model
        input, when given); ``NotStatic`` when a shape or type is not static."""
        if input_shapes is not None:
            model = static_model(model, input_shapes)
        elif not isinstance(model, Model):
            raise TypeError(f"Graph.from_model takes an openvino.Model, got "
                            f"{type(model).__name__}")
        g = cls()
        out_of: dict[tuple[int, int], Value] = {}
        for i, p in enumerate(model.get_parameters()):
            v = g._value_of(p, 0)
            v.param = i
            g.inputs.append(v)
            out_of[(id(p), 0)] = v
        for node in model.get_ordered_ops():
            # a Python custom op runs its evaluate whatever its type is called (a "Relu" of
            # its own is not OpenVINO's), as the real CPU plugin's Reference node does
            tn = "Reference" if isinstance(node, CustomOp) else node.get_type_name()
            if tn == "Parameter":
                continue
            if tn == "Result":  # a Result feeding other ops passes its input through
                src = node._inputs[0]
                out_of[(id(node), 0)] = out_of[(id(src._node), src._index)]
                continue
            if tn == "Constant":
                v = g._value_of(node, 0)
                v.const = node.get_evaluation_data()
                out_of[(id(node), 0)] = v
                continue
            ins = [out_of[(id(s._node), s._index)] for s in node._inputs]
            outs = [g._value_of(node, i) for i in range(len(node._outputs))]
            for i, v in enumerate(outs):
                out_of[(id(node), i)] = v
            g.add_op(Op(tn, node, ins, outs, node.get_friendly_name()))
        for r in model.get_results():
            src = r._inputs[0]
            v = out_of[(id(src._node), src._index)]
            v.is_output = True
            g.outputs.append(v)
            g.output_names.append(r.get_friendly_name())
        return g

    def _value_of(self, node: Any, index: int) -> Value:
        desc = node._outputs[index]
        et, ps = desc.element_type, desc.partial_shape
        if et.is_dynamic() or ps.is_dynamic or et == Type.string:
            raise NotStatic(f"{node.get_type_name()} '{node.get_friendly_name()}' output "
                            f"{index} is {et.get_type_name()}{ps}")
        v = self.new_value(et, tuple(ps.to_shape()))
        v.names = set(desc.names)
        return v

    # --- editing ------------------------------------------------------------------------------
    def add_op(self, op: Op, index: int | None = None) -> Op:
        for v in op.inputs:
            v.consumers.append(op)
        for v in op.outputs:
            v.producer = op
        if index is None:
            self.ops.append(op)
        else:
            self.ops.insert(index, op)
        return op

    def remove_op(self, op: Op) -> None:
        """Drop ``op`` (its outputs must be unused or already rewired)."""
        for v in op.inputs:
            if op in v.consumers:
                v.consumers.remove(op)
        self.ops.remove(op)

    def replace_input(self, op: Op, index: int, value: Value) -> None:
        old = op.inputs[index]
        if op in old.consumers:
            old.consumers.remove(op)
        op.inputs[index] = value
        value.consumers.append(op)

    def is_output(self, value: Value) -> bool:
        return any(v is value for v in self.outputs)

    def remove_dead(self) -> None:
        """Drop ops none of whose outputs is used (ops with side effects stay)."""
        changed = True
        while changed:
            changed = False
            for op in reversed(list(self.ops)):
                if op.node is not None and getattr(op.node, "needs_state", False):
                    continue
                if any(v.consumers or self.is_output(v) for v in op.outputs):
                    continue
                self.remove_op(op)
                changed = True


def static_model(model: Model, input_shapes: Sequence[Sequence[int]]) -> Model:
    """``model`` specialised to one static shape per input: the model itself when its
    inputs already have those shapes, else a reshaped clone (the user's model is not
    touched). Raises what ``Model.reshape`` raises for shapes the model does not accept.
    The clone is a ``shared_clone``: its constants hold the same arrays as every other
    clone's (which ``ConstantCache`` recognises)."""
    if not isinstance(model, Model):
        raise TypeError(f"static_model takes an openvino.Model, got {type(model).__name__}")
    params = model.get_parameters()
    shapes = [tuple(int(d) for d in s) for s in input_shapes]
    if any(d < 0 for s in shapes for d in s):
        raise ValueError(f"input shapes must be static (no negative dimension): "
                         f"{[list(s) for s in shapes]}")
    if len(shapes) != len(params):
        raise ValueError(f"{len(shapes)} input shapes given for a model with "
                         f"{len(params)} inputs")
    if all(p.get_partial_shape().is_static
           and tuple(p.get_partial_shape().to_shape()) == s for p, s in zip(params, shapes)):
        return model
    clone = shared_clone(model)
    clone.reshape({i: list(s) for i, s in enumerate(shapes)})
    return clone


def shared_clone(model: Model) -> Model:
    """``model.clone()`` whose Constants hold the very arrays ``model``'s do in evaluation
    form (``get_evaluation_data``, decoded once, in ``model``): what a ``ConstantCache``
    derived from one clone's weights is found again from any other."""
    for node in model.get_ordered_ops():
        if node.get_type_name() == "Constant" and node.get_element_type() != Type.string:
            node.get_evaluation_data()
    return model.clone()
