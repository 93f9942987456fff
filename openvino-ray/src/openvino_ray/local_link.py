"""``LocalLinks``: ``THROUGHPUT`` requests to a worker on the driver's own node through
Unix-socket connections to it, instead of Ray's task submission.

Why: a Ray actor call costs the driver and the worker about 1.5-2 ms of CPU together
(task specification, gRPC on both sides, the result's way back, thread hand-offs), which
at ResNet-50's 30 frames per second on two cores is several per cent of the machine. The
compiled-graph channels of :mod:`openvino_ray.channel` are cheaper per call but poll, so
they serve ``LATENCY`` only. A connection of a Unix socket costs a write and a read of a
few hundred bytes per request on each side, and both wait in a blocking ``recv`` (no
polling; the GIL released).

How: the driver listens on a fresh abstract Unix socket (Linux; its name holds a random
token, and the one connection accepted must come from the worker's process id, checked
with ``SO_PEERCRED``); an actor call (:meth:`openvino_ray.worker.Worker.link`) makes the
worker connect to it and serve that connection on a thread of its own. A connection
carries one request at a time (taken before the call, given back once its result is in):
the driver opens one per request in flight to the worker, at most :data:`MAX_LINKS`.
Each message is an 8-byte length and a pickle: ``(method, args)`` one way, the method's
result (values, never exceptions: :mod:`openvino_ray.worker`) the other. Inputs over
64 KiB still travel in the worker's shared-memory segments
(:mod:`openvino_ray.shared_inputs`); the message names the segment.

Faults: a worker that dies closes its connections: the call in flight raises
:class:`LinkBroken`, the driver drops every link of that worker and sends the request the
normal way, as a Ray actor call, which tells a dead worker (Ray's error: the request runs
again on another worker) from a live one (it answers). Requests of stateful models, whose
variables would see a repeated request twice, never use links. Workers on other nodes,
drivers off Linux, and ``OV_RAY_LOCAL_LINKS=0`` use Ray's actor calls.
"""

from __future__ import annotations

import logging
import os
import pickle
import secrets
import socket
import struct
import sys
import threading
from typing import Any

__all__ = ["LocalLinks", "Link", "LinkBroken", "ENABLED", "MAX_LINKS", "send", "receive"]

logger = logging.getLogger("openvino_ray")

ENABLED = sys.platform.startswith("linux") and os.environ.get(
    "OV_RAY_LOCAL_LINKS", "1").strip().lower() not in ("0", "no", "false", "off")
#: Connections per worker (requests to it in flight at once through links).
MAX_LINKS = 16
#: Seconds the worker has to connect once asked.
CONNECT_SECONDS = 10.0

_HEADER = struct.Struct("<Q")


class LinkBroken(ConnectionError):
    """The connection closed or failed mid-call (the worker may be dead)."""


def send(conn: socket.socket, value: Any) -> None:
    """Write ``value`` pickled, after its length."""
    payload = pickle.dumps(value, protocol=5)
    conn.sendall(_HEADER.pack(len(payload)) + payload)


def receive(conn: socket.socket) -> Any:
    """Read one message :func:`send` wrote; :class:`LinkBroken` at the end of the stream."""
    (size,) = _HEADER.unpack(_read(conn, _HEADER.size))
    return pickle.loads(_read(conn, size))


def _read(conn: socket.socket, size: int) -> bytearray:
    data = bytearray(size)
    view = memoryview(data)
    got = 0
    while got < size:
        n = conn.recv_into(view[got:], size - got)
        if n == 0:
            raise LinkBroken("the worker closed the connection")
        got += n
    return data


class Link:
    """One connection to a worker (driver side)."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn

    def call(self, method: str, args: tuple) -> Any:
        try:
            send(self.conn, (method, args))
            return receive(self.conn)
        except OSError as exc:  # LinkBroken is one
            raise LinkBroken(f"{type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass


class LocalLinks:
    """The links of one worker actor on the driver's node (driver side)."""

    def __init__(self, actor: Any, pid: int) -> None:
        self.actor = actor
        self.pid = pid
        self.lock = threading.Lock()
        self.free: list[Link] = []
        self.count = 0
        #: no link can be made, or one broke: actor calls from now on
        self.closed = False

    def take(self, ray: Any) -> Link | None:
        """A free link (a new one when none is free); ``None``: call the normal way."""
        with self.lock:
            if self.closed:
                return None
            if self.free:
                return self.free.pop()
            if self.count >= MAX_LINKS:
                return None
            self.count += 1
        try:
            return self._open(ray)
        except Exception as exc:
            logger.info("RAY: no local link to the worker (pid %s): %s; actor calls", self.pid,
                        exc)
            with self.lock:
                self.count -= 1
                self.closed = True
            return None

    def _open(self, ray: Any) -> Link:
        name = f"\0openvino-ray-{os.getpid()}-{secrets.token_hex(8)}"
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(name)
            server.listen(1)
            server.settimeout(CONNECT_SECONDS)
            error = ray.get(self.actor.link.remote(name), timeout=CONNECT_SECONDS)
            if error:
                raise RuntimeError(error)
            conn, _ = server.accept()
        finally:
            server.close()
        conn.settimeout(None)
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        peer, _, _ = struct.unpack("3i", creds)
        if peer != self.pid:
            conn.close()
            raise RuntimeError(f"a process other than the worker connected (pid {peer})")
        return Link(conn)

    def give(self, link: Link) -> None:
        with self.lock:
            if not self.closed:
                self.free.append(link)
                return
        link.close()

    def close(self) -> None:
        """The worker is lost or ended, or a link broke: close every free link (the ones
        in use are closed when given back)."""
        with self.lock:
            self.closed = True
            free, self.free = self.free, []
        for link in free:
            link.close()
