"""``Layout``: names for a tensor's dimensions (``"NCHW"``, ``"[N,C,H,W]"``, ``"NC..."``)
and the batch helpers that read it (``set_batch`` / ``get_batch``)."""

from __future__ import annotations

from typing import Any

from ._shape import Dimension

__all__ = ["Layout", "get_batch", "set_batch"]

_SCALAR = "**SCALAR**"
_ALLOWED = "Only english letters, digits and _ is allowed"
# the long names OpenVINO reads as the one-letter ones
_ALIASES = {"BATCH": "N", "CHANNELS": "C", "HEIGHT": "H", "WIDTH": "W", "DEPTH": "D"}


class Layout:
    """Dimension names of a tensor. ``"?"`` leaves a dimension unnamed; ``...`` stands for
    any number of dimensions (``"NC..."``, ``"...C"``)."""

    __slots__ = ("_names", "_ellipsis", "_text")

    def __init__(self, text: str = "") -> None:
        t = text.strip()
        self._text = t
        if t == _SCALAR:  # rank 0: no names, and not the empty layout
            self._names, self._ellipsis = [], None
            return
        names: list[str] = []
        ellipsis = None
        if t.startswith("[") and t.endswith("]"):
            body = t[1:-1]
            if not body.strip():
                raise RuntimeError("Cannot parse ov::Layout from an empty string")
            for part in body.split(","):
                p = part.strip()
                if not p:
                    raise RuntimeError("Layout dimension name can't be empty")
                if p == "..." and ellipsis is None:
                    ellipsis = len(names)
                elif p == "?":
                    names.append(p)
                elif p.isascii() and p.replace("_", "").isalnum():
                    upper = p.upper()
                    names.append(_ALIASES.get(upper, upper))
                else:
                    raise RuntimeError(f"Layout name is invalid ({p}). {_ALLOWED}")
        else:
            i = 0
            while i < len(t):
                if t[i] == ".":
                    if not t.startswith("...", i):
                        raise RuntimeError("Multiple ... are not allowed" if ellipsis is not None
                                           else "Undefined number of dimensions shall have ...")
                    if ellipsis is not None:
                        raise RuntimeError("Multiple ... are not allowed")
                    ellipsis = len(names)
                    i += 3
                    continue
                ch = t[i]
                if ch == "_":
                    raise RuntimeError("Layout name is invalid (_). Name shall have alphanumeric "
                                       "characters")
                if not (ch == "?" or ch.isascii() and ch.isalnum()):
                    raise RuntimeError(f"Layout name is invalid ({ch}). {_ALLOWED}")
                names.append(ch.upper())
                i += 1
        seen: set[str] = set()
        for name in names:
            if name != "?" and name in seen:
                raise RuntimeError(f"Dimension ({name}) is defined multiple times in layout")
            seen.add(name)
        self._names = names
        self._ellipsis = ellipsis

    @staticmethod
    def scalar() -> Layout:
        """The layout of a scalar (rank 0), printed ``**SCALAR**``."""
        layout = Layout()
        layout._text = _SCALAR
        return layout

    @property
    def empty(self) -> bool:
        """True for a layout that names no dimension (``Layout()``, ``"..."``), as the real
        API's ``Layout.empty`` property says."""
        return not self._names and self._text != _SCALAR

    @property
    def rank(self) -> Dimension:
        if self._ellipsis is not None:
            return Dimension()
        return Dimension(len(self._names))

    def has_name(self, name: str) -> bool:
        upper = name.upper()
        return _ALIASES.get(upper, upper) in self._names

    def get_index_by_name(self, name: str) -> int:
        n = name.upper()
        n = _ALIASES.get(n, n)
        if n not in self._names:
            raise RuntimeError(f"Layout {self.to_string()} has no dimension '{name}'")
        i = self._names.index(n)
        if self._ellipsis is not None and i >= self._ellipsis:
            return i - len(self._names)  # counted from the end
        return i

    def to_string(self) -> str:
        if self._text == _SCALAR:
            return _SCALAR
        if self.empty:
            return "[...]"
        parts = list(self._names)
        if self._ellipsis is not None:
            parts.insert(self._ellipsis, "...")
        return "[" + ",".join(parts) + "]"

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"<Layout: {self.to_string()}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = Layout(other)
        if not isinstance(other, Layout):
            return NotImplemented
        if self.empty or other.empty:
            return self.empty and other.empty  # Layout() and "..." are one layout
        return self._names == other._names and self._ellipsis == other._ellipsis

    def __hash__(self) -> int:
        if self.empty:
            return hash(())
        return hash((tuple(self._names), self._ellipsis))


def _batch_index(param: Any) -> int | None:
    layout = param.get_layout()
    if layout.empty or not layout.has_name("N"):
        return None
    idx = layout.get_index_by_name("N")
    rank = len(param.get_partial_shape())
    return idx + rank if idx < 0 else idx


def get_batch(model: Any) -> Dimension:
    """The batch dimension of a model whose inputs have layouts naming ``N``."""
    found = None
    for p in model.get_parameters():
        idx = _batch_index(p)
        if idx is None:
            continue
        d = p.get_partial_shape()[idx]
        found = d if found is None else found.merge(d)
    if found is None:
        raise RuntimeError("get_batch: no model input has a layout with a batch dimension 'N'; "
                           "set one with Parameter.set_layout")
    return found


def set_batch(model: Any, batch_size: Any = -1) -> None:
    """Reshape every input whose layout names ``N`` to the given batch."""
    dim = batch_size if isinstance(batch_size, Dimension) else Dimension(int(batch_size))
    shapes = {}
    for i, p in enumerate(model.get_parameters()):
        idx = _batch_index(p)
        if idx is None:
            continue
        ps = p.get_partial_shape()
        new = list(ps)
        new[idx] = dim
        shapes[i] = new
    if not shapes:
        raise RuntimeError("set_batch: no model input has a layout with a batch dimension 'N'")
    model.reshape(shapes)
