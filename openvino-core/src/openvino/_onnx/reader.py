"""``read_onnx``: load an ONNX model with the ``onnx`` package and build our ``Model``.

Initializers become ``Constant`` nodes, graph inputs ``Parameter`` nodes (``dim_param`` and
missing dimensions stay dynamic), and every ONNX tensor name is kept as the name of the
output that carries it. Each node goes through its mapping (see ``registry``); an op without
one is expanded through its ONNX function body when the ``onnx`` package defines one.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from .._model import Model
from .._node import Node, Output
from .._shape import PartialShape
from .._type import Type
from .context import MappingError, NodeContext
from .external_data import resolve_external_data
from .functions import expand_function, schema_function
from .registry import find_mapping, normalize_domain
from .types import array_of_tensor, constant_of_tensor, ov_type, partial_shape_of

__all__ = ["read_onnx", "import_onnx"]

_INSTALL_HINT = ("Reading ONNX models needs the 'onnx' package; install it with "
                 "`pip install openvino-core[onnx]`")


def import_onnx() -> Any:
    """The ``onnx`` module, or an ImportError that says how to install it."""
    try:
        import onnx
    except ImportError as e:
        raise ImportError(_INSTALL_HINT) from e
    return onnx


def read_onnx(model: str | os.PathLike | bytes | bytearray | memoryview | Any) -> Model:
    """Read an ONNX model from a path, from its bytes, or from a binary file object.

    External data files are looked up next to the model file (for bytes, in the current
    directory). Errors in the file or in a node raise ``RuntimeError`` naming what failed."""
    onnx = import_onnx()
    data, base_dir, label = _read_source(model)
    proto = onnx.ModelProto()
    try:
        proto.ParseFromString(data)
    except Exception as e:  # google.protobuf DecodeError and friends
        raise RuntimeError(f"{label} is not a valid ONNX model (cannot parse the protobuf: "
                           f"{e})") from None
    del data  # the parsed message holds its own copy: not both while the graph is built
    if not proto.HasField("graph"):
        raise RuntimeError(f"{label} is not a valid ONNX model: it has no graph")
    resolve_external_data(proto, base_dir)
    opsets: dict[str, int] = {}
    for imp in proto.opset_import:
        opsets[normalize_domain(imp.domain)] = int(imp.version)
    if "" not in opsets:
        opsets[""] = 1 if proto.ir_version < 3 else 28
    functions = {(normalize_domain(f.domain), f.name): f for f in proto.functions}
    builder = GraphBuilder(opsets, functions)
    return builder.build_model(proto.graph)


def _read_source(model: Any) -> tuple[bytes, str, str]:
    """The model bytes, the folder external data is relative to, and a label for errors."""
    if isinstance(model, (str, os.PathLike)):
        path = Path(model)
        if not path.is_file():
            raise RuntimeError(f"ONNX model file '{path}' does not exist or is not a file")
        return path.read_bytes(), str(path.resolve().parent), f"ONNX model file '{path}'"
    if isinstance(model, (bytes, bytearray, memoryview)):
        return bytes(model), os.getcwd(), "the ONNX model bytes"
    if hasattr(model, "read"):
        data = model.read()
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("read_onnx needs a binary file object (opened with 'rb')")
        name = getattr(model, "name", None)
        base = (str(Path(name).resolve().parent)
                if isinstance(name, str) and os.path.isfile(name) else os.getcwd())
        if isinstance(model, io.BytesIO):
            base = os.getcwd()
        return bytes(data), base, "the ONNX model stream"
    raise TypeError(f"read_onnx expects a path, bytes or a binary file object, got "
                    f"{type(model)}")


class GraphBuilder:
    """Maps the nodes of an ONNX graph onto our ops."""

    def __init__(self, opsets: dict[str, int], functions: dict[tuple[str, str], Any]) -> None:
        self.opsets = opsets
        self.functions = functions

    def build_model(self, graph: Any) -> Model:
        env: dict[str, Output] = {}
        for init in graph.initializer:
            node = constant_of_tensor(init, f"initializer '{init.name}'")
            node.set_friendly_name(init.name)
            out = node.output(0)
            out.add_names({init.name})
            env[init.name] = out
        if len(graph.sparse_initializer):
            raise RuntimeError("ONNX sparse initializers are not supported ("
                               f"'{graph.sparse_initializer[0].values.name}')")
        params = []
        for vi in graph.input:
            if vi.name in env:
                continue  # an initializer that also appears as a graph input (IR < 4)
            params.append(self._parameter(vi))
            env[vi.name] = params[-1].output(0)
        self.map_nodes(graph.node, env, self.opsets)
        results = []
        for vi in graph.output:
            if vi.name not in env:
                raise RuntimeError(f"ONNX graph output '{vi.name}' is not produced by any node")
            results.append(env[vi.name])
        from ..op import Result

        model = Model([Result(r) for r in results], params, graph.name or "onnx_model")
        return model

    def map_subgraph(self, graph: Any, outer: dict[str, Output], opsets: dict[str, int],
                     bindings: dict[str, Output]) -> list[Output]:
        """Map a subgraph (a branch or loop body) that sees the values of ``outer``, with its
        inputs bound to ``bindings``; returns its outputs."""
        env = Scope(outer)
        for init in graph.initializer:
            env[init.name] = constant_of_tensor(init, f"initializer '{init.name}'").output(0)
        env.update(bindings)
        self.map_nodes(graph.node, env, opsets, keep_names=False)
        outs = []
        for vi in graph.output:
            if vi.name not in env:
                raise RuntimeError(f"subgraph output '{vi.name}' is not produced by any node")
            outs.append(env[vi.name])
        return outs

    def build_body(self, graph: Any, outer: dict[str, Output], opsets: dict[str, int]
                   ) -> tuple[Model, list[tuple[Output, Node]]]:
        """A subgraph (a branch or loop body) as a ``Model`` of its own: its declared inputs
        are the first Parameters, and every value it reads from an enclosing scope becomes
        another Parameter (a Constant is copied in instead, so it stays foldable). Returns
        the body and ``(outer value, body Parameter)`` for each captured value."""
        params = [self._parameter(vi, typed=False) for vi in graph.input]
        env = CapturingScope(outer)
        for init in graph.initializer:
            env[init.name] = constant_of_tensor(init, f"initializer '{init.name}'").output(0)
        for vi, p in zip(graph.input, params):
            env[vi.name] = p.output(0)
        self.map_nodes(graph.node, env, opsets, keep_names=False)
        outs = []
        for vi in graph.output:
            if vi.name not in env:
                raise RuntimeError(f"subgraph output '{vi.name}' is not produced by any node")
            outs.append(env[vi.name])
        from ..op import Result

        captured = [(value, param) for value, param in env.captured]
        body = Model([Result(o) for o in outs], params + [p for _, p in captured],
                     graph.name or "body")
        return body, captured

    @staticmethod
    def _parameter(vi: Any, typed: bool = True) -> Node:
        from ..op import Parameter

        kind = vi.type.WhichOneof("value")
        if kind is None and not typed:  # a subgraph input may leave its type to inference
            return Parameter(Type.dynamic, PartialShape.dynamic(), name=vi.name)
        if kind != "tensor_type":
            raise RuntimeError(f"ONNX graph input '{vi.name}' is a {kind or 'untyped value'}; "
                               "only tensor inputs are supported")
        et = ov_type(vi.type.tensor_type.elem_type, f"ONNX graph input '{vi.name}'")
        param = Parameter(et, partial_shape_of(vi.type), name=vi.name)
        param.output(0).set_names({vi.name})
        return param

    # --- nodes ----------------------------------------------------------------------------
    def map_nodes(self, nodes: Any, env: dict[str, Output], opsets: dict[str, int],
                  keep_names: bool = True) -> None:
        """Map ``nodes`` (in topological order; tolerated out of order) into ``env``;
        ``keep_names`` gives the outputs their ONNX tensor names."""
        pending = list(nodes)
        while pending:
            progressed = False
            left = []
            for node in pending:
                if all(not n or n in env for n in node.input):
                    self.map_node(node, env, opsets, keep_names)
                    progressed = True
                else:
                    left.append(node)
            if not progressed:
                node = left[0]
                missing = [n for n in node.input if n and n not in env]
                name = node.name or (node.output[0] if node.output else "")
                raise RuntimeError(f"ONNX node '{name}' ({node.op_type}): input "
                                   f"'{missing[0]}' is not produced by any node, initializer "
                                   "or graph input")
            pending = left

    def map_node(self, node: Any, env: dict[str, Output], opsets: dict[str, int],
                 keep_names: bool = True) -> None:
        """Map one node, adding its outputs to ``env``."""
        domain = normalize_domain(node.domain)
        name = node.name or (node.output[0] if len(node.output) else "")
        label = f"ONNX node '{name}' ({node.op_type})"
        if domain not in opsets:
            raise RuntimeError(f"{label}: the model does not import the op's domain "
                               f"'{node.domain}'")
        version = opsets[domain]
        inputs = [env[n] if n else None for n in node.input]
        input_nodes = {id(x.get_node()) for x in inputs if x is not None}
        try:
            attrs = decode_attributes(node, label)
            ctx = NodeContext(node, inputs, version, attrs, self, opsets, env)
            local = self.functions.get((domain, node.op_type))
            mapping = None if local is not None else find_mapping(domain, node.op_type, version)
            if local is not None:
                outs = expand_function(self, node, local, inputs, opsets)
            elif mapping is not None:
                outs = mapping(ctx)
            else:
                body = schema_function(node, inputs, version)
                if body is None:
                    raise MappingError(f"no mapping for ONNX op '{node.op_type}' (domain "
                                       f"'{domain or 'ai.onnx'}', opset {version})")
                outs = expand_function(self, node, body, inputs, opsets)
            outs = _as_output_list(outs)
        except MappingError as e:
            raise RuntimeError(f"{label}: {e}") from None
        except RuntimeError as e:
            raise RuntimeError(f"{label}: {e}") from e
        except (ValueError, TypeError, KeyError, IndexError, AttributeError,
                NotImplementedError, ZeroDivisionError) as e:
            raise RuntimeError(f"{label}: {type(e).__name__}: {e}") from e
        for i, out_name in enumerate(node.output):
            if not out_name:
                continue
            if i >= len(outs) or outs[i] is None:
                raise RuntimeError(f"{label}: output {i} ('{out_name}') is not supported")
            out = outs[i]
            env[out_name] = out
            if not keep_names:
                continue
            out.add_names({out_name})
            producer = out.get_node()
            if (id(producer) not in input_nodes
                    and producer.get_friendly_name() == producer.get_name()):
                producer.set_friendly_name(node.name or out_name)


class Scope(dict):
    """The values a subgraph sees: its own (this dict), then its enclosing scope's."""

    def __init__(self, outer: dict[str, Output]) -> None:
        super().__init__()
        self.outer = outer

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or name in self.outer

    def __missing__(self, name: str) -> Output:
        return self.outer[name]


class CapturingScope(Scope):
    """A body's scope: a value read from an enclosing scope becomes a Parameter of the body
    (kept in ``captured`` with the outer value), or a copy when it is a Constant."""

    def __init__(self, outer: dict[str, Output]) -> None:
        super().__init__(outer)
        self.captured: list[tuple[Output, Node]] = []

    def __missing__(self, name: str) -> Output:
        value = self.outer[name]
        node = value.get_node()
        if node.get_type_name() == "Constant":
            inner = node.clone_with_new_inputs([]).output(0)
        else:
            from ..op import Parameter

            param = Parameter(value.get_element_type(), value.get_partial_shape(), name=name)
            self.captured.append((value, param))
            inner = param.output(0)
        self[name] = inner
        return inner


def _as_output_list(outs: Any) -> list[Output | None]:
    if isinstance(outs, Node):
        return outs.outputs()
    if isinstance(outs, Output):
        return [outs]
    result = []
    for o in outs:
        if o is None or isinstance(o, Output):
            result.append(o)
        elif isinstance(o, Node):
            result.append(o.output(0))
        else:
            raise TypeError(f"mapping returned {type(o)}")
    return result


def decode_attributes(node: Any, label: str) -> dict[str, Any]:
    """A node's attributes as Python values: ints, floats, str, lists, evaluation-form arrays
    (with their type in ``<name>:type``) and subgraphs (``GraphProto``)."""
    out: dict[str, Any] = {}
    for a in node.attribute:
        t = a.type
        if t == 1:
            out[a.name] = float(a.f)
        elif t == 2:
            out[a.name] = int(a.i)
        elif t == 3:
            out[a.name] = a.s.decode("utf-8", errors="replace")
        elif t == 4:
            arr, et = array_of_tensor(a.t, f"{label} attribute '{a.name}'")
            out[a.name] = arr
            out[a.name + ":type"] = et
        elif t == 5:
            out[a.name] = a.g
        elif t == 6:
            out[a.name] = [float(v) for v in a.floats]
        elif t == 7:
            out[a.name] = [int(v) for v in a.ints]
        elif t == 8:
            out[a.name] = [s.decode("utf-8", errors="replace") for s in a.strings]
        elif t == 10:
            out[a.name] = list(a.graphs)
        elif t == 11:
            out[a.name] = a.sparse_tensor
        elif t == 13:
            out[a.name] = a.tp
        else:
            out[a.name] = a
    return out
