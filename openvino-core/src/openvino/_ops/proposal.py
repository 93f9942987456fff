"""Proposal (v1, v4): the region proposals of a Faster R-CNN RPN.

For each image, every anchor of every feature-map cell (``feat_stride`` pixels apart;
anchors from ``base_size``, ``ratio`` and ``scale``) is moved by its predicted deltas
(``bbox_deltas`` ``[N, 4 * anchors, H, W]``) and scored by its foreground probability (the
second half of ``class_probs`` ``[N, 2 * anchors, H, W]``; boxes smaller than ``min_size``
times the image scale score 0). The ``pre_nms_topn`` best go through NMS (IoU above
``nms_thresh`` suppresses) and the first ``post_nms_topn`` survivors are returned as rows
``[image, x0, y0, x1, y1]`` (``[N * post_nms_topn, 5]``; after the last one a row starting
with -1, then zeros). ``image_shape`` is ``[height, width, scale]`` or ``[height, width,
scale_h, scale_w]``. ``framework="tensorflow"`` uses TensorFlow's conventions (no +1 pixel
offsets, unrounded anchors shifted by half the base size, clipped anchors, and cells and
image sides transposed, as the runtime's CPU plugin does). v4 also returns the scores of the
rows (``[N * post_nms_topn]``, zeros after the last ROI). Arithmetic is f32.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from ..utils.input_validation import is_positive_value
from ._attrs_dict import dict_attributes

__all__ = ["Proposal1", "Proposal"]

_F = np.float32


def _round_half_away(x: np.float32) -> np.float32:
    return _F(np.sign(x) * np.floor(np.abs(x) + _F(0.5)))


def generate_anchors(a: dict[str, Any]) -> np.ndarray:
    """``[ratios * scales, 4]`` anchors ``(x0, y0, x1, y1)`` around the base box."""
    tf = a["framework"] == "tensorflow"
    offset = _F(0.0 if tf else 1.0)
    base = a["base_size"]
    area = _F(base * base)
    center = _F(0.5) * (_F(base) - offset)
    out = []
    for r in a["ratio"]:
        r = _F(r)
        if tf:
            w = np.sqrt(area / r).astype(_F)
            h = _F(w * r)
        else:
            w = _round_half_away(np.sqrt(area / r).astype(_F))
            h = _round_half_away(_F(w * r))
        for s in a["scale"]:
            sw = _F(0.5) * (w * _F(s) - offset)
            sh = _F(0.5) * (h * _F(s) - offset)
            box = np.array([center - sw, center - sh, center + sw, center + sh], _F)
            if tf:
                box = box - _F(base * 0.5)
            out.append(box)
    return np.array(out, _F).reshape(-1, 4)


def _nms(boxes: np.ndarray, count: int, threshold: np.float32, keep: int,
         offset: np.float32) -> list[int]:
    """Greedy NMS over the first ``count`` (sorted) boxes, at most ``keep`` survivors."""
    dead = np.zeros(count, bool)
    out: list[int] = []
    b = boxes[:count]
    for i in range(count):
        if dead[i]:
            continue
        out.append(i)
        if len(out) == keep:
            break
        rest = b[i + 1:]
        x0i, y0i, x1i, y1i = b[i]
        touch = ((x0i <= rest[:, 2]) & (y0i <= rest[:, 3]) & (rest[:, 0] <= x1i) &
                 (rest[:, 1] <= y1i))
        w = np.maximum(_F(0), np.minimum(x1i, rest[:, 2]) - np.maximum(x0i, rest[:, 0]) + offset)
        h = np.maximum(_F(0), np.minimum(y1i, rest[:, 3]) - np.maximum(y0i, rest[:, 1]) + offset)
        inter = w * h
        area_i = (x1i - x0i + offset) * (y1i - y0i + offset)
        area_j = (rest[:, 2] - rest[:, 0] + offset) * (rest[:, 3] - rest[:, 1] + offset)
        with np.errstate(divide="ignore", invalid="ignore"):
            iou = np.where(touch, inter / (area_i + area_j - inter), _F(0))
        dead[i + 1:] |= threshold < iou
    return out


class Proposal1(Node):
    """Proposal (v1): the ROIs only."""

    type_name = "Proposal"
    version = "opset1"
    attributes = {"base_size": Attr.int(), "pre_nms_topn": Attr.int(),
                  "post_nms_topn": Attr.int(), "nms_thresh": Attr.float(),
                  "feat_stride": Attr.int(), "min_size": Attr.int(), "ratio": Attr.floats(),
                  "scale": Attr.floats(), "clip_before_nms": Attr.bool(True),
                  "clip_after_nms": Attr.bool(False), "normalize": Attr.bool(False),
                  "box_size_scale": Attr.float(1.0), "box_coordinate_scale": Attr.float(1.0),
                  "framework": Attr.str("")}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3,
                   "Proposal takes class_probs, bbox_deltas and image_shape")
        et = self.get_input_element_type(0)
        for i in range(3):
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t.is_real(),
                       f"Proposal input {i} must be floating-point, got {t.get_type_name()}")
        probs, deltas, image = (self.get_input_partial_shape(i) for i in range(3))
        self.check(probs.rank.is_dynamic or len(probs) == 4,
                   f"Proposal layer shape class_probs should be rank 4 compatible ({probs}).")
        self.check(deltas.rank.is_dynamic or len(deltas) == 4,
                   f"Proposal layer shape bbox_deltas should be rank 4 compatible ({deltas}).")
        self.check(image.rank.is_dynamic or len(image) == 1,
                   f"Image_shape must be 1-D tensor. Got: {image}")
        if image.rank.is_static and image[0].is_static:
            self.check(image[0].get_length() in (3, 4),
                       f"Image_shape must be 1-D tensor and has got 3 or 4 elements (image_shape"
                       f"_shape[0]: {image[0].get_length()}).")
        a = self._attrs
        self.check(a["post_nms_topn"] > 0, "Attribute post_nms_topn must be positive")
        self.check(a["base_size"] > 0, "Attribute base_size must be positive")
        self.check(a["feat_stride"] > 0, "Attribute feat_stride must be positive")
        batch = Dimension()
        if probs.rank.is_static:
            batch = probs[0]
            if deltas.rank.is_static:
                merged = batch.merge(deltas[0])
                self.check(merged is not None,
                           f"Batch size inconsistent between class_probs ({probs[0]}) and "
                           f"bbox_deltas ({deltas[0]}).")
                batch = merged
        elif deltas.rank.is_static:
            batch = deltas[0]
        rows = Dimension(batch.get_length() * a["post_nms_topn"]) if batch.is_static \
            else Dimension()
        self.set_output_type(0, et, PartialShape([rows, 5]))
        self._set_extra(et, rows)

    def _set_extra(self, et: Any, rows: Dimension) -> None:
        pass

    def _run(self, probs: np.ndarray, deltas: np.ndarray, image: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
        a = self._attrs
        tf = a["framework"] == "tensorflow"
        offset = _F(0.0 if tf else 1.0)
        batch, channels, height, width = probs.shape
        anchors_n = channels // 2
        anchors = generate_anchors(a)
        if anchors.shape[0] != anchors_n:
            raise RuntimeError(f"Proposal '{self.get_friendly_name()}': class_probs has "
                               f"{anchors_n} anchors, the attributes give {anchors.shape[0]} "
                               f"(ratio x scale)")
        img = np.asarray(image, _F).reshape(-1)
        img_h, img_w, scale_h = img[0], img[1], img[2]
        if tf:  # cells are transposed, and so are the image sides the boxes are clipped to
            img_h, img_w = img_w, img_h
        scale_w = img[3] if img.size > 3 else scale_h
        min_h, min_w = _F(a["min_size"] * scale_h), _F(a["min_size"] * scale_w)
        count = anchors_n * height * width
        pre = min(count, a["pre_nms_topn"])
        post = a["post_nms_topn"]
        hh, ww = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
        cell_x = ((hh if tf else ww) * a["feat_stride"]).astype(_F).reshape(-1, 1)
        cell_y = ((ww if tf else hh) * a["feat_stride"]).astype(_F).reshape(-1, 1)
        rois = np.zeros((batch, post, 5), _F)
        scores_out = np.zeros((batch, post), _F)
        for b in range(batch):
            # [cells, anchors] in the runtime's order (cell-major)
            d = deltas[b].astype(_F).reshape(anchors_n, 4, height * width).transpose(2, 0, 1)
            dx = d[..., 0] / _F(a["box_coordinate_scale"])
            dy = d[..., 1] / _F(a["box_coordinate_scale"])
            dw = d[..., 2] / _F(a["box_size_scale"])
            dh = d[..., 3] / _F(a["box_size_scale"])
            score = probs[b, anchors_n:].astype(_F).reshape(anchors_n, -1).T
            x0 = cell_x + anchors[:, 0]
            y0 = cell_y + anchors[:, 1]
            x1 = cell_x + anchors[:, 2]
            y1 = cell_y + anchors[:, 3]
            if tf:
                x0, x1 = np.clip(x0, 0, img_w), np.clip(x1, 0, img_w)
                y0, y1 = np.clip(y0, 0, img_h), np.clip(y1, 0, img_h)
            bw = x1 - x0 + offset
            bh = y1 - y0 + offset
            cx = x0 + _F(0.5) * bw
            cy = y0 + _F(0.5) * bh
            pcx = dx * bw + cx
            pcy = dy * bh + cy
            pw = np.exp(dw).astype(_F) * bw
            ph = np.exp(dh).astype(_F) * bh
            x0, y0 = pcx - _F(0.5) * pw, pcy - _F(0.5) * ph
            x1, y1 = pcx + _F(0.5) * pw, pcy + _F(0.5) * ph
            if a["clip_before_nms"]:
                x0 = np.maximum(_F(0), np.minimum(x0, img_w - offset))
                y0 = np.maximum(_F(0), np.minimum(y0, img_h - offset))
                x1 = np.maximum(_F(0), np.minimum(x1, img_w - offset))
                y1 = np.maximum(_F(0), np.minimum(y1, img_h - offset))
            big = (min_w <= x1 - x0 + offset) & (min_h <= y1 - y0 + offset)
            score = np.where(big, score, _F(0)) * np.ones_like(score)
            boxes = np.stack([x0, y0, x1, y1], -1).reshape(-1, 4).astype(_F)
            flat = score.reshape(-1).astype(_F)
            order = np.argsort(-flat, kind="stable")[:pre]
            kept = _nms(boxes[order], pre, _F(a["nms_thresh"]), post, offset)
            sel = boxes[order[kept]]
            if a["clip_after_nms"]:
                sel = np.stack([np.clip(sel[:, 0], 0, img_w), np.clip(sel[:, 1], 0, img_h),
                                np.clip(sel[:, 2], 0, img_w), np.clip(sel[:, 3], 0, img_h)], -1)
            if a["normalize"]:
                sel = sel / np.array([img_w, img_h, img_w, img_h], _F)
            n = len(kept)
            rois[b, :n, 0] = b
            rois[b, :n, 1:] = sel
            scores_out[b, :n] = flat[order[kept]]
            if n < post:
                rois[b, n, 0] = -1
        return rois.reshape(-1, 5), scores_out.reshape(-1)

    def reference(self, probs: np.ndarray, deltas: np.ndarray, image: np.ndarray) -> Any:
        rois, _ = self._run(probs, deltas, image)
        return rois.astype(probs.dtype)


class Proposal(Proposal1):
    """Proposal (v4): also the score of each ROI."""

    type_name = "Proposal"
    version = "opset4"

    def _set_extra(self, et: Any, rows: Dimension) -> None:
        self.set_output_type(1, et, PartialShape([rows]))

    def reference(self, probs: np.ndarray, deltas: np.ndarray, image: np.ndarray) -> Any:
        rois, scores = self._run(probs, deltas, image)
        return rois.astype(probs.dtype), scores.astype(probs.dtype)


_REQUIREMENTS = [
    ("base_size", True, np.unsignedinteger, is_positive_value),
    ("pre_nms_topn", True, np.unsignedinteger, is_positive_value),
    ("post_nms_topn", True, np.unsignedinteger, is_positive_value),
    ("nms_thresh", True, np.floating, is_positive_value),
    ("feat_stride", True, np.unsignedinteger, is_positive_value),
    ("min_size", True, np.unsignedinteger, is_positive_value),
    ("ratio", True, np.floating, None),
    ("scale", True, np.floating, None),
    ("clip_before_nms", False, np.bool_, None),
    ("clip_after_nms", False, np.bool_, None),
    ("normalize", False, np.bool_, None),
    ("box_size_scale", False, np.floating, is_positive_value),
    ("box_coordinate_scale", False, np.floating, is_positive_value),
    ("framework", False, np.str_, None),
]


@factory("proposal", since=1)
def proposal1(class_probs: Any, bbox_deltas: Any, image_shape: Any, attrs: dict,
              name: str | None = None) -> Proposal1:
    """RPN proposals (v1: the ROIs)."""
    return Proposal1(class_probs, bbox_deltas, image_shape, name=name,
                     **dict_attributes("Proposal", Proposal1, attrs, _REQUIREMENTS))


@factory("proposal", since=4)
def proposal(class_probs: Any, bbox_deltas: Any, image_shape: Any, attrs: dict,
             name: str | None = None) -> Proposal:
    """RPN proposals (v4: the ROIs and their scores)."""
    return Proposal(class_probs, bbox_deltas, image_shape, name=name,
                    **dict_attributes("Proposal", Proposal, attrs, _REQUIREMENTS))
