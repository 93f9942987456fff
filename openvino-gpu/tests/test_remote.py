"""GPU remote memory: the default context, remote tensors, copies, pyopencl interop, and a
compiled model reading a remote tensor input on the device."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops


def _add_model(shape=(2, 3)):
    a = ops.parameter(list(shape), np.float32, name="a")
    b = ops.parameter(list(shape), np.float32, name="b")
    return ov.Model([ops.add(a, b)], [a, b], "add")


def test_default_context(core):
    context = core.get_default_context("GPU")
    assert isinstance(context, ov.RemoteContext)
    assert context.get_device_name().startswith("GPU")
    params = context.get_params()
    assert params["CONTEXT_TYPE"] == "OCL" and params["OCL_CONTEXT"] == context.context.int_ptr
    assert core.get_default_context("GPU") is context
    with pytest.raises(RuntimeError,
                       match="get_default_context is not supported by TEMPLATE"):
        core.get_default_context("TEMPLATE")


def test_remote_tensor_copies(core):
    context = core.get_default_context("GPU")
    tensor = context.create_tensor(ov.Type.f32, ov.Shape([2, 3]), {})
    assert isinstance(tensor, ov.RemoteTensor) and not isinstance(tensor, ov.Tensor)
    assert list(tensor.get_shape()) == [2, 3] and tensor.get_byte_size() == 24
    assert tensor.get_params()["SHARED_MEM_TYPE"] == "OCL_BUFFER"
    source = ov.Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    tensor.copy_from(source)
    back = ov.Tensor(ov.Type.f32, [2, 3])
    tensor.copy_to(back)
    np.testing.assert_array_equal(back.data, source.data)
    other = context.create_tensor(ov.Type.f32, [2, 3], {})
    tensor.copy_to(other)
    again = ov.Tensor(ov.Type.f32, [2, 3])
    other.copy_to(again)
    np.testing.assert_array_equal(again.data, source.data)
    with pytest.raises(RuntimeError, match="not implemented"):
        _ = tensor.data
    with pytest.raises(RuntimeError, match="shapes are not equal"):
        tensor.copy_to(ov.Tensor(ov.Type.f32, [3, 2]))
    with pytest.raises(RuntimeError, match="element types are not equal"):
        tensor.copy_from(ov.Tensor(ov.Type.i32, [2, 3]))
    with pytest.raises(RuntimeError, match="unknown properties"):
        context.create_tensor(ov.Type.f32, [2], {"BOGUS": 1})


def test_pyopencl_array_interop(core):
    cla = pytest.importorskip("pyopencl.array")
    context = core.get_default_context("GPU")
    values = np.linspace(0, 1, 6, dtype=np.float32).reshape(2, 3)
    user_array = cla.to_device(context.queue, values)
    tensor = context.create_tensor(ov.Type.f32, [2, 3], {"MEM_HANDLE": user_array})
    host = ov.Tensor(ov.Type.f32, [2, 3])
    tensor.copy_to(host)
    np.testing.assert_array_equal(host.data, values)
    np.testing.assert_array_equal(tensor.array.get(), values)
    with pytest.raises(RuntimeError, match="holds 24 bytes"):
        context.create_tensor(ov.Type.f32, [4, 3], {"MEM_HANDLE": user_array})


@pytest.mark.parametrize("precision", ["f32", "f16"])
def test_compiled_model_takes_remote_input(core, precision):
    context = core.get_default_context("GPU")
    compiled = core.compile_model(_add_model(), context, {"INFERENCE_PRECISION_HINT": precision})
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.full((2, 3), 0.5, np.float32)
    remote = context.create_tensor(ov.Type.f32, [2, 3], {})
    remote.copy_from(ov.Tensor(a))
    request = compiled.create_infer_request()
    request.set_input_tensor(0, remote)
    request.set_input_tensor(1, ov.Tensor(b))
    request.infer()
    np.testing.assert_allclose(request.get_output_tensor(0).data, a + b, rtol=1e-3)
    out = request.infer({0: remote, 1: b})[0]
    np.testing.assert_allclose(out, a + b, rtol=1e-3)
    with pytest.raises(RuntimeError):
        request.set_input_tensor(0, context.create_tensor(ov.Type.i32, [2, 3], {}))
