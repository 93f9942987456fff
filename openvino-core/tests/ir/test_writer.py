"""serialize / save_model write IR v11 that reads back as the same model: op types and
versions, attributes, names, shapes, constants of every element type, rt_info, variables;
fp16 compression follows the real runtime's rules."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import openvino as ov
import openvino.opset15 as ops
from openvino._ir import read_ir
from openvino._ir.runtime_attribute import RuntimeAttribute, is_decompression


def _ir_rt(rt: dict) -> dict:
    """The entries of an rt_info map that the IR stores."""
    return {k: v for k, v in dict.items(rt)
            if isinstance(v, (RuntimeAttribute, ov.Layout))}


def assert_same_model(a: ov.Model, b: ov.Model) -> None:
    """Structural equality of two models, op by op."""
    assert a.get_friendly_name() == b.get_friendly_name()
    ops_a, ops_b = a.get_ordered_ops(), b.get_ordered_ops()
    assert [n.get_type_name() for n in ops_a] == [n.get_type_name() for n in ops_b]
    for x, y in zip(ops_a, ops_b):
        assert x.version == y.version, x
        assert x.get_friendly_name() == y.get_friendly_name()
        assert x.get_attributes() == y.get_attributes(), x
        assert _ir_rt(x.get_rt_info()) == _ir_rt(y.get_rt_info()), x
        assert x.get_output_size() == y.get_output_size()
        for i in range(x.get_output_size()):
            assert x.get_output_element_type(i) == y.get_output_element_type(i)
            assert x.get_output_partial_shape(i) == y.get_output_partial_shape(i)
            assert x.output(i).get_names() == y.output(i).get_names()
            assert _ir_rt(x.output(i).get_rt_info()) == _ir_rt(y.output(i).get_rt_info())
        if x.get_type_name() == "Constant":
            ex, ey = x.get_evaluation_data(), y.get_evaluation_data()
            assert ex.dtype == ey.dtype and ex.shape == ey.shape
            assert np.array_equal(ex, ey, equal_nan=ex.dtype.kind == "f")
    assert [p.get_friendly_name() for p in a.get_parameters()] == [
        p.get_friendly_name() for p in b.get_parameters()]
    assert [r.get_friendly_name() for r in a.get_results()] == [
        r.get_friendly_name() for r in b.get_results()]
    assert [s.get_friendly_name() for s in a.get_sinks()] == [
        s.get_friendly_name() for s in b.get_sinks()]


def _round_trip(model: ov.Model, tmp_path: Path) -> ov.Model:
    ov.serialize(model, tmp_path / "m.xml")
    return read_ir(tmp_path / "m.xml")


def _evaluate(model: ov.Model, *inputs: np.ndarray) -> list[np.ndarray]:
    out: list = []
    model.evaluate(out, [ov.Tensor(x) for x in inputs])
    return [t.data for t in out]


def test_graph_with_many_ops(tmp_path: Path) -> None:
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")
    x.output(0).set_names({"input,with,commas", "x"})
    w = ops.constant(np.random.RandomState(0).randn(4, 3, 3, 3).astype(np.float32), name="w")
    conv = ops.convolution(x, w, [1, 1], [1, 1], [1, 1], [1, 1], name="conv")
    relu = ops.relu(conv, name="act")
    pool = ops.max_pool(relu, [2, 2], [1, 1], [0, 0], [0, 0], [2, 2], name="pool")
    parts = ops.split(pool.output(0), 1, 2, name="split")
    parts.output(1).set_names({"second_half"})
    top = ops.topk(ops.reshape(parts.output(0), [1, -1], False), 5, 1, "max", "value",
                   name="top")
    shape = ops.shape_of(pool.output(1), name="shape")
    cat = ops.concat([ops.convert(shape, np.float32), ops.constant(np.array([0.5], np.float32))],
                     0, name="cat")
    model = ov.Model([top.output(0), top.output(1), parts.output(1), cat], [x], "many")
    again = _round_trip(model, tmp_path)
    assert_same_model(model, again)
    data = np.random.RandomState(1).rand(1, 3, 8, 8).astype(np.float32)
    for got, want in zip(_evaluate(again, data), _evaluate(model, data)):
        assert np.array_equal(got, want)


@pytest.mark.parametrize("type_name", ["f32", "f16", "bf16", "f64", "i4", "u4", "u1", "nf4",
                                       "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64",
                                       "boolean", "f8e4m3", "f8e5m2", "string"])
def test_constants_of_every_type(type_name: str, tmp_path: Path) -> None:
    et = ov.Type(type_name)
    rs = np.random.RandomState(3)
    if type_name == "string":
        values = np.array(["", "a", "héllo", "x,y"])
        const = ops.constant(ov.Tensor(values))
    else:
        raw = {"i4": rs.randint(-8, 8, 7), "u4": rs.randint(0, 16, 7), "u1": rs.randint(0, 2, 9),
               "boolean": rs.randint(0, 2, 5).astype(bool)}.get(type_name, rs.randn(7) * 3)
        const = ops.constant(np.asarray(raw), dtype=et)
    const.set_friendly_name("k")
    model = ov.Model([ops.result(const)], [], "consts")
    again = _round_trip(model, tmp_path)
    assert_same_model(model, again)


def test_identical_constants_are_stored_once(tmp_path: Path) -> None:
    x = ops.parameter([64], np.float32, name="x")
    w = np.random.RandomState(0).randn(64).astype(np.float32)
    model = ov.Model([ops.add(ops.multiply(x, ops.constant(w)), ops.constant(w.copy()))], [x])
    ov.serialize(model, tmp_path / "m.xml")
    assert (tmp_path / "m.bin").stat().st_size == w.nbytes
    offsets = [layer.find("data").get("offset")
               for layer in ET.parse(tmp_path / "m.xml").getroot().iter("layer")
               if layer.get("type") == "Const"]
    assert offsets == ["0", "0"]


def test_port_ids_and_edges_follow_ir_rules(tmp_path: Path) -> None:
    x = ops.parameter([4], np.float32, name="x")
    parts = ops.split(x, 0, 2, name="split")
    model = ov.Model([parts.output(0), parts.output(1)], [x], "split")
    ov.serialize(model, tmp_path / "m.xml")
    root = ET.parse(tmp_path / "m.xml").getroot()
    assert root.get("version") == "11"
    split = next(la for la in root.iter("layer") if la.get("type") == "Split")
    assert [p.get("id") for p in split.find("input")] == ["0", "1"]
    assert [p.get("id") for p in split.find("output")] == ["2", "3"]
    edges = {(e.get("from-port"), e.get("to-layer")) for e in root.iter("edge")
             if e.get("from-layer") == split.get("id")}
    assert {port for port, _ in edges} == {"2", "3"}


def test_a_result_feeding_another_node_is_refused(tmp_path: Path) -> None:
    """An edge from a Result's output has no place in IR: refused naming both nodes (the
    real serializer refuses it with a RuntimeError too), no file written."""
    data = ops.parameter([2], np.float32, name="a")
    inner = ops.result(data)
    inner.set_friendly_name("inner")
    relu = ops.relu(inner)
    relu.set_friendly_name("consumer")
    model = ov.Model([ops.result(relu)], [data], "m")
    with pytest.raises(RuntimeError, match="'consumer' reads from the output of Result "
                                           "'inner'"):
        ov.save_model(model, tmp_path / "m.xml")
    assert not (tmp_path / "m.xml").exists()


def test_model_rt_info_round_trip(tmp_path: Path) -> None:
    x = ops.parameter([2], np.float32, name="x")
    model = ov.Model([ops.relu(x)], [x], "rt")
    model.set_rt_info(1.5, ["section", "scale"])
    model.set_rt_info(True, ["section", "inner", "flag"])
    model.set_rt_info([1, 2, 3], "list")
    model.set_rt_info("spaced value", "key with space")
    model.set_rt_info({}, "empty")
    again = _round_trip(model, tmp_path)
    assert again.get_rt_info(["section", "scale"]).astype(float) == 1.5
    assert again.get_rt_info(["section", "inner", "flag"]).astype(bool) is True
    assert again.get_rt_info("list").aslist(int) == [1, 2, 3]
    assert again.get_rt_info("key with space") == "spaced value"
    assert again.get_rt_info("empty").astype(dict) == {}
    info = again.get_rt_info()
    # a section is a plain dict of OVAny values, as OpenVINO's binding gives it
    assert isinstance(info["section"], dict) and info["section"]["scale"] == "1.5"
    assert isinstance(info["section"]["inner"], dict)
    third = _round_trip(again, tmp_path)
    assert dict(third.get_rt_info()) == dict(info)


def test_layer_and_port_rt_info_round_trip(tmp_path: Path) -> None:
    x = ops.parameter([1, 3, 2, 2], np.float32, name="x")
    x.set_layout(ov.Layout("NCHW"))
    relu = ops.relu(x)
    attr = RuntimeAttribute("DisablePrecisionConversion", "0", {"value": "dynamic:f16"})
    relu.get_rt_info()[attr.key] = attr
    relu.get_rt_info()["plain_note"] = "not written"
    model = ov.Model([relu], [x], "attrs")
    again = _round_trip(model, tmp_path)
    param, relu2 = again.get_ordered_ops()[:2]
    assert param.get_layout() == ov.Layout("NCHW")
    assert dict.get(relu2.get_rt_info(), attr.key) == attr
    assert "plain_note" not in relu2.get_rt_info()


def test_stateful_model_round_trip(tmp_path: Path) -> None:
    x = ops.parameter([1, 3], np.float32, name="x")
    info = ov.op.util.VariableInfo()
    info.variable_id, info.data_type, info.data_shape = "v", ov.Type.f32, ov.PartialShape([1, 3])
    var = ov.op.util.Variable(info)
    read = ops.read_value(ops.constant(np.zeros((1, 3), np.float32)), var)
    total = ops.add(read, x)
    model = ov.Model(results=[ops.result(total)], sinks=[ops.assign(total, var)],
                     parameters=[x], name="acc")
    again = _round_trip(model, tmp_path)
    assert_same_model(model, again)
    assert [v.get_info().variable_id for v in again.get_variables()] == ["v"]
    readers = [n for n in again.get_ordered_ops() if n.get_type_name() in ("ReadValue", "Assign")]
    assert readers[0].variable is readers[1].variable


def test_string_model_round_trip(tmp_path: Path) -> None:
    text = ops.parameter([3], ov.Type.string, name="text")
    unpacked = ops.string_tensor_unpack(text)
    packed = ops.string_tensor_pack(unpacked.output(0), unpacked.output(1), unpacked.output(2))
    model = ov.Model([packed], [text], "strings")
    again = _round_trip(model, tmp_path)
    assert_same_model(model, again)


def test_save_model_requires_a_model(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="Incompatible `model` argument"):
        ov.save_model(None, tmp_path / "m.xml")


def test_save_model_writes_runtime_version_and_keeps_model(tmp_path: Path) -> None:
    x = ops.parameter([4], np.float32, name="x")
    model = ov.Model([ops.add(x, ops.constant(np.ones(4, np.float32)))], [x], "keep")
    before = [n.get_type_name() for n in model.get_ordered_ops()]
    ov.save_model(model, tmp_path / "sub" / "m.xml")
    assert [n.get_type_name() for n in model.get_ordered_ops()] == before
    assert not model.has_rt_info("OpenVINO Runtime")
    again = read_ir(tmp_path / "sub" / "m.xml")
    assert again.get_rt_info("OpenVINO Runtime") == ov.get_version()


# --- fp16 compression ------------------------------------------------------------------------

def _saved_consts(model: ov.Model, tmp_path: Path, compress: bool = True) -> dict:
    ov.save_model(model, tmp_path / "c.xml", compress_to_fp16=compress)
    again = read_ir(tmp_path / "c.xml")
    return {n.get_friendly_name(): n for n in again.get_ordered_ops()}


def test_compression_makes_f16_const_plus_decompression_convert(tmp_path: Path) -> None:
    x = ops.parameter([4], np.float32, name="x")
    w = ops.constant(np.array([1.0, 2.5, -3.0, 1e-3], np.float32), name="w")
    w.output(0).set_names({"weights"})
    model = ov.Model([ops.add(x, w)], [x], "c")
    nodes = _saved_consts(model, tmp_path)
    small, convert = nodes["w_compressed"], nodes["w"]
    assert small.get_type_name() == "Constant" and small.get_element_type() == ov.Type.f16
    assert small.output(0).get_names() == {"weights"}
    assert convert.get_type_name() == "Convert"
    assert convert.get_attributes()["destination_type"] == "f32"
    assert is_decompression(dict.get(convert.get_rt_info(), "decompression_0"))
    assert not is_decompression(dict.get(small.get_rt_info(), "decompression_0"))
    assert np.array_equal(small.get_data(), np.array([1.0, 2.5, -3.0, 1e-3], np.float16))


def test_compression_without_flag_keeps_f32(tmp_path: Path) -> None:
    x = ops.parameter([4], np.float32, name="x")
    model = ov.Model([ops.add(x, ops.constant(np.ones(4, np.float32), name="w"))], [x])
    nodes = _saved_consts(model, tmp_path, compress=False)
    assert nodes["w"].get_element_type() == ov.Type.f32


@pytest.mark.parametrize("fill,count,compressed", [
    (1e6, 74, True), (1e6, 75, False), (65504.0, 80, True), (65510.0, 80, False),
    (np.nan, 80, False), (np.inf, 80, False), (0.0, 80, True), (2e-5, 80, False),
    (2.4e-5, 80, True), (5.9604645e-06, 80, True), (np.nan, 20, True)])
def test_compression_out_of_range_rule(fill: float, count: int, compressed: bool,
                                       tmp_path: Path) -> None:
    values = np.ones(100, np.float32)
    values[:count] = fill
    x = ops.parameter([100], np.float32, name="x")
    model = ov.Model([ops.add(x, ops.constant(values, name="c"))], [x])
    nodes = _saved_consts(model, tmp_path)
    assert ("c_compressed" in nodes) == compressed
    if compressed:
        stored = nodes["c_compressed"].get_data().astype(np.float32)
        expect = np.where(np.isnan(values), 65504, np.clip(values, -65504, 65504))
        assert np.array_equal(stored, expect.astype(np.float16).astype(np.float32))


def test_compression_clamps_and_maps_nan(tmp_path: Path) -> None:
    values = np.array([np.nan, -np.inf, 1e9, -1e9, 1.0, 2.0, 3.0, 4.0], np.float32)
    x = ops.parameter([8], np.float32, name="x")
    model = ov.Model([ops.add(x, ops.constant(values, name="c"))], [x])
    stored = _saved_consts(model, tmp_path)["c_compressed"].get_data()
    assert stored.tolist() == [65504, -65504, 65504, -65504, 1, 2, 3, 4]


@pytest.mark.parametrize("weight_type", ["u8", "i8", "u4", "i4", "nf4"])
def test_weight_compressed_models_are_left_alone(weight_type: str, tmp_path: Path) -> None:
    x = ops.parameter([2, 4], np.float32, name="x")
    w = ops.constant(np.ones((4, 4), np.float32), dtype=ov.Type(weight_type), name="w")
    scale = ops.constant(np.full((4, 1), 0.5, np.float32), name="scale")
    weights = ops.multiply(ops.convert(w, np.float32), scale)
    bias = ops.constant(np.ones(4, np.float32), name="bias")
    model = ov.Model([ops.add(ops.matmul(x, weights, False, True), bias)], [x])
    nodes = _saved_consts(model, tmp_path)
    assert nodes["scale"].get_element_type() == ov.Type.f32
    assert nodes["bias"].get_element_type() == ov.Type.f32


def test_int_weights_without_scale_do_not_block_compression(tmp_path: Path) -> None:
    x = ops.parameter([2, 4], np.float32, name="x")
    w = ops.convert(ops.constant(np.ones((4, 4), np.int8), name="w"), np.float32)
    bias = ops.constant(np.ones(4, np.float32), name="bias")
    model = ov.Model([ops.add(ops.matmul(x, w, False, True), bias)], [x])
    nodes = _saved_consts(model, tmp_path)
    assert "bias_compressed" in nodes


def test_fake_quantize_models_are_left_alone(tmp_path: Path) -> None:
    x = ops.parameter([4], np.float32, name="x")
    fq = ops.fake_quantize(x, np.float32(0), np.float32(1), np.float32(0), np.float32(1), 256)
    bias = ops.constant(np.ones(4, np.float32), name="bias")
    nodes = _saved_consts(ov.Model([ops.add(fq, bias)], [x]), tmp_path)
    assert nodes["bias"].get_element_type() == ov.Type.f32


def test_compression_matches_real_convnet(corpus_dir: Path, tmp_path: Path) -> None:
    """Compressing the real f32 IR gives the real compressed IR's constants."""
    fp32 = read_ir(corpus_dir / "small_convnet_fp32" / "model.xml")
    ov.save_model(fp32, tmp_path / "m.xml")
    ours = read_ir(tmp_path / "m.xml")
    real = read_ir(corpus_dir / "small_convnet" / "model.xml")

    def consts(m: ov.Model) -> list:
        return [(n.get_element_type().get_type_name(), n.get_evaluation_data().tobytes())
                for n in m.get_ordered_ops() if n.get_type_name() == "Constant"]

    def kinds(m: ov.Model) -> list:
        return sorted(n.get_type_name() for n in m.get_ordered_ops())

    assert consts(ours) == consts(real)
    assert kinds(ours) == kinds(real)
