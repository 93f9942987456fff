"""``SharedInputs``: the inputs of requests to a worker on the driver's own node, written
into shared-memory segments that the driver and the worker both map, instead of Ray's
object store.

Why: an input over Ray's inline limit (100 KiB) goes through the object store, which costs
the node's raylet (the store's host) and both processes several calls per request: create,
seal, pin, get, release, delete (about 2 ms of CPU for a 1 x 3 x 224 x 224 image, most of
it outside the worker). Through a segment, a request is one copy of its inputs by the
driver and a small actor call that names the segment; the worker reads the inputs in place.

How: each segment is a file in ``/dev/shm`` the driver creates and sizes; the worker maps it
(:meth:`openvino_ray.worker.Worker.attach`), then the driver unlinks the file, so the
memory goes when both processes have unmapped it (a crash leaves nothing behind). A segment
serves one request at a time (taken before the call, given back once its result is in):
a worker has as many as it had requests in flight at once, at most :data:`MAX_SEGMENTS`.
A worker on another node, a host without ``/dev/shm``, a worker that cannot map the
segment, inputs that are not plain numbers, small inputs (up to
:data:`~openvino_ray.worker.PACKED_BYTES`, packed into the call itself), or more requests
in flight than segments: the inputs go the normal way. ``OV_RAY_SHARED_INPUTS=0`` turns
segments off.
"""

from __future__ import annotations

import itertools
import logging
import mmap
import os
import secrets
import threading
from typing import Any

import numpy as np

__all__ = ["SharedInputs", "Segment", "ENABLED", "MAX_SEGMENTS", "ALIGN", "layout"]

logger = logging.getLogger("openvino_ray")

SHM_DIR = "/dev/shm"
ENABLED = os.environ.get("OV_RAY_SHARED_INPUTS", "1").strip().lower() not in (
    "0", "no", "false", "off") and os.path.isdir(SHM_DIR)
#: Segments per worker (requests to it in flight at once through segments).
MAX_SEGMENTS = 16
#: Each input starts at a multiple of this many bytes (cache lines; SIMD loads).
ALIGN = 64

_names = itertools.count()


def layout(sizes: list[int]) -> tuple[list[int], int]:
    """Offsets of arrays of ``sizes`` bytes one after the other, each aligned; the total."""
    offsets = []
    end = 0
    for size in sizes:
        offsets.append(end)
        end += -(-size // ALIGN) * ALIGN
    return offsets, end


class Segment:
    """One shared-memory segment of the driver: its name (the worker's key) and mapping."""

    def __init__(self, size: int) -> None:
        self.name = f"openvino-ray-{os.getpid()}-{next(_names)}-{secrets.token_hex(4)}"
        self.path = os.path.join(SHM_DIR, self.name)
        self.size = size
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            # the pages reserved now: a full /dev/shm fails here (ENOSPC), not with SIGBUS
            # at a later write into the mapping
            if hasattr(os, "posix_fallocate"):
                os.posix_fallocate(fd, 0, size)
            else:
                os.ftruncate(fd, size)
            self.map = mmap.mmap(fd, size)
        except BaseException:
            os.unlink(self.path)
            raise
        finally:
            os.close(fd)

    def write(self, arrays: list[np.ndarray], offsets: list[int]) -> None:
        for array, offset in zip(arrays, offsets):
            target = np.frombuffer(self.map, array.dtype, array.size, offset)
            np.copyto(target.reshape(array.shape), array)
            del target

    def unlink(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def close(self) -> None:
        try:
            self.map.close()
        except BufferError:  # a view still exported: the mapping goes with it
            pass


class SharedInputs:
    """The segments of one worker actor (driver side)."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.lock = threading.Lock()
        self.free: list[Segment] = []
        self.count = 0
        #: the worker cannot map our segments (another mount namespace): never again
        self.broken = False
        self.closed = False

    def take(self, ray: Any, nbytes: int) -> Segment | None:
        """A free segment of at least ``nbytes`` (a new one mapped by the worker when
        none fits); ``None``: send the inputs the normal way."""
        with self.lock:
            if self.broken or self.closed:
                return None
            fits = [s for s in self.free if s.size >= nbytes]
            if fits:
                segment = min(fits, key=lambda s: s.size)
                self.free.remove(segment)
                return segment
            if self.count >= MAX_SEGMENTS:
                if not self.free:
                    return None
                # every segment is too small for these inputs: the smallest free one goes
                old = min(self.free, key=lambda s: s.size)
                self.free.remove(old)
                self.count -= 1
                self._drop([old])
            self.count += 1
        try:
            segment = Segment(-(-nbytes // mmap.PAGESIZE) * mmap.PAGESIZE)
        except OSError as exc:  # /dev/shm full or not writable
            logger.info("RAY: no shared-memory segment (%s): inputs go the normal way", exc)
            with self.lock:
                self.count -= 1
                self.broken = True
            return None
        try:
            error = ray.get(self.actor.attach.remote(segment.name))
        except BaseException:
            segment.unlink()
            segment.close()
            with self.lock:
                self.count -= 1
            raise  # a lost worker: the caller runs the request again elsewhere
        segment.unlink()  # both map it now: the memory goes when both unmap it
        if error:
            logger.info("RAY: the worker cannot map shared memory (%s): inputs go the "
                        "normal way", error)
            segment.close()
            with self.lock:
                self.count -= 1
                self.broken = True
            return None
        return segment

    def give(self, segment: Segment) -> None:
        with self.lock:
            if not self.closed:
                self.free.append(segment)
                return
        segment.close()

    def _drop(self, segments: list[Segment]) -> None:
        for s in segments:
            s.close()
        try:
            self.actor.detach.remote([s.name for s in segments])
        except Exception:  # the worker is gone: its mappings went with it
            pass

    def close(self) -> None:
        """The worker is lost or ended: unmap every free segment (the ones in use are
        unmapped when given back)."""
        with self.lock:
            self.closed = True
            free, self.free = self.free, []
        for s in free:
            s.close()
