"""Threads: CompiledModel.__call__ from several threads, and the GIL during inference."""

from __future__ import annotations

import threading
import time

import numpy as np

import openvino as ov


def test_call_from_many_threads_gives_each_its_own_result(compiled_add):
    errors = []

    def worker(k):
        x = np.full(8, k, np.float32)
        for _ in range(200):
            out = compiled_add({0: x, 1: x})
            if not (out[0] == 2 * k).all():
                errors.append((k, out[0]))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _matmul_model(n: int) -> ov.Model:
    a = ov.opset8.parameter([n, n], np.float32)
    b = ov.opset8.parameter([n, n], np.float32)
    return ov.Model(ov.opset8.matmul(a, b, False, False), [a, b])


def test_python_thread_runs_while_template_computes():
    """numpy's large kernels release the GIL, and so does every wait in core: a counting
    thread keeps making progress while inference runs."""
    n = 700
    compiled = ov.Core().compile_model(_matmul_model(n), "TEMPLATE")
    data = np.random.default_rng(0).random((n, n), dtype=np.float32)
    compiled([data, data])  # warm up

    def count_for(seconds: float, stop: threading.Event | None = None) -> int:
        count = 0
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and not (stop is not None and stop.is_set()):
            count += 1
        return count

    baseline_window = 0.3
    baseline = count_for(baseline_window)

    counts = []
    stop = threading.Event()
    counter = threading.Thread(target=lambda: counts.append(count_for(60, stop)))
    request = compiled.create_infer_request()
    t0 = time.perf_counter()
    counter.start()
    busy = 0.0
    runs = 0
    while time.perf_counter() - t0 < 1.0:
        t = time.perf_counter()
        if runs % 2:
            request.start_async([data, data])
            request.wait()
        else:
            request.infer([data, data])
        busy += time.perf_counter() - t
        runs += 1
    stop.set()
    counter.join()
    elapsed = time.perf_counter() - t0
    rate_during = counts[0] / elapsed
    rate_alone = baseline / baseline_window
    assert busy > 0.5 * elapsed  # inference really was running most of the time
    # with the GIL held throughout, the counter would starve; it gets a large share
    print(f"counter rate during inference: {rate_during / rate_alone:.2f} of alone")
    assert rate_during > 0.1 * rate_alone, (rate_during, rate_alone)


def test_waiting_calls_do_not_spin():
    """wait(), wait_for(), wait_all() and start_async() on a full queue block without
    using CPU in the waiting thread while a long inference runs."""
    n = 600
    compiled = ov.Core().compile_model(_matmul_model(n), "TEMPLATE")
    data = np.random.default_rng(1).random((n, n), dtype=np.float32)
    request = compiled.create_infer_request()
    t = time.perf_counter()
    request.infer([data, data])
    one_run = time.perf_counter() - t

    def cpu_of(fn) -> tuple[float, float]:
        cpu, wall = time.thread_time(), time.perf_counter()
        fn()
        return time.thread_time() - cpu, time.perf_counter() - wall

    request.start_async([data, data])
    cpu, wall = cpu_of(request.wait)
    assert cpu < 0.25 * wall + 0.002, (cpu, wall, one_run)

    request.start_async([data, data])
    cpu, wall = cpu_of(lambda: request.wait_for(60_000))
    assert cpu < 0.25 * wall + 0.002, (cpu, wall)

    queue = ov.AsyncInferQueue(compiled, 1)
    queue.start_async([data, data])
    # a job still queued would be run by the waiting thread itself (that is work, not a
    # wait); measure the wait once a worker has taken the job
    jobs = queue[0]._pool._jobs
    deadline = time.perf_counter() + 10
    while not jobs.empty() and time.perf_counter() < deadline:
        time.sleep(0.001)
    cpu, wall = cpu_of(lambda: queue.start_async([data, data]))  # waits for the busy job
    assert cpu < 0.25 * wall + 0.002, (cpu, wall)
    cpu, wall = cpu_of(queue.wait_all)
    assert cpu < 0.25 * wall + 0.002, (cpu, wall)
