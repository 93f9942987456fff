"""PSROIPooling (v0): position-sensitive ROI pooling (R-FCN).

``coords`` rows are ``[batch, x1, y1, x2, y2]``. The output is ``[rois, output_dim,
group_size, group_size]``; each output cell reads its own input channel. ``average`` rounds
the ROI to whole pixels (``x2``/``y2`` inclusive), scales it by ``spatial_scale`` and averages
each bin of channel ``(c * group_size + i) * group_size + j``. ``bilinear`` splits the
scaled ROI into ``spatial_bins_y x spatial_bins_x`` bins, samples each bin bilinearly at the
output cell's position (normalized coordinates over the map) from channel
``bin * output_dim + c`` and averages the bins.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape

__all__ = ["PSROIPooling"]

_F = np.float32


class PSROIPooling(Node):
    type_name = "PSROIPooling"
    version = "opset1"
    attributes = {"output_dim": Attr.int(), "group_size": Attr.int(1),
                  "spatial_scale": Attr.float(), "spatial_bins_x": Attr.int(1),
                  "spatial_bins_y": Attr.int(1), "mode": Attr.str("average")}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "PSROIPooling takes feature maps and coords")
        a = self._attrs
        self.check(a["mode"] in ("average", "bilinear"),
                   f"Expected 'average' or 'bilinear' mode. Got: {a['mode']}")
        self.check(a["output_dim"] > 0, "output_dim has to be greater than 0")
        self.check(a["group_size"] > 0, "group_size has to be greater than 0")
        if a["mode"] == "bilinear":
            self.check(a["spatial_bins_x"] > 0 and a["spatial_bins_y"] > 0,
                       "spatial_bins_x and spatial_bins_y have to be greater than 0")
        et = self.get_input_element_type(0)
        for i in range(2):
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t.is_real(),
                       f"Input {i} of PSROIPooling must be floating point, got "
                       f"{t.get_type_name()}")
        feat, rois = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        self.check(feat.rank.is_dynamic or len(feat) == 4,
                   f"Expected a 4D tensor for the feature maps input. Got: {feat}")
        self.check(rois.rank.is_dynamic or len(rois) == 2,
                   f"Expected a 2D tensor for the ROIs input with box coordinates. Got: {rois}")
        if rois.rank.is_static:
            self.check(rois[1]._compatible(5),
                       f"The second dimension of ROIs input should contain batch id and box "
                       f"coordinates. This dimension is expected to be equal to 5. Got: "
                       f"{rois[1]}")
        if feat.rank.is_static and feat[1].is_static:
            c = feat[1].get_length()
            if a["mode"] == "average":
                self.check(c % (a["group_size"] ** 2) == 0,
                           f"Number of input's channels must be a multiply of "
                           f"output_dim * group_size * group_size. Got: {c}")
                self.check(c == a["output_dim"] * a["group_size"] ** 2,
                           f"output_dim must be equal to input channels divided by "
                           f"group_size * group_size. Got: {a['output_dim']}")
            else:
                bins = a["spatial_bins_x"] * a["spatial_bins_y"]
                self.check(c % bins == 0 and c // bins == a["output_dim"],
                           f"Number of input's channels must be a multiply of "
                           f"spatial_bins_x * spatial_bins_y and output_dim must be their "
                           f"quotient. Got: {c}")
        n = rois[0] if rois.rank.is_static else Dimension()
        g = a["group_size"]
        self.set_output_type(0, et, PartialShape([n, a["output_dim"], g, g]))

    def reference(self, feat: np.ndarray, rois: np.ndarray) -> np.ndarray:
        a = self._attrs
        g, dim, scale = a["group_size"], a["output_dim"], _F(a["spatial_scale"])
        n, c, h, w = feat.shape
        fm = feat.astype(_F)
        out = np.zeros((rois.shape[0], dim, g, g), _F)
        for r, box in enumerate(rois.astype(_F)):
            b = int(box[0])
            if not 0 <= b < n:
                raise RuntimeError(f"PSROIPooling '{self.get_friendly_name()}': batch id {b} "
                                   f"is out of range [0, {n - 1}]")
            if a["mode"] == "average":
                out[r] = _average(fm[b], box[1:], scale, dim, g)
            else:
                out[r] = _bilinear(fm[b], box[1:] * scale, dim, g, a["spatial_bins_x"],
                                   a["spatial_bins_y"])
        return out.astype(feat.dtype)


def _round(v: np.float32) -> np.float32:
    return _F(np.sign(v) * np.floor(np.abs(v) + _F(0.5)))


def _average(fm: np.ndarray, box: np.ndarray, scale: np.float32, dim: int, g: int
             ) -> np.ndarray:
    _, h, w = fm.shape
    x0, y0 = _round(box[0]) * scale, _round(box[1]) * scale
    x1, y1 = (_round(box[2]) + _F(1)) * scale, (_round(box[3]) + _F(1)) * scale
    bw, bh = _F((x1 - x0) / _F(g)), _F((y1 - y0) / _F(g))
    out = np.zeros((dim, g, g), _F)
    channel = 0
    for c in range(dim):
        for i in range(g):
            hs = min(max(int(np.floor(y0 + _F(i) * bh)), 0), h - 1)
            he = min(int(np.ceil(y0 + _F(i + 1) * bh)), h)
            for j in range(g):
                ws = min(max(int(np.floor(x0 + _F(j) * bw)), 0), w - 1)
                we = min(int(np.ceil(x0 + _F(j + 1) * bw)), w)
                if he > hs and we > ws:
                    out[c, i, j] = fm[channel, hs:he, ws:we].sum() / _F((he - hs) * (we - ws))
                channel += 1
    return out


def _bilinear(fm: np.ndarray, box: np.ndarray, dim: int, g: int, bins_x: int, bins_y: int
              ) -> np.ndarray:
    _, h, w = fm.shape
    x0, y0, x1, y1 = box
    bw, bh = _F((x1 - x0) / _F(bins_x)), _F((y1 - y0) / _F(bins_y))
    ws = _F(bw * _F(w - 1) / _F(g - 1)) if g > 1 else _F(0)
    hs = _F(bh * _F(h - 1) / _F(g - 1)) if g > 1 else _F(0)
    out = np.zeros((dim, g, g), _F)
    for c in range(dim):
        for i in range(g):
            for j in range(g):
                total = _F(0)
                for sby in range(bins_y):
                    for sbx in range(bins_x):
                        sx = x0 + _F(sbx) * bw
                        sy = y0 + _F(sby) * bh
                        px = _F(j) * ws + sx * _F(w - 1) if g > 1 else \
                            (sx + sx + bw) * _F(w - 1) / _F(2)
                        py = _F(i) * hs + sy * _F(h - 1) if g > 1 else \
                            (sy + sy + bh) * _F(h - 1) / _F(2)
                        ch = (sby * bins_x + sbx) * dim + c
                        if 0 <= px < w and 0 <= py < h:
                            left, top = int(np.floor(px)), int(np.floor(py))
                            right, bottom = min(int(np.ceil(px)), w - 1), \
                                min(int(np.ceil(py)), h - 1)
                            t = fm[ch, top, left] + (fm[ch, top, right] - fm[ch, top, left]) \
                                * _F(px - left)
                            bo = fm[ch, bottom, left] + (fm[ch, bottom, right] -
                                                         fm[ch, bottom, left]) * _F(px - left)
                            total += t + (bo - t) * _F(py - top)
                out[c, i, j] = total / _F(bins_x * bins_y)
    return out


@factory("psroi_pooling", since=1)
def psroi_pooling(input: Any, coords: Any, output_dim: int, group_size: int,
                  spatial_scale: float, spatial_bins_x: int, spatial_bins_y: int, mode: str,
                  name: str | None = None) -> PSROIPooling:
    """Position-sensitive ROI pooling."""
    return PSROIPooling(input, coords, output_dim=output_dim, group_size=group_size,
                        spatial_scale=spatial_scale, spatial_bins_x=spatial_bins_x,
                        spatial_bins_y=spatial_bins_y, mode=mode, name=name)
