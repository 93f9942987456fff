"""``openvino.Model``: a graph of ops between Parameters and Results (plus sinks and
variables for stateful models)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

import numpy as np

from ._node import ConstOutput, Node, Output, as_output
from ._rt_info import RTMap, plain_value
from ._shape import Dimension, PartialShape
from ._tensor import Tensor
from ._variable import Variable

__all__ = ["Model"]


def _as_result(value: Any) -> Node:
    from ._ops.result import Result

    if isinstance(value, Result):
        return value
    if isinstance(value, Node):
        if value.type_name == "Result":
            return value
        return Result(value.get_default_output())
    return Result(as_output(value))


def _as_sink(value: Any) -> Node:
    if isinstance(value, ConstOutput):
        return value.get_node()
    if isinstance(value, Node):
        return value
    raise TypeError("Incorrect argument type. Sink node is expected as argument.")


class Model:
    """A model: results, parameters, sinks (Assign nodes) and variables.

    ``Model(outputs, parameters, name="")`` where outputs is a node (each of its outputs
    is a result), an ``Output`` or a list of them (non-Result values get a Result; a node
    in a list stands for its output 0), or keywords
    ``Model(results=..., sinks=..., parameters=..., variables=..., name=...)``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        results = kwargs.pop("results", None)
        sinks = kwargs.pop("sinks", None)
        parameters = kwargs.pop("parameters", None)
        variables = kwargs.pop("variables", None)
        name = kwargs.pop("name", None)
        if kwargs:
            raise TypeError(f"Model got unexpected arguments {sorted(kwargs)}")
        rest = list(args)
        if rest and results is None:
            results = rest.pop(0)
        # Model(results, sinks, parameters, name) or Model(results, parameters, name)
        if rest and parameters is None:
            if len(rest) >= 2 and isinstance(rest[1], (list, tuple)):
                sinks = rest.pop(0)
            parameters = rest.pop(0)
        if rest and name is None:
            name = rest.pop(0)
        if rest and variables is None and isinstance(rest[0], (list, tuple)):
            variables = rest.pop(0)
        if results is None:
            raise TypeError("Model needs results (outputs)")
        if isinstance(results, Node) and results.type_name != "Result":
            results = results.outputs()  # one node: every output of it is a result
        elif not isinstance(results, (list, tuple)):
            results = [results]
        self._setup(results, sinks, parameters, variables, name)
        ops = self.get_ordered_ops()
        self._collect_variables(ops)
        self._check_parameters(ops)
        self._name_unnamed_ports()

    @classmethod
    def _of_complete_graph(cls, results: list[Node], sinks: list[Node],
                           parameters: list[Node], name: str, holders: Iterable[Node]) -> Model:
        """Internal (the IR reader): the model of an acyclic graph with every Parameter of
        it listed in ``parameters``; ``holders`` are the graph's nodes that may hold a
        variable (``node.variable``: the ops built with the IR's shared variables). That
        makes the constructor's graph walk needless unless a node holds a variable."""
        model = cls.__new__(cls)
        model._setup(results, sinks, parameters, None, name)
        if any(isinstance(getattr(n, "variable", None), Variable) for n in holders):
            model._collect_variables()
        return model

    # --- construction helpers --------------------------------------------------------
    def _setup(self, results: list[Any], sinks: list[Any] | None, parameters: list[Any] | None,
               variables: list[Variable] | None, name: str | None) -> None:
        self._results = [_as_result(r) for r in results]
        self._sinks = [_as_sink(s) for s in (sinks or [])]
        self._parameters = list(parameters or [])
        for p in self._parameters:
            if getattr(p, "type_name", None) != "Parameter":
                raise TypeError(f"Model parameters must be Parameter nodes, got {p!r}")
        self._name = name or ""
        self._friendly_name = name
        self._rt_info = RTMap()
        self._variables: list[Variable] = list(variables or [])

    def _name_unnamed_ports(self) -> None:
        """As the binding's Model constructor: a Parameter whose tensor has no name takes its
        friendly name as tensor name, then so does a Result (on the tensor it shares with the
        value it receives). Models read from files keep the names the file gives."""
        for node in self._parameters:
            desc = node._outputs[0]
            if not desc.names:
                desc.names = {node.get_friendly_name()}
        for node in self._results:
            desc = node._outputs[0]
            if not desc.names:
                desc.names = {node.get_friendly_name()}

    def _collect_variables(self, ops: list[Node] | None = None) -> None:
        """Add the variables of the graph's ops (``ops``: the ordered ops, when known)."""
        known = {v.get_info().variable_id for v in self._variables}
        for node in self.get_ordered_ops() if ops is None else ops:
            var = getattr(node, "variable", None)
            if isinstance(var, Variable) and var.get_info().variable_id not in known:
                self._variables.append(var)
                known.add(var.get_info().variable_id)

    def _check_parameters(self, ops: list[Node]) -> None:
        listed = {id(p) for p in self._parameters}
        for node in ops:
            if node.type_name == "Parameter" and id(node) not in listed:
                raise RuntimeError(
                    f"Model references undeclared parameter '{node.get_friendly_name()}'; "
                    "pass it in the parameters list")

    # --- names ----------------------------------------------------------------------------
    def get_name(self) -> str:
        return self._name or f"Model{id(self) & 0xFFFF}"

    def get_friendly_name(self) -> str:
        return self._friendly_name if self._friendly_name else self.get_name()

    def set_friendly_name(self, name: str) -> None:
        self._friendly_name = name

    friendly_name = property(get_friendly_name, set_friendly_name)
    name = property(get_name)

    # --- graph traversal -----------------------------------------------------------------------
    def get_ordered_ops(self) -> list[Node]:
        """Every node, each after all of its inputs: the Parameters first, then what the
        last sink needs, ... the first sink, the last Result, ... the first Result (the
        order OpenVINO's topological sort gives, inputs visited in order). An Assign also
        comes after every ReadValue of its variable (a control dependency), so running the
        ops in this order reads each state before it is written."""
        order: list[Node] = []
        state: dict[int, int] = {}  # 1 = on stack, 2 = done
        roots = list(self._results) + list(self._sinks)
        roots.reverse()
        readers = self._state_readers() if self._sinks else None
        for p in self._parameters:
            if id(p) not in state:
                state[id(p)] = 2
                order.append(p)
        get = state.get
        for root in roots:
            if get(id(root)) == 2:
                continue
            # depth first: each node on the stack with an iterator over its inputs
            stack: list[Node] = [root]
            pending = [_sources(root, readers)]
            state[id(root)] = 1
            while stack:
                for source in pending[-1]:
                    src = source._node
                    s = get(id(src))
                    if s is None:
                        state[id(src)] = 1
                        stack.append(src)
                        pending.append(_sources(src, readers))
                        break
                    if s == 1:
                        raise RuntimeError(
                            f"Model has a cycle through node '{src.get_friendly_name()}'")
                else:
                    node = stack.pop()
                    pending.pop()
                    state[id(node)] = 2
                    order.append(node)
        return order

    def _state_readers(self) -> dict[str, list[Output]]:
        """The ReadValue nodes of the graph by variable id (as outputs, the form the ordering
        walk follows)."""
        readers: dict[str, list[Output]] = {}
        seen: set[int] = set()
        todo = list(self._results) + list(self._sinks)
        while todo:
            node = todo.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.type_name == "ReadValue":
                var = getattr(node, "variable", None)
                if isinstance(var, Variable):
                    readers.setdefault(var.get_info().variable_id, []).append(Output(node, 0))
            todo.extend(source._node for source in node._inputs)
        return readers

    def get_ops(self) -> list[Node]:
        return self.get_ordered_ops()

    # --- inputs / outputs ---------------------------------------------------------------
    @property
    def inputs(self) -> list[Output]:
        return [Output(p, 0) for p in self._parameters]

    @property
    def outputs(self) -> list[Output]:
        return [Output(r, 0) for r in self._results]

    def input(self, key: Any = None, *, index: int | None = None,
              tensor_name: str | None = None) -> Output:
        """``input()`` of a one-input model, ``input(i)`` / ``input(index=i)``, or
        ``input(name)`` / ``input(tensor_name=name)``."""
        if key is None:
            key = index if index is not None else tensor_name
        if key is None:
            if len(self._parameters) != 1:
                raise RuntimeError("input() must be called on a model with exactly one "
                                   "parameter.")
            return Output(self._parameters[0], 0)
        if isinstance(key, str):
            for p in self._parameters:
                if key in p._outputs[0].names or key == p.get_friendly_name():
                    return Output(p, 0)
            raise RuntimeError(f"Input for tensor name '{key}' is not found")
        return Output(self._parameters[int(key)], 0)

    def output(self, key: Any = None, *, index: int | None = None,
               tensor_name: str | None = None) -> Output:
        """``output()`` of a one-output model, ``output(i)`` / ``output(index=i)``, or
        ``output(name)`` / ``output(tensor_name=name)``."""
        if key is None:
            key = index if index is not None else tensor_name
        if key is None:
            if len(self._results) != 1:
                raise RuntimeError("output() must be called on a model with exactly one "
                                   "result.")
            return Output(self._results[0], 0)
        if isinstance(key, str):
            for r in self._results:
                if key in r._outputs[0].names:
                    return Output(r, 0)
            raise RuntimeError(f"Output for tensor name '{key}' is not found")
        return Output(self._results[int(key)], 0)

    def get_output_size(self) -> int:
        return len(self._results)

    def get_output_op(self, index: int) -> Node:
        return self._results[index]

    def get_output_element_type(self, index: int) -> Any:
        return self._results[index].get_output_element_type(0)

    def get_output_partial_shape(self, index: int) -> PartialShape:
        return self._results[index].get_output_partial_shape(0)

    def get_output_shape(self, index: int) -> Any:
        return self._results[index].get_output_shape(0)

    # --- results / parameters / sinks / variables ------------------------------------------
    def get_parameters(self) -> list[Node]:
        return list(self._parameters)

    def get_results(self) -> list[Node]:
        return list(self._results)

    def get_sinks(self) -> list[Node]:
        return list(self._sinks)

    parameters = property(get_parameters)
    results = property(get_results)
    sinks = property(get_sinks)

    def get_parameter_index(self, parameter: Node) -> int:
        for i, p in enumerate(self._parameters):
            if p is parameter:
                return i
        return -1

    def get_result_index(self, value: Any) -> int:
        if isinstance(value, ConstOutput):
            for i, r in enumerate(self._results):
                if value.get_node() is r or (r._inputs[0] == value):
                    return i
            return -1
        for i, r in enumerate(self._results):
            if r is value:
                return i
        return -1

    def get_sink_index(self, value: Any) -> int:
        if isinstance(value, ConstOutput):
            value = value.get_node()
        if not isinstance(value, Node):
            raise TypeError("Incorrect argument type. Sink node is expected as argument.")
        for i, s in enumerate(self._sinks):
            if s is value:
                return i
        return -1

    def replace_parameter(self, index: int, parameter: Node) -> None:
        old = self._parameters[index]
        Output(old, 0).replace(Output(parameter, 0))
        self._parameters[index] = parameter

    def add_parameters(self, parameters: Iterable[Node]) -> None:
        for p in parameters:
            if any(p is q for q in self._parameters):
                raise RuntimeError(f"Parameter '{p.get_friendly_name()}' is already in the model")
            self._parameters.append(p)

    def remove_parameter(self, parameter: Node) -> None:
        self._parameters = [p for p in self._parameters if p is not parameter]

    def add_results(self, results: Iterable[Any]) -> list[Node]:
        added = [_as_result(r) for r in results]
        self._results.extend(added)
        return added

    def remove_result(self, result: Node) -> None:
        self._results = [r for r in self._results if r is not result]

    def add_sinks(self, sinks: Iterable[Any]) -> None:
        for s in sinks:
            self._sinks.append(_as_sink(s))
        self._collect_variables()

    def remove_sink(self, sink: Any) -> None:
        node = _as_sink(sink)
        self._sinks = [s for s in self._sinks if s is not node]

    def get_variables(self) -> list[Variable]:
        return list(self._variables)

    variables = property(get_variables)

    def add_variables(self, variables: Iterable[Variable]) -> None:
        self._variables.extend(variables)

    def remove_variable(self, variable: Variable) -> None:
        self._variables = [v for v in self._variables if v is not variable]

    def get_variable_by_id(self, variable_id: str) -> Variable:
        for v in self._variables:
            if v.get_info().variable_id == variable_id:
                return v
        raise RuntimeError(f"Variable with id '{variable_id}' is not found in the model")

    # --- add_outputs ---------------------------------------------------------------------------
    def add_outputs(self, outputs: Any) -> list[Output]:
        """Add results for tensor names, ``(op_name, port)`` pairs or ``Output`` objects
        (one or a list); an output that already is a result gives that result."""
        items = outputs if isinstance(outputs, list) else [outputs]
        added = []
        for pos, item in enumerate(items):
            try:
                out = self._find_output(item)
            except TypeError as e:
                if isinstance(outputs, list):
                    raise TypeError(f"{str(e).rstrip('.')} at index {pos}.") from None
                raise
            for r in self._results:
                if r is out._node or r._inputs[0] == out:
                    added.append(Output(r, 0))
                    break
            else:
                res = _as_result(out)
                self._results.append(res)
                added.append(Output(res, 0))
        return added

    def _find_output(self, item: Any) -> Output:
        if isinstance(item, Output):
            return item
        if isinstance(item, str):
            for node in self.get_ordered_ops():
                for i, d in enumerate(node._outputs):
                    if item in d.names and node.type_name != "Result":
                        return Output(node, i)
            raise RuntimeError(f"Model::add_output. Tensor name '{item}' was not found.")
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            op_name, port = item
            for node in self.get_ordered_ops():
                if node.get_friendly_name() == op_name:
                    if not 0 <= int(port) < len(node._outputs):
                        raise RuntimeError(f"Cannot add output to port {port} operation "
                                           f"{op_name} has only {len(node._outputs)} outputs.")
                    return Output(node, int(port))
            raise RuntimeError(f"Model::add_output. Operation with name '{op_name}' was not "
                               "found.")
        raise TypeError("Incorrect type of a value to add as output.")

    # --- shapes ----------------------------------------------------------------------------
    def is_dynamic(self) -> bool:
        return any(n._outputs and any(d.partial_shape.is_dynamic for d in n._outputs)
                   for n in self.get_ordered_ops())

    dynamic = property(is_dynamic)

    def validate_nodes_and_infer_types(self) -> None:
        for node in self.get_ordered_ops():
            node.validate_and_infer_types()

    def reshape(self, shapes: Any, variables_shapes: dict | None = None) -> None:
        """Set new input shapes (and variable shapes) and re-infer the graph.

        ``shapes`` is one shape (a model with one input) or ``{key: shape}`` where a key is
        an input index, a tensor name or an input ``Output``. A shape is a
        ``PartialShape``, a string (``"1,3,?,224"``, ``"[1..10, ?]"``) or a list/tuple of
        dimensions (int, ``-1``, str, ``Dimension`` or a ``(min, max)`` pair).
        ``variables_shapes`` is ``{variable_id: shape}``. On an error the model keeps its
        shapes."""
        new: dict[int, PartialShape] = {}
        if isinstance(shapes, dict):
            for key, value in shapes.items():
                idx = self._parameter_index_for(key)
                new[idx] = _reshape_value(value)
        else:
            value = _reshape_value(shapes)
            if len(self._parameters) != 1:
                raise RuntimeError("reshape(shape) must be called on a Model with exactly one "
                                   f"parameter; this one has {len(self._parameters)}: pass "
                                   "{input: shape}")
            new[0] = value
        var_new: dict[str, tuple[Variable, PartialShape]] = {}
        for key, value in (variables_shapes or {}).items():
            if not isinstance(key, str):
                raise TypeError(f"Incorrect key type {type(key)} to reshape a model, "
                                "expected values as str.")
            var_new[key] = (self.get_variable_by_id(key), _reshape_value(value))
        saved = {i: PartialShape(self._parameters[i].get_partial_shape()) for i in new}
        saved_vars = [(var, PartialShape(var.get_info().data_shape))
                      for var, _ in var_new.values()]
        try:
            for var, ps in var_new.values():
                var.update_data_shape(ps)
            for i, ps in new.items():
                self._parameters[i].set_partial_shape(ps)
            self.validate_nodes_and_infer_types()
        except Exception:
            for var, ps in saved_vars:
                var.update_data_shape(ps)
            for i, ps in saved.items():
                self._parameters[i].set_partial_shape(ps)
            self.validate_nodes_and_infer_types()
            raise

    def _parameter_index_for(self, key: Any) -> int:
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            if not 0 <= int(key) < len(self._parameters):
                raise IndexError(f"Model has no input {key}: it has {len(self._parameters)} "
                                 "inputs")
            return int(key)
        if isinstance(key, str):
            for i, p in enumerate(self._parameters):
                if key in p._outputs[0].names:
                    return i
            # OpenVINO names an unnamed input's tensor after the Parameter
            for i, p in enumerate(self._parameters):
                if not p._outputs[0].names and p.get_friendly_name() == key:
                    return i
            raise RuntimeError(f"Input for tensor name '{key}' is not found.")
        if isinstance(key, Output):
            node = key.get_node()
            idx = self.get_parameter_index(node)
            if idx < 0:
                raise RuntimeError(f"PartialShape for port '{node._describe()}' is not used in "
                                   "Model.reshape: it is not an input of the model")
            return idx
        raise TypeError(f"Incorrect key type {type(key)} to reshape a model, expected keys as "
                        "openvino.Output, int or str.")

    # --- evaluation --------------------------------------------------------------------------
    def evaluate(self, output_tensors: list, input_tensors: list, *args: Any) -> bool:
        """Run the model through the reference semantics."""
        from ._reference_executor import ReferencePlan

        if len(input_tensors) != len(self._parameters):
            raise RuntimeError(f"Cannot evaluate model! It takes {len(self._parameters)} "
                               f"inputs, got {len(input_tensors)}")
        arrays = []
        for p, t in zip(self._parameters, input_tensors):
            if not p.get_partial_shape().compatible(PartialShape(list(t.get_shape()))):
                raise RuntimeError(f"Cannot evaluate model! Input '{p.get_friendly_name()}' "
                                   f"expects {p.get_partial_shape()}, got {t.get_shape()}")
            arrays.append(t._to_evaluation())
        outs = ReferencePlan(self).run(arrays)
        for i, (r, value) in enumerate(zip(self._results, outs)):
            t = Tensor._from_evaluation(value, r.get_output_element_type(0))
            if i < len(output_tensors):
                tgt = output_tensors[i]
                tgt._type, tgt._shape, tgt._data, tgt._owner = t._type, t._shape, t._data, None
            else:
                output_tensors.append(t)
        return True

    # --- copying ----------------------------------------------------------------------------------
    def clone(self) -> Model:
        """A deep copy of the graph (constants share their data)."""
        mapping: dict[int, Node] = {}
        for node in self.get_ordered_ops():
            new_inputs = [Output(mapping[id(s._node)], s._index) for s in node._inputs]
            if node.type_name == "Parameter":
                new = type(node).__new__(type(node))
                new._init_node(())
                new._copy_state_from(node)
                new.validate_and_infer_types()
                new._outputs[0].names = set(node._outputs[0].names)
                new._outputs[0].rt_info = RTMap(node._outputs[0].rt_info)
            else:
                new = node.clone_with_new_inputs(new_inputs)
            if new._friendly_name is None:  # a default name is kept, as OpenVINO's clone does
                new._friendly_name = node.get_friendly_name()
            mapping[id(node)] = new
        m = Model.__new__(Model)
        m._results = [mapping[id(r)] for r in self._results]
        m._sinks = [mapping[id(s)] for s in self._sinks]
        m._parameters = [mapping[id(p)] for p in self._parameters]
        m._name = self._name
        m._friendly_name = self._friendly_name
        m._rt_info = _copy_rt(self._rt_info)
        # the clone gets variables of its own, shared by its ReadValue/Assign nodes
        # (the copies, in this graph's order, are in the clone's order: no second sort)
        copies: dict[int, Variable] = {id(v): Variable(v.get_info()) for v in self._variables}
        ops = list(mapping.values())
        for node in ops:
            var = getattr(node, "variable", None)
            if isinstance(var, Variable):
                if id(var) not in copies:
                    copies[id(var)] = Variable(var.get_info())
                node.variable = copies[id(var)]
        m._variables = [copies[id(v)] for v in self._variables]
        m._collect_variables(ops)
        return m

    def __copy__(self) -> Model:
        raise TypeError("Cannot copy 'openvino.Model'. Please, use deepcopy instead.")

    def __deepcopy__(self, memo: Any) -> Model:
        return self.clone()

    def _get_raw_address(self) -> int:
        return id(self)

    # --- rt_info --------------------------------------------------------------------------------
    def get_rt_info(self, path: Any = None) -> Any:
        from ._ov_any import OVAny

        if path is None:
            return self._rt_info
        keys = [path] if isinstance(path, str) else list(path)
        cur: Any = self._rt_info
        for k in keys:
            if not isinstance(cur, dict) or k not in cur:
                raise RuntimeError(f"Cannot get runtime attribute. Path to runtime attribute "
                                   f"is incorrect: {keys}")
            cur = dict.__getitem__(cur, k) if isinstance(cur, RTMap) else cur[k]
        if isinstance(cur, OVAny) and not isinstance(cur.value, dict):
            return cur
        return OVAny(plain_value(cur))

    def has_rt_info(self, path: Any) -> bool:
        keys = [path] if isinstance(path, str) else list(path)
        cur: Any = self._rt_info
        for k in keys:
            if not isinstance(cur, dict) or k not in cur:
                return False
            cur = dict.__getitem__(cur, k)
        return True

    def set_rt_info(self, value: Any, path: Any) -> None:
        keys = [path] if isinstance(path, str) else list(path)
        cur: dict = self._rt_info
        for k in keys[:-1]:
            nxt = dict.get(cur, k)
            if not isinstance(nxt, dict):
                nxt = {}
                dict.__setitem__(cur, k, nxt)
            cur = nxt
        dict.__setitem__(cur, keys[-1], getattr(value, "value", value))

    rt_info = property(get_rt_info)

    def __repr__(self) -> str:
        # one port a line, each shown as the binding shows a model's ports (ConstOutput)
        ins = ",\n".join(repr(ConstOutput(p, 0)) for p in self._parameters)
        outs = ",\n".join(repr(ConstOutput(r, 0)) for r in self._results)
        return f"<Model: '{self.get_friendly_name()}'\ninputs[\n{ins}\n]\noutputs[\n{outs}\n]>"


def _sources(node: Node, readers: dict[str, list[Output]] | None) -> Iterator[Output]:
    """What ``node`` waits for: its inputs, and for an Assign the ReadValues of its
    variable."""
    if readers and node.type_name == "Assign":
        var = getattr(node, "variable", None)
        if isinstance(var, Variable):
            return chain(node._inputs, readers.get(var.get_info().variable_id, ()))
    return iter(node._inputs)


def _copy_rt(rt: dict) -> RTMap:
    out = RTMap()
    for k, v in dict.items(rt):
        dict.__setitem__(out, k, _copy_rt(v) if isinstance(v, dict) else v)
    return out


def _reshape_value(value: Any) -> PartialShape:
    if isinstance(value, PartialShape):
        return PartialShape(value)
    if isinstance(value, str):
        return PartialShape.from_string(value)
    if isinstance(value, (list, tuple)):
        return PartialShape([_reshape_dimension(v) for v in value])
    raise TypeError(f"Incorrect value type {type(value)} to reshape a model, expected values "
                    "as openvino.PartialShape, str, list or tuple.")


def _reshape_dimension(value: Any) -> Dimension:
    """One dimension of a reshape value: int (``-1`` dynamic), str, ``Dimension`` or a
    ``(min, max)`` pair."""
    if isinstance(value, Dimension):
        return Dimension(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Dimension(int(value))
    if isinstance(value, str):
        return Dimension.from_string(value)
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise TypeError("Two elements are expected in tuple(lower, upper) for dynamic "
                            f"dimension, but {len(value)} elements were given.")
        return Dimension(*value)
    raise TypeError(f"Incorrect type {type(value)} for dimension. Expected types are: int, "
                    "str, openvino.Dimension, list/tuple with lower and upper values for "
                    "dynamic dimension.")
