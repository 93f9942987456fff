"""API conformance: batched input tensors. ``set_input_tensors([...])`` and
``set_tensors(port, [...])`` give an input (layout ``N...``) its batch one item per tensor:
the results equal one batched tensor's, the tensors are read at each inference, and
``get_tensor`` of that input and wrong batches raise ``RuntimeError``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino_testkit.device_support import compile_for
from openvino_testkit.models import batched_model

OV_CHECK_KIND = "api"

BATCH = 4
DATA = np.random.default_rng(11).standard_normal((BATCH, 3, 2, 2)).astype(np.float32)


@pytest.fixture(scope="module")
def compiled(ov_core: Any, ov_device: str) -> Any:
    return compile_for(ov_core, batched_model(BATCH).model, ov_device)


def _items(data: np.ndarray) -> list[ov.Tensor]:
    return [ov.Tensor(np.ascontiguousarray(data[i:i + 1])) for i in range(len(data))]


@pytest.mark.parametrize("how", ["set_input_tensors", "set_tensors_name",
                                 "set_tensors_port"])
def test_batched_tensors_equal_one_batched_tensor(compiled: Any, how: str) -> None:
    expected = batched_model(BATCH).truth(DATA)[0]
    request = compiled.create_infer_request()
    if how == "set_input_tensors":
        request.set_input_tensors(_items(DATA))
    elif how == "set_tensors_name":
        request.set_tensors("x", _items(DATA))
    else:
        request.set_tensors(compiled.input(0), _items(DATA))
    np.testing.assert_allclose(request.infer()[0], expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(compiled.create_infer_request().infer({0: DATA})[0], expected,
                               rtol=1e-6, atol=1e-6)


def test_item_tensors_are_read_at_each_inference(compiled: Any) -> None:
    request = compiled.create_infer_request()
    buffer = np.zeros((2 * BATCH, 3, 2, 2), np.float32)
    items = [ov.Tensor(np.expand_dims(buffer[2 * i], 0), shared_memory=True)
             for i in range(BATCH)]
    request.set_input_tensors(items)
    held = request.get_output_tensor().data
    for run in range(3):
        for i, t in enumerate(items):
            t.data[:] = run + i
        request.infer()
        for i in range(BATCH):
            np.testing.assert_allclose(held[i], np.full((3, 2, 2), 2 * (run + i) + 1),
                                       err_msg=f"run {run}, item {i} (the output tensor "
                                               "taken before the runs)")


def test_get_tensor_of_a_batched_input_raises(compiled: Any) -> None:
    request = compiled.create_infer_request()
    request.set_input_tensors(_items(DATA))
    with pytest.raises(RuntimeError, match="get_tensor shall not be used together with "
                                           "batched set_tensors/set_input_tensors"):
        request.get_tensor("x")


def test_wrong_batches_raise(compiled: Any) -> None:
    request = compiled.create_infer_request()
    with pytest.raises(RuntimeError, match="doesn't match with total blobs count: 3"):
        request.set_input_tensors(_items(DATA[:3]))
    with pytest.raises(RuntimeError, match="one item in a batch, 2 provided"):
        request.set_input_tensors([ov.Tensor(DATA[:2]), ov.Tensor(DATA[2:])])
    with pytest.raises(RuntimeError, match="empty tensors"):
        request.set_input_tensors([])
