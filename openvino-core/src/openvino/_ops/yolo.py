"""RegionYolo (v1) and ReorgYolo (v2): the YOLO detection-head layers.

RegionYolo reads ``[N, C, H, W]`` as regions of ``coords + classes + 1`` channel planes
(box x, y, w, h, objectness, class scores). x, y and objectness go through a sigmoid; with
``do_softmax`` (YOLOv2's region layer: ``num`` regions) the class scores go through a
softmax over classes and the output is the input's shape with axes ``axis..end_axis``
flattened; without it (YOLOv3's yolo layer: one region per ``mask`` entry) the class scores
go through a sigmoid and the output is ``[N, len(mask) * (coords + classes + 1), H, W]``.

ReorgYolo moves ``stride x stride`` spatial blocks into channels, as Darknet's reorg layer:
``[N, C, H, W]`` becomes ``[N, C * stride**2, H / stride, W / stride]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape

__all__ = ["RegionYolo", "ReorgYolo"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return (1.0 / (1.0 + np.exp(-x.astype(np.float32)))).astype(np.float32)


class RegionYolo(Node):
    type_name = "RegionYolo"
    version = "opset1"
    attributes = {"anchors": Attr.floats([]), "axis": Attr.int(), "coords": Attr.int(),
                  "classes": Attr.int(), "end_axis": Attr.int(), "num": Attr.int(),
                  "do_softmax": Attr.bool(), "mask": Attr.ints([])}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 1, "RegionYolo takes one input")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or et.is_real(),
                   f"Type of input is expected to be a floating point type. Got: {et}")
        ps = self.get_input_partial_shape(0)
        a = self._attrs
        if ps.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        self.check(len(ps) == 4, f"Input must be a tensor of rank 4, but got {len(ps)}")
        if a["do_softmax"]:
            rank = len(ps)
            axis = a["axis"] + rank if a["axis"] < 0 else a["axis"]
            end = a["end_axis"] + rank if a["end_axis"] < 0 else a["end_axis"]
            self.check(0 <= axis <= end < rank,
                       f"axis {a['axis']} and end_axis {a['end_axis']} must be within the input "
                       f"rank {rank}, axis not after end_axis")
            flat = Dimension(1)
            for d in list(ps)[axis:end + 1]:
                flat = Dimension(flat.get_length() * d.get_length()) \
                    if flat.is_static and d.is_static else Dimension()
            out = list(ps)[:axis] + [flat] + list(ps)[end + 1:]
        else:
            out = [ps[0], Dimension(len(a["mask"]) * (a["coords"] + a["classes"] + 1)),
                   ps[2], ps[3]]
        self.set_output_type(0, et, PartialShape(out))

    def reference(self, x: np.ndarray) -> np.ndarray:
        a = self._attrs
        n, _, h, w = x.shape
        coords, classes = a["coords"], a["classes"]
        entry = coords + classes + 1
        regions = a["num"] if a["do_softmax"] else len(a["mask"])
        flat = x.reshape(n, -1)
        need = regions * entry * h * w
        if flat.shape[1] < need:
            raise RuntimeError(f"RegionYolo '{self.get_friendly_name()}': the input has "
                               f"{flat.shape[1] // (h * w)} channels, {regions} regions of "
                               f"{entry} need {regions * entry}")
        r = flat[:, :need].astype(np.float32).reshape(n, regions, entry, h, w).copy()
        r[:, :, 0:2] = _sigmoid(r[:, :, 0:2])
        if a["do_softmax"]:
            r[:, :, coords] = _sigmoid(r[:, :, coords])
            if classes:
                cls = r[:, :, coords + 1:]
                e = np.exp(cls - cls.max(axis=2, keepdims=True))
                r[:, :, coords + 1:] = e / e.sum(axis=2, keepdims=True)
            out = flat.astype(np.float32).copy()
            out[:, :need] = r.reshape(n, -1)
        else:
            r[:, :, coords:] = _sigmoid(r[:, :, coords:])
            out = r.reshape(n, -1)
        shape = [int(d) for d in self.get_output_partial_shape(0).get_min_shape()] \
            if self.get_output_partial_shape(0).is_static else None
        if shape is None:
            shape = self._concrete_shape(x.shape)
        return out.reshape(shape).astype(x.dtype)

    def _concrete_shape(self, shape: tuple[int, ...]) -> list[int]:
        a = self._attrs
        if not a["do_softmax"]:
            return [shape[0], len(a["mask"]) * (a["coords"] + a["classes"] + 1), shape[2],
                    shape[3]]
        rank = len(shape)
        axis = a["axis"] % rank
        end = a["end_axis"] % rank
        return list(shape[:axis]) + [int(np.prod(shape[axis:end + 1]))] + list(shape[end + 1:])


class ReorgYolo(Node):
    type_name = "ReorgYolo"
    version = "opset2"
    attributes = {"stride": Attr.ints()}

    def _stride(self) -> int:
        s = self._attrs["stride"]
        return int(s[0]) if s else 0

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 1, "ReorgYolo takes one input")
        s = self._attrs["stride"]
        self.check(len(s) > 0 and all(v == s[0] for v in s),
                   "Stride attribute is required and must contain equal values.")
        stride = self._stride()
        self.check(stride > 0, "Stride attribute is required and must be positive.")
        et = self.get_input_element_type(0)
        ps = self.get_input_partial_shape(0)
        if ps.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic(4))
            return
        self.check(len(ps) == 4, f"[N, C, H, W] input shape is required, got {ps}")
        c, h, w = ps[1], ps[2], ps[3]
        if c.is_static:
            self.check(c.get_length() >= stride * stride,
                       "For [N, C, H, W] input shape, C >= (stride*stride) is required.")
        for d, name in ((h, "H"), (w, "W")):
            if d.is_static:
                self.check(d.get_length() % stride == 0,
                           f"For [N, C, H, W] input shape, {name} should be divisible by "
                           f"stride.")
        out = [ps[0],
               Dimension(c.get_length() * stride * stride) if c.is_static else Dimension(),
               Dimension(h.get_length() // stride) if h.is_static else Dimension(),
               Dimension(w.get_length() // stride) if w.is_static else Dimension()]
        self.set_output_type(0, et, PartialShape(out))

    def reference(self, x: np.ndarray) -> np.ndarray:
        s = self._stride()
        n, c, h, w = x.shape
        if c % (s * s) or h % s or w % s:
            raise RuntimeError(f"ReorgYolo '{self.get_friendly_name()}': input {list(x.shape)}"
                               f" does not split into stride {s} blocks")
        # as the runtime: the output's elements, in the input's [N, C, H, W] order, come
        # from the input read as [N, C / s^2, H * s, W * s]
        ic = c // (s * s)
        src = x.reshape(n, ic, h * s, w * s)
        ch = np.arange(c)
        off, cc = ch // ic, ch % ic
        hi = np.arange(h)[None, :, None] * s + (off // s)[:, None, None]
        wi = np.arange(w)[None, None, :] * s + (off % s)[:, None, None]
        out = src[:, cc[:, None, None], hi, wi]
        return out.reshape(n, c * s * s, h // s, w // s)


@factory("region_yolo", since=1)
def region_yolo(input: Any, coords: int, classes: int, num: int, do_softmax: bool,
                mask: list[int], axis: int, end_axis: int, anchors: list[float] | None = None,
                name: str | None = None) -> RegionYolo:
    """YOLO's region (``do_softmax``) or yolo layer over ``input``."""
    return RegionYolo(input, coords=coords, classes=classes, num=num, do_softmax=do_softmax,
                      mask=mask, axis=axis, end_axis=end_axis,
                      anchors=[] if anchors is None else anchors, name=name)


@factory("reorg_yolo", since=2)
def reorg_yolo(input: Any, stride: list[int], name: str | None = None) -> ReorgYolo:
    """Darknet's reorg: ``stride x stride`` blocks into channels."""
    return ReorgYolo(input, stride=stride, name=name)
