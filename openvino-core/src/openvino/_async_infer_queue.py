"""``openvino.AsyncInferQueue``: a pool of infer requests ("jobs") fed from one thread.

Idle job ids wait in a ``queue.SimpleQueue``: ``start_async`` takes one (blocking, with
the GIL released, while every job is busy), and a job puts its id back when its run and
callback are over. Jobs run on the compiled model's worker threads (``JobPool``). Errors
of runs and callbacks are kept in order and re-raised by the next ``start_async`` or
``wait_all``.
"""

from __future__ import annotations

import queue
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ._infer_request import InferRequest, _legacy_shared_memory

if TYPE_CHECKING:
    from ._compiled_model import CompiledModel

__all__ = ["AsyncInferQueue"]


class AsyncInferQueue:
    """``jobs`` infer requests of one compiled model, run asynchronously.

    ``start_async(inputs, userdata)`` waits for an idle job and starts it; the callback set
    with ``set_callback(fn)`` runs as ``fn(request, userdata)`` on the job's thread (with the
    GIL) when it finishes; ``wait_all()`` waits for every job. ``queue[i]`` is job ``i``.
    """

    def __init__(self, model: CompiledModel, jobs: int = 0) -> None:
        if jobs is None or int(jobs) <= 0:
            jobs = int(model.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")) or 1
        self._requests = [model.create_infer_request() for _ in range(int(jobs))]
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._reserved: deque[int] = deque()
        self._userdata: list[Any] = [None] * len(self._requests)
        self._callback: Callable[[InferRequest, Any], Any] | None = None
        self._errors: deque[BaseException] = deque()
        for i, request in enumerate(self._requests):
            request._done_hook = self._finisher(i, request)
            self._idle.put(i)

    def _finisher(self, i: int, request: InferRequest) -> Callable[[], None]:
        userdata = self._userdata
        errors = self._errors
        put = self._idle.put

        def done() -> None:
            error = request._error
            if error is not None:
                request._error = None
                errors.append(error)
            else:
                callback = self._callback
                if callback is not None:
                    try:
                        callback(request, userdata[i])
                    except BaseException as exc:  # re-raised by start_async / wait_all
                        errors.append(exc)
            put(i)

        return done

    # --- running ------------------------------------------------------------------------------
    def start_async(self, inputs: Any = None, userdata: Any = None, share_inputs: bool = False,
                    *, shared_memory: Any = None) -> None:
        """Start the next idle job (waiting for one while all are busy) on ``inputs``;
        ``userdata`` goes to the callback. Re-raises a pending error of an earlier job."""
        if shared_memory is not None:
            share_inputs = _legacy_shared_memory(share_inputs, shared_memory)
        if self._errors:
            raise self._errors.popleft()
        if self._reserved:
            i = self._reserved.popleft()
        else:
            self._run_queued_while_full()
            i = self._idle.get()
        request = self._requests[i]
        self._userdata[i] = userdata
        request._busy.acquire()  # free already, or within the instant after put(i)
        try:
            request._submit(inputs, None, share_inputs)
        except BaseException:
            self._idle.put(i)
            raise

    def wait_all(self) -> None:
        """Wait for every job (and its callback); re-raise the first pending error."""
        pool = self._requests[0]._pool if self._requests else None
        if pool is not None and pool.is_current():
            pool.run_queued_until(lambda: all(not r._busy.locked() for r in self._requests))
        for request in self._requests:
            busy = request._busy
            busy.acquire()
            busy.release()
        if self._errors:
            raise self._errors.popleft()

    def _run_queued_while_full(self) -> None:
        """With every job busy and the caller one of the pool's workers (a callback), run
        jobs still queued in the calling thread instead of sleeping: the worker they wait
        for may be this very thread. Any other thread only waits: a job it ran itself would
        hold that thread while a job finished on a worker stayed unused, leaving a core idle
        for up to one inference per job (20% of MiniLM's THROUGHPUT fps)."""
        if self._requests and self._idle.empty():
            pool = self._requests[0]._pool
            if pool.is_current():
                pool.run_queued_until(lambda: not self._idle.empty())

    def is_ready(self) -> bool:
        """Whether a job is idle (``start_async`` would not wait)."""
        return bool(self._reserved) or not self._idle.empty()

    def get_idle_request_id(self) -> int:
        """The id of an idle job (waiting for one); the next ``start_async`` uses it."""
        if self._reserved:
            return self._reserved[0]
        self._run_queued_while_full()
        i = self._idle.get()
        self._reserved.append(i)
        return i

    def set_callback(self, callback: Callable[[InferRequest, Any], Any]) -> None:
        """``callback(request, userdata)`` runs after every job."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback)}")
        self._callback = callback

    # --- access ----------------------------------------------------------------------------------
    @property
    def userdata(self) -> list[Any]:
        """The userdata last given to each job."""
        return list(self._userdata)

    def __getitem__(self, i: int) -> InferRequest:
        return self._requests[i]

    def __len__(self) -> int:
        return len(self._requests)

    def __iter__(self) -> Iterator[InferRequest]:
        return iter(self._requests)

    def __repr__(self) -> str:
        return f"<AsyncInferQueue: {len(self._requests)} jobs>"
