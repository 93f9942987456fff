"""The streams of a compiled model: ``NUM_STREAMS`` slots, each with kernel threads of its
own (a ``Pool`` of the stream's thread count, started on first use, kept for the model's
life). A request takes a free stream for one run of its plan and gives it back after:
requests beyond the streams wait (with the GIL released) instead of oversubscribing the
cores with pools of their own, and a stream's threads and scratch are only ever used by
one run at a time. Each request keeps its own arena (its outputs live there)."""

from __future__ import annotations

import queue

from ._native import Pool

__all__ = ["Stream", "Streams"]


class Stream:
    """One stream: ``threads`` kernel threads (the caller of a run is one of them)."""

    __slots__ = ("threads", "_pool")

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._pool: Pool | None = None

    @property
    def pool(self) -> Pool:
        # only the request holding the stream gets here: no other thread can race
        if self._pool is None:
            self._pool = Pool(self.threads)
        return self._pool


class Streams:
    """``count`` streams of ``threads`` threads each; ``acquire`` waits for a free one."""

    def __init__(self, count: int, threads: int) -> None:
        self.count = max(1, int(count))
        self.threads = max(1, int(threads))
        self._free: queue.SimpleQueue[Stream] = queue.SimpleQueue()
        for _ in range(self.count):
            self._free.put(Stream(self.threads))

    def acquire(self) -> Stream:
        return self._free.get()

    def release(self, stream: Stream) -> None:
        self._free.put(stream)
