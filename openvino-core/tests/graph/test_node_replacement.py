"""replace_node / replace_output_update_name (openvino.utils) and Output.replace: where
consumers go and what happens to friendly names and tensor names."""

from __future__ import annotations

import numpy as np
import pytest

from openvino import opset13 as ops
from openvino.utils import replace_node, replace_output_update_name


def named_chain():
    param = ops.parameter([2, 2], np.float32, name="p")
    param.output(0).set_names({"p_out"})
    relu = ops.relu(param)
    relu.set_friendly_name("r")
    relu.output(0).set_names({"r_out"})
    exp = ops.exp(relu)
    exp.set_friendly_name("e")
    exp.output(0).set_names({"e_out"})
    return param, relu, exp


def test_replace_node_moves_consumers_and_names():
    param, relu, exp = named_chain()
    sig = ops.sigmoid(param)
    replace_node(relu, sig)
    assert exp.input_value(0).get_node() is sig
    assert sig.output(0).get_names() == {"r_out"}
    assert len(relu.output(0).get_target_inputs()) == 0


def test_replace_node_with_outputs_or_an_order():
    data = ops.parameter([4, 2], np.float32)
    split = ops.split(data, 0, 2)
    a, b = ops.relu(split.output(0)), ops.relu(split.output(1))
    other = ops.split(ops.parameter([4, 2], np.float32), 0, 2)
    replace_node(split, other, [1, 0])
    assert a.input_value(0) == other.output(1) and b.input_value(0) == other.output(0)
    third = ops.split(ops.parameter([4, 2], np.float32), 0, 2)
    replace_node(other, [third.output(0), third.output(1)])
    # a reads other's output 1, which becomes third's output 1
    assert a.input_value(0) == third.output(1) and b.input_value(0) == third.output(0)


def test_replace_node_errors():
    param, relu, exp = named_chain()
    result = ops.result(exp)
    with pytest.raises(RuntimeError, match="Result nodes cannot be replaced"):
        replace_node(result, relu)
    with pytest.raises(RuntimeError):
        replace_node(relu, [param.output(0), param.output(0)])
    with pytest.raises(RuntimeError, match="output_order size"):
        replace_node(relu, exp, [0, 1])
    with pytest.raises(RuntimeError, match="out of range"):
        replace_node(relu, exp, [3])


def test_replace_output_update_name_before_a_result_renames_the_replacement():
    param, relu, exp = named_chain()
    result = ops.result(exp)
    assert replace_output_update_name(exp.output(0), exp.input_value(0))
    assert result.input_value(0).get_node() is relu
    assert relu.get_friendly_name() == "e"
    assert relu.output(0).get_names() == {"r_out", "e_out"}


def test_replace_output_update_name_inside_the_graph_keeps_friendly_names():
    param, relu, exp = named_chain()
    sig = ops.sigmoid(exp)
    assert replace_output_update_name(exp.output(0), relu.output(0))
    assert sig.input_value(0).get_node() is relu
    assert relu.get_friendly_name() == "r"
    assert relu.output(0).get_names() == {"r_out", "e_out"}


def test_replace_output_update_name_refuses_to_lose_an_output_name():
    param, relu, exp = named_chain()
    result = ops.result(relu)
    assert not replace_output_update_name(relu.output(0), param.output(0))  # a Parameter
    assert result.input_value(0).get_node() is relu
    _, relu2, exp2 = named_chain()
    results = [ops.result(relu2), ops.result(exp2)]  # (kept alive: consumers are weak)
    assert not replace_output_update_name(exp2.output(0), relu2.output(0))  # feeds a Result
    assert results[1].input_value(0).get_node() is exp2
    split = ops.split(ops.parameter([4, 2], np.float32), 0, 2)
    _, relu3, _ = named_chain()
    result3 = ops.result(relu3)
    assert result3.input_value(0).get_node() is relu3
    assert not replace_output_update_name(relu3.output(0), split.output(1))  # multi-output


def test_output_replace_leaves_the_replacements_own_input():
    param, relu, _ = named_chain()
    result = ops.result(relu)
    after = ops.exp(relu)
    relu.output(0).replace(after.output(0))
    assert after.input_value(0).get_node() is relu
    assert result.input_value(0).get_node() is after
    assert after.output(0).get_names() == {"r_out"}
