"""The C IR scanner must read every document exactly as the Python reader does, or decline
it: the layer specs, connections and ``<net>`` it yields equal the Python ones, and any
document (hand-made odd cases and a few hundred random mutations of saved models) gives the
same model or the same error through ``read_ir`` with and without it."""

from __future__ import annotations

import os
import random
import re
import xml.etree.ElementTree as ET
from unittest import mock

import numpy as np
import pytest

import openvino as ov
from openvino import opset13 as ops
from openvino._ir import reader, scanner
from openvino._ir.edges import connect
from openvino._ir.layer_spec import read_layer
from openvino._ir.rt_info_xml import read_model_rt_info
from openvino._ir.writer import write_ir
from openvino._ir.xml_document import parse_ir_xml

needs_scanner = pytest.mark.skipif(not scanner.available(),
                                   reason="the IR scanner extension is not built here")


def test_scanner_is_built_where_required() -> None:
    """nox installs the package as a user does, with a compiler and expat.h at hand: the
    scanner must then be there (``OV_REQUIRE_IR_SCANNER=1``)."""
    if os.environ.get("OV_REQUIRE_IR_SCANNER") != "1":
        pytest.skip("OV_REQUIRE_IR_SCANNER is not set")
    assert scanner.available()


# --- models to read --------------------------------------------------------------------------

def _conv_model() -> ov.Model:
    x = ops.parameter([1, 3, 8, 8], ov.Type.f32, name="image")
    w = ops.constant(np.arange(4 * 3 * 3 * 3, dtype=np.float32).reshape(4, 3, 3, 3) / 50)
    conv = ops.convolution(x, w, [1, 1], [1, 1], [1, 1], [1, 1], name="conv")
    relu = ops.relu(conv, name="relu")
    shape = ops.constant(np.array([1, -1], dtype=np.int64))
    flat = ops.reshape(relu, shape, special_zero=False, name="flat")
    flat.output(0).get_tensor().set_names({"flat,out", "features"})
    result = ops.result(flat, name="out")
    model = ov.Model([result], [x], "conv_net")
    x.output(0).get_rt_info()["custom"] = "port info"
    conv.get_rt_info()["fused_names"] = "a,b"
    x.set_layout(ov.Layout("NCHW"))
    model.set_rt_info("value", ["section", "key"])
    return model


def _dynamic_model() -> ov.Model:
    a = ops.parameter(ov.PartialShape([-1, 4]), ov.Type.f32, name="a")
    b = ops.parameter(ov.PartialShape([-1, 4]), ov.Type.f32, name="b")
    total = ops.add(a, b, name="sum")
    outs = ops.split(total, ops.constant(np.int64(1)), 2, name="halves")
    return ov.Model([ops.result(outs.output(0)), ops.result(outs.output(1))], [a, b], "dyn")


def _stateful_model() -> ov.Model:
    x = ops.parameter([2], ov.Type.f32, name="x")
    var = ov.op.util.Variable(ov.op.util.VariableInfo())
    info = var.get_info()
    info.data_shape, info.data_type, info.variable_id = ov.PartialShape([2]), ov.Type.f32, "acc"
    var.update(info)
    read = ops.read_value(ops.constant(np.zeros(2, np.float32)), var)
    total = ops.add(read, x)
    assign = ops.assign(total, var)
    return ov.Model([ops.result(total)], [assign], [x], "stateful")


def _documents() -> dict[str, tuple[bytes, bytes]]:
    docs = {}
    for name, make in (("conv", _conv_model), ("dynamic", _dynamic_model),
                       ("stateful", _stateful_model)):
        xml, weights = write_ir(make())
        docs[name] = (xml.encode("utf-8"), weights)
    return docs


DOCUMENTS = _documents()


def _python_parse(xml: bytes):
    root, compact = parse_ir_xml(xml)
    layers = {}
    for position, element in enumerate(root.find("layers")):
        spec = read_layer(element, position, compact)
        layers[spec.id] = spec
    return root, layers, connect(layers, root.find("edges"))


@needs_scanner
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_scanned_specs_equal_the_python_reader(name: str) -> None:
    xml, _ = DOCUMENTS[name]
    scanned = scanner.scan_ir(xml)
    assert scanned is not None, "the scanner should take a document save_model writes"
    root, layers, links = _python_parse(xml)
    assert scanned.layers == layers
    assert scanned.links.order == links.order
    assert scanned.links.sources == links.sources
    assert scanned.net.attrib == {"name": root.get("name"), "version": root.get("version")}
    assert read_model_rt_info(scanned.net.find("rt_info")) == read_model_rt_info(
        root.find("rt_info"))


@needs_scanner
def test_corpus_models_are_scanned_the_same(corpus_dir) -> None:
    paths = sorted(corpus_dir.glob("*/model.xml"))
    if not paths:
        pytest.skip(f"no corpus models under {corpus_dir}")
    for path in paths:
        xml = path.read_bytes()
        scanned = scanner.scan_ir(xml)
        assert scanned is not None, path
        _, layers, links = _python_parse(xml)
        assert scanned.layers == layers, path
        assert (scanned.links.order, scanned.links.sources) == (links.order, links.sources)


# --- same outcome with and without the scanner ------------------------------------------------

def _outcome(xml: bytes, weights: bytes, use_scanner: bool) -> tuple[str, str]:
    """What ``read_ir`` makes of a document: the model written back as IR, or the error."""
    replacement = scanner.scan_ir if use_scanner else (lambda data: None)
    with mock.patch.object(reader, "scan_ir", replacement):
        try:
            model = reader.read_ir(xml, weights)
        except Exception as e:  # noqa: BLE001 - the error itself is the outcome compared
            return type(e).__name__, str(e)
    if re.fullmatch(r"Model\d+", model.get_friendly_name()):  # a generated unique name
        model.set_friendly_name("unnamed")
    text, data = write_ir(model)
    text = re.sub(r'name="([A-Za-z]+)_\d+"', r'name="\1_N"', text)  # generated unique names
    return "model", text + repr(sorted(model.get_rt_info().items())) + str(len(data))


def _same_outcome(xml: bytes, weights: bytes) -> None:
    assert _outcome(xml, weights, True) == _outcome(xml, weights, False)


def _net(layers: str, edges: str = "", net: str = '<net name="t" version="11">',
         head: str = '<?xml version="1.0"?>\n') -> bytes:
    return f"{head}{net}<layers>{layers}</layers><edges>{edges}</edges></net>".encode()


PARAM = ('<layer id="0" name="a" type="Parameter" version="opset1">'
         '<data shape="2,3" element_type="f32"/>'
         '<output><port id="0" precision="FP32"{names}>{dims}</port></output></layer>')
RELU = ('<layer id="1" name="r" type="Relu" version="opset1"><input><port id="0" '
        'precision="FP32"><dim>2</dim><dim>3</dim></port></input><output><port id="1" '
        'precision="FP32"><dim>2</dim><dim>3</dim></port></output></layer>')
RESULT = ('<layer id="2" name="out" type="Result" version="opset1"><input><port id="0" '
          'precision="FP32"><dim>2</dim><dim>3</dim></port></input></layer>')
EDGES = ('<edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>'
         '<edge from-layer="1" from-port="1" to-layer="2" to-port="0"/>')
DIMS = "<dim>2</dim><dim>3</dim>"


def _chain(param: str | None = None, relu: str = RELU, result: str = RESULT,
           edges: str = EDGES, **net) -> bytes:
    param = param if param is not None else PARAM.format(names="", dims=DIMS)
    return _net(param + relu + result, edges, **net)


ODD_DOCUMENTS = {
    "plain": _chain(),
    "v10": _chain(net='<net name="t" version="10">'),
    "v12": _chain(net='<net name="t" version="12">'),
    "version with spaces": _chain(net='<net name="t" version=" 11 ">'),
    "no version": _chain(net='<net name="t">'),
    "no name": _chain(net='<net version="11">'),
    "namespaced net": _chain(net='<net xmlns="urn:x" name="t" version="11">'),
    "prefixed attribute": _chain(net='<net xmlns:a="urn:x" a:b="1" name="t" version="11">'),
    "unbound prefix": _chain(net='<net a:b="1" name="t" version="11">'),
    "root is not net": _net(PARAM.format(names="", dims=DIMS)).replace(b"net", b"nest"),
    "comment and PI": _chain(head='<?xml version="1.0"?><!-- c --><?pi x?>'),
    "CDATA dim": _chain(PARAM.format(names="", dims="<dim><![CDATA[2]]></dim><dim>3</dim>")),
    "dim with spaces": _chain(PARAM.format(names="", dims="<dim> 2 </dim><dim>\n3</dim>")),
    "dynamic dim": _chain(PARAM.format(names="", dims="<dim>-1</dim><dim>3</dim>")),
    "question dim": _chain(PARAM.format(names="", dims="<dim>?</dim><dim>3</dim>")),
    "interval dim": _chain(PARAM.format(names="", dims="<dim>1..4</dim><dim>3</dim>")),
    "bad dim": _chain(PARAM.format(names="", dims="<dim>-2</dim><dim>3</dim>")),
    "empty dim": _chain(PARAM.format(names="", dims="<dim></dim><dim>3</dim>")),
    "plus dim": _chain(PARAM.format(names="", dims="<dim>+2</dim><dim>3</dim>")),
    "huge dim": _chain(PARAM.format(names="", dims="<dim>99999999999999999999</dim>")),
    "nested dim": _chain(PARAM.format(names="", dims="<dim>2<x/></dim><dim>3</dim>")),
    "names with comma": _chain(PARAM.format(names=r' names="a\,b,c"', dims=DIMS)),
    "names empty": _chain(PARAM.format(names=' names=""', dims=DIMS)),
    "entity in name": _chain(PARAM.format(names=' names="a&amp;b&#10;c&#x41;"', dims=DIMS)),
    "tab in attribute": _chain(PARAM.format(names=' names="a\tb\nc"', dims=DIMS)),
    "unknown precision": _chain(PARAM.format(names="", dims=DIMS).replace("FP32", "FP33")),
    "dynamic precision": _chain(PARAM.format(names="", dims=DIMS).replace('"FP32"', '"dynamic"')),
    "no precision": _chain(PARAM.format(names="", dims=DIMS).replace(' precision="FP32"', "")),
    "two data": _chain(PARAM.format(names="", dims=DIMS).replace(
        "<output>", '<data shape="2,3" element_type="f16"/><output>')),
    "body child": _chain(PARAM.format(names="", dims=DIMS).replace("<output>", "<body/><output>")),
    "text in layer": _chain(PARAM.format(names="", dims=DIMS).replace("<output>", "x<output>")),
    "layers holds other": _net("<note/>" + PARAM.format(names="", dims=DIMS) + RELU + RESULT,
                               EDGES),
    "edges holds other": _chain(edges="<note/>" + EDGES),
    "second layers": _net(PARAM.format(names="", dims=DIMS) + RELU + RESULT, EDGES)
    .replace(b"</net>", b"<layers/></net>"),
    "edges first": (b'<?xml version="1.0"?><net name="t" version="11"><edges>'
                    + EDGES.encode() + b"</edges><layers>"
                    + (PARAM.format(names="", dims=DIMS) + RELU + RESULT).encode()
                    + b"</layers></net>"),
    "layer rt_info": _chain(relu=RELU.replace(
        "<input>", '<rt_info><attribute name="fused_names" version="0" value="x,y"/>'
                   '<attribute name="old_api_map_order" version="0" value="0,1"/>'
                   "<plain value=\"v\"/></rt_info><input>")),
    "port rt_info": _chain(PARAM.format(names="", dims=DIMS + '<rt_info><attribute '
                                        'name="layout" version="0" layout="[N,C]"/></rt_info>')),
    "bad layout": _chain(PARAM.format(names="", dims=DIMS + '<rt_info><attribute '
                                      'name="layout" version="0" layout="[N,,"/></rt_info>')),
    "two rt_info": _chain(relu=RELU.replace("<input>", "<rt_info/><rt_info/><input>")),
    "net rt_info": _chain().replace(b"</net>", b'<rt_info><a value="1"/><b><c value="2"/>'
                                                b'</b></rt_info><rt_info><z value="0"/>'
                                                b"</rt_info></net>"),
    "empty net rt_info": _chain().replace(b"</net>", b"<rt_info/></net>"),
    "negative ids": _chain(relu=RELU.replace('id="1"', 'id="-1"', 1),
                           edges=EDGES.replace('"1"', '"-1"').replace(
                               'from-port="-1"', 'from-port="1"').replace(
                               'to-port="-1"', 'to-port="1"')),
    "id with spaces": _chain(relu=RELU.replace('id="1"', 'id=" 1"', 1)),
    "huge id": _chain(relu=RELU.replace('id="1"', 'id="1234567890123456789012"', 1),
                      edges=EDGES.replace('"1"', '"1234567890123456789012"')),
    "duplicate layer id": _chain(result=RESULT.replace('id="2"', 'id="1"', 1)),
    "duplicate port id": _chain(relu=RELU.replace('port id="1"', 'port id="0"')),
    "no type": _chain(relu=RELU.replace(' type="Relu"', "")),
    "unknown op": _chain(relu=RELU.replace("Relu", "Relux")),
    "unknown version": _chain(relu=RELU.replace('version="opset1"', 'version="opset99"')),
    "edge to nowhere": _chain(edges=EDGES.replace('to-layer="2"', 'to-layer="7"')),
    "edge from unknown port": _chain(edges=EDGES.replace('from-port="1"', 'from-port="5"')),
    "edge into output port": _chain(edges=EDGES.replace('to-port="0"/>', 'to-port="1"/>', 1)),
    "double edge": _chain(edges=EDGES + '<edge from-layer="0" from-port="0" to-layer="1" '
                                        'to-port="0"/>'),
    "unconnected input": _chain(edges=EDGES.split("/>")[1] + "/>"),
    "edge missing attribute": _chain(edges=EDGES.replace(' to-port="0"', "", 1)),
    "edge not integer": _chain(edges=EDGES.replace('to-port="0"', 'to-port="x"', 1)),
    "cycle": _chain(relu=RELU.replace("<input><port id=\"0\"", "<input><port id=\"0\"")
                    .replace("</port></input>", '</port><port id="5" precision="FP32">'
                             "<dim>2</dim><dim>3</dim></port></input>"),
                    edges=EDGES + '<edge from-layer="1" from-port="1" to-layer="1" '
                                  'to-port="5"/>'),
    "wrong output shape": _chain(relu=RELU.replace('<port id="1" precision="FP32"><dim>2</dim>',
                                                   '<port id="1" precision="FP32"><dim>5</dim>')),
    "truncated": _chain()[:-20],
    "undefined entity": _chain(PARAM.format(names=' names="&bogus;"', dims=DIMS)),
    "doctype": _chain(head='<?xml version="1.0"?><!DOCTYPE net [<!ENTITY e "x">]>'),
    "utf-16": _chain(head="").decode().encode("utf-16"),
    "latin-1 declared": _chain(head='<?xml version="1.0" encoding="ISO-8859-1"?>'),
    "bom": b"\xef\xbb\xbf" + _chain(),
    "non-ascii name": _chain(relu=RELU.replace('name="r"', 'name="r\u00e9\u4e2d"')),
    "output_names": _chain(result=RESULT.replace('type="Result"',
                                                 'type="Result" output_names="o1,o2"')),
}


@needs_scanner
@pytest.mark.parametrize("case", sorted(ODD_DOCUMENTS))
def test_odd_documents_read_the_same(case: str) -> None:
    _same_outcome(ODD_DOCUMENTS[case], b"")


@needs_scanner
def test_common_forms_are_taken_and_odd_ones_declined() -> None:
    for case in ("plain", "v10", "dynamic dim", "names with comma", "dim with spaces",
                 "tab in attribute", "layer rt_info", "port rt_info", "net rt_info",
                 "empty net rt_info", "output_names", "negative ids", "bom"):
        assert scanner.scan_ir(ODD_DOCUMENTS[case]) is not None, case
    for case in ("namespaced net", "interval dim", "body child", "layers holds other",
                 "duplicate layer id", "cycle", "double edge", "doctype", "truncated",
                 "unknown precision", "huge id", "entity in name", "comment and PI",
                 "CDATA dim", "non-ascii name", "utf-16", "latin-1 declared"):
        assert scanner.scan_ir(ODD_DOCUMENTS[case]) is None, case


@needs_scanner
def test_random_mutations_read_the_same() -> None:
    """A few hundred damaged copies of saved models: the same model or the same error."""
    rng = random.Random(20261125)
    _mutations(rng, 150)


def _mutations(rng: random.Random, per_document: int) -> None:
    alphabet = [b"<", b">", b"/", b'"', b"'", b"=", b" ", b"\t", b"\r", b"\n", b"-", b"1",
                b"0", b"&", b";", b"x", b"!", b"?", b"]]>", b"<!--", b"-->", b"\x7f", b"\x00",
                b"\x01", b"\xc3", b"\xff", b":", b"dim", b"port", b"layer", b"</dim>"]
    for _name, (xml, weights) in sorted(DOCUMENTS.items()):
        for _ in range(per_document):
            data = bytearray(xml)
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(data))
                action = rng.randrange(4)
                if action == 0:
                    del data[at:at + rng.randint(1, 12)]
                elif action == 1:
                    data[at:at] = rng.choice(alphabet)
                elif action == 2:
                    data[at:at + 1] = rng.choice(alphabet)
                else:
                    start = rng.randrange(len(data))
                    data[at:at] = data[start:start + rng.randint(1, 60)]
            _same_outcome(bytes(data), weights)


@needs_scanner
def test_declining_frees_and_reuses_cleanly() -> None:
    """Many declines and takes in a row (the C side frees on every path)."""
    good, bad = ODD_DOCUMENTS["plain"], ODD_DOCUMENTS["cycle"]
    for _ in range(200):
        assert scanner.scan_ir(good) is not None
        assert scanner.scan_ir(bad) is None
    assert ET.fromstring(good).tag == "net"
