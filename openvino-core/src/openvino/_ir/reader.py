"""The IR reader: ``read_ir(model, weights=None) -> Model`` for IR v10 and v11.

One pass: parse the XML safely (see ``xml_document``), parse the layers, check and order
the edges (all three in C where the ``scanner`` is installed and takes the document; in
Python otherwise), then build each node once, in order, through the op registry
(``cls._from_ir(inputs, data_attributes, name)``); Const layers view the weights without
copying. Every problem with the file is a ``RuntimeError`` that names the layer.
"""

from __future__ import annotations

import gc
import xml.etree.ElementTree as ET
from typing import Any

from .. import _op_registry
from .._model import Model
from .._node import Node, Output
from .constant_data import constant_tensor
from .edges import Connections, connect
from .layer_spec import IRError, LayerSpec, read_layer
from .rt_info_xml import read_attributes, read_model_rt_info
from .sources import load_sources
from .tensor_names import split_names
from .variables import VariableTable
from .scanner import scan_ir
from .xml_document import NotCompactable, parse_ir_xml, parse_xml, plain_document

__all__ = ["read_ir", "build_model", "assemble_model"]

SUPPORTED_VERSIONS = ("10", "11")


def read_ir(model: Any, weights: Any = None) -> Model:
    """Read an OpenVINO IR (``.xml`` + ``.bin``) into a ``Model``.

    ``model`` is a path (``str``/``Path``), XML text, XML bytes or a file object;
    ``weights`` a path, bytes, a file object or a ``u8`` ``Tensor`` (``tensor_from_file``).
    Without ``weights`` a model path finds the ``.bin`` next to it. Raises ``TypeError`` for
    unsupported argument types and ``RuntimeError`` for IR that is not valid.
    """
    source = load_sources(model, weights)
    # Reading makes tens of thousands of small objects and no garbage cycles; pausing the
    # cyclic collector meanwhile saves it from repeatedly scanning them (~25% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        scanned = scan_ir(source.xml) if plain_document(source.xml) else None
        if scanned is not None and _version(scanned.net) in SUPPORTED_VERSIONS:
            return assemble_model(scanned.net, scanned.layers, scanned.links, source.weights)
        root, compact = parse_ir_xml(source.xml)
        try:
            return build_model(root, source.weights, compact)
        except NotCompactable:  # raised before any node is made
            return build_model(parse_xml(source.xml), source.weights)
    finally:
        if collecting:
            gc.enable()


def _ensure_ops_registered() -> None:
    from .. import _ops  # noqa: F401  (importing registers every op class)


def build_model(root: ET.Element, weights: Any, compact: bool = False) -> Model:
    """The ``Model`` described by an IR's ``<net>`` element (``compact``: parsed by
    ``parse_ir_xml`` from a compacted copy)."""
    _ensure_ops_registered()
    if root.tag != "net":
        raise IRError(f"Cannot read the IR: the root element is <{root.tag}>, expected <net>")
    version = _version(root)
    if version not in SUPPORTED_VERSIONS:
        raise IRError(f"Cannot read the IR: IR version '{version}' is not supported "
                      f"(supported: {', '.join(SUPPORTED_VERSIONS)})")
    layers_el = root.find("layers")
    layers: dict[int, LayerSpec] = {}
    for position, element in enumerate(layers_el if layers_el is not None else ()):
        if element.tag != "layer":
            continue
        spec = read_layer(element, position, compact)
        if spec.id in layers:
            raise IRError(f"{spec.describe()}: layer id {spec.id} is used twice (also by "
                          f"'{layers[spec.id].name}')")
        layers[spec.id] = spec
    return assemble_model(root, layers, connect(layers, root.find("edges")), weights)


def _version(net: ET.Element) -> str:
    return (net.get("version") or "").strip()


def assemble_model(net: ET.Element, layers: dict[int, LayerSpec], links: Connections,
                   weights: Any) -> Model:
    """The ``Model`` of parsed layers and their connections; ``net`` is the IR's ``<net>``
    element (for its name, version and ``<rt_info>``)."""
    _ensure_ops_registered()
    builder = _GraphBuilder(layers, weights)
    for lid in links.order:
        builder.build(layers[lid], links.sources[lid])
    model = builder.model(net)
    if _version(net) == "10":
        _add_legacy_names(model)
    return model


def _add_legacy_names(model: Model) -> None:
    """IR v10 names model inputs and outputs by their layers: each Parameter's tensor also
    takes the Parameter's name, and each Result's tensor the producer's name (with
    ``.<port>`` when the producer has several outputs)."""
    for param in model.get_parameters():
        param._outputs[0].names.add(param.get_friendly_name())
    for result in model.get_results():
        src = result._inputs[0]
        producer = src.get_node()
        name = producer.get_friendly_name()
        if len(producer._outputs) > 1:
            name = f"{name}.{src.get_index()}"
        producer._outputs[src.get_index()].names.add(name)


class _GraphBuilder:
    """Turns ordered layer specs into nodes and collects parameters, results and sinks."""

    def __init__(self, layers: dict[int, LayerSpec], weights: Any) -> None:
        self.layers = layers
        self.weights = weights
        self.nodes: dict[int, Node] = {}
        self.variables = VariableTable()
        # (type, version) -> (op class, whether it takes the shared variables)
        self.classes: dict[tuple[str, str], tuple[Any, bool]] = {}
        from .._ops.constant import Constant

        self.constant = Constant

    def build(self, spec: LayerSpec, sources: list[tuple[int, int] | None]) -> None:
        nodes = self.nodes
        inputs = [Output(nodes[s[0]], s[1]) for s in sources if s is not None]
        node = self._make(spec, inputs)
        self._check_outputs(spec, node)
        for port, desc in zip(spec.outputs, node._outputs):
            if port.names:
                desc.names.update(port.names)
            if port.rt is not None:
                read_attributes(port.rt, desc.rt_info, spec.describe)
        if spec.inputs_rt:
            for port, rt in zip(spec.inputs, node._input_rt):
                if port.rt is not None:
                    read_attributes(port.rt, rt, spec.describe)
        if spec.rt is not None:
            read_attributes(spec.rt, node._rt_info, spec.describe)
        kind = spec.type
        if kind == "Parameter":
            layout = dict.get(node._outputs[0].rt_info, "layout")
            if layout is not None:
                node.set_layout(layout)
        elif kind == "Result":
            names = spec.output_names
            if names:
                node._outputs[0].names.update(split_names(names))
        nodes[spec.id] = node

    def _make(self, spec: LayerSpec, inputs: list[Output]) -> Node:
        kind = spec.type
        if kind == "Const":
            if inputs:
                raise IRError(f"{spec.describe()}: a constant takes no inputs")
            return self.constant._from_tensor(constant_tensor(spec, self.weights), spec.name)
        if kind == "Parameter" and inputs:
            raise IRError(f"{spec.describe()}: a parameter takes no inputs")
        key = (kind, spec.version)
        found = self.classes.get(key)
        if found is None:
            cls = _op_registry.lookup(kind, spec.version)
            if cls is None:
                known = _op_registry.versions_of(kind)
                detail = (f"known versions: {', '.join(known)}" if known
                          else "no operation of this type is known")
                raise IRError(f"{spec.describe()}: unsupported operation {kind} of version "
                              f"'{spec.version}' ({detail})")
            found = self.classes[key] = (cls, self.variables.handles(cls))
        cls, with_variables = found
        try:
            if with_variables:
                return self.variables.make(cls, inputs, spec)
            return cls._from_ir(inputs, spec.data, spec.name)
        except IRError:
            raise
        except RecursionError:
            raise IRError(f"{spec.describe()}: the graph is too deep to build") from None
        except Exception as e:  # noqa: BLE001 - any failure of an op becomes an IR error
            raise IRError(f"{spec.describe()}: cannot create the operation: {e}") from e

    def _check_outputs(self, spec: LayerSpec, node: Node) -> None:
        outputs = node._outputs
        ports = spec.outputs
        if spec.type == "Result":
            return
        if len(ports) != len(outputs):
            raise IRError(f"{spec.describe()}: the layer lists {len(ports)} output ports, the "
                          f"operation has {len(outputs)} outputs")
        for port, desc in zip(ports, outputs):
            et = desc.element_type
            want_type = port.precision
            if want_type is not None and want_type is not et and et.is_static():
                raise IRError(f"{spec.describe()}: output port {port.id} says precision "
                              f"{port.precision.get_type_name()}, the operation produces "
                              f"{et.get_type_name()}")
            want = port.dims
            if not want:
                continue  # a port without dims is a scalar or of dynamic rank
            dims = desc.partial_shape._dims
            if dims is None:
                continue
            if len(dims) != len(want):
                raise IRError(f"{spec.describe()}: output port {port.id} has rank "
                              f"{len(want)}, the operation produces "
                              f"{desc.partial_shape.to_string()}")
            for got, w in zip(dims, want):
                if w is not None and got._min != w and got._max == got._min:
                    shown = ",".join("?" if d is None else str(d) for d in want)
                    raise IRError(f"{spec.describe()}: output port {port.id} has shape "
                                  f"[{shown}], the operation produces "
                                  f"{desc.partial_shape.to_string()}")

    def model(self, root: ET.Element) -> Model:
        by_position = sorted(self.nodes.items(), key=lambda kv: kv[0])
        params = [n for _, n in by_position if n.type_name == "Parameter"]
        results = [n for _, n in by_position if n.type_name == "Result"]
        sinks = [n for _, n in by_position if self.variables.is_sink(n)]
        model = Model._of_complete_graph(results, sinks, params, root.get("name", ""),
                                         self.nodes.values())
        model._rt_info = read_model_rt_info(root.find("rt_info"))
        return model
