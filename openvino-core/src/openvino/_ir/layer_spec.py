"""One ``<layer>`` of an IR as read from the XML, before it becomes a node: its id, name,
type, version, ``<data>`` attributes, ports and rt_info."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .._shape import Dimension
from .._type import Type, type_from_name
from .tensor_names import split_names
from .xml_document import DIM_SEPARATOR, NotCompactable

__all__ = ["LayerSpec", "PortSpec", "IRError", "parse_int"]


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


def _precision(text: str) -> Type | None:
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


class PortSpec:
    """A port of a layer: id, precision (``None`` when absent or unspecified), dims
    (``None`` for a dynamic dimension; read for output ports only, input ports repeat their
    producer's), tensor names and the ``<rt_info>`` entries (see ``rt_entries``)."""

    __slots__ = ("id", "precision", "dims", "names", "rt")

    def __init__(self, element: ET.Element, layer: LayerSpec, with_dims: bool,
                 compact: bool = False) -> None:
        attrib = element.attrib
        raw_id = attrib.get("id")
        try:
            self.id = int(raw_id)
        except (TypeError, ValueError):
            self.id = parse_int(raw_id, f"{layer.describe()}: port id")
        precision = attrib.get("precision")
        self.precision: Type | None = None
        if precision is not None:
            try:
                self.precision = _PRECISIONS[precision]
            except KeyError:
                try:
                    self.precision = _precision(precision)
                except RuntimeError:
                    raise IRError(f"{layer.describe()}: port {self.id} has an unknown "
                                  f"precision '{precision}'") from None
        names = attrib.get("names")
        if not names:
            self.names = []
        elif "\\" in names or "," in names:
            self.names = split_names(names)
        else:
            self.names = [names]
        self.dims: list[int | None] = []
        self.rt: list[tuple[str, dict[str, str]]] | None = None
        count = len(element)
        if count == 1 and compact:  # the usual compacted port: one merged <dim>
            child = element[0]
            if child.tag == "dim":
                if with_dims:
                    text = child.text
                    if text and not len(child):
                        try:
                            dims = list(map(int, text.split(DIM_SEPARATOR)))
                        except ValueError:
                            pass
                        else:
                            if min(dims) >= 0:
                                self.dims = dims
                                return
                    self.dims = _read_compact_dims(element, layer, self.id)
                return
        elif count == 0:
            return
        if with_dims:
            self.dims = (_read_compact_dims(element, layer, self.id) if compact
                         else _read_dims(element, layer, self.id))
        rts = element.findall("rt_info")
        if rts:
            self.rt = rt_entries(rts[-1])


def _read_dims(element: ET.Element, layer: LayerSpec, port: int) -> list[int | None]:
    """The ``<dim>`` values of a port, in order (``None`` for a dynamic dimension)."""
    found = element.findall("dim")
    try:
        dims = [int(d.text) for d in found]
    except (TypeError, ValueError):
        pass
    else:
        if not dims or min(dims) >= 0:
            return dims
    return [_parse_dim(d.text, layer, port) for d in found]


def _read_compact_dims(element: ET.Element, layer: LayerSpec, port: int) -> list[int | None]:
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
        return [_parse_dim(t, layer, port) for t in texts]
    except IRError:
        raise NotCompactable from None


def _parse_dim(text: str | None, layer: LayerSpec, port: int) -> int | None:
    t = text or ""
    try:
        value = int(t)
    except ValueError:
        try:
            d = Dimension.from_string(t)
        except (RuntimeError, ValueError):
            raise IRError(f"{layer.describe()}: port {port} has an invalid dim '{text}'"
                          ) from None
        return d.get_length() if d.is_static else None
    if value < -1:
        raise IRError(f"{layer.describe()}: port {port} has an invalid dim '{text}'")
    return None if value == -1 else value


def rt_entries(element: ET.Element) -> list[tuple[str, dict[str, str]]]:
    """The children of an ``<rt_info>`` element as ``(tag, attributes)`` pairs."""
    return [(child.tag, child.attrib) for child in element]


class LayerSpec:
    """A ``<layer>`` element, parsed."""

    __slots__ = ("id", "name", "type", "version", "data", "inputs", "outputs", "rt",
                 "output_names", "position", "input_ids", "output_ids", "inputs_rt")

    def __init__(self, element: ET.Element, position: int, compact: bool = False) -> None:
        """``compact``: the element comes from a compacted document (``parse_ir_xml``)."""
        self.position = position
        get = element.get
        self.output_names = get("output_names")
        self.name = get("name", "")
        self.type = get("type", "")
        self.version = get("version", "opset1")
        raw_id = get("id")
        try:
            self.id = int(raw_id) if raw_id is not None else None
        except ValueError:
            self.id = None
        if self.id is None:
            raise IRError(f"{self.describe(raw_id)}: layer id is missing or not an integer")
        if not self.type:
            raise IRError(f"{self.describe()}: layer has no type")
        data: dict[str, str] = {}
        inputs: list[PortSpec] = []
        outputs: list[PortSpec] = []
        rt: list[tuple[str, dict[str, str]]] | None = None
        for child in element:
            tag = child.tag
            if tag == "data":
                data = dict(child.attrib)
            elif tag == "input":
                inputs += [PortSpec(p, self, False, compact) for p in child.findall("port")]
            elif tag == "output":
                outputs += [PortSpec(p, self, True, compact) for p in child.findall("port")]
            elif tag == "rt_info":
                rt = rt_entries(child)
        self.data = data
        self.inputs = inputs
        self.outputs = outputs
        self.rt = rt
        self.input_ids = input_ids = [p.id for p in inputs]
        self.output_ids = output_ids = [p.id for p in outputs]
        #: whether any input port has an ``<rt_info>``
        self.inputs_rt = False
        for port in inputs:
            if port.rt is not None:
                self.inputs_rt = True
        ids = input_ids + output_ids
        if len(ids) > 1 and len(set(ids)) != len(ids):
            raise IRError(f"{self.describe()}: port ids repeat ({ids})")

    def describe(self, raw_id: object = None) -> str:
        """How errors name this layer: ``layer id=3 name='conv' type='Convolution'``."""
        lid = getattr(self, "id", None)
        shown = lid if lid is not None else raw_id
        return f"IR layer id={shown} name='{self.name}' type='{self.type}'"
