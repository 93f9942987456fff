"""What the control flow ops (If, Loop, TensorIterator) share: ops holding bodies (each a
``Model``) and the port maps between the op's ports and its bodies' ports.

OpenVINO's ``MultiSubGraphOp`` vocabulary: an input description ties input ``input_index``
of the op to Parameter ``body_parameter_index`` of a body (invariant: the same value every
iteration; sliced: one part along an axis per iteration; merged: the initial value, then
the value of body Result ``body_value_index`` from the previous iteration); an output
description ties body Result ``body_value_index`` to output ``output_index`` (body: its value
at one iteration, the last by default; concat: the values of all iterations concatenated
along an axis).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._discrete_type_info import DiscreteTypeInfo
from .._node import Node, Output, as_output
from .._shape import Dimension, PartialShape
from .._type import Type

__all__ = ["InvariantInputDescription", "SliceInputDescription", "MergedInputDescription",
           "BodyOutputDescription", "ConcatOutputDescription", "MultiSubGraphOp",
           "body_plan", "body_runner", "slice_parts"]


class _Description:
    """A port map entry; fields as OpenVINO names them."""

    _fields: tuple[str, ...] = ()

    def __init__(self, *args: Any) -> None:
        if args and len(args) < self._required:
            raise TypeError(f"{type(self).__name__}() takes {self._required} to "
                            f"{len(self._fields)} arguments, got {len(args)}")
        if len(args) > len(self._fields):
            raise TypeError(f"{type(self).__name__}() takes at most {len(self._fields)} "
                            f"arguments, got {len(args)}")
        for name, default in zip(self._fields, self._defaults):
            setattr(self, name, default)
        for name, value in zip(self._fields, args):
            setattr(self, name, int(value))

    _required = 0
    _defaults: tuple[int, ...] = ()

    def get_type_info(self) -> DiscreteTypeInfo:
        return DiscreteTypeInfo(type(self).__name__, "util")

    def copy(self) -> _Description:
        return type(self)(*(getattr(self, f) for f in self._fields))

    def _values(self) -> tuple[int, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class InvariantInputDescription(_Description):
    """Input ``input_index`` is body Parameter ``body_parameter_index`` every iteration."""

    _fields = ("input_index", "body_parameter_index")
    _defaults = (0, 0)
    _required = 2


class SliceInputDescription(_Description):
    """Input ``input_index`` is cut along ``axis`` into parts of ``part_size``; iteration
    ``k`` gives body Parameter ``body_parameter_index`` part ``k`` (from the end when
    ``stride`` is negative). ``start``/``end`` (inclusive, negative from the end) bound the
    sliced range."""

    _fields = ("input_index", "body_parameter_index", "start", "stride", "part_size", "end",
               "axis")
    _defaults = (0, 0, 0, 1, 1, -1, 0)
    _required = 7


class MergedInputDescription(_Description):
    """Input ``input_index`` is body Parameter ``body_parameter_index`` at the first
    iteration; later iterations get body Result ``body_value_index`` of the one before (a
    back edge)."""

    _fields = ("input_index", "body_parameter_index", "body_value_index")
    _defaults = (0, 0, 0)
    _required = 3


class BodyOutputDescription(_Description):
    """Output ``output_index`` is body Result ``body_value_index`` after the last iteration
    (``iteration`` is kept and written, but OpenVINO's CPU plugin gives the last value
    whatever it says, and so do the references here); zeros when no iteration ran and no
    back edge gives the value an initial one."""

    _fields = ("body_value_index", "output_index", "iteration")
    _defaults = (0, 0, -1)
    _required = 2


class ConcatOutputDescription(_Description):
    """Output ``output_index`` is body Result ``body_value_index`` of every iteration,
    concatenated along ``axis`` (in reverse order when ``stride`` is negative)."""

    _fields = ("body_value_index", "output_index", "start", "stride", "part_size", "end",
               "axis")
    _defaults = (0, 0, 0, 1, 1, -1, 0)
    _required = 7


INPUT_DESCRIPTIONS = (InvariantInputDescription, SliceInputDescription,
                      MergedInputDescription)
OUTPUT_DESCRIPTIONS = (BodyOutputDescription, ConcatOutputDescription)


def body_plan(node: Any, body: Any) -> Any:
    """The reference plan of ``body`` (one of ``node``'s bodies), made once and kept on the
    node until the body is replaced or revalidated."""
    from .._reference_executor import ReferencePlan

    cache = node.__dict__.setdefault("_plans", {})
    plan = cache.get(id(body))
    if plan is None or plan[0] is not body:
        plan = cache[id(body)] = (body, ReferencePlan(body))
    return plan[1]


def body_runner(node: Any, index: int, runners: Any) -> Any:
    """How body ``index`` of ``node`` runs: ``runners[index]`` (a device's executor,
    ``(args, state) -> outputs``) when given, else its reference plan's ``run``."""
    if runners is not None and runners[index] is not None:
        return runners[index]
    return body_plan(node, node._bodies[index]).run


def slice_parts(value: np.ndarray, desc: Any, what: str) -> list[np.ndarray]:
    """The parts a sliced input gives its iterations, in iteration order."""
    axis = desc.axis + value.ndim if desc.axis < 0 else desc.axis
    if not 0 <= axis < value.ndim:
        raise RuntimeError(f"{what}: slice axis {desc.axis} is out of range for an input of "
                           f"rank {value.ndim}")
    dim = value.shape[axis]
    start = desc.start + dim if desc.start < 0 else desc.start
    end = desc.end + dim if desc.end < 0 else desc.end
    lo, hi = min(start, end), max(start, end)
    part = desc.part_size
    if part <= 0:
        raise RuntimeError(f"{what}: slice part_size must be positive, got {part}")
    lo, hi = max(lo, 0), min(hi, dim - 1)
    count = max(hi - lo + 1, 0) // part
    index = [slice(None)] * value.ndim
    parts = []
    for k in range(count):
        index[axis] = slice(lo + k * part, lo + (k + 1) * part)
        parts.append(value[tuple(index)])
    if desc.stride < 0:
        parts.reverse()
    return parts


def concat_parts(parts: list[np.ndarray], desc: Any) -> np.ndarray:
    """The values of every iteration joined along a concatenated output's axis (back to
    front when its stride is negative); ``parts`` is not empty."""
    axis = desc.axis + parts[0].ndim if desc.axis < 0 else desc.axis
    if desc.stride < 0:
        parts = parts[::-1]
    return np.concatenate(parts, axis=axis)


class MultiSubGraphOp(Node):
    """An op with bodies and port maps (``self._bodies``, one list of input and of output
    descriptions per body)."""

    #: how many bodies the op has
    num_bodies = 1

    def _init_bodies(self) -> None:
        self._bodies: list[Any] = [None] * self.num_bodies
        self._input_descs: list[list[Any]] = [[] for _ in range(self.num_bodies)]
        self._output_descs: list[list[Any]] = [[] for _ in range(self.num_bodies)]

    def _copy_state_from(self, other: Node) -> None:
        super()._copy_state_from(other)
        self._bodies = [None if b is None else b.clone() for b in other._bodies]
        self._input_descs = [[d.copy() for d in ds] for ds in other._input_descs]
        self._output_descs = [[d.copy() for d in ds] for ds in other._output_descs]
        self.__dict__.pop("_plans", None)

    def __repr__(self) -> str:
        # OpenVINO's binding names these classes if_op, loop and tensor_iterator
        outs = ", ".join(d.partial_shape.to_string() for d in self._outputs)
        return f"<{type(self).__name__}: '{self.get_friendly_name()}' ({outs})>"

    # --- bodies ---------------------------------------------------------------------------
    def get_function(self, index: int = 0) -> Any:
        self._check_body_index(index)
        return self._bodies[index]

    def set_function(self, *args: Any) -> None:
        """``set_function(body)`` or ``set_function(index, body)``."""
        if len(args) == 1:
            index, body = 0, args[0]
        elif len(args) == 2:
            index, body = args
        else:
            raise TypeError("set_function takes (body) or (index, body)")
        self._check_body_index(index)
        from .._model import Model

        if not isinstance(body, Model):
            raise TypeError(f"A body must be an openvino.Model, got {type(body).__name__}")
        self._bodies[index] = body
        self.__dict__.pop("_plans", None)

    def _check_body_index(self, index: int) -> None:
        if not 0 <= index < self.num_bodies:
            raise IndexError(f"{self.type_name} has {self.num_bodies} bodies, no body "
                             f"{index}")

    def get_input_descriptions(self, index: int = 0) -> list[Any]:
        self._check_body_index(index)
        return list(self._input_descs[index])

    def get_output_descriptions(self, index: int = 0) -> list[Any]:
        self._check_body_index(index)
        return list(self._output_descs[index])

    def set_input_descriptions(self, *args: Any) -> None:
        index, descs = (0, args[0]) if len(args) == 1 else args
        self._check_body_index(index)
        for d in descs:
            if not isinstance(d, INPUT_DESCRIPTIONS):
                raise TypeError(f"Not an input description: {d!r}")
        self._input_descs[index] = list(descs)

    def set_output_descriptions(self, *args: Any) -> None:
        index, descs = (0, args[0]) if len(args) == 1 else args
        self._check_body_index(index)
        for d in descs:
            if not isinstance(d, OUTPUT_DESCRIPTIONS):
                raise TypeError(f"Not an output description: {d!r}")
        self._output_descs[index] = list(descs)

    # --- building -------------------------------------------------------------------------
    def _add_input(self, value: Any) -> int:
        index = len(self._inputs)
        self.set_argument(index, as_output(value))
        return index

    def _parameter_index(self, body_index: int, parameter: Any) -> int:
        body = self._body_or_fail(body_index)
        node = parameter.get_node() if isinstance(parameter, Output) else parameter
        idx = body.get_parameter_index(node)
        if idx < 0:
            raise RuntimeError(f"{self._describe()}: '{node.get_friendly_name()}' is not a "
                               "Parameter of the body")
        return idx

    def _result_index(self, body_index: int, value: Any) -> int:
        body = self._body_or_fail(body_index)
        if isinstance(value, Node):
            if value.type_name == "Result":
                for i, r in enumerate(body.get_results()):
                    if r is value:
                        return i
            value = Output(value, 0)
        out = as_output(value)
        for i, r in enumerate(body.get_results()):
            if r is out._node:
                return i
            src = r._inputs[0]
            if src._node is out._node and src._index == out._index:
                return i
        raise RuntimeError(f"{self._describe()}: the body value "
                           f"'{out._node.get_friendly_name()}' is not a Result of the body")

    def _body_or_fail(self, index: int) -> Any:
        body = self._bodies[index]
        if body is None:
            raise RuntimeError(f"{self._describe()}: set the body (set_function) first")
        return body

    def _new_output(self) -> int:
        index = len(self._outputs)
        self.set_output_type(index, Type.dynamic, PartialShape.dynamic())
        return index

    # --- validation helpers -----------------------------------------------------------------
    def _layer(self) -> str:
        return f"{self.type_name} '{self.get_friendly_name()}'"

    def _check_descriptions(self, index: int) -> None:
        """Every description names an existing input/output and body port."""
        body = self._bodies[index]
        nparams = len(body.get_parameters())
        nresults = len(body.get_results())
        for d in self._input_descs[index]:
            self.check(0 <= d.input_index < len(self._inputs),
                       f"{self._layer()}: the port map names input {d.input_index}, the op "
                       f"has {len(self._inputs)} inputs")
            self.check(0 <= d.body_parameter_index < nparams,
                       f"{self._layer()}: the port map names body Parameter "
                       f"{d.body_parameter_index}, the body has {nparams}")
            if isinstance(d, MergedInputDescription):
                self.check(0 <= d.body_value_index < nresults,
                           f"{self._layer()}: a back edge starts at body Result "
                           f"{d.body_value_index}, the body has {nresults}")
        for d in self._output_descs[index]:
            self.check(0 <= d.body_value_index < nresults,
                       f"{self._layer()}: the port map names body Result "
                       f"{d.body_value_index}, the body has {nresults}")
            self.check(d.output_index >= 0,
                       f"{self._layer()}: the port map names output {d.output_index}")

    def _bind_parameters(self, index: int) -> None:
        """Give the body's Parameters the types and shapes of what the port map feeds them,
        then infer the body's types."""
        body = self._bodies[index]
        params = body.get_parameters()
        for d in self._input_descs[index]:
            src = self._inputs[d.input_index]
            et, ps = src.get_element_type(), src.get_partial_shape()
            param = params[d.body_parameter_index]
            if isinstance(d, SliceInputDescription):
                if ps.rank.is_static:
                    dims = list(ps)
                    axis = d.axis + len(dims) if d.axis < 0 else d.axis
                    self.check(0 <= axis < len(dims),
                               f"{self._layer()}: slice axis {d.axis} is out of range for "
                               f"input {d.input_index} of rank {len(dims)}")
                    dims[axis] = Dimension(d.part_size)
                    ps = PartialShape(dims)
            if not param.get_element_type().is_dynamic() and not et.is_dynamic():
                self.check(param.get_element_type() == et or
                           isinstance(d, MergedInputDescription),
                           f"{self._layer()}: input {d.input_index} is "
                           f"{et.get_type_name()}, its body Parameter "
                           f"'{param.get_friendly_name()}' is "
                           f"{param.get_element_type().get_type_name()}")
            param.set_element_type(et)
            param.set_partial_shape(ps)
        body.validate_nodes_and_infer_types()
        # a merged input whose body value has another shape changes shape per iteration
        results = body.get_results()
        again = False
        for d in self._input_descs[index]:
            if isinstance(d, MergedInputDescription):
                param = params[d.body_parameter_index]
                got = results[d.body_value_index].get_input_partial_shape(0)
                have = param.get_partial_shape()
                if not (have.is_static and got.is_static and have == got) and \
                        have.to_string() != got.to_string():
                    param.set_partial_shape(_relaxed(have, got))
                    again = True
        if again:
            body.validate_nodes_and_infer_types()
        self.__dict__.pop("_plans", None)

    def _output_type(self, index: int, d: Any, num_iterations: int | None) -> None:
        body = self._bodies[index]
        result = body.get_results()[d.body_value_index]
        et = result.get_input_element_type(0)
        ps = result.get_input_partial_shape(0)
        if isinstance(d, ConcatOutputDescription) and ps.rank.is_static:
            dims = list(ps)
            self.check(len(dims) > 0, f"{self._layer()}: a concatenated output needs a body "
                                      "value of rank 1 or more")
            axis = d.axis + len(dims) if d.axis < 0 else d.axis
            self.check(0 <= axis < len(dims), f"{self._layer()}: concat axis {d.axis} is out "
                                              f"of range for rank {len(dims)}")
            part = dims[axis]
            if num_iterations is not None and num_iterations >= 0 and part.is_static:
                dims[axis] = Dimension(part.get_length() * num_iterations)
            else:
                dims[axis] = Dimension.dynamic()
            ps = PartialShape(dims)
        self.set_output_type(d.output_index, et, ps)

    def _bodies_stateful(self) -> bool:
        for body in self._bodies:
            if body is None:
                continue
            for node in body.get_ordered_ops():
                if node.needs_state:
                    return True
        return False


def _relaxed(a: PartialShape, b: PartialShape) -> PartialShape:
    """A shape both ``a`` and ``b`` fit: equal dims kept, others dynamic."""
    if a.rank.is_dynamic or b.rank.is_dynamic or len(a) != len(b):
        return PartialShape.dynamic()
    dims = []
    for x, y in zip(a, b):
        if x.is_static and y.is_static and x.get_length() == y.get_length():
            dims.append(Dimension(x.get_length()))
        else:
            dims.append(Dimension.dynamic())
    return PartialShape(dims)


def merged_shape(a: PartialShape, b: PartialShape) -> PartialShape:
    """The shape an If output has when either branch may run."""
    return _relaxed(a, b)


def scalar_int(value: np.ndarray) -> int:
    return int(np.asarray(value).reshape(-1)[0])


def scalar_bool(value: np.ndarray) -> bool:
    return bool(np.asarray(value).reshape(-1)[0])
