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


def _check_roi_inputs(node: Node, box_size: int, same_roi_type: bool) -> None:
    """The checks ROIAlign and ROIAlignRotated share (attributes, types, shapes; rows of
    ``box_size`` numbers), then the output type ``[rois, C, pooled_h, pooled_w]``."""
    a = node._attrs
    node.check(a["pooled_h"] > 0 and a["pooled_w"] > 0,
               "Pooled size attributes pooled_h and pooled_w should should be positive "
               "integers")
    node.check(a["sampling_ratio"] >= 0, "Sampling ratio should be a non-negative integer")
    node.check(a["spatial_scale"] > 0, "Spatial scale should be a positive number")
    et, rt, it = (node.get_input_element_type(i) for i in range(3))
    node.check(et.is_dynamic() or et.is_real(),
               f"The data type for input and ROIs is expected to be a floating point type. "
               f"Got: {et.get_type_name()}")
    node.check(not same_roi_type or rt.is_dynamic() or et.is_dynamic() or rt == et,
               f"Type of feature maps (inputs) and ROIs is expected to be the same. Got: "
               f"{et.get_type_name()} and {rt.get_type_name()}")
    node.check(it.is_dynamic() or it.is_integral_number(),
               f"The indices type is expected to be an integer type. Got: "
               f"{it.get_type_name()}")
    data, rois, idx = (node.get_input_partial_shape(i) for i in range(3))
    node.check(data.rank.is_dynamic or len(data) == 4,
               f"Expected a 4D tensor for the input data. Got: {data}")
    node.check(rois.rank.is_dynamic or len(rois) == 2,
               f"Expected a 2D tensor for the ROIs input. Got: {rois}")
    node.check(idx.rank.is_dynamic or len(idx) == 1,
               f"Expected a 1D tensor for the batch indices input. Got: {idx}")
    if rois.rank.is_static:
        node.check(rois[1]._compatible(box_size),
                   f"The second dimension of ROIs input should contain box coordinates. "
                   f"op dimension is expected to be equal to {box_size}. Got: {rois[1]}")
        if same_roi_type and idx.rank.is_static:
            node.check(rois[0]._compatible(idx[0]),
                       f"The first dimension of ROIs input must be equal to the first "
                       f"dimension of the batch indices input. Got: {rois[0]} and "
                       f"{idx[0]}")
    n = rois[0] if rois.rank.is_static else (idx[0] if idx.rank.is_static else Dimension())
    c = data[1] if data.rank.is_static else Dimension()
    node.set_output_type(0, et, PartialShape([n, c, a["pooled_h"], a["pooled_w"]]))


def _bin_samples(start: Any, length: Any, bins: int, ratio: int) -> np.ndarray | None:
    """``[bins, samples]`` coordinates of the samples of ``bins`` equal bins covering
    ``length`` from ``start`` (``ratio`` per bin, 0: ``ceil(bin size)``); None when a bin
    gets no sample (an inverted or empty ROI)."""
    size = _F(length / _F(bins))
    count = ratio if ratio else int(np.ceil(size))
    if count <= 0:
        return None
    step = _F(size / _F(count))
    return (start + np.arange(bins, dtype=_F)[:, None] * size
            + step * (np.arange(count, dtype=_F)[None, :] + _F(0.5))).astype(_F)


def _pool_bins(samples: np.ndarray, mode: str) -> np.ndarray:
    """``[C, ph, sy, pw, sx]`` samples -> ``[C, ph, pw]``: their average, or their maximum
    (from 0, as the runtime starts it)."""
    if mode == "avg":
        return (samples / _F(samples.shape[2] * samples.shape[4])).sum(axis=(2, 4))
    return np.maximum(samples.max(axis=(2, 4)), _F(0))


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
        _check_roi_inputs(self, 4, same_roi_type=True)

    def _vname(self) -> str:
        return "v" + self.version[len("opset"):]

    def reference(self, data: np.ndarray, rois: np.ndarray, batch: np.ndarray) -> np.ndarray:
        a = self._attrs
        ph, pw, ratio = a["pooled_h"], a["pooled_w"], a["sampling_ratio"]
        scale = _F(a["spatial_scale"])
        mode = self._aligned_mode()
        off_src = _F(0.5) if mode == "half_pixel" else _F(0)
        off_dst = _F(-0.5) if mode != "asymmetric" else _F(0)
        n, channels = data.shape[:2]
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
            ys = _bin_samples(y1, rh, ph, ratio)  # [ph, sy]
            xs = _bin_samples(x1, rw, pw, ratio)  # [pw, sx]
            if ys is None or xs is None:  # an inverted or empty ROI samples nothing
                continue
            samples = _sample_points(fm[b], ys.reshape(-1)[:, None], xs.reshape(-1)[None, :])
            samples = samples.reshape(channels, ph, ys.shape[1], pw, xs.shape[1])
            out[r] = _pool_bins(samples, a["mode"])
        return out.astype(data.dtype)


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
        _check_roi_inputs(self, 5, same_roi_type=False)

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
            py = _bin_samples(-rh / _F(2), rh, ph, ratio)
            px = _bin_samples(-rw / _F(2), rw, pw, ratio)
            if py is None or px is None:
                continue
            py, px = py[:, :, None, None], px[None, None]
            ys = (py * cos - px * sin + cy).astype(_F)
            xs = (py * sin + px * cos + cx).astype(_F)
            samples = _sample_points(fm[b], ys, xs)  # [C, ph, sy, pw, sx]
            out[r] = _pool_bins(samples, "avg")
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
