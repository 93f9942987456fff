"""``openvino.Op``: the base of operations written in Python (custom ops).

A custom op subclasses ``Op`` as in OpenVINO::

    class Identity(Op):
        class_type_info = DiscreteTypeInfo("Identity", "extension")

        def __init__(self, inputs=None):
            super().__init__(self)          # or super().__init__(self, inputs)
            if inputs is not None:
                self.set_arguments(inputs)
                self.constructor_validate_and_infer_types()

        def validate_and_infer_types(self):
            self.set_output_type(0, self.get_input_element_type(0),
                                 self.get_input_partial_shape(0))

        def get_type_info(self):            # without it the type is ("Identity", "extension")
            return Identity.class_type_info

        def evaluate(self, outputs, inputs):  # lists of Tensor
            inputs[0].copy_to(outputs[0])
            return True

Such ops build, clone, reshape, serialize (``type``/``version`` from the type info, the
attributes ``visit_attributes`` hands over in ``<data>``), and run on every device through
their ``evaluate``: the op's ``reference`` bridges the executors' numpy arrays to the
``Tensor`` lists ``evaluate`` takes. ``Core.add_extension(Identity)`` lets that core's
``read_model`` build them from an IR (``Identity()``, then ``set_arguments``, then the
attributes, then ``constructor_validate_and_infer_types``, as OpenVINO does).

Custom op classes are not entered in the table of built-in ops: each ``Core`` knows the
ones added to it.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._attribute_visitor import AttributeCollector, IRAttributeReader, IRAttributeWriter
from ._discrete_type_info import DiscreteTypeInfo
from ._node import Node, Output, as_output
from ._rt_info import RTMap
from ._type import Type

__all__ = ["Op"]

_MISSING = object()
#: instance variables of the node itself (the rest of an op's ``__dict__`` is its own)
_NODE_STATE = frozenset({"_id", "_friendly_name", "_inputs", "_outputs", "_rt_info",
                         "_input_rt", "_type_info", "type_name", "version"})


def _copy_port_state(source: Node, clone: Node) -> None:
    """What cloning an op keeps besides its inputs: output tensor names and rt_info, and
    the op's rt_info (the friendly name is the model clone's business, as in OpenVINO)."""
    for old, new in zip(source._outputs, clone._outputs):
        if old.names and not new.names:
            new.names = set(old.names)
        try:
            rt = old._rt_info
        except AttributeError:  # never made: nothing to copy
            continue
        new.rt_info = RTMap(rt)
    rt = source.__dict__.get("_rt_info")
    if rt:
        clone._rt_info = RTMap(rt)


def _keeping_port_state(clone_fn: Any) -> Any:
    """``clone_fn`` (a custom op's ``clone_with_new_inputs``), checked to give a node, which
    gets the source's tensor names and rt_info."""

    @functools.wraps(clone_fn)
    def clone_with_new_inputs(self: Op, new_inputs: Sequence[Any]) -> Node:
        clone = clone_fn(self, new_inputs)
        if not isinstance(clone, Node):
            raise RuntimeError(f"{type(self).__name__}.clone_with_new_inputs() returned "
                               f"{type(clone)}, not an openvino.Node")
        _copy_port_state(self, clone)
        return clone

    clone_with_new_inputs._keeps_port_state = True  # type: ignore[attr-defined]
    return clone_with_new_inputs


class Op(Node):
    """The base of Python custom operations (see the module docstring)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # not Node's hook: custom op classes stay out of the built-in op table
        super(Node, cls).__init_subclass__(**kwargs)
        own = cls.__dict__.get("clone_with_new_inputs")
        if callable(own) and not getattr(own, "_keeps_port_state", False):
            cls.clone_with_new_inputs = _keeping_port_state(own)

    def __init__(self, py_obj: Any, inputs: Any = None) -> None:
        """``py_obj`` is the op itself (``super().__init__(self)``); ``inputs``, when given,
        are set as the arguments and the op's types inferred. A tuple of inputs (from
        ``*inputs``) holding one list is that list."""
        own_attrs = self.__dict__.get("_attrs", _MISSING)
        self._init_node(())
        if own_attrs is not _MISSING:  # the subclass set its attributes before this call
            self._attrs = own_attrs
        self._set_type_info(DiscreteTypeInfo(type(py_obj).__name__, "extension"))
        self._update_type_info()
        if isinstance(inputs, tuple):
            inputs = list(inputs) or None
            if inputs is not None and len(inputs) == 1 and isinstance(inputs[0], list):
                inputs = inputs[0]
        if inputs is not None:
            self.set_arguments(inputs)
            self.constructor_validate_and_infer_types()

    # --- type info -------------------------------------------------------------------------
    def _set_type_info(self, info: DiscreteTypeInfo) -> None:
        self._type_info = info
        self.type_name = info.name
        self.version = info.version_id

    def _update_type_info(self) -> None:
        """Take the type info the subclass's ``get_type_info`` gives, when it has one."""
        if type(self).get_type_info is Op.get_type_info:
            return
        info = self.get_type_info()
        if not isinstance(info, DiscreteTypeInfo):
            raise RuntimeError("operation type_info must be an instance of DiscreteTypeInfo, "
                               f"but {type(info)} is passed.")
        self._set_type_info(info)

    def get_type_info(self) -> DiscreteTypeInfo:
        return self._type_info

    # --- arguments and types ---------------------------------------------------------------
    def set_argument(self, index: int, source: Any) -> None:
        """Make ``source`` input ``index``; the next index past the last adds an input."""
        n = len(self._inputs)
        if index < n:
            super().set_argument(index, source)
            return
        if index != n:
            raise IndexError(f"Cannot set input {index} of node '{self.get_friendly_name()}': "
                             f"it has {n} inputs")
        src = as_output(source)
        self._inputs.append(src)
        src._node._outputs[src._index].add_consumer(self, index)
        maps = self.__dict__.get("_input_rt")
        if maps is not None:
            maps.append(RTMap())

    def set_arguments(self, sources: Any) -> None:
        """Make ``sources`` (nodes or outputs) the op's inputs, in order."""
        if isinstance(sources, (Node, Output)):
            sources = [sources]
        sources = list(sources)
        for i, source in enumerate(sources):
            self.set_argument(i, source)
        for i in range(len(sources), len(self._inputs)):
            old = self._inputs[i]
            desc = old._node._outputs[old._index]
            desc.consumers = [(n, j) for n, j in desc.consumers if not (n is self and j == i)]
        del self._inputs[len(sources):]
        maps = self.__dict__.get("_input_rt")
        if maps is not None:
            del maps[len(sources):]

    def validate_and_infer_types(self) -> None:
        """Set the outputs' types and shapes (subclasses override; the base sets none)."""

    def constructor_validate_and_infer_types(self) -> None:
        self.validate_and_infer_types()

    @_keeping_port_state
    def clone_with_new_inputs(self, new_inputs: Sequence[Any]) -> Node:
        """A new op of this class over ``new_inputs``: ``type(self)(new_inputs)``, as
        OpenVINO does for ops that do not define it, which then gets this op's own state
        (its instance variables, such as the attributes; shallow copies) and infers its
        types again, so the copy is the same op."""
        clone = type(self)(list(new_inputs))
        if not isinstance(clone, Op):
            return clone
        for key, value in self.__dict__.items():
            if key not in _NODE_STATE:
                clone.__dict__[key] = copy.copy(value)
        clone.constructor_validate_and_infer_types()
        return clone

    # --- attributes --------------------------------------------------------------------------
    def visit_attributes(self, visitor: Any) -> bool:
        """Hand the op's attributes to ``visitor.on_attributes(dict)`` (none by default)."""
        return True

    def get_attributes(self) -> dict[str, Any]:
        collector = AttributeCollector()
        self.visit_attributes(collector)
        return collector.values

    def set_attribute(self, name: str, value: Any) -> None:
        raise RuntimeError(f"{self.type_name} is a custom operation: its attributes are its "
                           "own (set_attribute is for built-in operations)")

    def _ir_attributes(self) -> dict[str, str]:
        writer = IRAttributeWriter()
        self.visit_attributes(writer)
        return writer.texts

    @classmethod
    def _from_ir(cls, inputs: Sequence[Output], data: dict[str, str], name: str) -> Node:
        """The op of an IR layer, made as OpenVINO's reader makes a Python op: ``cls()``,
        the layer's inputs, the ``<data>`` attributes, then type inference."""
        node = cls()
        node.set_arguments(inputs)
        if node.visit_attributes(IRAttributeReader(data, name)):
            node.constructor_validate_and_infer_types()
        node.set_friendly_name(name)
        return node

    # --- evaluation ------------------------------------------------------------------------
    def has_evaluate(self) -> bool:
        """Whether the op defines ``evaluate`` (subclasses may say otherwise)."""
        return type(self).evaluate is not Op.evaluate

    def evaluate(self, output_tensors: list, input_tensors: list) -> bool:
        """Compute the outputs from the inputs (lists of ``Tensor``); the base cannot."""
        return False

    def reference(self, *arrays: np.ndarray) -> Any:
        """The executors' entry: the op's ``evaluate`` over ``Tensor`` objects made from
        (and read back into) evaluation-form arrays."""
        from ._tensor import Tensor

        if not self.has_evaluate():
            raise NotImplementedError(f"{self.type_name} has no evaluate implementation")
        inputs = []
        for array, src in zip(arrays, self._inputs):
            et = src.get_element_type()
            inputs.append(Tensor._from_evaluation(array, et) if et.is_static()
                          else Tensor(np.asarray(array)))
        shapes = self._output_shapes(inputs)
        outputs = [Tensor(self._output_type(i, inputs), shape) for i, shape in enumerate(shapes)]
        failed = (f"Reference node with name '{self.get_friendly_name()}' evaluation failed "
                  f"for core operation: {self.type_name}")
        try:
            ok = self.evaluate(outputs, inputs)
        except Exception as e:  # noqa: BLE001 - the user's code: report it on this node
            raise RuntimeError(f"{failed}: {type(e).__name__}: {e}") from e
        if not ok:
            raise RuntimeError(f"{failed} (evaluate() returned {ok!r})")
        values = [t._to_evaluation() for t in outputs]
        return values[0] if len(values) == 1 else tuple(values)

    def _output_type(self, index: int, inputs: list) -> Type:
        et = self._outputs[index].element_type
        if et.is_static() or not inputs:
            return et if et.is_static() else Type.f32
        return inputs[0].get_element_type()

    def _output_shapes(self, inputs: list) -> list[list[int]]:
        """The output shapes for these input tensors: the inferred ones when static, else
        those of the op's type inference over inputs of the tensors' shapes (``[0]``, for
        ``evaluate`` to set, where that does not give one)."""
        partial = [d.partial_shape for d in self._outputs]
        if all(ps.is_static for ps in partial):
            return [list(ps.to_shape()) for ps in partial]
        from ._ops.parameter import Parameter

        try:
            probe = self.clone_with_new_inputs(
                [Parameter(t.get_element_type(), t.get_shape()) for t in inputs])
            partial = [d.partial_shape for d in probe._outputs]
        except Exception:  # noqa: BLE001 - no better shape: evaluate sets it
            pass
        return [list(ps.to_shape()) if ps.is_static else [0] for ps in partial]
