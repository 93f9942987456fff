"""The IR reader parses each distinct ``<data>`` attribute set and Const type/shape once per
read; every node still owns its values, and every layer still gets its own errors. Nodes
make their rt_info maps on first use, which nobody can tell from eagerly made ones."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino._ir import read_ir
from openvino._ir.attribute_memo import IRAttributeMemo
from openvino._node import parse_ir_attributes
from openvino._ops.convolution import Convolution
from openvino._ops.pooling import MaxPool8
from openvino._rt_info import RTMap


def _port(pid: int, dims, precision: str = "FP32") -> str:
    if isinstance(dims, tuple):  # (dims, precision)
        dims, precision = dims
    return f'<port id="{pid}" precision="{precision}">' + "".join(
        f"<dim>{d}</dim>" for d in dims) + "</port>"


def _layer(lid: int, name: str, kind: str, data: str, ins: list, outs: list,
           version: str = "opset1", rt: str = "") -> str:
    inputs = "".join(_port(i, d) for i, d in enumerate(ins))
    outputs = "".join(_port(len(ins) + i, d) for i, d in enumerate(outs))
    return (f'<layer id="{lid}" name="{name}" type="{kind}" version="{version}">'
            f"<data {data}/>{rt}" + (f"<input>{inputs}</input>" if ins else "")
            + f"<output>{outputs}</output></layer>")


def _net(layers: list[str], edges: list[tuple[int, int, int, int]]) -> str:
    return ('<?xml version="1.0"?>\n<net name="memo" version="11"><layers>' + "".join(layers)
            + "</layers><edges>" + "".join(
                f'<edge from-layer="{a}" from-port="{ap}" to-layer="{b}" to-port="{bp}"/>'
                for a, ap, b, bp in edges) + "</edges></net>")


CONV = 'strides="1,1" dilations="1,1" pads_begin="0,0" pads_end="0,0" auto_pad="explicit"'
DECOMPRESSION = '<rt_info><attribute name="decompression" version="0"/></rt_info>'


def _two_convs(second: str = CONV, offset2: int = 0, offset3: int = 0) -> str:
    """x -> conv(w1) -> conv(w2) -> result; both weights f32 [2,2,1,1] (16 bytes each)."""
    w = [2, 2, 1, 1]
    return _net([
        _layer(0, "x", "Parameter", 'shape="1,2,3,3" element_type="f32"', [], [[1, 2, 3, 3]]),
        _layer(1, "w1", "Const", f'element_type="f32" shape="2, 2, 1, 1" offset="{offset2}" '
               'size="16"', [], [w]),
        _layer(2, "conv1", "Convolution", CONV, [[1, 2, 3, 3], w], [[1, 2, 3, 3]]),
        _layer(3, "w2", "Const", f'element_type="f32" shape="2, 2, 1, 1" offset="{offset3}" '
               'size="16"', [], [w]),
        _layer(4, "conv2", "Convolution", second, [[1, 2, 3, 3], w], [[1, 2, 3, 3]]),
        '<layer id="5" name="out" type="Result" version="opset1"><input>'
        + _port(0, [1, 2, 3, 3]) + "</input></layer>",
    ], [(0, 0, 2, 0), (1, 0, 2, 1), (2, 2, 4, 0), (3, 0, 4, 1), (4, 2, 5, 0)])


WEIGHTS = np.arange(8, dtype=np.float32).tobytes()


def _ops(model: ov.Model, kind: str) -> list[ov.Node]:
    return [n for n in model.get_ordered_ops() if n.get_type_name() == kind]


def test_layers_with_the_same_attributes_own_their_values() -> None:
    conv1, conv2 = _ops(read_ir(_two_convs(), WEIGHTS), "Convolution")
    assert conv1._attrs == conv2._attrs
    for key in ("strides", "dilations", "pads_begin", "pads_end"):
        assert conv1._attrs[key] is not conv2._attrs[key]
    conv1.get_attributes()["strides"].append(7)
    assert conv2.get_attributes()["strides"] == [1, 1]


def test_constants_with_the_same_type_and_shape_read_their_own_bytes() -> None:
    w1, w2 = _ops(read_ir(_two_convs(offset3=16), WEIGHTS), "Constant")
    assert w1.get_vector() == [0, 1, 2, 3]
    assert w2.get_vector() == [4, 5, 6, 7]
    assert w1.get_output_partial_shape(0) == w2.get_output_partial_shape(0)
    assert w1.get_output_partial_shape(0) is not w2.get_output_partial_shape(0)
    assert w1._attrs["shape"] is not w1.get_output_partial_shape(0)


def test_a_later_layer_gets_its_own_errors() -> None:
    with pytest.raises(RuntimeError, match="name='conv2'.*bad value 'x' for attribute "
                                           "'strides'"):
        read_ir(_two_convs(second=CONV.replace('strides="1,1"', 'strides="x"')), WEIGHTS)
    with pytest.raises(RuntimeError, match=r"name='w2'.*bytes \[16, 32\) run past the end"):
        read_ir(_two_convs(offset3=16), WEIGHTS[:16])


def test_the_memo_gives_what_parsing_gives() -> None:
    memo = IRAttributeMemo()
    data = {"kernel": "2,2", "strides": "1, 1", "pads_begin": "0,0", "pads_end": "0,0",
            "rounding_type": "CEIL", "auto_pad": "explicit"}
    first = memo.attributes(MaxPool8, data, "a")
    again = memo.attributes(MaxPool8, dict(data), "b")
    assert first == again == parse_ir_attributes(MaxPool8, data, "a")
    assert first["kernel"] is not again["kernel"]
    # defaults are given as parsing gives them (the class's own default objects)
    assert again["dilations"] is parse_ir_attributes(MaxPool8, data, "c")["dilations"]
    other = memo.attributes(Convolution, {"strides": "2,2", "dilations": "1,1",
                                          "pads_begin": "0,0", "pads_end": "0,0"}, "d")
    assert other["strides"] == [2, 2]


def test_rt_info_maps_are_made_on_first_use() -> None:
    model = read_ir(_two_convs(), WEIGHTS)
    conv = _ops(model, "Convolution")[0]
    assert isinstance(conv.get_rt_info(), RTMap) and len(conv.get_rt_info()) == 0
    conv.get_rt_info()["note"] = "kept"
    assert conv.get_rt_info()["note"] == "kept"
    ins = conv.inputs()
    assert all(isinstance(i.get_rt_info(), RTMap) for i in ins)
    ins[1].get_rt_info()["port"] = 1
    assert "port" not in ins[0].get_rt_info() and ins[1].get_rt_info()["port"] == 1
    out = conv.output(0)
    out.get_rt_info()["tensor"] = True
    assert conv.output(0).get_tensor().get_rt_info()["tensor"] == True  # noqa: E712
    clone = conv.clone_with_new_inputs(conv.input_values())
    assert clone.get_rt_info()["note"] == "kept"
    assert clone.output(0).get_rt_info()["tensor"] == True  # noqa: E712


def test_initialising_a_node_again_forgets_its_rt_info() -> None:
    conv = _ops(read_ir(_two_convs(), WEIGHTS), "Convolution")[0]
    conv.get_rt_info()["note"] = 1
    conv.input(0).get_rt_info()["port"] = 1
    conv._init_node(conv.input_values()[:1])
    assert len(conv.get_rt_info()) == 0
    assert len(conv._input_rt) == 1 and len(conv._input_rt[0]) == 0


def test_layer_rt_info_reads_into_the_node() -> None:
    xml = _net([
        _layer(0, "w", "Const", 'element_type="f16" shape="2" offset="0" size="4"', [],
               [([2], "FP16")]),
        _layer(1, "up", "Convert", 'destination_type="f32"', [([2], "FP16")], [[2]],
               rt=DECOMPRESSION),
        '<layer id="2" name="out" type="Result" version="opset1"><input>' + _port(0, [2])
        + "</input></layer>",
    ], [(0, 0, 1, 0), (1, 1, 2, 0)])
    model = read_ir(xml, np.zeros(2, np.float16).tobytes())
    convert = _ops(model, "Convert")[0]
    assert list(dict.keys(convert.get_rt_info())) == ["decompression_0"]
    assert _ops(model, "Constant")[0].get_rt_info() == {}
