"""``NodeContext``: what a mapping function sees of one ONNX node (its inputs as our
``Output``s, its attributes as Python values, the opset) and the helpers it builds ops with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _op_registry
from .._node import Node, Output, as_output
from .._ops._infer import constant_value
from .._shape import PartialShape
from .._type import Type
from .types import array_of_tensor, constant_of_array

__all__ = ["NodeContext", "MappingError", "op_class"]

_MISSING: Any = object()


class MappingError(RuntimeError):
    """A node could not be mapped; the reader prefixes the node's name and type."""


def _version_number(version: str) -> int:
    digits = "".join(ch for ch in version if ch.isdigit())
    return int(digits) if digits else 0


def op_class(type_name: str, version: int | None = None) -> Any:
    """Our op class ``type_name`` of IR version ``opset<version>`` (the newest registered one
    when ``version`` is None); raises ``MappingError`` when it is not available."""
    from .. import _ops  # noqa: F401  (registers every op class)

    versions = _op_registry.versions_of(type_name)
    if version is not None:
        cls = _op_registry.OP_CLASSES.get((type_name, f"opset{version}"))
        if cls is None:
            raise MappingError(f"OpenVINO op {type_name}-{version} is not available "
                               f"(registered versions: {versions or 'none'})")
        return cls
    if not versions:
        raise MappingError(f"OpenVINO op {type_name} is not available")
    newest = max(versions, key=_version_number)
    return _op_registry.OP_CLASSES[(type_name, newest)]


def has_op(type_name: str, version: int | None = None) -> bool:
    """Whether our op ``type_name`` (of IR version ``opset<version>``) is registered."""
    try:
        op_class(type_name, version)
    except MappingError:
        return False
    return True


class NodeContext:
    """One ONNX node being mapped."""

    def __init__(self, node: Any, inputs: Sequence[Output | None], opset: int,
                 attributes: dict[str, Any], builder: Any,
                 opsets: dict[str, int] | None = None,
                 env: dict[str, Output] | None = None) -> None:
        self.proto = node
        self.op_type: str = node.op_type
        self.domain: str = node.domain
        self.name: str = node.name or (node.output[0] if len(node.output) else node.op_type)
        self._inputs = list(inputs)
        self.opset = opset
        self.attrs = attributes
        self.builder = builder
        self.num_outputs = len(node.output)
        self.opsets = opsets or {}
        #: the values visible to the node (its subgraphs may read them)
        self.env = env if env is not None else {}

    # --- inputs ---------------------------------------------------------------------------
    @property
    def num_inputs(self) -> int:
        return len(self._inputs)

    def has_input(self, i: int) -> bool:
        """Whether input ``i`` is given (not past the end, not an empty name)."""
        return i < len(self._inputs) and self._inputs[i] is not None

    def input(self, i: int) -> Output:
        """Input ``i``; fails when it is absent."""
        if not self.has_input(i):
            raise MappingError(f"input {i} is required")
        return self._inputs[i]  # type: ignore[return-value]

    def opt(self, i: int) -> Output | None:
        """Input ``i`` or ``None`` when it is absent."""
        return self._inputs[i] if self.has_input(i) else None

    def inputs(self) -> list[Output]:
        """Every given input (absent optional inputs skipped)."""
        return [x for x in self._inputs if x is not None]

    def value(self, i: int) -> np.ndarray | None:
        """The value of input ``i`` when it is computable from constants, else ``None``."""
        if not self.has_input(i):
            return None
        return constant_value(self._inputs[i])

    @staticmethod
    def value_of(x: Output) -> np.ndarray | None:
        """The value of ``x`` when it is computable from constants, else ``None``."""
        return constant_value(x)

    def output_wanted(self, i: int) -> bool:
        """Whether the node names its output ``i`` (ONNX leaves unused optional outputs
        empty)."""
        return i < len(self.proto.output) and bool(self.proto.output[i])

    # --- attributes -----------------------------------------------------------------------
    def attr(self, name: str, default: Any = _MISSING) -> Any:
        """Attribute ``name`` (strings decoded, tensors as evaluation-form arrays)."""
        if name in self.attrs:
            return self.attrs[name]
        if default is _MISSING:
            raise MappingError(f"attribute '{name}' is required")
        return default

    def has_attr(self, name: str) -> bool:
        return name in self.attrs

    # --- building -------------------------------------------------------------------------
    def make(self, type_name: str, *inputs: Any, version: int | None = None,
             **attrs: Any) -> Node:
        """Our op ``type_name`` over ``inputs`` with IR-named ``attrs``."""
        cls = op_class(type_name, version)
        specs = cls.attributes
        by_ir = {(spec.ir_name or key): key for key, spec in specs.items()}
        kwargs = {}
        for key, value in attrs.items():
            kwargs[key if key in specs else by_ir.get(key, key)] = value
        return cls(*[as_output(x) for x in inputs], **kwargs)

    def const(self, value: Any, element_type: Type | str | None = None) -> Output:
        """A constant; Python ints default to i64 and floats to f32."""
        arr = np.asarray(value)
        if element_type is None:
            if arr.dtype == np.float64:
                element_type = Type.f32
            elif arr.dtype.kind in "iu" and arr.dtype.itemsize == 8 or arr.dtype == np.int_:
                element_type = Type.i64
            else:
                element_type = Type(arr.dtype)
        et = element_type if isinstance(element_type, Type) else Type(element_type)
        return constant_of_array(arr.astype(et.evaluation_dtype), et).output(0)

    def const_like(self, value: Any, like: Output) -> Output:
        """A constant of ``like``'s element type."""
        et = like.get_element_type()
        if et.is_dynamic():
            et = Type.f32
        return self.const(value, et)

    def tensor_const(self, tensor: Any) -> Output:
        """A constant from a ``TensorProto``."""
        arr, et = array_of_tensor(tensor, f"ONNX node '{self.name}'")
        return constant_of_array(arr, et).output(0)

    def fail(self, message: str) -> None:
        raise MappingError(message)

    def expand(self) -> list[Output | None]:
        """The node mapped through the function body the onnx package defines for it."""
        from .functions import expand_function, schema_function

        body = schema_function(self.proto, self._inputs, self.opset)
        if body is None:
            raise MappingError(f"{self.op_type} has no ONNX function body to expand")
        return expand_function(self.builder, self.proto, body, self._inputs, self.opsets)

    # --- shapes ---------------------------------------------------------------------------
    @staticmethod
    def shape(x: Output) -> PartialShape:
        return x.get_partial_shape()

    @staticmethod
    def rank(x: Output) -> int | None:
        """The static rank of ``x`` or ``None``."""
        ps = x.get_partial_shape()
        return None if ps.rank.is_dynamic else ps.rank.get_length()

    def need_rank(self, x: Output, what: str = "input") -> int:
        r = self.rank(x)
        if r is None:
            raise MappingError(f"the rank of {what} must be known")
        return r

    @staticmethod
    def static_shape(x: Output) -> list[int] | None:
        ps = x.get_partial_shape()
        if not ps.is_static:
            return None
        return [d.get_length() for d in ps]


# --- small graph builders shared by the mappings -------------------------------------------

def shape_of(ctx: NodeContext, x: Output, et: Type = Type.i64) -> Output:
    """``ShapeOf(x)`` as a 1-D tensor of ``et``."""
    return ctx.make("ShapeOf", x, output_type=et).output(0)


def convert(ctx: NodeContext, x: Output, et: Type) -> Output:
    """``x`` converted to ``et`` (``x`` itself when it already is)."""
    if x.get_element_type() == et:
        return x
    return ctx.make("Convert", x, destination_type=et).output(0)


def unsqueeze(ctx: NodeContext, x: Output, axes: Any) -> Output:
    return ctx.make("Unsqueeze", x, ctx.const(np.asarray(axes, np.int64))).output(0)


def squeeze(ctx: NodeContext, x: Output, axes: Any = None) -> Output:
    if axes is None:
        return ctx.make("Squeeze", x).output(0)
    return ctx.make("Squeeze", x, ctx.const(np.asarray(axes, np.int64))).output(0)


def all_axes(ctx: NodeContext, x: Output) -> Output:
    """``[0, 1, ..., rank(x) - 1]`` as an i64 tensor (a constant when the rank is known)."""
    r = ctx.rank(x)
    if r is not None:
        return ctx.const(np.arange(r, dtype=np.int64))
    rank = ctx.make("ShapeOf", shape_of(ctx, x), output_type=Type.i64).output(0)
    rank = squeeze(ctx, rank, [0])
    return ctx.make("Range", ctx.const(np.int64(0)), rank, ctx.const(np.int64(1)),
                    output_type=Type.i64).output(0)


def dim(ctx: NodeContext, x: Output, axis: int) -> Output:
    """Dimension ``axis`` of ``x`` as an i64 scalar (a constant when it is static)."""
    ps = x.get_partial_shape()
    if ps.rank.is_static:
        a = axis + ps.rank.get_length() if axis < 0 else axis
        if 0 <= a < ps.rank.get_length() and ps[a].is_static:
            return ctx.const(np.int64(ps[a].get_length()))
    return ctx.make("Gather", shape_of(ctx, x), ctx.const(np.int64(axis)),
                    ctx.const(np.int64(0))).output(0)


def flatten_2d(ctx: NodeContext, x: Output, axis: int) -> Output:
    """``x`` reshaped to ``[prod(shape[:axis]), prod(shape[axis:])]``."""
    shape = ctx.static_shape(x)
    if shape is not None:
        a = axis + len(shape) if axis < 0 else axis
        target = [int(np.prod(shape[:a], dtype=np.int64)),
                  int(np.prod(shape[a:], dtype=np.int64))]
        return ctx.make("Reshape", x, ctx.const(np.asarray(target, np.int64)),
                        special_zero=False).output(0)
    s = shape_of(ctx, x)
    r = ctx.rank(x)
    if r is not None and axis < 0:
        axis += r
    if axis == 0:
        head = ctx.const(np.array([1], np.int64))
    else:
        part = ctx.make("Slice", s, ctx.const(np.array([0], np.int64)),
                        ctx.const(np.array([axis], np.int64)),
                        ctx.const(np.array([1], np.int64))).output(0)
        head = ctx.make("ReduceProd", part, ctx.const(np.array([0], np.int64)),
                        keep_dims=True).output(0)
    tail = ctx.make("Slice", s, ctx.const(np.array([axis], np.int64)),
                    ctx.const(np.array([np.iinfo(np.int64).max], np.int64)),
                    ctx.const(np.array([1], np.int64))).output(0)
    tail = ctx.make("ReduceProd", tail, ctx.const(np.array([0], np.int64)),
                    keep_dims=True).output(0)
    target = ctx.make("Concat", head, tail, axis=0).output(0)
    return ctx.make("Reshape", x, target, special_zero=False).output(0)

