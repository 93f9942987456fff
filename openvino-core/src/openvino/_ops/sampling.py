"""GridSample (v9): sample a 4-D input at the normalized (x, y) points of a grid.

Grid values in [-1, 1] span the input's width and height (``align_corners`` says whether
-1/1 are the centres of the corner pixels or their outer edges). ``mode`` is ``bilinear``,
``nearest`` (ties to even) or ``bicubic`` (Keys kernel, a = -0.75); ``padding_mode`` says what
points outside the input read: ``zeros``, the ``border`` value, or the ``reflection`` of the
point about the edges.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .conversion import round_to_integer

__all__ = ["GridSample"]

_MODES = ("bilinear", "bicubic", "nearest")
_PADDINGS = ("zeros", "border", "reflection")


class GridSample(Node):
    type_name = "GridSample"
    version = "opset9"
    attributes = {"align_corners": Attr.bool(False), "mode": Attr.enum("bilinear"),
                  "padding_mode": Attr.enum("zeros")}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "GridSample takes data and grid")
        self.check(self._attrs["mode"] in _MODES,
                   f"Unsupported mode '{self._attrs['mode']}' (expected {', '.join(_MODES)})")
        self.check(self._attrs["padding_mode"] in _PADDINGS,
                   f"Unsupported padding_mode '{self._attrs['padding_mode']}' "
                   f"(expected {', '.join(_PADDINGS)})")
        data, grid = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        det, get = self.get_input_element_type(0), self.get_input_element_type(1)
        self.check(get.is_dynamic() or get.is_real(),
                   f"The grid must be of a floating-point type, got {get.get_type_name()}")
        self.check(data.rank.is_dynamic or data.rank.get_length() == 4,
                   f"The data input must be 4-D, got {data}")
        self.check(grid.rank.is_dynamic or grid.rank.get_length() == 4,
                   f"The grid input must be 4-D, got {grid}")
        if grid.rank.is_static:
            last = grid[3]
            self.check(last.is_dynamic or last.get_length() == 2,
                       f"The grid's last dimension must be 2, got {grid}")
        n = Dimension()
        c = Dimension()
        if data.rank.is_static:
            n, c = data[0], data[1]
        ho, wo = Dimension(), Dimension()
        if grid.rank.is_static:
            merged = n.merge(grid[0])
            self.check(merged is not None,
                       f"Batch sizes of data {data} and grid {grid} do not match")
            n, ho, wo = merged, grid[1], grid[2]
        self.set_output_type(0, det, PartialShape([n, c, ho, wo]))

    def reference(self, data: np.ndarray, grid: np.ndarray) -> np.ndarray:
        align = self._attrs["align_corners"]
        mode, padding = self._attrs["mode"], self._attrs["padding_mode"]
        h, w = data.shape[2], data.shape[3]
        g = grid.astype(np.float64)
        x = _unnormalize(g[..., 0], w, align)
        y = _unnormalize(g[..., 1], h, align)
        d = data.astype(np.float64)
        if mode == "bicubic":
            out = _bicubic(d, x, y, padding, align)
        else:
            x, y = _pad_coord(x, w, padding, align), _pad_coord(y, h, padding, align)
            if mode == "nearest":
                out = _fetch(d, np.rint(y).astype(np.int64), np.rint(x).astype(np.int64))
            else:
                x0, y0 = np.floor(x), np.floor(y)
                fx, fy = (x - x0)[:, None], (y - y0)[:, None]
                x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
                out = (_fetch(d, y0, x0) * (1 - fx) * (1 - fy)
                       + _fetch(d, y0, x0 + 1) * fx * (1 - fy)
                       + _fetch(d, y0 + 1, x0) * (1 - fx) * fy
                       + _fetch(d, y0 + 1, x0 + 1) * fx * fy)
        if data.dtype.kind in "iu" and data.dtype.itemsize == 1:
            # as the runtime: 8-bit results are rounded (and saturated), wider integers
            # truncated
            return round_to_integer(out, data.dtype)
        return out.astype(data.dtype)


def _unnormalize(g: np.ndarray, size: int, align: bool) -> np.ndarray:
    if align:
        return (g + 1) / 2 * (size - 1)
    return ((g + 1) * size - 1) / 2


def _reflect(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    span = hi - lo
    if span <= 0:
        return np.zeros_like(x)
    dist = np.abs(x - lo)
    flips = np.floor(dist / span)
    extra = dist - flips * span
    return np.where(flips % 2 == 0, lo + extra, hi - extra)


def _pad_coord(x: np.ndarray, size: int, padding: str, align: bool) -> np.ndarray:
    if padding == "border":
        return np.clip(x, 0, size - 1)
    if padding == "reflection":
        x = _reflect(x, 0, size - 1) if align else _reflect(x, -0.5, size - 0.5)
        return np.clip(x, 0, size - 1)
    return x


def _fetch(d: np.ndarray, yi: np.ndarray, xi: np.ndarray) -> np.ndarray:
    """``d[n, :, yi, xi]`` as ``[N, C, Ho, Wo]``; points outside read zero."""
    n, c, h, w = d.shape
    valid = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
    yc, xc = np.clip(yi, 0, h - 1), np.clip(xi, 0, w - 1)
    bi = np.arange(n)[:, None, None]
    vals = d[bi, :, yc, xc]  # [N, Ho, Wo, C]
    vals = np.moveaxis(vals, -1, 1)
    return vals * valid[:, None]


def _cubic_weights(t: np.ndarray, a: float = -0.75) -> list[np.ndarray]:
    def near(v: np.ndarray) -> np.ndarray:
        return ((a + 2) * v - (a + 3)) * v * v + 1

    def far(v: np.ndarray) -> np.ndarray:
        return ((a * v - 5 * a) * v + 8 * a) * v - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _bicubic(d: np.ndarray, x: np.ndarray, y: np.ndarray, padding: str,
             align: bool) -> np.ndarray:
    h, w = d.shape[2], d.shape[3]
    x0, y0 = np.floor(x), np.floor(y)
    wx = _cubic_weights(x - x0)
    wy = _cubic_weights(y - y0)
    out = 0.0
    for j in range(4):
        yy = y0 - 1 + j
        for i in range(4):
            xx = x0 - 1 + i
            if padding == "zeros":
                yi, xi = yy.astype(np.int64), xx.astype(np.int64)
            else:
                yi = np.rint(_pad_coord(yy, h, padding, align)).astype(np.int64)
                xi = np.rint(_pad_coord(xx, w, padding, align)).astype(np.int64)
            out = out + _fetch(d, yi, xi) * (wx[i] * wy[j])[:, None]
    return out


@factory("grid_sample", since=9)
def grid_sample(data: Any, grid: Any, attributes: dict | None = None,
                name: str | None = None) -> GridSample:
    """Sample ``data`` at the normalized points of ``grid``; ``attributes`` may set
    ``align_corners``, ``mode`` and ``padding_mode``."""
    return GridSample(data, grid, name=name, **(attributes or {}))
