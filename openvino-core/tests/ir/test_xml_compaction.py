"""The IR reader parses a compacted copy of the XML (indentation dropped, sibling dims merged)
for speed: whatever it reads from that copy must equal what the plain document says, and
errors must still quote the document itself."""

from __future__ import annotations

import pytest

from openvino._ir import read_ir
from openvino._ir.xml_document import parse_ir_xml, parse_xml


def _port(pid: int, dims: str, extra: str = "") -> str:
    return f'<port id="{pid}" precision="FP32"{extra}>{dims}</port>'


def _dims(*values: object, indent: str = "") -> str:
    return "".join(f"{indent}<dim>{v}</dim>" for v in values)


def _model(out_dims: str, name: str = "sum", indent: str = "\n\t\t\t") -> str:
    """Parameter [2,3] + Parameter [2,3] -> Add (output port dims ``out_dims``) -> Result,
    laid out one element a line with ``indent``."""
    d = _dims(2, 3, indent=indent)
    named = _port(0, d, ' names="a"')
    return (
        '<?xml version="1.0"?>\n<net name="m" version="11">\n\t<layers>'
        f'{indent}<layer id="0" name="a" type="Parameter" version="opset1">'
        f'<data shape="2,3" element_type="f32"/><output>{named}'
        f"</output></layer>"
        f'{indent}<layer id="1" name="b" type="Parameter" version="opset1">'
        f'<data shape="2,3" element_type="f32"/><output>{_port(0, d)}</output></layer>'
        f'{indent}<layer id="2" name="{name}" type="Add" version="opset1">'
        f"<input>{_port(0, d)}{_port(1, d)}</input>"
        f"<output>{_port(2, out_dims)}</output></layer>"
        f'{indent}<layer id="3" name="out" type="Result" version="opset1">'
        f"<input>{_port(0, d)}</input></layer>\n\t</layers>\n\t<edges>"
        '\n\t\t<edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>'
        '\n\t\t<edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>'
        '\n\t\t<edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>'
        "\n\t</edges>\n</net>\n")


def _add_node(model):
    return next(n for n in model.get_ordered_ops() if n.get_type_name() == "Add")


def test_indented_document_is_compacted_and_reads_the_same() -> None:
    xml = _model(_dims(2, 3, indent="\n\t\t\t\t\t"))
    root, compact = parse_ir_xml(xml.encode())
    assert compact
    port = root.find("layers")[2].find("output").find("port")
    assert [d.text for d in port.findall("dim")] == ["2\x7f3"]
    model = read_ir(xml)
    assert _add_node(model).get_output_partial_shape(0).to_string() == "[2,3]"
    assert model.input(0).get_names() == {"a"}


def test_dynamic_and_interval_dims_read_from_merged_text() -> None:
    model = read_ir(_model(_dims(-1, "1..3")))
    assert _add_node(model).get_output_partial_shape(0).to_string() == "[2,3]"


def test_a_wrong_merged_dim_is_still_caught() -> None:
    with pytest.raises(RuntimeError, match=r"has shape \[2,4\]"):
        read_ir(_model(_dims(2, 4)))


def test_dim_with_a_child_element_falls_back_to_the_plain_parse() -> None:
    # merged, the two dims would read as one ("2"): the reader must notice and re-read
    model = read_ir(_model("<dim>2<note/></dim><dim>3</dim>"))
    assert _add_node(model).get_output_partial_shape(0).to_string() == "[2,3]"


def test_invalid_dim_error_quotes_the_original_text() -> None:
    # the tab before "</dim>" is dropped by compaction; the error must still show it
    with pytest.raises(RuntimeError) as info:
        read_ir(_model("<dim>2</dim><dim>x\t</dim>"))
    assert "invalid dim 'x\t'" in str(info.value)


def test_document_holding_the_separator_is_not_compacted() -> None:
    xml = _model(_dims(2, 3), name="a\x7fb")
    assert parse_ir_xml(xml.encode())[1] is False
    model = read_ir(xml)
    assert _add_node(model).get_friendly_name() == "a\x7fb"


def test_tab_inside_an_attribute_value_is_kept_as_xml_normalises_it() -> None:
    xml = _model(_dims(2, 3), name="a\tb")
    root, compact = parse_ir_xml(xml.encode())
    assert compact
    assert root.find("layers")[2].get("name") == "a b"
    assert _add_node(read_ir(xml)).get_friendly_name() == "a b"


def test_newline_inside_a_tag_is_kept() -> None:
    xml = _model(_dims(2, 3)).replace('<layer id="2" name="sum"', '<layer\n\tid="2" name="sum"')
    assert _add_node(read_ir(xml)).get_friendly_name() == "sum"


def test_malformed_xml_reports_the_documents_own_line() -> None:
    xml = _model(_dims(2, 3)).replace('<edge from-layer="1"', '<edge from-layer=1')
    line = xml[:xml.index("from-layer=1")].count("\n") + 1
    assert line > 10  # the compacted copy has everything on two lines
    with pytest.raises(RuntimeError, match=rf"malformed XML .*line {line}, column 19"):
        read_ir(xml)


def test_whitespace_before_the_declaration_is_still_an_error() -> None:
    with pytest.raises(RuntimeError, match="malformed XML"):
        read_ir("\n" + _model(_dims(2, 3)))


def test_compacted_tree_equals_plain_tree_apart_from_dims_and_blanks() -> None:
    xml = _model(_dims(2, 3, indent="\n\t\t\t\t")).encode()
    compact, _ = parse_ir_xml(xml)
    plain = parse_xml(xml)
    shape = [(e.tag, dict(e.attrib)) for e in compact.iter() if e.tag != "dim"]
    assert shape == [(e.tag, dict(e.attrib)) for e in plain.iter() if e.tag != "dim"]
    merged = [d.text.split("\x7f") for d in compact.iter("dim")]
    assert sum(merged, []) == [d.text for d in plain.iter("dim")]

