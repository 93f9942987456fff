"""The CPU device's thread pool (``kernels/threads.c``) under plans of many short parallel
steps: every task of every step runs once (the products below are exact, so a lost or
repeated task shows as a wrong element), with the workers spinning or asleep when a run
starts, around a step that runs in Python, in pools of 1 to 4 threads, and with several
pools running plans at once from their own Python threads."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from helpers import plan_of

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu._native import Pool
from openvino_cpu.compiler.plan import PlanRunner

ROWS, COLS, DEPTH = 384, 48, 40


def _permutation_chain(seed: int, relu_every: int = 0):
    """x (ROWS x COLS) through DEPTH MatMuls by permutation matrices (exact in f32: one
    term per output element), a ReLU after every ``relu_every``-th; returns the model, the
    input and the expected output."""
    rng = np.random.default_rng(seed)
    x = ops.parameter([ROWS, COLS], np.float32)
    data = rng.standard_normal((ROWS, COLS)).astype(np.float32)
    want = data.copy()
    y = x
    for d in range(DEPTH):
        perm = np.eye(COLS, dtype=np.float32)[rng.permutation(COLS)]
        y = ops.matmul(y, ops.constant(perm), False, False)
        want = want @ perm
        if relu_every and d % relu_every == relu_every - 1:
            y = ops.relu(y)
            want = np.maximum(want, 0.0)
    return ov.Model([y], [x]), data, want


@pytest.fixture(scope="module")
def chain(core):
    model, data, want = _permutation_chain(3, relu_every=7)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert len(plan.info) >= DEPTH
    return plan, data, want


@pytest.mark.parametrize("threads", [1, 2, 3, 4, 9])
def test_many_short_steps_lose_no_task(chain, threads) -> None:
    plan, data, want = chain
    runner = PlanRunner(plan, Pool(threads))
    for _ in range(200):
        got = runner.run([data])[0]
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("pause_s", [0.0, 1e-4, 5e-4, 5e-3])
def test_runs_after_the_workers_slept(chain, pause_s) -> None:
    """Pauses around the workers' spin limits: they are spinning, about to sleep, or
    asleep when the next run's first step arrives."""
    plan, data, want = chain
    runner = PlanRunner(plan, Pool(2))
    for _ in range(30):
        t = time.perf_counter()
        while time.perf_counter() - t < pause_s:
            pass
        np.testing.assert_array_equal(runner.run([data])[0], want)


def test_pools_running_at_once(core) -> None:
    """Four Python threads, each running plans on a pool of its own (two threads each);
    the pools' workers share two cores."""
    cases = [_permutation_chain(10 + i) for i in range(4)]
    errors: list[BaseException] = []

    def work(model, data, want) -> None:
        try:
            runner = PlanRunner(plan_of(core.compile_model(model, "CPU")), Pool(2))
            for _ in range(60):
                np.testing.assert_array_equal(runner.run([data])[0], want)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=case) for case in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def test_plan_with_a_python_step_between_parallel_ones(core) -> None:
    """A step that runs in Python (CumSum) between parallel steps, run after pauses too."""
    x = ops.parameter([ROWS, COLS], np.float32)
    rng = np.random.default_rng(5)
    perm = np.eye(COLS, dtype=np.float32)[rng.permutation(COLS)]
    y = ops.matmul(x, ops.constant(perm), False, False)
    y = ops.cumsum(y, ops.constant(np.int64(1)))
    y = ops.matmul(y, ops.constant(perm), False, False)
    plan = plan_of(core.compile_model(ov.Model([y], [x]), "CPU"))
    assert "ref_python" in [i.exec_type for i in plan.info]
    data = rng.standard_normal((ROWS, COLS)).astype(np.float32)
    want = np.cumsum((data @ perm).astype(np.float64), axis=1) @ perm
    runner = PlanRunner(plan, Pool(2))
    for k in range(40):
        if k % 4 == 3:
            time.sleep(3e-3)
        np.testing.assert_allclose(runner.run([data])[0], want, rtol=1e-5, atol=1e-5)
