"""GenerateProposals (v9): the batched RPN proposal op (Detectron2 / PaddlePaddle).

Per image: the anchors ``[H, W, A, 4]`` are refined by ``deltas`` ``[N, A * 4, H, W]``
(log width/height deltas capped at ``log(1000 / 16)``), clipped to the image of
``im_info`` ``[N, 3 or 4]`` (``height, width, scale[, scale_w]``), boxes smaller than
``min_size`` times the scale are dropped, the ``pre_nms_count`` best by ``scores``
``[N, A, H, W]`` go through NMS (IoU above ``nms_threshold`` suppresses) and at most
``post_nms_count`` remain. ``normalized=false`` uses the +1 pixel convention. Outputs: the
ROIs ``[total, 4]`` and their scores ``[total]`` of all images one after the other, and the
count per image ``[N]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from .experimental_detectron import _refine

__all__ = ["GenerateProposals"]

_F = np.float32


def _nms(boxes: np.ndarray, dead: np.ndarray, threshold: np.float32, keep: int,
         offset: np.float32) -> list[int]:
    dead = dead.copy()
    out: list[int] = []
    for i in range(boxes.shape[0]):
        if dead[i]:
            continue
        out.append(i)
        if len(out) == keep:
            break
        rest = boxes[i + 1:]
        x0i, y0i, x1i, y1i = boxes[i]
        area_i = (x1i - x0i + offset) * (y1i - y0i + offset)
        iw = np.minimum(x1i, rest[:, 2]) - np.maximum(x0i, rest[:, 0]) + offset
        ih = np.minimum(y1i, rest[:, 3]) - np.maximum(y0i, rest[:, 1]) + offset
        inter = np.maximum(_F(0), iw) * np.maximum(_F(0), ih)
        area_j = (rest[:, 2] - rest[:, 0] + offset) * (rest[:, 3] - rest[:, 1] + offset)
        with np.errstate(divide="ignore", invalid="ignore"):
            iou = inter / (area_i + area_j - inter)
        touch = (x0i <= rest[:, 2]) & (y0i <= rest[:, 3]) & (rest[:, 0] <= x1i) & \
            (rest[:, 1] <= y1i)
        dead[i + 1:] |= (threshold < iou) & touch
    return out


class GenerateProposals(Node):
    type_name = "GenerateProposals"
    version = "opset9"
    attributes = {"min_size": Attr.float(), "nms_threshold": Attr.float(),
                  "pre_nms_count": Attr.int(), "post_nms_count": Attr.int(),
                  "normalized": Attr.bool(True), "nms_eta": Attr.float(1.0),
                  "roi_num_type": Attr.type(Type.i64)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 4,
                   "GenerateProposals takes im_info, anchors, deltas and scores")
        a = self._attrs
        self.check(a["pre_nms_count"] > 0, f"Attribute pre_nms_count must be larger than 0. "
                                           f"Got: {a['pre_nms_count']}")
        self.check(a["post_nms_count"] > 0, f"Attribute post_nms_count must be larger than 0. "
                                            f"Got: {a['post_nms_count']}")
        self.check(a["nms_eta"] == 1.0, f"Attribute min_size must be 1.0. Got: {a['nms_eta']}")
        self.check(a["roi_num_type"] in (Type.i32, Type.i64),
                   f"The target output ROI number type must be i32 or i64. Got: "
                   f"{a['roi_num_type']}")
        et = self.get_input_element_type(0)
        for i in range(4):
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t.is_real(),
                       f"Input {i} of GenerateProposals must be floating point, got "
                       f"{t.get_type_name()}")
        ranks = (2, 4, 4, 4)
        names = ("im_info", "anchors", "deltas", "scores")
        shapes = [self.get_input_partial_shape(i) for i in range(4)]
        for ps, r, name in zip(shapes, ranks, names):
            self.check(ps.rank.is_dynamic or len(ps) == r,
                       f"The '{name}' input is expected to be a {r}D. Got: {ps}")
        info, anchors, deltas, scores = shapes
        batch = Dimension()
        for ps in (info, deltas, scores):
            if ps.rank.is_static:
                merged = batch.merge(ps[0])
                self.check(merged is not None,
                           f"The batch sizes of im_info, deltas and scores must match. Got: "
                           f"{info}, {deltas}, {scores}")
                batch = merged
        rows = Dimension(0, batch.get_max_length() * a["post_nms_count"]) \
            if batch.get_max_length() >= 0 else Dimension()
        self.set_output_type(0, et if et.is_static() else Type.f32, PartialShape([rows, 4]))
        self.set_output_type(1, et if et.is_static() else Type.f32, PartialShape([rows]))
        self.set_output_type(2, a["roi_num_type"], PartialShape([batch]))

    def reference(self, info: np.ndarray, anchors: np.ndarray, deltas: np.ndarray,
                  scores: np.ndarray) -> Any:
        a = self._attrs
        batch, count, h, w = scores.shape
        offset = _F(0 if a["normalized"] else 1)
        anc = anchors.astype(_F).reshape(h, w, count, 4)
        all_rois, all_scores, nums = [], [], []
        for n in range(batch):
            im = np.asarray(info[n], _F).reshape(-1)
            img_h, img_w = im[0], im[1]
            scale_h = im[2] if im.size > 2 else _F(1)
            scale_w = im[3] if im.size > 3 else scale_h
            d = deltas[n].astype(_F).reshape(count, 4, h, w).transpose(2, 3, 0, 1)
            sc = scores[n].astype(_F).transpose(1, 2, 0).reshape(-1)
            x0, y0, x1, y1 = _refine(anc, d[..., 0], d[..., 1], d[..., 2], d[..., 3], offset)
            x0 = np.clip(x0, 0, img_w - offset)
            y0 = np.clip(y0, 0, img_h - offset)
            x1 = np.clip(x1, 0, img_w - offset)
            y1 = np.clip(y1, 0, img_h - offset)
            small = ~((_F(a["min_size"]) * scale_w <= x1 - x0 + offset) &
                      (_F(a["min_size"]) * scale_h <= y1 - y0 + offset)).reshape(-1)
            boxes = np.stack([x0, y0, x1, y1], -1).reshape(-1, 4).astype(_F)
            pre = min(sc.size, a["pre_nms_count"])
            order = np.argsort(-sc, kind="stable")[:pre]
            kept = _nms(boxes[order], small[order], _F(a["nms_threshold"]),
                        a["post_nms_count"], offset)
            all_rois.append(boxes[order[kept]])
            all_scores.append(sc[order[kept]])
            nums.append(len(kept))
        rois = np.concatenate(all_rois) if all_rois else np.zeros((0, 4), _F)
        out_scores = np.concatenate(all_scores) if all_scores else np.zeros(0, _F)
        return (rois.astype(anchors.dtype), out_scores.astype(anchors.dtype),
                np.array(nums, a["roi_num_type"].evaluation_dtype))


@factory("generate_proposals", since=9)
def generate_proposals(im_info: Any, anchors: Any, deltas: Any, scores: Any, min_size: float,
                       nms_threshold: float, pre_nms_count: int, post_nms_count: int,
                       normalized: bool = True, nms_eta: float = 1.0, roi_num_type: str = "i64",
                       name: str | None = None) -> GenerateProposals:
    """RPN proposals of a batch of images."""
    return GenerateProposals(im_info, anchors, deltas, scores, min_size=min_size,
                             nms_threshold=nms_threshold, pre_nms_count=pre_nms_count,
                             post_nms_count=post_nms_count, normalized=normalized,
                             nms_eta=nms_eta, roi_num_type=roi_num_type, name=name)
