"""Every example of the seed page, in both spellings, with the device changed to AUTO or
TEMPLATE (the only device a core-only install has)."""

from __future__ import annotations

import importlib
import threading

import numpy as np
import pytest

SPELLINGS = ["openvino.runtime", "openvino"]
DEVICES = ["AUTO", "TEMPLATE"]


@pytest.fixture(params=SPELLINGS)
def ov(request):
    return importlib.import_module(request.param)


def test_both_spellings_are_the_same_objects():
    import openvino
    import openvino.runtime

    for name in ("Core", "CompiledModel", "InferRequest", "AsyncInferQueue", "Model",
                 "Tensor", "Type", "compile_model", "ProfilingInfo"):
        assert getattr(openvino.runtime, name) is getattr(openvino, name)
    assert openvino.runtime.opset8 is openvino.opset8
    assert openvino.runtime.properties is openvino.properties
    assert openvino.runtime.utils is openvino.utils


def test_compile_model_helper_runs_as_written(ov, tmp_path, monkeypatch):
    x = ov.opset8.parameter([8], np.float32)
    ov.serialize(ov.Model(ov.opset8.absolute(x), [x]), str(tmp_path / "model.xml"))
    monkeypatch.chdir(tmp_path)

    compiled_model = ov.compile_model("model.xml")

    out = compiled_model({0: -np.arange(8, dtype=np.float32)})
    np.testing.assert_array_equal(out[0], np.arange(8, dtype=np.float32))
    assert compiled_model.get_property("EXECUTION_DEVICES") == ["TEMPLATE"]


@pytest.mark.parametrize("device", DEVICES)
def test_inputs_and_outputs(ov, device, capsys):
    core = ov.Core()

    input_a = ov.opset8.parameter([8])
    res = ov.opset8.absolute(input_a)
    model = ov.Model(res, [input_a])
    compiled = core.compile_model(model, device)

    print(model.inputs)
    print(model.outputs)

    print(compiled.inputs)
    print(compiled.outputs)
    printed = capsys.readouterr().out
    assert printed.count("shape[8]") == 4
    assert len(compiled.inputs) == 1 and len(compiled.outputs) == 1


def test_working_with_tensor(ov):
    data_float64 = np.ones(shape=(2, 8))

    tensor = ov.Tensor(data_float64)
    assert tensor.element_type == ov.Type.f64

    data_int32 = np.ones(shape=(2, 8), dtype=np.int32)

    tensor = ov.Tensor(data_int32)
    assert tensor.element_type == ov.Type.i32

    data_to_share = np.ones(shape=(2, 8))

    shared_tensor = ov.Tensor(data_to_share, shared_memory=True)

    data_to_share[0][2] = 6.0
    assert shared_tensor.data[0][2] == 6.0

    shared_tensor.data[0][2] = 0.6
    assert data_to_share[0][2] == 0.6


@pytest.mark.parametrize("device", DEVICES)
def test_running_inference(ov, device):
    core = ov.Core()
    input_a = ov.opset8.parameter([8])
    res = ov.opset8.absolute(input_a)
    model = ov.Model(res, [input_a])
    compiled = core.compile_model(model, device)
    compiled_model = compiled
    infer_request = compiled.create_infer_request()
    data = np.array([-1, 2, -3, 4, -5, 6, -7, 8], np.float32)
    expected = np.abs(data)

    infer_request.infer(inputs={0: data})
    infer_request.infer(inputs=[data])

    results = infer_request.get_output_tensor().data
    np.testing.assert_array_equal(results, expected)
    results = infer_request.get_tensor(compiled.outputs[0]).data
    np.testing.assert_array_equal(results, expected)
    results = list(infer_request.results.values())
    np.testing.assert_array_equal(results[0], expected)

    results = infer_request.infer(inputs={0: data})
    np.testing.assert_array_equal(results[0], expected)
    results = compiled_model(inputs={0: data})
    np.testing.assert_array_equal(results[0], expected)


@pytest.mark.parametrize("device", DEVICES)
def test_async_infer_queue_with_callbacks(ov, device, capsys):
    core = ov.Core()

    input_a = ov.opset8.parameter([8])
    input_b = ov.opset8.parameter([8])
    res = ov.opset8.add(input_a, input_b)
    model = ov.Model(res, [input_a, input_b])
    compiled = core.compile_model(model, device)

    jobs = 4
    infer_queue = ov.AsyncInferQueue(compiled, jobs)

    data = [np.array([i] * 8, dtype=np.float32) for i in range(jobs)]

    for i in range(len(data)):
        infer_queue.start_async({0: data[i], 1: data[i]})
    infer_queue.wait_all()

    results = infer_queue[3].get_output_tensor().data
    np.testing.assert_array_equal(results, np.full(8, 6, np.float32))

    data_done = [False for _ in range(jobs)]

    def f(request, userdata):
        print(f"Done! Result: {request.get_output_tensor().data}")
        data_done[userdata] = True

    infer_queue.set_callback(f)

    for i in range(len(data)):
        infer_queue.start_async({0: data[i], 1: data[i]}, userdata=i)
    infer_queue.wait_all()

    assert all(data_done)
    assert capsys.readouterr().out.count("Done! Result:") == jobs


def test_low_precision_helpers(ov):
    from openvino.helpers import pack_data, unpack_data

    unt8_data = np.random.default_rng(0).integers(0, 16, size=(1, 128), dtype=np.uint8)
    packed_buffer = pack_data(unt8_data, ov.Type.u4)
    t = ov.Tensor(packed_buffer, [1, 128], ov.Type.u4)

    unpacked_data = unpack_data(t.data, t.element_type, t.shape)
    assert np.array_equal(unpacked_data, unt8_data)


@pytest.mark.parametrize("device", DEVICES)
def test_release_of_gil_example(ov, device, tmp_path):
    x = ov.opset8.parameter([1, 3, 4, 4], np.float32)
    ov.serialize(ov.Model(ov.opset8.relu(x), [x]), str(tmp_path / "model.xml"))
    input_data = []

    def prepare_data(input, image_path):
        h, w = list(input.shape)[-2:]
        image = np.full((h, w, 3), -1.0 if image_path else 1.0, np.float32)
        image = image.transpose((2, 0, 1))
        image = np.expand_dims(image, 0)
        input_data.append(image)

    core = ov.Core()
    model = core.read_model(str(tmp_path / "model.xml"))
    thread = threading.Thread(target=prepare_data, args=[model.input(), "path/to/image"])
    thread.start()
    compiled = core.compile_model(model, device)
    request = compiled.create_infer_request()
    thread.join()
    out = request.infer(input_data)
    assert out[0].shape == (1, 3, 4, 4) and (out[0] == 0).all()
