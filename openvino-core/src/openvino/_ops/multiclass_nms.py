"""MulticlassNms (v8, v9): PaddlePaddle's multi-class NMS.

Boxes ``[N, M, 4]`` (``x1, y1, x2, y2``) shared by the classes of ``scores`` ``[N, C, M]``,
or (v9, with ``roisnum`` ``[N]``) per-class boxes ``[C, M, 4]`` and scores ``[C, M]``
whose ``M`` rows are split into images by ``roisnum``. Per image and class (``background_
class`` skipped): candidates scoring at least ``score_threshold``, the ``nms_top_k`` best,
greedy suppression at IoU >= the threshold (which ``nms_eta`` < 1 lowers after each kept
box while it is above 0.5; ``normalized=false`` adds a pixel to widths and heights). Per
image the selection is sorted by score, cut to ``keep_top_k`` and then ordered by
``sort_result_type`` (``classid``: class, then score; ``score``/``none``: score), or sorted
across the batch with ``sort_result_across_batch``.

Outputs: ``[selected, 6]`` rows ``[class, score, x1, y1, x2, y2]``, ``[selected, 1]``
indices (shared: ``image * M + box``; per-class: ``(row) * C + class``), and the ``[N]``
counts per image. Memory is bounded by the candidates.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type

__all__ = ["MulticlassNms8", "MulticlassNms", "nms_box_iou", "sort_detections"]

_F = np.float32
_SORT_TYPES = ("classid", "score", "none")


def nms_box_iou(box: np.ndarray, others: np.ndarray, normalized: bool) -> np.ndarray:
    """IoU of one ``[x1, y1, x2, y2]`` box with each of ``others`` (f32; 0 where a box has
    no area; ``normalized=false`` counts pixels inclusively)."""
    add = _F(0 if normalized else 1)
    area = (box[3] - box[1] + add) * (box[2] - box[0] + add)
    areas = (others[:, 3] - others[:, 1] + add) * (others[:, 2] - others[:, 0] + add)
    ih = np.maximum(np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1]) + add,
                    _F(0))
    iw = np.maximum(np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0]) + add,
                    _F(0))
    inter = ih * iw
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area + areas - inter)
    return np.where((area <= 0) | (areas <= 0), _F(0), iou).astype(_F)


def _class_nms(boxes: np.ndarray, scores: np.ndarray, a: dict[str, Any]) -> list[int]:
    """Indices kept for one class, in selection order."""
    cand = np.flatnonzero(scores >= _F(a["score_threshold"]))
    if a["nms_top_k"] > -1:
        cand = cand[np.argsort(-scores[cand], kind="stable")][:a["nms_top_k"]]
    order = cand[np.lexsort((cand, -scores[cand]))]  # score descending, index ascending
    threshold = _F(a["iou_threshold"])
    eta = _F(a["nms_eta"])
    kept: list[int] = []
    for i in order:
        i = int(i)
        if kept and (nms_box_iou(boxes[i], boxes[kept], a["normalized"]) >= threshold).any():
            continue
        kept.append(i)
        if eta < 1 and threshold > 0.5:
            threshold = _F(threshold * eta)
    return kept


def sort_detections(rows: list[tuple], a: dict[str, Any], image_level: bool) -> list[tuple]:
    """``(batch, class, index, score, box)`` rows in the op's order: within an image (score,
    keep_top_k, then classid when asked) or across the batch."""
    if image_level:
        rows = sorted(rows, key=lambda r: (-r[3], r[1], r[2]))
        if a["keep_top_k"] > -1:
            rows = rows[:a["keep_top_k"]]
        if not a["sort_result_across_batch"] and a["sort_result_type"] == "classid":
            rows = sorted(rows, key=lambda r: (r[1], -r[3], r[2]))
        return rows
    if a["sort_result_type"] == "score":
        return sorted(rows, key=lambda r: (-r[3], r[0], r[1], r[2]))
    if a["sort_result_type"] == "classid":
        return sorted(rows, key=lambda r: (r[1], r[0], -r[3], r[2]))
    return rows


class _NmsFamily(Node):
    """Validation, shapes and output layout shared with MatrixNms."""

    def _check_common(self) -> None:
        a = self._attrs
        a["sort_result_type"] = str(a["sort_result_type"]).lower()
        self.check(a["sort_result_type"] in _SORT_TYPES,
                   f'"{a["sort_result_type"]}" is not a member of enum SortResultType')
        self.check(a["output_type"] in (Type.i32, Type.i64), "Output type must be i32 or i64")
        self.check(a["nms_top_k"] >= -1, f"The 'nms_top_k' must be great or equal -1. Got: "
                                         f"{a['nms_top_k']}")
        self.check(a["keep_top_k"] >= -1, f"The 'keep_top_k' must be great or equal -1. Got: "
                                          f"{a['keep_top_k']}")
        self.check(a["background_class"] >= -1,
                   f"The 'background_class' must be great or equal -1. Got: "
                   f"{a['background_class']}")

    def validate_and_infer_types(self) -> None:
        self._check_common()
        n_in = len(self._inputs)
        self.check(n_in in self._input_counts(),
                   f"{self.type_name} takes {' or '.join(map(str, self._input_counts()))} "
                   f"inputs, got {n_in}")
        for i in range(2):
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t in (Type.f32, Type.f16, Type.bf16),
                       f"Expected bf16, fp16 or fp32 as element type for the "
                       f"'{('boxes', 'scores')[i]}' input.")
        boxes, scores = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        shared = n_in == 2 or (scores.rank.is_static and len(scores) == 3)
        ot = self._attrs["output_type"]
        et = self.get_input_element_type(0)
        self.check(boxes.rank.is_dynamic or len(boxes) == 3,
                   f"Expected a 3D tensor for the 'boxes' input. Got: {boxes}")
        if n_in == 2:
            self.check(scores.rank.is_dynamic or len(scores) == 3,
                       f"Expected a 3D tensor for the 'scores' input. Got: {scores}")
        else:
            self.check(scores.rank.is_dynamic or len(scores) in (2, 3),
                       f"Expected a 2D or 3D tensor for the 'scores' input. Got: {scores}")
        if boxes.rank.is_static:
            self.check(boxes[2]._compatible(4),
                       f"The third dimension of the 'boxes' must be 4. Got: {boxes[2]}")
        a = self._attrs
        rows = Dimension()
        images = Dimension()
        if shared and boxes.rank.is_static and scores.rank.is_static:
            self.check(boxes[0]._compatible(scores[0]),
                       f"Expected the batch size of 'boxes' and 'scores' to be the same. Got: "
                       f"{boxes[0]} and {scores[0]}")
            self.check(boxes[1]._compatible(scores[2]),
                       f"'boxes' and 'scores' input shapes must match at the second and third "
                       f"dimension respectively. Boxes: {boxes}, scores: {scores}")
            images = boxes[0]
            dims = [boxes[0], boxes[1], scores[1]]
            if all(d.get_max_length() >= 0 for d in dims):
                n, m, c = (d.get_max_length() for d in dims)
                per = c * (m if a["nms_top_k"] < 0 else min(m, a["nms_top_k"]))
                if a["keep_top_k"] >= 0:
                    per = min(per, a["keep_top_k"])
                rows = Dimension(0, n * per)
        elif not shared and boxes.rank.is_static and scores.rank.is_static:
            rois = self.get_input_partial_shape(2)
            images = rois[0] if rois.rank.is_static else Dimension()
            dims = [boxes[0], boxes[1], images]
            if all(d.get_max_length() >= 0 for d in dims):
                c, m, n = (d.get_max_length() for d in dims)
                per = c * (m if a["nms_top_k"] < 0 else min(m, a["nms_top_k"]))
                if a["keep_top_k"] >= 0:
                    per = min(per, a["keep_top_k"])
                rows = Dimension(0, n * per)
        self.set_output_type(0, et if et.is_static() else Type.f32, PartialShape([rows, 6]))
        self.set_output_type(1, ot, PartialShape([rows, 1]))
        self.set_output_type(2, ot, PartialShape([images]))

    def _input_counts(self) -> tuple[int, ...]:
        return (2,)

    def _select_class(self, boxes: np.ndarray, scores: np.ndarray) -> list[tuple[int, float]]:
        raise NotImplementedError

    def reference(self, boxes: np.ndarray, scores: np.ndarray, *roisnum: np.ndarray) -> Any:
        a = self._attrs
        b, s = boxes.astype(_F), scores.astype(_F)
        rows: list[tuple] = []
        counts: list[int] = []
        images: list[tuple[int, np.ndarray, np.ndarray, int]] = []  # (batch, boxes, scores, off)
        if s.ndim == 3:
            for n in range(s.shape[0]):
                images.append((n, np.broadcast_to(b[n], (s.shape[1],) + b[n].shape), s[n], 0))
        else:
            split = np.asarray(roisnum[0]).reshape(-1).astype(np.int64)
            head = 0
            for n, count in enumerate(split):
                count = max(int(count), 0)
                if head + count > s.shape[1]:
                    raise RuntimeError(f"{self.type_name} '{self.get_friendly_name()}': roisnum "
                                       f"{split.tolist()} exceeds the {s.shape[1]} boxes")
                images.append((n, b[:, head:head + count], s[:, head:head + count], head))
                head += count
        for n, bx, sc, offset in images:
            image_rows = []
            for c in range(sc.shape[0]):
                if c == a["background_class"]:
                    continue
                for i, score in self._select_class(bx[c], sc[c]):
                    image_rows.append((n, c, i, score, bx[c][i], offset))
            image_rows = sort_detections(image_rows, a, True)
            counts.append(len(image_rows))
            rows.extend(image_rows)
        if a["sort_result_across_batch"]:
            rows = sort_detections(rows, a, False)
        out = np.array([[r[1], r[3], *r[4]] for r in rows], _F).reshape(-1, 6)
        if s.ndim == 3:
            idx = [r[0] * s.shape[2] + r[2] for r in rows]
        else:
            idx = [(r[5] + r[2]) * s.shape[0] + r[1] for r in rows]
        dtype = a["output_type"].evaluation_dtype
        return (out.astype(boxes.dtype), np.array(idx, dtype).reshape(-1, 1),
                np.array(counts, dtype))


class MulticlassNms8(_NmsFamily):
    """MulticlassNms (v8): boxes shared by the classes."""

    type_name = "MulticlassNms"
    version = "opset8"
    attributes = {"sort_result_type": Attr.enum("none"),
                  "sort_result_across_batch": Attr.bool(False),
                  "output_type": Attr.type(Type.i64), "iou_threshold": Attr.float(0.0),
                  "score_threshold": Attr.float(0.0), "nms_top_k": Attr.int(-1),
                  "keep_top_k": Attr.int(-1), "background_class": Attr.int(-1),
                  "nms_eta": Attr.float(1.0), "normalized": Attr.bool(True)}

    def _check_common(self) -> None:
        super()._check_common()
        eta = self._attrs["nms_eta"]
        self.check(0 <= eta <= 1, f"The 'nms_eta' must be in close range [0, 1.0]. Got: {eta}")

    def _select_class(self, boxes: np.ndarray, scores: np.ndarray) -> list[tuple[int, float]]:
        return [(i, float(scores[i])) for i in _class_nms(boxes, scores, self._attrs)]


class MulticlassNms(MulticlassNms8):
    """MulticlassNms (v9): also per-class boxes split into images by ``roisnum``."""

    type_name = "MulticlassNms"
    version = "opset9"

    def _input_counts(self) -> tuple[int, ...]:
        return (2, 3)


@factory("multiclass_nms", since=8)
def multiclass_nms8(boxes: Any, scores: Any, sort_result_type: str = "none",
                    sort_result_across_batch: bool = False, output_type: str = "i64",
                    iou_threshold: float = 0.0, score_threshold: float = 0.0,
                    nms_top_k: int = -1, keep_top_k: int = -1, background_class: int = -1,
                    nms_eta: float = 1.0, normalized: bool = True,
                    name: str | None = None) -> MulticlassNms8:
    """Multi-class NMS over boxes shared by the classes."""
    return MulticlassNms8(boxes, scores, sort_result_type=sort_result_type,
                          sort_result_across_batch=sort_result_across_batch,
                          output_type=output_type, iou_threshold=iou_threshold,
                          score_threshold=score_threshold, nms_top_k=nms_top_k,
                          keep_top_k=keep_top_k, background_class=background_class,
                          nms_eta=nms_eta, normalized=normalized, name=name)


@factory("multiclass_nms", since=9)
def multiclass_nms(boxes: Any, scores: Any, roisnum: Any = None,
                   sort_result_type: str | None = "none",
                   sort_result_across_batch: bool | None = False,
                   output_type: str | None = "i64", iou_threshold: float | None = 0.0,
                   score_threshold: float | None = 0.0, nms_top_k: int | None = -1,
                   keep_top_k: int | None = -1, background_class: int | None = -1,
                   nms_eta: float | None = 1.0, normalized: bool | None = True,
                   name: str | None = None) -> MulticlassNms:
    """Multi-class NMS (v9: per-class boxes with ``roisnum``)."""
    inputs = [boxes, scores] + ([] if roisnum is None else [roisnum])
    return MulticlassNms(*inputs, sort_result_type=sort_result_type,
                         sort_result_across_batch=sort_result_across_batch,
                         output_type=output_type, iou_threshold=iou_threshold,
                         score_threshold=score_threshold, nms_top_k=nms_top_k,
                         keep_top_k=keep_top_k, background_class=background_class,
                         nms_eta=nms_eta, normalized=normalized, name=name)
