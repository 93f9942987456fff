"""MatrixNms (v8): PaddlePaddle's matrix NMS (SOLOv2): instead of dropping overlapping
boxes, each candidate's score decays by its overlaps with the better-scored candidates.

Per image and class (``background_class`` skipped): candidates scoring above
``score_threshold``, the ``nms_top_k`` best by score; candidate ``i``'s score is multiplied
by ``min_j decay(iou_ij, max_iou_j)`` over the better candidates ``j`` (``max_iou_j``: ``j``'s
largest IoU with a candidate better than it), ``linear``: ``(1 - iou) / (1 - max_iou)``,
``gaussian``: ``exp((max_iou**2 - iou**2) * gaussian_sigma)``; it is kept when the decayed
score is above ``post_threshold``. Per image the kept boxes are sorted by decayed score and
cut to ``keep_top_k``; ``sort_result_across_batch`` sorts across images by ``score`` or
``classid``. Outputs as MulticlassNms: ``[selected, 6]`` rows ``[class, score, x1, y1, x2,
y2]``, ``[selected, 1]`` indices ``image * M + box`` and the ``[N]`` counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._opsets import factory
from .._type import Type
from .multiclass_nms import _NmsFamily

__all__ = ["MatrixNms"]

_F = np.float32


def _iou_matrix(b: np.ndarray, normalized: bool) -> np.ndarray:
    """Pairwise IoU of ``[k, 4]`` boxes (``x1, y1, x2, y2``) as the op defines it."""
    add = _F(0 if normalized else 1)
    valid = (b[:, 2] >= b[:, 0]) & (b[:, 3] >= b[:, 1])
    area = np.where(valid, (b[:, 2] - b[:, 0] + add) * (b[:, 3] - b[:, 1] + add), _F(0))
    apart = ((b[None, :, 0] > b[:, None, 2]) | (b[None, :, 2] < b[:, None, 0]) |
             (b[None, :, 1] > b[:, None, 3]) | (b[None, :, 3] < b[:, None, 1]))
    iw = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0]) + add
    ih = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1]) + add
    inter = iw * ih
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area[:, None] + area[None, :] - inter)
    return np.where(apart, _F(0), iou).astype(_F)


class MatrixNms(_NmsFamily):
    type_name = "MatrixNms"
    version = "opset8"
    attributes = {"sort_result_type": Attr.enum("none"),
                  "sort_result_across_batch": Attr.bool(False),
                  "output_type": Attr.type(Type.i64), "score_threshold": Attr.float(0.0),
                  "nms_top_k": Attr.int(-1), "keep_top_k": Attr.int(-1),
                  "background_class": Attr.int(-1), "decay_function": Attr.enum("linear"),
                  "gaussian_sigma": Attr.float(2.0), "post_threshold": Attr.float(0.0),
                  "normalized": Attr.bool(True)}

    def _check_common(self) -> None:
        super()._check_common()
        d = self._attrs["decay_function"]
        self.check(d in ("linear", "gaussian"),
                   f'"{d}" is not a member of enum op::v8::MatrixNms::DecayFunction')

    def _select_class(self, boxes: np.ndarray, scores: np.ndarray) -> list[tuple[int, float]]:
        a = self._attrs
        cand = np.flatnonzero(scores > _F(a["score_threshold"]))
        if cand.size == 0:
            return []
        order = cand[np.lexsort((cand, -scores[cand]))]
        if a["nms_top_k"] > -1:
            order = order[:a["nms_top_k"]]
        iou = np.tril(_iou_matrix(boxes[order], a["normalized"]), -1)  # iou[i, j], j < i
        max_iou = iou.max(axis=1)  # each candidate's largest IoU with a better one
        sigma = _F(a["gaussian_sigma"])
        kept: list[tuple[int, float]] = []
        post = _F(a["post_threshold"])
        for i, idx in enumerate(order):
            decay = _F(1)
            if i:
                ious, maxes = iou[i, :i], max_iou[:i]
                if a["decay_function"] == "gaussian":
                    d = np.exp((maxes * maxes - ious * ious) * sigma).astype(_F)
                else:
                    d = ((_F(1) - ious) / (_F(1) - maxes + _F(1e-10))).astype(_F)
                decay = min(_F(1), _F(d.min()))
            score = _F(decay * scores[idx])
            if score > post:
                kept.append((int(idx), float(score)))
        return kept

    def reference(self, boxes: np.ndarray, scores: np.ndarray, *roisnum: np.ndarray) -> Any:
        # MatrixNms orders each image by score (sort_result_type only matters across the
        # batch)
        saved = self._attrs["sort_result_type"]
        if not self._attrs["sort_result_across_batch"]:
            self._attrs["sort_result_type"] = "score"
        try:
            return super().reference(boxes, scores, *roisnum)
        finally:
            self._attrs["sort_result_type"] = saved


@factory("matrix_nms", since=8)
def matrix_nms(boxes: Any, scores: Any, sort_result_type: str = "none",
               sort_result_across_batch: bool = False, output_type: str = "i64",
               score_threshold: float = 0.0, nms_top_k: int = -1, keep_top_k: int = -1,
               background_class: int = -1, decay_function: str = "linear",
               gaussian_sigma: float = 2.0, post_threshold: float = 0.0,
               normalized: bool = True, name: str | None = None) -> MatrixNms:
    """Matrix NMS: scores decayed by the overlaps with better-scored boxes."""
    return MatrixNms(boxes, scores, sort_result_type=sort_result_type,
                     sort_result_across_batch=sort_result_across_batch,
                     output_type=output_type, score_threshold=score_threshold,
                     nms_top_k=nms_top_k, keep_top_k=keep_top_k,
                     background_class=background_class, decay_function=decay_function,
                     gaussian_sigma=gaussian_sigma, post_threshold=post_threshold,
                     normalized=normalized, name=name)
