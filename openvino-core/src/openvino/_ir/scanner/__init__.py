"""The IR scanner: a C pass over the XML (``ir_scan.c``, libexpat through cffi, built at
install time where a compiler and ``expat.h`` exist) that yields the layer specs and the
ordered connections the reader would otherwise get from ElementTree, ``LayerSpec`` and
``connect``, at a fraction of the cost.

It declines what it does not read exactly as those do (bad input among it), and then
``scan_ir`` returns ``None`` and the reader parses the document in Python, which reports
what is wrong. So the scanner never changes what a document means or which error it gets.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET

from ..edges import Connections
from ..layer_spec import LayerSpec, PortSpec, precision_type
from ..tensor_names import split_names

try:
    from ._ir_scan import ffi, lib
except ImportError:  # built without the extension: the reader parses in Python
    ffi = lib = None

__all__ = ["ScannedIR", "scan_ir", "available"]


def available() -> bool:
    """Whether the compiled scanner is installed."""
    return lib is not None


class ScannedIR:
    """What the scanner read: the ``<net>`` element (its name and version attributes and its
    ``<rt_info>`` child), the layer specs by id, and their connections."""

    __slots__ = ("net", "layers", "links")

    def __init__(self, net: ET.Element, layers: dict[int, LayerSpec], links: Connections
                 ) -> None:
        self.net = net
        self.layers = layers
        self.links = links


def scan_ir(xml: bytes) -> ScannedIR | None:
    """The scanned IR, or ``None`` when the scanner is missing or declines the document."""
    if lib is None:
        return None
    result = ffi.new("irs_result *")
    if lib.irs_scan(xml, len(xml), result) != lib.IRS_OK:
        return None
    try:
        text = ffi.unpack(result.strings, result.strings_size) if result.strings_size else b""
        strings = text.decode("utf-8").split("\0")
        layer_rows = _unpack(result.layers, result.n_layers * lib.IRS_LAYER_FIELDS)
        port_rows = _unpack(result.ports, result.n_ports * lib.IRS_PORT_FIELDS)
        dims = _unpack(result.dims, result.n_dims)
        rt_rows = _unpack(result.rt, result.n_rt * lib.IRS_RT_FIELDS)
        attr_rows = _unpack(result.attrs, result.n_attrs * 2)
        order = _unpack(result.order, result.n_layers)
        name, version = result.net_name, result.net_version
        rt_begin, rt_end = result.rt_begin, result.rt_end
    finally:
        lib.irs_free(result)
    net = ET.Element("net")
    if name >= 0:
        net.set("name", strings[name])
    if version >= 0:
        net.set("version", strings[version])
    if rt_begin >= 0:
        net.append(ET.fromstring(xml[rt_begin:rt_end]))
    try:
        layers, sources = _layer_specs(strings, layer_rows, port_rows, dims,
                                       _RtTable(strings, rt_rows, attr_rows))
    except _Declined:
        return None
    ids = [layer_rows[row * lib.IRS_LAYER_FIELDS] for row in order]
    return ScannedIR(net, layers, Connections(sources, ids))


def _unpack(pointer: object, count: int) -> list[int]:
    """``count`` ints from a C table (which is NULL when it has none)."""
    return ffi.unpack(pointer, count) if count else []


class _Declined(Exception):  # noqa: N818 - a signal, not an error
    """A value the Python reader would report (an unknown precision)."""


# the named tuples of fields in order, made in C (their ``_make`` is a Python function)
_new_port = functools.partial(tuple.__new__, PortSpec)
_new_layer = functools.partial(tuple.__new__, LayerSpec)


class _RtTable:
    """The rt entries and the attributes (of entries and of ``<data>``), as strings."""

    __slots__ = ("rows", "keys", "values")

    def __init__(self, strings: list[str | None], rt_rows: list[int], attr_rows: list[int]
                 ) -> None:
        self.rows = rt_rows
        self.keys = list(map(strings.__getitem__, attr_rows[0::2]))
        self.values = list(map(strings.__getitem__, attr_rows[1::2]))

    def attributes(self, first: int, count: int) -> dict[str, str]:
        return dict(zip(self.keys[first:first + count], self.values[first:first + count]))

    def entries(self, strings: list[str | None], first: int, count: int
                ) -> list[tuple[str, dict[str, str]]] | None:
        """The ``(tag, attributes)`` of ``count`` entries from row ``first`` (``None`` for a
        count of -1: no ``<rt_info>``)."""
        if count < 0:
            return None
        rows = self.rows
        return [(strings[rows[3 * row]], self.attributes(rows[3 * row + 1], rows[3 * row + 2]))
                for row in range(first, first + count)]


def _port_specs(strings: list[str | None], rows: list[int], dims: list[int], rt: _RtTable
                ) -> list[PortSpec]:
    """The port specs, built column by column (each column a C-speed pass)."""
    width = lib.IRS_PORT_FIELDS
    get = strings.__getitem__
    precision_names = list(map(get, rows[1::width]))
    try:
        types = {name: precision_type(name) for name in set(precision_names) if name is not None}
    except RuntimeError:
        raise _Declined from None
    types[None] = None
    precisions = list(map(types.__getitem__, precision_names))
    names = [[] if not text else [text] if "," not in text and "\\" not in text
             else split_names(text) for text in map(get, rows[2::width])]
    port_dims = [dims[first:first + n] for first, n in zip(rows[3::width], rows[4::width])]
    if -1 in dims:
        port_dims = [[None if d == -1 else d for d in ds] if -1 in ds else ds
                     for ds in port_dims]
    rt_counts = rows[6::width]
    rts: list = [None] * len(rt_counts)
    if rt_counts and max(rt_counts) >= 0:
        rts = [rt.entries(strings, first, n) for first, n in zip(rows[5::width], rt_counts)]
    return list(map(_new_port, zip(rows[0::width], precisions, port_dims, names, rts)))


def _layer_specs(strings: list[str | None], layer_rows: list[int], port_rows: list[int],
                 dims: list[int], rt: _RtTable
                 ) -> tuple[dict[int, LayerSpec], dict[int, list[tuple[int, int]]]]:
    """The layer specs by id and each layer's input sources, built column by column."""
    strings.append(None)  # a string index of -1 (absent) reads None
    get = strings.__getitem__
    ports = _port_specs(strings, port_rows, dims, rt)
    width = lib.IRS_LAYER_FIELDS
    ids = layer_rows[0::width]
    in_spans = list(zip(layer_rows[7::width], layer_rows[8::width]))
    out_spans = list(zip(layer_rows[9::width], layer_rows[10::width]))
    attributes = rt.attributes
    data = [attributes(first, n) if n > 0 else {}
            for first, n in zip(layer_rows[5::width], layer_rows[6::width])]
    inputs = [ports[first:first + n] for first, n in in_spans]
    entries = rt.entries
    rts = [None if n < 0 else entries(strings, first, n)
           for first, n in zip(layer_rows[11::width], layer_rows[12::width])]
    if max(port_rows[6::lib.IRS_PORT_FIELDS], default=-1) >= 0:  # some port has rt_info
        inputs_rt = [any(port.rt is not None for port in group) for group in inputs]
    else:
        inputs_rt = [False] * len(ids)
    specs = map(_new_layer, zip(
        ids, map(get, layer_rows[1::width]), map(get, layer_rows[2::width]),
        map(get, layer_rows[3::width]), data, inputs,
        [ports[first:first + n] for first, n in out_spans], rts,
        map(get, layer_rows[4::width]), range(len(ids)), inputs_rt))
    pairs = list(zip(port_rows[7::lib.IRS_PORT_FIELDS], port_rows[8::lib.IRS_PORT_FIELDS]))
    sources = [pairs[first:first + n] for first, n in in_spans]
    return dict(zip(ids, specs)), dict(zip(ids, sources))
