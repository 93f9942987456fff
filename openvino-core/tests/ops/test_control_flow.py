"""If, Loop and TensorIterator: building through the opset API, port map descriptions,
shapes, reference semantics on TEMPLATE and CPU, IR round trips and bad bodies."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset8 as ops
from openvino.op.util import (
    BodyOutputDescription,
    ConcatOutputDescription,
    InvariantInputDescription,
    MergedInputDescription,
    SliceInputDescription,
)

DEVICES = ["TEMPLATE", "CPU"]


def _run(model, inputs, device="TEMPLATE"):
    request = ov.Core().compile_model(model, device).create_infer_request()
    request.infer(inputs)
    return [request.get_output_tensor(i).data.copy() for i in range(len(model.outputs))]


def _if_model():
    cond = ops.parameter([], np.bool_, "cond")
    x = ops.parameter([2, 3], np.float32, "x")
    xt = ops.parameter([2, 3], np.float32, "xt")
    then_body = ov.Model([ops.result(ops.relu(xt)),
                          ops.result(ops.reduce_sum(xt, np.array([1], np.int64), True))],
                         [xt], "then")
    xe = ops.parameter([2, 3], np.float32, "xe")
    else_body = ov.Model([ops.result(ops.negative(xe)), ops.result(xe)], [xe], "else")
    node = ops.if_op(cond)
    node.set_then_body(then_body)
    node.set_else_body(else_body)
    node.set_input(x.output(0), xt, xe)
    a = node.set_output(then_body.get_results()[0], else_body.get_results()[0])
    b = node.set_output(then_body.get_results()[1], else_body.get_results()[1])
    return ov.Model([a, b], [cond, x], "if"), node


def _loop_model(limit=3):
    """acc = acc * 0.5 + x * it while it < limit (body condition), at most `trips` times."""
    x = ops.parameter([2, 3], np.float32, "x")
    trips = ops.parameter([], np.int64, "trips")
    it = ops.parameter([], np.int64, "it")
    xb = ops.parameter([2, 3], np.float32, "xb")
    acc = ops.parameter([2, 3], np.float32, "acc")
    total = ops.add(ops.multiply(acc, np.float32(0.5)),
                    ops.multiply(xb, ops.convert(it, np.float32)))
    go_on = ops.less(it, np.int64(limit))
    body = ov.Model([ops.result(total), ops.result(go_on),
                     ops.result(ops.unsqueeze(total, [0]))], [it, xb, acc], "body")
    loop = ops.loop(trips, ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([0, 1])
    loop.set_invariant_input(xb, x.output(0))
    loop.set_merged_input(acc, ops.constant(np.ones((2, 3), np.float32)).output(0),
                          body.get_results()[0].output(0))
    last = loop.get_iter_value(body.get_results()[0].output(0), -1)
    history = loop.get_concatenated_slices(body.get_results()[2].output(0), 0, 1, 1, -1, 0)
    return ov.Model([last, history], [x, trips], "loop"), loop


def _loop_expected(x, trips, limit=3):
    acc = np.ones((2, 3), np.float32)
    history = []
    for it in range(trips):
        acc = acc * np.float32(0.5) + x * np.float32(it)
        history.append(acc)
        if not it < limit:
            break
    return acc, np.stack(history) if history else np.zeros((0, 2, 3), np.float32)


def _ti_model():
    seq = ops.parameter([5, 1, 4], np.float32, "seq")
    h0 = ops.parameter([1, 3], np.float32, "h0")
    xt = ops.parameter([1, 1, 4], np.float32, "xt")
    h = ops.parameter([1, 3], np.float32, "h")
    w = np.random.RandomState(0).randn(4, 3).astype(np.float32)
    h_new = ops.tanh(ops.add(ops.matmul(ops.squeeze(xt, [0]), w, False, False), h))
    body = ov.Model([ops.result(h_new), ops.result(ops.unsqueeze(h_new, [0]))], [xt, h], "cell")
    ti = ops.tensor_iterator()
    ti.set_body(body)
    ti.set_sliced_input(xt, seq.output(0), -1, -1, 1, 0, 0)
    ti.set_merged_input(h, h0.output(0), body.get_results()[0].output(0))
    last = ti.get_iter_value(body.get_results()[0].output(0), -1)
    states = ti.get_concatenated_slices(body.get_results()[1].output(0), -1, -1, 1, 0, 0)
    return ov.Model([last, states], [seq, h0], "ti"), ti, w


# --- the graph API -----------------------------------------------------------------------------
def test_descriptions_fields_type_info_and_copy():
    d = SliceInputDescription(2, 0, 0, 1, 1, -1, 0)
    assert (d.input_index, d.body_parameter_index, d.start, d.stride, d.part_size, d.end,
            d.axis) == (2, 0, 0, 1, 1, -1, 0)
    assert d.get_type_info().name == "SliceInputDescription"
    assert d.get_type_info().version_id == "util"
    c = d.copy()
    assert c is not d and c.axis == 0 and type(c) is SliceInputDescription
    assert BodyOutputDescription(3, 1).iteration == -1
    m = MergedInputDescription(4, 2, 1)
    assert (m.input_index, m.body_parameter_index, m.body_value_index) == (4, 2, 1)
    assert InvariantInputDescription(1, 0).body_parameter_index == 0
    assert ConcatOutputDescription(1, 0, 0, 1, 1, -1, 2).axis == 2
    assert repr(d) == "<SliceInputDescription>"


def test_factories_are_the_op_classes():
    assert ops.if_op is ov.op.if_op and ops.loop is ov.op.loop
    assert ops.tensor_iterator is ov.op.tensor_iterator
    assert ov.opset5.loop is ops.loop and not hasattr(ov.opset4, "loop")
    assert not hasattr(ov.opset7, "if_op")


def test_loop_shapes_with_constant_trip_count_and_condition():
    x = ops.parameter([32, 1, 10], np.float32, "X")
    it = ops.parameter([1], np.int64)
    xi = ops.parameter([], np.float32)
    mi = ops.parameter([], np.float32)
    cond = ops.constant(np.array([True]))
    zo = ops.multiply(ops.add(xi, xi), mi)
    body = ov.Model([cond, zo], [it, xi, mi], "body")
    loop = ops.loop(ops.constant(10, dtype=np.int64), ops.constant(True, dtype=bool))
    loop.set_function(body)
    loop.set_invariant_input(xi, x.output(0))
    loop.set_merged_input(mi, x.output(0), zo.output(0))
    loop.set_special_body_ports([-1, 0])
    out0 = loop.get_iter_value(cond.output(0), -1)
    out1 = loop.get_iter_value(zo.output(0), -1)
    out2 = loop.get_concatenated_slices(zo.output(0), 0, 1, 1, -1, 1)
    assert list(out0.get_shape()) == [1]
    assert list(out1.get_shape()) == [32, 1, 10]
    assert list(out2.get_shape()) == [32, 10, 10]
    assert loop.get_num_iterations() == 10
    assert loop.get_special_body_ports() == [-1, 0]
    assert loop.get_function() is body
    kinds = [type(d) for d in loop.get_input_descriptions()]
    assert kinds == [InvariantInputDescription, MergedInputDescription]
    assert [type(d) for d in loop.get_output_descriptions()] == [
        BodyOutputDescription, BodyOutputDescription, ConcatOutputDescription]


def test_loop_with_runtime_condition_has_dynamic_concat_axis():
    model, loop = _loop_model()
    assert model.output(1).get_partial_shape().to_string() == "[?,2,3]"
    assert loop.get_num_iterations() == -1


def test_if_output_shapes_merge_branches_and_follow_a_constant_condition():
    model, node = _if_model()
    assert model.output(0).get_partial_shape().to_string() == "[2,3]"
    assert model.output(1).get_partial_shape().to_string() == "[2,?]"
    assert node.get_then_body().get_friendly_name() == "then"
    assert len(node.get_input_descriptions(1)) == 1
    taken = ops.if_op(ops.constant(True))
    taken.set_then_body(node.get_then_body())
    taken.set_else_body(node.get_else_body())
    taken.set_input(ops.parameter([2, 3], np.float32).output(0),
                    node.get_then_body().get_parameters()[0],
                    node.get_else_body().get_parameters()[0])
    out = taken.set_output(node.get_then_body().get_results()[1],
                           node.get_else_body().get_results()[1])
    assert out.get_partial_shape().to_string() == "[2,1]"


def test_tensor_iterator_counts_iterations_from_its_slices():
    model, ti, _ = _ti_model()
    assert ti.get_num_iterations() == 5
    assert model.output(1).get_partial_shape().to_string() == "[5,1,3]"
    assert ti.get_body() is ti.get_function()


# --- semantics -----------------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("trips", [0, 2, 7])
def test_loop_runs_until_its_trip_count_or_body_condition(device, trips):
    model, _ = _loop_model()
    x = np.random.RandomState(1).randn(2, 3).astype(np.float32)
    last, history = _run(model, [x, np.array(trips, np.int64)], device)
    exp_last, exp_history = _loop_expected(x, trips)
    np.testing.assert_allclose(last, exp_last, rtol=1e-6)
    np.testing.assert_allclose(history, exp_history, rtol=1e-6)
    assert history.shape[0] == min(trips, 4)


@pytest.mark.parametrize("device", DEVICES)
def test_loop_whose_body_never_stops_is_bounded_by_its_trip_count(device):
    model, _ = _loop_model(limit=10**9)
    x = np.ones((2, 3), np.float32)
    _, history = _run(model, [x, np.array(6, np.int64)], device)
    assert history.shape == (6, 2, 3)


def test_loop_without_any_bound_is_an_error_not_a_hang():
    x = ops.parameter([2], np.float32)
    xb = ops.parameter([2], np.float32)
    body = ov.Model([ops.result(ops.relu(xb))], [xb])
    loop = ops.loop(ops.constant(np.int64(-1)), ops.constant(True))
    loop.set_function(body)
    loop.set_invariant_input(xb, x.output(0))
    out = loop.get_iter_value(body.get_results()[0].output(0))
    with pytest.raises(RuntimeError, match="would never end"):
        _run(ov.Model([out], [x]), [np.ones(2, np.float32)])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("flag", [True, False])
def test_if_runs_the_chosen_branch(device, flag):
    model, _ = _if_model()
    x = np.random.RandomState(2).randn(2, 3).astype(np.float32)
    a, b = _run(model, [np.array(flag), x], device)
    if flag:
        np.testing.assert_allclose(a, np.maximum(x, 0))
        np.testing.assert_allclose(b, x.sum(1, keepdims=True), rtol=1e-6)
    else:
        np.testing.assert_allclose(a, -x)
        np.testing.assert_allclose(b, x)


@pytest.mark.parametrize("device", DEVICES)
def test_tensor_iterator_reads_backwards_and_concatenates_in_order(device):
    model, _, w = _ti_model()
    rs = np.random.RandomState(3)
    seq = rs.randn(5, 1, 4).astype(np.float32)
    h0 = rs.randn(1, 3).astype(np.float32)
    last, states = _run(model, [seq, h0], device)
    h = h0
    hist = []
    for t in reversed(range(5)):
        h = np.tanh(seq[t] @ w + h)
        hist.append(h)
    np.testing.assert_allclose(last, h, rtol=1e-5, atol=1e-6)
    # a negative stride concatenates the iterations back to front
    np.testing.assert_allclose(states, np.stack(hist[::-1]), rtol=1e-5, atol=1e-6)


def _stateful_loop():
    x = ops.parameter([2], np.float32, "x")
    xb = ops.parameter([2], np.float32)
    read = ops.read_value(ops.constant(np.zeros(2, np.float32)), "body_v", np.float32, [2])
    total = ops.add(read, xb)
    body = ov.Model(results=[ops.result(total), ops.result(ops.constant(np.array(True)))],
                    sinks=[ops.assign(total, "body_v")], parameters=[xb], name="body")
    loop = ops.loop(ops.constant(np.int64(3)), ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([-1, 1])
    loop.set_invariant_input(xb, x.output(0))
    return ov.Model([loop.get_iter_value(body.get_results()[0].output(0))], [x], "m")


@pytest.mark.parametrize("device", DEVICES)
def test_body_variable_is_updated_per_iteration_and_kept_by_the_request(device):
    model = _stateful_loop()
    assert model.get_variables() == []  # as OpenVINO: a body's variables are its own
    request = ov.Core().compile_model(model, device).create_infer_request()
    for expected in (3.0, 6.0):
        request.infer([np.ones(2, np.float32)])
        np.testing.assert_allclose(request.get_output_tensor(0).data, [expected] * 2)
    states = request.query_state()
    assert [s.name for s in states] == ["body_v"]
    np.testing.assert_allclose(states[0].state.data, [6.0, 6.0])
    request.reset_state()
    request.infer([np.ones(2, np.float32)])
    np.testing.assert_allclose(request.get_output_tensor(0).data, [3.0, 3.0])


def test_clone_copies_the_bodies():
    model, _ = _loop_model()
    copy = model.clone()
    loops = [n for n in copy.get_ordered_ops() if n.get_type_name() == "Loop"]
    original = [n for n in model.get_ordered_ops() if n.get_type_name() == "Loop"][0]
    assert loops[0].get_function() is not original.get_function()
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(_run(copy, [x, np.array(3, np.int64)])[1],
                               _run(model, [x, np.array(3, np.int64)])[1])


def test_reshape_goes_through_the_body():
    model, ti, w = _ti_model()
    model.reshape({"seq": [-1, 1, 4]})
    assert ti.get_num_iterations() == -1
    assert model.output(1).get_partial_shape().to_string() == "[?,1,3]"
    seq = np.random.RandomState(5).randn(7, 1, 4).astype(np.float32)
    last, states = _run(model, [seq, np.zeros((1, 3), np.float32)])
    assert states.shape == (7, 1, 3)
    np.testing.assert_allclose(states[0, 0], last[0], rtol=1e-6)


# --- IR ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", ["if", "loop", "ti", "state"])
def test_ir_round_trip(tmp_path, make):
    rs = np.random.RandomState(4)
    if make == "if":
        model, inputs = _if_model()[0], [np.array(False), rs.randn(2, 3).astype(np.float32)]
    elif make == "loop":
        model, inputs = _loop_model()[0], [rs.randn(2, 3).astype(np.float32),
                                           np.array(5, np.int64)]
    elif make == "ti":
        model, inputs = _ti_model()[0], [rs.randn(5, 1, 4).astype(np.float32),
                                         rs.randn(1, 3).astype(np.float32)]
    else:
        model, inputs = _stateful_loop(), [np.ones(2, np.float32)]
    ov.save_model(model, tmp_path / "m.xml")
    text = (tmp_path / "m.xml").read_text()
    assert ("<then_body>" in text) if make == "if" else ("<back_edges>" in text or
                                                         make == "state")
    back = ov.Core().read_model(tmp_path / "m.xml")
    for got, want in zip(_run(back, inputs), _run(model, inputs)):
        np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-3)  # fp16 weights
    ov.save_model(back, tmp_path / "again.xml", compress_to_fp16=False)
    again = ov.Core().read_model(tmp_path / "again.xml")
    for got, want in zip(_run(again, inputs), _run(back, inputs)):
        np.testing.assert_array_equal(got, want)


def _saved_xml(tmp_path, model):
    ov.save_model(model, tmp_path / "m.xml", compress_to_fp16=False)
    return (tmp_path / "m.xml").read_text()


def _read_text(tmp_path, text):
    (tmp_path / "bad.xml").write_text(text)
    return ov.Core().read_model(tmp_path / "bad.xml", tmp_path / "m.bin")


def test_ir_port_map_to_a_missing_body_layer_names_the_layer(tmp_path):
    model, loop = _loop_model()
    loop.set_friendly_name("my_loop")
    text = _saved_xml(tmp_path, model)
    bad = text.replace('<input external_port_id="2" internal_layer_id="1" />',
                       '<input external_port_id="2" internal_layer_id="42" />')
    assert bad != text
    with pytest.raises(RuntimeError, match="my_loop.*internal_layer_id|my_loop.*id=42"):
        _read_text(tmp_path, bad)


def test_ir_port_map_to_a_missing_input_port_names_the_layer(tmp_path):
    model, loop = _loop_model()
    loop.set_friendly_name("my_loop")
    text = _saved_xml(tmp_path, model)
    bad = text.replace('<input external_port_id="2" internal_layer_id="1" />',
                       '<input external_port_id="9" internal_layer_id="1" />')
    assert bad != text
    with pytest.raises(RuntimeError, match="my_loop.*input port 9"):
        _read_text(tmp_path, bad)


def test_ir_if_with_branches_of_different_output_counts_names_the_layer(tmp_path):
    model, node = _if_model()
    node.set_friendly_name("my_if")
    text = _saved_xml(tmp_path, model)
    start = text.index("<else_port_map>")
    end = text.index("</else_port_map>")
    section = text[start:end]
    cut = section[:section.rindex("<output")].rstrip() + "\n"
    with pytest.raises(RuntimeError, match="my_if.*(then body gives 2 outputs, the else body 1"
                                           "|not given by both bodies)"):
        _read_text(tmp_path, text[:start] + cut + text[end:])


def test_ir_loop_whose_body_condition_is_not_boolean_names_the_layer(tmp_path):
    model, loop = _loop_model()
    loop.set_friendly_name("my_loop")
    text = _saved_xml(tmp_path, model)
    # make the body's condition an i64 value: Less -> Add
    start = text.index('type="Less"')
    bad = text[:start] + 'type="Add"' + text[start + len('type="Less"'):]
    bad = bad.replace('<port id="2" precision="BOOL" />', '<port id="2" precision="I64" />')
    with pytest.raises(RuntimeError, match="my_loop.*condition.*must be boolean"):
        _read_text(tmp_path, bad)


def test_building_a_loop_with_a_non_boolean_body_condition_fails_naming_it():
    it = ops.parameter([], np.int64)
    body = ov.Model([ops.result(ops.constant(np.int32(1)))], [it])
    loop = ops.loop(ops.constant(np.int64(2)), ops.constant(True), name="counting")
    loop.set_function(body)
    with pytest.raises(RuntimeError, match="counting.*must be boolean, it is i32"):
        loop.set_special_body_ports([0, 0])


def test_reads_the_real_runtime_loop_layout():
    """The port map as OpenVINO 2026 writes it (special ports last, no <data>)."""
    model, _ = _loop_model()
    xml, weights = __import__("openvino._ir.writer", fromlist=["write_ir"]).write_ir(model)
    assert 'purpose="current_iteration"' in xml and 'purpose="execution_condition"' in xml
    assert xml.index("<port_map>") < xml.index("<back_edges>") < xml.index("<body>")


def test_ir_loop_input_missing_from_the_port_map_names_the_layer(tmp_path):
    model, loop = _loop_model()
    loop.set_friendly_name("my_loop")
    text = _saved_xml(tmp_path, model)
    entry = '<input external_port_id="3" internal_layer_id="2" />'
    assert entry in text
    with pytest.raises(RuntimeError, match="my_loop.*Number of inputs must be the same as "
                                           "number of input descriptions"):
        _read_text(tmp_path, text.replace(entry, ""))


@pytest.mark.parametrize("device", DEVICES)
def test_body_output_is_the_last_value_or_zeros_without_iterations(device):
    """As the real CPU plugin: get_iter_value(v, k) gives the last value whatever k is; with
    no iteration a value without a back edge is zeros of its shape."""
    x = ops.parameter([2], np.float32, "x")
    trips = ops.parameter([], np.int64, "trips")
    it = ops.parameter([], np.int64)
    xb = ops.parameter([2], np.float32)
    y = ops.multiply(xb, ops.convert(it, np.float32))
    body = ov.Model([ops.result(y), ops.result(ops.constant(True))], [it, xb])
    loop = ops.loop(trips, ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([0, 1])
    loop.set_invariant_input(xb, x.output(0))
    last = loop.get_iter_value(body.get_results()[0].output(0), -1)
    first = loop.get_iter_value(body.get_results()[0].output(0), 1)
    model = ov.Model([last, first], [x, trips])
    data = np.array([1.0, 2.0], np.float32)
    for n, want in ((0, [0, 0]), (1, [0, 0]), (3, [2, 4])):
        for got in _run(model, [data, np.array(n, np.int64)], device):
            np.testing.assert_array_equal(got, np.array(want, np.float32))


def test_if_condition_of_rank_two_fails_once_the_bodies_are_wired():
    cond = ops.parameter([1, 1], np.bool_)
    x = ops.parameter([2], np.float32)
    node = ops.if_op(cond.output(0), name="two_d")  # accepted until validated with bodies
    xt = ops.parameter([2], np.float32)
    xe = ops.parameter([2], np.float32)
    node.set_then_body(ov.Model([ops.result(ops.relu(xt))], [xt]))
    node.set_else_body(ov.Model([ops.result(xe)], [xe]))
    with pytest.raises(RuntimeError, match="two_d.*Rank of If condition input must be equal "
                                           "to 0 or 1"):
        node.set_input(x.output(0), xt, xe)
