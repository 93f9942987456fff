"""API conformance: models with dynamic and bounded dimensions: each inference takes the
shape of its data, outputs follow, and data outside the bounds is rejected."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino_testkit.async_driver import drive_queue
from openvino_testkit.device_support import compile_for
from openvino_testkit.models import bounded_model, dynamic_model

OV_CHECK_KIND = "api"

BATCHES = (3, 1, 8)


@pytest.fixture(scope="module")
def dynamic(ov_core: Any, ov_device: str) -> Any:
    return compile_for(ov_core, dynamic_model().model, ov_device)


def _x(batch: int) -> np.ndarray:
    return np.linspace(-2, 2, batch * 4, dtype=np.float32).reshape(batch, 4)


def test_ports_stay_dynamic(dynamic: Any) -> None:
    assert dynamic.input(0).get_partial_shape().is_dynamic
    assert dynamic.output(0).get_partial_shape().is_dynamic


@pytest.mark.parametrize("form", ["array", "tensor"])
def test_batches(dynamic: Any, form: str) -> None:
    truth = dynamic_model().truth
    request = dynamic.create_infer_request()
    for batch in BATCHES:
        x = _x(batch)
        got = request.infer([x if form == "array" else ov.Tensor(x)])[0]
        assert got.shape == (batch, 4), f"batch {batch}: output shape {got.shape}"
        np.testing.assert_allclose(got, truth(x)[0], rtol=1e-5, atol=1e-5)
        assert tuple(request.get_input_tensor(0).shape) == (batch, 4)
        assert tuple(request.get_output_tensor(0).shape) == (batch, 4)


def test_empty_batch(dynamic: Any) -> None:
    got = dynamic.create_infer_request().infer([np.zeros((0, 4), np.float32)])[0]
    assert got.shape == (0, 4), f"batch 0: output shape {got.shape}"


def test_batches_through_async_queue(dynamic: Any) -> None:
    truth = dynamic_model().truth
    queue = ov.AsyncInferQueue(dynamic, 2)
    seen: dict[int, np.ndarray] = {}
    queue.set_callback(lambda r, b: seen.__setitem__(b, np.array(r.results[0], copy=True)))
    drive_queue(queue, [([_x(b)], b) for b in (1, 2, 5, 3, 7, 4)], lambda: len(seen))
    for batch, got in seen.items():
        np.testing.assert_allclose(got, truth(_x(batch))[0], rtol=1e-5, atol=1e-5)
    assert sorted(seen) == [1, 2, 3, 4, 5, 7]


def test_bounded_dimension(ov_core: Any, ov_device: str) -> None:
    compiled = compile_for(ov_core, bounded_model().model, ov_device)
    request = compiled.create_infer_request()
    for rows in (1, 4):
        x = -np.arange(rows * 2, dtype=np.float32).reshape(rows, 2)
        np.testing.assert_array_equal(request.infer([x])[0], np.abs(x))
    with pytest.raises(RuntimeError):
        request.infer([np.zeros((5, 2), np.float32)])


def test_reshaped_model(ov_core: Any, ov_device: str) -> None:
    model = dynamic_model().model
    model.reshape([2, 4])
    compiled = compile_for(ov_core, model, ov_device)
    assert compiled.input(0).get_partial_shape() == ov.PartialShape([2, 4])
    got = compiled([_x(2)])[0]
    np.testing.assert_allclose(got, dynamic_model().truth(_x(2))[0], rtol=1e-5, atol=1e-5)
