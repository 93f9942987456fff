"""The streams of a compiled model: ``NUM_STREAMS`` slots, each with kernel threads of its
own (a ``Pool`` of the stream's thread count, started on first use, kept for the model's
life). A request takes a free stream for one run of its plan and gives it back after:
requests beyond the streams wait (with the GIL released) instead of oversubscribing the
cores with pools of their own, and a stream's threads and scratch are only ever used by
one run at a time. Each request keeps its own arena (its outputs live there).

With pinning (``ENABLE_CPU_PINNING``, on by default as in the real CPU plugin) the streams
get disjoint cores of the ones this process may run on, one per thread, and each thread of
a stream is bound to its core (the thread that runs a request only for that run). When the
streams need more threads than there are cores, nothing is pinned."""

from __future__ import annotations

import os
import queue

from ._native import Pool

__all__ = ["Stream", "Streams", "allowed_cpus"]


def allowed_cpus() -> list[int]:
    """The cores this process may run on, in order."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return []


class Stream:
    """One stream: ``threads`` kernel threads (the caller of a run is one of them), bound to
    ``cpus`` when it is not empty."""

    __slots__ = ("threads", "cpus", "_pool")

    def __init__(self, threads: int, cpus: tuple[int, ...] = ()) -> None:
        self.threads = threads
        self.cpus = cpus
        self._pool: Pool | None = None

    @property
    def pool(self) -> Pool:
        # only the request holding the stream gets here: no other thread can race
        if self._pool is None:
            pool = Pool(self.threads)
            if self.cpus:
                pool.pin(list(self.cpus))
            self._pool = pool
        return self._pool


class Streams:
    """``count`` streams of ``threads`` threads each; ``acquire`` waits for a free one.
    ``pin``: bind each stream's threads to cores of their own."""

    def __init__(self, count: int, threads: int, pin: bool = False) -> None:
        self.count = max(1, int(count))
        self.threads = max(1, int(threads))
        cpus = allowed_cpus() if pin else []
        if len(cpus) < self.count * self.threads:
            cpus = []
        self.pinned = bool(cpus)  # whether the streams' threads are bound to cores
        self._free: queue.SimpleQueue[Stream] = queue.SimpleQueue()
        for i in range(self.count):
            own = tuple(cpus[i * self.threads:(i + 1) * self.threads])
            self._free.put(Stream(self.threads, own))

    def acquire(self) -> Stream:
        return self._free.get()

    def release(self, stream: Stream) -> None:
        self._free.put(stream)
