"""API conformance: asynchronous inference, callbacks and ``AsyncInferQueue`` under load.

Every wait here is bounded: a device that loses a job (its callback never comes) is
reported as such instead of hanging the run.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino_testkit.async_driver import drive_queue
from openvino_testkit.device_support import compile_for
from openvino_testkit.models import add_model

OV_CHECK_KIND = "api"

B = np.linspace(-2, 2, 8, dtype=np.float32)
#: Jobs the load check pushes through one AsyncInferQueue.
LOAD_JOBS = 2000


def _a(i: int) -> np.ndarray:
    return np.full(8, float(i), np.float32)


def _wait(request: Any, seconds: float = 60.0) -> None:
    if not request.wait_for(int(seconds * 1000)):
        pytest.fail(f"the async run did not finish within {seconds:g} s", pytrace=False)


@pytest.fixture(scope="module")
def compiled(ov_core: Any, ov_device: str) -> Any:
    return compile_for(ov_core, add_model().model, ov_device)


def test_start_async_and_wait(compiled: Any) -> None:
    request = compiled.create_infer_request()
    request.start_async({0: _a(3), 1: B})
    _wait(request)
    request.wait()
    np.testing.assert_array_equal(request.get_output_tensor(0).data, _a(3) + B)
    np.testing.assert_array_equal(request.results[0], _a(3) + B)


def test_wait_for_reports_completion(compiled: Any) -> None:
    request = compiled.create_infer_request()
    request.start_async([_a(1), B])
    deadline = time.monotonic() + 60
    while not request.wait_for(10):
        assert time.monotonic() < deadline, "wait_for never returned True"
    assert request.wait_for(0) is True


def test_callback_gets_userdata(compiled: Any) -> None:
    request = compiled.create_infer_request()
    calls: list[Any] = []
    request.set_callback(lambda userdata: calls.append(userdata), "first")
    for i in range(20):
        request.start_async([_a(i), B])
        _wait(request)
        np.testing.assert_array_equal(request.get_output_tensor(0).data, _a(i) + B)
    assert calls == ["first"] * 20, f"callback calls: {len(calls)} of 20, userdata {calls[:3]}"


def test_callback_exception_surfaces_from_wait(compiled: Any) -> None:
    request = compiled.create_infer_request()

    def broken(_userdata: Any) -> None:
        raise ValueError("raised by the testkit's callback")

    request.set_callback(broken, None)
    request.start_async([_a(1), B])
    with pytest.raises(Exception, match="raised by the testkit's callback"):
        request.wait_for(60_000)


def test_requests_in_flight_together(compiled: Any) -> None:
    requests = [compiled.create_infer_request() for _ in range(4)]
    for k, r in enumerate(requests):
        r.start_async([_a(k), B])
    for k, r in enumerate(requests):
        _wait(r)
        np.testing.assert_array_equal(r.get_output_tensor(0).data, _a(k) + B)


def test_queue_basics(compiled: Any) -> None:
    queue = ov.AsyncInferQueue(compiled, 3)
    assert len(queue) == 3
    assert len(list(queue)) == 3 and all(isinstance(r, ov.InferRequest) for r in queue)
    assert isinstance(queue[1], ov.InferRequest)
    assert list(queue.userdata) == [None, None, None]
    assert queue.is_ready()
    assert 0 <= queue.get_idle_request_id() < 3
    drive_queue(queue, [([_a(5), B], "x")], lambda: 0)
    assert queue.is_ready()
    assert "x" in list(queue.userdata)


def test_queue_under_load(ov_core: Any, ov_device: str) -> None:
    compiled = compile_for(ov_core, add_model().model, ov_device)
    jobs = compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")
    jobs = max(2, min(int(jobs) if isinstance(jobs, int) else 4, 8))
    queue = ov.AsyncInferQueue(compiled, jobs)
    seen: dict[int, np.ndarray] = {}
    duplicates: list[int] = []

    def callback(request: Any, userdata: int) -> None:
        if userdata in seen:
            duplicates.append(userdata)
        seen[userdata] = np.array(request.results[0], copy=True)

    queue.set_callback(callback)
    try:
        drive_queue(queue, [({0: _a(i), 1: B}, i) for i in range(LOAD_JOBS)], lambda: len(seen))
    except pytest.fail.Exception as stalled:
        missing = sorted(set(range(LOAD_JOBS)) - set(seen))
        pytest.fail(f"{len(missing)} of {LOAD_JOBS} jobs never called back (userdata "
                    f"{missing[:10]}{'...' if len(missing) > 10 else ''}): {stalled}",
                    pytrace=False)
    missing = sorted(set(range(LOAD_JOBS)) - set(seen))
    assert not missing, f"{len(missing)} of {LOAD_JOBS} callbacks lost: userdata {missing[:10]}"
    assert not duplicates, f"callbacks repeated for userdata {duplicates[:10]}"
    wrong = [i for i in range(LOAD_JOBS) if not np.array_equal(seen[i], _a(i) + B)]
    assert not wrong, (f"{len(wrong)} jobs got results of another job, e.g. userdata "
                       f"{wrong[0]}: {seen[wrong[0]][:2]}...")


def test_queue_callback_exception_surfaces(compiled: Any) -> None:
    queue = ov.AsyncInferQueue(compiled, 2)

    def broken(_request: Any, userdata: int) -> None:
        if userdata == 3:
            raise ValueError("raised by the testkit's queue callback")

    queue.set_callback(broken)
    with pytest.raises(Exception, match="raised by the testkit's queue callback"):
        drive_queue(queue, [([_a(i), B], i) for i in range(8)], lambda: 0)


def test_queue_results_per_request(compiled: Any) -> None:
    queue = ov.AsyncInferQueue(compiled, 2)
    drive_queue(queue, [([_a(i + 10), B], i) for i in range(2)], lambda: 0)
    got = sorted(float(r.results[0][0]) for r in queue)
    assert got == [10 + B[0], 11 + B[0]], f"per-request results {got}"
    assert all(r.latency > 0 for r in queue)
