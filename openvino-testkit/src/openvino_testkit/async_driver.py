"""Driving an ``AsyncInferQueue`` without trusting the device to finish: a lost job must
fail a check, not hang the run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest

__all__ = ["drive_queue", "STALL_S"]

#: Seconds without a job started or completed after which a queue is declared stuck.
STALL_S = 10.0


def drive_queue(queue: Any, jobs: Sequence[tuple[Any, Any]], completed: Callable[[], int],
                stall_s: float = STALL_S) -> None:
    """Feed ``jobs`` (inputs, userdata) to ``queue`` and ``wait_all()``, on a helper
    thread; fail the check when neither a job is started nor one completes (``completed()``
    grows) for ``stall_s`` seconds: a device that loses a job blocks ``start_async`` once
    every request is taken, and ``wait_all`` for ever. Errors of the queue are re-raised."""
    started = [0]
    errors: list[BaseException] = []

    def feed() -> None:
        try:
            for inputs, userdata in jobs:
                queue.start_async(inputs, userdata=userdata)
                started[0] += 1
            queue.wait_all()
        except BaseException as e:
            errors.append(e)

    feeder = threading.Thread(target=feed, name="testkit-feeder", daemon=True)
    feeder.start()
    last, last_change = (started[0], completed()), time.monotonic()
    while feeder.is_alive():
        feeder.join(0.1)
        now = (started[0], completed())
        if now != last:
            last, last_change = now, time.monotonic()
        elif time.monotonic() - last_change > stall_s:
            blocked = "wait_all" if now[0] == len(jobs) else "start_async"
            pytest.fail(f"AsyncInferQueue stalled: {now[0]} of {len(jobs)} jobs started, "
                        f"{now[1]} completed, nothing moved for {stall_s:g} s ({blocked} "
                        "blocked)", pytrace=False)
    if errors:
        raise errors[0]
