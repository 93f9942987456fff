"""PSROIPooling (v0) and DeformablePSROIPooling (v1): position-sensitive ROI pooling
(R-FCN, Deformable R-FCN).

``coords`` rows are ``[batch, x1, y1, x2, y2]``. The output is ``[rois, output_dim,
group_size, group_size]``; each output cell reads its own input channel. ``average`` rounds
the ROI to whole pixels (``x2``/``y2`` inclusive), scales it by ``spatial_scale`` and averages
each bin of channel ``(c * group_size + i) * group_size + j``. ``bilinear`` splits the
scaled ROI into ``spatial_bins_y x spatial_bins_x`` bins, samples each bin bilinearly at the
output cell's position (normalized coordinates over the map) from channel
``bin * output_dim + c`` and averages the bins.

DeformablePSROIPooling (``bilinear_deformable``) rounds the ROI to whole pixels (shifted by
half a pixel after scaling), moves each output bin by its ``offsets``
``[rois, 2 * classes, part_size, part_size]`` (``(x, y)`` times ``trans_std`` and the ROI
size) and averages ``spatial_bins_y x spatial_bins_x`` bilinear samples of channel
``(c * group_size + i) * group_size + j`` (samples beyond half a pixel outside are
skipped); ROIs with a negative batch index give zeros.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .roi_pooling import bilinear_at, check_roi_boxes, round_half_away

__all__ = ["PSROIPooling", "DeformablePSROIPooling"]

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
        feat, rois = check_roi_boxes(self)
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


def _average(fm: np.ndarray, box: np.ndarray, scale: np.float32, dim: int, g: int
             ) -> np.ndarray:
    _, h, w = fm.shape
    x0, y0 = round_half_away(box[0]) * scale, round_half_away(box[1]) * scale
    x1, y1 = (round_half_away(box[2]) + _F(1)) * scale, (round_half_away(box[3]) + _F(1)) * scale
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
                            total += bilinear_at(fm[ch:ch + 1], py, px)[0]
                out[c, i, j] = total / _F(bins_x * bins_y)
    return out


class DeformablePSROIPooling(Node):
    type_name = "DeformablePSROIPooling"
    version = "opset1"
    attributes = {"output_dim": Attr.int(), "spatial_scale": Attr.float(),
                  "group_size": Attr.int(1), "mode": Attr.str("bilinear_deformable"),
                  "spatial_bins_x": Attr.int(1), "spatial_bins_y": Attr.int(1),
                  "trans_std": Attr.float(1.0), "part_size": Attr.int(1)}

    def validate_and_infer_types(self) -> None:
        n_in = len(self._inputs)
        self.check(n_in in (2, 3), "DeformablePSROIPooling takes feature maps, coords and "
                                   "optionally offsets")
        a = self._attrs
        self.check(a["mode"] == "bilinear_deformable",
                   f"Expected 'bilinear_deformable' mode. Got: {a['mode']}")
        self.check(a["output_dim"] > 0, "Value of `output_dim` attribute has to be greater "
                                        "than 0")
        self.check(a["group_size"] > 0, "Value of `group_size` attribute has to be greater "
                                        "than 0")
        et = self.get_input_element_type(0)
        for i in range(n_in):
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t.is_real(),
                       f"Input {i} of DeformablePSROIPooling must be floating point, got "
                       f"{t.get_type_name()}")
        feat, rois = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        self.check(feat.rank.is_dynamic or len(feat) == 4,
                   f"First input rank must be compatible with 4 (input rank: {len(feat)})")
        self.check(rois.rank.is_dynamic or len(rois) == 2,
                   f"Second input rank must be compatible with 2 (input rank: {len(rois)})")
        if n_in == 3:
            off = self.get_input_partial_shape(2)
            self.check(off.rank.is_dynamic or len(off) == 4,
                       f"Third input rank must be compatible with 4 (input rank: {len(off)})")
        n = rois[0] if rois.rank.is_static else Dimension()
        g = a["group_size"]
        self.set_output_type(0, et, PartialShape([n, a["output_dim"], g, g]))

    def reference(self, feat: np.ndarray, rois: np.ndarray, *offsets: np.ndarray) -> np.ndarray:
        a = self._attrs
        g, dim = a["group_size"], a["output_dim"]
        scale, std, part = _F(a["spatial_scale"]), _F(a["trans_std"]), a["part_size"]
        bins_x, bins_y = a["spatial_bins_x"], a["spatial_bins_y"]
        _, _, h, w = feat.shape
        fm = feat.astype(_F)
        off = offsets[0].astype(_F) if offsets else None
        out = np.zeros((rois.shape[0], dim, g, g), _F)
        for r, box in enumerate(rois.astype(_F)):
            b = int(box[0])
            if b < 0:
                continue
            x1 = round_half_away(box[1]) * scale - _F(0.5)
            y1 = round_half_away(box[2]) * scale - _F(0.5)
            x2 = (round_half_away(box[3]) + _F(1)) * scale - _F(0.5)
            y2 = (round_half_away(box[4]) + _F(1)) * scale - _F(0.5)
            rw, rh = max(x2 - x1, _F(0.1)), max(y2 - y1, _F(0.1))
            bw, bh = _F(rw / _F(g)), _F(rh / _F(g))
            sw, sh = _F(bw / _F(bins_x)), _F(bh / _F(bins_y))
            channel = 0
            for c in range(dim):
                for i in range(g):
                    for j in range(g):
                        bx, by = x1 + _F(j) * bw, y1 + _F(i) * bh
                        if off is not None:
                            coords = off.shape[1] // 2
                            cls = c // (dim // coords)
                            pi, pj = i * part // g, j * part // g
                            bx = bx + _F(off[r, cls * 2, pi, pj] * std) * rw
                            by = by + _F(off[r, cls * 2 + 1, pi, pj] * std) * rh
                        total, count = _F(0), 0
                        for sy in range(bins_y):
                            y = _F(by + _F(sy) * sh)
                            if y < -0.5 or y > h - 0.5:
                                continue
                            for sx in range(bins_x):
                                x = _F(bx + _F(sx) * sw)
                                if x < -0.5 or x > w - 0.5:
                                    continue
                                xc = min(max(x, _F(0)), _F(w - 1))
                                yc = min(max(y, _F(0)), _F(h - 1))
                                lx, rx = int(np.floor(xc)), int(np.ceil(xc))
                                ty, by_ = int(np.floor(yc)), int(np.ceil(yc))
                                d = fm[b, channel]
                                dx, dy = _F(abs(xc - lx)), _F(abs(yc - ty))
                                top = d[ty, lx] + (d[ty, rx] - d[ty, lx]) * dx
                                bottom = d[by_, lx] + (d[by_, rx] - d[by_, lx]) * dx
                                total += top + (bottom - top) * dy
                                count += 1
                        if count:
                            out[r, c, i, j] = total / _F(count)
                        channel += 1
        return out.astype(feat.dtype)


@factory("psroi_pooling", since=1)
def psroi_pooling(input: Any, coords: Any, output_dim: int, group_size: int,
                  spatial_scale: float, spatial_bins_x: int, spatial_bins_y: int, mode: str,
                  name: str | None = None) -> PSROIPooling:
    """Position-sensitive ROI pooling."""
    return PSROIPooling(input, coords, output_dim=output_dim, group_size=group_size,
                        spatial_scale=spatial_scale, spatial_bins_x=spatial_bins_x,
                        spatial_bins_y=spatial_bins_y, mode=mode, name=name)


@factory("deformable_psroi_pooling", since=1)
def deformable_psroi_pooling(feature_maps: Any, coords: Any, output_dim: int,
                             spatial_scale: float, group_size: int = 1,
                             mode: str = "bilinear_deformable", spatial_bins_x: int = 1,
                             spatial_bins_y: int = 1, trans_std: float = 1.0,
                             part_size: int = 1, offsets: Any = None,
                             name: str | None = None) -> DeformablePSROIPooling:
    """Deformable position-sensitive ROI pooling."""
    inputs = [feature_maps, coords] + ([] if offsets is None else [offsets])
    return DeformablePSROIPooling(*inputs, output_dim=output_dim, spatial_scale=spatial_scale,
                                  group_size=group_size, mode=mode,
                                  spatial_bins_x=spatial_bins_x, spatial_bins_y=spatial_bins_y,
                                  trans_std=trans_std, part_size=part_size, name=name)
