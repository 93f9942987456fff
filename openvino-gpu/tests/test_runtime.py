"""Models compiled on the GPU device: results, precision, dynamic shapes, async runs,
profiling, memory, export/import and the errors of bad input."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino_gpu import devices as gpu_devices


def _model(batch=2):
    a = ops.parameter([batch, 3, 4], np.float32, name="a")
    b = ops.parameter([1, 4, 5], np.float32, name="b")
    c = ops.constant(np.linspace(-1, 1, 3, dtype=np.float32).reshape(3, 1))
    m = ops.matmul(ops.add(a, c), b, False, False)
    return ov.Model([m], [a, b], "add_matmul")


def _expected(x, y):
    return (x + np.linspace(-1, 1, 3, dtype=np.float32).reshape(3, 1)) @ y


def _data(rng, batch=2):
    return (rng.standard_normal((batch, 3, 4)).astype(np.float32),
            rng.standard_normal((1, 4, 5)).astype(np.float32))


def test_f32_matches_numpy(core):
    x, y = _data(np.random.default_rng(0))
    compiled = core.compile_model(_model(), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    out = compiled([x, y])[0]
    np.testing.assert_allclose(out, _expected(x, y), rtol=1e-5, atol=1e-5)
    assert compiled.get_property("INFERENCE_PRECISION_HINT") == ov.Type.f32


def test_f16_storage(core):
    x, y = _data(np.random.default_rng(1))
    compiled = core.compile_model(_model(), "GPU", {"INFERENCE_PRECISION_HINT": "f16"})
    out = compiled([x, y])[0]
    assert out.dtype == np.float32
    assert compiled.get_property("INFERENCE_PRECISION_HINT") == ov.Type.f16
    np.testing.assert_allclose(out, _expected(x, y), rtol=2e-2, atol=2e-2)
    # really rounded through half: not bit-equal to the f32 result
    f32 = core.compile_model(_model(), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})([x, y])[0]
    assert not np.array_equal(out, f32)


def test_dynamic_batch_plans_per_shape(core):
    compiled = core.compile_model(_model(-1), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    rng = np.random.default_rng(2)
    for batch in (1, 3, 1):
        x, y = _data(rng, batch)
        out = request.infer([x, y])[0]
        assert out.shape == (batch, 3, 5)
        np.testing.assert_allclose(out, _expected(x, y), rtol=1e-5, atol=1e-5)


def test_async_requests(core):
    compiled = core.compile_model(_model(), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    rng = np.random.default_rng(3)
    feeds = [_data(rng) for _ in range(4)]
    requests = [compiled.create_infer_request() for _ in feeds]
    for r, (x, y) in zip(requests, feeds):
        r.start_async([x, y])
    for r, (x, y) in zip(requests, feeds):
        r.wait()
        np.testing.assert_allclose(r.get_output_tensor(0).data, _expected(x, y),
                                   rtol=1e-5, atol=1e-5)
    queue = ov.AsyncInferQueue(compiled, 2)
    results = {}
    queue.set_callback(lambda req, i: results.__setitem__(i, req.get_output_tensor(0).data.copy()))
    for i, (x, y) in enumerate(feeds):
        queue.start_async([x, y], i)
    queue.wait_all()
    for i, (x, y) in enumerate(feeds):
        np.testing.assert_allclose(results[i], _expected(x, y), rtol=1e-5, atol=1e-5)


def test_profiling(core):
    compiled = core.compile_model(_model(), "GPU", {"PERF_COUNT": True,
                                                    "INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    request.infer(list(_data(np.random.default_rng(4))))
    records = {p.node_name: p for p in request.get_profiling_info()}
    matmul = [p for p in records.values() if p.node_type == "MatMul"]
    assert len(matmul) == 1 and matmul[0].status == ov.ProfilingInfo.Status.EXECUTED
    assert matmul[0].real_time.total_seconds() >= 0


class Scale(ov.Op):
    """A Python custom op: never run by GPU kernels."""

    def __init__(self, inputs=None):
        super().__init__(self, inputs)
        if inputs:
            self.constructor_validate_and_infer_types()

    def validate_and_infer_types(self):
        self.set_output_type(0, self.get_input_element_type(0), self.get_input_partial_shape(0))

    def clone_with_new_inputs(self, new_inputs):
        return Scale(new_inputs)

    def has_evaluate(self):
        return True

    def evaluate(self, outputs, inputs):
        outputs[0].data[:] = inputs[0].data * 2
        return True


def test_query_model_and_unsupported_ops(core):
    a = ops.parameter([2, 2], np.float32, name="a")
    shape = ops.shape_of(ops.constant(np.zeros((2, 2), np.float32)))
    shape.set_friendly_name("folded_shape")
    r = ops.add(a, ops.convert(shape, np.float32))
    custom = Scale([r.output(0)])
    custom.set_friendly_name("my_scale")
    model = ov.Model([custom.output(0)], [a])
    supported = core.query_model(model, "GPU")
    assert "my_scale" not in supported
    assert "folded_shape" in supported  # folds to a constant at compile time
    with pytest.raises(RuntimeError, match="my_scale"):
        core.compile_model(model, "GPU")
    # AUTO skips the GPU for it and compiles where the model runs
    auto = core.compile_model(model, "AUTO")
    assert "GPU" not in auto.get_property("EXECUTION_DEVICES")[0]


def test_memory_released_after_delete(core):
    dev = gpu_devices.opencl_devices()[0]
    x, y = _data(np.random.default_rng(5))
    gc.collect()
    before = core.get_property("GPU", "GPU_MEMORY_STATISTICS")["cl_mem"]
    for _ in range(3):
        compiled = core.compile_model(_model(), "GPU")
        compiled([x, y])
        assert core.get_property("GPU", "GPU_MEMORY_STATISTICS")["cl_mem"] > before
        del compiled
        gc.collect()
        assert core.get_property("GPU", "GPU_MEMORY_STATISTICS")["cl_mem"] == before
    assert dev.programs is dev.programs  # the context's programs stay built


def test_export_import(core):
    import io

    x, y = _data(np.random.default_rng(6))
    compiled = core.compile_model(_model(), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    stream = io.BytesIO()
    compiled.export_model(stream)
    imported = core.import_model(stream.getvalue(), "GPU")
    np.testing.assert_array_equal(imported([x, y])[0], compiled([x, y])[0])
    assert imported.get_property("INFERENCE_PRECISION_HINT") == ov.Type.f32


def test_kernel_build_failure_names_file(monkeypatch, tmp_path, gpu_available):
    from openvino_gpu import programs

    (tmp_path / "broken.cl").write_text("__kernel void f(__global float* x) { x[0] = ; }\n")
    monkeypatch.setattr(programs, "KERNELS_DIR", tmp_path)
    dev = gpu_devices.opencl_devices()[0]
    cache = programs.ProgramCache(dev)
    with pytest.raises(RuntimeError, match=r"broken\.cl") as info:
        cache.get("broken.cl")
    assert dev.name in str(info.value)
    with pytest.raises(RuntimeError, match="does not exist"):
        cache.get("missing.cl")


def test_allocation_failure_names_size(gpu_available):
    from openvino_gpu.memory import allocate

    dev = gpu_devices.opencl_devices()[0]
    too_big = int(dev.cl_device.max_mem_alloc_size) + 1
    with pytest.raises(RuntimeError, match=f"{too_big} bytes") as info:
        allocate(dev, too_big)
    assert dev.name in str(info.value)


def test_device_out_of_memory_in_a_request(core, monkeypatch):
    """The device refusing a request's memory (CL_MEM_OBJECT_ALLOCATION_FAILURE): a
    RuntimeError naming the device and the size; the compiled model and the request work
    once memory is there again, and deleting them frees everything."""
    import pyopencl as cl

    from openvino_gpu import memory

    dev = gpu_devices.opencl_devices()[0]
    x, y = _data(np.random.default_rng(8))
    gc.collect()
    before = core.get_property("GPU", "GPU_MEMORY_STATISTICS")["cl_mem"]
    compiled = core.compile_model(_model(), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    real = memory._buffer_type()
    asked = []

    class Exhausted(real):
        def __init__(self, context, flags, size=0, hostbuf=None):
            asked.append(size)
            record = cl._cl._ErrorRecord(msg="clCreateBuffer failed",
                                         code=cl.status_code.MEM_OBJECT_ALLOCATION_FAILURE,
                                         routine="clCreateBuffer")
            raise cl.MemoryError(record)

    monkeypatch.setattr(memory, "_buffer_class", Exhausted)
    with pytest.raises(RuntimeError, match="MEM_OBJECT_ALLOCATION_FAILURE") as info:
        request.infer([x, y])
    assert dev.name in str(info.value)
    assert f"a buffer of {asked[0]} bytes" in str(info.value)
    monkeypatch.setattr(memory, "_buffer_class", real)
    np.testing.assert_allclose(request.infer([x, y])[0], _expected(x, y), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(compiled([x, y])[0], _expected(x, y), rtol=1e-5, atol=1e-5)
    del compiled, request, info  # the exception's traceback holds the request's frames
    gc.collect()
    assert core.get_property("GPU", "GPU_MEMORY_STATISTICS")["cl_mem"] == before


def test_arena_larger_than_the_device_allows(core, monkeypatch):
    """A request whose arena exceeds the device's largest allocation fails naming both
    sizes (the OpenCL call would give CL_INVALID_BUFFER_SIZE); smaller inputs still run."""
    compiled = core.compile_model(_model(-1), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    rng = np.random.default_rng(9)
    x, y = _data(rng)
    request.infer([x, y])
    dev = gpu_devices.opencl_devices()[0]
    real = dev.cl_device

    class Small:  # the device as it is, with a largest allocation of 4 KiB
        max_mem_alloc_size = 4096

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(dev, "cl_device", Small())
    big_x, big_y = _data(rng, 512)
    with pytest.raises(RuntimeError, match=r"cannot allocate a buffer of \d+ bytes \(the "
                                           r"device's largest allocation is 4096 bytes\)") \
            as info:
        request.infer([big_x, big_y])
    assert dev.name in str(info.value)
    monkeypatch.setattr(dev, "cl_device", real)
    np.testing.assert_allclose(request.infer([x, y])[0], _expected(x, y), rtol=1e-5,
                               atol=1e-5)


def test_failed_request_leaves_model_usable(core):
    compiled = core.compile_model(_model(), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    with pytest.raises(RuntimeError):
        request.infer([np.zeros((5, 5), np.float32), np.zeros((1, 4, 5), np.float32)])
    x, y = _data(np.random.default_rng(7))
    np.testing.assert_allclose(request.infer([x, y])[0], _expected(x, y), rtol=1e-5, atol=1e-5)


def test_auto_prefers_cpu_to_an_opencl_cpu_device(core):
    dev = gpu_devices.opencl_devices()[0]
    compiled = core.compile_model(_model(), "AUTO")
    chosen = compiled.get_property("EXECUTION_DEVICES")[0]
    if dev.info.is_cpu and "CPU" in core.available_devices:
        assert chosen == "CPU"
    elif not dev.info.is_cpu:
        assert chosen.startswith("GPU")
    gpu_only = core.compile_model(_model(), "AUTO:GPU")
    assert gpu_only.get_property("EXECUTION_DEVICES")[0].startswith("GPU")


def test_separate_buffers_mode(core, monkeypatch):
    from openvino_gpu.infer_request import SEPARATE_BUFFERS_ENV

    monkeypatch.setenv(SEPARATE_BUFFERS_ENV, "1")
    x, y = _data(np.random.default_rng(8))
    request = core.compile_model(_model(), "GPU", {"INFERENCE_PRECISION_HINT": "f32"}) \
        .create_infer_request()
    np.testing.assert_allclose(request.infer([x, y])[0], _expected(x, y), rtol=1e-5, atol=1e-5)
    binding = next(iter(request._request._bindings.values()))  # the device request
    assert binding.arena is None and len(binding._subs) >= 3


@pytest.mark.parametrize("precision", ["f32", "f16"])
def test_elementwise_tail_fused(core, precision):
    """Add -> Relu -> Multiply(constant) -> Subtract(from a constant) runs as two kernels
    (Relu fused into Add; Subtract into Multiply, whose per-column operand the SDK's rules
    do not fuse into Add) with the numbers of the unfused chain."""
    a = ops.parameter([2, 3, 4], np.float32, name="a")
    b = ops.parameter([2, 3, 4], np.float32, name="b")
    scale = ops.constant(np.linspace(0.5, 2, 4, dtype=np.float32))
    chain = ops.subtract(ops.constant(np.float32(1.0)),
                         ops.multiply(ops.relu(ops.add(a, b)), scale))
    model = ov.Model([chain], [a, b], "chain")
    compiled = core.compile_model(model, "GPU", {"INFERENCE_PRECISION_HINT": precision,
                                                 "PERF_COUNT": True})
    rng = np.random.default_rng(9)
    x, y = (rng.standard_normal((2, 3, 4)).astype(np.float32) for _ in range(2))
    request = compiled.create_infer_request()
    out = request.infer([x, y])[0]
    want = 1.0 - np.maximum(x + y, 0) * np.linspace(0.5, 2, 4, dtype=np.float32)
    tol = 1e-6 if precision == "f32" else 1e-2
    np.testing.assert_allclose(out, want, rtol=tol, atol=tol)
    plan = compiled._device_model.plan_for(((2, 3, 4), (2, 3, 4)))
    assert [s.type for s in plan.steps] == ["Add", "Multiply"]
    assert all(len(s.launches) == 1 for s in plan.steps)
