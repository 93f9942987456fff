"""Stateful ops: ReadValue v3/v6 and Assign v3/v6 with ``Variable``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import openvino.opset3 as ops3
import openvino.opset6 as ops6
import openvino.opset15 as ops
from openvino import Dimension, Model, PartialShape, Type
from openvino._ops.state import Assign, ReadValue
from openvino._reference_executor import ReferencePlan
from openvino._variable import Variable, VariableInfo

CORPUS = Path("/work/shared/corpus")


def variable(vid, et=Type.f32, shape=(2,)):
    info = VariableInfo()
    info.variable_id = vid
    info.data_type = et
    info.data_shape = PartialShape(list(shape))
    return Variable(info)


def accumulator(dtype=np.float32, shape=(2,)):
    """x + ReadValue(var) -> Assign(var); returns (model, x, read_value, assign)."""
    x = ops.parameter(list(shape), dtype, name="x")
    rv = ops.read_value(np.zeros(shape, dtype), "acc", Type(dtype), list(shape))
    add = ops.add(rv, x)
    asg = ops.assign(add, "acc")
    return Model([add], [asg], [x], "acc"), x, rv, asg


# --- construction forms ----------------------------------------------------------------------

def test_read_value_forms():
    init = ops.constant(np.ones((2, 3), np.float32))
    rv = ops.read_value(init, "a", Type.f32, [2, 3])
    assert rv.get_type_info().version_id == "opset6"
    assert rv.get_variable_id() == "a"
    assert rv.get_output_element_type(0) == Type.f32
    assert rv.get_output_partial_shape(0) == PartialShape([2, 3])
    assert rv.get_attributes() == {"variable_id": "a", "variable_type": "f32",
                                   "variable_shape": "[2,3]"}
    no_init = ops.read_value("b", "i32", [Dimension(), 4])
    assert no_init.get_input_size() == 0
    assert no_init.get_output_element_type(0) == Type.i32
    assert no_init.get_output_partial_shape(0) == PartialShape([Dimension(), 4])
    var = variable("c", Type.i64, [3])
    assert ops.read_value(var).variable is var
    with_init = ops.read_value(np.zeros(3, np.int64), var, name="rv_c")
    assert with_init.variable is var and with_init.get_friendly_name() == "rv_c"
    assert ops6.read_value is ops.read_value


def test_read_value_without_declared_type_takes_the_init():
    rv = ops.read_value(np.zeros((1, 4), np.float16), "d")
    assert rv.get_output_element_type(0) == Type.f16
    assert rv.get_output_partial_shape(0) == PartialShape([1, 4])
    assert rv.variable.get_info().data_shape == PartialShape([1, 4])


def test_read_value_variable_may_relax_the_init_shape():
    rv = ops.read_value(np.zeros((1, 4), np.float32), "e", "f32", [Dimension(), 4])
    assert rv.get_output_partial_shape(0) == PartialShape([Dimension(), 4])
    with pytest.raises(RuntimeError, match="relax"):
        ops.read_value(np.zeros((1, 4), np.float32), "e", "f32", [2, 4])
    with pytest.raises(RuntimeError, match="not compatible"):
        ops.read_value(np.zeros((1, 4), np.float32), "e", "i32", [1, 4])


def test_assign_forms_share_the_variable():
    rv = ops.read_value(np.zeros(2, np.float32), "v", "f32", [2])
    by_id = ops.assign(ops.relu(rv), "v")
    assert by_id.variable is rv.variable
    var = variable("w")
    by_var = ops.assign(ops.parameter([2], np.float32), var)
    assert by_var.variable is var and by_var.get_variable_id() == "w"
    empty = ops.assign()
    assert isinstance(empty, Assign) and empty.get_input_size() == 0
    orphan = ops.assign(ops.parameter([2], np.float32), "lonely")
    assert orphan.get_variable_id() == "lonely"
    assert by_id.get_output_partial_shape(0) == PartialShape([2])


def test_assign_type_or_shape_mismatch_raises():
    var = variable("m", Type.f32, [2])
    with pytest.raises(RuntimeError, match="types are inconsistent"):
        ops.assign(ops.parameter([2], np.int32), var)
    with pytest.raises(RuntimeError, match="shapes are inconsistent"):
        ops.assign(ops.parameter([3], np.float32), var)


def test_v3_read_value_and_assign():
    rv = ops3.read_value(np.zeros((2, 2), np.int32), "s")
    assert rv.get_type_info().version_id == "opset3"
    assert rv.variable.get_info().data_type == Type.i32
    asg = ops3.assign(ops.add(rv, np.int32(1)), "s")
    assert asg.get_type_info().version_id == "opset3" and asg.variable is rv.variable
    with pytest.raises(RuntimeError, match="Can't find variable"):
        ops3.assign(ops.parameter([2], np.float32), "nowhere")


# --- semantics ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int64])
def test_accumulates_across_runs(dtype):
    model, *_ = accumulator(dtype)
    assert [v.get_info().variable_id for v in model.get_variables()] == ["acc"]
    plan = ReferencePlan(model)
    state = {}
    for step in range(1, 4):
        (out,) = plan.run([np.array([1, 2], dtype)], state)
        np.testing.assert_array_equal(out, np.array([step, 2 * step], dtype))
    np.testing.assert_array_equal(state["acc"], np.array([3, 6], dtype))
    # a reset (empty state) starts from the init value again
    np.testing.assert_array_equal(plan.run([np.array([1, 2], dtype)], {})[0], [1, 2])


def test_assign_stores_a_copy():
    model, *_ = accumulator()
    state = {}
    x = np.array([1.0, 1.0], np.float32)
    ReferencePlan(model).run([x], state)
    stored = state["acc"].copy()
    x[:] = 100.0
    np.testing.assert_array_equal(state["acc"], stored)


def test_read_value_without_init_reads_zeros_then_state():
    rv = ops.read_value("z", "i32", [2, 2])
    out = ops.add(rv, np.int32(5))
    asg = ops.assign(out, rv.variable)
    model = Model([out], [asg], [], "z")
    plan = ReferencePlan(model)
    state = {}
    np.testing.assert_array_equal(plan.run([], state)[0], np.full((2, 2), 5, np.int32))
    np.testing.assert_array_equal(plan.run([], state)[0], np.full((2, 2), 10, np.int32))
    dyn = ops.read_value("q", "f32", [Dimension(), 2])
    with pytest.raises(RuntimeError, match="holds no value"):
        dyn.reference(state={})


def test_string_state():
    p = ops.parameter([2], Type.string)
    rv = ops.read_value(p, "txt", Type.string, [2])
    asg = ops.assign(p, rv.variable)
    model = Model([rv], [asg], [p])
    plan = ReferencePlan(model)
    state = {}
    first = plan.run([np.array([b"a", b"b"], object)], state)[0]
    assert first.tolist() == [b"a", b"b"]
    second = plan.run([np.array([b"c", b"d"], object)], state)[0]
    assert second.tolist() == [b"a", b"b"] and state["txt"].tolist() == [b"c", b"d"]


# --- graph operations ---------------------------------------------------------------------

def test_clone_and_model_clone_keep_variables():
    model, x, rv, asg = accumulator()
    twin = rv.clone_with_new_inputs([ops.constant(np.ones(2, np.float32))])
    assert twin.variable is rv.variable and twin.get_output_partial_shape(0) == [2]
    copy = model.clone()
    assert [v.get_info().variable_id for v in copy.get_variables()] == ["acc"]
    assert copy.get_sinks()[0].get_variable_id() == "acc"


def test_model_reshape_updates_variable_shape():
    x = ops.parameter([2], np.float32)
    rv = ops.read_value(np.zeros(2, np.float32), "r", "f32", [2])
    asg = ops.assign(ops.add(rv, x), rv.variable)
    model = Model([asg.input_value(0)], [asg], [x])
    model.reshape({0: [Dimension()]}, {"r": [Dimension()]})
    assert rv.get_output_partial_shape(0) == PartialShape([Dimension()])
    assert rv.get_attributes()["variable_shape"] == "[?]"


def test_ir_hook_shares_one_variable_per_id():
    variables = {}
    p = ops.parameter([1, 8], np.float32)
    # an Assign read first leaves a placeholder that the ReadValue then completes
    asg = Assign._from_ir_with_variables([p.output(0)], {"variable_id": "k"}, "asg",
                                         variables)
    rv = ReadValue._from_ir_with_variables(
        [p.output(0)], {"variable_id": "k", "variable_type": "f32", "variable_shape": "1,8"},
        "rv", variables)
    assert rv.variable is asg.variable is variables["k"]
    assert rv.variable.get_info().data_shape == PartialShape([1, 8])
    assert rv.get_output_element_type(0) == Type.f32
    alone = ReadValue._from_ir([p.output(0)], {"variable_id": "k", "variable_type": "f32",
                                                "variable_shape": "1,8"}, "rv2")
    assert alone.variable is not rv.variable
    with pytest.raises(RuntimeError, match="variable_id"):
        ReadValue._from_ir([p.output(0)], {}, "bad")


def test_ir_attributes_round_trip():
    rv = ops.read_value(np.zeros((1, 8), np.float32), "acc_state", "f32", [1, 8])
    assert rv._ir_attributes() == {"variable_id": "acc_state", "variable_type": "f32",
                                   "variable_shape": "1,8"}
    asg = ops.assign(rv, rv.variable)
    assert asg._ir_attributes() == {"variable_id": "acc_state"}


@pytest.mark.skipif(not (CORPUS / "stateful_accumulator").is_dir(), reason="no corpus")
def test_corpus_stateful_accumulator():
    from openvino._ir.reader import read_ir

    case = CORPUS / "stateful_accumulator"
    model = read_ir(str(case / "model.xml"))
    meta = json.loads((case / "case.json").read_text())
    inputs, expected = np.load(case / "inputs.npz"), np.load(case / "expected.npz")
    assert [v.get_info().variable_id for v in model.get_variables()] == ["acc_state"]
    plan = ReferencePlan(model)
    state = {}
    for k in range(meta["runs"]):
        pre = "" if k == 0 else f"run{k}:"
        outs = plan.run([inputs[f"{pre}#0"]], state)
        for i, out in enumerate(outs):
            np.testing.assert_allclose(out, expected[f"{pre}#{i}"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state["acc_state"], expected["state:acc_state"], rtol=1e-5)
