"""``JobPool``: the threads that run one compiled model's asynchronous jobs.

A compiled model gets as many worker threads as its device says requests can usefully run
at once (``OPTIMAL_NUMBER_OF_INFER_REQUESTS``, at least one), created on demand. More
threads than that would only take turns at the GIL. Jobs run in the order they were
started; each worker blocks on a ``queue.SimpleQueue`` (the GIL released) between jobs.

A worker must never wait for a job queued behind it: when code running on a worker (a
callback) waits for a request of the same compiled model, it runs queued jobs itself
(:meth:`JobPool.run_queued_until`) before blocking.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

__all__ = ["JobPool"]

_local = threading.local()


class JobPool:
    """Up to ``size`` daemon threads running submitted callables in FIFO order."""

    __slots__ = ("_jobs", "_size", "_threads", "_idle")

    def __init__(self, size: int) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._size = max(1, int(size))
        self._threads = 0
        self._idle = 0

    def submit(self, job: Callable[[], None]) -> None:
        """Queue ``job``; start a thread when none is idle and the pool is not full."""
        self._jobs.put(job)
        if self._idle <= 0 and self._threads < self._size:
            self._threads += 1
            threading.Thread(target=_work, args=(self,), name="openvino-infer",
                             daemon=True).start()

    def is_current(self) -> bool:
        """Whether the calling thread is one of this pool's workers."""
        return getattr(_local, "pool", None) is self

    def run_queued_until(self, done: Callable[[], bool]) -> None:
        """Run queued jobs in the calling thread until ``done()`` or the queue is empty."""
        jobs = self._jobs
        while not done():
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                return
            if job is None:  # a stop request belongs to a worker: hand it back
                jobs.put(None)
                return
            job()

    def close(self) -> None:
        """Stop the workers once the jobs queued so far are done."""
        for _ in range(self._threads):
            self._jobs.put(None)


def _work(pool: JobPool) -> None:
    _local.pool = pool
    get = pool._jobs.get
    while True:
        pool._idle += 1
        job = get()
        pool._idle -= 1
        if job is None:
            return
        job()
        job = None
