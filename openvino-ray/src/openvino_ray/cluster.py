"""The cluster side of the RAY device: connecting to Ray (:func:`connect`), the worker
actors of this process (:class:`WorkerPool`, shared by the compiled models), and the
workers of one compiled model (:class:`WorkerGroup`: least-loaded choice, lost workers
replaced, requests run again elsewhere).

Under the ``THROUGHPUT`` hint with no actor options given, a compiled model's workers are one
per node, each holding all of its node's CPUs (:meth:`WorkerPool.acquire_nodes`; their pool
key :func:`node_key`); otherwise they are actors of the given (or default) options, spread
over the nodes.

Workers outlive the compiled models that used them for a short while (``IDLE_SECONDS``):
a program that compiles many models one after the other (a test suite) reuses them
instead of starting a process per compile; a worker idle longer, or one standing in the
way of a new worker's resources, is ended.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
from typing import Any
from urllib.parse import urlparse

from . import channel as _channel
from . import local_link as _link
from . import shared_inputs as _shared
from .background import no_auto_connect
from .config import per_node
from .worker import MAX_CONCURRENCY, Worker

__all__ = ["connect", "WorkerPool", "WorkerGroup", "WorkerHandle", "LOST_ERRORS", "pool",
           "later", "node_key"]

logger = logging.getLogger("openvino_ray")

#: Seconds an unused worker is kept for the next compiled model.
IDLE_SECONDS = 30.0

_connect_lock = threading.Lock()

_chores: queue.SimpleQueue = queue.SimpleQueue()
_janitor: list[threading.Thread] = []


def later(function: Any, *args: Any) -> None:
    """Run ``function(*args)`` soon on a thread of its own: what finalizers of compiled
    models and requests do (Ray calls and locks), which must not run inside the garbage
    collector, in whatever thread it interrupted."""
    _chores.put((function, args))
    if not _janitor or not _janitor[0].is_alive():
        thread = threading.Thread(target=_work, name="openvino-ray-janitor", daemon=True)
        _janitor[:] = [thread]
        thread.start()


def _work() -> None:
    while True:
        function, args = _chores.get()
        try:
            with no_auto_connect():
                function(*args)
        except Exception as exc:  # a cluster already gone: nothing left to tidy
            logger.debug("RAY: %s failed: %s", getattr(function, "__name__", function), exc)


def _ray() -> Any:
    import ray

    return ray


def _lost_errors() -> tuple[type, ...]:
    exc = _ray().exceptions
    names = ("RayActorError", "ActorDiedError", "ActorUnavailableError", "NodeDiedError",
             "WorkerCrashedError", "ObjectLostError", "OwnerDiedError", "LocalRayletDiedError",
             "ActorPlacementGroupRemoved")
    return tuple(getattr(exc, n) for n in names if isinstance(getattr(exc, n, None), type))


LOST_ERRORS: tuple[type, ...] = ()


def _probe(address: str, timeout: float) -> None:
    """Fail within ``timeout`` seconds, naming ``address``, when nothing listens there (Ray
    itself may wait much longer for an unreachable cluster)."""
    if address in ("auto", "local"):
        return
    parsed = urlparse(address if "://" in address else f"tcp://{address}")
    host, port = parsed.hostname, parsed.port
    if not host or not port:
        raise RuntimeError(f"RAY: RAY_ADDRESS '{address}' is not host:port or ray://host:port")
    try:
        with socket.create_connection((host, port), timeout=min(timeout, 10.0)):
            pass
    except OSError as exc:
        raise RuntimeError(f"RAY: cannot reach the Ray cluster at RAY_ADDRESS '{address}' "
                           f"within {min(timeout, 10.0):g} s: {exc}") from None


def connect(address: str, timeout: float) -> Any:
    """The ``ray`` module, connected: to ``address`` when given, else the Ray this process
    already uses, else ``$RAY_ADDRESS``, else a new local Ray (as ``ray.init()`` starts one,
    without its dashboard). Connecting to another cluster than the current one is refused
    (a process talks to one Ray cluster)."""
    global LOST_ERRORS
    ray = _ray()
    if not LOST_ERRORS:
        LOST_ERRORS = _lost_errors()
    with _connect_lock:
        if ray.is_initialized():
            if address and address not in ("auto",) and not _same_cluster(ray, address):
                current = ray.get_runtime_context().gcs_address
                raise RuntimeError(f"RAY: this process is connected to the Ray cluster at "
                                   f"'{current}', not RAY_ADDRESS '{address}' (ray.shutdown() "
                                   f"first to change clusters)")
            return ray
        target = address or os.environ.get("RAY_ADDRESS", "")
        if target:
            _probe(target, timeout)
            try:
                ray.init(address=target, log_to_driver=False)
            except Exception as exc:
                raise RuntimeError(f"RAY: cannot connect to the Ray cluster at RAY_ADDRESS "
                                   f"'{target}': {exc}") from None
        else:
            ray.init(address="local", include_dashboard=False, log_to_driver=False)
        return ray


def _same_cluster(ray: Any, address: str) -> bool:
    current = ray.get_runtime_context().gcs_address or ""
    parsed = urlparse(address if "://" in address else f"tcp://{address}")
    if parsed.scheme == "ray":  # a Ray Client address: the client connection is the one
        return True
    host, port = parsed.hostname, parsed.port
    c_host, _, c_port = current.rpartition(":")
    if str(port) != c_port:
        return False
    names = {host, c_host}
    local = {"127.0.0.1", "localhost", socket.gethostname()}
    try:
        local.add(ray.util.get_node_ip_address())
    except Exception:
        pass
    return len(names) == 1 or names <= local


class WorkerHandle:
    """One worker actor as the driver sees it: its load (requests in flight from this
    process), the models compiled on it, its node and process, and the compiled-graph
    channel to it when it runs on the driver's node (:mod:`openvino_ray.channel`)."""

    def __init__(self, actor: Any, options_key: str, cpus: float = 0.0) -> None:
        self.actor = actor
        self.options_key = options_key
        #: the CPUs Ray gave the actor
        self.cpus = cpus
        self.load = 0
        self.users = 0
        self.alive = True
        self.idle_since = time.monotonic()
        self.info: dict[str, Any] = {}
        self.cause = ""
        #: on the driver's node: calls may go through a compiled-graph channel
        self.local = False
        #: None: none now; True: being built; False: never (it failed); or the channel
        self._channel: _channel.WorkerChannel | bool | None = None
        self._channel_lock = threading.Lock()
        self._last_call = -1e9
        #: on the driver's node: large inputs go through shared memory
        self._shared: _shared.SharedInputs | None = None
        #: on the driver's node: THROUGHPUT calls go through Unix-socket links
        self._links: _link.LocalLinks | None = None

    @property
    def node_id(self) -> str:
        return str(self.info.get("node_id", ""))

    @property
    def per_node(self) -> bool:
        """One of the per-node workers of ``THROUGHPUT`` (all of its node's CPUs)."""
        return self.options_key.startswith(_NODE_PREFIX)

    @property
    def channel(self) -> _channel.WorkerChannel | None:
        """The open compiled-graph channel to this worker, if there is one now."""
        channel = self._channel
        return channel if isinstance(channel, _channel.WorkerChannel) else None

    def infer(self, ray: Any, call: tuple, fast: bool = True, shareable: bool = False,
              linked: bool = False) -> Any:
        """``worker.infer(*call)``: through the channel to a worker of the driver's node
        when ``fast`` (the ``LATENCY`` hint) and one is open; else, when ``linked`` (a
        stateless model under ``THROUGHPUT``), through a Unix-socket link to a worker of
        the driver's node; else (or when the channel or link closed) as a normal actor
        call. Inputs go in shared memory when ``shareable`` (plain numbers, large) and the
        worker is on the driver's node. A lost worker raises one of :data:`LOST_ERRORS`."""
        channel = self._channel_to() if fast else None
        if channel is not None:
            try:
                return channel.call(call)
            except _channel.channel_errors() as exc:  # closed: the worker may still live
                if not channel.retired:
                    self.drop_channel(f"{type(exc).__name__}: {exc}")
        if linked and self.local and _link.ENABLED:
            result = self._infer_linked(ray, call, shareable)
            if result is not None:
                return result
        if shareable and self.local and _shared.ENABLED:
            result = self._infer_shared(ray, call)
            if result is not None:
                return result
        return ray.get(self.actor.infer.remote(*call))

    def _shared_inputs(self) -> _shared.SharedInputs:
        shared = self._shared
        if shared is None:
            with self._channel_lock:
                if self._shared is None:
                    self._shared = _shared.SharedInputs(self.actor)
                shared = self._shared
        return shared

    def _infer_shared(self, ray: Any, call: tuple) -> Any:
        """``worker.infer_shared``: the inputs of ``call`` written into a segment of this
        worker's :class:`~openvino_ray.shared_inputs.SharedInputs`; ``None`` when none is
        free (the caller sends them the normal way)."""
        shared = self._shared_inputs()
        arrays = call[3:]
        offsets, total = _shared.layout([a.nbytes for a in arrays])
        segment = shared.take(ray, total)
        if segment is None:
            return None
        try:
            segment.write(arrays, offsets)
            return ray.get(self.actor.infer_shared.remote(*call[:3], segment.name, offsets))
        finally:
            shared.give(segment)

    def _infer_linked(self, ray: Any, call: tuple, shareable: bool) -> Any:
        """``worker.infer`` (``infer_shared`` with the inputs in a segment when
        ``shareable``) through a free link of this worker's
        :class:`~openvino_ray.local_link.LocalLinks`; ``None`` when none is free or the
        link broke (every link of the worker is closed then; the caller sends the request
        the normal way, which tells a lost worker from a live one)."""
        links = self._links
        if links is None:
            with self._channel_lock:
                if self._links is None:
                    self._links = _link.LocalLinks(self.actor, int(self.info.get("pid", -1)))
                links = self._links
        link = links.take(ray)
        if link is None:
            return None
        shared = segment = None
        try:
            if shareable and _shared.ENABLED:
                shared = self._shared_inputs()
                arrays = call[3:]
                offsets, total = _shared.layout([a.nbytes for a in arrays])
                segment = shared.take(ray, total)
            if segment is not None:
                segment.write(arrays, offsets)
                result = link.call("infer_shared", (*call[:3], segment.name, offsets))
            else:
                result = link.call("infer", call)
        except _link.LinkBroken as exc:
            logger.debug("RAY: link to %r closed: %s", self, exc)
            link.close()
            links.close()
            return None
        finally:
            if segment is not None:
                shared.give(segment)
        links.give(link)
        return result

    def drop_shared(self) -> None:
        """The worker is lost or ended: unmap its shared-memory segments, close its
        links."""
        shared = self._shared
        if shared is not None:
            shared.close()
        links = self._links
        if links is not None:
            links.close()

    def _channel_to(self) -> _channel.WorkerChannel | None:
        """The open channel; else, when calls come in quick succession, start building
        one in the background (this call goes the normal way)."""
        channel = self._channel
        if isinstance(channel, _channel.WorkerChannel):
            return channel
        now = time.monotonic()
        recent, self._last_call = now - self._last_call <= _channel.BUILD_WITHIN, now
        if channel is None and recent and self.local and self.alive and _channel.ENABLED:
            with self._channel_lock:
                if self._channel is None:
                    self._channel = True
                    threading.Thread(target=self._build_channel, daemon=True,
                                     name="openvino-ray-channel").start()
        return None

    def _build_channel(self) -> None:
        try:
            if not _ray().is_initialized():  # shut down meanwhile: no Ray call may follow
                raise RuntimeError("Ray is shut down")
            with no_auto_connect():
                channel = _channel.WorkerChannel(self.actor, self._retired)
        except Exception as exc:  # e.g. a Ray Client driver: actor calls only
            logger.info("RAY: no compiled-graph channel to %r (normal actor calls): %s",
                        self, exc)
            with self._channel_lock:
                self._channel = False
            return
        with self._channel_lock:
            if self._channel is True and self.alive:
                self._channel = channel
                return
        channel.close()  # dropped meanwhile

    def _retired(self, channel: _channel.WorkerChannel) -> None:
        with self._channel_lock:
            if self._channel is channel:
                self._channel = None  # the next burst of calls builds one again

    def drop_channel(self, cause: str = "") -> None:
        """Tear the channel down (on the janitor thread); later calls are actor calls."""
        with self._channel_lock:
            channel, self._channel = self._channel, False
        if isinstance(channel, _channel.WorkerChannel):
            if cause:
                logger.debug("RAY: channel to %r closed: %s", self, cause)
            later(channel.close)

    def __repr__(self) -> str:
        return f"<RAY worker pid {self.info.get('pid')} on node {self.node_id[:8]}>"


class WorkerPool:
    """The worker actors of this process, by actor options; per Ray session."""

    def __init__(self, ray: Any) -> None:
        self.ray = ray
        self.job = ray.get_runtime_context().get_job_id()
        #: the driver's node: its workers are reached through compiled-graph channels
        self.node_id = ray.get_runtime_context().get_node_id()
        # reentrant: a compiled model collected while this thread holds the lock (its
        # finalizer gives its workers back) must not deadlock
        self.lock = threading.RLock()
        self.workers: list[WorkerHandle] = []
        self._actor_class = ray.remote(max_concurrency=MAX_CONCURRENCY)(Worker)
        self._reaper: threading.Timer | None = None

    # --- starting workers ----------------------------------------------------------------------
    def _start(self, options: dict[str, Any], options_key: str, count: int,
               timeout: float) -> list[WorkerHandle]:
        """Start ``count`` workers spread over the nodes; fail after ``timeout`` seconds
        when the cluster cannot place them (ending those that did not start)."""
        return self._start_specs([(options, options_key)] * count, timeout, options)

    def _start_specs(self, specs: list[tuple[dict[str, Any], str]], timeout: float,
                     shown: Any) -> list[WorkerHandle]:
        """Start one worker per ``(actor options, pool key)`` of ``specs`` (``SPREAD``
        unless the options say where); fail after ``timeout`` seconds when the cluster
        cannot place them (ending those that did not start), naming ``shown``."""
        count = len(specs)
        if count <= 0:
            return []
        ray = self.ray
        handles = [WorkerHandle(self._actor_class.options(
            **{"scheduling_strategy": "SPREAD", **options}).remote(), key,
            float(options.get("num_cpus") or 0)) for options, key in specs]
        refs = {h.actor.info.remote(): h for h in handles}
        deadline = time.monotonic() + timeout
        ready: list[Any] = []
        pending = list(refs)
        while pending:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            done, pending = ray.wait(pending, num_returns=len(pending), timeout=min(left, 1.0))
            ready += done
            if pending:  # workers given back meanwhile make room
                with self.lock:
                    self._end_idle()
        failed = []
        for ref in ready:
            try:
                refs[ref].info = ray.get(ref)
                refs[ref].local = refs[ref].node_id == self.node_id
            except Exception as exc:
                failed.append(f"{type(exc).__name__}: {exc}")
        if pending or failed:
            for h in handles:
                ray.kill(h.actor, no_restart=True)
            if failed:
                raise RuntimeError(f"RAY: worker actors failed to start: {failed[0]}")
            raise RuntimeError(
                f"RAY: the cluster has no resources for {count} worker actor(s) with "
                f"{shown} after {timeout:g} s ({len(pending)} still pending; cluster "
                f"resources {self._resources(ray.cluster_resources())}, available "
                f"{self._resources(ray.available_resources())}); lower NUM_STREAMS or "
                f"RAY_ACTOR_OPTIONS, or add nodes")
        return handles

    @staticmethod
    def _resources(res: dict[str, float]) -> dict[str, float]:
        return {k: v for k, v in sorted(res.items())
                if k in ("CPU", "GPU", "memory") or not k.startswith(("node:", "object_store"))}

    def acquire(self, options: dict[str, Any], options_key: str, count: int, timeout: float,
                exclude: tuple[WorkerHandle, ...] = (),
                share_nodes: bool = False) -> list[WorkerHandle]:
        """``count`` distinct live workers with these options (the least used first; new
        ones started as needed). Idle workers of other options are ended to make room.
        ``share_nodes``: a live per-node worker will do too (the single default actor of
        ``LATENCY``, which a ``THROUGHPUT`` model's per-node workers would leave no CPU
        for; it has at least the CPU asked for)."""
        with self.lock:
            candidates = [w for w in self.workers if w.alive and w not in exclude and (
                w.options_key == options_key or (share_nodes and w.per_node))]
            candidates.sort(key=lambda w: (w.users, w.load, not w.local))
            chosen = _spread(candidates, count)
            for w in chosen:
                w.users += 1
            missing = count - len(chosen)
            if missing > 0:
                self._end_idle(keep=lambda w: w.options_key == options_key)
        if missing > 0:
            try:
                started = self._start(options, options_key, missing, timeout)
            except Exception:
                self.release(chosen)
                raise
            with self.lock:
                for w in started:
                    w.users += 1
                self.workers.extend(started)
            chosen += started
        return chosen

    def node_cpus(self) -> dict[str, float]:
        """The CPUs of each live node that has at least one (``ray.nodes()``)."""
        found = {}
        for node in self.ray.nodes():
            cpus = float((node.get("Resources") or {}).get("CPU", 0))
            if node.get("Alive") and cpus >= 1:
                found[str(node["NodeID"])] = cpus
        return found

    def acquire_nodes(self, timeout: float, nodes: list[str] | None = None
                      ) -> list[WorkerHandle]:
        """One per-node worker on each of ``nodes`` (default: every live node with CPUs),
        holding the node's CPUs: a live one of this pool, else a new one placed on the
        node (less the CPUs this pool's other live workers there hold; a node they fill
        is left out). Fails as :meth:`acquire` when none can be placed."""
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        cpus = self.node_cpus()
        wanted = [n for n in (cpus if nodes is None else nodes) if n in cpus]
        chosen: list[WorkerHandle] = []
        specs: list[tuple[dict[str, Any], str]] = []
        with self.lock:
            self._end_idle(keep=lambda w: w.per_node)
            for node in wanted:
                mine = [w for w in self.workers if w.alive and w.node_id == node]
                own = next((w for w in mine if w.options_key == node_key(node)), None)
                if own is not None:
                    own.users += 1
                    chosen.append(own)
                    continue
                free = cpus[node] - sum(w.cpus for w in mine)
                if free >= 1:
                    specs.append(({"num_cpus": free, "scheduling_strategy":
                                   NodeAffinitySchedulingStrategy(node, soft=False)},
                                  node_key(node)))
        if not chosen and not specs:
            raise RuntimeError(f"RAY: no node of the cluster has a CPU left for a worker "
                               f"actor (live nodes' CPUs {sorted(cpus.values())})")
        try:
            started = self._start_specs(specs, timeout, "each of its node's CPUs")
        except Exception:
            self.release(chosen)
            raise
        with self.lock:
            for w in started:
                w.users += 1
            self.workers.extend(started)
        return chosen + started

    def release(self, workers: list[WorkerHandle]) -> None:
        with self.lock:
            for w in workers:
                w.users = max(0, w.users - 1)
                if w.users == 0:
                    w.idle_since = time.monotonic()
            self._schedule_reaper()

    def lost(self, worker: WorkerHandle, cause: str) -> None:
        with self.lock:
            if worker.alive:
                worker.alive = False
                worker.cause = cause
                logger.warning("RAY: lost %r: %s", worker, cause)
            if worker in self.workers:
                self.workers.remove(worker)
        worker.drop_channel()
        worker.drop_shared()

    def _end_idle(self, keep: Any = None, older_than: float = 0.0) -> None:
        """End the workers idle for ``older_than`` seconds; with ``older_than`` 0, those
        for which ``keep(worker)`` is false (to make room for others)."""
        now = time.monotonic()
        for w in list(self.workers):
            if w.users == 0 and w.load == 0 and now - w.idle_since >= older_than and (
                    keep is None or not keep(w) or older_than > 0):
                self.workers.remove(w)
                w.alive = False
                w.drop_channel()
                w.drop_shared()
                later(_kill, self.ray, w.actor)

    def _schedule_reaper(self) -> None:
        if self._reaper is not None or not any(w.users == 0 for w in self.workers):
            return

        def reap() -> None:
            with self.lock:
                self._reaper = None
                if self.ray.is_initialized():
                    self._end_idle(older_than=IDLE_SECONDS)
                self._schedule_reaper()

        self._reaper = threading.Timer(IDLE_SECONDS / 2, reap)
        self._reaper.daemon = True
        self._reaper.start()


def _kill(ray: Any, actor: Any) -> None:
    """End a worker (after its channel's teardown, queued before on the same thread)."""
    if ray.is_initialized():
        ray.kill(actor, no_restart=True)


_NODE_PREFIX = "node:"


def node_key(node_id: str) -> str:
    """The pool key of the per-node worker of ``node_id``."""
    return f"{_NODE_PREFIX}{node_id}"


def _spread(candidates: list[WorkerHandle], count: int) -> list[WorkerHandle]:
    """Up to ``count`` of ``candidates``, one per node in turn (as SPREAD places them)."""
    chosen: list[WorkerHandle] = []
    rest = list(candidates)
    while rest and len(chosen) < count:
        nodes: set[str] = set()
        for w in list(rest):
            if len(chosen) >= count:
                break
            if w.node_id not in nodes:
                nodes.add(w.node_id)
                chosen.append(w)
                rest.remove(w)
    return chosen


_pool: WorkerPool | None = None
_pool_lock = threading.Lock()


def pool(ray: Any) -> WorkerPool:
    """The worker pool of the current Ray session (a new one after ``ray.shutdown()`` and
    ``ray.init()``)."""
    global _pool
    with _pool_lock:
        job = ray.get_runtime_context().get_job_id()
        if _pool is None or _pool.job != job:
            _pool = WorkerPool(ray)
        return _pool


class WorkerGroup:
    """The workers one compiled model runs on, with the model compiled on each."""

    def __init__(self, pool: WorkerPool, key: str, blob_ref: Any, settings: Any,
                 target_config: dict[str, Any], count: int) -> None:
        self.pool = pool
        self.ray = pool.ray
        self.key = key
        self.blob_ref = blob_ref
        self.settings = settings
        self.target_config = target_config
        self.count = count
        self.cond = threading.Condition()
        self.workers: list[WorkerHandle] = []
        self.compiled: dict[WorkerHandle, dict[str, Any]] = {}
        self.last_cause = ""
        self.closed = False
        self._replacing = 0
        #: one worker per node, holding its CPUs (``THROUGHPUT`` without actor options)
        self.per_node = per_node(settings)
        if self.per_node:
            workers = pool.acquire_nodes(settings.timeout)
        else:
            # the single default actor may be a per-node worker a THROUGHPUT model holds
            single = count == 1 and settings.streams <= 0 and not settings.options_given
            workers = pool.acquire(settings.options, settings.options_key(), count,
                                   settings.timeout, share_nodes=single)
        try:
            self._compile_on(workers)
        except Exception:
            pool.release(workers)
            raise
        self.workers = workers

    def _compile_on(self, workers: list[WorkerHandle]) -> None:
        ray = self.ray
        refs = [w.actor.compile.remote(self.key, self.blob_ref, self.settings.target,
                                       self.target_config) for w in workers]
        ready, pending = ray.wait(refs, num_returns=len(refs),
                                  timeout=max(self.settings.timeout, 60.0))
        if pending:
            raise RuntimeError(f"RAY: the workers did not compile the model within "
                               f"{max(self.settings.timeout, 60.0):g} s")
        for w, ref in zip(workers, refs):
            try:
                result = ray.get(ref)
            except LOST_ERRORS as exc:
                self.pool.lost(w, _cause(exc))
                raise RuntimeError(f"RAY: a worker was lost while compiling: "
                                   f"{_cause(exc)}") from None
            if isinstance(result, tuple) and result and result[0] == "error":
                _, type_name, message = result
                raise RuntimeError(f"RAY: the worker on node {w.info.get('ip', '?')} (pid "
                                   f"{w.info.get('pid')}) could not compile the model on "
                                   f"{self.settings.target}: {type_name}: {message}")
            w.info.update({k: result[k] for k in ("pid", "node_id", "ip")})
            self.compiled[w] = result

    # --- what the compiled model reports -------------------------------------------------------
    def optimal_requests(self) -> int:
        with self.cond:
            return max(1, sum(int(self.compiled[w]["optimal"]) for w in self.workers
                              if w in self.compiled))

    def reported(self) -> dict[str, Any]:
        """The workers' :data:`~openvino_ray.worker.REPORTED` properties (the first
        worker's value of each)."""
        with self.cond:
            found: dict[str, Any] = {}
            for w in self.workers:
                for key, value in self.compiled.get(w, {}).get("reported", {}).items():
                    found.setdefault(key, value)
            return found

    def execution_devices(self) -> list[str]:
        with self.cond:
            found: list[str] = []
            for w in self.workers:
                for d in self.compiled.get(w, {}).get("devices", []):
                    if d not in found:
                        found.append(d)
            return found

    # --- choosing a worker ---------------------------------------------------------------------
    def pick(self, pinned: WorkerHandle | None = None) -> WorkerHandle:
        """The least-loaded live worker (``pinned`` when it lives); waits for a replacement
        while none is left and one is being started."""
        deadline = time.monotonic() + self.settings.timeout
        with self.cond:
            while True:
                if pinned is not None and pinned.alive and pinned in self.workers:
                    chosen = pinned
                else:
                    live = [w for w in self.workers if w.alive]
                    chosen = min(live, key=lambda w: w.load) if live else None
                if chosen is not None:
                    chosen.load += 1
                    return chosen
                left = deadline - time.monotonic()
                if self.closed or self._replacing == 0 or left <= 0:
                    raise RuntimeError(f"RAY: no worker can run the request: every worker "
                                       f"of this compiled model was lost and none could be "
                                       f"started again (last cause: {self.last_cause})")
                self.cond.wait(min(left, 1.0))

    def done(self, worker: WorkerHandle) -> None:
        with self.cond:
            worker.load = max(0, worker.load - 1)
            if worker.load == 0:
                worker.idle_since = time.monotonic()

    def lost(self, worker: WorkerHandle, exc: BaseException) -> None:
        """``worker`` died: drop it and start a replacement in the background."""
        cause = _cause(exc)
        self.pool.lost(worker, cause)
        with self.cond:
            self.last_cause = f"{worker!r}: {cause}"
            if worker not in self.workers:
                return
            self.workers.remove(worker)
            self.compiled.pop(worker, None)
            if self.closed:
                return
            self._replacing += 1
            self.cond.notify_all()
        threading.Thread(target=self._replace, args=(worker.node_id,),
                         name="openvino-ray-replace", daemon=True).start()

    def _replace(self, node: str) -> None:
        with no_auto_connect():
            self._replace_on(node)

    def _replace_on(self, node: str) -> None:
        new: list[WorkerHandle] = []
        try:
            with self.cond:
                exclude = tuple(self.workers)
            if not self.ray.is_initialized():  # a Ray call now would start a new Ray
                raise RuntimeError("closed")
            if self.per_node:  # on the lost worker's node, if it lives
                if node not in self.pool.node_cpus():
                    raise RuntimeError(f"its node {node[:8]} is gone")
                new = self.pool.acquire_nodes(self.settings.timeout, [node])
            else:
                new = self.pool.acquire(self.settings.options, self.settings.options_key(),
                                        1, self.settings.timeout, exclude=exclude)
            self._compile_on(new)
            with self.cond:
                if self.closed:
                    raise RuntimeError("closed")
                self.workers.extend(new)
        except Exception as exc:
            self.pool.release(new)
            with self.cond:
                if str(exc) != "closed":
                    self.last_cause += f"; no replacement: {exc}"
                    logger.warning("RAY: no replacement worker: %s", exc)
        finally:
            with self.cond:
                self._replacing -= 1
                self.cond.notify_all()

    def close(self) -> None:
        """The compiled model is gone: drop it on its workers, give them back."""
        with self.cond:
            if self.closed:
                return
            self.closed = True
            workers, self.workers = self.workers, []
        if not self.ray.is_initialized():
            return
        for w in workers:
            try:
                w.actor.release.remote(self.key)
            except Exception:
                pass
        self.pool.release(workers)


def _cause(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"
