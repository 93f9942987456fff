"""The graph's building blocks: ``Node``, its ports (``Output``, ``ConstOutput``,
``Input``) and the ``DescriptorTensor`` each output carries (names, type, shape).

Every op is a subclass of ``Node`` that declares, in one place:

* ``type_name`` and ``version`` (as the IR writes them, e.g. ``"Gather"``, ``"opset8"``),
  optionally ``ir_type_name`` when the IR spells the type differently (``"ReLU"``);
* ``attributes``: ``{name: Attr}`` (see ``_attributes``);
* ``validate_and_infer_types()``: checks inputs and sets each output's type and shape
  with ``self.set_output_type(i, element_type, partial_shape)``;
* ``reference(*inputs)``: the op's semantics over numpy arrays in evaluation form
  (see ``Type.evaluation_dtype``); returns one array, or a tuple for several outputs.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from . import _op_registry
from ._attributes import REQUIRED, Attr
from ._discrete_type_info import DiscreteTypeInfo
from ._rt_info import RTMap
from ._shape import PartialShape, Shape
from ._type import Type

__all__ = ["Node", "Output", "ConstOutput", "Input", "DescriptorTensor", "as_output",
           "as_outputs", "parse_ir_attributes"]

_ids = itertools.count(1)
_weak = weakref.ref
_MISSING = object()


class DescriptorTensor:
    """What an output port carries besides its producer: element type, partial shape,
    tensor names, rt_info and optional value bounds/symbols."""

    # rt_info is rarely used: its slot stays empty until first read (see ``rt_info``).
    # Consumers are held weakly, as OpenVINO's nodes hold theirs: a node owns its inputs'
    # producers, not the other way round, so a graph has no reference cycles and is freed
    # as soon as the last reference to it goes (not by the cyclic garbage collector).
    __slots__ = ("element_type", "partial_shape", "names", "_consumers", "lower", "upper",
                 "value_symbols", "_rt_info")

    def __init__(self, element_type: Type = Type.dynamic,
                 partial_shape: PartialShape | None = None) -> None:
        self.element_type = element_type
        self.partial_shape = partial_shape if partial_shape is not None else PartialShape.dynamic()
        self.names: set[str] = set()
        self._consumers: list[tuple[weakref.ref, int]] = []
        self.lower = None
        self.upper = None
        self.value_symbols = None

    @property
    def consumers(self) -> list[tuple[Node, int]]:
        """``(node, input index)`` of each live input this output feeds."""
        return [(node, index) for ref, index in self._consumers if (node := ref()) is not None]

    @consumers.setter
    def consumers(self, value: Iterable[tuple[Node, int]]) -> None:
        self._consumers = [(weakref.ref(node), index) for node, index in value]

    def add_consumer(self, node: Node, index: int) -> None:
        self._consumers.append((weakref.ref(node), index))

    @property
    def rt_info(self) -> RTMap:
        """The tensor's rt_info, made on first use."""
        try:
            return self._rt_info
        except AttributeError:
            rt = self._rt_info = RTMap()
            return rt

    @rt_info.setter
    def rt_info(self, value: RTMap) -> None:
        self._rt_info = value

    # public API of the descriptor tensor
    def get_names(self) -> set[str]:
        return set(self.names)

    def set_names(self, names: Iterable[str]) -> None:
        self.names = set(names)

    def add_names(self, names: Iterable[str]) -> None:
        self.names |= set(names)

    def get_any_name(self) -> str:
        if not self.names:
            raise RuntimeError("Attempt to get a name for a Tensor without names")
        return sorted(self.names)[0]

    any_name = property(get_any_name)

    def get_element_type(self) -> Type:
        return self.element_type

    def get_partial_shape(self) -> PartialShape:
        return self.partial_shape

    def get_shape(self) -> Shape:
        return self.partial_shape.to_shape()

    shape = property(get_shape)

    @property
    def size(self) -> int:
        from ._encoding import packed_byte_size

        n = 1
        for d in self.get_shape():
            n *= d
        return packed_byte_size(self.element_type, n)

    def get_size(self) -> int:
        return self.size

    def get_rt_info(self) -> RTMap:
        return self.rt_info

    def set_lower_value(self, tensor: Any) -> None:
        self.lower = tensor

    def set_upper_value(self, tensor: Any) -> None:
        self.upper = tensor

    def get_lower_value(self) -> Any:
        return self.lower

    def get_upper_value(self) -> Any:
        return self.upper

    def __repr__(self) -> str:
        return (f"<DescriptorTensor: names[{', '.join(sorted(self.names))}] "
                f"shape{self.partial_shape.to_string()} "
                f"type: {self.element_type.get_type_name()}>")

    def set_value_symbol(self, symbols: list) -> None:
        self.value_symbols = list(symbols)

    def get_value_symbol(self) -> list:
        return list(self.value_symbols or [])


class ConstOutput:
    """A read-only handle on output ``index`` of ``node``."""

    # __dict__: user code may hang its own attributes on a port, as on the binding's
    __slots__ = ("_node", "_index", "__dict__")

    def __init__(self, node: Node, index: int = 0) -> None:
        self._node = node
        self._index = index

    def _desc(self) -> DescriptorTensor:
        return self._node._outputs[self._index]

    def get_node(self) -> Node:
        return self._node

    node = property(get_node)

    def get_index(self) -> int:
        return self._index

    index = property(get_index)

    def get_element_type(self) -> Type:
        return self._node._outputs[self._index].element_type

    element_type = property(get_element_type)

    def get_partial_shape(self) -> PartialShape:
        return self._node._outputs[self._index].partial_shape

    partial_shape = property(get_partial_shape)

    def get_shape(self) -> Shape:
        return self._node._outputs[self._index].partial_shape.to_shape()

    shape = property(get_shape)

    def get_names(self) -> set[str]:
        return set(self._node._outputs[self._index].names)

    names = property(get_names)

    def get_any_name(self) -> str:
        return self._node._outputs[self._index].get_any_name()

    any_name = property(get_any_name)

    def get_tensor(self) -> DescriptorTensor:
        return self._node._outputs[self._index]

    tensor = property(get_tensor)

    def get_rt_info(self) -> RTMap:
        return self._node._outputs[self._index].rt_info

    rt_info = property(get_rt_info)

    def get_target_inputs(self) -> set[Input]:
        # a Result's output shares its input's descriptor, so the descriptor's consumers
        # are those of both ports: keep the inputs this very port feeds
        node, index = self._node, self._index
        return {Input(n, i) for n, i in node._outputs[index].consumers
                if i < len(n._inputs) and (src := n._inputs[i])._node is node
                and src._index == index}

    target_inputs = property(get_target_inputs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ConstOutput):
            return self._node is other._node and self._index == other._index
        return NotImplemented

    def __lt__(self, other: ConstOutput) -> bool:
        return (self._node._id, self._index) < (other._node._id, other._index)

    def __hash__(self) -> int:
        return hash((id(self._node), self._index, 0x5EED))

    def __copy__(self) -> ConstOutput:
        return type(self)(self._node, self._index)

    def __deepcopy__(self, memo: Any) -> Any:
        raise TypeError(f"Cannot deepcopy 'openvino.{type(self).__name__}' object.")

    def _port_repr(self) -> str:
        desc = self._desc()
        names = ", ".join(sorted(desc.names))
        return (f"names[{names}] shape{desc.partial_shape.to_string()} "
                f"type: {desc.element_type.get_type_name()}")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self._port_repr()}>"


ConstOutput.__doc__ = "openvino.ConstOutput represents port/node output."


class Output(ConstOutput):
    """openvino.Output represents port/node output."""

    __slots__ = ()

    @staticmethod
    def _from_node(node: Node) -> Output:
        return Output(node, 0)

    def set_names(self, names: Iterable[str]) -> None:
        self._desc().names = set(names)

    def add_names(self, names: Iterable[str]) -> None:
        self._desc().names |= set(names)

    def replace(self, replacement: Output) -> None:
        """Move every consumer of this output to ``replacement``; names follow. The
        replacement's own node keeps its input (``out.replace(convert(out))`` inserts the
        Convert after ``out``), as in OpenVINO."""
        desc = self._desc()
        replacement = as_output(replacement)
        for node, idx in list(desc.consumers):
            if node is not replacement._node:
                node.set_argument(idx, replacement)
        replacement._desc().names |= desc.names

    def remove_target_input(self, target: Input) -> None:
        desc = self._desc()
        desc.consumers = [(n, i) for n, i in desc.consumers
                          if not (n is target._node and i == target._index)]

    def get_rt_info(self) -> RTMap:
        return self._desc().rt_info

    rt_info = property(get_rt_info)

    def set_rt_info(self, value: Any, key: str) -> None:
        """Set ``key`` of the output's rt_info to ``value``."""
        self._desc().rt_info[key] = value


class Input:
    """Input ``index`` of ``node``: where a value enters the op."""

    __slots__ = ("_node", "_index", "__dict__")

    def __init__(self, node: Node, index: int) -> None:
        self._node = node
        self._index = index

    def get_node(self) -> Node:
        return self._node

    def get_index(self) -> int:
        return self._index

    def get_source_output(self) -> Output:
        return self._node._inputs[self._index]

    def get_element_type(self) -> Type:
        return self.get_source_output().get_element_type()

    def get_partial_shape(self) -> PartialShape:
        return self.get_source_output().get_partial_shape()

    def get_shape(self) -> Shape:
        return self.get_source_output().get_shape()

    def get_tensor(self) -> DescriptorTensor:
        return self.get_source_output().get_tensor()

    def get_rt_info(self) -> RTMap:
        return self._node._input_rt[self._index]

    rt_info = property(get_rt_info)

    def replace_source_output(self, new_source: Any) -> None:
        self._node.set_argument(self._index, as_output(new_source))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Input):
            return self._node is other._node and self._index == other._index
        return NotImplemented

    def __hash__(self) -> int:
        return hash((id(self._node), self._index, 0x1A))

    def __copy__(self) -> Input:
        raise TypeError("cannot pickle 'openvino._pyopenvino.Input' object")

    def __deepcopy__(self, memo: Any) -> Input:
        raise TypeError("cannot pickle 'openvino._pyopenvino.Input' object")

    def __repr__(self) -> str:
        src = self.get_source_output()
        return (f"<Input: shape{src.get_partial_shape()} "
                f"type: {src.get_element_type().get_type_name()}>")


Input.__doc__ = "openvino.Input wraps ov::Input<Node>"


def as_output(value: Any) -> Output:
    """An op argument as an ``Output``: nodes give their single output, numpy arrays and
    Python scalars become ``Constant`` nodes."""
    if isinstance(value, Output):
        return value
    if isinstance(value, ConstOutput):
        return Output(value._node, value._index)
    if isinstance(value, Node):
        # an op argument given as a node is its first output, as in OpenVINO's Python API
        # (a node with several outputs included: ``relu(split)`` reads ``split.output(0)``)
        return Output(value, 0)
    from .op import Constant

    return Output(Constant(value), 0)


def as_outputs(values: Iterable[Any]) -> list[Output]:
    return [as_output(v) for v in values]


class _LazyRTInfo:
    """``node._rt_info``: an empty ``RTMap`` made on first access and then kept as the
    node's instance attribute, which later reads (and assignments) find before this
    descriptor. Most nodes never have rt_info, so building a graph makes no map for them."""

    def __get__(self, node: Node | None, owner: type | None = None) -> Any:
        if node is None:
            return self
        rt = node._rt_info = RTMap()  # an instance attribute, found before this descriptor
        return rt


class _LazyInputRTInfo:
    """``node._input_rt``: one ``RTMap`` per input, made on first access (like
    ``_LazyRTInfo``); a node's number of inputs is fixed when it is initialised."""

    def __get__(self, node: Node | None, owner: type | None = None) -> Any:
        if node is None:
            return self
        maps = node._input_rt = [RTMap() for _ in node._inputs]
        return maps


class Node:
    """A node of the graph: an op with inputs (sources), outputs and attributes."""

    _rt_info = _LazyRTInfo()
    _input_rt = _LazyInputRTInfo()

    type_name: str = "Node"
    version: str = "opset1"
    attributes: dict[str, Attr] = {}
    #: True for ops whose reference reads/writes variables (ReadValue, Assign)
    needs_state: bool = False
    #: whether the node stands for one output where a list of results names nodes
    #: (``Model([node], ...)``): output 0, as OpenVINO's ``get_default_output``; False
    #: for the ops OpenVINO gives none (TopK, VariadicSplit)
    has_default_output: bool = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "type_name" in cls.__dict__:
            _op_registry.register(cls)

    # --- construction ------------------------------------------------------------------
    def __init__(self, *args: Any, name: str | None = None, **attrs: Any) -> None:
        """Generic op constructor: positional arguments are inputs (``Output``, ``Node``,
        numpy arrays or scalars), keyword arguments are attributes."""
        self._init_node(as_outputs(args))
        self._attrs = self._coerce_attrs(attrs)
        if name:
            self._friendly_name = name
        self.validate_and_infer_types()

    def _init_node(self, inputs: Sequence[Output], name: str | None = None,
                   attrs: dict[str, Any] | None = None) -> None:
        """Set up the node's ports over ``inputs`` (no outputs yet), its friendly name
        (``name``, none by default) and attributes (``attrs``, taken as they are; none by
        default)."""
        if hasattr(self, "_inputs"):  # initialised again: forget the rt_info maps made so far
            state = self.__dict__
            state.pop("_input_rt", None)
            state.pop("_rt_info", None)
        self._id = next(_ids)
        self._friendly_name: str | None = name
        ports = list(inputs)
        self._inputs: list[Output] = ports
        self._outputs: list[DescriptorTensor] = []
        self._attrs: dict[str, Any] = {} if attrs is None else attrs
        if ports:
            me = _weak(self)  # each input's producer holds this node weakly (add_consumer)
            for i, src in enumerate(ports):
                src._node._outputs[src._index]._consumers.append((me, i))

    def _coerce_attrs(self, given: dict[str, Any]) -> dict[str, Any]:
        specs = type(self).attributes
        unknown = set(given) - set(specs)
        if unknown:
            raise TypeError(f"{self.type_name} got unexpected attributes {sorted(unknown)}; "
                            f"known: {sorted(specs)}")
        out = {}
        for key, spec in specs.items():
            if key in given:
                out[key] = spec.coerce(given[key])
            elif spec.default is REQUIRED:
                raise TypeError(f"{self.type_name}: attribute '{key}' is required")
            else:
                out[key] = spec.default
        return out

    @classmethod
    def _from_ir(cls, inputs: Sequence[Output], data: dict[str, str], name: str) -> Node:
        """Build the op from an IR layer: source outputs and the ``<data>`` attribute texts.
        Ops whose IR form needs more (weights, variables, bodies) override this."""
        node = cls.__new__(cls)
        node._init_node(inputs, name)
        node._attrs = parse_ir_attributes(cls, data, name)
        node.validate_and_infer_types()
        return node

    def _ir_attributes(self) -> dict[str, str]:
        """The ``<data>`` attributes the IR writer emits for this node."""
        out = {}
        for key, spec in type(self).attributes.items():
            value = self._attrs.get(key)
            if value is None:
                continue
            out[spec.ir_name or key] = spec.format(value)
        return out

    def clone_with_new_inputs(self, inputs: Sequence[Any]) -> Node:
        """A copy of this op (same attributes and names) over other inputs."""
        node = type(self).__new__(type(self))
        node._init_node(as_outputs(inputs))
        node._copy_state_from(self)
        node.validate_and_infer_types()
        for i, desc in enumerate(self._outputs):
            if i < len(node._outputs):
                node._outputs[i].names = set(desc.names)
                node._outputs[i].rt_info = RTMap(desc.rt_info)
        return node

    def _copy_state_from(self, other: Node) -> None:
        """Copy attributes and per-op state (subclasses with extra state extend this)."""
        self._attrs = dict(other._attrs)
        self._friendly_name = other._friendly_name
        self._rt_info = RTMap(other._rt_info)
        for i, rt in enumerate(other._input_rt):
            if i < len(self._input_rt):
                self._input_rt[i] = RTMap(rt)

    # --- inference -------------------------------------------------------------------------
    def validate_and_infer_types(self) -> None:
        """Check the inputs and set every output's element type and shape."""
        raise NotImplementedError(f"{type(self).__name__} must implement type inference")

    def constructor_validate_and_infer_types(self) -> None:
        """Validate the node once its inputs and attributes are all set (for a node made
        empty, e.g. by ``NodeFactory.create(type_name)``)."""
        self.validate_and_infer_types()

    def set_output_type(self, index: int, element_type: Type, shape: Any) -> None:
        ps = shape if isinstance(shape, PartialShape) else PartialShape(shape)
        outputs = self._outputs
        if index == len(outputs):  # the usual case: outputs are set in order, once
            outputs.append(DescriptorTensor(element_type, ps))
            return
        while len(outputs) <= index:
            outputs.append(DescriptorTensor())
        desc = outputs[index]
        desc.element_type = element_type
        desc.partial_shape = ps

    def set_output_size(self, n: int) -> None:
        while len(self._outputs) < n:
            self._outputs.append(DescriptorTensor())
        del self._outputs[n:]

    def fail(self, message: str) -> None:
        """Raise the error shape inference gives for invalid arguments."""
        raise NodeValidationFailure(
            f"While validating node '{self._describe()}': {message}")

    def check(self, condition: Any, message: str) -> None:
        if not condition:
            self.fail(message)

    def _describe(self) -> str:
        args = ", ".join(
            f"{o._node.get_friendly_name()}[{o._index}]:{o.get_element_type().get_type_name()}"
            f"{o.get_partial_shape()}" for o in self._inputs)
        return f"{self.version}::{self.type_name} {self.get_friendly_name()} ({args})"

    # --- reference semantics -------------------------------------------------------------
    def reference(self, *inputs: np.ndarray) -> Any:
        """The op's semantics over numpy arrays in evaluation form."""
        raise NotImplementedError(f"{self.type_name} has no reference implementation")

    def has_evaluate(self) -> bool:
        return type(self).reference is not Node.reference

    def evaluate(self, output_tensors: list, input_tensors: list) -> bool:
        """Run the op's reference on ``Tensor`` objects (public API form)."""
        from ._tensor import Tensor

        outs = self.reference(*[t._to_evaluation() for t in input_tensors])
        if not isinstance(outs, (tuple, list)):
            outs = (outs,)
        for i, value in enumerate(outs):
            et = self.get_output_element_type(i)
            result = Tensor._from_evaluation(np.asarray(value), et)
            if i < len(output_tensors):
                tgt = output_tensors[i]
                tgt._type = et
                tgt._shape = result._shape
                tgt._data = result._data
                tgt._owner = None
            else:
                output_tensors.append(result)
        return True

    # --- naming ----------------------------------------------------------------------------
    def get_type_name(self) -> str:
        return self.type_name

    def get_type_info(self) -> DiscreteTypeInfo:
        return DiscreteTypeInfo(self.type_name, self.version)

    @property
    def type_info(self) -> DiscreteTypeInfo:
        return self.get_type_info()

    def get_name(self) -> str:
        return f"{self.type_name}_{self._id}"

    name = property(get_name)

    def get_friendly_name(self) -> str:
        return self._friendly_name if self._friendly_name is not None else self.get_name()

    def set_friendly_name(self, name: str) -> None:
        self._friendly_name = str(name)

    friendly_name = property(get_friendly_name, set_friendly_name)

    def get_instance_id(self) -> int:
        return self._id

    # --- ports --------------------------------------------------------------------------------
    def get_default_output(self) -> Output:
        """The output the node stands for where one output is expected (output 0);
        ``RuntimeError`` for ops without one (TopK, VariadicSplit)."""
        if not self.has_default_output:
            raise RuntimeError(f"While validating node '{self._describe()}' with "
                               f"friendly_name '{self.get_friendly_name()}':\n"
                               "Default output not supported")
        return Output(self, 0)

    def output(self, index: int = 0) -> Output:
        if not 0 <= index < len(self._outputs):
            raise IndexError(f"Node '{self.get_friendly_name()}' has no output {index}")
        return Output(self, index)

    def outputs(self) -> list[Output]:
        return [Output(self, i) for i in range(len(self._outputs))]

    def input(self, index: int) -> Input:
        if not 0 <= index < len(self._inputs):
            raise IndexError(f"Node '{self.get_friendly_name()}' has no input {index}")
        return Input(self, index)

    def inputs(self) -> list[Input]:
        return [Input(self, i) for i in range(len(self._inputs))]

    def input_value(self, index: int) -> Output:
        return self._inputs[index]

    def input_values(self) -> list[Output]:
        return list(self._inputs)

    def get_input_size(self) -> int:
        return len(self._inputs)

    def get_output_size(self) -> int:
        return len(self._outputs)

    def get_input_element_type(self, index: int) -> Type:
        return self._inputs[index].get_element_type()

    def get_input_partial_shape(self, index: int) -> PartialShape:
        return self._inputs[index].get_partial_shape()

    def get_input_shape(self, index: int) -> Shape:
        return self._inputs[index].get_shape()

    def get_output_element_type(self, index: int) -> Type:
        return self._outputs[index].element_type

    def get_output_partial_shape(self, index: int) -> PartialShape:
        return self._outputs[index].partial_shape

    def get_output_shape(self, index: int) -> Shape:
        return self._outputs[index].partial_shape.to_shape()

    def get_input_tensor(self, index: int) -> DescriptorTensor:
        """The tensor descriptor input ``index`` reads (its source output's)."""
        src = self._inputs[index]
        return src._node._outputs[src._index]

    def get_output_tensor(self, index: int) -> DescriptorTensor:
        return self._outputs[index]

    def get_element_type(self) -> Type:
        if len(self._outputs) != 1:
            raise RuntimeError("get_element_type() must be called on a node with exactly one "
                               "output.")
        return self._outputs[0].element_type

    def get_partial_shape(self) -> PartialShape:
        return self._outputs[0].partial_shape

    def get_shape(self) -> Shape:
        return self._outputs[0].partial_shape.to_shape()

    @property
    def shape(self) -> Shape:
        return self.get_shape()

    def set_argument(self, index: int, source: Any) -> None:
        src = as_output(source)
        if index == len(self._inputs):  # a node made without inputs gets them in order
            self._inputs.append(src)
            input_rt = self.__dict__.get("_input_rt")
            if input_rt is not None:
                input_rt.append(RTMap())
            src._node._outputs[src._index].add_consumer(self, index)
            return
        old = self._inputs[index]
        old_desc = old._node._outputs[old._index]
        old_desc.consumers = [(n, i) for n, i in old_desc.consumers
                              if not (n is self and i == index)]
        self._inputs[index] = src
        src._node._outputs[src._index].add_consumer(self, index)

    def set_arguments(self, sources: Sequence[Any]) -> None:
        for i, s in enumerate(sources):
            self.set_argument(i, s)

    # --- attributes / rt_info -------------------------------------------------------------------
    def get_attributes(self) -> dict[str, Any]:
        out = {}
        for k, v in self._attrs.items():
            if isinstance(v, Type):
                v = v.get_type_name()
            elif isinstance(v, PartialShape):
                v = v.to_string()
            out[k] = v
        return out

    def set_attribute(self, name: str, value: Any) -> None:
        spec = type(self).attributes.get(name)
        if spec is None:
            raise RuntimeError(f"{self.type_name} has no attribute '{name}'")
        self._attrs[name] = spec.coerce(value)

    def get_rt_info(self) -> RTMap:
        return self._rt_info

    rt_info = property(get_rt_info)

    # --- operators build ops (node + node -> Add) --------------------------------------------
    def _binary(self, factory: str, other: Any, reverse: bool = False) -> Node:
        from . import _opsets

        fn = _opsets.latest(factory)
        return fn(other, self) if reverse else fn(self, other)

    def __add__(self, other: Any) -> Node:
        return self._binary("add", other)

    def __radd__(self, other: Any) -> Node:
        return self._binary("add", other, True)

    def __sub__(self, other: Any) -> Node:
        return self._binary("subtract", other)

    def __rsub__(self, other: Any) -> Node:
        return self._binary("subtract", other, True)

    def __mul__(self, other: Any) -> Node:
        return self._binary("multiply", other)

    def __rmul__(self, other: Any) -> Node:
        return self._binary("multiply", other, True)

    def __truediv__(self, other: Any) -> Node:
        return self._binary("divide", other)

    def __rtruediv__(self, other: Any) -> Node:
        return self._binary("divide", other, True)

    def __neg__(self) -> Node:
        from . import _opsets

        return _opsets.latest("negative")(self)

    def __repr__(self) -> str:
        outs = ", ".join(
            f"{d.partial_shape.to_string()}" for d in self._outputs)
        return f"<{self.type_name}: '{self.get_friendly_name()}' ({outs})>"


def parse_ir_attributes(cls: type, data: dict[str, str], name: str) -> dict[str, Any]:
    """The attributes of op class ``cls`` from a layer's ``<data>`` texts (defaults for
    those absent); ``RuntimeError`` naming layer ``name`` for a bad or missing one."""
    attrs = {}
    for key, ir_key, parse, default in _ir_attribute_table(cls):
        text = data.get(ir_key, _MISSING)
        if text is not _MISSING:
            try:
                attrs[key] = parse(text)
            except (ValueError, RuntimeError, TypeError) as e:
                raise RuntimeError(
                    f"Layer '{name}' ({cls.type_name}): bad value '{text}' for "
                    f"attribute '{ir_key}': {e}") from None
        elif default is REQUIRED:
            raise RuntimeError(
                f"Layer '{name}' ({cls.type_name}): attribute '{ir_key}' is missing")
        else:
            attrs[key] = default
    return attrs


def _ir_attribute_table(cls: type) -> list[tuple[str, str, Any, Any]]:
    """``(key, IR name, parser, default)`` for each attribute of an op class, in declaration
    order; built once per class (and again if the class's ``attributes`` is replaced)."""
    attributes = cls.attributes
    cached = cls.__dict__.get("_ir_table_cache")
    if cached is not None and cached[0] is attributes and cached[1] == len(attributes):
        return cached[2]
    table = [(key, spec.ir_name or key, spec.parser, spec.default)
             for key, spec in attributes.items()]
    cls._ir_table_cache = (attributes, len(attributes), table)
    return table


class NodeValidationFailure(RuntimeError):
    """Shape or type inference found the op's arguments invalid."""
