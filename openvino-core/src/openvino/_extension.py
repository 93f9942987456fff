"""``openvino.Extension``: the base of objects passed to ``Core.add_extension``."""

from __future__ import annotations

__all__ = ["Extension"]


class Extension:
    """Something that extends the runtime (custom ops, frontend conversions).

    ``Core.add_extension`` keeps Extension objects for the lifetime of the core; this
    implementation defines no extension kinds of its own yet, so subclasses carry data for
    the code that registered them.
    """
