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
    while time.perf_counter() - t0 < 1.0:
        t = time.perf_counter()
        request.start_async([data, data])
        request.wait()
        busy += time.perf_counter() - t
    stop.set()
    counter.join()
    elapsed = time.perf_counter() - t0
    rate_during = counts[0] / elapsed
    rate_alone = baseline / baseline_window
    assert busy > 0.5 * elapsed  # inference really was running most of the time
    # with the GIL held throughout, the counter would starve; it gets a large share
    assert rate_during > 0.25 * rate_alone, (rate_during, rate_alone)
