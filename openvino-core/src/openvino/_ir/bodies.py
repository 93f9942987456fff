"""Bodies of the control flow layers (If, Loop, TensorIterator) in the IR.

A layer with bodies holds, besides its ports, one ``<body>`` (If: ``<then_body>`` and
``<else_body>``), each a graph of its own (``<layers>``, ``<edges>``) whose layer ids are
its own, and a port map per body (``<port_map>``; If: ``<then_port_map>`` and
``<else_port_map>``): ``<input external_port_id= internal_layer_id=>`` ties a port of the
layer to a body Parameter (sliced when it has ``axis``/``start``/``end``/``stride``/
``part_size``, merged when a ``<back_edges>`` edge ends at that Parameter, invariant
otherwise); ``<output ...>`` ties a body Result to an output port (concatenated when it has
an ``axis``). Loop's special ports are entries with ``purpose="current_iteration"`` and
``purpose="execution_condition"`` and ``external_port_id="-1"``.

``read_subgraph`` parses all of it with the layer (so a problem is found before any node is
made); ``make_subgraph_op`` builds the op from it; ``subgraph_xml`` writes it back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any, NamedTuple

from .layer_spec import IRError, parse_int

__all__ = ["SubgraphSpec", "BODY_TAGS", "read_subgraph", "make_subgraph_op", "subgraph_xml",
           "has_bodies"]

#: the body elements and their port map elements, by op type
BODY_TAGS: dict[str, list[tuple[str, str]]] = {
    "Loop": [("body", "port_map")],
    "TensorIterator": [("body", "port_map")],
    "If": [("then_body", "then_port_map"), ("else_body", "else_port_map")],
}
_SLICE_KEYS = ("start", "stride", "part_size", "end", "axis")
_SLICE_DEFAULTS = {"start": 0, "stride": 1, "part_size": 1, "end": -1}


def has_bodies(xml: bytes) -> bool:
    """Whether an IR document may hold body subgraphs (then the reader parses it in
    Python, where layers keep their bodies)."""
    return b"<body" in xml or b"_body>" in xml or b"_body " in xml


class PortMapEntry(NamedTuple):
    external: int
    internal: int
    slicing: dict[str, int] | None  # start/stride/part_size/end/axis, or None
    purpose: str | None


class BodySpec(NamedTuple):
    element: ET.Element
    layers: dict[int, Any]
    links: Any
    subgraphs: dict[int, SubgraphSpec]
    inputs: list[PortMapEntry]
    outputs: list[PortMapEntry]
    back_edges: list[tuple[int, int]]

    def parameter_ids(self) -> list[int]:
        """Body Parameter layer ids in the order the body model lists them."""
        return sorted(lid for lid, s in self.layers.items() if s.type == "Parameter")

    def result_ids(self) -> list[int]:
        return sorted(lid for lid, s in self.layers.items() if s.type == "Result")


class SubgraphSpec(NamedTuple):
    bodies: list[BodySpec]


def _entry(element: ET.Element, where: str) -> PortMapEntry:
    attrs = element.attrib
    external = parse_int(attrs.get("external_port_id"), f"{where}: port map external_port_id")
    internal = parse_int(attrs.get("internal_layer_id"), f"{where}: port map internal_layer_id")
    slicing = None
    if "axis" in attrs:
        slicing = {k: parse_int(attrs[k], f"{where}: port map {k}") if k in attrs
                   else _SLICE_DEFAULTS[k] for k in _SLICE_KEYS}
    return PortMapEntry(external, internal, slicing, attrs.get("purpose"))


def read_subgraph(element: ET.Element, kind: str, where: str,
                  read_body: Callable[[ET.Element, str], tuple[dict[int, Any], Any, dict]]
                  ) -> SubgraphSpec | None:
    """The bodies and port maps of layer ``element`` of type ``kind`` (None for other
    types); ``read_body(body_element, where)`` gives a body's layer specs, links and the
    subgraphs of its own control flow layers."""
    tags = BODY_TAGS.get(kind)
    if tags is None:
        return None
    back = element.find("back_edges")
    back_edges = []
    for e in (back.findall("edge") if back is not None else ()):
        back_edges.append((parse_int(e.get("from-layer"), f"{where}: back edge from-layer"),
                           parse_int(e.get("to-layer"), f"{where}: back edge to-layer")))
    bodies = []
    for body_tag, map_tag in tags:
        body_el = element.find(body_tag)
        if body_el is None:
            raise IRError(f"{where}: the layer has no <{body_tag}>")
        pm = element.find(map_tag)
        inputs = [_entry(e, where) for e in (pm.findall("input") if pm is not None else ())]
        outputs = [_entry(e, where) for e in (pm.findall("output") if pm is not None else ())]
        layers, links, inner = read_body(body_el, f"{where} <{body_tag}>")
        for entry, what, kinds in [(e, "input", ("Parameter",)) for e in inputs] + \
                                  [(e, "output", ("Result",)) for e in outputs]:
            spec = layers.get(entry.internal)
            if spec is None or spec.type not in kinds:
                found = "no layer" if spec is None else f"a {spec.type} layer"
                raise IRError(f"{where}: the port map {what} (external port "
                              f"{entry.external}) names body layer id={entry.internal}, "
                              f"which is {found}, not a {kinds[0]}")
        for src, dst in back_edges:
            if layers.get(src) is None or layers[src].type != "Result" or \
                    layers.get(dst) is None or layers[dst].type != "Parameter":
                raise IRError(f"{where}: back edge {src} -> {dst} must go from a body Result "
                              "to a body Parameter")
        bodies.append(BodySpec(body_el, layers, links, inner, inputs, outputs,
                               back_edges if map_tag == "port_map" else []))
    return SubgraphSpec(bodies)


def make_subgraph_op(cls: Any, inputs: list[Any], spec: Any, subgraph: SubgraphSpec,
                     build_body: Callable[[BodySpec], Any]) -> Any:
    """The If/Loop/TensorIterator node of layer ``spec`` (its bodies: ``subgraph``) over
    ``inputs``;
    ``build_body(body_spec)`` makes a body's ``Model``."""
    from .._ops._subgraph import (
        BodyOutputDescription,
        ConcatOutputDescription,
        InvariantInputDescription,
        MergedInputDescription,
        SliceInputDescription,
    )

    where = spec.describe()
    node = cls.__new__(cls)
    if spec.type == "If":
        node._init_node(inputs, spec.name)
        node._init_bodies()
    else:
        node._new_empty_node(inputs, spec.name)
    input_ids, output_ids = spec.input_ids, spec.output_ids
    for i, bs in enumerate(subgraph.bodies):
        body = build_body(bs)
        node._bodies[i] = body
        params, results = bs.parameter_ids(), bs.result_ids()
        merged_from = {dst: src for src, dst in bs.back_edges}
        in_descs, out_descs = [], []
        for e in bs.inputs:
            p = params.index(e.internal)
            if e.purpose == "current_iteration":
                node._special[0] = p
                continue
            if e.external not in input_ids:
                raise IRError(f"{where}: the port map names input port {e.external}, which "
                              "the layer does not have")
            index = input_ids.index(e.external)
            if e.slicing is not None:
                s = e.slicing
                in_descs.append(SliceInputDescription(index, p, s["start"], s["stride"],
                                                      s["part_size"], s["end"], s["axis"]))
            elif e.internal in merged_from:
                in_descs.append(MergedInputDescription(
                    index, p, results.index(merged_from[e.internal])))
            else:
                in_descs.append(InvariantInputDescription(index, p))
        for e in bs.outputs:
            r = results.index(e.internal)
            if e.purpose == "execution_condition":
                node._special[1] = r
                continue
            if e.external not in output_ids:
                raise IRError(f"{where}: the port map names output port {e.external}, which "
                              "the layer does not have")
            index = output_ids.index(e.external)
            if e.slicing is not None:
                s = e.slicing
                out_descs.append(ConcatOutputDescription(r, index, s["start"], s["stride"],
                                                         s["part_size"], s["end"], s["axis"]))
            else:
                out_descs.append(BodyOutputDescription(r, index))
        node._input_descs[i] = in_descs
        node._output_descs[i] = out_descs
    node.set_output_size(len(output_ids))
    node.validate_and_infer_types()
    for j in range(len(output_ids)):
        if node._outputs[j].element_type.is_dynamic() and \
                not any(d.output_index == j for ds in node._output_descs for d in ds):
            raise IRError(f"{where}: output port {output_ids[j]} is not in the port map")
    return node


def _slicing_attrs(d: Any) -> str:
    return (f'axis="{d.axis}" start="{d.start}" end="{d.end}" stride="{d.stride}" '
            f'part_size="{d.part_size}"')


def subgraph_xml(node: Any, indent: str,
                 write_body: Callable[[Any, str], tuple[list[str], dict[int, int]]]
                 ) -> tuple[list[str], list[str]]:
    """The lines a control flow layer has before its ``<input>`` (port maps, back edges)
    and after its ``<output>`` (bodies). ``write_body(model, indent)`` gives a body's
    ``<layers>``/``<edges>`` lines and the layer id of each of its nodes (by ``id``)."""
    from .._ops._subgraph import (
        ConcatOutputDescription,
        MergedInputDescription,
        SliceInputDescription,
    )

    tags = BODY_TAGS[node.type_name]
    n_in = len(node._inputs)
    head: list[str] = []
    tail: list[str] = []
    maps: list[list[str]] = []
    back: list[str] = []
    inner = indent + "\t"
    for i, (body_tag, map_tag) in enumerate(tags):
        body = node._bodies[i]
        lines, ids = write_body(body, inner)
        params, results = body.get_parameters(), body.get_results()
        entries = []
        for d in node._input_descs[i]:
            lid = ids[id(params[d.body_parameter_index])]
            if isinstance(d, SliceInputDescription):
                entries.append(f'{inner}<input {_slicing_attrs(d)} external_port_id='
                               f'"{d.input_index}" internal_layer_id="{lid}" />')
            else:
                entries.append(f'{inner}<input external_port_id="{d.input_index}" '
                               f'internal_layer_id="{lid}" />')
            if isinstance(d, MergedInputDescription):
                back.append(f'{inner}<edge from-layer="{ids[id(results[d.body_value_index])]}" '
                            f'to-layer="{lid}" />')
        for d in node._output_descs[i]:
            lid = ids[id(results[d.body_value_index])]
            port = n_in + d.output_index
            if isinstance(d, ConcatOutputDescription):
                entries.append(f'{inner}<output {_slicing_attrs(d)} external_port_id='
                               f'"{port}" internal_layer_id="{lid}" />')
            else:
                entries.append(f'{inner}<output external_port_id="{port}" '
                               f'internal_layer_id="{lid}" />')
        special = getattr(node, "_special", (-1, -1))
        if special[0] >= 0:
            entries.append(f'{inner}<input external_port_id="-1" internal_layer_id='
                           f'"{ids[id(params[special[0]])]}" purpose="current_iteration" />')
        if special[1] >= 0:
            entries.append(f'{inner}<output external_port_id="-1" internal_layer_id='
                           f'"{ids[id(results[special[1]])]}" purpose="execution_condition" />')
        maps.append([f"{indent}<{map_tag}>", *entries, f"{indent}</{map_tag}>"])
        tail += [f"{indent}<{body_tag}>", *lines, f"{indent}</{body_tag}>"]
    if node.type_name == "If":  # OpenVINO writes the else map first
        maps.reverse()
    for m in maps:
        head += m
    if back:
        head += [f"{indent}<back_edges>", *back, f"{indent}</back_edges>"]
    return head, tail
