"""``ConstantCache``: what a compiler derives from a model's constants (claimed compressed
weights, folded values, weights packed in a kernel's panel layout), made once per compiled
model and reused by every graph compiled from it.

A model with dynamic inputs is compiled once per set of input shapes it is run with; its
weights are the same arrays each time (``Graph.from_model`` takes each ``Constant``'s data
as is, and ``Model.clone`` shares it), so the expensive work on them need not be repeated.
A device compiler creates one cache per compiled model and passes it to ``prepare_graph``
(which hands it to ``claim_compressed_weights`` and ``fold_constants``) and to its own
lowering::

    cache = ConstantCache()                      # one per compiled model
    graph = prepare_graph(model, shapes, rules=rules, cache=cache)
    packed = cache.get("pack_b", (w.const,), (nr,), lambda: pack(w.const, nr))
    cache.sweep()                                # after each compile (see ``sweep``)

An entry is keyed by a kind (a name of what is derived), the source arrays *by identity*
and hashable parameters; the cache holds the source arrays, so no other array can take a
source's place while its entry lives. Values derived from sources that are made anew for
each compile (constants folded from a shape) do not match a later compile: ``sweep`` drops
the entries no compile has used since the previous sweep, so they do not pile up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

__all__ = ["ConstantCache"]


class ConstantCache:
    """Values derived from constants, keyed by ``(kind, sources by identity, params)``."""

    def __init__(self) -> None:
        self._entries: dict[tuple, list[Any]] = {}  # key -> [value, sources, used]
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, kind: str, sources: Sequence[Any], params: Hashable,
            make: Callable[[], Any]) -> Any:
        """The value ``make()`` returns for these sources and parameters: made on the first
        call, the same object on later ones (``make`` must depend only on ``sources`` and
        ``params``, and its result must not be modified by the caller)."""
        sources = tuple(sources)
        key = (kind, tuple(id(s) for s in sources), params)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and all(a is b for a, b in zip(entry[1], sources)):
                entry[2] = True
                self.hits += 1
                return entry[0]
        value = make()
        with self._lock:
            self._entries[key] = [value, sources, True]
            self.misses += 1
        return value

    def sweep(self) -> int:
        """Drop the entries not used since the previous sweep; returns how many. Run it
        after each compile: entries of the model's own constants are used by every compile
        and stay."""
        with self._lock:
            stale = [k for k, e in self._entries.items() if not e[2]]
            for k in stale:
                del self._entries[k]
            for e in self._entries.values():
                e[2] = False
            return len(stale)

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
