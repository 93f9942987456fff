"""Stateful models, dynamic shapes and profiling on TEMPLATE."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

import openvino as ov
import openvino.properties as props

from .conftest import accumulator_model

ONE = np.ones((1, 2), np.float32)


def test_query_state_memory_model(core):
    compiled = core.compile_model(accumulator_model(), "TEMPLATE")
    request = compiled.create_infer_request()
    for expected in (1, 2, 3):
        out = request.infer([ONE])
        assert (out[0] == expected).all()
    states = request.query_state()
    assert [s.name for s in states] == ["acc"]
    np.testing.assert_array_equal(states[0].state.data, np.full((1, 2), 3, np.float32))
    request.reset_state()
    assert (request.infer([ONE])[0] == 1).all()
    states[0].reset()
    states[0].state = ov.Tensor(np.full((1, 2), 5, np.float32))
    assert (request.infer([ONE])[0] == 6).all()
    with pytest.raises(RuntimeError, match="shape"):
        states[0].state = ov.Tensor(np.zeros((3,), np.float32))


def test_state_through_compiled_model_call(core):
    compiled = core.compile_model(accumulator_model(), "TEMPLATE")
    compiled([ONE])
    assert (compiled([ONE])[0] == 2).all()
    assert compiled.query_state()[0].name == "acc"
    compiled.reset_state()
    assert (compiled([ONE])[0] == 1).all()


def test_requests_have_separate_state(core):
    compiled = core.compile_model(accumulator_model(), "TEMPLATE")
    first, second = compiled.create_infer_request(), compiled.create_infer_request()
    first.infer([ONE])
    first.infer([ONE])
    assert (second.infer([ONE])[0] == 1).all()


def test_dynamic_batch(core):
    x = ov.opset8.parameter([-1, 4], np.float32, name="x")
    shape = ov.opset8.shape_of(x)
    compiled = core.compile_model(ov.Model([ov.opset8.relu(x), shape], [x]), "TEMPLATE")
    request = compiled.create_infer_request()
    for batch in (3, 1, 8):
        out = request.infer({"x": -np.ones((batch, 4), np.float32)})
        assert out[0].shape == (batch, 4)
        np.testing.assert_array_equal(out[1], [batch, 4])


def test_profiling_info(core):
    model = accumulator_model()
    compiled = core.compile_model(model, "TEMPLATE", {props.enable_profiling: True})
    request = compiled.create_infer_request()
    request.infer([ONE])
    info = request.get_profiling_info()
    types = {i.node_type for i in info}
    assert {"ReadValue", "Add", "Assign"} <= types
    # as OpenVINO lists them: Parameters and Results did not run, every other node did
    not_run = [i.node_type for i in info if i.status == ov.ProfilingInfo.Status.NOT_RUN]
    assert not_run == ["Parameter", "Result"]
    for item in info:
        if item.status == ov.ProfilingInfo.Status.NOT_RUN:
            assert item.real_time == datetime.timedelta(0)
            continue
        assert item.status == ov.ProfilingInfo.Status.EXECUTED
        assert isinstance(item.real_time, datetime.timedelta)
        assert isinstance(item.cpu_time, datetime.timedelta)
        assert item.real_time.total_seconds() > 0
        assert isinstance(item.exec_type, str) and item.node_name
    assert request.profiling_info[0].node_name == info[0].node_name


def test_profiling_without_perf_count_lists_nodes_not_run(compiled_add):
    # OpenVINO does not raise: every node is listed, not run, with zero times
    request = compiled_add.create_infer_request()
    before = request.get_profiling_info()
    request.infer([np.ones(8, np.float32)] * 2)
    info = request.get_profiling_info()
    assert [i.node_type for i in info] == [i.node_type for i in before]
    assert [i.node_type for i in info] == ["Parameter", "Parameter", "Add", "Result"]
    assert all(i.status == ov.ProfilingInfo.Status.NOT_RUN for i in info)
    assert all(i.real_time == i.cpu_time == datetime.timedelta(0) for i in info)
    assert [i.exec_type for i in info if i.node_type != "Add"] == ["unknown_f32"] * 3
    assert repr(info[0].status) == "<Status.NOT_RUN: 0>"


def test_profiling_before_the_first_run_lists_nodes_not_run(core):
    compiled = core.compile_model(accumulator_model(), "TEMPLATE",
                                  {props.enable_profiling: True})
    request = compiled.create_infer_request()
    info = request.get_profiling_info()
    assert info and all(i.status == ov.ProfilingInfo.Status.NOT_RUN for i in info)
    request.infer([ONE])
    assert any(i.status == ov.ProfilingInfo.Status.EXECUTED
               for i in request.get_profiling_info())


def memory_model(shape: list[int], dtype: type, with_init: bool) -> ov.Model:
    """``state = ReadValue(var) + x; Assign(state)``: the output is the new state."""
    import openvino.opset13 as ops
    from openvino.op.util import Variable, VariableInfo

    x = ops.parameter(shape, dtype, name="x")
    info = VariableInfo()
    info.data_shape = ov.PartialShape(shape)
    info.data_type = ov.Type(dtype)
    info.variable_id = "var_id_667"
    var = Variable(info)
    read = (ops.read_value(ops.constant(np.full(shape, 3, dtype)), var) if with_init
            else ops.read_value(var))
    total = ops.add(read, x)
    return ov.Model(results=[ops.result(total)], sinks=[ops.assign(total, var)],
                    parameters=[x], name="memory")


@pytest.mark.parametrize("device", ["TEMPLATE", "AUTO"])
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.float16])
@pytest.mark.parametrize("with_init", [False, True])
def test_state_writes_are_seen_by_the_next_inference(core, device, dtype, with_init):
    shape = [2, 3]
    request = core.compile_model(memory_model(shape, dtype, with_init), device) \
        .create_infer_request()
    (state,) = request.query_state()
    assert state.name == "var_id_667"
    assert state.state.element_type == ov.Type(dtype)
    first = 3 + 1 if with_init else 1
    ones = np.ones(shape, dtype)
    np.testing.assert_array_equal(request.infer({0: ones})[0], np.full(shape, first))
    state.state = ov.Tensor(np.full(shape, 5, dtype))
    out = request.infer({0: ones})[0]
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, np.full(shape, 6))
    # a state object queried again sees the value, and writes through it count too
    np.testing.assert_array_equal(request.query_state()[0].state.data, np.full(shape, 6))
    request.query_state()[0].state = ov.Tensor(np.full(shape, 7, dtype))
    np.testing.assert_array_equal(request.infer({0: ones})[0], np.full(shape, 8))
    # the written tensor is copied: changing it afterwards changes nothing
    source = np.full(shape, 9, dtype)
    state.state = ov.Tensor(source)
    source[:] = 100
    np.testing.assert_array_equal(request.infer({0: ones})[0], np.full(shape, 10))
    state.reset()
    np.testing.assert_array_equal(request.infer({0: ones})[0], np.full(shape, first))


def test_state_writes_of_the_wrong_tensor_are_refused(core):
    request = core.compile_model(memory_model([2, 3], np.float32, False), "TEMPLATE") \
        .create_infer_request()
    (state,) = request.query_state()
    with pytest.raises(RuntimeError, match=r"Variable 'var_id_667' has shape \[2,3\]"):
        state.state = ov.Tensor(np.zeros((3, 3), np.float32))
    with pytest.raises(RuntimeError, match="Variable 'var_id_667' holds f32, got a tensor of i32"):
        state.state = ov.Tensor(np.zeros((2, 3), np.int32))
