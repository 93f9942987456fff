"""Untrusted IR: every malformed, malicious or inconsistent file gives a RuntimeError that
names the layer at fault (id, name, type), never a crash or a hang."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from openvino._ir import read_ir


def _port(pid: int, dims: list[int] | tuple = (), precision: str = "FP32",
          extra: str = "") -> str:
    inner = "".join(f"<dim>{d}</dim>" for d in dims)
    return f'<port id="{pid}" precision="{precision}"{extra}>{inner}</port>'


def _param(lid: int, name: str, dims=(4,), et: str = "f32", precision: str = "FP32") -> str:
    shape = ",".join(str(d) for d in dims)
    return (f'<layer id="{lid}" name="{name}" type="Parameter" version="opset1">'
            f'<data shape="{shape}" element_type="{et}"/>'
            f"<output>{_port(0, dims, precision)}</output></layer>")


def _const(lid: int, name: str, dims=(4,), et: str = "f32", offset: int = 0, size: int = 16,
           precision: str = "FP32") -> str:
    shape = ", ".join(str(d) for d in dims)
    return (f'<layer id="{lid}" name="{name}" type="Const" version="opset1">'
            f'<data element_type="{et}" shape="{shape}" offset="{offset}" size="{size}"/>'
            f"<output>{_port(0, dims, precision)}</output></layer>")


def _binary(lid: int, name: str, op: str = "Add", dims=(4,), version: str = "opset1",
            out_dims=None) -> str:
    return (f'<layer id="{lid}" name="{name}" type="{op}" version="{version}">'
            f"<input>{_port(0, dims)}{_port(1, dims)}</input>"
            f"<output>{_port(2, dims if out_dims is None else out_dims)}</output></layer>")


def _result(lid: int, name: str, dims=(4,)) -> str:
    return (f'<layer id="{lid}" name="{name}" type="Result" version="opset1">'
            f"<input>{_port(0, dims)}</input></layer>")


def _edge(a: int, ap: int, b: int, bp: int) -> str:
    return f'<edge from-layer="{a}" from-port="{ap}" to-layer="{b}" to-port="{bp}"/>'


def _net(layers: list[str], edges: list[str], version: str = "11") -> str:
    return (f'<?xml version="1.0"?>\n<net name="bad" version="{version}"><layers>'
            + "".join(layers) + "</layers><edges>" + "".join(edges) + "</edges></net>")


def _add_model(**add) -> str:
    return _net([_param(0, "a"), _param(1, "b"), _binary(2, "sum", **add), _result(3, "out")],
                [_edge(0, 0, 2, 0), _edge(1, 0, 2, 1), _edge(2, 2, 3, 0)])


def _const_model(**const) -> str:
    return _net([_param(0, "a"), _const(1, "w", **const), _binary(2, "sum"), _result(3, "out")],
                [_edge(0, 0, 2, 0), _edge(1, 0, 2, 1), _edge(2, 2, 3, 0)])


WEIGHTS = np.arange(4, dtype=np.float32).tobytes()


def _raises(xml: str, *fragments: str, weights: bytes | None = WEIGHTS) -> str:
    with pytest.raises(RuntimeError) as info:
        read_ir(xml, weights)
    text = str(info.value)
    for fragment in fragments:
        assert fragment in text, f"'{fragment}' not in: {text}"
    return text


def test_well_formed_reference_model_reads() -> None:
    model = read_ir(_const_model(), WEIGHTS)
    assert [n.get_type_name() for n in model.get_ordered_ops()] == [
        "Parameter", "Constant", "Add", "Result"]


# --- XML itself ---------------------------------------------------------------------------

def test_malformed_xml() -> None:
    _raises("<net name='x' version='11'><layers><layer></net>", "malformed XML")


def test_truncated_xml(corpus_dir: Path) -> None:
    text = (corpus_dir / "small_convnet" / "model.xml").read_text()
    _raises(text[: len(text) // 2], "malformed XML")


def test_empty_xml() -> None:
    _raises(b"   ", "empty")


def test_billion_laughs_is_refused_quickly() -> None:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)]
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE net [' + "".join(entities) + "]>"
           '<net name="&lol9;" version="11"><layers/></net>')
    start = time.perf_counter()
    _raises(xml, "forbidden")
    assert time.perf_counter() - start < 2.0


def test_external_entity_is_refused() -> None:
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE net [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
           '<net name="&ext;" version="11"><layers/></net>')
    _raises(xml, "forbidden")


def test_dtd_in_other_encodings_is_refused() -> None:
    dtd = '<!DOCTYPE net [<!ENTITY a "aaaaaaaaaa">]><net name="&a;" version="11"><layers/></net>'
    latin = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + dtd).encode("latin-1")
    _raises(latin, "forbidden")
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?>\n' + dtd).encode("utf-16")
    _raises(utf16, "forbidden")


def test_doctype_text_inside_a_comment_is_fine() -> None:
    xml = _add_model().replace("<layers>", "<!-- <!DOCTYPE is only text here --><layers>", 1)
    assert len(read_ir(xml).get_ordered_ops()) == 4


def test_wrong_root_and_version() -> None:
    _raises('<model version="11"/>', "<model>")
    _raises('<net name="x" version="7"><layers/></net>', "IR version '7'")
    _raises('<net name="x"><layers/></net>', "IR version ''")


def test_unsupported_argument_type() -> None:
    with pytest.raises(TypeError, match=r"Provided python object type <class 'int'> isn't "
                                        r"supported as 'model' argument\."):
        read_ir(1)


def test_missing_model_file(tmp_path: Path) -> None:
    _raises(str(tmp_path / "absent.xml"), "absent.xml")


# --- layers -------------------------------------------------------------------------------

def test_unknown_op_type() -> None:
    _raises(_add_model(op="FrobnicateXYZ"), "id=2", "name='sum'", "type='FrobnicateXYZ'",
            "unsupported operation")


def test_unknown_opset_version() -> None:
    _raises(_add_model(version="opset99"), "id=2", "name='sum'", "type='Add'", "opset99")


def test_duplicate_layer_ids() -> None:
    xml = _net([_param(0, "a"), _param(0, "b"), _result(3, "out")], [_edge(0, 0, 3, 0)])
    _raises(xml, "id=0", "name='b'", "type='Parameter'", "used twice")


def test_layer_id_not_an_integer() -> None:
    xml = _net([_param(0, "a").replace('id="0"', 'id="zero"', 1)], [])
    _raises(xml, "id=zero", "name='a'", "type='Parameter'")


def test_wrong_element_type_name_in_parameter() -> None:
    xml = _net([_param(0, "a", et="float99"), _result(1, "out")], [_edge(0, 0, 1, 0)])
    _raises(xml, "id=0", "name='a'", "type='Parameter'", "float99")


def test_wrong_precision_name_in_port() -> None:
    xml = _net([_param(0, "a", precision="FP99"), _result(1, "out")], [_edge(0, 0, 1, 0)])
    _raises(xml, "id=0", "name='a'", "type='Parameter'", "FP99")


def test_bad_attribute_value() -> None:
    convert = ('<layer id="1" name="cast" type="Convert" version="opset1">'
               '<data destination_type="q99"/>'
               f"<input>{_port(0, (4,))}</input><output>{_port(1, (4,))}</output></layer>")
    xml = _net([_param(0, "a"), convert, _result(2, "out")], [_edge(0, 0, 1, 0),
                                                              _edge(1, 1, 2, 0)])
    _raises(xml, "id=1", "name='cast'", "type='Convert'", "q99")


def test_bad_dim_text() -> None:
    xml = _net([_param(0, "a").replace("<dim>4</dim>", "<dim>four</dim>"), _result(1, "out")],
               [_edge(0, 0, 1, 0)])
    _raises(xml, "id=0", "name='a'", "type='Parameter'", "four")


# --- constants and weights -----------------------------------------------------------------

def test_const_past_end_of_weights() -> None:
    _raises(_const_model(offset=8), "id=1", "name='w'", "type='Const'", "past the end")


def test_const_negative_offset() -> None:
    _raises(_const_model(offset=-4), "id=1", "name='w'", "type='Const'", "negative")


def test_const_size_does_not_match_shape() -> None:
    _raises(_const_model(size=12), "id=1", "name='w'", "type='Const'", "does not match")


def test_const_huge_shape_small_size_fails_fast() -> None:
    start = time.perf_counter()
    _raises(_const_model(dims=(100000, 100000, 100000)), "id=1", "name='w'", "type='Const'",
            "does not match")
    assert time.perf_counter() - start < 2.0


def test_const_wrong_element_type_name() -> None:
    _raises(_const_model(et="f33"), "id=1", "name='w'", "type='Const'", "f33")


def test_const_without_weights() -> None:
    _raises(_const_model(), "id=1", "name='w'", "type='Const'", "no weights", weights=None)


def test_const_missing_attribute() -> None:
    xml = _const_model().replace(' offset="0"', "")
    _raises(xml, "id=1", "name='w'", "type='Const'", "offset")


def test_const_packed_size_mismatch() -> None:
    # 7 u4 elements need 4 bytes
    xml = _net([_const(0, "w", dims=(7,), et="u4", size=3, precision="U4"),
                _result(1, "out", dims=(7,))], [_edge(0, 0, 1, 0)])
    _raises(xml, "id=0", "name='w'", "type='Const'", "4 bytes")


def test_string_const_with_bad_header() -> None:
    good = np.array([2, 0, 1, 3], dtype=np.int32).tobytes() + b"abc"
    xml = _net([_const(0, "s", dims=(2,), et="string", size=len(good), precision="STRING"),
                _result(1, "out", dims=(2,))], [_edge(0, 0, 1, 0)])
    model = read_ir(xml, good)
    assert model.get_ordered_ops()[0].get_vector() == [b"a", b"bc"]
    wrong_count = np.array([3, 0, 1, 3], dtype=np.int32).tobytes() + b"abc"
    _raises(xml, "id=0", "name='s'", "type='Const'", "3 strings", weights=wrong_count)
    backwards = np.array([2, 0, 3, 1], dtype=np.int32).tobytes() + b"abc"
    _raises(xml, "id=0", "name='s'", "type='Const'", "offsets", weights=backwards)
    past = np.array([2, 0, 1, 9], dtype=np.int32).tobytes() + b"abc"
    _raises(xml, "id=0", "name='s'", "type='Const'", "offsets", weights=past)


# --- edges ----------------------------------------------------------------------------------

def test_edge_from_missing_layer() -> None:
    xml = _net([_param(0, "a"), _result(3, "out")], [_edge(7, 0, 3, 0)])
    _raises(xml, "layer id=7", "does not exist")


def test_edge_to_missing_layer() -> None:
    xml = _net([_param(0, "a"), _result(3, "out")], [_edge(0, 0, 3, 0), _edge(0, 0, 9, 0)])
    _raises(xml, "layer id=9", "does not exist")


def test_edge_from_missing_port() -> None:
    xml = _net([_param(0, "a"), _result(3, "out")], [_edge(0, 5, 3, 0)])
    _raises(xml, "id=0", "name='a'", "type='Parameter'", "port 5")


def test_edge_to_missing_port() -> None:
    xml = _net([_param(0, "a"), _result(3, "out")], [_edge(0, 0, 3, 4)])
    _raises(xml, "id=3", "name='out'", "type='Result'", "port 4")


def test_edge_attribute_not_an_integer() -> None:
    xml = _net([_param(0, "a"), _result(3, "out")],
               ['<edge from-layer="0" from-port="x" to-layer="3" to-port="0"/>'])
    _raises(xml, "from-port", "'x'")


def test_unconnected_input_port() -> None:
    xml = _net([_param(0, "a"), _param(1, "b"), _binary(2, "sum"), _result(3, "out")],
               [_edge(0, 0, 2, 0), _edge(2, 2, 3, 0)])
    _raises(xml, "id=2", "name='sum'", "type='Add'", "not connected")


def test_two_edges_into_one_port() -> None:
    xml = _net([_param(0, "a"), _param(1, "b"), _binary(2, "sum"), _result(3, "out")],
               [_edge(0, 0, 2, 0), _edge(1, 0, 2, 0), _edge(1, 0, 2, 1), _edge(2, 2, 3, 0)])
    _raises(xml, "id=2", "name='sum'", "type='Add'", "more than one")


def test_cycle_in_edges() -> None:
    xml = _net([_param(0, "a"), _binary(1, "first"), _binary(2, "second"), _result(3, "out")],
               [_edge(0, 0, 1, 0), _edge(2, 2, 1, 1), _edge(1, 2, 2, 0), _edge(0, 0, 2, 1),
                _edge(2, 2, 3, 0)])
    text = _raises(xml, "cycle", "type='Add'")
    assert "name='first'" in text or "name='second'" in text


def test_self_loop() -> None:
    xml = _net([_param(0, "a"), _binary(1, "loop"), _result(3, "out")],
               [_edge(0, 0, 1, 0), _edge(1, 2, 1, 1), _edge(1, 2, 3, 0)])
    _raises(xml, "id=1", "name='loop'", "type='Add'", "cycle")


# --- ports that contradict inference --------------------------------------------------------

def test_output_port_shape_contradicts_inference() -> None:
    _raises(_add_model(out_dims=(5,)), "id=2", "name='sum'", "type='Add'", "[5]", "[4]")


def test_output_port_rank_contradicts_inference() -> None:
    _raises(_add_model(out_dims=(4, 1)), "id=2", "name='sum'", "type='Add'", "rank 2")


def test_output_port_precision_is_a_note() -> None:
    # OpenVINO reads a port's precision as a note: the operation's element type wins
    xml = _add_model().replace('<port id="2" precision="FP32">',
                               '<port id="2" precision="I64">')
    model = read_ir(xml, WEIGHTS)
    assert model.output().get_element_type().get_type_name() == "f32"


def test_output_port_count_contradicts_op() -> None:
    xml = _add_model().replace("</output></layer><layer id=\"3\"",
                               f"{_port(3, (4,))}</output></layer><layer id=\"3\"")
    _raises(xml, "id=2", "name='sum'", "type='Add'", "2 output ports")


def test_input_type_mismatch_rejected_by_op() -> None:
    xml = _net([_param(0, "a"), _param(1, "b", et="i32", precision="I32"), _binary(2, "sum"),
                _result(3, "out")], [_edge(0, 0, 2, 0), _edge(1, 0, 2, 1), _edge(2, 2, 3, 0)])
    _raises(xml, "id=2", "name='sum'", "type='Add'")


def test_deeply_nested_model_rt_info() -> None:
    nested = "<a>" * 200 + "</a>" * 200
    xml = _add_model().replace("</net>", f"<rt_info>{nested}</rt_info></net>")
    _raises(xml, "nested deeper")
