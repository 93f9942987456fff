"""The ExperimentalDetectron ops of opset6 (Mask R-CNN as Detectron exports it):
PriorGridGenerator, GenerateProposalsSingleImage, ROIFeatureExtractor, TopKROIs and
DetectionOutput. OpenVINO's Python opsets have no factories for them (they come from IR or
``NodeFactory("opset6")``), and neither do we. Arithmetic is f32 as in the runtime; boxes
use Detectron's +1 pixel convention where the runtime does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._shape import Dimension, PartialShape
from .._type import Type

__all__ = ["ExperimentalDetectronPriorGridGenerator",
           "ExperimentalDetectronGenerateProposalsSingleImage",
           "ExperimentalDetectronROIFeatureExtractor", "ExperimentalDetectronTopKROIs",
           "ExperimentalDetectronDetectionOutput"]

_F = np.float32
_MAX_DELTA_LOG_WH = _F(math.log(1000.0 / 16.0))


def _check_float_inputs(node: Node) -> Any:
    et = node.get_input_element_type(0)
    for i in range(len(node._inputs)):
        t = node.get_input_element_type(i)
        node.check(t.is_dynamic() or t.is_real(),
                   f"Input {i} of {node.type_name} must be floating point, got "
                   f"{t.get_type_name()}")
    return et


def _rank(node: Node, index: int, rank: int, name: str) -> PartialShape:
    ps = node.get_input_partial_shape(index)
    node.check(ps.rank.is_dynamic or len(ps) == rank,
               f"{name} rank must be equal to {rank}. Got: {ps}")
    return ps


# --- PriorGridGenerator --------------------------------------------------------------------
class ExperimentalDetectronPriorGridGenerator(Node):
    """The priors moved to every cell centre of the feature map (``[H * W * A, 4]``, or
    ``[H, W, A, 4]`` without ``flatten``); ``h``/``w`` override the grid the boxes are
    computed on (the output keeps the feature map's size) and ``stride_x``/``stride_y`` the
    cell size (default: image size over grid size)."""

    type_name = "ExperimentalDetectronPriorGridGenerator"
    version = "opset6"
    attributes = {"flatten": Attr.bool(True), "h": Attr.int(0), "w": Attr.int(0),
                  "stride_x": Attr.float(0.0), "stride_y": Attr.float(0.0)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3, f"{self.type_name} takes priors, feature_map and "
                                           f"im_data")
        et = _check_float_inputs(self)
        priors = _rank(self, 0, 2, "Priors")
        fmap = _rank(self, 1, 4, "Feature_map")
        _rank(self, 2, 4, "Im_data")
        if priors.rank.is_static:
            self.check(priors[1]._compatible(4),
                       f"The last dimension of the 'priors' input must be equal to 4. Got: "
                       f"{priors[1]}")
        a = self._attrs
        # the shape follows the feature map even where h/w set the grid, as in the runtime
        h = fmap[2] if fmap.rank.is_static else Dimension()
        w = fmap[3] if fmap.rank.is_static else Dimension()
        n = priors[0] if priors.rank.is_static else Dimension()
        if a["flatten"]:
            dims = [h, w, n]
            total = Dimension(h.get_length() * w.get_length() * n.get_length()) \
                if all(d.is_static for d in dims) else Dimension()
            self.set_output_type(0, et, PartialShape([total, 4]))
        else:
            self.set_output_type(0, et, PartialShape([h, w, n, 4]))

    def reference(self, priors: np.ndarray, fmap: np.ndarray, image: np.ndarray) -> np.ndarray:
        a = self._attrs
        h = a["h"] or fmap.shape[2]
        w = a["w"] or fmap.shape[3]
        step_w = _F(a["stride_x"]) if a["stride_x"] else _F(image.shape[3]) / _F(w)
        step_h = _F(a["stride_y"]) if a["stride_y"] else _F(image.shape[2]) / _F(h)
        p = priors.astype(_F)
        sx = (step_w * (np.arange(w, dtype=_F) + _F(0.5)))[None, :, None]
        sy = (step_h * (np.arange(h, dtype=_F) + _F(0.5)))[:, None, None]
        out = np.empty((h, w, p.shape[0], 4), _F)
        out[..., 0] = p[:, 0] + sx
        out[..., 1] = p[:, 1] + sy
        out[..., 2] = p[:, 2] + sx
        out[..., 3] = p[:, 3] + sy
        # written one after the other into the feature map's grid (cut off or zero-padded
        # where h/w give another grid size), as the runtime writes them
        rows = fmap.shape[2] * fmap.shape[3] * p.shape[0]
        flat = np.zeros((rows, 4), _F)
        stream = out.reshape(-1, 4)[:rows]
        flat[:stream.shape[0]] = stream
        shape = (rows, 4) if a["flatten"] else (fmap.shape[2], fmap.shape[3], p.shape[0], 4)
        return flat.reshape(shape).astype(priors.dtype)


# --- GenerateProposalsSingleImage ----------------------------------------------------------
def _refine(anchors: np.ndarray, dx: np.ndarray, dy: np.ndarray, dw: np.ndarray,
            dh: np.ndarray, offset: np.float32) -> tuple[np.ndarray, ...]:
    """Anchors moved by Detectron's deltas (width/height log deltas capped)."""
    x0, y0, x1, y1 = (anchors[..., k] for k in range(4))
    ww = x1 - x0 + offset
    hh = y1 - y0 + offset
    cx = x0 + _F(0.5) * ww
    cy = y0 + _F(0.5) * hh
    pcx = dx * ww + cx
    pcy = dy * hh + cy
    pw = np.exp(np.minimum(dw, _MAX_DELTA_LOG_WH)).astype(_F) * ww
    ph = np.exp(np.minimum(dh, _MAX_DELTA_LOG_WH)).astype(_F) * hh
    return (pcx - _F(0.5) * pw, pcy - _F(0.5) * ph, pcx + _F(0.5) * pw - offset,
            pcy + _F(0.5) * ph - offset)


class ExperimentalDetectronGenerateProposalsSingleImage(Node):
    """RPN proposals of one image: anchors ``[H * W * A, 4]`` refined by ``deltas``
    ``[A * 4, H, W]``, scored by ``scores`` ``[A, H, W]`` (0 for boxes smaller than
    ``min_size``), the ``pre_nms_count`` best through NMS, ``post_nms_count`` rows out
    (zeros after the last)."""

    type_name = "ExperimentalDetectronGenerateProposalsSingleImage"
    version = "opset6"
    attributes = {"min_size": Attr.float(), "nms_threshold": Attr.float(),
                  "post_nms_count": Attr.int(), "pre_nms_count": Attr.int()}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 4, f"{self.type_name} takes im_info, anchors, deltas "
                                           f"and scores")
        et = _check_float_inputs(self)
        a = self._attrs
        self.check(a["pre_nms_count"] > 0, f"The number of top-n proposals before NMS must be "
                                           f"greater than 0. Got: {a['pre_nms_count']}")
        self.check(a["post_nms_count"] > 0, f"The number of top-n proposals after NMS must be "
                                            f"greater than 0. Got: {a['post_nms_count']}")
        _rank(self, 0, 1, "The 'input_im_info' input")
        _rank(self, 1, 2, "The 'input_anchors' input")
        _rank(self, 2, 3, "The 'input_deltas' input")
        _rank(self, 3, 3, "The 'input_scores' input")
        n = a["post_nms_count"]
        self.set_output_type(0, et, PartialShape([n, 4]))
        self.set_output_type(1, et, PartialShape([n]))

    def reference(self, info: np.ndarray, anchors: np.ndarray, deltas: np.ndarray,
                  scores: np.ndarray) -> Any:
        a = self._attrs
        count, h, w = scores.shape
        img_h, img_w = (_F(v) for v in np.asarray(info, _F).reshape(-1)[:2])
        anc = anchors.astype(_F).reshape(h, w, count, 4)
        d = deltas.astype(_F).reshape(count, 4, h, w).transpose(2, 3, 0, 1)  # [h, w, A, 4]
        sc = scores.astype(_F).transpose(1, 2, 0)  # [h, w, A]
        one = _F(1)
        x0, y0, x1, y1 = _refine(anc, d[..., 0], d[..., 1], d[..., 2], d[..., 3], one)
        x0 = np.clip(x0, 0, img_w - one)
        y0 = np.clip(y0, 0, img_h - one)
        x1 = np.clip(x1, 0, img_w - one)
        y1 = np.clip(y1, 0, img_h - one)
        big = (_F(a["min_size"]) <= x1 - x0 + one) & (_F(a["min_size"]) <= y1 - y0 + one)
        flat_scores = np.where(big, sc, _F(0)).astype(_F).reshape(-1)
        boxes = np.stack([x0, y0, x1, y1], -1).reshape(-1, 4).astype(_F)
        pre = min(flat_scores.size, a["pre_nms_count"])
        order = np.argsort(-flat_scores, kind="stable")[:pre]
        kept = _nms_rpn(boxes[order], _F(a["nms_threshold"]), a["post_nms_count"])
        post = a["post_nms_count"]
        rois = np.zeros((post, 4), _F)
        out_scores = np.zeros(post, _F)
        rois[:len(kept)] = boxes[order[kept]]
        out_scores[:len(kept)] = flat_scores[order[kept]]
        return rois.astype(anchors.dtype), out_scores.astype(anchors.dtype)


def _nms_rpn(boxes: np.ndarray, threshold: np.float32, keep: int) -> list[int]:
    """Greedy NMS over sorted boxes (no +1 pixel offset): a later box overlapping a selected
    one by more than ``threshold`` is dropped."""
    n = boxes.shape[0]
    dead = np.zeros(n, bool)
    out: list[int] = []
    for i in range(n):
        if dead[i]:
            continue
        out.append(i)
        if len(out) == keep:
            break
        rest = boxes[i + 1:]
        x0i, y0i, x1i, y1i = boxes[i]
        area_i = (x1i - x0i) * (y1i - y0i)
        iw = np.minimum(x1i, rest[:, 2]) - np.maximum(x0i, rest[:, 0])
        ih = np.minimum(y1i, rest[:, 3]) - np.maximum(y0i, rest[:, 1])
        inter = np.maximum(_F(0), iw) * np.maximum(_F(0), ih)
        area_j = (rest[:, 2] - rest[:, 0]) * (rest[:, 3] - rest[:, 1])
        with np.errstate(divide="ignore", invalid="ignore"):
            iou = inter / (area_i + area_j - inter)
        touch = (x0i <= rest[:, 2]) & (y0i <= rest[:, 3]) & (rest[:, 0] <= x1i) & \
            (rest[:, 1] <= y1i)
        dead[i + 1:] |= (threshold < iou) & touch
    return out


# --- ROIFeatureExtractor -------------------------------------------------------------------
class ExperimentalDetectronROIFeatureExtractor(Node):
    """Each ROI pooled (Detectron's ROIAlign, average of the samples) from the pyramid level
    its size picks (``floor(2 + log2(sqrt(area) / 224))``, clamped); inputs ``rois``
    ``[N, 4]`` then one ``[1, C, Hi, Wi]`` map per level with ``pyramid_scales[i]``;
    outputs ``[N, C, output_size, output_size]`` and the ROIs."""

    type_name = "ExperimentalDetectronROIFeatureExtractor"
    version = "opset6"
    attributes = {"output_size": Attr.int(), "sampling_ratio": Attr.int(),
                  "pyramid_scales": Attr.ints(), "aligned": Attr.bool(False)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) >= 2, f"{self.type_name} takes rois and at least one "
                                           f"feature map")
        et = _check_float_inputs(self)
        a = self._attrs
        levels = len(self._inputs) - 1
        self.check(len(a["pyramid_scales"]) >= levels,
                   f"pyramid_scales has {len(a['pyramid_scales'])} values for {levels} levels")
        rois = _rank(self, 0, 2, "Input rois")
        if rois.rank.is_static:
            self.check(rois[1]._compatible(4),
                       f"The last dimension of the 'input_rois' input must be equal to 4. Got: "
                       f"{rois[1]}")
        channels = Dimension()
        for i in range(1, len(self._inputs)):
            ps = _rank(self, i, 4, f"Rank of each element of the pyramid (input {i})")
            if ps.rank.is_static:
                merged = channels.merge(ps[1])
                self.check(merged is not None,
                           f"The number of channels must be the same for all layers of the "
                           f"pyramid. Got: {channels} and {ps[1]}")
                channels = merged
        n = rois[0] if rois.rank.is_static else Dimension()
        size = a["output_size"]
        self.set_output_type(0, et, PartialShape([n, channels, size, size]))
        self.set_output_type(1, et, PartialShape([n, 4]))

    def reference(self, rois: np.ndarray, *maps: np.ndarray) -> Any:
        a = self._attrs
        r = rois.astype(_F)
        levels = len(maps)
        size, ratio = a["output_size"], a["sampling_ratio"]
        channels = maps[0].shape[1]
        out = np.zeros((r.shape[0], channels, size, size), _F)
        for k, roi in enumerate(r):
            area = (roi[2] - roi[0]) * (roi[3] - roi[1])
            level = levels
            if area > 0:
                v = np.log2(np.sqrt(area) / _F(224.0) + _F(1e-6))
                level = int(np.floor(v + 2))
                level = max(0, min(levels - 1, level))
            if level >= levels:
                continue
            fm = maps[level][0].astype(_F)
            out[k] = _roi_align_avg(fm, roi, _F(1.0) / _F(a["pyramid_scales"][level]), size,
                                    ratio, a["aligned"])
        return out.astype(rois.dtype), rois


def _roi_align_avg(fm: np.ndarray, roi: np.ndarray, scale: np.float32, size: int, ratio: int,
                   aligned: bool) -> np.ndarray:
    """Detectron's ROIAlign of one ROI over ``fm`` ``[C, H, W]``: ``[C, size, size]``."""
    channels, height, width = fm.shape
    off = _F(0.5) if aligned else _F(0)
    x0, y0, x1, y1 = (v * scale - off for v in roi)
    rw = max(x1 - x0, _F(1))
    rh = max(y1 - y0, _F(1))
    bh, bw = _F(rh / _F(size)), _F(rw / _F(size))
    gh = ratio if ratio > 0 else int(np.ceil(rh / _F(size)))
    gw = ratio if ratio > 0 else int(np.ceil(rw / _F(size)))
    ys = (y0 + np.arange(size, dtype=_F)[:, None] * bh
          + (np.arange(gh, dtype=_F)[None, :] + _F(0.5)) * bh / _F(gh)).reshape(-1)
    xs = (x0 + np.arange(size, dtype=_F)[:, None] * bw
          + (np.arange(gw, dtype=_F)[None, :] + _F(0.5)) * bw / _F(gw)).reshape(-1)

    def axis(v: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
        outside = (v < -1.0) | (v > n)
        v = np.maximum(v, _F(0))
        low = v.astype(np.int64)
        edge = low >= n - 1
        low = np.where(edge, n - 1, low)
        high = np.where(edge, n - 1, low + 1)
        v = np.where(edge, low.astype(_F), v)
        return low, high, (v - low).astype(_F), outside

    yl, yh, ly, oy = axis(ys, height)
    xl, xh, lx, ox = axis(xs, width)
    hy, hx = _F(1) - ly, _F(1) - lx
    v = (hy[:, None] * hx[None, :] * fm[:, yl[:, None], xl[None, :]]
         + hy[:, None] * lx[None, :] * fm[:, yl[:, None], xh[None, :]]
         + ly[:, None] * hx[None, :] * fm[:, yh[:, None], xl[None, :]]
         + ly[:, None] * lx[None, :] * fm[:, yh[:, None], xh[None, :]])
    v = np.where((oy[:, None] | ox[None, :])[None], _F(0), v)
    v = v.reshape(channels, size, gh, size, gw)
    return (v.sum(axis=(2, 4)) / _F(gh * gw)).astype(_F)


# --- TopKROIs ------------------------------------------------------------------------------
class ExperimentalDetectronTopKROIs(Node):
    """The ``max_rois`` ROIs of highest probability, best first (``[max_rois, 4]``; zero
    rows when there are fewer ROIs)."""

    type_name = "ExperimentalDetectronTopKROIs"
    version = "opset6"
    attributes = {"max_rois": Attr.int(0)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, f"{self.type_name} takes rois and probabilities")
        et = _check_float_inputs(self)
        rois = _rank(self, 0, 2, "The 'input_rois' input")
        probs = _rank(self, 1, 1, "The 'rois_probs' input")
        if rois.rank.is_static:
            self.check(rois[1]._compatible(4),
                       f"The last dimension of the 'input_rois' input must be equal to 4. Got: "
                       f"{rois[1]}")
            if probs.rank.is_static:
                self.check(rois[0]._compatible(probs[0]),
                           f"Number of rois and number of probabilities should be equal. Got: "
                           f"{rois[0]} {probs[0]}")
        self.set_output_type(0, et, PartialShape([self._attrs["max_rois"], 4]))

    def reference(self, rois: np.ndarray, probs: np.ndarray) -> np.ndarray:
        k = self._attrs["max_rois"]
        order = np.argsort(-probs.astype(_F), kind="stable")[:k]
        out = np.zeros((k, 4), rois.dtype)
        out[:order.size] = rois[order]
        return out


# --- DetectionOutput -----------------------------------------------------------------------
class ExperimentalDetectronDetectionOutput(Node):
    """Mask R-CNN's box head output: each ROI's per-class deltas (divided by
    ``deltas_weights``) refine it, each class goes through NMS (``score_threshold``,
    ``nms_threshold``, at most ``post_nms_count``), and the ``max_detections_per_image``
    best remain: boxes ``[M, 4]``, classes ``[M]`` (i32), scores ``[M]``, zeros after the
    last. Each class reads its own deltas whatever ``class_agnostic_box_regression`` says,
    as the runtime's CPU plugin does."""

    type_name = "ExperimentalDetectronDetectionOutput"
    version = "opset6"
    attributes = {"score_threshold": Attr.float(), "nms_threshold": Attr.float(),
                  "max_delta_log_wh": Attr.float(), "num_classes": Attr.int(),
                  "post_nms_count": Attr.int(), "max_detections_per_image": Attr.int(),
                  "class_agnostic_box_regression": Attr.bool(False),
                  "deltas_weights": Attr.floats()}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 4, f"{self.type_name} takes rois, deltas, scores and "
                                           f"im_info")
        et = _check_float_inputs(self)
        a = self._attrs
        self.check(len(a["deltas_weights"]) == 4,
                   f"deltas_weights must have 4 values, got {len(a['deltas_weights'])}")
        self.check(a["num_classes"] > 0, "num_classes must be positive")
        self.check(a["max_detections_per_image"] > 0, "max_detections_per_image must be "
                                                      "positive")
        _rank(self, 0, 2, "Input rois")
        _rank(self, 1, 2, "Input deltas")
        _rank(self, 2, 2, "Input scores")
        _rank(self, 3, 2, "Input image info")
        m = a["max_detections_per_image"]
        self.set_output_type(0, et, PartialShape([m, 4]))
        self.set_output_type(1, Type.i32, PartialShape([m]))
        self.set_output_type(2, et, PartialShape([m]))

    def reference(self, rois: np.ndarray, deltas: np.ndarray, scores: np.ndarray,
                  info: np.ndarray) -> Any:
        a = self._attrs
        classes = a["num_classes"]
        r = rois.astype(_F)
        n = r.shape[0]
        d = deltas.astype(_F).reshape(n, -1, 4)
        sc = scores.astype(_F).reshape(n, classes)
        weights = np.array(a["deltas_weights"], _F)
        one = _F(1)
        valid = ((r[:, 2] - r[:, 0]) > 0) & ((r[:, 3] - r[:, 1]) > 0)
        cap = _F(a["max_delta_log_wh"])
        ww = r[:, 2] - r[:, 0] + one
        hh = r[:, 3] - r[:, 1] + one
        cx = r[:, 0] + _F(0.5) * ww
        cy = r[:, 1] + _F(0.5) * hh
        detections: list[tuple[np.float32, int, int]] = []
        boxes_of: dict[int, np.ndarray] = {}
        for c in range(1, classes):
            dc = d[:, c] / weights  # class_agnostic_box_regression: the runtime ignores it
            pcx = dc[:, 0] * ww + cx
            pcy = dc[:, 1] * hh + cy
            pw = np.exp(np.minimum(dc[:, 2], cap)).astype(_F) * ww
            ph = np.exp(np.minimum(dc[:, 3], cap)).astype(_F) * hh
            b = np.stack([pcx - _F(0.5) * pw, pcy - _F(0.5) * ph, pcx + _F(0.5) * pw - one,
                          pcy + _F(0.5) * ph - one], -1)
            b = np.maximum(b, _F(0)).astype(_F)
            b[~valid] = 0
            areas = ((b[:, 2] - b[:, 0] + one) * (b[:, 3] - b[:, 1] + one)).astype(_F)
            areas[~valid] = 0
            cls_scores = np.where(valid, sc[:, c], _F(0))
            boxes_of[c] = b
            for i in _class_nms(b, areas, cls_scores, _F(a["score_threshold"]),
                                _F(a["nms_threshold"]), a["post_nms_count"]):
                detections.append((cls_scores[i], c, i))
        m = a["max_detections_per_image"]
        if len(detections) > m:
            detections.sort(key=lambda t: (-t[0], t[2]))
            detections = detections[:m]
        out_boxes = np.zeros((m, 4), _F)
        out_classes = np.zeros(m, np.int32)
        out_scores = np.zeros(m, _F)
        for k, (s, c, i) in enumerate(detections):
            out_boxes[k] = boxes_of[c][i]
            out_classes[k] = c
            out_scores[k] = s
        return out_boxes.astype(rois.dtype), out_classes, out_scores.astype(rois.dtype)


def _class_nms(boxes: np.ndarray, areas: np.ndarray, scores: np.ndarray,
               score_threshold: np.float32, nms_threshold: np.float32, keep: int) -> list[int]:
    """One class's NMS: candidates above ``score_threshold`` by score (ties: lower index),
    dropped when they overlap a kept box by more than ``nms_threshold`` (+1 pixel boxes)."""
    cand = np.flatnonzero(scores > score_threshold)
    order = cand[np.argsort(-scores[cand], kind="stable")]
    kept: list[int] = []
    one = _F(1)
    for i in order:
        i = int(i)
        ok = True
        for j in kept:
            b1, b2 = boxes[i], boxes[j]
            if b2[0] > b1[2] or b2[2] < b1[0] or b2[1] > b1[3] or b2[3] < b1[1]:
                continue
            iw = min(b1[2], b2[2]) - max(b1[0], b2[0]) + one
            ih = min(b1[3], b2[3]) - max(b1[1], b2[1]) + one
            if iw <= 0 or ih <= 0:
                continue
            inter = _F(iw * ih)
            if inter / (areas[i] + areas[j] - inter) > nms_threshold:
                ok = False
                break
        if ok:
            kept.append(i)
    return kept[:keep] if keep != -1 else kept
