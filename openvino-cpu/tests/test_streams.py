"""Streams and threads from the hints and settings, as the real CPU plugin resolves them
(its figures on a 2-core machine, OpenVINO 2026.4.1), and requests of a THROUGHPUT model
running at once."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from helpers import rand

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu import config as cpu_config

# (config, (NUM_STREAMS, INFERENCE_NUM_THREADS, OPTIMAL_NUMBER_OF_INFER_REQUESTS)) reported
# by the real plugin's compiled model on 2 cores
REAL_ON_2_CORES = [
    ({}, (1, 2, 1)),
    ({"NUM_STREAMS": 3}, (2, 2, 2)),
    ({"NUM_STREAMS": 5}, (2, 2, 2)),
    ({"NUM_STREAMS": -1}, (2, 2, 2)),
    ({"NUM_STREAMS": 0}, (0, 0, 1)),
    ({"PERFORMANCE_HINT": "THROUGHPUT"}, (2, 2, 2)),
    ({"PERFORMANCE_HINT": "CUMULATIVE_THROUGHPUT"}, (2, 2, 2)),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": 3}, (2, 2, 2)),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": 0}, (0, 0, 1)),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "PERFORMANCE_HINT_NUM_REQUESTS": 1}, (1, 2, 1)),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "PERFORMANCE_HINT_NUM_REQUESTS": 3}, (2, 2, 2)),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "INFERENCE_NUM_THREADS": 1}, (1, 1, 1)),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "INFERENCE_NUM_THREADS": 5}, (2, 2, 2)),
    ({"PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": 2}, (2, 2, 2)),
    ({"PERFORMANCE_HINT": "LATENCY", "PERFORMANCE_HINT_NUM_REQUESTS": 3}, (1, 2, 1)),
    ({"NUM_STREAMS": 2, "INFERENCE_NUM_THREADS": 1}, (1, 1, 1)),
    ({"NUM_STREAMS": 2, "PERFORMANCE_HINT_NUM_REQUESTS": 1}, (1, 2, 1)),
    ({"NUM_STREAMS": 3, "INFERENCE_NUM_THREADS": 6}, (2, 2, 2)),
    ({"NUM_STREAMS": -1, "INFERENCE_NUM_THREADS": 1}, (1, 1, 1)),
    ({"INFERENCE_NUM_THREADS": 5}, (1, 2, 1)),
]


def _model() -> ov.Model:
    x = ops.parameter([4, 64], np.float32)
    y = ops.relu(ops.matmul(x, ops.constant(rand(64, 32)), False, False))
    return ov.Model([y], [x])


@pytest.mark.parametrize(("config", "expected"), REAL_ON_2_CORES,
                         ids=[str(c) for c, _ in REAL_ON_2_CORES])
def test_streams_resolve_as_the_real_plugin_on_2_cores(monkeypatch, config, expected) -> None:
    monkeypatch.setattr(cpu_config, "cpu_count", lambda: 2)
    core = ov.Core()
    compiled = core.compile_model(_model(), "CPU", config)
    got = (compiled.get_property("NUM_STREAMS"), compiled.get_property("INFERENCE_NUM_THREADS"),
           compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
    assert got == expected
    execution = compiled._device_model.execution
    # what runs: at least one stream of at least one thread, never more threads than cores
    assert execution.streams >= 1 and execution.threads >= 1
    assert execution.streams * execution.threads <= 2


def test_streams_never_exceed_the_cores() -> None:
    cores = cpu_config.cpu_count()
    compiled = ov.Core().compile_model(_model(), "CPU", {"NUM_STREAMS": cores + 3})
    assert compiled.get_property("NUM_STREAMS") == cores
    assert compiled.get_property("INFERENCE_NUM_THREADS") == cores


def test_throughput_requests_run_at_once_and_agree() -> None:
    """Requests of a THROUGHPUT model run in their own threads at the same time (each
    stream with its own arena and threads) and give what one request gives alone."""
    core = ov.Core()
    compiled = core.compile_model(_model(), "CPU", {"PERFORMANCE_HINT": "THROUGHPUT"})
    reference = core.compile_model(_model(), "CPU")
    inputs = [rand(4, 64, seed=s) for s in range(6)]
    expected = [reference.create_infer_request().infer([x])[0].copy() for x in inputs]
    requests = [compiled.create_infer_request() for _ in range(3)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(requests))

    def work(i: int) -> None:
        try:
            barrier.wait()
            for _ in range(20):
                for j, x in enumerate(inputs):
                    out = requests[i].infer([x])[0]
                    np.testing.assert_array_equal(out, expected[j])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


@pytest.mark.parametrize("streams", [1, 2])
def test_requests_beyond_the_streams_wait_for_one(streams: int) -> None:
    """Six requests run from six threads on a model of ``streams`` streams: never more
    runs at once than streams, and no more thread pools than streams (each stream keeps
    its own); every result right."""
    core = ov.Core()
    compiled = core.compile_model(_model(), "CPU", {"NUM_STREAMS": streams,
                                                    "INFERENCE_NUM_THREADS": 2})
    device = compiled._device_model
    expected_streams = min(streams, 2, cpu_config.cpu_count())
    assert device.streams.count == expected_streams
    active, most, pools = [0], [0], set()
    lock = threading.Lock()
    acquire, release = device.streams.acquire, device.streams.release

    def counted_acquire():
        stream = acquire()
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        pools.add(id(stream))
        return stream

    def counted_release(stream):
        with lock:
            active[0] -= 1
        release(stream)

    device.streams.acquire, device.streams.release = counted_acquire, counted_release
    x = rand(4, 64, seed=3)
    expected = core.compile_model(_model(), "CPU").create_infer_request().infer([x])[0].copy()
    requests = [compiled.create_infer_request() for _ in range(6)]
    errors: list[BaseException] = []

    def work(req) -> None:
        try:
            for _ in range(30):
                np.testing.assert_array_equal(req.infer([x])[0], expected)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
    assert 1 <= most[0] <= expected_streams
    assert len(pools) <= expected_streams


# --- pinning (ENABLE_CPU_PINNING) ---------------------------------------------------------------

def _thread_cpus() -> dict[int, set[int]]:
    """The affinity of every thread of this process, by thread id."""
    import os

    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            out[int(tid)] = os.sched_getaffinity(int(tid))
        except OSError:  # the thread ended meanwhile
            pass
    return out


def test_pinning_is_on_by_default_as_in_the_real_plugin() -> None:
    core = ov.Core()
    assert core.get_property("CPU", "ENABLE_CPU_PINNING") is True
    for config, pinned in (({}, True), ({"PERFORMANCE_HINT": "THROUGHPUT"}, True),
                           ({"ENABLE_CPU_PINNING": False}, False),
                           ({"PERFORMANCE_HINT": "THROUGHPUT", "ENABLE_CPU_PINNING": False},
                            False)):
        compiled = core.compile_model(_model(), "CPU", config)
        assert compiled.get_property("ENABLE_CPU_PINNING") is pinned
        assert compiled._device_model.execution.pinning is pinned


def test_streams_get_disjoint_cores_of_the_process() -> None:
    import os

    from openvino_cpu.streams import Streams

    allowed = sorted(os.sched_getaffinity(0))
    streams = Streams(len(allowed), 1, pin=True)
    got = [streams.acquire() for _ in range(len(allowed))]
    assert sorted(c for s in got for c in s.cpus) == allowed
    assert streams.pinned
    # more threads than cores: nothing is pinned
    over = Streams(len(allowed) + 1, 1, pin=True)
    assert not over.pinned and over.acquire().cpus == ()
    assert not Streams(1, 1, pin=False).pinned


def test_pinned_stream_binds_its_workers_and_the_caller_only_while_it_runs() -> None:
    import os

    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 2:
        pytest.skip("needs 2 cores")
    from openvino_cpu._native import Pool

    before = _thread_cpus()
    pool = Pool(2)
    assert pool.pin([allowed[1], allowed[0]]) == 2
    new = {t: cpus for t, cpus in _thread_cpus().items() if t not in before}
    assert list(new.values()) == [{allowed[0]}]  # the one worker thread
    # the caller keeps its own affinity outside a run
    assert os.sched_getaffinity(0) == set(allowed)
    pool.close()


def test_pinned_throughput_run_leaves_the_callers_affinity_and_agrees() -> None:
    import os

    allowed = os.sched_getaffinity(0)
    core = ov.Core()
    model = _model()
    x = rand(4, 64)
    want = core.compile_model(model, "CPU", {"ENABLE_CPU_PINNING": False}).infer_new_request(
        {0: x})[0]
    for config in ({}, {"PERFORMANCE_HINT": "THROUGHPUT"}):
        compiled = core.compile_model(model, "CPU", config)
        queue = ov.AsyncInferQueue(compiled, 4)
        results: dict[int, np.ndarray] = {}

        def keep(req, i, results=results):
            results[i] = req.get_output_tensor(0).data.copy()

        queue.set_callback(keep)
        for i in range(16):
            queue.start_async({0: x}, i)
        queue.wait_all()
        assert len(results) == 16
        for got in results.values():
            np.testing.assert_array_equal(got, want)
        compiled.create_infer_request().infer({0: x})
        assert os.sched_getaffinity(0) == allowed


def test_pinning_to_a_core_outside_the_mask_is_refused_quietly() -> None:
    import os

    from openvino_cpu._native import Pool

    allowed = sorted(os.sched_getaffinity(0))
    outside = max(allowed) + 1
    pool = Pool(2)
    assert pool.pin([outside, outside]) == 0  # the system refuses: nothing pinned, no error
    x = rand(4, 64)
    core = ov.Core()
    compiled = core.compile_model(_model(), "CPU", {"ENABLE_CPU_PINNING": False})
    want = compiled.infer_new_request({0: x})[0]
    stream = compiled._device_model.streams.acquire()
    stream._pool = pool  # a run on the refused pool still works
    compiled._device_model.streams.release(stream)
    np.testing.assert_array_equal(compiled.infer_new_request({0: x})[0], want)
    assert os.sched_getaffinity(0) == set(allowed)
    with pytest.raises(ValueError, match="needs as many cores"):
        pool.pin([allowed[0]])


def test_long_runs_bind_the_running_thread_to_its_core() -> None:
    """A stream's runs that take a millisecond or more bind the thread running them to the
    stream's first core for the run (seen from another thread meanwhile); it gets its own
    affinity back after."""
    import os
    import time

    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 2:
        pytest.skip("needs 2 cores")
    x = ops.parameter([384, 384], np.float32)
    y = x
    for _ in range(6):
        y = ops.matmul(y, ops.constant(rand(384, 384) / 20), False, False)
    core = ov.Core()
    compiled = core.compile_model(ov.Model([y], [x]), "CPU", {"PERFORMANCE_HINT": "LATENCY"})
    request = compiled.create_infer_request()
    data = rand(384, 384)
    seen: set[frozenset[int]] = set()
    tid: list[int] = []
    stop = threading.Event()

    def infer() -> None:
        tid.append(threading.get_native_id())
        t0 = time.monotonic()
        while not stop.is_set() and time.monotonic() - t0 < 5.0:
            request.infer({0: data})
        stop.set()

    worker = threading.Thread(target=infer)
    worker.start()
    while not tid:
        time.sleep(0.001)
    while not stop.is_set():
        try:
            cpus = frozenset(os.sched_getaffinity(tid[0]))
        except OSError:
            break
        seen.add(cpus)
        if frozenset({allowed[0]}) in seen:
            stop.set()
    worker.join()
    assert frozenset({allowed[0]}) in seen, seen
    # after the runs the thread had its own affinity back (it is gone now: check ours)
    request.infer({0: data})
    assert os.sched_getaffinity(0) == set(allowed)
