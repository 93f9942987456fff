"""ONNX If, Loop and Scan through ``read_onnx``: a run-time If becomes our If, Loop our
Loop (bodies reading outer values get them as inputs), Scan-8/9 unrolled; checked against
numpy on TEMPLATE and CPU, and malformed bodies."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

import openvino as ov  # noqa: E402
from openvino._onnx import read_onnx  # noqa: E402

F, I64, B = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL


def _vi(name, et, shape):
    return helper.make_tensor_value_info(name, et, shape)


def _model(nodes, inputs, outputs, initializers=(), opset=16):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _run(proto, inputs, device="TEMPLATE"):
    model = read_onnx(proto.SerializeToString())
    compiled = ov.Core().compile_model(model, device)
    result = compiled(inputs)
    return [result[i] for i in range(len(model.outputs))], model


def _if_model():
    """out = x * 2 + y if cond else x - 1 (the branches read x and y from outside)."""
    then_g = helper.make_graph(
        [helper.make_node("Mul", ["x", "two"], ["x2"]),
         helper.make_node("Add", ["x2", "y"], ["t"])],
        "then", [], [_vi("t", F, [3])],
        initializer=[numpy_helper.from_array(np.array(2, np.float32), "two")])
    else_g = helper.make_graph(
        [helper.make_node("Sub", ["x", "one"], ["e"])], "else", [], [_vi("e", F, [3])])
    one = numpy_helper.from_array(np.array(1, np.float32), "one")
    node = helper.make_node("If", ["cond"], ["out"], then_branch=then_g, else_branch=else_g)
    return _model([node], [_vi("cond", B, []), _vi("x", F, [3]), _vi("y", F, [3])],
                  [_vi("out", F, [3])], [one])


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
@pytest.mark.parametrize("flag", [True, False])
def test_runtime_if_becomes_an_if_op(device, flag):
    x = np.array([1, -2, 3], np.float32)
    y = np.array([10, 20, 30], np.float32)
    (out,), model = _run(_if_model(), [np.array(flag), x, y], device)
    assert any(n.get_type_name() == "If" for n in model.get_ordered_ops())
    np.testing.assert_allclose(out, x * 2 + y if flag else x - 1)


def _loop_model(with_trip=True, with_cond=True):
    """acc += x * i while acc_sum < limit; scan output: acc after each iteration."""
    body = helper.make_graph(
        [helper.make_node("Cast", ["i"], ["fi"], to=F),
         helper.make_node("Mul", ["x", "fi"], ["xi"]),
         helper.make_node("Add", ["acc_in", "xi"], ["acc_out"]),
         helper.make_node("ReduceSum", ["acc_out"], ["total"], keepdims=0),
         helper.make_node("Less", ["total", "limit"], ["go"]),
         helper.make_node("Identity", ["acc_out"], ["scan"])],
        "body", [_vi("i", I64, []), _vi("c", B, []), _vi("acc_in", F, [2])],
        [_vi("go", B, []), _vi("acc_out", F, [2]), _vi("scan", F, [2])])
    node = helper.make_node("Loop", ["M" if with_trip else "", "cond" if with_cond else "",
                                     "acc0"], ["acc", "history"], body=body)
    inputs = [_vi("x", F, [2]), _vi("limit", F, []), _vi("acc0", F, [2])]
    if with_trip:
        inputs.insert(0, _vi("M", I64, []))
    if with_cond:
        inputs.insert(1 if with_trip else 0, _vi("cond", B, []))
    return _model([node], inputs, [_vi("acc", F, [2]), _vi("history", F, [None, 2])])


def _loop_expected(trips, cond, x, limit, acc0):
    acc, hist, i = acc0.copy(), [], 0
    while cond and (trips is None or i < trips):
        acc = acc + x * np.float32(i)
        hist.append(acc)
        cond = acc.sum() < limit
        i += 1
    return acc, np.stack(hist) if hist else np.zeros((0, 2), np.float32)


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
@pytest.mark.parametrize("trips,cond,limit", [(5, True, 1e9), (5, True, 7.0), (0, True, 1e9),
                                              (4, False, 1e9)])
def test_loop_becomes_a_loop_op(device, trips, cond, limit):
    x = np.array([1.0, 0.5], np.float32)
    acc0 = np.array([0.25, -1.0], np.float32)
    (acc, hist), model = _run(_loop_model(), [np.array(trips, np.int64), np.array(cond), x,
                                              np.array(limit, np.float32), acc0], device)
    assert any(n.get_type_name() == "Loop" for n in model.get_ordered_ops())
    exp_acc, exp_hist = _loop_expected(trips, cond, x, limit, acc0)
    np.testing.assert_allclose(acc, exp_acc, rtol=1e-6)
    np.testing.assert_allclose(hist, exp_hist, rtol=1e-6)


def test_loop_without_trip_count_runs_until_its_condition():
    x = np.array([1.0, 1.0], np.float32)
    acc0 = np.zeros(2, np.float32)
    (acc, hist), _ = _run(_loop_model(with_trip=False),
                          [np.array(True), x, np.array(20.0, np.float32), acc0])
    exp_acc, exp_hist = _loop_expected(None, True, x, 20.0, acc0)
    np.testing.assert_allclose(acc, exp_acc)
    assert hist.shape == exp_hist.shape == (5, 2)


def test_loop_whose_body_condition_is_not_bool_is_a_read_error():
    body = helper.make_graph(
        [helper.make_node("Identity", ["acc_in"], ["acc_out"]),
         helper.make_node("Cast", ["i"], ["go"], to=F)],
        "body", [_vi("i", I64, []), _vi("c", B, []), _vi("acc_in", F, [2])],
        [_vi("go", F, []), _vi("acc_out", F, [2])])
    node = helper.make_node("Loop", ["M", "", "acc0"], ["acc"], body=body, name="bad_loop")
    proto = _model([node], [_vi("M", I64, []), _vi("acc0", F, [2])], [_vi("acc", F, [2])])
    with pytest.raises(RuntimeError, match="bad_loop.*condition.*not bool"):
        read_onnx(proto.SerializeToString())


def test_if_branches_with_different_output_counts_is_a_read_error():
    then_g = helper.make_graph([helper.make_node("Identity", ["x"], ["a"]),
                                helper.make_node("Identity", ["x"], ["b"])], "then", [],
                               [_vi("a", F, [3]), _vi("b", F, [3])])
    else_g = helper.make_graph([helper.make_node("Neg", ["x"], ["e"])], "else", [],
                               [_vi("e", F, [3])])
    node = helper.make_node("If", ["cond"], ["o1", "o2"], then_branch=then_g,
                            else_branch=else_g, name="bad_if")
    proto = _model([node], [_vi("cond", B, []), _vi("x", F, [3])],
                   [_vi("o1", F, [3]), _vi("o2", F, [3])])
    with pytest.raises(RuntimeError, match="bad_if.*then branch has 2 outputs, the else "
                                           "branch 1"):
        read_onnx(proto.SerializeToString())


def test_if_inside_a_loop_body_reads_values_of_both_scopes():
    """A nested If captures the Loop body's value and the graph's input."""
    then_g = helper.make_graph([helper.make_node("Add", ["acc_in", "x"], ["t"])], "then", [],
                               [_vi("t", F, [2])])
    else_g = helper.make_graph([helper.make_node("Sub", ["acc_in", "x"], ["e"])], "else", [],
                               [_vi("e", F, [2])])
    body = helper.make_graph(
        [helper.make_node("Mod", ["i", "two"], ["r"]),
         helper.make_node("Equal", ["r", "zero"], ["even"]),
         helper.make_node("If", ["even"], ["acc_out"], then_branch=then_g, else_branch=else_g),
         helper.make_node("Identity", ["c"], ["go"])],
        "body", [_vi("i", I64, []), _vi("c", B, []), _vi("acc_in", F, [2])],
        [_vi("go", B, []), _vi("acc_out", F, [2])],
        initializer=[numpy_helper.from_array(np.array(2, np.int64), "two"),
                     numpy_helper.from_array(np.array(0, np.int64), "zero")])
    node = helper.make_node("Loop", ["M", "", "acc0"], ["acc"], body=body)
    proto = _model([node], [_vi("M", I64, []), _vi("x", F, [2]), _vi("acc0", F, [2])],
                   [_vi("acc", F, [2])])
    x = np.array([1.0, 2.0], np.float32)
    (acc,), _ = _run(proto, [np.array(5, np.int64), x, np.zeros(2, np.float32)])
    np.testing.assert_allclose(acc, x)  # + - + - +


def test_scan_8_scans_each_batch_item():
    body = helper.make_graph([helper.make_node("Add", ["s_in", "v"], ["s_out"]),
                              helper.make_node("Identity", ["s_out"], ["y"])],
                             "body", [_vi("s_in", F, [2]), _vi("v", F, [2])],
                             [_vi("s_out", F, [2]), _vi("y", F, [2])])
    node = helper.make_node("Scan", ["", "s0", "seq"], ["s", "ys"], body=body,
                            num_scan_inputs=1, directions=[1])
    proto = _model([node], [_vi("s0", F, [3, 2]), _vi("seq", F, [3, 4, 2])],
                   [_vi("s", F, [3, 2]), _vi("ys", F, [3, 4, 2])], opset=8)
    rs = np.random.RandomState(0)
    s0 = rs.randn(3, 2).astype(np.float32)
    seq = rs.randn(3, 4, 2).astype(np.float32)
    (s, ys), _ = _run(proto, [s0, seq])
    rev = np.cumsum(seq[:, ::-1], axis=1) + s0[:, None]
    np.testing.assert_allclose(s, rev[:, -1], rtol=1e-5)
    np.testing.assert_allclose(ys, rev, rtol=1e-5)


def _scan9_model(seq_dim, in_dir=0, out_dir=0, axis=1):
    """Running sum over axis ``axis`` of x [2, T, 3] (batch first), scale read from outside."""
    body = helper.make_graph([helper.make_node("Mul", ["v", "scale"], ["sv"]),
                              helper.make_node("Add", ["s_in", "sv"], ["s_out"]),
                              helper.make_node("Identity", ["s_out"], ["y"])],
                             "body", [_vi("s_in", F, [2, 3]), _vi("v", F, [2, 3])],
                             [_vi("s_out", F, [2, 3]), _vi("y", F, [2, 3])])
    node = helper.make_node("Scan", ["s0", "x"], ["s", "ys"], body=body, num_scan_inputs=1,
                            scan_input_axes=[axis], scan_input_directions=[in_dir],
                            scan_output_axes=[axis], scan_output_directions=[out_dir])
    return _model([node], [_vi("s0", F, [2, 3]), _vi("x", F, [2, seq_dim, 3]),
                           _vi("scale", F, [])],
                  [_vi("s", F, [2, 3]), _vi("ys", F, [2, seq_dim, 3])])


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
@pytest.mark.parametrize("seq_dim,steps", [("T", 5), ("T", 0), (40, 40), (3, 3)])
@pytest.mark.parametrize("in_dir,out_dir", [(0, 0), (1, 0), (0, 1)])
def test_scan_over_dynamic_or_long_sequences(device, seq_dim, steps, in_dir, out_dir):
    rs = np.random.RandomState(steps)
    s0 = rs.randn(2, 3).astype(np.float32)
    x = rs.randn(2, steps, 3).astype(np.float32)
    scale = np.array(0.5, np.float32)
    (s, ys), model = _run(_scan9_model(seq_dim, in_dir, out_dir), [s0, x, scale], device)
    kinds = {n.get_type_name() for n in model.get_ordered_ops()}
    assert ("TensorIterator" in kinds) == (seq_dim != 3)  # short static scans are unrolled
    seq = x[:, ::-1] if in_dir else x
    run = s0[:, None] + np.cumsum(seq * scale, axis=1)
    np.testing.assert_allclose(s, run[:, -1] if steps else s0, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ys, run[:, ::-1] if out_dir else run, rtol=1e-5, atol=1e-6)
