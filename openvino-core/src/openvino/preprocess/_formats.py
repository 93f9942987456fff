"""Facts about the color formats: how the report names them, how many planes an image
takes, and the shape of each plane for an image of a given shape."""

from __future__ import annotations

from .._layout import Layout
from .._shape import Dimension, PartialShape
from ._enums import ColorFormat

__all__ = ["RGB_FAMILY", "YUV_FORMATS", "format_label", "planes_count", "plane_shapes"]

_LABELS = {
    ColorFormat.UNDEFINED: "Unknown",
    ColorFormat.NV12_SINGLE_PLANE: "NV12 (single plane)",
    ColorFormat.NV12_TWO_PLANES: "NV12 (multi-plane)",
    ColorFormat.I420_SINGLE_PLANE: "I420 (single plane)",
    ColorFormat.I420_THREE_PLANES: "I420 (multi-plane)",
    ColorFormat.RGB: "RGB",
    ColorFormat.BGR: "BGR",
    ColorFormat.GRAY: "GRAY",
    ColorFormat.RGBX: "RGBX",
    ColorFormat.BGRX: "BGRX",
}

#: formats with one value per pixel and channel (what a model can take)
RGB_FAMILY = (ColorFormat.RGB, ColorFormat.BGR, ColorFormat.RGBX, ColorFormat.BGRX,
              ColorFormat.GRAY)
#: YUV 4:2:0 formats (need convert_color before the model)
YUV_FORMATS = (ColorFormat.NV12_SINGLE_PLANE, ColorFormat.NV12_TWO_PLANES,
               ColorFormat.I420_SINGLE_PLANE, ColorFormat.I420_THREE_PLANES)

_CHANNELS = {ColorFormat.RGB: 3, ColorFormat.BGR: 3, ColorFormat.RGBX: 4,
             ColorFormat.BGRX: 4}


def format_label(fmt: ColorFormat) -> str:
    """The format's name in reports and messages (``"NV12 (multi-plane)"``)."""
    return _LABELS[ColorFormat(fmt)]


def planes_count(fmt: ColorFormat) -> int:
    """How many tensors one image of this format takes."""
    return {ColorFormat.NV12_TWO_PLANES: 2, ColorFormat.I420_THREE_PLANES: 3}.get(fmt, 1)


def plane_shapes(fmt: ColorFormat, image: PartialShape, layout: Layout) -> list[PartialShape]:
    """The user tensor shape of each plane of an image whose (N, H, W, C) shape is
    ``image`` under ``layout``: the channel count of RGB-family formats, the 1.5x-height
    single plane or the half-resolution chroma planes of NV12/I420 (GRAY keeps the shape)."""
    from ._context import axis_of

    if fmt in (ColorFormat.UNDEFINED, ColorFormat.GRAY):
        return [image]
    if image.rank.is_dynamic:
        return [PartialShape(image) for _ in range(planes_count(fmt))]
    what = f"Color format {format_label(fmt)}"
    c = axis_of(layout, "C", image, what)
    dims = [Dimension(d) for d in image]
    if fmt in _CHANNELS:
        dims[c] = Dimension(_CHANNELS[fmt])
        return [PartialShape(dims)]
    h = axis_of(layout, "H", image, what)
    w = axis_of(layout, "W", image, what)
    dims[c] = Dimension(1)
    if fmt in (ColorFormat.NV12_SINGLE_PLANE, ColorFormat.I420_SINGLE_PLANE):
        dims[h] = dims[h]._mul(3)._floordiv(2)
        return [PartialShape(dims)]
    chroma = list(dims)
    chroma[h] = dims[h]._floordiv(2)
    chroma[w] = dims[w]._floordiv(2)
    if fmt == ColorFormat.NV12_TWO_PLANES:
        uv = list(chroma)
        uv[c] = Dimension(2)
        return [PartialShape(dims), PartialShape(uv)]
    return [PartialShape(dims), PartialShape(chroma), PartialShape(chroma)]
