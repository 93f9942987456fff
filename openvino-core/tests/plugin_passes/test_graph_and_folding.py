"""openvino.plugin.passes: the static-shape graph and constant folding, on models built
with the opsets (no device involved)."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset6 as opset6
import openvino.opset13 as ops
from openvino.plugin.passes import Graph, NotStatic, fold_constants, static_model


def test_graph_of_a_static_model_keeps_order_shapes_and_names() -> None:
    x = ops.parameter([2, 3], np.float32, name="x")
    w = ops.constant(np.ones((3, 4), np.float32))
    mm = ops.matmul(x, w, False, False)
    mm.set_friendly_name("mm")
    r = ops.relu(mm)
    r.set_friendly_name("act")
    model = ov.Model([r], [x])
    g = Graph.from_model(model)
    assert [op.type for op in g.ops] == ["MatMul", "Relu"]
    assert [op.name for op in g.ops] == ["mm", "act"]
    assert g.inputs[0].shape == (2, 3) and g.inputs[0].param == 0
    assert g.outputs[0] is g.ops[1].outputs[0] and g.outputs[0].is_output
    assert g.ops[0].inputs[1].is_const
    np.testing.assert_array_equal(g.ops[0].inputs[1].const, np.ones((3, 4), np.float32))
    assert g.ops[0].outputs[0].consumers == [g.ops[1]]
    assert g.ops[0].outputs[0].nbytes == 2 * 4 * 4
    assert g.ops[0].attr("transpose_b") is False
    assert g.ops[0].post_ops == [] and g.ops[0].compressed_weights is None


def test_dynamic_model_is_not_static_until_given_shapes() -> None:
    x = ops.parameter([-1, 3], np.float32)
    model = ov.Model([ops.relu(x)], [x])
    with pytest.raises(NotStatic, match=r"f32\[\?,3\]"):
        Graph.from_model(model)
    g = Graph.from_model(model, [(5, 3)])
    assert g.inputs[0].shape == (5, 3) and g.outputs[0].shape == (5, 3)
    # the user's model is untouched
    assert model.get_parameters()[0].get_partial_shape().is_dynamic


def test_static_model_returns_the_model_itself_when_shapes_match() -> None:
    x = ops.parameter([2, 3], np.float32)
    model = ov.Model([ops.relu(x)], [x])
    assert static_model(model, [[2, 3]]) is model
    other = static_model(model, [[4, 3]])
    assert other is not model and other.get_parameters()[0].get_shape() == [4, 3]
    with pytest.raises(ValueError, match="2 input shapes given for a model with 1 inputs"):
        static_model(model, [[2, 3], [1]])
    with pytest.raises(ValueError, match=r"must be static \(no negative dimension\): "
                                         r"\[\[-1, 3\]\]"):
        static_model(model, [[-1, 3]])
    with pytest.raises(TypeError, match="static_model takes an openvino.Model, got str"):
        static_model("model.xml", [[2, 3]])
    with pytest.raises(TypeError, match="Graph.from_model takes an openvino.Model, got list"):
        Graph.from_model([model])


def test_string_values_are_not_static() -> None:
    x = ops.parameter([2], ov.Type.string)
    model = ov.Model([ops.reshape(x, [2], False)], [x])
    with pytest.raises(NotStatic, match="string"):
        Graph.from_model(model)


def test_folding_turns_constant_subgraphs_into_constants() -> None:
    x = ops.parameter([2, 3], np.float32)
    a = ops.constant(np.full((2, 3), 2.0, np.float32))
    b = ops.constant(np.full((2, 3), 3.0, np.float32))
    folded = ops.exp(ops.multiply(a, b))                 # all constant
    shape = ops.shape_of(x)                              # static: a constant
    y = ops.reshape(ops.add(x, folded), shape, False)
    g = Graph.from_model(ov.Model([y], [x]))
    n = fold_constants(g)
    g.remove_dead()
    assert n == 3  # Multiply, Exp, ShapeOf
    assert [op.type for op in g.ops] == ["Add", "Reshape"]
    add = g.ops[0]
    np.testing.assert_allclose(add.inputs[1].const, np.exp(np.full((2, 3), 6.0)), rtol=1e-6)
    assert add.inputs[1].producer is None
    np.testing.assert_array_equal(g.ops[1].inputs[1].const, [2, 3])
    assert g.ops[1].inputs[1].const.dtype == np.int64


def test_folding_leaves_stateful_ops_and_keeps_their_side_effects() -> None:
    x = ops.parameter([3], np.float32)
    init = ops.constant(np.zeros(3, np.float32))
    rv = opset6.read_value(init, "v1")              # constant input, but state: not folded
    assign = opset6.assign(ops.add(rv, x), "v1")    # no consumer, but a side effect: kept
    y = ops.add(rv, ops.relu(init))                 # the Relu folds
    g = Graph.from_model(ov.Model([y], [assign], [x]))
    assert fold_constants(g) == 1
    g.remove_dead()
    assert [op.type for op in g.ops] == ["ReadValue", "Add", "Assign", "Add"]


def test_folding_does_not_blow_up_broadcasts() -> None:
    x = ops.parameter([1], np.float32)
    big = ops.broadcast(ops.constant(np.float32(1)), ops.constant(np.array([4096, 4096],
                                                                           np.int64)))
    g = Graph.from_model(ov.Model([ops.add(big, x)], [x]))
    assert fold_constants(g) == 0
    assert [op.type for op in g.ops] == ["Broadcast", "Add"]


def test_remove_dead_drops_unused_chains() -> None:
    x = ops.parameter([3], np.float32)
    used = ops.relu(x)
    ops.sigmoid(ops.tanh(x))  # computed by nothing
    g = Graph.from_model(ov.Model([used], [x]))
    extra = g.const(np.ones(3, np.float32))
    from openvino.plugin.passes import Op
    dead = g.add_op(Op("Tanh", None, [extra], [g.new_value(ov.Type.f32, (3,))], "dead"))
    assert dead in g.ops
    g.remove_dead()
    assert [op.type for op in g.ops] == ["Relu"]
    assert extra.consumers == []


def test_prepare_graph_runs_the_passes_in_order() -> None:
    from openvino.plugin.passes import prepare_graph

    x = ops.parameter([-1, 4], np.float32)
    codes = np.arange(12, dtype=np.uint8).reshape(3, 4)
    w = ops.multiply(ops.convert(ops.constant(codes, ov.Type.u8), ov.Type.f32),
                     ops.constant(np.float32(0.5)))
    bias = ops.exp(ops.constant(np.zeros(3, np.float32)))        # folds to ones
    y = ops.relu(ops.add(ops.matmul(x, w, False, True), bias))
    model = ov.Model([y], [x])
    g = prepare_graph(model, [[2, 4]])
    assert [op.type for op in g.ops] == ["MatMul"]
    mm = g.ops[0]
    assert mm.compressed_weights is not None
    assert [p.function for p in mm.post_ops] == ["add", "relu"]
    np.testing.assert_array_equal(mm.post_ops[0].operand.const, np.ones(3, np.float32))
    # without claiming, the chain folds to f32 weights; without fusing, the tail stays
    plain = prepare_graph(model, [[2, 4]], compressed_weights=False, fuse=False)
    assert [op.type for op in plain.ops] == ["MatMul", "Add", "Relu"]
    np.testing.assert_array_equal(plain.ops[0].inputs[1].const, codes * np.float32(0.5))
