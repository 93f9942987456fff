"""ROIPooling (v2): pool each region of interest of a feature map to a fixed size.

``rois`` rows are ``[batch, x1, y1, x2, y2]``. ``method="max"`` scales them by
``spatial_scale``, rounds to whole cells (a malformed ROI becomes 1x1) and takes the maximum
of each of the ``pooled_h x pooled_w`` bins (an empty bin is 0). ``method="bilinear"`` reads
normalized coordinates and samples the feature map bilinearly at ``pooled_h x pooled_w``
evenly spaced points (0 outside the map). Output ``[rois, C, pooled_h, pooled_w]``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape

__all__ = ["ROIPooling", "check_roi_boxes", "round_half_away", "bilinear_at"]


class ROIPooling(Node):
    type_name = "ROIPooling"
    version = "opset2"
    attributes = {"output_size": Attr.ints([]), "output_roi": Attr.ints([]),
                  "pooled_h": Attr.int(0), "pooled_w": Attr.int(0),
                  "spatial_scale": Attr.float(), "method": Attr.enum("max")}

    def _size(self) -> list[int]:
        a = self._attrs
        for key in ("output_size", "output_roi"):
            if a[key]:
                return list(a[key])
        return [a["pooled_h"], a["pooled_w"]]

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "ROIPooling takes feature maps and ROIs")
        size = self._size()
        a = self._attrs
        a["output_size"] = a["output_roi"] = list(size)
        if len(size) == 2:
            a["pooled_h"], a["pooled_w"] = size
        self.check(len(size) == 2, f"The dimension of pooled size is expected to be equal to 2. "
                                   f"Got: {len(size)}")
        self.check(size[0] > 0 and size[1] > 0,
                   f"Pooled size attributes pooled_h and pooled_w should should be positive "
                   f"integers. Got: {size[0]} and {size[1]} respectively")
        self.check(a["spatial_scale"] > 0,
                   f"The spatial scale attribute should be a positive floating point number. "
                   f"Got: {a['spatial_scale']}")
        self.check(a["method"] in ("max", "bilinear"),
                   f'Pooling method attribute should be either "max" or "bilinear". Got: '
                   f"{a['method']}")
        ft, rt = self.get_input_element_type(0), self.get_input_element_type(1)
        self.check(ft.is_dynamic() or ft.is_real(),
                   f"The data type for input and ROIs is expected to be a floating point type. "
                   f"Got: {ft}")
        self.check(rt.is_dynamic() or rt.is_real(),
                   f"The data type for input and ROIs is expected to be a floating point type. "
                   f"Got: {rt}")
        feat, rois = check_roi_boxes(self)
        n = rois[0] if rois.rank.is_static else Dimension()
        c = feat[1] if feat.rank.is_static else Dimension()
        self.set_output_type(0, ft, PartialShape([n, c, size[0], size[1]]))

    def reference(self, feat: np.ndarray, rois: np.ndarray) -> np.ndarray:
        ph, pw = self._size()
        batches, channels, height, width = feat.shape
        out = np.zeros((rois.shape[0], channels, ph, pw), np.float32)
        f = feat.astype(np.float32)
        r = rois.astype(np.float32)
        scale = np.float32(self._attrs["spatial_scale"])
        for i, roi in enumerate(r):
            b = int(roi[0])
            if not 0 <= b < batches:
                raise RuntimeError(f"ROIPooling '{self.get_friendly_name()}': ROI batch id must "
                                   f"be in the range of [0, N-1], got {b} (N = {batches})")
            if self._attrs["method"] == "max":
                out[i] = _max_pool(f[b], roi[1:] * scale, ph, pw)
            else:
                out[i] = _bilinear(f[b], roi[1:], ph, pw)
        return out.astype(feat.dtype)


def check_roi_boxes(node: Node) -> tuple[PartialShape, PartialShape]:
    """The checked shapes of the feature maps ``[N, C, H, W]`` and the ROIs
    ``[rois, 5]`` (batch id and box) of an ROI pooling."""
    feat, rois = node.get_input_partial_shape(0), node.get_input_partial_shape(1)
    node.check(feat.rank.is_dynamic or len(feat) == 4,
               f"Expected a 4D tensor for the feature maps input. Got: {feat}")
    node.check(rois.rank.is_dynamic or len(rois) == 2,
               f"Expected a 2D tensor for the ROIs input with box coordinates. Got: {rois}")
    if rois.rank.is_static:
        node.check(rois[1]._compatible(5),
                   f"The second dimension of ROIs input should contain batch id and box "
                   f"coordinates. This dimension is expected to be equal to 5. Got: "
                   f"{rois[1]}")
    return feat, rois


def round_half_away(v: np.float32) -> np.float32:
    """A box coordinate rounded to the nearest whole cell, halves away from zero (f32)."""
    return np.float32(np.sign(v) * np.floor(np.abs(v) + np.float32(0.5)))


def bilinear_at(fm: np.ndarray, y: float, x: float) -> np.ndarray:
    """``fm`` ``[C, H, W]`` read bilinearly at ``(y, x)`` inside ``[0, H-1] x [0, W-1]``:
    ``[C]`` values (the top and bottom rows first, then between them, in f32)."""
    _, height, width = fm.shape
    f = np.float32
    t, bo = int(np.floor(y)), min(int(np.ceil(y)), height - 1)
    le, ri = int(np.floor(x)), min(int(np.ceil(x)), width - 1)
    top = fm[:, t, le] + (fm[:, t, ri] - fm[:, t, le]) * f(x - le)
    bottom = fm[:, bo, le] + (fm[:, bo, ri] - fm[:, bo, le]) * f(x - le)
    return top + (bottom - top) * f(y - t)


def _max_pool(fm: np.ndarray, box: np.ndarray, ph: int, pw: int) -> np.ndarray:
    _, height, width = fm.shape
    x0, y0, x1, y1 = (int(round_half_away(v)) for v in box)
    rh, rw = max(y1 - y0 + 1, 1), max(x1 - x0 + 1, 1)
    bh, bw = np.float32(rh) / np.float32(ph), np.float32(rw) / np.float32(pw)
    out = np.zeros((fm.shape[0], ph, pw), np.float32)
    for i in range(ph):
        hs = min(max(int(np.floor(np.float32(i) * bh)) + y0, 0), height)
        he = min(max(int(np.ceil(np.float32(i + 1) * bh)) + y0, 0), height)
        for j in range(pw):
            ws = min(max(int(np.floor(np.float32(j) * bw)) + x0, 0), width)
            we = min(max(int(np.ceil(np.float32(j + 1) * bw)) + x0, 0), width)
            if he > hs and we > ws:
                out[:, i, j] = fm[:, hs:he, ws:we].max(axis=(1, 2))
    return out


def _bilinear(fm: np.ndarray, box: np.ndarray, ph: int, pw: int) -> np.ndarray:
    _, height, width = fm.shape
    x0, y0, x1, y1 = box
    f = np.float32
    rh, rw = (y1 - y0) * f(height - 1), (x1 - x0) * f(width - 1)
    sh = rh / f(ph - 1) if ph > 1 else f(0)
    sw = rw / f(pw - 1) if pw > 1 else f(0)
    out = np.zeros((fm.shape[0], ph, pw), np.float32)
    for i in range(ph):
        if ph > 1:
            y = f(height - 1) * y1 if i == ph - 1 else f(i) * sh + y0 * f(height - 1)
        else:
            y = f(0.5 * (y0 + y1) * (height - 1))
        for j in range(pw):
            if pw > 1:
                x = f(width - 1) * x1 if j == pw - 1 else f(j) * sw + x0 * f(width - 1)
            else:
                x = f(0.5 * (x1 + x0) * (width - 1))
            if y < 0 or y > height - 1 or x < 0 or x > width - 1:
                continue
            out[:, i, j] = bilinear_at(fm, y, x)
    return out


@factory("roi_pooling", since=2)
def roi_pooling(input: Any, coords: Any, output_roi: list[int] | None = None,
                spatial_scale: Any = None, method: str = "max", name: str | None = None, *,
                output_size: list[int] | None = None) -> ROIPooling:
    """Max or bilinear pooling of each ROI of ``coords`` to ``output_roi`` (``[h, w]``)."""
    if output_roi is None and output_size is None:
        raise AttributeError("One of the following arguments must be defined: `output_roi`, "
                             "`output_size`!")
    if spatial_scale is None:
        raise AttributeError("The following arguments must be defined: `spatial_scale`!")
    size = output_roi
    if output_size is not None:
        warnings.warn("`output_size` is deprecated and will be removed in future. Value of "
                      "`output_size` is going to override `output_roi` value and "
                      "`get_output_size` will behave like `get_output_roi` function.Please use "
                      "only `output_roi` explicitly.", DeprecationWarning, stacklevel=2)
        size = output_size
    return ROIPooling(input, coords, output_size=list(size), output_roi=list(size),
                      spatial_scale=float(spatial_scale), method=method, name=name)
