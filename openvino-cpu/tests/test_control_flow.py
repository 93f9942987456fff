"""Control flow on CPU: each body compiled to a plan of its own (C kernels where its ops have
them) and run through core's If/Loop/TensorIterator semantics; bodies without static
shapes fall back to the reference; results equal TEMPLATE's."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import openvino as ov
import openvino.opset8 as ops
from openvino_cpu.compiler import compile_plan
from openvino_cpu.compiler.lower_control import BodyPlans, ControlFlowCall


def _rnn(steps=6, hidden=16):
    seq = ops.parameter([steps, 1, hidden], np.float32, "seq")
    h0 = ops.parameter([1, hidden], np.float32, "h0")
    xt = ops.parameter([1, 1, hidden], np.float32)
    h = ops.parameter([1, hidden], np.float32)
    rs = np.random.RandomState(0)
    w = (rs.randn(hidden, hidden) * 0.2).astype(np.float32)
    u = (rs.randn(hidden, hidden) * 0.2).astype(np.float32)
    h_new = ops.tanh(ops.add(ops.matmul(ops.squeeze(xt, [0]), w, False, False),
                             ops.matmul(h, u, False, False)))
    body = ov.Model([ops.result(h_new), ops.result(ops.unsqueeze(h_new, [0]))], [xt, h])
    ti = ops.tensor_iterator()
    ti.set_body(body)
    ti.set_sliced_input(xt, seq.output(0), 0, 1, 1, -1, 0)
    ti.set_merged_input(h, h0.output(0), body.get_results()[0].output(0))
    last = ti.get_iter_value(body.get_results()[0].output(0))
    every = ti.get_concatenated_slices(body.get_results()[1].output(0), 0, 1, 1, -1, 0)
    return ov.Model([last, every], [seq, h0], "rnn")


def _inputs(steps=6, hidden=16, seed=1):
    rs = np.random.RandomState(seed)
    return [rs.randn(steps, 1, hidden).astype(np.float32),
            rs.randn(1, hidden).astype(np.float32)]


def _outputs(model, inputs, device):
    request = ov.Core().compile_model(model, device).create_infer_request()
    request.infer(inputs)
    return [request.get_output_tensor(i).data.copy() for i in range(len(model.outputs))]


def _control_steps(model):
    plan = compile_plan(model)
    return [cb for cb in plan.callbacks if isinstance(cb, ControlFlowCall)]


def test_body_is_compiled_to_its_own_plan_of_kernels():
    (call,) = _control_steps(_rnn())
    (runner,) = call.runners
    assert isinstance(runner, BodyPlans)
    kinds = {info.exec_type for info in runner.plan.info}
    assert "ref_python" not in kinds  # every body op runs in C
    assert kinds


def test_profiling_names_the_control_flow_node_as_the_real_plugin():
    compiled = ov.Core().compile_model(_rnn(), "CPU", {"PERF_COUNT": True})
    request = compiled.create_infer_request()
    request.infer(_inputs())
    (info,) = [p for p in request.get_profiling_info() if p.node_type == "TensorIterator"]
    assert info.exec_type == "unknown_f32"


def test_results_equal_the_reference():
    model = _rnn()
    inputs = _inputs()
    for got, want in zip(_outputs(model, inputs, "CPU"), _outputs(model, inputs, "TEMPLATE")):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_loop_with_condition_and_if_bodies_on_cpu():
    x = ops.parameter([2, 3], np.float32, "x")
    it = ops.parameter([], np.int64)
    acc = ops.parameter([2, 3], np.float32)
    xb = ops.parameter([2, 3], np.float32)
    cond_in = ops.parameter([], np.bool_)
    xt = ops.parameter([2, 3], np.float32)
    xe = ops.parameter([2, 3], np.float32)
    branch = ops.if_op(ops.less(it, np.int64(2)))
    then_body = ov.Model([ops.result(ops.multiply(xt, np.float32(2)))], [xt])
    else_body = ov.Model([ops.result(ops.sqrt(ops.abs(xe)))], [xe])
    branch.set_then_body(then_body)
    branch.set_else_body(else_body)
    branch.set_input(acc.output(0), xt, xe)
    picked = branch.set_output(then_body.get_results()[0], else_body.get_results()[0])
    total = ops.add(picked, xb)
    body = ov.Model([ops.result(total), ops.result(cond_in)], [it, acc, xb, cond_in])
    loop = ops.loop(ops.constant(np.int64(5)), ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([0, 1])
    loop.set_merged_input(acc, x.output(0), body.get_results()[0].output(0))
    loop.set_invariant_input(xb, x.output(0))
    loop.set_invariant_input(cond_in, ops.constant(True).output(0))
    out = loop.get_iter_value(body.get_results()[0].output(0))
    model = ov.Model([out], [x], "nested")
    data = np.random.RandomState(3).randn(2, 3).astype(np.float32)
    expected = data
    for i in range(5):
        expected = (expected * 2 if i < 2 else np.sqrt(np.abs(expected))) + data
    np.testing.assert_allclose(_outputs(model, [data], "CPU")[0], expected, rtol=1e-5)
    np.testing.assert_allclose(_outputs(model, [data], "TEMPLATE")[0], expected, rtol=1e-5)


def test_body_with_changing_shapes_falls_back_to_the_reference():
    """A loop-carried value that grows each iteration has no static body plan."""
    x = ops.parameter([1, 2], np.float32, "x")
    grow = ops.parameter([1, 2], np.float32)
    longer = ops.concat([grow, grow], 0)
    body = ov.Model([ops.result(longer), ops.result(ops.constant(True))], [grow])
    loop = ops.loop(ops.constant(np.int64(3)), ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([-1, 1])
    loop.set_merged_input(grow, x.output(0), body.get_results()[0].output(0))
    model = ov.Model([loop.get_iter_value(body.get_results()[0].output(0))], [x])
    data = np.array([[1.0, 2.0]], np.float32)
    got = _outputs(model, [data], "CPU")[0]
    np.testing.assert_array_equal(got, np.tile(data, (8, 1)))


@pytest.mark.parametrize("requests", [3])
def test_concurrent_requests_use_separate_body_runners(requests):
    model = _rnn()
    compiled = ov.Core().compile_model(model, "CPU")
    inputs = [_inputs(seed=s) for s in range(requests)]
    expected = [_outputs(model, x, "TEMPLATE") for x in inputs]
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            request = compiled.create_infer_request()
            for _ in range(5):
                request.infer(inputs[k])
                for i, want in enumerate(expected[k]):
                    np.testing.assert_allclose(request.get_output_tensor(i).data, want,
                                               rtol=1e-5, atol=1e-6)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
