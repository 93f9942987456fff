"""``WorkerChannel``: the fast path to a worker actor on the driver's own node, a Ray
Compiled Graph (``ray.dag``: ``InputNode`` bound to the worker's ``run``,
``experimental_compile()``) whose inputs and results travel through shared-memory
channels instead of Ray's task submission (tens of microseconds per call instead of most
of a millisecond).

One channel per worker, shared by every compiled model on it (the call names the model).
A compiled graph is not thread-safe and reads its results in submission order, so one
call runs at a time: a caller submits, then reads its result with the GIL released,
while the others wait for the channel (the worker computes on its own CPUs anyway; the
next input follows within tens of microseconds of a result).

A worker that dies closes its channel (Ray's compiled-graph monitor tears it down): every
call in flight on it raises one of :data:`CHANNEL_LOST`, and the caller runs the request
again elsewhere, as for a normal actor call. Workers on other nodes, and drivers where a
compiled graph cannot be built, use normal actor calls.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

__all__ = ["WorkerChannel", "channel_errors", "ENABLED"]

logger = logging.getLogger("openvino_ray")

#: Compiled-graph channels to workers on the driver's node (``OV_RAY_COMPILED_GRAPHS=0``
#: turns them off: every call goes through Ray's task submission).
ENABLED = os.environ.get("OV_RAY_COMPILED_GRAPHS", "1").strip().lower() not in (
    "0", "no", "false", "off")


def channel_errors() -> tuple[type, ...]:
    """The errors of a closed channel (its worker died, or it was torn down)."""
    import ray

    exc = ray.exceptions
    return tuple(getattr(exc, n) for n in ("RayChannelError", "RayCgraphCapacityExceeded")
                 if isinstance(getattr(exc, n, None), type))


class WorkerChannel:
    """The compiled graph ``input -> worker.run(input)`` of one worker actor."""

    def __init__(self, actor: Any) -> None:
        from ray.dag import InputNode

        with InputNode() as call:
            dag = actor.run.bind(call)
        # no submit/get timeouts: a long inference is not a fault; a dead worker closes
        # the channel, which wakes its caller
        self._dag = dag.experimental_compile(_submit_timeout=-1)
        self._lock = threading.Lock()
        self.closed = False

    def call(self, args: tuple) -> Any:
        """``worker.run(args)``: submit, then read the result (one call at a time)."""
        with self._lock:
            if self.closed:
                raise _closed()
            try:
                return self._dag.execute(args).get(timeout=-1)
            except BaseException:
                self.closed = True
                raise

    def close(self) -> None:
        """Tear the graph down (the worker's loop ends; the actor stays)."""
        self.closed = True
        try:
            self._dag.teardown()
        except Exception as exc:  # a dead worker: its graph is gone already
            logger.debug("RAY: channel teardown: %s", exc)


def _closed() -> BaseException:
    import ray

    return ray.exceptions.RayChannelError("the worker's channel is closed")
