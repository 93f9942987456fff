"""NonMaxSuppression (v1, v3, v4, v5, v9): per batch and class, greedily keep the boxes
of highest score and drop those overlapping a kept box by more than ``iou_threshold``.

Inputs: ``boxes`` ``[batches, boxes, 4]``, ``scores`` ``[batches, classes, boxes]``, and
optional scalars ``max_output_boxes_per_class`` (default 0), ``iou_threshold`` (0),
``score_threshold`` (0) and, from v5, ``soft_nms_sigma`` (0: hard suppression). A box is a
candidate when its score is above ``score_threshold``; hard suppression drops a candidate
whose IoU with a selected box is at least ``iou_threshold``. ``box_encoding="corner"`` reads
``[y1, x1, y2, x2]`` (either diagonal), ``"center"`` reads ``[x_center, y_center, width,
height]``. With ``sort_result_descending`` the selected boxes of every batch and class are
sorted by score (ties: batch, class, box index), otherwise they come by batch, class and
selection order.

Every version returns the ``[selected, 3]`` triplets ``[batch, class, box]``, at most
``min(boxes, max_output_boxes_per_class) * batches * classes`` of them, as the runtime's
devices do (the spec gives v1 to v4 a static shape padded with -1; the runtime's CPU plugin
runs them as v9 and returns the selection only, and so do we: their first output dimension
is that bound, not the static one). v5 and v9 also return the selected scores as
``[batch, class, score]`` rows and the ``[1]`` count. Memory is bounded by the candidates (never by
``max_output_boxes_per_class``, which may be huge).
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._infer import constant_value

__all__ = ["NonMaxSuppression1", "NonMaxSuppression3", "NonMaxSuppression4",
           "NonMaxSuppression5", "NonMaxSuppression", "non_max_suppression_reference"]

_ENCODINGS = ("corner", "center")
_FLOATS = (Type.bf16, Type.f16, Type.f32)


def _corners(boxes: np.ndarray, encoding: str) -> np.ndarray:
    """``[..., 4]`` boxes as ``(y1, x1, y2, x2)`` with ``y1 <= y2`` and ``x1 <= x2``, f32."""
    b = boxes.astype(np.float32)
    if encoding == "center":
        xc, yc, w, h = b[..., 0], b[..., 1], b[..., 2], b[..., 3]
        half_w, half_h = w / np.float32(2), h / np.float32(2)
        return np.stack([yc - half_h, xc - half_w, yc + half_h, xc + half_w], axis=-1)
    return np.stack([np.minimum(b[..., 0], b[..., 2]), np.minimum(b[..., 1], b[..., 3]),
                     np.maximum(b[..., 0], b[..., 2]), np.maximum(b[..., 1], b[..., 3])],
                    axis=-1)


def _iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Intersection over union (f32) of one ``(y1, x1, y2, x2)`` box with each of
    ``others``; 0 where either box has no area."""
    return _iou_matrix(box[None, :], others)[0]


def _iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``[len(a), len(b)]`` intersections over union (f32) of two sets of boxes."""
    area_a = ((a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1]))[:, None]
    area_b = ((b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]))[None, :]
    h = np.maximum(np.minimum(a[:, None, 2], b[None, :, 2]) -
                   np.maximum(a[:, None, 0], b[None, :, 0]), np.float32(0))
    w = np.maximum(np.minimum(a[:, None, 3], b[None, :, 3]) -
                   np.maximum(a[:, None, 1], b[None, :, 1]), np.float32(0))
    inter = h * w
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area_a + area_b - inter)
    return np.where((area_a <= 0) | (area_b <= 0), np.float32(0), iou).astype(np.float32)


#: IoU entries computed at a time by the hard suppression (bounds its memory)
_IOU_BLOCK = 1 << 22


def _hard(boxes: np.ndarray, scores: np.ndarray, keep: int, iou_thr: np.float32
          ) -> list[tuple[int, float]]:
    """Greedy hard suppression of one class: ``(box index, score)`` in selection order; a
    box whose IoU with a selected one reaches ``iou_thr`` is dropped. The IoUs are computed
    a block of candidates at a time (rows against every later candidate), so memory stays
    bounded whatever the number of boxes."""
    order = np.argsort(-scores, kind="stable")  # ties: lower index first
    ranked = boxes[order]
    n = order.size
    dead = np.zeros(n, bool)
    chosen: list[tuple[int, float]] = []
    rows = max(1, min(512, _IOU_BLOCK // max(n, 1)))
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        if dead[start:stop].all():
            continue
        hits = _iou_matrix(ranked[start:stop], ranked[start:]) >= iou_thr
        width = stop - start
        kept = []
        for j in range(width):  # decide the block's candidates one by one
            if dead[start + j]:
                continue
            best = int(order[start + j])
            chosen.append((best, float(scores[best])))
            if len(chosen) >= keep:
                return chosen
            kept.append(j)
            dead[start:stop] |= hits[j, :width]
        if kept:  # then drop what the block's selected boxes suppress further down
            dead[stop:] |= hits[kept, width:].any(axis=0)
    return chosen


def _soft(boxes: np.ndarray, scores: np.ndarray, keep: int, score_thr: np.float32,
          sigma: np.float32) -> list[tuple[int, float]]:
    """Soft suppression of one class: each candidate's score decays by
    ``exp(-0.5 * iou**2 / sigma)`` for every box selected before it (whatever the IoU
    threshold, as the runtime does); a candidate whose score changed goes back in the queue."""
    scale = np.float32(-0.5) / sigma
    heap = [(-float(scores[i]), int(i), 0) for i in range(scores.size)]
    heapq.heapify(heap)
    chosen: list[tuple[int, np.float32]] = []
    while heap and len(chosen) < keep:
        neg, idx, begin = heapq.heappop(heap)
        original = np.float32(-neg)
        score = original
        if len(chosen) > begin:
            prev = np.array([c[0] for c in chosen[begin:]][::-1])
            ious = _iou(boxes[idx], boxes[prev])
            for iou in ious:
                weight = np.exp(scale * iou * iou).astype(np.float32)
                score = np.float32(score * weight)
                if score <= score_thr:
                    break
        if score == original:
            chosen.append((idx, original))
        elif score > score_thr:
            heapq.heappush(heap, (-float(score), idx, len(chosen)))
    return [(i, float(s)) for i, s in chosen]


def non_max_suppression_reference(boxes: np.ndarray, scores: np.ndarray, max_boxes: int,
                                  iou_threshold: float, score_threshold: float,
                                  soft_nms_sigma: float, encoding: str,
                                  sort_descending: bool) -> tuple[np.ndarray, np.ndarray]:
    """``(int64 [n, 3] triplets, f32 [n, 3] batch/class/score rows)`` of the selection."""
    corners = _corners(boxes, encoding)
    sc = scores.astype(np.float32)
    iou_thr, score_thr = np.float32(iou_threshold), np.float32(score_threshold)
    sigma = np.float32(soft_nms_sigma)
    keep = max(int(max_boxes), 0)
    rows: list[tuple[int, int, int, float]] = []
    if keep:
        for b in range(sc.shape[0]):
            for c in range(sc.shape[1]):
                cls = sc[b, c]
                cand = np.flatnonzero(cls > score_thr)
                if cand.size == 0:
                    continue
                if sigma > 0:
                    picked = _soft(corners[b][cand], cls[cand], keep, score_thr, sigma)
                else:
                    picked = _hard(corners[b][cand], cls[cand], keep, iou_thr)
                rows.extend((b, c, int(cand[i]), s) for i, s in picked)
    return selection_outputs(rows, sort_descending)


def selection_outputs(rows: list[tuple[int, int, int, float]], sort_descending: bool
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The selected ``(batch, class, box, score)`` rows as the op's outputs: int64 ``[n, 3]``
    triplets and f32 ``[n, 3]`` batch/class/score rows; with ``sort_descending`` by score
    (ties: batch, class, box), otherwise in the given order."""
    if sort_descending:
        rows = sorted(rows, key=lambda r: (-r[3], r[0], r[1], r[2]))
    idx = np.array([r[:3] for r in rows], dtype=np.int64).reshape(-1, 3)
    out_scores = np.array([(r[0], r[1], r[3]) for r in rows], dtype=np.float32).reshape(-1, 3)
    return idx, out_scores


class _NmsBase(Node):
    """Validation and shapes shared by every version."""

    has_default_output = True
    _enum = "BoxEncodingType"

    def _output_type(self) -> Type:
        return Type.i64

    def _max_inputs(self) -> int:
        return 5

    def validate_and_infer_types(self) -> None:
        n_in = len(self._inputs)
        self.check(2 <= n_in <= self._max_inputs(),
                   f"Expected from 2 to {self._max_inputs()} inputs, got {n_in}")
        enc = self._attrs["box_encoding"]
        self.check(enc in _ENCODINGS, f'"{enc}" is not a member of enum op::{self._vname()}'
                                      f"::NonMaxSuppression::{self._enum}")
        ot = self._output_type()
        self.check(ot in (Type.i32, Type.i64), "Output type must be i32 or i64")
        names = ("boxes", "scores", "max_output_boxes_per_class", "iou_threshold",
                 "score_threshold", "soft_nms_sigma")
        for i in (0, 1, 3, 4, 5):
            if i < n_in:
                et = self.get_input_element_type(i)
                self.check(et.is_dynamic() or et in _FLOATS,
                           f"Expected bf16, fp16 or fp32 as element type for the "
                           f"'{names[i]}' input.")
        if n_in > 2:
            et = self.get_input_element_type(2)
            self.check(et.is_dynamic() or et.is_integral_number() or et in _FLOATS,
                       f"Expected a numeric element type for the '{names[2]}' input, got "
                       f"{et.get_type_name()}")
        for i in range(2, n_in):
            ps = self.get_input_partial_shape(i)
            self.check(ps.rank.is_dynamic or len(ps) == 0 or
                       (len(ps) == 1 and ps[0]._compatible(1)),
                       f"Expected 0D or 1D tensor for the '{names[i]}' input")
        boxes, scores = self._box_shapes(4)
        self._set_outputs(boxes, scores, ot)

    def _box_shapes(self, box_size: int) -> tuple[PartialShape, PartialShape]:
        """The checked shapes of ``boxes`` ``[batches, boxes, box_size]`` and ``scores``
        ``[batches, classes, boxes]``."""
        boxes, scores = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        self.check(boxes.rank.is_dynamic or len(boxes) == 3,
                   "Expected a 3D tensor for the 'boxes' input")
        self.check(scores.rank.is_dynamic or len(scores) == 3,
                   "Expected a 3D tensor for the 'scores' input")
        if boxes.rank.is_static:
            self.check(boxes[2]._compatible(box_size),
                       f"The last dimension of the 'boxes' input must be equal to {box_size}")
        if boxes.rank.is_static and scores.rank.is_static:
            self.check(boxes[0]._compatible(scores[0]),
                       "The first dimension of both 'boxes' and 'scores' must match.")
            self.check(boxes[1]._compatible(scores[2]),
                       f"'boxes' and 'scores' input shapes must match at the second and third "
                       f"dimension respectively. Boxes: {boxes}, scores: {scores}")
        return boxes, scores

    def _vname(self) -> str:
        return "v" + self.version[len("opset"):]

    def _max_boxes(self) -> int | None:
        if len(self._inputs) < 3:
            return 0
        v = constant_value(self._inputs[2])
        return None if v is None else int(np.asarray(v).reshape(-1)[0])

    def _selected_bound(self, boxes: PartialShape, scores: PartialShape) -> Dimension:
        """At most ``min(boxes, max_output_boxes_per_class) * batches * classes`` rows (upper
        bounds of interval dimensions); dynamic when an input it needs is unknown."""
        m = self._max_boxes()
        if m is None or boxes.rank.is_dynamic or scores.rank.is_dynamic:
            return Dimension()
        dims = [boxes[1], scores[0], scores[1]]
        if any(d.get_max_length() < 0 for d in dims):
            return Dimension()
        n, b, c = (d.get_max_length() for d in dims)
        return Dimension(0, min(n, max(m, 0)) * b * c)

    def _set_outputs(self, boxes: PartialShape, scores: PartialShape, ot: Type) -> None:
        self.set_output_type(0, ot, PartialShape([self._selected_bound(boxes, scores), 3]))

    def _scalar(self, inputs: tuple, index: int, default: float) -> float:
        if len(inputs) <= index:
            return default
        return float(np.asarray(inputs[index]).reshape(-1)[0])

    def _select(self, inputs: tuple) -> tuple[np.ndarray, np.ndarray]:
        boxes, scores = inputs[0], inputs[1]
        if boxes.ndim != 3 or scores.ndim != 3 or boxes.shape[2] != 4 or \
                boxes.shape[0] != scores.shape[0] or boxes.shape[1] != scores.shape[2]:
            raise RuntimeError(
                f"NonMaxSuppression '{self.get_friendly_name()}': boxes {list(boxes.shape)} "
                f"and scores {list(scores.shape)} must be [batches, boxes, 4] and "
                f"[batches, classes, boxes]")
        max_boxes = int(np.asarray(inputs[2]).reshape(-1)[0]) if len(inputs) > 2 else 0
        return non_max_suppression_reference(
            boxes, scores, max_boxes, self._scalar(inputs, 3, 0.0),
            self._scalar(inputs, 4, 0.0), self._scalar(inputs, 5, 0.0),
            self._attrs["box_encoding"], self._attrs["sort_result_descending"])

    def reference(self, *inputs: np.ndarray) -> Any:
        idx, _ = self._select(inputs)
        return idx.astype(self._output_type().evaluation_dtype)


class NonMaxSuppression1(_NmsBase):
    """NonMaxSuppression (v1): i64 triplets."""

    type_name = "NonMaxSuppression"
    version = "opset1"
    attributes = {"box_encoding": Attr.enum("corner"),
                  "sort_result_descending": Attr.bool(True)}


class NonMaxSuppression3(_NmsBase):
    """NonMaxSuppression (v3): ``output_type`` i32 or i64."""

    type_name = "NonMaxSuppression"
    version = "opset3"
    attributes = {"box_encoding": Attr.enum("corner"),
                  "sort_result_descending": Attr.bool(True),
                  "output_type": Attr.type(Type.i64)}

    def _output_type(self) -> Type:
        return self._attrs["output_type"]


class NonMaxSuppression4(NonMaxSuppression3):
    """NonMaxSuppression (v4): as v3 (the spec counts every batch and class in the static
    output shape; v3's counts only classes)."""

    type_name = "NonMaxSuppression"
    version = "opset4"


class NonMaxSuppression5(NonMaxSuppression3):
    """NonMaxSuppression (v5): ``soft_nms_sigma``, and the selected scores and count as
    outputs; the number of selected boxes is only bounded."""

    type_name = "NonMaxSuppression"
    version = "opset5"

    def _max_inputs(self) -> int:
        return 6

    def _set_outputs(self, boxes: PartialShape, scores: PartialShape, ot: Type) -> None:
        rows = self._selected_bound(boxes, scores)
        st = self.get_input_element_type(0)
        self.set_output_type(0, ot, PartialShape([rows, 3]))
        self.set_output_type(1, st if st.is_static() else Type.f32, PartialShape([rows, 3]))
        self.set_output_type(2, ot, PartialShape([1]))

    def reference(self, *inputs: np.ndarray) -> Any:
        idx, scores = self._select(inputs)
        dtype = self._output_type().evaluation_dtype
        return (idx.astype(dtype), scores.astype(inputs[0].dtype),
                np.array([idx.shape[0]], dtype=dtype))


class NonMaxSuppression(NonMaxSuppression5):
    """NonMaxSuppression (v9): as v5."""

    type_name = "NonMaxSuppression"
    version = "opset9"


def _inputs(boxes: Any, scores: Any, max_boxes: Any, iou: Any, score: Any,
            *more: Any) -> list[Any]:
    """The op's inputs with OpenVINO's factory defaults (0 boxes, 0.0 thresholds)."""
    ins = [boxes, scores, np.int64(0) if max_boxes is None else max_boxes,
           np.float32(0) if iou is None else iou, np.float32(0) if score is None else score]
    return ins + [np.float32(0) if m is None else m for m in more]


@factory("non_max_suppression", since=1)
def non_max_suppression1(boxes: Any, scores: Any, max_output_boxes_per_class: Any = None,
                         iou_threshold: Any = None, score_threshold: Any = None,
                         box_encoding: str = "corner", sort_result_descending: bool = True,
                         name: str | None = None) -> NonMaxSuppression1:
    """Boxes selected by non-maximum suppression, as ``[batch, class, box]`` triplets."""
    return NonMaxSuppression1(*_inputs(boxes, scores, max_output_boxes_per_class,
                                       iou_threshold, score_threshold),
                              box_encoding=box_encoding,
                              sort_result_descending=sort_result_descending, name=name)


@factory("non_max_suppression", since=3)
def non_max_suppression3(boxes: Any, scores: Any, max_output_boxes_per_class: Any = None,
                         iou_threshold: Any = None, score_threshold: Any = None,
                         box_encoding: str = "corner", sort_result_descending: bool = True,
                         output_type: str = "i64", name: str | None = None
                         ) -> NonMaxSuppression3:
    """Boxes selected by non-maximum suppression, with i32 or i64 triplets."""
    return NonMaxSuppression3(*_inputs(boxes, scores, max_output_boxes_per_class,
                                       iou_threshold, score_threshold),
                              box_encoding=box_encoding,
                              sort_result_descending=sort_result_descending,
                              output_type=output_type, name=name)


@factory("non_max_suppression", since=4)
def non_max_suppression4(boxes: Any, scores: Any, max_output_boxes_per_class: Any = None,
                         iou_threshold: Any = None, score_threshold: Any = None,
                         box_encoding: str = "corner", sort_result_descending: bool = True,
                         output_type: str = "i64", name: str | None = None
                         ) -> NonMaxSuppression4:
    """Boxes selected by non-maximum suppression over every batch and class."""
    return NonMaxSuppression4(*_inputs(boxes, scores, max_output_boxes_per_class,
                                       iou_threshold, score_threshold),
                              box_encoding=box_encoding,
                              sort_result_descending=sort_result_descending,
                              output_type=output_type, name=name)


@factory("non_max_suppression", since=5)
def non_max_suppression5(boxes: Any, scores: Any, max_output_boxes_per_class: Any = None,
                         iou_threshold: Any = None, score_threshold: Any = None,
                         soft_nms_sigma: Any = None, box_encoding: str = "corner",
                         sort_result_descending: bool = True, output_type: str = "i64",
                         name: str | None = None) -> NonMaxSuppression5:
    """Hard or soft (``soft_nms_sigma`` > 0) non-maximum suppression: selected triplets,
    their scores and their count."""
    return NonMaxSuppression5(*_inputs(boxes, scores, max_output_boxes_per_class,
                                       iou_threshold, score_threshold, soft_nms_sigma),
                              box_encoding=box_encoding,
                              sort_result_descending=sort_result_descending,
                              output_type=output_type, name=name)


@factory("non_max_suppression", since=9)
def non_max_suppression(boxes: Any, scores: Any, max_output_boxes_per_class: Any = None,
                        iou_threshold: Any = None, score_threshold: Any = None,
                        soft_nms_sigma: Any = None, box_encoding: str = "corner",
                        sort_result_descending: bool = True, output_type: str = "i64",
                        name: str | None = None) -> NonMaxSuppression:
    """Hard or soft non-maximum suppression (v9)."""
    return NonMaxSuppression(*_inputs(boxes, scores, max_output_boxes_per_class,
                                      iou_threshold, score_threshold, soft_nms_sigma),
                             box_encoding=box_encoding,
                             sort_result_descending=sort_result_descending,
                             output_type=output_type, name=name)
