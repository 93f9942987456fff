"""Tensor names in the IR's port ``names`` attribute: comma separated, ``\\,`` for a comma
inside a name."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["split_names", "join_names"]


def split_names(text: str) -> list[str]:
    """The names an IR ``names`` attribute lists (empty entries dropped)."""
    if "\\" not in text:
        return [n for n in text.split(",") if n]
    names: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] == ",":
            current.append(",")
            i += 2
            continue
        if ch == ",":
            if current:
                names.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    if current:
        names.append("".join(current))
    return names


def join_names(names: Iterable[str]) -> str:
    """The ``names`` attribute text for a set of names (sorted, commas escaped)."""
    return ",".join(n.replace(",", "\\,") for n in sorted(names))
