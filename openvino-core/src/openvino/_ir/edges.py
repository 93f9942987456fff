"""The IR's ``<edges>``: checked against the layers' ports, then used to order the layers
so that every layer comes after the layers it reads from."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import deque

from .layer_spec import IRError, LayerSpec, parse_int

__all__ = ["Connections", "connect"]


class Connections:
    """For each layer id: the source ``(layer id, output index)`` of each input index, and
    the layer ids in an order where producers come before consumers."""

    __slots__ = ("sources", "order")

    def __init__(self, sources: dict[int, list[tuple[int, int] | None]], order: list[int]
                 ) -> None:
        self.sources = sources
        self.order = order


def _edge_ints(edge: ET.Element) -> tuple[int, int, int, int]:
    attrs = edge.attrib
    try:
        return (int(attrs["from-layer"]), int(attrs["from-port"]), int(attrs["to-layer"]),
                int(attrs["to-port"]))
    except (KeyError, ValueError):
        pass
    what = (f"edge from-layer={attrs.get('from-layer')} from-port={attrs.get('from-port')} "
            f"to-layer={attrs.get('to-layer')} to-port={attrs.get('to-port')}")
    return (parse_int(attrs.get("from-layer"), f"{what}: from-layer"),
            parse_int(attrs.get("from-port"), f"{what}: from-port"),
            parse_int(attrs.get("to-layer"), f"{what}: to-layer"),
            parse_int(attrs.get("to-port"), f"{what}: to-port"))


def connect(layers: dict[int, LayerSpec], edges: ET.Element | None) -> Connections:
    """Check every edge and order the layers; ``IRError`` naming the layer at fault."""
    sources: dict[int, list[tuple[int, int] | None]] = {
        lid: [None] * len(spec.inputs) for lid, spec in layers.items()}
    consumers: dict[int, list[int]] = {lid: [] for lid in layers}
    for edge in (edges.findall("edge") if edges is not None else ()):
        src, src_port, dst, dst_port = _edge_ints(edge)
        src_spec = layers.get(src)
        if src_spec is None:
            raise IRError(f"Edge {src}:{src_port} -> {dst}:{dst_port} starts at a layer id={src} "
                          "that does not exist")
        dst_spec = layers.get(dst)
        if dst_spec is None:
            raise IRError(f"Edge {src}:{src_port} -> {dst}:{dst_port} ends at a layer id={dst} "
                          "that does not exist")
        try:
            oi = src_spec.output_ids.index(src_port)
        except ValueError:
            raise IRError(f"{src_spec.describe()}: edge to layer id={dst} leaves from "
                          f"port {src_port}, which is not an output port of the layer") from None
        try:
            ii = dst_spec.input_ids.index(dst_port)
        except ValueError:
            raise IRError(f"{dst_spec.describe()}: edge from layer id={src} enters port "
                          f"{dst_port}, which is not an input port of the layer") from None
        srcs = sources[dst]
        if srcs[ii] is not None:
            raise IRError(f"{dst_spec.describe()}: input port {dst_port} has more than one "
                          "incoming edge")
        srcs[ii] = (src, oi)
        consumers[src].append(dst)
    for lid, srcs in sources.items():
        if None in srcs:
            i = srcs.index(None)
            raise IRError(f"{layers[lid].describe()}: input port {layers[lid].inputs[i].id} "
                          "is not connected to any edge")
    return Connections(sources, _order(layers, sources, consumers))


def _order(layers: dict[int, LayerSpec], sources: dict[int, list[tuple[int, int] | None]],
           consumers: dict[int, list[int]]) -> list[int]:
    pending = {lid: len(srcs) for lid, srcs in sources.items()}
    ready = deque(sorted((lid for lid, n in pending.items() if n == 0),
                         key=lambda lid: layers[lid].position))
    order: list[int] = []
    popleft, append, push = ready.popleft, order.append, ready.append
    while ready:
        lid = popleft()
        append(lid)
        for dst in consumers[lid]:
            n = pending[dst] - 1
            pending[dst] = n
            if n == 0:
                push(dst)
    if len(order) != len(layers):
        left = {lid for lid, n in pending.items() if n > 0}
        raise IRError(f"{layers[_on_cycle(left, sources)].describe()}: the edges form a cycle "
                      "through this layer")
    return order


def _on_cycle(left: set[int], sources: dict[int, list[tuple[int, int] | None]]) -> int:
    """A layer on a cycle among the ``left`` layers (each of which has an unresolved input,
    so walking back through unresolved sources must come round)."""
    seen: set[int] = set()
    lid = min(left)
    while lid not in seen:
        seen.add(lid)
        lid = next(s[0] for s in sources[lid] if s is not None and s[0] in left)
    return lid
