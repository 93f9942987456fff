"""Memory goes back to the system when compiled models and requests go away.

glibc keeps what a process frees in the free lists of the heap it came from (one heap per
thread that allocated), so a process that compiled models in several threads and dropped
them would go on holding their weights, arenas and compile temporaries. The finalizers of
``CPUCompiledModel`` and ``CPUInferRequest`` call :func:`released`: a large enough release
trims the heaps at once (``ov_heap_release``), and every one asks the kernels' trim thread
for another trim a moment later (``ov_heap_release_later``, once nothing asked for a few
milliseconds), since the objects around the freed one release theirs after it. A model's
graph (and the weights it holds) lives in reference cycles that only the garbage collector
frees: after a release, until a full (generation 2) collection ran, each collection that
freed something asks for a trim as well (at most one every ``ASK_INTERVAL`` seconds, but
always after a full one). Where the C library has no trim this does nothing.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from ._native import lib

__all__ = ["RELEASE_BYTES", "released"]

#: A release of at least this many bytes trims at once (a walk of every heap: microseconds
#: for small ones, about a millisecond per hundred MB).
RELEASE_BYTES = 1 << 20
#: Seconds between two trims asked for by garbage collections (a full one always asks).
ASK_INTERVAL = 0.1

_pending = False
_last_ask = 0.0


def released(nbytes: int) -> None:
    """A compiled model or request holding ``nbytes`` of buffers was just freed."""
    global _pending
    if nbytes >= RELEASE_BYTES:
        lib.ov_heap_release()
    lib.ov_heap_release_later()
    _pending = True


def _after_collection(phase: str, info: dict[str, Any]) -> None:
    global _pending, _last_ask
    if phase != "stop" or not _pending or not info.get("collected", 0):
        return
    full = info.get("generation") == 2
    now = time.monotonic()
    if full or now - _last_ask >= ASK_INTERVAL:
        _last_ask = now
        lib.ov_heap_release_later()
    if full:
        _pending = False


gc.callbacks.append(_after_collection)
