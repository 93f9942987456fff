"""DeformableConvolution (v1, v8): a 2-D convolution whose kernel taps are moved by learned
offsets and read bilinearly.

Inputs: ``data`` ``[N, C, H, W]``, ``offsets`` ``[N, deformable_group * 2 * kh * kw, Ho,
Wo]`` (per deformable group and tap, the ``(y, x)`` shift of that tap at each output
point), ``filters`` ``[C_out, C / group, kh, kw]`` and, in v8, an optional ``mask``
``[N, deformable_group * kh * kw, Ho, Wo]`` scaling each tap. Input channels are split into
``deformable_group`` consecutive groups, each with its own offsets. A tap falling outside
the input contributes 0. Without ``bilinear_interpolation_pad`` (v1, v8's default) a tap
must lie in ``[0, H) x [0, W)`` and reads the border pixels for its far corners; with it
(v8) a tap up to one pixel outside reads zeros for the corners beyond the input.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .convolution import (
    explicit_pads,
    normalize_auto_pad,
    resolve_pads,
    spatial_attr,
    window_out_dim,
)

__all__ = ["DeformableConvolution1", "DeformableConvolution"]


class DeformableConvolution1(Node):
    """DeformableConvolution (v1)."""

    type_name = "DeformableConvolution"
    version = "opset1"
    attributes = {"strides": Attr.ints(), "dilations": Attr.ints(), "pads_begin": Attr.ints(),
                  "pads_end": Attr.ints(), "auto_pad": Attr.enum("explicit"),
                  "group": Attr.int(1), "deformable_group": Attr.int(1)}

    def _pad_mode(self) -> bool:
        return False

    def validate_and_infer_types(self) -> None:
        n_in = len(self._inputs)
        self.check(n_in == 3 or (n_in == 4 and self._has_mask_input_allowed()),
                   f"DeformableConvolution takes data, offsets, filters"
                   f"{' and optionally mask' if self._has_mask_input_allowed() else ''}, got "
                   f"{n_in} inputs")
        a = self._attrs
        self.check(a["group"] > 0, f"Attribute 'group' must be any value starting from 1. Got: "
                                   f"{a['group']}")
        self.check(a["deformable_group"] > 0,
                   f"Attribute 'deformable_group' must be any value starting from 1. Got: "
                   f"{a['deformable_group']}")
        et = self.get_input_element_type(0)
        for i in range(n_in):
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t.is_real(),
                       f"Element type of inputs must be floating point, got "
                       f"{t.get_type_name()} for input {i}")
        data, offsets, filters = (self.get_input_partial_shape(i) for i in range(3))
        for ps, name in ((data, "Input"), (offsets, "Offsets"), (filters, "Filters")):
            self.check(ps.rank.is_dynamic or len(ps) == 4,
                       f"{name} must be of rank 4. Got: {len(ps)}")
        auto_pad = normalize_auto_pad(self, a["auto_pad"])
        a["auto_pad"] = auto_pad
        strides = spatial_attr(self, "Strides", a["strides"], 2, 1, 1)
        dilations = spatial_attr(self, "Dilations", a["dilations"], 2, 1, 1)
        pb, pe = explicit_pads(self, auto_pad, a["pads_begin"], a["pads_end"], 2)
        if filters.rank.is_static and offsets.rank.is_static and filters[2].is_static and \
                filters[3].is_static and offsets[1].is_static:
            taps = filters[2].get_length() * filters[3].get_length()
            want = a["deformable_group"] * 2 * taps
            self.check(offsets[1].get_length() == want,
                       f"The channels dimension of offsets input is not compatible with filters "
                       f"and 'deformable group' attribute. Offsets input shape: {offsets}, "
                       f"deformable 'group' attribute value: {a['deformable_group']}, filters "
                       f"shape: {filters}")
        if data.rank.is_static and data[1].is_static:
            c = data[1].get_length()
            self.check(c % a["group"] == 0,
                       f"Input channels dimension of data batch has incompatible value with "
                       f"'group' attribute. Data batch channels: {c}, 'group' attribute value: "
                       f"{a['group']}")
            self.check(c % a["deformable_group"] == 0,
                       f"The input data shape must be evenly divisible by the 'deformable_group'"
                       f" value along channels axis. Current input shape: {data}, "
                       f"'deformable_group' attribute value: {a['deformable_group']}")
            if filters.rank.is_static and filters[1].is_static:
                self.check(filters[1].get_length() * a["group"] == c,
                           f"Data batch channel count ({c}) is not equal to filter input "
                           f"channel count ({filters[1].get_length()}) times group "
                           f"({a['group']})")
        n = data[0] if data.rank.is_static else Dimension()
        c_out = filters[0] if filters.rank.is_static else Dimension()
        spatial = [Dimension(), Dimension()]
        if data.rank.is_static and filters.rank.is_static:
            spatial = [window_out_dim(self, data[2 + i], filters[2 + i], strides[i],
                                      dilations[i], pb[i], pe[i], auto_pad) for i in range(2)]
        self.set_output_type(0, et, PartialShape([n, c_out] + spatial))

    def _has_mask_input_allowed(self) -> bool:
        return False

    def reference(self, data: np.ndarray, offsets: np.ndarray, filters: np.ndarray,
                  mask: np.ndarray | None = None) -> np.ndarray:
        a = self._attrs
        n, c, h, w = data.shape
        c_out, cg, kh, kw = filters.shape
        group, dgroups = a["group"], a["deformable_group"]
        strides = spatial_attr(self, "Strides", a["strides"], 2, 1, 1)
        dil = spatial_attr(self, "Dilations", a["dilations"], 2, 1, 1)
        pb, pe = explicit_pads(self, a["auto_pad"], a["pads_begin"], a["pads_end"], 2)
        pb, pe = resolve_pads([h, w], [kh, kw], strides, dil, pb, pe, a["auto_pad"])
        ho, wo = offsets.shape[2], offsets.shape[3]
        taps = kh * kw
        x = data.astype(np.float32)
        off = offsets.astype(np.float32).reshape(n, dgroups, taps, 2, ho, wo)
        m = (np.ones((n, dgroups, taps, ho, wo), np.float32) if mask is None
             else mask.astype(np.float32).reshape(n, dgroups, taps, ho, wo))
        base_y = (np.arange(ho) * strides[0] - pb[0])[:, None]
        base_x = (np.arange(wo) * strides[1] - pb[1])[None, :]
        # sampled[n, c, tap, ho, wo]: each input channel read at its group's tap positions
        sampled = np.zeros((n, c, taps, ho, wo), np.float32)
        per_group = c // dgroups
        for t in range(taps):
            i, j = divmod(t, kw)
            for g in range(dgroups):
                ys = (base_y + i * dil[0]).astype(np.float32) + off[:, g, t, 0]  # [n, ho, wo]
                xs = (base_x + j * dil[1]).astype(np.float32) + off[:, g, t, 1]
                chans = slice(g * per_group, (g + 1) * per_group)
                sampled[:, chans, t] = _sample(x[:, chans], ys, xs, self._pad_mode()) \
                    * m[:, g, t][:, None]
        cols = sampled.reshape(n, group, cg * taps, ho * wo)
        wts = filters.astype(np.float32).reshape(group, c_out // group, cg * taps)
        out = np.einsum("gok,ngkp->ngop", wts, cols).reshape(n, c_out, ho, wo)
        return out.astype(data.dtype)


def _sample(x: np.ndarray, ys: np.ndarray, xs: np.ndarray, pad: bool) -> np.ndarray:
    """``x[n, c]`` read bilinearly at ``(ys[n], xs[n])`` (``[n, ho, wo]``) -> ``[n, c, ho,
    wo]``, 0 where the tap is outside as the runtime decides it."""
    n, c, h, w = x.shape
    if pad:
        inside = (np.trunc(xs) > -1) & (np.trunc(xs) < w) & (np.trunc(ys) > -1) & \
            (np.trunc(ys) < h)
        y1 = np.floor(ys).astype(np.int64)
        x1 = np.floor(xs).astype(np.int64)
        y2, x2 = y1 + 1, x1 + 1
    else:
        inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        y1 = np.maximum(np.floor(ys), 0).astype(np.int64)
        x1 = np.maximum(np.floor(xs), 0).astype(np.int64)
        y2 = np.minimum(np.ceil(ys), h - 1).astype(np.int64)
        x2 = np.minimum(np.ceil(xs), w - 1).astype(np.int64)
    dy = (ys - y1).astype(np.float32)
    dx = (xs - x1).astype(np.float32)
    batch = np.arange(n)[:, None, None]

    def read(yy: np.ndarray, xx: np.ndarray) -> np.ndarray:
        ok = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
        v = x[batch, :, np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)]  # [n, ho, wo, c]
        return np.where(ok[..., None], v, np.float32(0))

    v = ((1 - dx) * (1 - dy))[..., None] * read(y1, x1) + \
        ((1 - dx) * dy)[..., None] * read(y2, x1) + \
        (dx * (1 - dy))[..., None] * read(y1, x2) + (dx * dy)[..., None] * read(y2, x2)
    v = np.where(inside[..., None], v, np.float32(0))
    return np.moveaxis(v, -1, 1)


class DeformableConvolution(DeformableConvolution1):
    """DeformableConvolution (v8): optional ``mask`` and ``bilinear_interpolation_pad``."""

    type_name = "DeformableConvolution"
    version = "opset8"
    attributes = {**DeformableConvolution1.attributes,
                  "bilinear_interpolation_pad": Attr.bool(False)}

    def _has_mask_input_allowed(self) -> bool:
        return True

    def _pad_mode(self) -> bool:
        return self._attrs["bilinear_interpolation_pad"]

    def validate_and_infer_types(self) -> None:
        super().validate_and_infer_types()
        if len(self._inputs) == 4:
            mask, filters = self.get_input_partial_shape(3), self.get_input_partial_shape(2)
            self.check(mask.rank.is_dynamic or len(mask) == 4,
                       f"Mask must be of rank 4. Got: {len(mask)}")
            if mask.rank.is_static and filters.rank.is_static and mask[1].is_static and \
                    filters[2].is_static and filters[3].is_static:
                want = self._attrs["deformable_group"] * filters[2].get_length() * \
                    filters[3].get_length()
                self.check(mask[1].get_length() == want,
                           f"The channels dimension of mask input is not compatible with "
                           f"filters and 'deformable group' attribute. Mask input shape: "
                           f"{mask}, deformable 'group' attribute value: "
                           f"{self._attrs['deformable_group']}, filters shape: {filters}")


@factory("deformable_convolution", since=1)
def deformable_convolution1(data: Any, deformable_values: Any, filters: Any, strides: list[int],
                            pads_begin: list[int], pads_end: list[int], dilations: list[int],
                            auto_pad: str = "EXPLICIT", group: int = 1,
                            deformable_group: int = 1,
                            name: str | None = None) -> DeformableConvolution1:
    """A deformable 2-D convolution (v1)."""
    return DeformableConvolution1(data, deformable_values, filters, strides=strides,
                                  pads_begin=pads_begin, pads_end=pads_end,
                                  dilations=dilations, auto_pad=auto_pad, group=group,
                                  deformable_group=deformable_group, name=name)


@factory("deformable_convolution", since=8)
def deformable_convolution(data: Any, offsets: Any, filters: Any, strides: list[int],
                           pads_begin: list[int], pads_end: list[int], dilations: list[int],
                           mask: Any = None, auto_pad: str = "EXPLICIT", group: int = 1,
                           deformable_group: int = 1, bilinear_interpolation_pad: bool = False,
                           name: str | None = None) -> DeformableConvolution:
    """A deformable 2-D convolution (v8: optional ``mask``)."""
    inputs = [data, offsets, filters] + ([] if mask is None else [mask])
    return DeformableConvolution(*inputs, strides=strides, pads_begin=pads_begin,
                                 pads_end=pads_end, dilations=dilations, auto_pad=auto_pad,
                                 group=group, deformable_group=deformable_group,
                                 bilinear_interpolation_pad=bilinear_interpolation_pad,
                                 name=name)
