"""RemoteContext / RemoteTensor: the interfaces a device implements for its memory, and
the Core and InferRequest calls that use them."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino.plugin import DeviceCompiledModel, DeviceInferRequest
from openvino.plugin.reference import ReferencePlan

from .conftest import add_model
from .fake_devices import DeviceSource, FakePlugin

X = np.arange(8, dtype=np.float32)


class HostRemoteTensor(ov.RemoteTensor):
    """'Device memory' that is a private numpy array."""

    def __init__(self, et, shape, device_name):
        super().__init__(et, shape, device_name)
        self.memory = np.zeros(self._shape, et.to_dtype())

    def get_params(self):
        return {"MEM_HANDLE": id(self.memory)}

    def _copy_to_host(self, tensor):
        tensor.data[...] = self.memory

    def _copy_from_host(self, tensor):
        self.memory[...] = tensor.data

    def _copy_to_remote(self, other):
        other.memory[...] = self.memory


class HostContext(ov.RemoteContext):
    def create_tensor(self, type, shape, properties):
        return HostRemoteTensor(type, list(shape), self.get_device_name())


class _Request(DeviceInferRequest):
    def infer(self, inputs):
        arrays = [t.memory if isinstance(t, HostRemoteTensor) else t.data for t in inputs]
        self.compiled_model.plugin.saw_remote = any(isinstance(t, ov.RemoteTensor)
                                                    for t in inputs)
        return [ov.Tensor(np.asarray(v)) for v in self.compiled_model.plan.run(arrays)]


class _Compiled(DeviceCompiledModel):
    def __init__(self, plugin, model, config):
        super().__init__(plugin, model.clone(), config)
        self.plan = ReferencePlan(self.model)

    def create_sync_request(self):
        return _Request(self)


class RemotePlugin(FakePlugin):
    saw_remote = False

    def get_default_context(self, device_id=""):
        return HostContext(self.name)

    def compile_model(self, model, config):
        self.compiled_on.append(dict(config))
        return _Compiled(self, model, config)


def test_contexts_of_devices_without_remote_memory(register):
    core = ov.Core()
    with pytest.raises(RuntimeError,
                       match="get_default_context is not supported by TEMPLATE plugin"):
        core.get_default_context("TEMPLATE")
    with pytest.raises(RuntimeError, match="create_context is not supported by TEMPLATE"):
        core.create_context("TEMPLATE", {})
    with pytest.raises(RuntimeError, match="not registered"):
        core.get_default_context("NOPE")


def test_remote_tensor_base_checks_and_copies(register):
    register(DeviceSource(lambda: RemotePlugin("REMOTE")))
    core = ov.Core()
    context = core.get_default_context("REMOTE")
    assert isinstance(context, ov.RemoteContext) and context.get_device_name() == "REMOTE"
    tensor = context.create_tensor(ov.Type.f32, ov.Shape([8]), {})
    assert list(tensor.get_shape()) == [8] and tensor.get_byte_size() == 32
    assert tensor.get_device_name() == "REMOTE"
    tensor.copy_from(ov.Tensor(X))
    out = ov.Tensor(ov.Type.f32, [8])
    tensor.copy_to(out)
    np.testing.assert_array_equal(out.data, X)
    other = context.create_tensor(ov.Type.f32, [8], {})
    other.copy_from(tensor)
    np.testing.assert_array_equal(other.memory, X)
    with pytest.raises(RuntimeError, match="not implemented"):
        _ = tensor.data
    with pytest.raises(RuntimeError, match="element types are not equal"):
        tensor.copy_to(ov.Tensor(ov.Type.i32, [8]))
    with pytest.raises(RuntimeError, match="shapes are not equal"):
        tensor.copy_from(ov.Tensor(ov.Type.f32, [4]))
    with pytest.raises(TypeError, match="Tensor or RemoteTensor"):
        tensor.copy_to(X)
    host = context.create_host_tensor(ov.Type.f32, [2])
    assert isinstance(host, ov.Tensor) and list(host.get_shape()) == [2]
    # the base interface: a device that implements nothing says so
    bare = ov.RemoteContext("BARE")
    with pytest.raises(RuntimeError, match="create_tensor is not supported by BARE"):
        bare.create_tensor(ov.Type.f32, [1], {})


def test_request_takes_remote_tensor_and_compiles_on_context(register):
    source = register(DeviceSource(lambda: RemotePlugin("REMOTE")))
    core = ov.Core()
    context = core.get_default_context("REMOTE")
    compiled = core.compile_model(add_model(), context)
    assert compiled.get_property("EXECUTION_DEVICES") == ["REMOTE"]
    remote = context.create_tensor(ov.Type.f32, [8], {})
    remote.copy_from(ov.Tensor(X))
    request = compiled.create_infer_request()
    request.set_input_tensor(0, remote)
    request.set_input_tensor(1, ov.Tensor(X))
    request.infer()
    assert source.last["REMOTE"].saw_remote
    np.testing.assert_array_equal(request.get_output_tensor(0).data, 2 * X)
    np.testing.assert_array_equal(request.infer({0: remote, 1: X})[0], 2 * X)
    with pytest.raises(RuntimeError, match="cannot take a tensor of i32"):
        request.set_input_tensor(0, context.create_tensor(ov.Type.i32, [8], {}))


def test_remote_tensor_as_output(register):
    # a device without its own infer_into: the SDK default copies the output in
    register(DeviceSource(lambda: RemotePlugin("REMOTE")))
    core = ov.Core()
    context = core.get_default_context("REMOTE")
    compiled = core.compile_model(add_model(), context)
    request = compiled.create_infer_request()
    out = context.create_tensor(ov.Type.f32, [8], {})
    request.set_output_tensor(out)
    results = request.infer([X, X])
    assert results[0] is out and request.get_output_tensor(0) is out
    assert request.results[0] is out
    np.testing.assert_array_equal(out.memory, 2 * X)
    request.start_async([X, 3 * X])
    request.wait()
    np.testing.assert_array_equal(out.memory, 4 * X)
    # by tensor name too; a host tensor again afterwards
    other = context.create_tensor(ov.Type.f32, [8], {})
    request.set_tensor("y", other)
    request.infer([X, X])
    np.testing.assert_array_equal(other.memory, 2 * X)
    request.set_output_tensor(ov.Tensor(ov.Type.f32, [8]))
    np.testing.assert_array_equal(request.infer([X, X])[0], 2 * X)
    with pytest.raises(RuntimeError, match="holds f32, got a tensor of i32"):
        request.set_output_tensor(context.create_tensor(ov.Type.i32, [8], {}))
    with pytest.raises(TypeError, match="set_output_tensor expects a Tensor"):
        request.set_output_tensor(X)
