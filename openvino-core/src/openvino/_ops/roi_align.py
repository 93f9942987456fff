"""ROIAlign (v3, v9) and ROIAlignRotated (v15): bilinear sampling of each region of
interest into a fixed grid.

``rois`` rows are ``[x1, y1, x2, y2]`` in image coordinates, scaled by ``spatial_scale``;
``batch_indices`` picks each ROI's image. Each of the ``pooled_h x pooled_w`` bins is
sampled at ``sampling_ratio`` (0: ``ceil(bin size)``) evenly spaced points per axis;
``mode="avg"`` averages the samples, ``"max"`` takes the largest (starting from 0, as the
runtime does). Samples beyond one pixel outside the map count as 0. v9's ``aligned_mode``
shifts the coordinates by half a pixel (``half_pixel``: before and after scaling,
``half_pixel_for_nn``: after) and lets ROIs be smaller than one pixel; ``asymmetric`` (v3)
makes each ROI at least 1x1. ROIAlignRotated reads ``[cx, cy, w, h, angle]`` rows (angle in
radians, counter-clockwise unless ``clockwise_mode``), samples the rotated box (centre
shifted by half a pixel after scaling) and averages. Arithmetic in f32.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape

__all__ = ["ROIAlign3", "ROIAlign", "ROIAlignRotated"]

_F = np.float32


class ROIAlign3(Node):
    """ROIAlign (v3)."""

    type_name = "ROIAlign"
    version = "opset3"
    attributes = {"pooled_h": Attr.int(), "pooled_w": Attr.int(),
                  "sampling_ratio": Attr.int(), "spatial_scale": Attr.float(),
                  "mode": Attr.enum()}
    _MODES = ("avg", "max")

    def _aligned_mode(self) -> str:
        return "asymmetric"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3, "ROIAlign takes data, rois and batch_indices")
        a = self._attrs
        self.check(a["mode"] in self._MODES,
                   f'"{a["mode"]}" is not a member of enum op::{self._vname()}::ROIAlign::'
                   f"PoolingMode")
        self.check(a["pooled_h"] > 0, "Pooled size attributes pooled_h and pooled_w should "
                                      "should be positive integers")
        self.check(a["pooled_w"] > 0, "Pooled size attributes pooled_h and pooled_w should "
                                      "should be positive integers")
        self.check(a["sampling_ratio"] >= 0, "Sampling ratio should be a non-negative integer")
        self.check(a["spatial_scale"] > 0, "Spatial scale should be a positive number")
        et, rt, it = (self.get_input_element_type(i) for i in range(3))
        self.check(et.is_dynamic() or et.is_real(),
                   f"The data type for input and ROIs is expected to be a floating point type. "
                   f"Got: {et.get_type_name()}")
        self.check(rt.is_dynamic() or et.is_dynamic() or rt == et,
                   f"Type of feature maps (inputs) and ROIs is expected to be the same. Got: "
                   f"{et.get_type_name()} and {rt.get_type_name()}")
        self.check(it.is_dynamic() or it.is_integral_number(),
                   f"The indices type is expected to be an integer type. Got: "
                   f"{it.get_type_name()}")
        data, rois, idx = (self.get_input_partial_shape(i) for i in range(3))
        self.check(data.rank.is_dynamic or len(data) == 4,
                   f"Expected a 4D tensor for the input data. Got: {data}")
        self.check(rois.rank.is_dynamic or len(rois) == 2,
                   f"Expected a 2D tensor for the ROIs input. Got: {rois}")
        self.check(idx.rank.is_dynamic or len(idx) == 1,
                   f"Expected a 1D tensor for the batch indices input. Got: {idx}")
        if rois.rank.is_static:
            self.check(rois[1]._compatible(4),
                       f"The second dimension of ROIs input should contain box coordinates. "
                       f"op dimension is expected to be equal to 4. Got: {rois[1]}")
            if idx.rank.is_static:
                self.check(rois[0]._compatible(idx[0]),
                           f"The first dimension of ROIs input must be equal to the first "
                           f"dimension of the batch indices input. Got: {rois[0]} and "
                           f"{idx[0]}")
        n = Dimension()
        if rois.rank.is_static:
            n = rois[0]
        elif idx.rank.is_static:
            n = idx[0]
        c = data[1] if data.rank.is_static else Dimension()
        self.set_output_type(0, et, PartialShape([n, c, a["pooled_h"], a["pooled_w"]]))

    def _vname(self) -> str:
        return "v" + self.version[len("opset"):]

    def reference(self, data: np.ndarray, rois: np.ndarray, batch: np.ndarray) -> np.ndarray:
        a = self._attrs
        ph, pw, ratio = a["pooled_h"], a["pooled_w"], a["sampling_ratio"]
        scale = _F(a["spatial_scale"])
        mode = self._aligned_mode()
        off_src = _F(0.5) if mode == "half_pixel" else _F(0)
        off_dst = _F(-0.5) if mode != "asymmetric" else _F(0)
        n, channels, height, width = data.shape
        fm = data.astype(_F)
        out = np.zeros((rois.shape[0], channels, ph, pw), _F)
        for r, roi in enumerate(rois.astype(_F)):
            b = int(batch[r])
            if not 0 <= b < n:
                raise RuntimeError(f"ROIAlign '{self.get_friendly_name()}': batch index {b} "
                                   f"is out of range [0, {n - 1}]")
            x1, y1, x2, y2 = ((v + off_src) * scale + off_dst for v in roi)
            rw, rh = x2 - x1, y2 - y1
            if mode == "asymmetric":
                rw, rh = max(rw, _F(1)), max(rh, _F(1))
            bw, bh = _F(rw / _F(pw)), _F(rh / _F(ph))
            sx = ratio if ratio else int(np.ceil(bw))
            sy = ratio if ratio else int(np.ceil(bh))
            if sx <= 0 or sy <= 0:  # an inverted or empty ROI samples nothing
                continue
            dx, dy = _F(bw / _F(sx)), _F(bh / _F(sy))
            ys = (y1 + np.arange(ph, dtype=_F)[:, None] * bh
                  + dy * (np.arange(sy, dtype=_F)[None, :] + _F(0.5))).astype(_F)  # [ph, sy]
            xs = (x1 + np.arange(pw, dtype=_F)[:, None] * bw
                  + dx * (np.arange(sx, dtype=_F)[None, :] + _F(0.5))).astype(_F)  # [pw, sx]
            samples = _bilinear(fm[b], ys.reshape(-1), xs.reshape(-1), height, width)
            samples = samples.reshape(channels, ph, sy, pw, sx)
            if a["mode"] == "avg":
                out[r] = (samples / _F(sy * sx)).sum(axis=(2, 4))
            else:
                out[r] = np.maximum(samples.max(axis=(2, 4)), _F(0))
        return out.astype(data.dtype)


def _bilinear(fm: np.ndarray, ys: np.ndarray, xs: np.ndarray, height: int, width: int
              ) -> np.ndarray:
    """``[C, len(ys), len(xs)]`` bilinear samples (0 beyond one pixel outside the map)."""
    def axis(v: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
        outside = (v < -1.0) | (v > size)
        v = np.maximum(v, _F(0))
        low = v.astype(np.int64)
        edge = low >= size - 1
        low = np.where(edge, size - 1, low)
        high = np.where(edge, size - 1, low + 1)
        v = np.where(edge, low.astype(_F), v)
        frac = (v - low.astype(_F)).astype(_F)
        return low, high, frac, outside

    yl, yh, fy, oy = axis(ys, height)
    xl, xh, fx, ox = axis(xs, width)
    hy, hx = _F(1) - fy, _F(1) - fx
    w1 = hy[:, None] * hx[None, :]
    w2 = hy[:, None] * fx[None, :]
    w3 = fy[:, None] * hx[None, :]
    w4 = fy[:, None] * fx[None, :]
    v = (w1 * fm[:, yl[:, None], xl[None, :]] + w2 * fm[:, yl[:, None], xh[None, :]]
         + w3 * fm[:, yh[:, None], xl[None, :]] + w4 * fm[:, yh[:, None], xh[None, :]])
    return np.where((oy[:, None] | ox[None, :])[None], _F(0), v).astype(_F)


class ROIAlign(ROIAlign3):
    """ROIAlign (v9): ``aligned_mode``."""

    type_name = "ROIAlign"
    version = "opset9"
    attributes = {**ROIAlign3.attributes, "aligned_mode": Attr.enum("asymmetric")}
    _ALIGNED = ("asymmetric", "half_pixel_for_nn", "half_pixel")

    def _aligned_mode(self) -> str:
        return self._attrs["aligned_mode"]

    def validate_and_infer_types(self) -> None:
        m = self._attrs["aligned_mode"]
        self.check(m in self._ALIGNED,
                   f'"{m}" is not a member of enum op::v9::ROIAlign::AlignedMode')
        super().validate_and_infer_types()


def _sample_points(fm: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """``fm`` ``[C, H, W]`` read bilinearly at the points ``(ys, xs)`` (any equal shapes) ->
    ``[C, *shape]``; 0 beyond one pixel outside the map, the border beyond the last pixel."""
    _, height, width = fm.shape

    def axis(v: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
        v = np.maximum(v, _F(0))
        low = v.astype(np.int64)
        edge = low >= size - 1
        low = np.where(edge, size - 1, low)
        high = np.where(edge, size - 1, low + 1)
        v = np.where(edge, low.astype(_F), v)
        return low, high, (v - low.astype(_F)).astype(_F)

    outside = (ys < -1.0) | (ys > height) | (xs < -1.0) | (xs > width)
    yl, yh, ly = axis(ys, height)
    xl, xh, lx = axis(xs, width)
    hy, hx = _F(1) - ly, _F(1) - lx
    v = (hy * hx * fm[:, yl, xl] + hy * lx * fm[:, yl, xh] + ly * hx * fm[:, yh, xl]
         + ly * lx * fm[:, yh, xh])
    return np.where(outside[None], _F(0), v).astype(_F)


class ROIAlignRotated(Node):
    """ROIAlignRotated (v15): average pooling of rotated boxes ``[cx, cy, w, h, angle]``."""

    type_name = "ROIAlignRotated"
    version = "opset15"
    attributes = {"pooled_h": Attr.int(), "pooled_w": Attr.int(),
                  "sampling_ratio": Attr.int(), "spatial_scale": Attr.float(),
                  "clockwise_mode": Attr.bool(False)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3,
                   "ROIAlignRotated takes data, rois and batch_indices")
        a = self._attrs
        self.check(a["pooled_h"] > 0 and a["pooled_w"] > 0,
                   "Pooled size attributes pooled_h and pooled_w should should be positive "
                   "integers")
        self.check(a["sampling_ratio"] >= 0, "Sampling ratio should be a non-negative integer")
        self.check(a["spatial_scale"] > 0, "Spatial scale should be a positive number")
        et, rt, it = (self.get_input_element_type(i) for i in range(3))
        self.check(et.is_dynamic() or et.is_real(),
                   f"The data type for input and ROIs is expected to be a floating point type. "
                   f"Got: {et.get_type_name()}")
        self.check(it.is_dynamic() or it.is_integral_number(),
                   f"The indices type is expected to be an integer type. Got: "
                   f"{it.get_type_name()}")
        data, rois, idx = (self.get_input_partial_shape(i) for i in range(3))
        self.check(data.rank.is_dynamic or len(data) == 4,
                   f"Expected a 4D tensor for the input data. Got: {data}")
        self.check(rois.rank.is_dynamic or len(rois) == 2,
                   f"Expected a 2D tensor for the ROIs input. Got: {rois}")
        self.check(idx.rank.is_dynamic or len(idx) == 1,
                   f"Expected a 1D tensor for the batch indices input. Got: {idx}")
        if rois.rank.is_static:
            self.check(rois[1]._compatible(5),
                       f"The second dimension of ROIs input should contain box coordinates. "
                       f"op dimension is expected to be equal to 5. Got: {rois[1]}")
        n = rois[0] if rois.rank.is_static else (idx[0] if idx.rank.is_static else Dimension())
        c = data[1] if data.rank.is_static else Dimension()
        self.set_output_type(0, et, PartialShape([n, c, a["pooled_h"], a["pooled_w"]]))

    def reference(self, data: np.ndarray, rois: np.ndarray, batch: np.ndarray) -> np.ndarray:
        a = self._attrs
        ph, pw, ratio = a["pooled_h"], a["pooled_w"], a["sampling_ratio"]
        scale = _F(a["spatial_scale"])
        n, channels = data.shape[:2]
        fm = data.astype(_F)
        out = np.zeros((rois.shape[0], channels, ph, pw), _F)
        for r, roi in enumerate(rois.astype(_F)):
            b = int(batch[r])
            if not 0 <= b < n:
                raise RuntimeError(f"ROIAlignRotated '{self.get_friendly_name()}': batch index "
                                   f"{b} is out of range [0, {n - 1}]")
            cx, cy = roi[0] * scale - _F(0.5), roi[1] * scale - _F(0.5)
            rw, rh = roi[2] * scale, roi[3] * scale
            angle = -roi[4] if a["clockwise_mode"] else roi[4]
            cos, sin = _F(np.cos(angle)), _F(np.sin(angle))
            bw, bh = _F(rw / _F(pw)), _F(rh / _F(ph))
            sx = ratio if ratio else int(np.ceil(bw))
            sy = ratio if ratio else int(np.ceil(bh))
            if sx <= 0 or sy <= 0:
                continue
            dx, dy = _F(bw / _F(sx)), _F(bh / _F(sy))
            py = (-rh / _F(2) + np.arange(ph, dtype=_F)[:, None] * bh
                  + dy * (np.arange(sy, dtype=_F)[None, :] + _F(0.5))).reshape(ph, sy, 1, 1)
            px = (-rw / _F(2) + np.arange(pw, dtype=_F)[:, None] * bw
                  + dx * (np.arange(sx, dtype=_F)[None, :] + _F(0.5))).reshape(1, 1, pw, sx)
            ys = (py * cos - px * sin + cy).astype(_F)
            xs = (py * sin + px * cos + cx).astype(_F)
            samples = _sample_points(fm[b], ys, xs)  # [C, ph, sy, pw, sx]
            out[r] = (samples / _F(sy * sx)).sum(axis=(2, 4))
        return out.astype(data.dtype)


@factory("roi_align", since=3)
def roi_align3(data: Any, rois: Any, batch_indices: Any, pooled_h: int, pooled_w: int,
               sampling_ratio: int, spatial_scale: float, mode: str,
               name: str | None = None) -> ROIAlign3:
    """Bilinear ROI pooling (v3)."""
    return ROIAlign3(data, rois, batch_indices, pooled_h=pooled_h, pooled_w=pooled_w,
                     sampling_ratio=sampling_ratio, spatial_scale=spatial_scale, mode=mode,
                     name=name)


@factory("roi_align", since=9)
def roi_align(data: Any, rois: Any, batch_indices: Any, pooled_h: int, pooled_w: int,
              sampling_ratio: int, spatial_scale: float, mode: str,
              aligned_mode: str | None = "asymmetric", name: str | None = None) -> ROIAlign:
    """Bilinear ROI pooling (v9: ``aligned_mode``)."""
    return ROIAlign(data, rois, batch_indices, pooled_h=pooled_h, pooled_w=pooled_w,
                    sampling_ratio=sampling_ratio, spatial_scale=spatial_scale, mode=mode,
                    aligned_mode=aligned_mode or "asymmetric", name=name)


@factory("roi_align_rotated", since=15)
def roi_align_rotated(data: Any, rois: Any, batch_indices: Any, pooled_h: int, pooled_w: int,
                      sampling_ratio: int, spatial_scale: float, clockwise_mode: bool,
                      name: str | None = None) -> ROIAlignRotated:
    """Average pooling of rotated boxes."""
    return ROIAlignRotated(data, rois, batch_indices, pooled_h=pooled_h, pooled_w=pooled_w,
                           sampling_ratio=sampling_ratio, spatial_scale=spatial_scale,
                           clockwise_mode=clockwise_mode, name=name)
