"""Async inference: InferRequest.start_async/wait/callbacks and AsyncInferQueue."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import openvino as ov

X = np.arange(8, dtype=np.float32)


def test_start_async_wait_and_callback(compiled_add):
    request = compiled_add.create_infer_request()
    seen = []
    request.set_callback(lambda userdata: seen.append((userdata, threading.get_ident())),
                         "ud")
    request.start_async({0: X, 1: X})
    request.wait()
    assert seen and seen[0][0] == "ud" and seen[0][1] != threading.get_ident()
    assert request.userdata == "ud"
    np.testing.assert_array_equal(request.get_output_tensor().data, 2 * X)
    request.start_async([X, X], userdata="other")
    assert request.wait_for(-1) is True
    assert seen[-1][0] == "other"
    assert request.wait_for(0) is True
    assert request.latency > 0


def test_wait_without_start(compiled_add):
    request = compiled_add.create_infer_request()
    with pytest.raises(RuntimeError, match="never started"):
        request.wait()
    with pytest.raises(RuntimeError, match="never started"):
        request.wait_for(10)


def test_callback_error_comes_out_of_wait(compiled_add):
    request = compiled_add.create_infer_request()

    def bad(userdata):
        raise ValueError("callback broke")

    request.set_callback(bad)
    request.start_async([X, X])
    with pytest.raises(ValueError, match="callback broke"):
        request.wait()
    request.wait()  # reported once


def test_busy_request(compiled_add):
    request = compiled_add.create_infer_request()
    gate = threading.Event()
    request.set_callback(lambda _: gate.wait(5))
    request.start_async([X, X])
    with pytest.raises(RuntimeError, match="busy"):
        request.start_async([X, X])
    with pytest.raises(RuntimeError, match="busy"):
        request.infer([X, X])
    assert request.wait_for(10) is False
    gate.set()
    request.wait()


def test_cancel_before_start(compiled_add):
    request = compiled_add.create_infer_request()
    gate = threading.Event()
    request._pool.submit(lambda: gate.wait(5))  # keeps the one worker from our job
    request.start_async([X, X])
    request.cancel()
    gate.set()
    with pytest.raises(RuntimeError, match="Infer Request was canceled"):
        request.wait()
    request.start_async([X, X])  # usable again
    request.wait()
    np.testing.assert_array_equal(request.get_output_tensor().data, 2 * X)


def test_queue_under_load_with_callbacks(compiled_add):
    jobs = 4
    queue = ov.AsyncInferQueue(compiled_add, jobs)
    assert len(queue) == jobs and queue.userdata == [None] * jobs
    assert all(isinstance(r, ov.InferRequest) for r in queue)
    results = {}
    lock = threading.Lock()

    def done(request, userdata):
        with lock:
            results[userdata] = request.results["y"].copy()

    queue.set_callback(done)
    n = 300
    for i in range(n):
        queue.start_async({0: np.full(8, i, np.float32), 1: X}, userdata=i)
    queue.wait_all()
    assert sorted(results) == list(range(n))
    for i, value in results.items():
        np.testing.assert_array_equal(value, i + X)
    assert queue.is_ready()
    assert n - 1 in queue.userdata and len(set(queue.userdata)) == jobs
    assert all(r.wait_for(0) for r in queue)


def test_queue_callback_error_reraised_from_wait_all(compiled_add):
    queue = ov.AsyncInferQueue(compiled_add, 2)

    def bad(request, userdata):
        return userdata + "text"

    queue.set_callback(bad)
    queue.start_async([X, X], userdata=1)
    with pytest.raises(TypeError, match="unsupported operand type"):
        queue.wait_all()
    queue.wait_all()  # nothing left


def test_queue_callback_error_reraised_from_next_start_async(compiled_add):
    queue = ov.AsyncInferQueue(compiled_add, 1)

    def bad(request, userdata):
        request.get_tensor("Unknown")

    queue.set_callback(bad)
    queue.start_async([X, X])
    with pytest.raises(RuntimeError, match="Port for tensor name Unknown was not found"):
        for _ in range(50):
            queue.start_async([X, X])
    queue.set_callback(lambda r, u: None)
    queue.wait_all()


def test_failed_start_async_does_not_leak_its_job(compiled_add):
    queue = ov.AsyncInferQueue(compiled_add, 2)
    for _ in range(5):
        with pytest.raises(RuntimeError):
            queue.start_async({"missing": X})
    for i in range(6):
        queue.start_async([X, X], userdata=i)
    queue.wait_all()
    assert queue.is_ready()


def test_get_idle_request_id(compiled_add):
    queue = ov.AsyncInferQueue(compiled_add, 2)
    first = queue.get_idle_request_id()
    assert queue.get_idle_request_id() == first
    queue.start_async([X, X], userdata="u")
    queue.wait_all()
    assert queue.userdata[first] == "u"
    np.testing.assert_array_equal(queue[first].get_output_tensor().data, 2 * X)


def test_queue_default_jobs(compiled_add):
    queue = ov.AsyncInferQueue(compiled_add)
    assert len(queue) == compiled_add.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")


def _finishes(fn, seconds: float = 20.0) -> bool:
    """Run ``fn`` in a thread; whether it finished in time (a deadlock would not)."""
    errors = []

    def target():
        try:
            fn()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not errors, errors
    return not t.is_alive()


def test_callback_waiting_for_a_request_queued_behind_it(compiled_add):
    first, second = compiled_add.create_infer_request(), compiled_add.create_infer_request()
    gate = threading.Event()
    seen = []

    def scenario():
        first._pool.submit(lambda: gate.wait(5))  # both jobs queue behind this one
        first.set_callback(lambda _: (second.wait(), seen.append(
            second.get_output_tensor().data.copy())))
        first.start_async([X, X])
        second.start_async([X, 3 * X])
        gate.set()
        first.wait()

    assert _finishes(scenario)
    np.testing.assert_array_equal(seen[0], 4 * X)


def test_callback_starting_a_job_while_the_queue_is_full(compiled_add):
    queue = ov.AsyncInferQueue(compiled_add, 2)
    gate = threading.Event()
    done = []

    def chain(request, userdata):
        done.append(userdata)
        if userdata == 0:  # every job is busy: this waits for job 1, queued behind us
            queue.start_async([X, X], userdata=100)

    queue.set_callback(chain)

    def scenario():
        queue[0]._pool.submit(lambda: gate.wait(5))
        queue.start_async([X, X], userdata=0)
        queue.start_async([X, X], userdata=1)
        gate.set()
        queue.wait_all()

    assert _finishes(scenario)
    assert sorted(done) == [0, 1, 100]


def test_queue_jobs_never_run_on_the_thread_that_starts_them(compiled_add):
    # A job run by start_async's own thread would leave a finished job's slot unused until
    # that run is over: every job runs on the compiled model's workers instead, even when
    # start_async has to wait with jobs still queued behind a busy worker.
    queue = ov.AsyncInferQueue(compiled_add, 2)
    pool = queue[0]._pool
    gate = threading.Event()
    ran_on = []
    queue.set_callback(lambda request, userdata: ran_on.append(threading.get_ident()))

    def scenario():
        for _ in range(pool._size):  # every worker waits at the gate
            pool.submit(lambda: gate.wait(5))
        queue.start_async([X, X])
        queue.start_async([X, X])
        threading.Timer(0.2, gate.set).start()
        queue.start_async([X, X])  # both jobs queued behind the gate: this one waits
        queue.wait_all()
        ran_on.append(("starter", threading.get_ident()))

    assert _finishes(scenario)
    starter = ran_on.pop()[1]
    assert len(ran_on) == 3 and starter not in ran_on
