"""One ``<layer>`` of an IR as read from the XML, before it becomes a node: its id, name,
type, version, ``<data>`` attributes, ports and rt_info."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import NamedTuple

from .._shape import Dimension
from .._type import Type, type_from_name
from .tensor_names import split_names
from .xml_document import DIM_SEPARATOR, NotCompactable

__all__ = ["LayerSpec", "PortSpec", "IRError", "parse_int", "precision_type", "rt_entries",
           "read_layer", "read_port", "describe_layer"]


class IRError(RuntimeError):
    """An IR that cannot become a model."""


def parse_int(text: str | None, what: str) -> int:
    """``text`` as an int, or an ``IRError`` that says which value was wrong."""
    if text is None:
        raise IRError(f"{what} is missing")
    try:
        return int(text.strip())
    except ValueError:
        raise IRError(f"{what} is not an integer: '{text}'") from None


_PRECISIONS: dict[str, Type | None] = {}


def precision_type(text: str) -> Type | None:
    """The element type an IR port precision names (``None`` for unspecified/dynamic);
    ``RuntimeError`` for an unknown name. Cached: a model repeats a handful of names."""
    try:
        return _PRECISIONS[text]
    except KeyError:
        pass
    t = type_from_name(text)
    found = None if t.is_dynamic() else t
    _PRECISIONS[text] = found
    return found


class PortSpec(NamedTuple):
    """A port of a layer: id, precision (``None`` when absent or unspecified), dims
    (``None`` for a dynamic dimension; read for output ports only, input ports repeat their
    producer's), tensor names and the ``<rt_info>`` entries (see ``rt_entries``)."""

    id: int
    precision: Type | None
    dims: list[int | None]
    names: list[str]
    rt: list[tuple[str, dict[str, str]]] | None


def read_port(element: ET.Element, where: str, with_dims: bool, compact: bool = False
              ) -> PortSpec:
    """The ``<port>`` ``element`` of the layer ``where`` describes (``with_dims``: an output
    port, whose dims are read; ``compact``: from a compacted document)."""
    attrib = element.attrib
    raw_id = attrib.get("id")
    try:
        pid = int(raw_id)
    except (TypeError, ValueError):
        pid = parse_int(raw_id, f"{where}: port id")
    text = attrib.get("precision")
    precision: Type | None = None
    if text is not None:
        try:
            precision = precision_type(text)
        except RuntimeError:
            raise IRError(f"{where}: port {pid} has an unknown precision '{text}'") from None
    names = attrib.get("names")
    if not names:
        name_list = []
    elif "\\" in names or "," in names:
        name_list = split_names(names)
    else:
        name_list = [names]
    dims: list[int | None] = []
    count = len(element)
    if count == 1 and compact:  # the usual compacted port: one merged <dim>
        child = element[0]
        if child.tag == "dim":
            if with_dims:
                dims = _read_compact_dims(element, where, pid)
            return PortSpec(pid, precision, dims, name_list, None)
    elif count == 0:
        return PortSpec(pid, precision, dims, name_list, None)
    if with_dims:
        dims = (_read_compact_dims(element, where, pid) if compact
                else _read_dims(element, where, pid))
    rts = element.findall("rt_info")
    return PortSpec(pid, precision, dims, name_list, rt_entries(rts[-1]) if rts else None)


def _read_dims(element: ET.Element, where: str, port: int) -> list[int | None]:
    """The ``<dim>`` values of a port, in order (``None`` for a dynamic dimension)."""
    found = element.findall("dim")
    try:
        dims = [int(d.text) for d in found]
    except (TypeError, ValueError):
        pass
    else:
        if not dims or min(dims) >= 0:
            return dims
    return [_parse_dim(d.text, where, port) for d in found]


def _read_compact_dims(element: ET.Element, where: str, port: int) -> list[int | None]:
    """``_read_dims`` for a compacted document, whose dim texts may hold several dims
    joined by ``DIM_SEPARATOR``; ``NotCompactable`` where the merge may have changed them."""
    found = element.findall("dim")
    if len(found) == 1 and found[0].text and not len(found[0]):
        try:
            dims = list(map(int, found[0].text.split(DIM_SEPARATOR)))
        except ValueError:
            pass
        else:
            if min(dims) >= 0:
                return dims
    texts: list[str | None] = []
    for d in found:
        if len(d):
            raise NotCompactable
        texts += [d.text] if d.text is None else d.text.split(DIM_SEPARATOR)
    try:
        return [_parse_dim(t, where, port) for t in texts]
    except IRError:
        raise NotCompactable from None


def _parse_dim(text: str | None, where: str, port: int) -> int | None:
    t = text or ""
    try:
        value = int(t)
    except ValueError:
        try:
            d = Dimension.from_string(t)
        except (RuntimeError, ValueError):
            raise IRError(f"{where}: port {port} has an invalid dim '{text}'"
                          ) from None
        return d.get_length() if d.is_static else None
    if value < -1:
        raise IRError(f"{where}: port {port} has an invalid dim '{text}'")
    return None if value == -1 else value


def rt_entries(element: ET.Element) -> list[tuple[str, dict[str, str]]]:
    """The children of an ``<rt_info>`` element as ``(tag, attributes)`` pairs."""
    return [(child.tag, child.attrib) for child in element]


class LayerSpec(NamedTuple):
    """A ``<layer>`` element, parsed: ``position`` is its place among the ``<layers>``
    children, ``inputs_rt`` whether any input port has an ``<rt_info>``."""

    id: int
    name: str
    type: str
    version: str
    data: dict[str, str]
    inputs: list[PortSpec]
    outputs: list[PortSpec]
    rt: list[tuple[str, dict[str, str]]] | None
    output_names: str | None
    position: int
    inputs_rt: bool

    @property
    def input_ids(self) -> list[int]:
        return [port.id for port in self.inputs]

    @property
    def output_ids(self) -> list[int]:
        return [port.id for port in self.outputs]

    def describe(self) -> str:
        """How errors name this layer: ``IR layer id=3 name='conv' type='Convolution'``."""
        return describe_layer(self.id, self.name, self.type)


def describe_layer(lid: object, name: str, kind: str) -> str:
    return f"IR layer id={lid} name='{name}' type='{kind}'"


def read_layer(element: ET.Element, position: int, compact: bool = False) -> LayerSpec:
    """The ``<layer>`` ``element`` at ``position`` (``compact``: from a compacted document,
    see ``parse_ir_xml``)."""
    get = element.get
    name = get("name", "")
    kind = get("type", "")
    raw_id = get("id")
    try:
        lid = int(raw_id) if raw_id is not None else None
    except ValueError:
        lid = None
    if lid is None:
        raise IRError(f"{describe_layer(raw_id, name, kind)}: layer id is missing or not an "
                      "integer")
    where = describe_layer(lid, name, kind)
    if not kind:
        raise IRError(f"{where}: layer has no type")
    data: dict[str, str] = {}
    inputs: list[PortSpec] = []
    outputs: list[PortSpec] = []
    rt: list[tuple[str, dict[str, str]]] | None = None
    for child in element:
        tag = child.tag
        if tag == "data":
            data = dict(child.attrib)
        elif tag == "input":
            inputs += [read_port(p, where, False, compact) for p in child.findall("port")]
        elif tag == "output":
            outputs += [read_port(p, where, True, compact) for p in child.findall("port")]
        elif tag == "rt_info":
            rt = rt_entries(child)
    input_ids = [p.id for p in inputs]
    output_ids = [p.id for p in outputs]
    ids = input_ids + output_ids
    if len(ids) > 1 and len(set(ids)) != len(ids):
        raise IRError(f"{where}: port ids repeat ({ids})")
    return LayerSpec(lid, name, kind, get("version", "opset1"), data, inputs, outputs, rt,
                     get("output_names"), position, any(p.rt is not None for p in inputs))
