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
    for item in info:
        assert item.status == ov.ProfilingInfo.Status.EXECUTED
        assert isinstance(item.real_time, datetime.timedelta)
        assert isinstance(item.cpu_time, datetime.timedelta)
        assert item.real_time.total_seconds() > 0
        assert isinstance(item.exec_type, str) and item.node_name
    assert request.profiling_info[0].node_name == info[0].node_name


def test_profiling_needs_perf_count(compiled_add):
    request = compiled_add.create_infer_request()
    request.infer([np.ones(8, np.float32)] * 2)
    with pytest.raises(RuntimeError, match="PERF_COUNT"):
        request.get_profiling_info()
