"""build() holds no lock other threads wait for: two builds run at the same time, and
other Python threads keep running while a long build works."""

from __future__ import annotations

import threading
import time

import numpy as np
from references import identity_model

import openvino as ov
import openvino.opset13 as ops
from openvino import Type
from openvino.preprocess import PrePostProcessor


def test_two_builds_are_in_progress_at_the_same_time():
    """Each build's custom step waits until the other build reached its own: with a lock
    around build() the second could never get there and the barrier would time out."""
    barrier = threading.Barrier(2, timeout=20)
    models = [identity_model([2]), identity_model([2])]
    errors: list[BaseException] = []

    def meet(port):
        barrier.wait()
        return ops.abs(port).output(0)

    def work(model):
        try:
            ppp = PrePostProcessor(model)
            ppp.input().preprocess().custom(meet)
            ppp.build()
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(m,)) for m in models]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    for m in models:
        assert "Abs" in [n.get_type_name() for n in m.get_ordered_ops()]


def _many_inputs_model(n: int) -> ov.Model:
    params = [ops.parameter([1, 3, 8, 8], np.float32, name=f"in{i}") for i in range(n)]
    total = params[0]
    for p in params[1:]:
        total = ops.add(total, p)
    return ov.Model([total], params)


def test_other_threads_run_while_a_long_build_works():
    def count_for(seconds: float, stop: threading.Event | None = None) -> int:
        count = 0
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and not (stop is not None and stop.is_set()):
            count += 1
        return count

    window = 0.2
    alone = count_for(window) / window

    model = _many_inputs_model(150)
    ppp = PrePostProcessor(model)
    for i in range(150):
        ppp.input(i).tensor().set_element_type(Type.u8).set_layout("NHWC")
        ppp.input(i).model().set_layout("NCHW")
        ppp.input(i).preprocess().convert_element_type(Type.f32).mean([1.0, 2.0, 3.0]) \
            .scale(2.0).reverse_channels()

    counts: list[int] = []
    stop = threading.Event()
    counter = threading.Thread(target=lambda: counts.append(count_for(60, stop)))
    counter.start()
    t0 = time.perf_counter()
    ppp.build()
    elapsed = time.perf_counter() - t0
    stop.set()
    counter.join()
    assert len(model.get_parameters()) == 150
    assert model.input(0).get_element_type() == Type.u8
    # the counter got a real share of the interpreter while build() ran
    assert counts[0] / elapsed > 0.1 * alone, (counts[0], elapsed, alone)
