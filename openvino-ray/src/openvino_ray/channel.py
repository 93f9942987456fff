"""``WorkerChannel``: the fast path to a worker actor on the driver's own node, a Ray
Compiled Graph (``ray.dag``: ``InputNode`` bound to the worker's ``run``,
``experimental_compile()``) whose inputs and results travel through shared-memory
channels instead of Ray's task submission (tens of microseconds per call instead of most
of a millisecond).

One channel per worker, shared by every compiled model on it (the call names the model).
A compiled graph is not thread-safe and reads its results in submission order, so one
call runs at a time: a caller submits, then reads its result with the GIL released,
while the others wait for the channel.

What it costs: Ray (2.x) waits on a channel by polling, so a worker with an open channel
burns part of a core while it waits for input, and so does the driver thread waiting for
a result. Hence channels serve the ``LATENCY`` hint only (under ``THROUGHPUT`` the
actor's own queue keeps each worker busy), are built (in the background; calls go the
normal way meanwhile) only once a worker gets calls in quick succession
(:data:`BUILD_WITHIN` seconds apart), and are torn down after :data:`IDLE_SECONDS`
without calls (5 ms; the next burst builds one again).

A worker that dies closes its channel (Ray's compiled-graph monitor tears it down): the
call in flight raises Ray's actor error (the request runs again elsewhere, as for a
normal actor call) and later ones a channel error (the caller falls back to an actor
call, which tells a live worker from a dead one). The monitor's teardown logs the failed
cancel of the dead worker's loop as an ERROR with a traceback; for our workers that is
the expected end of a lost worker's channel (the pool logs the loss as a warning), so a
filter on Ray's ``ray.dag.compiled_dag_node`` logger (:class:`LostWorkerFilter`) turns
exactly that record, for our workers' actors only, into a debug record of ours.
Workers on other nodes, and drivers where a compiled graph cannot be built (Ray Client),
use normal actor calls.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from .background import no_auto_connect

__all__ = ["WorkerChannel", "channel_errors", "ENABLED", "IDLE_SECONDS", "BUILD_WITHIN",
           "LostWorkerFilter"]

logger = logging.getLogger("openvino_ray")

#: Compiled-graph channels to workers on the driver's node (``OV_RAY_COMPILED_GRAPHS=0``
#: turns them off: every call goes through Ray's task submission).
ENABLED = os.environ.get("OV_RAY_COMPILED_GRAPHS", "1").strip().lower() not in (
    "0", "no", "false", "off")
#: An open channel unused this long is torn down (its worker stops polling).
IDLE_SECONDS = 2.0
#: A worker's call following the previous one within this many seconds builds a channel.
BUILD_WITHIN = 1.0

_open: weakref.WeakSet = weakref.WeakSet()
_open_lock = threading.Lock()
_retirer: list[threading.Thread] = []
_at_exit: list[bool] = []
_teardown_lock = threading.Lock()


#: Ray's logger of compiled graphs (its monitor's teardown logs there).
RAY_DAG_LOGGER = "ray.dag.compiled_dag_node"
#: What the monitor logs when it cannot cancel the loop of a worker that died.
CANCEL_FAILED = "Error cancelling worker task"


class LostWorkerFilter(logging.Filter):
    """Drops Ray's ERROR record of a failed cancel whose cause is the death of one of
    our workers' actors (ids in :attr:`actors`), logging it at debug level instead; every
    other record (another graph's actors, other causes) passes unchanged."""

    def __init__(self) -> None:
        super().__init__()
        #: hex ids of the actors we built channels to (a few per process: one a worker)
        self.actors: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != CANCEL_FAILED or not record.exc_info:
            return True
        import ray

        exc = record.exc_info[1]
        actor_id = getattr(exc, "actor_id", None)
        if not isinstance(exc, ray.exceptions.RayActorError) or actor_id not in self.actors:
            return True
        logger.debug("RAY: the channel to lost worker actor %s was torn down by Ray: %s",
                     actor_id, str(exc).strip().splitlines()[0] if str(exc).strip() else "")
        return False


_lost_filter = LostWorkerFilter()


def _expect_loss_of(actor: Any) -> None:
    """Register ``actor`` with the filter (installed on first use)."""
    ray_log = logging.getLogger(RAY_DAG_LOGGER)
    if _lost_filter not in ray_log.filters:
        ray_log.addFilter(_lost_filter)
    _lost_filter.actors.add(actor._actor_id.hex())


def channel_errors() -> tuple[type, ...]:
    """The errors of a closed channel (its worker died, or it was torn down)."""
    import ray

    exc = ray.exceptions
    return tuple(getattr(exc, n) for n in ("RayChannelError", "RayCgraphCapacityExceeded")
                 if isinstance(getattr(exc, n, None), type))


class WorkerChannel:
    """The compiled graph ``input -> worker.run(input)`` of one worker actor;
    ``on_retire`` is called when it is torn down for idleness."""

    def __init__(self, actor: Any, on_retire: Callable[[WorkerChannel], None]) -> None:
        from ray.dag import InputNode

        _expect_loss_of(actor)
        with InputNode() as call:
            dag = actor.run.bind(call)
        # no submit/get timeouts: a long inference is not a fault; a dead worker closes
        # the channel, which wakes its caller
        self._dag = dag.experimental_compile(_submit_timeout=-1)
        self._lock = threading.Lock()
        self._on_retire = on_retire
        self.closed = False
        #: torn down for idleness (the worker lives): callers use an actor call instead
        self.retired = False
        self.last_used = time.monotonic()
        with _open_lock:
            _open.add(self)
            if not _at_exit:
                atexit.register(_close_all)  # ray is imported: this runs before its own
                _at_exit.append(True)
            if not _retirer or not _retirer[0].is_alive():
                thread = threading.Thread(target=_retire_idle, name="openvino-ray-channels",
                                          daemon=True)
                _retirer[:] = [thread]
                thread.start()

    def call(self, args: tuple) -> Any:
        """``worker.run(args)``: submit, then read the result (one call at a time). Both
        travel pickled into one ``bytes`` (Ray passes ``bytes`` through its channels
        without its own serializer: 60 us less per call here than a tuple)."""
        payload = pickle.dumps(args, protocol=5)
        with self._lock:
            if self.closed:
                raise _closed()
            try:
                return pickle.loads(self._dag.execute(payload).get(timeout=-1))
            except BaseException:
                self.closed = True
                raise
            finally:
                self.last_used = time.monotonic()

    def retire_if_idle(self, now: float) -> bool:
        """Torn down when unused for :data:`IDLE_SECONDS` (never while a call runs)."""
        if self.closed or now - self.last_used < IDLE_SECONDS:
            return self.closed
        if not self._lock.acquire(blocking=False):
            return False
        try:
            if now - self.last_used < IDLE_SECONDS:
                return False
            self.closed = self.retired = True
        finally:
            self._lock.release()
        self._on_retire(self)
        self._teardown()
        return True

    def close(self) -> None:
        """Tear the graph down (the worker's loop ends; the actor stays)."""
        self.closed = True
        self._teardown()

    def _teardown(self) -> None:
        import ray

        with _open_lock:
            _open.discard(self)
        if not ray.is_initialized():
            # ray.shutdown() tore every compiled graph down; a Ray call now would start a
            # new local Ray (Ray's calls connect on first use)
            return
        # Ray logs each teardown's steps at INFO: routine here (an idle channel), so quiet
        with _teardown_lock:
            ray_log = logging.getLogger("ray.dag.compiled_dag_node")
            level = ray_log.level
            ray_log.setLevel(logging.WARNING)
            try:
                self._dag.teardown()
            except Exception as exc:  # a dead worker: its graph is gone already
                logger.debug("RAY: channel teardown: %s", exc)
            finally:
                ray_log.setLevel(level)


def _close_all() -> None:
    """At exit, before Ray's own shutdown (registered after it, so run before it): the
    open channels torn down quietly, not by Ray while the interpreter's streams close."""
    with _open_lock:
        channels = list(_open)
    for channel in channels:
        try:
            channel.close()
        except Exception:
            pass


def _retire_idle() -> None:
    while True:
        time.sleep(IDLE_SECONDS / 4)
        with _open_lock:
            channels = list(_open)
        now = time.monotonic()
        for channel in channels:
            try:
                with no_auto_connect():
                    channel.retire_if_idle(now)
            except Exception as exc:  # Ray shut down meanwhile
                logger.debug("RAY: channel retirement: %s", exc)


def _closed() -> BaseException:
    import ray

    return ray.exceptions.RayChannelError("the worker's channel is closed")
