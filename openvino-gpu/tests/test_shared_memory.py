"""GPU memory shared with the user: contexts over the user's OpenCL context or queue
(``Core.create_context``), remote tensors as outputs and passed from one request to another
on the device, and zero-copy host inputs and outputs on a device sharing host memory."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops

cl = pytest.importorskip("pyopencl")


def _model(shape=(2, 3)):
    a = ops.parameter(list(shape), np.float32, name="a")
    b = ops.parameter(list(shape), np.float32, name="b")
    out = ops.relu(ops.add(ops.multiply(a, b), b))
    out.output(0).get_tensor().set_names({"y"})
    return ov.Model([out], [a, b], "mul_add_relu")


def _expected(a, b):
    return np.maximum(a * b + b, 0)


def _data(seed, shape=(2, 3)):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape).astype(np.float32),
            rng.standard_normal(shape).astype(np.float32))


@pytest.fixture
def cl_device(gpu_available):
    from openvino_gpu.devices import opencl_devices

    return opencl_devices()[0].cl_device


class HostTransfers:
    """Counts ``pyopencl.enqueue_copy`` calls with a host array on either side."""

    def __init__(self, monkeypatch):
        self.count = 0
        real = cl.enqueue_copy

        def counting(queue, dest, src, **kwargs):
            if isinstance(dest, np.ndarray) or isinstance(src, np.ndarray):
                self.count += 1
            return real(queue, dest, src, **kwargs)

        monkeypatch.setattr(cl, "enqueue_copy", counting)


# --- Core.create_context -----------------------------------------------------------------------
def test_create_context_over_user_context(core, cl_device):
    user_ctx = cl.Context([cl_device])
    context = core.create_context("GPU", {"CONTEXT_TYPE": "OCL",
                                          "OCL_CONTEXT": user_ctx.int_ptr,
                                          "OCL_CONTEXT_DEVICE_ID": 0})
    assert isinstance(context, ov.RemoteContext)
    assert context.get_device_name().startswith("GPU")
    assert context.context.int_ptr == user_ctx.int_ptr
    assert context.context.int_ptr != core.get_default_context("GPU").context.int_ptr
    params = context.get_params()
    assert params["CONTEXT_TYPE"] == "OCL" and params["OCL_CONTEXT"] == user_ctx.int_ptr
    assert params["OCL_CONTEXT_DEVICE_ID"] == 0

    compiled = core.compile_model(_model(), context, {"INFERENCE_PRECISION_HINT": "f32"})
    a, b = _data(1)
    # tensors of the user's context, made by the user (pyopencl) and by OpenVINO
    queue = cl.CommandQueue(user_ctx)
    user_buf = cl.Buffer(user_ctx, cl.mem_flags.READ_WRITE, a.nbytes)
    cl.enqueue_copy(queue, user_buf, a)
    queue.finish()
    remote_a = context.create_tensor(ov.Type.f32, [2, 3], {"MEM_HANDLE": user_buf})
    remote_b = context.create_tensor(ov.Type.f32, [2, 3], {})
    remote_b.copy_from(ov.Tensor(b))
    request = compiled.create_infer_request()
    request.set_input_tensor(0, remote_a)
    request.set_input_tensor(1, remote_b)
    request.infer()
    np.testing.assert_allclose(request.get_output_tensor(0).data, _expected(a, b), rtol=1e-6)
    # host inputs work the same on the user's context
    np.testing.assert_allclose(compiled([a, b])[0], _expected(a, b), rtol=1e-6)
    # a tensor of the default context reaches this compiled model through the host
    other = core.get_default_context("GPU").create_tensor(ov.Type.f32, [2, 3], {})
    other.copy_from(ov.Tensor(a))
    np.testing.assert_allclose(request.infer({0: other, 1: b})[0], _expected(a, b),
                               rtol=1e-6)


def test_create_context_over_user_queue(core, cl_device):
    user_ctx = cl.Context([cl_device])
    queue = cl.CommandQueue(user_ctx)
    context = core.create_context("GPU", {"CONTEXT_TYPE": "OCL", "OCL_QUEUE": queue.int_ptr})
    assert context.context.int_ptr == user_ctx.int_ptr
    assert context.get_params()["OCL_QUEUE"] == queue.int_ptr
    compiled = core.compile_model(_model(), context, {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    a, b = _data(2)
    np.testing.assert_allclose(request.infer([a, b])[0], _expected(a, b), rtol=1e-6)
    # the requests run on the user's queue
    assert request._request._get_queue().int_ptr == queue.int_ptr


def test_create_context_bad_properties(core, cl_device):
    user_ctx = cl.Context([cl_device])
    with pytest.raises(RuntimeError, match="CONTEXT_TYPE is not set"):
        core.create_context("GPU", {"OCL_CONTEXT": user_ctx.int_ptr})
    with pytest.raises(RuntimeError, match="CONTEXT_TYPE 'VA_SHARED' is not supported"):
        core.create_context("GPU", {"CONTEXT_TYPE": "VA_SHARED", "VA_DEVICE": 1})
    with pytest.raises(RuntimeError, match="needs OCL_CONTEXT"):
        core.create_context("GPU", {"CONTEXT_TYPE": "OCL"})
    with pytest.raises(RuntimeError, match="OCL_CONTEXT must be a cl_context handle"):
        core.create_context("GPU", {"CONTEXT_TYPE": "OCL", "OCL_CONTEXT": "abc"})
    with pytest.raises(RuntimeError, match="OCL_CONTEXT_DEVICE_ID 3"):
        core.create_context("GPU", {"CONTEXT_TYPE": "OCL", "OCL_CONTEXT": user_ctx.int_ptr,
                                    "OCL_CONTEXT_DEVICE_ID": 3})
    with pytest.raises(RuntimeError, match=r"unknown properties \['BOGUS'\]"):
        core.create_context("GPU", {"CONTEXT_TYPE": "OCL", "OCL_CONTEXT": user_ctx.int_ptr,
                                    "BOGUS": 1})
    other_queue = cl.CommandQueue(cl.Context([cl_device]))
    with pytest.raises(RuntimeError, match="another OpenCL context"):
        core.create_context("GPU", {"CONTEXT_TYPE": "OCL", "OCL_CONTEXT": user_ctx.int_ptr,
                                    "OCL_QUEUE": other_queue.int_ptr})
    with pytest.raises(RuntimeError, match="create_context is not supported by TEMPLATE"):
        core.create_context("TEMPLATE", {"CONTEXT_TYPE": "OCL"})


def test_user_context_memory_released(core, cl_device):
    user_ctx = cl.Context([cl_device])
    context = core.create_context("GPU", {"CONTEXT_TYPE": "OCL",
                                          "OCL_CONTEXT": user_ctx.int_ptr})
    a, b = _data(3)
    gc.collect()
    before = core.get_property("GPU", "GPU_MEMORY_STATISTICS")["cl_mem"]
    for _ in range(2):
        compiled = core.compile_model(_model(), context)
        compiled([a, b])
        assert core.get_property("GPU", "GPU_MEMORY_STATISTICS")["cl_mem"] > before
        del compiled
        gc.collect()
        assert core.get_property("GPU", "GPU_MEMORY_STATISTICS")["cl_mem"] == before


# --- remote tensors as outputs ---------------------------------------------------------------
@pytest.mark.parametrize("setter", ["set_output_tensor", "set_tensor"])
def test_remote_output_stays_on_device(core, monkeypatch, setter):
    context = core.get_default_context("GPU")
    compiled = core.compile_model(_model(), context, {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    out = context.create_tensor(ov.Type.f32, [2, 3], {})
    if setter == "set_output_tensor":
        request.set_output_tensor(0, out)
    else:
        request.set_tensor("y", out)
    remote_a = context.create_tensor(ov.Type.f32, [2, 3], {})
    remote_b = context.create_tensor(ov.Type.f32, [2, 3], {})
    a, b = _data(4)
    remote_a.copy_from(ov.Tensor(a))
    remote_b.copy_from(ov.Tensor(b))
    request.set_input_tensor(0, remote_a)
    request.set_input_tensor(1, remote_b)
    transfers = HostTransfers(monkeypatch)
    results = request.infer()
    assert transfers.count == 0  # inputs, compute and output all on the device
    assert request.get_output_tensor(0) is out
    assert results[0] is out
    host = ov.Tensor(ov.Type.f32, [2, 3])
    out.copy_to(host)
    np.testing.assert_allclose(host.data, _expected(a, b), rtol=1e-6)
    # the next run overwrites it, asynchronously too
    a2, b2 = _data(5)
    remote_a.copy_from(ov.Tensor(a2))
    remote_b.copy_from(ov.Tensor(b2))
    request.start_async()
    request.wait()
    out.copy_to(host)
    np.testing.assert_allclose(host.data, _expected(a2, b2), rtol=1e-6)


def test_remote_output_feeds_another_request(core, monkeypatch):
    context = core.get_default_context("GPU")
    config = {"INFERENCE_PRECISION_HINT": "f32"}
    first = core.compile_model(_model(), context, config).create_infer_request()
    second = core.compile_model(_model(), context, config).create_infer_request()
    between = context.create_tensor(ov.Type.f32, [2, 3], {})
    first.set_output_tensor(between)
    second.set_input_tensor(0, between)
    a, b = _data(6)
    remote_a = context.create_tensor(ov.Type.f32, [2, 3], {})
    remote_b = context.create_tensor(ov.Type.f32, [2, 3], {})
    remote_a.copy_from(ov.Tensor(a))
    remote_b.copy_from(ov.Tensor(b))
    first.set_input_tensor(0, remote_a)
    first.set_input_tensor(1, remote_b)
    second.set_input_tensor(1, remote_b)
    final = context.create_tensor(ov.Type.f32, [2, 3], {})
    second.set_output_tensor(final)
    transfers = HostTransfers(monkeypatch)
    first.infer()
    second.infer()
    assert transfers.count == 0
    host = ov.Tensor(ov.Type.f32, [2, 3])
    final.copy_to(host)
    np.testing.assert_allclose(host.data, _expected(_expected(a, b), b), rtol=1e-5)


@pytest.mark.parametrize("precision", ["f32", "f16"])
def test_remote_output_values(core, monkeypatch, precision):
    # f16 storage: inputs and the result are converted on the device (kernels/boundary.cl)
    context = core.get_default_context("GPU")
    compiled = core.compile_model(_model((13, 11)), context,
                                  {"INFERENCE_PRECISION_HINT": precision})
    request = compiled.create_infer_request()
    out = context.create_tensor(ov.Type.f32, [13, 11], {})
    request.set_output_tensor(out)
    a, b = _data(7, (13, 11))
    remote_a = context.create_tensor(ov.Type.f32, [13, 11], {})
    remote_b = context.create_tensor(ov.Type.f32, [13, 11], {})
    remote_a.copy_from(ov.Tensor(a))
    remote_b.copy_from(ov.Tensor(b))
    transfers = HostTransfers(monkeypatch)
    request.infer([remote_a, remote_b])
    assert transfers.count == 0
    host = ov.Tensor(ov.Type.f32, [13, 11])
    out.copy_to(host)
    tol = 1e-6 if precision == "f32" else 2e-2
    np.testing.assert_allclose(host.data, _expected(a, b), rtol=tol, atol=tol)
    with pytest.raises(RuntimeError, match="holds f32, got a tensor of i32"):
        request.set_output_tensor(context.create_tensor(ov.Type.i32, [13, 11], {}))


def test_remote_output_of_wrong_shape(core):
    context = core.get_default_context("GPU")
    a = ops.parameter([-1, 3], np.float32, name="a")
    compiled = core.compile_model(ov.Model([ops.relu(a)], [a]), context)
    request = compiled.create_infer_request()
    request.set_output_tensor(context.create_tensor(ov.Type.f32, [4, 3], {}))
    with pytest.raises(RuntimeError, match="shapes are not equal"):
        request.infer([np.ones((2, 3), np.float32)])
    # a matching input shape runs, and the request stays usable
    request.infer([np.full((4, 3), -1, np.float32)])


# --- zero-copy host memory ---------------------------------------------------------------------
def _aligned(values, align=4096):
    raw = np.empty(values.nbytes + align, np.uint8)
    start = (-raw.ctypes.data) % align
    out = raw[start:start + values.nbytes].view(values.dtype).reshape(values.shape)
    out[...] = values
    return out


def test_zero_copy_inputs_and_outputs(core, monkeypatch):
    from openvino_gpu.devices import opencl_devices

    if not opencl_devices()[0].is_integrated:
        pytest.skip("the device does not share host memory")
    compiled = core.compile_model(_model((64, 64)), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    a, b = (_aligned(v) for v in _data(8, (64, 64)))
    transfers = HostTransfers(monkeypatch)
    got = request.infer([a, b], share_inputs=True, share_outputs=True)[0]
    assert transfers.count == 0  # neither inputs nor the output were copied
    np.testing.assert_allclose(got, _expected(a, b), rtol=1e-6)
    binding = next(iter(request._request._bindings.values()))
    # the kernels read the input arrays themselves and wrote the output's host array
    for index, array in enumerate((a, b)):
        bound = binding.input_bound[index]
        assert bound.get_host_array(array.shape, array.dtype).ctypes.data == array.ctypes.data
    host = binding.host_outputs[0]
    assert host is not None and got.ctypes.data == host.ctypes.data
    assert binding.outputs[0].get_host_array(host.shape, host.dtype).ctypes.data \
        == host.ctypes.data
    # new values in the same arrays are read in place on the next run
    a[...] = 2.0
    np.testing.assert_allclose(request.infer([a, b], share_inputs=True)[0],
                               _expected(a, b), rtol=1e-6)
    assert transfers.count == 0


def test_unaligned_inputs_are_copied(core, monkeypatch):
    from openvino_gpu.devices import opencl_devices

    dev = opencl_devices()[0]
    compiled = core.compile_model(_model((8, 8)), "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    a, b = _data(9, (8, 8))
    raw = np.empty(a.nbytes + 4 + dev.base_align, np.uint8)
    start = (-raw.ctypes.data) % dev.base_align + 4  # 4 bytes past an aligned address
    shifted = raw[start:start + a.nbytes].view(np.float32).reshape(a.shape)
    shifted[...] = a
    transfers = HostTransfers(monkeypatch)
    got = request.infer([shifted, _aligned(b)], share_inputs=True)[0]
    np.testing.assert_allclose(got, _expected(a, b), rtol=1e-6)
    binding = next(iter(request._request._bindings.values()))
    assert binding.input_bound[0] is binding.inputs[0]  # the arena: copied in
    assert transfers.count >= 1
    # and back to in place for an aligned array
    got = request.infer([_aligned(a), _aligned(b)], share_inputs=True)[0]
    np.testing.assert_allclose(got, _expected(a, b), rtol=1e-6)
    if dev.is_integrated:
        assert binding.input_bound[0] is not binding.inputs[0]


def test_input_passed_to_output_is_copied(core):
    # an output that is the input's own memory (a Reshape view) keeps the copy path
    a = ops.parameter([2, 6], np.float32, name="a")
    b = ops.parameter([3, 4], np.float32, name="b")
    view = ops.reshape(a, [3, 4], False)
    model = ov.Model([view, ops.add(view, b)], [a, b])
    compiled = core.compile_model(model, "GPU", {"INFERENCE_PRECISION_HINT": "f32"})
    x = _aligned(np.arange(12, dtype=np.float32).reshape(2, 6))
    y = _aligned(np.ones((3, 4), np.float32))
    for _ in range(2):
        r = compiled.create_infer_request().infer([x, y], share_inputs=True)
        np.testing.assert_array_equal(r[0], x.reshape(3, 4))
        np.testing.assert_array_equal(r[1], x.reshape(3, 4) + 1)
