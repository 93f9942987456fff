"""The IR reader: ``read_ir(model, weights=None) -> Model`` for IR v10 and v11.

One pass: parse the XML safely (see ``xml_document``), parse the layers, check and order
the edges (all three in C where the ``scanner`` is installed and takes the document; in
Python otherwise), then build each node once, in order, through the op registry
(``cls._from_ir(inputs, data_attributes, name)``); Const layers view the weights without
copying. Every problem with the file is a ``RuntimeError`` that names the layer.
"""

from __future__ import annotations

import gc
import operator
import xml.etree.ElementTree as ET
from typing import Any

from .. import _op_registry
from .._model import Model
from .._node import Node, Output
from .attribute_memo import IRAttributeMemo
from .bodies import BODY_TAGS, has_bodies, make_subgraph_op, read_subgraph
from .constant_data import ConstantReader
from .edges import Connections, connect
from .layer_spec import IRError, LayerSpec, read_layer
from .rt_info_xml import read_attributes, read_model_rt_info
from .scanner import scan_ir
from .sources import load_sources
from .tensor_names import split_names
from .variables import SINK_TYPES, VariableTable
from .xml_document import NotCompactable, parse_ir_xml, parse_xml, plain_document

__all__ = ["read_ir", "build_model", "assemble_model"]

SUPPORTED_VERSIONS = ("10", "11")


def read_ir(model: Any, weights: Any = None,
            extensions: dict[tuple[str, str], Any] | None = None,
            mmap_files: bool = True) -> Model:
    """Read an OpenVINO IR (``.xml`` + ``.bin``) into a ``Model``.

    ``model`` is a path (``str``/``Path``), XML text, XML bytes or a file object;
    ``weights`` a path, bytes, a file object or a ``u8`` ``Tensor`` (``tensor_from_file``).
    Without ``weights`` a model path finds the ``.bin`` next to it. Raises ``TypeError`` for
    unsupported argument types and ``RuntimeError`` for IR that is not valid.
    ``extensions`` maps ``(type, version)`` to the custom op classes (``openvino.Op``) of
    the reading ``Core``; their layers are built through those classes. ``mmap_files``:
    map a weights file into memory instead of reading it (the Core's ``ENABLE_MMAP``).
    """
    source = load_sources(model, weights, mmap_files)
    # Reading makes tens of thousands of small objects and no garbage cycles; pausing the
    # cyclic collector meanwhile saves it from repeatedly scanning them (~25% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        scanned = scan_ir(source.xml) if plain_document(source.xml) and \
            not has_bodies(source.xml) else None
        if scanned is not None and _version(scanned.net) in SUPPORTED_VERSIONS:
            return assemble_model(scanned.net, scanned.layers, scanned.links, source.weights,
                                  extensions)
        root, compact = parse_ir_xml(source.xml)
        try:
            return build_model(root, source.weights, compact, extensions)
        except NotCompactable:  # raised before any node is made
            return build_model(parse_xml(source.xml), source.weights, False, extensions)
    finally:
        if collecting:
            gc.enable()


def _ensure_ops_registered() -> None:
    from .. import _ops  # noqa: F401  (importing registers every op class)


def build_model(root: ET.Element, weights: Any, compact: bool = False,
                extensions: dict[tuple[str, str], Any] | None = None) -> Model:
    """The ``Model`` described by an IR's ``<net>`` element (``compact``: parsed by
    ``parse_ir_xml`` from a compacted copy)."""
    _ensure_ops_registered()
    if root.tag != "net":
        raise IRError(f"Cannot read the IR: the root element is <{root.tag}>, expected <net>")
    version = _version(root)
    if version not in SUPPORTED_VERSIONS:
        raise IRError(f"Cannot read the IR: IR version '{version}' is not supported "
                      f"(supported: {', '.join(SUPPORTED_VERSIONS)})")
    layers, links, subgraphs = _read_graph(root, compact)
    return assemble_model(root, layers, links, weights, extensions, subgraphs)


def _read_graph(root: ET.Element, compact: bool, where: str = ""
                ) -> tuple[dict[int, LayerSpec], Connections, dict[int, Any]]:
    """The layer specs and connections of a ``<net>`` or of a layer's body (``where``:
    the layer, for messages about its body), and the bodies and port maps
    (``bodies.SubgraphSpec``) of its control flow layers by layer id."""
    layers_el = root.find("layers")
    layers: dict[int, LayerSpec] = {}
    subgraphs: dict[int, Any] = {}
    for position, element in enumerate(layers_el if layers_el is not None else ()):
        if element.tag != "layer":
            continue
        spec = read_layer(element, position, compact)
        if spec.type in BODY_TAGS:
            subgraphs[spec.id] = read_subgraph(element, spec.type, spec.describe(),
                                               lambda body, at: _read_graph(body, compact, at))
        if spec.id in layers:
            raise IRError(f"{where + ': ' if where else ''}{spec.describe()}: layer id "
                          f"{spec.id} is used twice (also by '{layers[spec.id].name}')")
        layers[spec.id] = spec
    try:
        return layers, connect(layers, root.find("edges")), subgraphs
    except IRError as e:
        if where:
            raise IRError(f"{where}: {e}") from None
        raise


def _version(net: ET.Element) -> str:
    return (net.get("version") or "").strip()


def assemble_model(net: ET.Element, layers: dict[int, LayerSpec], links: Connections,
                   weights: Any, extensions: dict[tuple[str, str], Any] | None = None,
                   subgraphs: dict[int, Any] | None = None) -> Model:
    """The ``Model`` of parsed layers and their connections; ``net`` is the IR's ``<net>``
    element (for its name, version and ``<rt_info>``); ``subgraphs``: the bodies of its
    control flow layers, by layer id."""
    _ensure_ops_registered()
    builder = _GraphBuilder(layers, weights, extensions, subgraphs)
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

    def __init__(self, layers: dict[int, LayerSpec], weights: Any,
                 extensions: dict[tuple[str, str], Any] | None = None,
                 subgraphs: dict[int, Any] | None = None) -> None:
        self.layers = layers
        self.subgraphs = subgraphs or {}
        if extensions is None:  # a device reading an exported model: the importing Core's
            from .._op_extension import active_op_classes

            extensions = active_op_classes()
        self.extensions = extensions
        self.weights = weights
        self.nodes: dict[int, Node] = {}
        self.variables = VariableTable()
        # (type, version) -> (op class, how it is built: _GENERIC, _OWN or _VARIABLES)
        self.classes: dict[tuple[str, str], tuple[Any, int]] = {}
        self.attributes = IRAttributeMemo()
        self.constants = ConstantReader(weights)
        # (layer id, node) of the Parameters, Results, sinks and variable holders so far
        self.parameters: list[tuple[int, Node]] = []
        self.results: list[tuple[int, Node]] = []
        self.sinks: list[tuple[int, Node]] = []
        self.holders: list[Node] = []
        from .._ops.constant import Constant

        self.constant = Constant

    def build(self, spec: LayerSpec, sources: list[tuple[int, int] | None]) -> None:
        nodes = self.nodes
        inputs = _ports(nodes, sources) if sources else []
        kind = spec.type
        if kind == "Const" and not inputs:
            node = self.constant._from_ir_tensor(self.constants.tensor(spec), spec.name)
        else:
            node = self._make(spec, kind, inputs)
        ports = spec.outputs
        outputs = node._outputs
        if len(ports) == 1 and len(outputs) == 1 and kind != "Result":
            # the usual single output, checked here where it is plainly what the layer says
            # (_check_outputs looks closer, and names what does not match)
            port, desc = ports[0], outputs[0]
            want_type, want = port.precision, port.dims
            if want_type is not desc.element_type and want_type is not None or want and \
                    [d._min for d in desc.partial_shape._dims or ()] != want:
                self._check_outputs(spec, node)
            if port.names:
                desc.names.update(port.names)
            if port.rt is not None:
                read_attributes(port.rt, desc.rt_info, spec.describe)
        else:
            self._check_outputs(spec, node)
            for port, desc in zip(ports, outputs):
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
        lid = spec.id
        nodes[lid] = node
        if kind == "Const":
            return
        if kind == "Parameter":
            layout = dict.get(node._outputs[0].rt_info, "layout")
            if layout is not None:
                node.set_layout(layout)
        elif kind == "Result":
            names = spec.output_names
            if names:
                node._outputs[0].names.update(split_names(names))
        type_name = node.type_name
        if type_name == "Parameter":
            self.parameters.append((lid, node))
        elif type_name == "Result":
            self.results.append((lid, node))
        elif type_name in SINK_TYPES:
            self.sinks.append((lid, node))

    def _make(self, spec: LayerSpec, kind: str, inputs: list[Output]) -> Node:
        if kind == "Const":
            if inputs:
                raise IRError(f"{spec.describe()}: a constant takes no inputs")
            return self.constant._from_ir_tensor(self.constants.tensor(spec), spec.name)
        if kind == "Parameter" and inputs:
            raise IRError(f"{spec.describe()}: a parameter takes no inputs")
        key = (kind, spec.version)
        found = self.classes.get(key)
        if found is None:
            found = self.classes[key] = self._find_class(spec)
        cls, how = found
        try:
            subgraph = self.subgraphs.get(spec.id)
            if subgraph is not None:
                return make_subgraph_op(cls, inputs, spec, subgraph, self._build_body)
            if how == _GENERIC:  # what Node._from_ir does, with the attributes of the memo
                name = spec.name
                attrs = self.attributes.attributes(cls, spec.data, name)
                node = cls.__new__(cls)
                node._init_node(inputs, name, attrs)
                node.validate_and_infer_types()
                return node
            if how == _OWN:
                return cls._from_ir(inputs, spec.data, spec.name)
            node = self.variables.make(cls, inputs, spec)
            self.holders.append(node)
            return node
        except IRError:
            raise
        except RecursionError:
            raise IRError(f"{spec.describe()}: the graph is too deep to build") from None
        except Exception as e:  # noqa: BLE001 - any failure of an op becomes an IR error
            raise IRError(f"{spec.describe()}: cannot create the operation: {e}") from e

    def _build_body(self, body: Any) -> Model:
        """The ``Model`` of a layer's body (``bodies.BodySpec``)."""
        return assemble_model(body.element, body.layers, body.links, self.weights,
                              self.extensions, body.subgraphs)

    def _find_class(self, spec: LayerSpec) -> tuple[Any, int]:
        """The op class of a layer's type and version, and how the builder makes it."""
        custom = self.extensions.get((spec.type, spec.version))
        if custom is not None:
            return custom, _OWN
        cls = _op_registry.lookup(spec.type, spec.version)
        if cls is None:
            known = _op_registry.versions_of(spec.type)
            detail = (f"known versions: {', '.join(known)}" if known
                      else "no operation of this type is known")
            if not spec.version.startswith("opset"):
                detail += ("; a custom operation is read by a Core given its class: "
                           "core.add_extension(OpClass)")
            raise IRError(f"{spec.describe()}: unsupported operation {spec.type} of version "
                          f"'{spec.version}' ({detail})")
        if self.variables.handles(cls):
            return cls, _VARIABLES
        if getattr(cls._from_ir, "__func__", None) is _NODE_FROM_IR:
            return cls, _GENERIC  # the generic constructor: attributes parsed through the memo
        return cls, _OWN

    def _check_outputs(self, spec: LayerSpec, node: Node) -> None:
        outputs = node._outputs
        ports = spec.outputs
        if spec.type == "Result":
            return
        if len(ports) != len(outputs):
            raise IRError(f"{spec.describe()}: the layer lists {len(ports)} output ports, the "
                          f"operation has {len(outputs)} outputs")
        for port, desc in zip(ports, outputs):
            # a port's precision is not checked: OpenVINO reads it as a note and takes the
            # operation's element type (hand-written IRs often say FP32 for any port)
            want = port.dims
            if not want:
                continue  # a port without dims is a scalar or of dynamic rank
            dims = desc.partial_shape._dims
            if dims is None or [d._min for d in dims] == want:
                continue  # dynamic rank, or every dimension's lower bound is the one declared
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
        nodes = self.nodes

        def in_order(found: list[tuple[int, Node]]) -> list[Node]:
            # by layer id, as the IR lists them; a node whose id a later layer took is gone
            return [n for lid, n in sorted(found, key=_first) if nodes[lid] is n]

        model = Model._of_complete_graph(in_order(self.results), in_order(self.sinks),
                                         in_order(self.parameters), root.get("name", ""),
                                         self.holders)
        model._rt_info = read_model_rt_info(root.find("rt_info"))
        version = _version(root)
        if version.isdigit():  # OpenVINO's reader records the IR version in the rt_info
            dict.__setitem__(model._rt_info, "version", int(version))
        return model


#: how ``_GraphBuilder`` makes the nodes of an op class
_GENERIC, _OWN, _VARIABLES = 0, 1, 2
_NODE_FROM_IR = Node._from_ir.__func__


def _ports(nodes: dict[int, Node], sources: list[tuple[int, int] | None]) -> list[Output]:
    """``Output(nodes[layer], port)`` for each ``(layer, port)`` source that is there, made
    without a call to ``Output.__init__`` per port."""
    ports = []
    for source in sources:
        if source is not None:
            port = _new_output(Output)
            port._node = nodes[source[0]]
            port._index = source[1]
            ports.append(port)
    return ports


_new_output = Output.__new__
_first = operator.itemgetter(0)
