"""Ray calls made by the plugin's own threads (finalizers' tidying on the janitor thread,
the idle reaper, replacement workers, channel building and retirement) never connect
Ray again.

Ray connects a driver by itself at the first API call made while it is not initialized
(``ray.get``, ``ray.kill``, an actor method's ``.remote()``: Ray's "auto-connect"). These
threads check ``ray.is_initialized()`` before a call, but a user's ``ray.shutdown()`` can
land between the check and the call, and the call then starts (or joins) a Ray the user
just shut down. :func:`no_auto_connect` turns Ray's auto-connect off while such a call
runs, so the call raises instead (the callers catch it: the cluster is gone). Reference
counted across threads; Ray's own setting (``RAY_ENABLE_AUTO_CONNECT``) comes back when
the last one ends. Meanwhile a user's thread that relies on auto-connect after its own
``ray.shutdown()`` gets Ray's "not started" error instead; an explicit ``ray.init()`` is
not affected.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["no_auto_connect"]

_lock = threading.Lock()
_active = 0
_saved: Any = None


def _hook() -> Any:
    """Ray's auto-connect switch (a module flag read at each call), or None where this
    Ray has none."""
    try:
        from ray._private import auto_init_hook
    except Exception:  # another Ray layout: nothing to turn off
        return None
    return auto_init_hook if hasattr(auto_init_hook, "enable_auto_connect") else None


@contextlib.contextmanager
def no_auto_connect() -> Iterator[None]:
    """Ray does not connect by itself while this block runs (see the module's text)."""
    global _active, _saved
    hook = _hook()
    if hook is None:
        yield
        return
    with _lock:
        if _active == 0:
            _saved = hook.enable_auto_connect
            hook.enable_auto_connect = False
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                hook.enable_auto_connect = _saved
