"""The device through the public API: GIL release, threads and streams, profiling, the
runtime model, dynamic shapes, state, export / import, and bad input."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from helpers import forced_isa, plan_of, rand

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu._native import Pool, ffi, lib
from openvino_cpu.compiler import PlanError, PlanRunner, compile_plan
from openvino_cpu.compiler.plan import Plan
from openvino_cpu.compiler.steps import Step


def _big_matmul(n: int = 768) -> ov.Model:
    a = ops.parameter([n, n], np.float32)
    b = ops.parameter([n, n], np.float32)
    return ov.Model([ops.matmul(a, b, False, False)], [a, b])


def test_inference_releases_the_gil(core) -> None:
    compiled = core.compile_model(_big_matmul(), "CPU", {"INFERENCE_NUM_THREADS": 1})
    req = compiled.create_infer_request()
    data = [rand(768, 768), rand(768, 768, seed=1)]
    req.infer(data)
    count = 0
    stop = False

    def spin() -> None:
        nonlocal count
        while not stop:
            count += 1

    t = threading.Thread(target=spin)
    t.start()
    time.sleep(0.05)
    before = count
    start = time.perf_counter()
    runs = 0
    while time.perf_counter() - start < 0.5:
        req.infer(data)
        runs += 1
    during = count - before
    stop = True
    t.join()
    # with the GIL held for the whole C call the spinning thread would barely advance
    assert runs >= 1 and during > 100_000, f"{during} increments during {runs} inferences"


def test_streams_and_threads_from_hints(core) -> None:
    model = _big_matmul(64)
    lat = core.compile_model(model, "CPU", {"PERFORMANCE_HINT": "LATENCY"})
    assert lat.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == 1
    thr = core.compile_model(model, "CPU", {"PERFORMANCE_HINT": "THROUGHPUT"})
    assert thr.get_property("NUM_STREAMS") >= 1
    assert thr.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == thr.get_property("NUM_STREAMS")
    fixed = core.compile_model(model, "CPU", {"NUM_STREAMS": 3, "INFERENCE_NUM_THREADS": 6})
    from openvino_cpu.config import cpu_count

    # six threads asked for, never more than the cores; three streams, never more than
    # the threads (as the real plugin caps them), sharing them
    threads = min(6, cpu_count())
    streams = min(3, threads)
    assert fixed.get_property("NUM_STREAMS") == streams
    assert fixed.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == streams
    assert fixed._device_model.execution.threads == threads // streams


def test_async_queue_matches_sync(core) -> None:
    x = ops.parameter([4, 32], np.float32)
    y = ops.relu(ops.matmul(x, ops.constant(rand(32, 16, seed=1)), False, False))
    compiled = core.compile_model(ov.Model([y], [x]), "CPU", {"PERFORMANCE_HINT": "THROUGHPUT"})
    inputs = [rand(4, 32, seed=i) for i in range(12)]
    expected = [compiled(d)[0].copy() for d in inputs]
    queue = ov.AsyncInferQueue(compiled, 3)
    results = {}
    queue.set_callback(lambda req, i: results.__setitem__(i, req.get_output_tensor().data.copy()))
    for i, d in enumerate(inputs):
        queue.start_async({0: d}, i)
    queue.wait_all()
    for i, e in enumerate(expected):
        np.testing.assert_array_equal(results[i], e)


def test_perf_count_gives_per_node_times(core) -> None:
    x = ops.parameter([1, 3, 16, 16], np.float32)
    c = ops.convolution(x, ops.constant(rand(8, 3, 3, 3)), [1, 1], [1, 1], [1, 1], [1, 1])
    c.set_friendly_name("conv")
    y = ops.softmax(ops.relu(c), 1)
    compiled = core.compile_model(ov.Model([y], [x]), "CPU", {"PERF_COUNT": True})
    req = compiled.create_infer_request()
    req.infer([rand(1, 3, 16, 16)])
    info = req.get_profiling_info()
    executed = {p.node_name: p for p in info if p.status == p.Status.EXECUTED}
    assert "conv" in executed and executed["conv"].real_time.total_seconds() > 0
    assert executed["conv"].exec_type.startswith("jit_")
    assert any(p.status == p.Status.OPTIMIZED_OUT and p.node_type == "Relu" for p in info)


def test_python_fallback_is_reported(core) -> None:
    x = ops.parameter([5], np.float32)
    y = ops.cumsum(x, ops.constant(np.int64(0)))
    compiled = core.compile_model(ov.Model([y], [x]), "CPU", {"PERF_COUNT": True})
    req = compiled.create_infer_request()
    out = req.infer([np.arange(5, dtype=np.float32)])[0]
    np.testing.assert_array_equal(out, np.cumsum(np.arange(5, dtype=np.float32)))
    info = req.get_profiling_info()
    assert [p.exec_type for p in info if p.status == p.Status.EXECUTED] == ["ref_python"]
    assert [p.node_type for p in info if p.status == p.Status.NOT_RUN] == ["Parameter",
                                                                          "Result"]
    rt = compiled.get_runtime_model()
    kinds = {op.get_rt_info()["primitiveType"] for op in rt.get_ordered_ops()
             if op.get_type_name() == "ExecutionNode"}
    assert "ref_python" in kinds


def test_runtime_model_shape(core) -> None:
    x = ops.parameter([2, 8], np.float32, name="x")
    y = ops.relu(ops.matmul(x, ops.constant(rand(8, 4)), False, False))
    compiled = core.compile_model(ov.Model([y, ops.negative(x)], [x]), "CPU")
    rt = compiled.get_runtime_model()
    assert len(rt.inputs) == 1 and len(rt.outputs) == 2
    nodes = [op for op in rt.get_ordered_ops() if op.get_type_name() == "ExecutionNode"]
    info = {op.get_rt_info()["layerType"]: op.get_rt_info() for op in nodes}
    assert info["MatMul"]["primitiveType"] == "jit_gemm_f32"
    assert info["MatMul"]["outputLayouts"] == "ab"
    assert info["MatMul"]["outputPrecisions"] == "f32"


def test_dynamic_shapes_replan_per_shape(core) -> None:
    x = ops.parameter([-1, 6], np.float32)
    y = ops.relu(ops.matmul(x, ops.constant(rand(6, 3)), False, False))
    compiled = core.compile_model(ov.Model([y], [x]), "CPU")
    req = compiled.create_infer_request()
    w = rand(6, 3)
    for batch in (1, 7, 1, 3):
        data = rand(batch, 6, seed=batch)
        out = req.infer([data])[0]
        np.testing.assert_allclose(out, np.maximum(data @ w, 0), rtol=1e-5, atol=1e-6)
    assert len(compiled._device_model._plans) == 3


def test_value_dependent_shapes_fall_back_to_reference(core) -> None:
    x = ops.parameter([6], np.float32)
    y = ops.non_zero(x, "i64")
    compiled = core.compile_model(ov.Model([y], [x]), "CPU")
    out = compiled([np.array([0, 1, 0, 2, 3, 0], np.float32)])[0]
    np.testing.assert_array_equal(out, [[1, 3, 4]])


def test_stateful_model(core) -> None:
    x = ops.parameter([1, 4], np.float32)
    from openvino.op.util import Variable, VariableInfo
    info = VariableInfo()
    info.data_shape = ov.PartialShape([1, 4])
    info.data_type = ov.Type.f32
    info.variable_id = "acc"
    var = Variable(info)
    rv = ops.read_value(ops.constant(np.zeros((1, 4), np.float32)), var)
    add = ops.add(rv, x)
    assign = ops.assign(add, var)
    model = ov.Model([add], [assign], [x])
    compiled = core.compile_model(model, "CPU")
    req = compiled.create_infer_request()
    for _ in range(3):
        out = req.infer([np.ones((1, 4), np.float32)])[0]
    np.testing.assert_array_equal(out, np.full((1, 4), 3, np.float32))
    req.reset_state()
    np.testing.assert_array_equal(req.infer([np.ones((1, 4), np.float32)])[0], np.ones((1, 4)))


def test_export_import_roundtrip(core) -> None:
    x = ops.parameter([2, 8], np.float32, name="x")
    y = ops.tanh(ops.matmul(x, ops.constant(rand(8, 5)), False, False))
    compiled = core.compile_model(ov.Model([y], [x]), "CPU")
    assert "EXPORT_IMPORT" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    blob = compiled.export_model()
    again = core.import_model(blob, "CPU")
    data = rand(2, 8)
    np.testing.assert_array_equal(compiled(data)[0], again(data)[0])


def test_bad_input_shape_is_rejected(core) -> None:
    x = ops.parameter([2, 3], np.float32)
    compiled = core.compile_model(ov.Model([ops.relu(x)], [x]), "CPU")
    with pytest.raises(RuntimeError):
        compiled(np.zeros((3, 2), np.float32))


def test_plan_validation_rejects_out_of_bounds_steps() -> None:
    x = ops.parameter([4], np.float32)
    model = ov.Model([ops.relu(x)], [x])
    from openvino.plugin.passes import Graph
    from openvino_cpu.compiler.lowering import Lowering

    graph = Graph.from_model(model)
    lw = Lowering(graph)
    lw.run()
    step = lw.steps[0]
    step.operands[0].hi += 4  # one element past the input
    with pytest.raises(PlanError, match="would touch bytes"):
        Plan.build(graph, lw.steps, lw.mem)


def test_plan_validation_rejects_writes_into_inputs() -> None:
    x = ops.parameter([4], np.float32)
    model = ov.Model([ops.relu(x)], [x])
    from openvino.plugin.passes import Graph
    from openvino_cpu.compiler.lowering import Lowering

    graph = Graph.from_model(model)
    lw = Lowering(graph)
    lw.run()
    bad = Step(lib.OV_K_UNARY, graph.ops[0], "test")
    bad.add_value(graph.inputs[0], write=True)
    bad.add_value(graph.inputs[0])
    bad.p = [1, 1, 4]
    lw.steps.append(bad)
    with pytest.raises(PlanError, match="write into a param"):
        Plan.build(graph, lw.steps, lw.mem)


def test_malformed_step_kind_is_refused_by_c() -> None:
    steps = ffi.new("ov_step[]", 1)
    steps[0].kind = 99
    table = ffi.new("void*[]", 1)
    pool = Pool(1)
    assert lib.ov_run(steps, 1, table, pool.handle, ffi.NULL, ffi.NULL) == -1


@pytest.mark.parametrize("level", [0, 1, 2])
def test_every_instruction_set_gives_the_same_result(level) -> None:
    with forced_isa(level):
        x = ops.parameter([1, 5, 9, 9], np.float32)
        c = ops.convolution(x, ops.constant(rand(37, 5, 3, 3)), [1, 1], [1, 1], [1, 1], [1, 1])
        y = ops.matmul(ops.reshape(c, ops.constant(np.array([37, 81], np.int64)), False),
                       ops.constant(rand(81, 29, seed=1)), False, False)
        model = ov.Model([y], [x])
        data = rand(1, 5, 9, 9)
        plan = compile_plan(model)
        got = PlanRunner(plan, Pool(2)).run([data])[0]
        want = ov.Core().compile_model(model, "TEMPLATE")(data)[0]
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_auto_prefers_cpu_over_template(core) -> None:
    x = ops.parameter([3], np.float32)
    compiled = core.compile_model(ov.Model([ops.relu(x)], [x]), "AUTO")
    assert compiled.get_property("EXECUTION_DEVICES") == ["CPU"]


def test_plan_of_static_model_is_built_at_compile_time(core) -> None:
    x = ops.parameter([3], np.float32)
    compiled = core.compile_model(ov.Model([ops.relu(x)], [x]), "CPU")
    assert plan_of(compiled) is not None


@pytest.mark.parametrize("value,want", [("avx2", "avx2"), ("1", "avx2"),
                                        (" generic ", "generic"), ("0", "generic")])
def test_ov_cpu_isa_takes_levels_and_names(value, want) -> None:
    out = subprocess.run([sys.executable, "-c", "from openvino_cpu import isa; print(isa())"],
                         env={**os.environ, "OV_CPU_ISA": value}, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == want


def test_an_unknown_ov_cpu_isa_names_the_values_it_takes() -> None:
    out = subprocess.run([sys.executable, "-c", "import openvino_cpu"],
                         env={**os.environ, "OV_CPU_ISA": "sse9"}, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode != 0
    assert "OV_CPU_ISA='sse9'" in out.stderr and "1 or avx2" in out.stderr
