"""DetectionOutput (v1, v8): the SSD head's last step. Box offsets are decoded against the
prior boxes, each class goes through non-maximum suppression, and the best detections are
kept.

Inputs: ``box_logits`` ``[N, priors * loc_classes * 4]``, ``class_preds`` ``[N, priors *
classes]``, ``proposals`` (the priors) ``[1 or N, 1 or 2, priors * prior_size]`` (row 0
the boxes, ``prior_size`` 4, or 5 when not ``normalized``; row 1 their variances unless
``variance_encoded_in_target``) and, for the two-stage (RefineDet) variant,
``aux_class_preds`` ``[N, priors * 2]`` and ``aux_box_preds`` like ``box_logits``. v1
names ``num_classes``; v8 derives it from ``class_preds``.

Output ``[1, 1, R, 7]`` rows ``[image, label, score, xmin, ymin, xmax, ymax]``: per image,
labels in increasing order and each label's boxes by score; the row after the last
detection starts with -1 and the rest is zero. ``R`` is ``N * keep_top_k[0]`` when that is
positive, else ``N * top_k * classes`` when ``top_k`` is positive, else ``N * priors *
classes``. Arithmetic is f32 as in the runtime.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from ..utils.input_validation import is_non_negative_value, is_positive_value
from ._attrs_dict import dict_attributes

__all__ = ["DetectionOutput1", "DetectionOutput"]

_F = np.float32
_CORNER = "caffe.PriorBoxParameter.CORNER"
_CENTER_SIZE = "caffe.PriorBoxParameter.CENTER_SIZE"


def _overlap(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Jaccard overlap of one ``[xmin, ymin, xmax, ymax]`` box with each of ``others`` (0
    where they do not intersect; an inverted box has no area)."""
    apart = ((others[:, 0] > box[2]) | (others[:, 2] < box[0]) |
             (others[:, 1] > box[3]) | (others[:, 3] < box[1]))
    iw = np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0])
    ih = np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1])

    def size(b: np.ndarray) -> np.ndarray:
        ok = (b[..., 2] >= b[..., 0]) & (b[..., 3] >= b[..., 1])
        return np.where(ok, (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1]), _F(0))

    inter = iw * ih
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (size(box) + size(others) - inter)
    return np.where(apart | (iw <= 0) | (ih <= 0), _F(0), iou).astype(_F)


def _greedy(boxes: np.ndarray, order: np.ndarray, threshold: np.float32) -> list[int]:
    """Caffe's NMS over candidates in ``order``: keep each one that overlaps no kept box by
    more than ``threshold``."""
    kept: list[int] = []
    for i in order:
        i = int(i)
        if kept and (_overlap(boxes[i], boxes[kept]) > threshold).any():
            continue
        kept.append(i)
    return kept


def _by_score(scores: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """``candidates`` sorted by score, highest first, ties by lower index."""
    return candidates[np.argsort(-scores[candidates], kind="stable")]


class _DetectionOutputBase(Node):
    """Shape inference and reference shared by both versions."""

    def _num_classes(self) -> int | None:
        return self._attrs["num_classes"]

    def _prior_size(self) -> int:
        return 4 if self._attrs["normalized"] else 5

    def validate_and_infer_types(self) -> None:
        n_in = len(self._inputs)
        self.check(n_in in (3, 5), f"DetectionOutput takes 3 or 5 inputs, got {n_in}")
        a = self._attrs
        self.check(len(a["keep_top_k"]) > 0, "keep_top_k attribute must be provided")
        self.check(a["code_type"] in (_CORNER, _CENTER_SIZE),
                   f"code_type must be {_CORNER} or {_CENTER_SIZE}, got '{a['code_type']}'")
        et = self.get_input_element_type(0)
        for i in range(n_in):
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t.is_real(),
                       f"Input {i} of DetectionOutput must be floating-point, got "
                       f"{t.get_type_name()}")
        box, cls, prop = (self.get_input_partial_shape(i) for i in range(3))
        for ps, name, rank in ((box, "Box logits", 2), (cls, "Class predictions", 2),
                               (prop, "Proposals", 3)):
            self.check(ps.rank.is_dynamic or len(ps) == rank,
                       f"{name} rank must be {rank}. Got {len(ps)}")
        prior_size = self._prior_size()
        if prop.rank.is_static:
            self.check(prop[1]._compatible(1 if a["variance_encoded_in_target"] else 2),
                       f"Proposals' second dimension is mismatched. Current value is: "
                       f"{prop[1]}, expected: {1 if a['variance_encoded_in_target'] else 2}")
        classes = self._num_classes()
        # the number of priors comes from box_logits when it can, else from the proposals
        priors = None
        loc_classes = 1 if a["share_location"] else classes
        if box.rank.is_static and box[1].is_static and loc_classes is not None:
            self.check(box[1].get_length() % (loc_classes * 4) == 0,
                       f"Box logits' second dimension must be a multiply of num_loc_classes * 4 "
                       f"({loc_classes * 4}). Current value is: {box[1].get_length()}.")
            priors = box[1].get_length() // (loc_classes * 4)
        if prop.rank.is_static and prop[2].is_static:
            if priors is not None:
                self.check(prop[2].get_length() == priors * prior_size,
                           f"Proposals' third dimension must be equal to num_prior_boxes * "
                           f"prior_box_size ({priors * prior_size}). Current value is: "
                           f"{prop[2].get_length()}.")
            else:
                self.check(prop[2].get_length() % prior_size == 0,
                           f"Proposals' third dimension must be a multiply of prior_box_size "
                           f"({prior_size}). Current value is: {prop[2].get_length()}.")
                priors = prop[2].get_length() // prior_size
        if cls.rank.is_static and cls[1].is_static and priors:
            if classes is None:
                self.check(cls[1].get_length() % priors == 0,
                           f"Class predictions' second dimension must be a multiply of "
                           f"num_prior_boxes ({priors}). Current value is: "
                           f"{cls[1].get_length()}.")
                classes = cls[1].get_length() // priors
            self.check(cls[1].get_length() == priors * classes,
                       f"Class predictions' second dimension must be equal to num_prior_boxes "
                       f"* num_classes ({priors * classes}). Current value is: "
                       f"{cls[1].get_length()}.")
        if classes is not None and not a["share_location"] and box.rank.is_static and \
                box[1].is_static and priors:
            self.check(box[1].get_length() == priors * classes * 4,
                       f"Box logits' second dimension must be equal to num_loc_classes * "
                       f"num_prior_boxes * 4 ({priors * classes * 4}). Current value is: "
                       f"{box[1].get_length()}.")
        images = box[0] if box.rank.is_static else Dimension()
        keep, top_k = a["keep_top_k"][0], a["top_k"]
        rows = Dimension()
        if images.is_static:
            n = images.get_length()
            if keep > 0:
                rows = Dimension(n * keep)
            elif top_k > 0 and classes is not None:
                rows = Dimension(n * top_k * classes)
            elif classes is not None and priors is not None:
                rows = Dimension(n * priors * classes)
        self.set_output_type(0, et, PartialShape([1, 1, rows, 7]))

    # --- reference -------------------------------------------------------------------------
    def reference(self, loc: np.ndarray, conf: np.ndarray, priors_in: np.ndarray,
                  *aux: np.ndarray) -> np.ndarray:
        a = self._attrs
        images = loc.shape[0]
        prior_size = self._prior_size()
        n_priors = priors_in.shape[2] // prior_size
        classes = self._num_classes()
        if classes is None:
            classes = conf.shape[1] // n_priors
        loc_classes = 1 if a["share_location"] else classes
        background = a["background_label_id"]
        locs = loc.astype(_F).reshape(images, n_priors, loc_classes, 4)
        scores = conf.astype(_F).reshape(images, n_priors, classes).transpose(0, 2, 1).copy()
        arm_loc = None
        if aux:
            arm_conf = aux[0].astype(_F).reshape(images, n_priors, 2)
            arm_loc = aux[1].astype(_F).reshape(images, n_priors, loc_classes, 4)
            weak = arm_conf[:, :, 1] < _F(a["objectness_score"])  # [images, priors]
            onehot = (np.arange(classes) == background).astype(_F)[None, :, None]
            scores = np.where(weak[:, None, :], onehot, scores)
        pri = priors_in.astype(_F)
        out_rows: list[np.ndarray] = []
        for i in range(images):
            p = pri[0 if pri.shape[0] == 1 else i]
            boxes = p[0].reshape(n_priors, prior_size)[:, prior_size - 4:]
            variances = None if a["variance_encoded_in_target"] else p[1].reshape(-1)[
                :n_priors * 4].reshape(n_priors, 4)
            decoded: dict[int, np.ndarray] = {}
            for c in range(loc_classes):
                label = -1 if a["share_location"] else c
                if background > -1 and label == background:
                    continue
                base = boxes
                if arm_loc is not None:
                    base = self._decode(boxes, variances, arm_loc[i, :, c])
                decoded[label] = self._decode(base, variances, locs[i, :, c])
            indices = (self._mxnet_nms(decoded, scores[i]) if a["decrease_label_id"]
                       else self._caffe_nms(decoded, scores[i], classes))
            indices = self._keep_top_k(indices, scores[i])
            for label in sorted(indices):
                bx = decoded.get(-1 if a["share_location"] else label)
                if bx is None or not indices[label]:
                    continue
                idx = np.array(indices[label])
                b = bx[idx]
                if a["clip_after_nms"]:
                    b = np.clip(b, _F(0), _F(1))
                rows = np.empty((len(idx), 7), _F)
                rows[:, 0] = i
                rows[:, 1] = label - 1 if a["decrease_label_id"] else label
                rows[:, 2] = scores[i, label, idx]
                rows[:, 3:] = b
                out_rows.append(rows)
        total = self._rows(images, classes, n_priors)
        out = np.zeros((total, 7), _F)
        found = np.concatenate(out_rows) if out_rows else np.zeros((0, 7), _F)
        count = min(found.shape[0], total)
        out[:count] = found[:count]
        if count < total:
            out[count, 0] = -1
        return out.reshape(1, 1, total, 7).astype(loc.dtype)

    def _rows(self, images: int, classes: int, priors: int) -> int:
        dim = self.get_output_partial_shape(0)[2]
        if dim.is_static:
            return dim.get_length()
        keep, top_k = self._attrs["keep_top_k"][0], self._attrs["top_k"]
        if keep > 0:
            return images * keep
        if top_k > 0:
            return images * top_k * classes
        return images * priors * classes

    def _decode(self, priors: np.ndarray, variances: np.ndarray | None,
                offsets: np.ndarray) -> np.ndarray:
        a = self._attrs
        p = priors.astype(_F)
        if not a["normalized"]:
            p = p / np.array([a["input_width"], a["input_height"]] * 2, _F)
        v = np.ones((p.shape[0], 4), _F) if variances is None else variances
        if a["code_type"] == _CORNER:
            out = p + v * offsets
        else:
            pw, ph = p[:, 2] - p[:, 0], p[:, 3] - p[:, 1]
            pcx, pcy = (p[:, 0] + p[:, 2]) / _F(2), (p[:, 1] + p[:, 3]) / _F(2)
            cx = v[:, 0] * offsets[:, 0] * pw + pcx
            cy = v[:, 1] * offsets[:, 1] * ph + pcy
            with np.errstate(over="ignore"):  # inf, as the runtime's f32 exp gives
                w = np.exp(v[:, 2] * offsets[:, 2]).astype(_F) * pw
                h = np.exp(v[:, 3] * offsets[:, 3]).astype(_F) * ph
            out = np.stack([cx - w / _F(2), cy - h / _F(2), cx + w / _F(2), cy + h / _F(2)],
                           axis=1)
        out = out.astype(_F)
        if a["clip_before_nms"]:
            out = np.clip(out, _F(0), _F(1))
        return out

    def _caffe_nms(self, decoded: dict[int, np.ndarray], scores: np.ndarray,
                   classes: int) -> dict[int, list[int]]:
        a = self._attrs
        threshold, top_k = _F(a["confidence_threshold"]), a["top_k"]
        out: dict[int, list[int]] = {}
        for c in range(classes):
            if c == a["background_label_id"]:
                continue
            boxes = decoded.get(-1 if a["share_location"] else c)
            if boxes is None:
                continue
            order = _by_score(scores[c], np.flatnonzero(scores[c] > threshold))
            if top_k > -1:
                order = order[:top_k]
            out[c] = _greedy(boxes, order, _F(a["nms_threshold"]))
        return out

    def _mxnet_nms(self, decoded: dict[int, np.ndarray], scores: np.ndarray
                   ) -> dict[int, list[int]]:
        """MXNet's variant: each prior competes once, with its best non-background class."""
        a = self._attrs
        classes = scores.shape[0]
        background = a["background_label_id"]
        best = np.full(scores.shape[1], _F(-1))
        best_id = np.zeros(scores.shape[1], np.int64)
        for c in range(1, classes):
            if background > -1 and c == background:
                continue
            better = scores[c] > best
            best = np.where(better, scores[c], best)
            best_id = np.where(better, c, best_id)
        cand = np.flatnonzero((best_id > 0) & (best >= _F(a["confidence_threshold"])))
        order = _by_score(best, cand)
        if a["top_k"] != -1:
            order = order[:a["top_k"]]
        out: dict[int, list[int]] = {}
        threshold = _F(a["nms_threshold"])
        for p in order:
            c = int(best_id[p])
            boxes = decoded[-1 if a["share_location"] else c]
            kept = out.setdefault(c, [])
            if kept and (_overlap(boxes[p], boxes[kept]) > threshold).any():
                continue
            kept.append(int(p))
        return out

    def _keep_top_k(self, indices: dict[int, list[int]], scores: np.ndarray
                    ) -> dict[int, list[int]]:
        keep = self._attrs["keep_top_k"][0]
        total = sum(len(v) for v in indices.values())
        if keep <= -1 or total <= keep:
            return indices
        pairs = [(scores[label, i], label, i) for label, idx in indices.items() for i in idx]
        pairs.sort(key=lambda t: (-t[0], t[2], t[1]))
        out: dict[int, list[int]] = {}
        for _, label, i in pairs[:keep]:
            out.setdefault(label, []).append(i)
        return out


_COMMON = {"background_label_id": Attr.int(0), "top_k": Attr.int(-1),
           "variance_encoded_in_target": Attr.bool(False), "keep_top_k": Attr.ints(),
           "code_type": Attr.str(_CORNER), "share_location": Attr.bool(True),
           "nms_threshold": Attr.float(), "confidence_threshold": Attr.float(0.0),
           "clip_after_nms": Attr.bool(False), "clip_before_nms": Attr.bool(False),
           "decrease_label_id": Attr.bool(False), "normalized": Attr.bool(False),
           "input_height": Attr.int(1), "input_width": Attr.int(1),
           "objectness_score": Attr.float(0.0)}


class DetectionOutput1(_DetectionOutputBase):
    """DetectionOutput (v1): ``num_classes`` is an attribute."""

    type_name = "DetectionOutput"
    version = "opset1"
    attributes = {"num_classes": Attr.int(), **_COMMON}


class DetectionOutput(_DetectionOutputBase):
    """DetectionOutput (v8): the number of classes comes from ``class_preds``."""

    type_name = "DetectionOutput"
    version = "opset8"
    attributes = dict(_COMMON)

    def _num_classes(self) -> int | None:
        return None


_REQUIREMENTS = [
    ("background_label_id", False, np.integer, None),
    ("top_k", False, np.integer, None),
    ("variance_encoded_in_target", False, np.bool_, None),
    ("keep_top_k", True, np.integer, None),
    ("code_type", False, np.str_, None),
    ("share_location", False, np.bool_, None),
    ("nms_threshold", True, np.floating, None),
    ("confidence_threshold", False, np.floating, None),
    ("clip_after_nms", False, np.bool_, None),
    ("clip_before_nms", False, np.bool_, None),
    ("decrease_label_id", False, np.bool_, None),
    ("normalized", False, np.bool_, None),
    ("input_height", False, np.integer, is_positive_value),
    ("input_width", False, np.integer, is_positive_value),
    ("objectness_score", False, np.floating, is_non_negative_value),
]


def _inputs(box_logits: Any, class_preds: Any, proposals: Any, aux_class_preds: Any,
            aux_box_preds: Any) -> list[Any]:
    ins = [box_logits, class_preds, proposals]
    if aux_class_preds is not None:
        ins.append(aux_class_preds)
    if aux_box_preds is not None:
        ins.append(aux_box_preds)
    return ins


@factory("detection_output", since=1)
def detection_output1(box_logits: Any, class_preds: Any, proposals: Any, attrs: dict,
                      aux_class_preds: Any = None, aux_box_preds: Any = None,
                      name: str | None = None) -> DetectionOutput1:
    """SSD detections (v1: ``attrs`` names ``num_classes``)."""
    return DetectionOutput1(*_inputs(box_logits, class_preds, proposals, aux_class_preds,
                                     aux_box_preds), name=name, **dict_attributes(
        "DetectionOutput", DetectionOutput1, attrs,
        [("num_classes", True, np.integer, is_positive_value)] + _REQUIREMENTS))


@factory("detection_output", since=8)
def detection_output(box_logits: Any, class_preds: Any, proposals: Any, attrs: dict,
                     aux_class_preds: Any = None, aux_box_preds: Any = None,
                     name: str | None = None) -> DetectionOutput:
    """SSD detections (v8: the number of classes comes from ``class_preds``)."""
    return DetectionOutput(*_inputs(box_logits, class_preds, proposals, aux_class_preds,
                                    aux_box_preds), name=name, **dict_attributes(
        "DetectionOutput", DetectionOutput, attrs, _REQUIREMENTS))
