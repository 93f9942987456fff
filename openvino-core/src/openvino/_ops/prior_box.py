"""PriorBox (v1, v8) and PriorBoxClustered (v1): the anchor boxes of an SSD head.

Both take the feature map's ``[height, width]`` and the image's ``[height, width]`` (integer
1-D tensors, usually sliced from ShapeOf) and return f32 ``[2, 4 * height * width *
priors]``: row 0 the normalized ``[xmin, ymin, xmax, ymax]`` of every prior of every
feature-map cell (row-major cells, priors in the order below), row 1 their variances
(one value repeated, four values per box, or 0.1 by default).

PriorBox places, around each cell centre, boxes of ``fixed_size`` (with ``density``
sub-grids, ``fixed_ratio`` or the aspect ratios), then for each ``min_size`` the square box,
the ``sqrt(min_size * max_size)`` box and one box per aspect ratio (the last two swapped
when v8's ``min_max_aspect_ratios_order`` is false). ``scale_all_sizes=false`` is MXNet's
variant (sizes and step relative to the image height, aspect-ratio boxes only for the last
size). Arithmetic is f32 in the runtime's order, so the boxes are bit-for-bit the
runtime's. PriorBoxClustered places one ``widths[i] x heights[i]`` box per cell and prior.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ..utils.input_validation import is_non_negative_value, is_positive_value
from ._attrs_dict import dict_attributes
from ._infer import constant_value

__all__ = ["PriorBox1", "PriorBox", "PriorBoxClustered"]

_F = np.float32


def _aspect_ratios(ratios: list[float], flip: bool) -> list[np.float32]:
    """1, then each new ratio (and its inverse with ``flip``), as the runtime lists them."""
    out = [_F(1.0)]
    for r in ratios:
        r = _F(r)
        if any(abs(r - e) < 1e-6 for e in out):
            continue
        out.append(r)
        if flip:
            out.append(_F(1.0) / r)
    return out


def number_of_priors(a: dict[str, Any]) -> int:
    """Boxes per feature-map cell of a PriorBox with attributes ``a``."""
    unique = {float(_F(r)) for r in a["aspect_ratio"]} | {1.0}
    if a["flip"]:
        unique |= {float(_F(1.0) / _F(r)) for r in a["aspect_ratio"] if r != 0}
    ratios = len(unique)
    if a["scale_all_sizes"]:
        n = ratios * len(a["min_size"]) + len(a["max_size"])
    else:
        n = ratios + len(a["min_size"]) - 1
    if a["fixed_size"]:
        n = ratios * len(a["fixed_size"])
    for d in a["density"]:
        square = int(d) * int(d) - 1
        n += (len(a["fixed_ratio"]) if a["fixed_ratio"] else ratios) * square
    return n


def _hw(value: np.ndarray) -> tuple[int, int]:
    v = np.asarray(value).reshape(-1)
    return int(v[0]), int(v[1])


class _PriorBase(Node):
    """Inputs, output type and shape shared by PriorBox and PriorBoxClustered."""

    def _priors(self) -> int:
        raise NotImplementedError

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, f"{self.type_name} takes output_size and image_size")
        for i, what in ((0, "output size"), (1, "image shape")):
            et = self.get_input_element_type(i)
            self.check(et.is_dynamic() or et.is_integral_number(),
                       f"{self.type_name} {what} input must be an integral number, got "
                       f"{et.get_type_name()}")
            ps = self.get_input_partial_shape(i)
            self.check(ps.rank.is_dynamic or (len(ps) == 1 and ps[0]._compatible(2)),
                       f"{self.type_name} {what} input must be a 1-D tensor of 2 elements, "
                       f"got {ps}")
        self._check_attributes()
        size = constant_value(self._inputs[0])
        if size is None:
            dim = Dimension()
        else:
            h, w = _hw(size)
            dim = Dimension(4 * h * w * self._priors())
        self.set_output_type(0, Type.f32, PartialShape([2, dim]))

    def _check_attributes(self) -> None:
        variance = self._attrs["variance"]
        self.check(len(variance) in (0, 1, 4),
                   f"Variances size must be 0, 1 or 4, got {len(variance)}")


class PriorBox1(_PriorBase):
    """PriorBox (v1)."""

    type_name = "PriorBox"
    version = "opset1"
    attributes = {"min_size": Attr.floats([]), "max_size": Attr.floats([]),
                  "aspect_ratio": Attr.floats([]), "density": Attr.floats([]),
                  "fixed_ratio": Attr.floats([]), "fixed_size": Attr.floats([]),
                  "clip": Attr.bool(False), "flip": Attr.bool(False), "step": Attr.float(0.0),
                  "offset": Attr.float(), "variance": Attr.floats([]),
                  "scale_all_sizes": Attr.bool(True)}

    def _order_min_max_first(self) -> bool:
        return True

    def _priors(self) -> int:
        return number_of_priors(self._attrs)

    def _check_attributes(self) -> None:
        super()._check_attributes()
        a = self._attrs
        if a["fixed_size"] and (a["density"] or a["fixed_ratio"]):
            self.check(len(a["density"]) >= len(a["fixed_size"]),
                       "PriorBox needs one density per fixed_size")

    def reference(self, layer: np.ndarray, image: np.ndarray) -> np.ndarray:
        a = self._attrs
        h, w = _hw(layer)
        ih, iw = _hw(image)
        ratios = _aspect_ratios(a["aspect_ratio"], a["flip"])
        step = _F(a["step"])
        min_sizes = [_F(s) for s in a["min_size"]]
        if not a["scale_all_sizes"]:  # MXNet: step and sizes relative to the image height
            step = _F(ih) / _F(h) if step == -1 else step * _F(ih)
            min_sizes = [s * _F(ih) for s in min_sizes]
        inv_w, inv_h = _F(1.0) / _F(iw), _F(1.0) / _F(ih)
        ys, xs = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
        xs, ys = xs.reshape(-1), ys.reshape(-1)
        if step == 0:
            cx = (xs.astype(_F) + _F(0.5)) * (_F(iw) / _F(w))
            cy = (ys.astype(_F) + _F(0.5)) * (_F(ih) / _F(h))
        else:
            cx = (_F(a["offset"]) + xs.astype(_F)) * step
            cy = (_F(a["offset"]) + ys.astype(_F)) * step
        boxes: list[np.ndarray] = []  # each [cells, 4]

        def emit(x: np.ndarray, y: np.ndarray, bw: Any, bh: Any, clip: bool) -> None:
            bw, bh = _F(bw), _F(bh)
            b = np.stack([(x - bw) * inv_w, (y - bh) * inv_h, (x + bw) * inv_w,
                          (y + bh) * inv_h], axis=-1).astype(_F)
            if clip:
                b[:, :2] = np.maximum(b[:, :2], _F(0))
                b[:, 2:] = np.minimum(b[:, 2:], _F(1))
            boxes.append(b)

        def grid(fixed: float, density: int, bw: Any, bh: Any) -> None:
            shift = int(fixed / density)  # a whole number of pixels between sub-boxes
            for r in range(density):
                for c in range(density):
                    x = cx - _F(fixed) / _F(2) + _F(shift / 2.0) + _F(c * shift)
                    y = cy - _F(fixed) / _F(2) + _F(shift / 2.0) + _F(r * shift)
                    emit(x, y, bw, bh, True)

        for s, fixed in enumerate(a["fixed_size"]):
            half = _F(fixed) * _F(0.5)
            density = int(a["density"][s]) if s < len(a["density"]) else 0
            if a["fixed_ratio"]:
                for ar in a["fixed_ratio"]:
                    root = np.sqrt(_F(ar))
                    grid(fixed, density, _F(fixed) * _F(0.5) * root, _F(fixed) * _F(0.5) / root)
                continue
            if a["density"]:
                grid(fixed, density, half, half)
            for ar in ratios:
                if abs(ar - 1.0) < 1e-6:
                    continue
                root = np.sqrt(ar)
                grid(fixed, density, _F(fixed) * _F(0.5) * root, _F(fixed) * _F(0.5) / root)

        max_sizes = a["max_size"]
        for i, ms in enumerate(min_sizes):
            half = ms * _F(0.5)
            emit(cx, cy, half, half, False)
            big: list[tuple[Any, Any]] = []
            if len(max_sizes) > i:
                side = np.sqrt(ms * _F(max_sizes[i])) * _F(0.5)
                big.append((side, side))
            by_ratio: list[tuple[Any, Any]] = []
            if a["scale_all_sizes"] or i == len(min_sizes) - 1:
                base = min_sizes[i if a["scale_all_sizes"] else 0]
                for ar in ratios:
                    if abs(ar - 1.0) >= 1e-6:
                        root = np.sqrt(ar)
                        by_ratio.append((base * _F(0.5) * root, base * _F(0.5) / root))
            order = big + by_ratio if self._order_min_max_first() else by_ratio + big
            for bw, bh in order:
                emit(cx, cy, bw, bh, False)

        # the boxes are written one after the other into the declared size, as the runtime
        # writes them: where fixed_ratio with density makes more boxes per cell than
        # number_of_priors counts, the later cells' boxes start earlier and the last ones
        # are cut off
        size = 4 * h * w * self._priors()
        stream = (np.stack(boxes, axis=1) if boxes else np.zeros((h * w, 0, 4), _F)).reshape(-1)
        coords = np.zeros(size, _F)
        coords[:min(size, stream.size)] = stream[:size]
        if a["clip"]:
            coords = np.clip(coords, _F(0), _F(1))
        return np.stack([coords, _variances(a["variance"], coords.size)]).astype(_F)


class PriorBox(PriorBox1):
    """PriorBox (v8): ``min_max_aspect_ratios_order=false`` puts the aspect-ratio boxes
    before the ``max_size`` box."""

    type_name = "PriorBox"
    version = "opset8"
    attributes = {**PriorBox1.attributes, "min_max_aspect_ratios_order": Attr.bool(True)}

    def _order_min_max_first(self) -> bool:
        return self._attrs["min_max_aspect_ratios_order"]


def _variances(variance: list[float], size: int) -> np.ndarray:
    if not variance:
        return np.full(size, _F(0.1), _F)
    if len(variance) == 1:
        return np.full(size, _F(variance[0]), _F)
    return np.tile(np.array(variance, _F), size // 4)


class PriorBoxClustered(_PriorBase):
    """PriorBoxClustered (v1): one ``width[i] x height[i]`` box per cell and prior."""

    type_name = "PriorBoxClustered"
    version = "opset1"
    attributes = {"step": Attr.float(0.0), "step_w": Attr.float(0.0), "step_h": Attr.float(0.0),
                  "width": Attr.floats([]), "height": Attr.floats([]), "clip": Attr.bool(True),
                  "offset": Attr.float(), "variance": Attr.floats([])}

    def _priors(self) -> int:
        return len(self._attrs["width"])

    def _check_attributes(self) -> None:
        super()._check_attributes()
        a = self._attrs
        self.check(len(a["width"]) == len(a["height"]),
                   f"Size of heights vector: {len(a['height'])} doesn't match size of widths "
                   f"vector: {len(a['width'])}")

    def reference(self, layer: np.ndarray, image: np.ndarray) -> np.ndarray:
        a = self._attrs
        h, w = _hw(layer)
        ih, iw = _hw(image)
        step_w = _F(a["step"] if a["step_w"] == 0 else a["step_w"])
        step_h = _F(a["step"] if a["step_h"] == 0 else a["step_h"])
        if step_w == 0 and step_h == 0:
            step_w, step_h = _F(iw) / _F(w), _F(ih) / _F(h)
        ys, xs = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
        cx = ((xs.reshape(-1, 1).astype(_F) + _F(a["offset"])) * step_w).astype(_F)
        cy = ((ys.reshape(-1, 1).astype(_F) + _F(a["offset"])) * step_h).astype(_F)
        bw = np.array(a["width"], _F) / _F(2)
        bh = np.array(a["height"], _F) / _F(2)
        b = np.stack([(cx - bw) / _F(iw), (cy - bh) / _F(ih), (cx + bw) / _F(iw),
                      (cy + bh) / _F(ih)], axis=-1).astype(_F)
        if a["clip"]:
            b = np.clip(b, _F(0), _F(1))
        coords = b.reshape(-1)
        return np.stack([coords, _variances(a["variance"], coords.size)]).astype(_F)


# --- factories -----------------------------------------------------------------------------
_PRIOR_BOX_REQUIREMENTS = [
    ("offset", True, np.floating, is_non_negative_value),
    ("min_size", False, np.floating, is_positive_value),
    ("max_size", False, np.floating, is_positive_value),
    ("aspect_ratio", False, np.floating, is_positive_value),
    ("flip", False, np.bool_, None),
    ("clip", False, np.bool_, None),
    ("step", False, np.floating, is_non_negative_value),
    ("variance", False, np.floating, is_positive_value),
    ("scale_all_sizes", False, np.bool_, None),
    ("fixed_ratio", False, np.floating, is_positive_value),
    ("fixed_size", False, np.floating, is_positive_value),
    ("density", False, np.floating, is_positive_value),
]


@factory("prior_box", since=1)
def prior_box1(layer_shape: Any, image_shape: Any, attrs: dict,
               name: str | None = None) -> PriorBox1:
    """Prior boxes of the given sizes and aspect ratios for every cell of ``layer_shape``."""
    return PriorBox1(layer_shape, image_shape, name=name,
                     **dict_attributes("PriorBox", PriorBox1, attrs, _PRIOR_BOX_REQUIREMENTS))


@factory("prior_box", since=8)
def prior_box(layer_shape: Any, image_shape: Any, attrs: dict,
              name: str | None = None) -> PriorBox:
    """Prior boxes (v8: ``min_max_aspect_ratios_order`` chooses the order of the boxes)."""
    return PriorBox(layer_shape, image_shape, name=name, **dict_attributes(
        "PriorBox", PriorBox, attrs,
        _PRIOR_BOX_REQUIREMENTS + [("min_max_aspect_ratios_order", False, np.bool_, None)]))


@factory("prior_box_clustered", since=1)
def prior_box_clustered(output_size: Any, image_size: Any, attrs: dict,
                        name: str | None = None) -> PriorBoxClustered:
    """Prior boxes of the given widths and heights for every cell of ``output_size``.
    The attributes are the op's (``width``, ``height``, ``step_w``, ``step_h``,
    ``variance``); OpenVINO's documented ``widths``/``heights``/``step_widths``/
    ``step_heights`` keys are checked but, as in OpenVINO, not applied."""
    return PriorBoxClustered(output_size, image_size, name=name, **dict_attributes(
        "PriorBoxClustered", PriorBoxClustered, attrs, [
        ("widths", False, np.floating, is_positive_value),
        ("heights", False, np.floating, is_positive_value),
        ("clip", False, np.bool_, None),
        ("step_widths", False, np.floating, is_positive_value),
        ("step_heights", False, np.floating, is_positive_value),
        ("offset", True, np.floating, is_positive_value),
        ("variance", False, np.floating, is_positive_value),
        ]))
