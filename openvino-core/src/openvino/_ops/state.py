"""Stateful ops: ReadValue and Assign (v3 and v6) over ``openvino._variable.Variable``.

A ReadValue returns the current value of its variable (its init input, or zeros, while the
variable holds nothing); an Assign stores its input into the variable. Their references
receive ``state=``, a dict variable id -> array that lives across inferences.

Both keep their ``Variable`` in ``node.variable`` (``Model`` collects them from there). When
the IR reader builds a model it should call ``cls._from_ir_with_variables(inputs, data, name,
variables)`` with one dict per model, so every ReadValue/Assign of one ``variable_id`` shares
one ``Variable``; plain ``_from_ir`` works too but gives each node a Variable of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._attributes import REQUIRED, Attr
from .._node import Node, Output, as_output
from .._opsets import factory
from .._shape import PartialShape
from .._type import Type
from .._variable import Variable, VariableInfo

__all__ = ["ReadValue3", "ReadValue", "Assign3", "Assign"]


def _info(variable_id: str, data_type: Any = None, data_shape: Any = None) -> VariableInfo:
    info = VariableInfo()
    info.variable_id = str(variable_id)
    if data_type is not None:
        info.data_type = data_type if isinstance(data_type, Type) else Type(data_type)
    if data_shape is not None:
        info.data_shape = data_shape if isinstance(data_shape, PartialShape) \
            else PartialShape(data_shape)
    return info


def _parse_ir_attrs(cls: type, data: dict[str, str], name: str) -> dict[str, Any]:
    attrs = {}
    for key, spec in cls.attributes.items():
        ir_key = spec.ir_name or key
        if ir_key in data:
            try:
                attrs[key] = spec.parse(data[ir_key])
            except (ValueError, RuntimeError, TypeError) as e:
                raise RuntimeError(f"Layer '{name}' ({cls.type_name}): bad value "
                                   f"'{data[ir_key]}' for attribute '{ir_key}': {e}") from None
        elif spec.default is REQUIRED:
            raise RuntimeError(f"Layer '{name}' ({cls.type_name}): attribute '{ir_key}' is "
                               "missing")
        else:
            attrs[key] = spec.default
    return attrs


def _find_read_value(start: Sequence[Output], variable_id: str) -> Variable | None:
    """The variable of a ReadValue with ``variable_id`` among the producers of ``start``."""
    seen: set[int] = set()
    stack = [o.get_node() for o in start]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        var = getattr(node, "variable", None)
        if node.type_name == "ReadValue" and isinstance(var, Variable) \
                and var.get_variable_id() == variable_id:
            return var
        stack.extend(o.get_node() for o in node.input_values())
    return None


class _VariableOp(Node):
    """Common part of ReadValue and Assign: the ``variable`` they read or write.

    IR hook: ``_from_ir_with_variables(inputs, data, name, variables)`` builds the node from
    its IR layer, taking the ``Variable`` for ``data["variable_id"]`` from ``variables``
    (creating and storing it when absent), so one model shares one Variable per id."""

    needs_state = True
    variable: Variable | None = None

    def _init_variable_node(self, inputs: Sequence[Any], variable: Variable | None,
                            name: str | None) -> None:
        self._init_node([as_output(i) for i in inputs])
        self.variable = variable
        self._attrs = {}
        if name:
            self._friendly_name = name

    def _copy_state_from(self, other: Node) -> None:
        super()._copy_state_from(other)
        self.variable = getattr(other, "variable", None)

    # --- public API -------------------------------------------------------------------------
    def get_variable(self) -> Variable:
        if self.variable is None:
            raise RuntimeError(f"{self.type_name} '{self.get_friendly_name()}': variable is "
                               "not initialized")
        return self.variable

    def set_variable(self, variable: Variable) -> None:
        self.variable = variable
        self.validate_and_infer_types()

    def get_variable_id(self) -> str:
        return self.get_variable().get_variable_id()

    def _sync_attrs(self) -> None:
        info = self.get_variable().get_info()
        self._attrs = {"variable_id": info.variable_id}
        if "variable_type" in type(self).attributes:
            self._attrs["variable_type"] = info.data_type
            self._attrs["variable_shape"] = PartialShape(info.data_shape)

    def set_attribute(self, name: str, value: Any) -> None:
        super().set_attribute(name, value)
        var = self.get_variable()
        info = _info(self._attrs.get("variable_id", var.get_variable_id()),
                     self._attrs.get("variable_type", var.get_info().data_type),
                     self._attrs.get("variable_shape", var.get_info().data_shape))
        var.update(info)

    # --- IR ------------------------------------------------------------------------------
    @classmethod
    def _from_ir(cls, inputs: Sequence[Output], data: dict[str, str], name: str) -> Node:
        return cls._from_ir_with_variables(inputs, data, name, {})

    @classmethod
    def _from_ir_with_variables(cls, inputs: Sequence[Output], data: dict[str, str], name: str,
                                variables: dict[str, Variable]) -> Node:
        """Build from an IR layer, sharing ``variables`` (variable id -> Variable) with the
        other ReadValue/Assign layers of the same model; new variables are added to it."""
        attrs = _parse_ir_attrs(cls, data, name)
        vid = attrs["variable_id"]
        var = variables.get(vid)
        declared = "variable_type" in attrs
        if var is None:
            var = Variable(_info(vid, attrs.get("variable_type"), attrs.get("variable_shape")))
            variables[vid] = var
        elif declared and var.get_info().data_type.is_dynamic() \
                and var.get_info().data_shape.rank.is_dynamic:
            # created as a placeholder by an Assign read earlier
            var.update(_info(vid, attrs["variable_type"], attrs["variable_shape"]))
        node = cls.__new__(cls)
        node._init_variable_node(inputs, var, name)
        node.validate_and_infer_types()
        return node


class _ReadValueBase(_VariableOp):
    def reference(self, *inputs: np.ndarray, state: dict[str, np.ndarray]) -> np.ndarray:
        vid = self.get_variable_id()
        if vid in state:
            return state[vid]
        if inputs:
            return inputs[0]
        info = self.get_variable().get_info()
        if not info.data_shape.is_static or info.data_type.is_dynamic():
            raise RuntimeError(f"ReadValue '{self.get_friendly_name()}': variable '{vid}' holds "
                               f"no value and its type/shape ({info.data_type.get_type_name()}, "
                               f"{info.data_shape}) cannot make a zero one")
        return np.zeros(list(info.data_shape.to_shape()), dtype=info.data_type.evaluation_dtype)


class ReadValue3(_ReadValueBase):
    """ReadValue v3: returns variable ``variable_id``, or its init input while unset; the
    variable takes the init input's type and shape."""

    type_name = "ReadValue"
    version = "opset3"
    attributes = {"variable_id": Attr.str()}

    def __init__(self, init_value: Any, variable_id: str, name: str | None = None) -> None:
        self._init_variable_node([init_value], Variable(_info(variable_id)), name)
        self.validate_and_infer_types()

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 1, "ReadValue-3 takes one input (init_value)")
        var = self.get_variable()
        et = self.get_input_element_type(0)
        ps = self.get_input_partial_shape(0)
        var.update(_info(var.get_variable_id(), et, ps))
        self._sync_attrs()
        self.set_output_type(0, et, PartialShape(ps))


class ReadValue(_ReadValueBase):
    """ReadValue v6: returns its variable's value, else the optional init input, else zeros
    of the variable's shape. The output has the variable's type and shape; a variable with
    dynamic type and rank takes them from the init input.

    IR attributes ``variable_id``, ``variable_type``, ``variable_shape``; the IR reader shares
    one Variable per id through ``_from_ir_with_variables`` (see ``_VariableOp``)."""

    type_name = "ReadValue"
    version = "opset6"
    attributes = {"variable_id": Attr.str(), "variable_type": Attr.type(Type.dynamic),
                  "variable_shape": Attr.shape(PartialShape.dynamic())}

    def __init__(self, *args: Any, name: str | None = None) -> None:
        """``ReadValue(variable)``, ``ReadValue(init_value, variable)``."""
        inputs = [a for a in args if not isinstance(a, Variable)]
        variables = [a for a in args if isinstance(a, Variable)]
        if len(variables) != 1 or len(inputs) > 1:
            raise TypeError("ReadValue expects (variable) or (init_value, variable)")
        self._init_variable_node(inputs, variables[0], name)
        self.validate_and_infer_types()

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() <= 1, "ReadValue-6 takes at most one input "
                   "(init_value)")
        var = self.get_variable()
        info = var.get_info()
        if self.get_input_size() == 1:
            et = self.get_input_element_type(0)
            ps = self.get_input_partial_shape(0)
            if info.data_type.is_dynamic() and info.data_shape.rank.is_dynamic:
                var.update(_info(info.variable_id, et, ps))
            else:
                self.check(info.data_shape.relaxes(ps),
                           f"The shape specified in the Variable ({info.data_shape}) has to "
                           f"extend (relax) the shape of the init value ({ps})")
                self.check(info.data_type.is_dynamic() or info.data_type.compatible(et),
                           f"The type specified in the Variable "
                           f"({info.data_type.get_type_name()}) is not "
                           f"compatible with the type of the init value ({et.get_type_name()})")
        info = var.get_info()
        self._sync_attrs()
        self.set_output_type(0, info.data_type, PartialShape(info.data_shape))


class _AssignBase(_VariableOp):
    def reference(self, value: np.ndarray, *, state: dict[str, np.ndarray]) -> np.ndarray:
        state[self.get_variable_id()] = np.array(value, copy=True)
        return value

    def _check_against_variable(self) -> None:
        info = self.get_variable().get_info()
        et = self.get_input_element_type(0)
        ps = self.get_input_partial_shape(0)
        self.check(info.data_type.compatible(et), f"Variables types are inconsistent: variable "
                   f"'{info.variable_id}' is {info.data_type.get_type_name()}, the assigned "
                   f"value is {et.get_type_name()}")
        self.check(info.data_shape.compatible(ps), f"Variables output shapes are inconsistent: "
                   f"variable '{info.variable_id}' is {info.data_shape}, the assigned value is "
                   f"{ps}")
        self._sync_attrs()
        self.set_output_type(0, et, PartialShape(ps))


class Assign3(_AssignBase):
    """Assign v3: stores its input into the variable of the ReadValue-3 with the same
    ``variable_id`` among its producers."""

    type_name = "Assign"
    version = "opset3"
    attributes = {"variable_id": Attr.str()}

    def __init__(self, new_value: Any, variable_id: str, name: str | None = None) -> None:
        self._init_variable_node([new_value], None, name)
        self._attrs = {"variable_id": str(variable_id)}
        self.validate_and_infer_types()

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 1, "Assign takes one input (new_value)")
        if self.variable is None:
            vid = self._attrs.get("variable_id", "")
            self.variable = _find_read_value(self.input_values(), vid)
            self.check(self.variable is not None, f"Can't find variable with id = {vid}")
        self._check_against_variable()


class Assign(_AssignBase):
    """Assign v6: stores its input into ``variable``. IR attribute ``variable_id``; the IR
    reader shares one Variable per id through ``_from_ir_with_variables`` (see
    ``_VariableOp``)."""

    type_name = "Assign"
    version = "opset6"
    attributes = {"variable_id": Attr.str()}

    def __init__(self, *args: Any, name: str | None = None) -> None:
        """``Assign()`` (empty, to be completed), ``Assign(new_value, variable)`` or
        ``Assign(new_value, variable_id)`` (the variable of a ReadValue with that id among the
        producers, else a new one)."""
        if not args:
            self._init_variable_node([], None, name)
            return
        if len(args) != 2:
            raise TypeError("Assign expects (), (new_value, variable) or "
                            "(new_value, variable_id)")
        value, var = args
        if not isinstance(var, Variable):
            out = as_output(value)
            var = _find_read_value([out], str(var)) or Variable(_info(str(var)))
        self._init_variable_node([value], var, name)
        self.validate_and_infer_types()

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 1, "Assign takes one input (new_value)")
        self._check_against_variable()


# --- factories ----------------------------------------------------------------------------
@factory("read_value", since=3)
def read_value3(init_value: Any, variable_id: str, name: str | None = None) -> ReadValue3:
    """Read variable ``variable_id``; ``init_value`` is returned while it is unset."""
    return ReadValue3(init_value, variable_id, name=name)


@factory("assign", since=3)
def assign3(new_value: Any, variable_id: str, name: str | None = None) -> Assign3:
    """Store ``new_value`` into variable ``variable_id`` (created by a ReadValue)."""
    return Assign3(new_value, variable_id, name=name)


@factory("read_value", since=6)
def read_value(*args: Any, **kwargs: Any) -> ReadValue:
    """Read a variable. Forms: ``read_value(init_value, variable_id, variable_type=None,
    variable_shape=None, name=None)``, ``read_value(variable_id, variable_type,
    variable_shape, name=None)``, ``read_value(variable, name=None)``,
    ``read_value(init_value, variable, name=None)``."""
    name = kwargs.pop("name", None)
    init = kwargs.pop("init_value", None)
    variable = kwargs.pop("ov_variable", kwargs.pop("variable", None))
    vid = kwargs.pop("variable_id", None)
    vtype = kwargs.pop("variable_type", None)
    vshape = kwargs.pop("variable_shape", None)
    if kwargs:
        raise TypeError(f"read_value got unexpected arguments {sorted(kwargs)}")
    rest = list(args)
    if rest and not isinstance(rest[0], (str, Variable)):
        init = rest.pop(0)
    if rest and isinstance(rest[0], Variable):
        variable = rest.pop(0)
    elif rest and isinstance(rest[0], str):
        vid = rest.pop(0)
    if variable is not None:
        if rest:
            name = rest.pop(0)
    else:
        for slot in ("type", "shape", "name"):
            if not rest:
                break
            v = rest.pop(0)
            if slot == "type":
                vtype = v
            elif slot == "shape":
                vshape = v
            else:
                name = v
    if rest:
        raise TypeError(f"read_value got too many arguments: {args!r}")
    if variable is None:
        if vid is None:
            raise TypeError("read_value needs a variable_id or a Variable")
        variable = Variable(_info(vid, vtype, vshape))
    node = ReadValue(variable, name=name) if init is None else ReadValue(init, variable,
                                                                         name=name)
    return node


@factory("assign", since=6)
def assign(*args: Any, **kwargs: Any) -> Assign:
    """Store a value into a variable. Forms: ``assign()`` (empty node),
    ``assign(new_value, variable_id, name=None)``, ``assign(new_value, variable, name=None)``."""
    name = kwargs.pop("name", None)
    value = kwargs.pop("new_value", None)
    target = kwargs.pop("ov_variable", kwargs.pop("variable", kwargs.pop("variable_id", None)))
    if kwargs:
        raise TypeError(f"assign got unexpected arguments {sorted(kwargs)}")
    rest = list(args)
    if rest and value is None:
        value = rest.pop(0)
    if rest and target is None:
        target = rest.pop(0)
    if rest and name is None:
        name = rest.pop(0)
    if rest:
        raise TypeError(f"assign got too many arguments: {args!r}")
    if value is None and target is None:
        return Assign(name=name)
    if value is None or target is None:
        raise TypeError("assign needs both new_value and a variable (or variable_id)")
    return Assign(value, target, name=name)
