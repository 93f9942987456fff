"""NMSRotated (v13): NonMaxSuppression over rotated boxes ``[x_ctr, y_ctr, w, h, angle]``
(angle in radians, clockwise unless ``clockwise=false``).

As NonMaxSuppression-9 (hard suppression, sorting across batches with
``sort_result_descending``, ``[selected, 3]`` triplets and scores, the count), with the IoU
of the rotated rectangles: the intersection polygon of the two boxes (each clipped by the
other's edges) over their union. A box without area overlaps nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._opsets import factory
from .._type import Type
from .non_max_suppression import NonMaxSuppression, selection_outputs

__all__ = ["NMSRotated", "rotated_iou"]


def _vertices(box: np.ndarray) -> np.ndarray:
    """The 4 corners of a rotated box (angle counter-clockwise), in order around it."""
    x, y, w, h, a = (float(v) for v in box)
    c, s = np.cos(a) * 0.5, np.sin(a) * 0.5
    p0 = (x + s * h + c * w, y + c * h - s * w)
    p1 = (x - s * h + c * w, y - c * h - s * w)
    return np.array([p0, p1, (2 * x - p0[0], 2 * y - p0[1]), (2 * x - p1[0], 2 * y - p1[1])])


def _area(poly: np.ndarray) -> float:
    if len(poly) < 3:
        return 0.0
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _clip(subject: list, a: np.ndarray, b: np.ndarray) -> list:
    """The part of polygon ``subject`` left of the directed edge ``a -> b``."""
    out = []

    def side(p: Any) -> float:
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])

    n = len(subject)
    for i in range(n):
        cur, nxt = subject[i], subject[(i + 1) % n]
        sc, sn = side(cur), side(nxt)
        if sc >= 0:
            out.append(cur)
        if (sc >= 0) != (sn >= 0) and sc != sn:
            t = sc / (sc - sn)
            out.append((cur[0] + t * (nxt[0] - cur[0]), cur[1] + t * (nxt[1] - cur[1])))
    return out


def rotated_iou(box: np.ndarray, other: np.ndarray) -> float:
    """IoU of two rotated boxes ``[x, y, w, h, angle]``."""
    area_a, area_b = float(box[2] * box[3]), float(other[2] * other[3])
    if area_a <= 0 or area_b <= 0:
        return 0.0
    p, q = _vertices(box), _vertices(other)
    if _area(p) < 0:
        p = p[::-1]
    if _area(q) < 0:
        q = q[::-1]
    poly = [tuple(v) for v in p]
    for i in range(4):
        if not poly:
            break
        poly = _clip(poly, q[i], q[(i + 1) % 4])
    inter = abs(_area(np.array(poly))) if len(poly) >= 3 else 0.0
    return float(np.float32(inter / (area_a + area_b - inter)))


class NMSRotated(NonMaxSuppression):
    """NMSRotated (v13)."""

    type_name = "NMSRotated"
    version = "opset13"
    attributes = {"sort_result_descending": Attr.bool(True), "output_type": Attr.type(Type.i64),
                  "clockwise": Attr.bool(True)}

    def _max_inputs(self) -> int:
        return 5

    def validate_and_infer_types(self) -> None:
        n_in = len(self._inputs)
        self.check(n_in == 5, f"NMSRotated takes boxes, scores, max_output_boxes_per_class, "
                              f"iou_threshold and score_threshold, got {n_in} inputs")
        ot = self._attrs["output_type"]
        self.check(ot in (Type.i32, Type.i64), "Output type must be i32 or i64")
        boxes, scores = self._box_shapes(5)
        self._set_outputs(boxes, scores, ot)

    def _select(self, inputs: tuple) -> tuple[np.ndarray, np.ndarray]:
        boxes = inputs[0].astype(np.float32).copy()
        scores = inputs[1].astype(np.float32)
        if self._attrs["clockwise"]:  # _vertices turns counter-clockwise
            boxes[..., 4] = -boxes[..., 4]
        keep = max(int(np.asarray(inputs[2]).reshape(-1)[0]), 0)
        iou_thr = np.float32(np.asarray(inputs[3]).reshape(-1)[0])
        score_thr = np.float32(np.asarray(inputs[4]).reshape(-1)[0])
        rows = []
        for b in range(scores.shape[0]):
            for c in range(scores.shape[1]):
                cls = scores[b, c]
                cand = np.flatnonzero(cls > score_thr)
                order = cand[np.lexsort((cand, -cls[cand]))]
                kept: list[int] = []
                for i in order:
                    if len(kept) >= keep:
                        break
                    i = int(i)
                    if any(rotated_iou(boxes[b, i], boxes[b, j]) > iou_thr for j in kept):
                        continue
                    kept.append(i)
                rows.extend((b, c, i, float(cls[i])) for i in kept)
        return selection_outputs(rows, self._attrs["sort_result_descending"])


@factory("nms_rotated", since=13)
def nms_rotated(boxes: Any, scores: Any, max_output_boxes_per_class: Any, iou_threshold: Any,
                score_threshold: Any, sort_result_descending: bool = True,
                output_type: str = "i64", clockwise: bool = True,
                name: str | None = None) -> NMSRotated:
    """Non-maximum suppression of rotated boxes."""
    return NMSRotated(boxes, scores, max_output_boxes_per_class, iou_threshold, score_threshold,
                      sort_result_descending=sort_result_descending, output_type=output_type,
                      clockwise=clockwise, name=name)
