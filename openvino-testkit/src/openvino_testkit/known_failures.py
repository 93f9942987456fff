"""Known failures: the ``--ov-xfails FILE`` a device author keeps beside their device.

One pattern per line, matched (``fnmatch``, case-sensitive) against check ids
``<device>::<kind>::<name>``; ``#`` starts a comment. The comment at the end of a pattern's
line is the reason shown in the report (``known failure`` without one); a line that is
only a comment is ignored::

    # notes for the team (ignored)
    MYDEV::op::Exp-opset1/f16   # our f16 Exp is one ulp off on subnormals
    MYDEV::model::onnx/*        # ONNX reader not in our release yet

A matching check still runs. When it fails it is reported as a known failure (not a
failure); when it passes it is reported as fixed, so stale lines are easy to spot.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KnownFailure", "KnownFailures"]


@dataclass
class KnownFailure:
    pattern: str
    reason: str
    line: int
    used: bool = False


class KnownFailures:
    """The parsed file; ``match(check_id)`` gives the reason of the first matching line."""

    def __init__(self, entries: list[KnownFailure] | None = None,
                 source: str = "<none>") -> None:
        self.entries = entries or []
        self.source = source
        self._compiled = [re.compile(fnmatch.translate(e.pattern)) for e in self.entries]

    @classmethod
    def load(cls, path: str | Path) -> KnownFailures:
        """Read a known-failures file (a missing file is an error, named as such)."""
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"--ov-xfails: no such file: {p}")
        entries = []
        for n, raw in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
            text, _, comment = raw.partition("#")
            pattern = text.strip()
            if not pattern:
                continue
            if " " in pattern or "\t" in pattern:
                raise ValueError(f"{p}:{n}: one check id pattern per line, got {pattern!r}")
            entries.append(KnownFailure(pattern, comment.strip() or "known failure", n))
        return cls(entries, str(p))

    def match(self, check_id: str) -> KnownFailure | None:
        for entry, rx in zip(self.entries, self._compiled):
            if rx.match(check_id):
                entry.used = True
                return entry
        return None

    def unused(self) -> list[KnownFailure]:
        """Lines that matched no collected check (typos, removed checks)."""
        return [e for e in self.entries if not e.used]
