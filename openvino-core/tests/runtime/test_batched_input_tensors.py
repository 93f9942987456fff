"""Batched inputs: ``set_input_tensors([...])`` / ``set_tensors(port, [...])`` split a batch
over tensors of one item each, with OpenVINO's rules and errors naming the input."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops

ITEM = (1, 2, 2, 2)


def batched_model(batch: int | None = 4, layout: str | None = "N...") -> ov.Model:
    """``x + 1`` on an f32[batch,2,2,2] input (batch None: dynamic)."""
    x = ops.parameter([-1 if batch is None else batch, 2, 2, 2], np.float32, name="input0")
    x.output(0).get_tensor().set_names({"tensor_input0"})
    if layout:
        x.set_layout(ov.Layout(layout))
    res = ops.result(ops.add(x, ops.constant(np.float32(1))), name="Result0")
    res.output(0).get_tensor().set_names({"tensor_output0"})
    return ov.Model([res], [x], "batched")


def items(values, dtype=np.float32, shape=ITEM) -> list[ov.Tensor]:
    return [ov.Tensor(np.full(shape, v, dtype)) for v in values]


@pytest.fixture(params=["TEMPLATE", "AUTO"])
def device(request) -> str:
    return request.param


def test_batched_equals_one_batched_tensor(core, device):
    compiled = core.compile_model(batched_model(), device)
    data = np.random.default_rng(3).standard_normal((4, 2, 2, 2)).astype(np.float32)
    whole = compiled.create_infer_request().infer({0: data})[0]
    request = compiled.create_infer_request()
    request.set_input_tensors([ov.Tensor(data[i:i + 1]) for i in range(4)])
    np.testing.assert_array_equal(request.infer()[0], whole)
    request = compiled.create_infer_request()
    request.set_tensors("tensor_input0", [ov.Tensor(data[i:i + 1]) for i in range(4)])
    np.testing.assert_array_equal(request.infer()[0], whole)
    request.set_tensors(compiled.input(0), [ov.Tensor(data[i:i + 1]) for i in range(4)])
    np.testing.assert_array_equal(request.infer()[0], whole)


def test_item_tensors_are_read_at_each_inference(core, device):
    # non-contiguous items of one buffer, shared; the output tensor taken before the
    # first run receives every run's results
    compiled = core.compile_model(batched_model(), device)
    request = compiled.create_infer_request()
    buffer = np.zeros((8, 2, 2, 2), np.float32)
    tensors = [ov.Tensor(np.expand_dims(buffer[i * 2], 0), shared_memory=True)
               for i in range(4)]
    request.set_input_tensors(tensors)
    actual = request.get_tensor("tensor_output0").data
    for run in range(3):
        for i, t in enumerate(tensors):
            t.data[:] = run * 10 + i
        request.infer()
        for i in range(4):
            np.testing.assert_array_equal(actual[i], np.full((2, 2, 2), run * 10 + i + 1))


def test_get_tensor_of_a_batched_input_raises(core):
    compiled = core.compile_model(batched_model(), "TEMPLATE")
    request = compiled.create_infer_request()
    request.set_input_tensors(items(range(4)))
    for get in (lambda: request.get_tensor("tensor_input0"), request.get_input_tensor,
                lambda: request.input_tensors):
        with pytest.raises(RuntimeError, match="get_tensor shall not be used together with "
                                               "batched set_tensors/set_input_tensors for the "
                                               "input 'tensor_input0'"):
            get()
    # a plain tensor (or an infer value) for the input ends the batched mode
    request.set_input_tensor(ov.Tensor(np.ones((4, 2, 2, 2), np.float32)))
    np.testing.assert_array_equal(request.infer()[0], np.full((4, 2, 2, 2), 2))
    request.set_input_tensors(items(range(4)))
    out = request.infer({0: np.zeros((4, 2, 2, 2), np.float32)})[0]
    np.testing.assert_array_equal(out, np.ones((4, 2, 2, 2)))
    np.testing.assert_array_equal(request.get_input_tensor().data, np.zeros((4, 2, 2, 2)))


def test_dynamic_batch_takes_the_tensor_count(core, device):
    compiled = core.compile_model(batched_model(batch=None), device)
    request = compiled.create_infer_request()
    request.set_input_tensors(items([1, 2, 3]))
    np.testing.assert_array_equal(request.infer()[0][:, 0, 0, 0], [2, 3, 4])
    request.set_tensors("tensor_input0", items([5, 6]))
    assert request.infer()[0].shape == (2, 2, 2, 2)


def test_one_tensor_is_a_plain_set_tensor(core):
    compiled = core.compile_model(batched_model(batch=1), "TEMPLATE")
    request = compiled.create_infer_request()
    one = items([7])
    request.set_input_tensors(one)
    assert request.get_input_tensor() is one[0]
    with pytest.raises(RuntimeError, match="cannot take data of shape"):
        core.compile_model(batched_model(), "TEMPLATE").create_infer_request() \
            .set_input_tensors(items([1]))


@pytest.mark.parametrize(("case", "call", "error", "match"), [
    ("count", lambda r: r.set_input_tensors(items(range(3))), RuntimeError,
     r"Input shape \[4,2,2,2\] batch 4 doesn't match with total blobs count: 3 "
     r"\(the input 'tensor_input0'"),
    ("item batch", lambda r: r.set_input_tensors(items(range(2), shape=(2, 2, 2, 2))),
     RuntimeError, "Tensors shall represent one item in a batch, 2 provided"),
    ("item shape", lambda r: r.set_input_tensors(items(range(4), shape=(1, 2, 2, 3))),
     RuntimeError, r"input 'tensor_input0' \(f32\[4,2,2,2\]\) cannot take data of shape"),
    ("mixed shapes",
     lambda r: r.set_input_tensors(items(range(3)) + items([3], shape=(1, 2, 2, 1))),
     RuntimeError, r"shape \[1, 2, 2, 1\] is not compatible with the tensor with element "
                   r"type f32 and shape \[1, 2, 2, 2\]"),
    ("element type", lambda r: r.set_input_tensors(items(range(4), dtype=np.int32)),
     RuntimeError, "input 'tensor_input0' .* cannot take a tensor of i32"),
    ("empty", lambda r: r.set_input_tensors([]), RuntimeError,
     "can't be called with empty tensors"),
    ("not tensors", lambda r: r.set_input_tensors([np.zeros(ITEM, np.float32)] * 4),
     TypeError, "expects Tensors, got ndarray"),
    ("not a list", lambda r: r.set_tensors("tensor_input0", items([1])[0]), TypeError,
     "expects a list of Tensors"),
    ("an output", lambda r: r.set_tensors("tensor_output0", items(range(4))), RuntimeError,
     "Cannot find input tensors for port"),
    ("unknown name", lambda r: r.set_tensors("nope", items(range(4))), RuntimeError,
     "Port for tensor name nope was not found"),
])
def test_wrong_batches_are_refused(core, case, call, error, match):
    request = core.compile_model(batched_model(), "TEMPLATE").create_infer_request()
    with pytest.raises(error, match=match):
        call(request)


@pytest.mark.parametrize(("layout", "shape", "match"), [
    (None, [4, 2, 2, 2], r"N\(batch\) dimension 'layout' defined. Current layout is \[\.\.\.\]"),
    ("C...", [4, 2, 2, 2], r"Current layout is \[C,\.\.\.\]"),
    ("CN??", [2, 4, 2, 2], "not currently supported for batch dimension index 1 != 0"),
])
def test_the_input_needs_a_leading_batch_in_its_layout(core, layout, shape, match):
    x = ops.parameter(shape, np.float32, name="x")
    if layout:
        x.set_layout(ov.Layout(layout))
    request = core.compile_model(ov.Model([ops.relu(x)], [x]), "TEMPLATE") \
        .create_infer_request()
    with pytest.raises(RuntimeError, match=match):
        request.set_input_tensors(items(range(4), shape=(1, *shape[1:])))


def test_set_input_tensors_list_needs_a_one_input_model(core):
    a = ops.parameter([2, 3], np.float32, name="a")
    a.set_layout(ov.Layout("NC"))
    b = ops.parameter([2, 3], np.float32, name="b")
    compiled = core.compile_model(ov.Model([ops.add(a, b)], [a, b]), "TEMPLATE")
    request = compiled.create_infer_request()
    with pytest.raises(RuntimeError, match="single-input models only. Model has 2 inputs"):
        request.set_input_tensors(items([1, 2], shape=(1, 3)))
    request.set_tensors("a", items([1, 2], shape=(1, 3)))
    out = request.infer({"b": np.full((2, 3), 10, np.float32)})[0]
    np.testing.assert_array_equal(out, [[11] * 3, [12] * 3])
