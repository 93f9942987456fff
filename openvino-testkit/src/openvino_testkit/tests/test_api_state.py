"""API conformance: stateful models (ReadValue/Assign): the variable accumulates across
inferences of one request, ``query_state`` reads and writes it (``state.state = Tensor``
is seen by the next inference, as a copy), ``reset_state`` starts over, and requests keep
separate states."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino_testkit.device_support import compile_for
from openvino_testkit.models import stateful_model

OV_CHECK_KIND = "api"

ONES = np.ones((1, 4), np.float32)


@pytest.fixture(scope="module")
def compiled(ov_core: Any, ov_device: str) -> Any:
    return compile_for(ov_core, stateful_model().model, ov_device)


def _sum(result: Any) -> np.ndarray:
    return np.asarray(result[0])


def test_state_accumulates(compiled: Any) -> None:
    request = compiled.create_infer_request()
    for k in (1, 2, 3):
        np.testing.assert_array_equal(_sum(request.infer([ONES])), ONES * k)


def test_query_state(compiled: Any) -> None:
    request = compiled.create_infer_request()
    request.infer([ONES])
    request.infer([ONES])
    states = request.query_state()
    assert len(states) == 1, f"query_state() gave {len(states)} states for one variable"
    state = states[0]
    assert state.name == "acc", f"state name {state.name!r}, expected 'acc'"
    np.testing.assert_array_equal(state.state.data, ONES * 2)


def test_set_state(compiled: Any) -> None:
    request = compiled.create_infer_request()
    request.infer([ONES])
    state = request.query_state()[0]
    state.state = ov.Tensor(np.full((1, 4), 5, np.float32))
    np.testing.assert_array_equal(_sum(request.infer([ONES])), ONES * 6)


def test_state_writes_reach_the_next_inferences(compiled: Any) -> None:
    request = compiled.create_infer_request()
    request.infer([ONES])
    source = np.full((1, 4), 7, np.float32)
    request.query_state()[0].state = ov.Tensor(source)
    source[:] = 100  # the variable took a copy
    np.testing.assert_array_equal(_sum(request.infer([ONES])), ONES * 8)
    np.testing.assert_array_equal(_sum(request.infer([ONES])), ONES * 9)
    np.testing.assert_array_equal(request.query_state()[0].state.data, ONES * 9)
    state = request.query_state()[0]
    state.state = ov.Tensor(np.full((1, 4), -1, np.float32))
    np.testing.assert_array_equal(state.state.data, -ONES)
    np.testing.assert_array_equal(_sum(request.infer([ONES])), ONES * 0)


def test_state_write_of_a_wrong_shape_raises(compiled: Any) -> None:
    state = compiled.create_infer_request().query_state()[0]
    with pytest.raises(RuntimeError):
        state.state = ov.Tensor(np.zeros((3, 3), np.float32))


def test_reset(compiled: Any) -> None:
    request = compiled.create_infer_request()
    request.infer([ONES])
    request.infer([ONES])
    request.reset_state()
    np.testing.assert_array_equal(_sum(request.infer([ONES])), ONES)
    request.query_state()[0].reset()
    np.testing.assert_array_equal(_sum(request.infer([ONES * 3])), ONES * 3)


def test_requests_have_their_own_state(compiled: Any) -> None:
    first, second = compiled.create_infer_request(), compiled.create_infer_request()
    first.infer([ONES])
    first.infer([ONES])
    np.testing.assert_array_equal(_sum(second.infer([ONES])), ONES)
    np.testing.assert_array_equal(_sum(first.infer([ONES])), ONES * 3)


def test_compiled_model_call_keeps_state(ov_core: Any, ov_device: str) -> None:
    compiled = compile_for(ov_core, stateful_model().model, ov_device)
    compiled.reset_state()
    compiled([ONES])
    np.testing.assert_array_equal(_sum(compiled([ONES])), ONES * 2)
    assert len(compiled.query_state()) == 1
    compiled.reset_state()
    np.testing.assert_array_equal(_sum(compiled([ONES])), ONES)


def test_state_through_async(compiled: Any) -> None:
    request = compiled.create_infer_request()
    for _ in range(3):
        request.start_async([ONES])
        assert request.wait_for(60_000), "the async run did not finish within 60 s"
    np.testing.assert_array_equal(request.get_output_tensor(0).data, ONES * 3)
