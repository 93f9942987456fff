"""Color conversion from YUV 4:2:0 images to interleaved RGB/BGR: NV12toRGB, NV12toBGR,
I420toRGB, I420toBGR (opset8).

Inputs are NHWC. An image of height ``H`` and width ``W`` (both even) comes either as one
plane of shape ``[N, H*3/2, W, 1]`` (the Y rows, then the chroma bytes) or as separate
planes: NV12 as Y ``[N, H, W, 1]`` and interleaved UV ``[N, H/2, W/2, 2]``; I420 as Y,
U ``[N, H/2, W/2, 1]`` and V ``[N, H/2, W/2, 1]``. In the single plane, NV12 stores the
interleaved UV pairs after Y; I420 stores all of U, then all of V. The output is
``[N, H, W, 3]`` of the input's element type (u8 or a floating type):

    R = 1.164 (Y - 16) + 1.596 (V - 128)
    G = 1.164 (Y - 16) - 0.813 (V - 128) - 0.391 (U - 128)
    B = 1.164 (Y - 16) + 2.018 (U - 128)

computed in float32 (float64 for f64), clipped to [0, 255]; u8 results are rounded to the
nearest integer, halves up. Each chroma sample
covers a 2x2 block of pixels.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._infer import merge_types

__all__ = ["NV12toRGB", "NV12toBGR", "I420toRGB", "I420toBGR", "yuv_to_rgb"]


def yuv_to_rgb(y: np.ndarray, u: np.ndarray, v: np.ndarray, dtype: np.dtype,
               bgr: bool = False) -> np.ndarray:
    """Full-resolution ``[N, H, W]`` Y with half-resolution ``[N, H/2, W/2]`` U and V ->
    ``[N, H, W, 3]`` RGB (or BGR) in ``dtype``."""
    work = np.float64 if dtype == np.float64 else np.float32
    yf = y.astype(work) - work(16)
    uf = np.repeat(np.repeat(u.astype(work) - work(128), 2, axis=1), 2, axis=2)
    vf = np.repeat(np.repeat(v.astype(work) - work(128), 2, axis=1), 2, axis=2)
    r = work(1.164) * yf + work(1.596) * vf
    g = work(1.164) * yf - work(0.813) * vf - work(0.391) * uf
    b = work(1.164) * yf + work(2.018) * uf
    out = np.clip(np.stack([b, g, r] if bgr else [r, g, b], axis=-1), work(0), work(255))
    if np.issubdtype(dtype, np.integer):
        out = np.floor(out + work(0.5))  # non-negative: halves round up
    return out.astype(dtype)


def _check_type(node: Node) -> Type:
    et = merge_types(node, *(node.get_input_element_type(i)
                             for i in range(node.get_input_size())))
    node.check(et.is_dynamic() or et is Type.u8 or et.is_real(),
               f"Input type shall be u8 or a floating-point type, got {et.get_type_name()}")
    return et


def _nhwc(node: Node, index: int, what: str, channels: int) -> list[Dimension] | None:
    """The four dimensions of input ``index`` (None for dynamic rank), with its C checked."""
    ps = node.get_input_partial_shape(index)
    if ps.rank.is_dynamic:
        return None
    node.check(len(ps) == 4, f"{what} input shall have 4 dimensions (N, H, W, C), got {ps}")
    dims = [Dimension(d) for d in ps]
    node.check(dims[3]._compatible(channels),
               f"{what} input shall have {channels} channel(s) in its last dimension, got {ps}")
    return dims


def _check_even(node: Node, d: Dimension, what: str) -> None:
    node.check(not d.is_static or d.get_length() % 2 == 0,
               f"Image {what} shall be even, got {d}")


def _single_plane_shape(node: Node) -> PartialShape:
    dims = _nhwc(node, 0, "Single plane", 1)
    if dims is None:
        return PartialShape([Dimension(), Dimension(), Dimension(), 3])
    n, h, w = dims[0], dims[1], dims[2]
    if h.is_static:
        node.check(h.get_length() % 3 == 0,
                   f"Single plane height shall be a multiple of 3 (image height * 3/2), got {h}")
        image_h = Dimension(h.get_length() * 2 // 3)
    elif h.get_max_length() < 0:
        image_h = Dimension((h.get_min_length() * 2 + 2) // 3, -1)
    else:
        image_h = Dimension((h.get_min_length() * 2 + 2) // 3, h.get_max_length() * 2 // 3)
    _check_even(node, image_h, "height")
    _check_even(node, w, "width")
    return PartialShape([n, image_h, w, 3])


def _planes_shape(node: Node, chroma: list[tuple[int, str, int]]) -> PartialShape:
    """Output shape for a Y plane (input 0) with half-resolution chroma planes."""
    y = _nhwc(node, 0, "Y", 1)
    out = y if y is not None else [Dimension(), Dimension(), Dimension(), Dimension()]
    n, h, w = out[0], out[1], out[2]
    for index, what, channels in chroma:
        c = _nhwc(node, index, what, channels)
        if c is None:
            continue
        merged = [n.merge(c[0]), h.merge(c[1]._mul(2)), w.merge(c[2]._mul(2))]
        if any(m is None for m in merged):
            shapes = ", ".join(str(node.get_input_partial_shape(i))
                               for i in range(node.get_input_size()))
            node.fail(f"Y shape is inconsistent with {what} ({shapes}): {what} shall have the "
                      "same batch and half the height and width of Y")
        n, h, w = merged
    _check_even(node, h, "height")
    _check_even(node, w, "width")
    return PartialShape([n, h, w, 3])


class _NV12Base(Node):
    version = "opset8"
    bgr = False

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() in (1, 2),
                   f"{self.type_name} takes one (single plane) or two (Y, UV) inputs")
        et = _check_type(self)
        if self.get_input_size() == 1:
            shape = _single_plane_shape(self)
        else:
            shape = _planes_shape(self, [(1, "UV", 2)])
        self.set_output_type(0, et, shape)

    def reference(self, y: np.ndarray, uv: np.ndarray | None = None) -> np.ndarray:
        dtype = self.get_output_element_type(0).evaluation_dtype
        if uv is None:
            h = y.shape[1] * 2 // 3
            uv = y[:, h:, :, 0].reshape(y.shape[0], h // 2, y.shape[2] // 2, 2)
            y = y[:, :h]
        return yuv_to_rgb(y[..., 0], uv[..., 0], uv[..., 1], dtype, self.bgr)


class _I420Base(Node):
    version = "opset8"
    bgr = False

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() in (1, 3),
                   f"{self.type_name} takes one (single plane) or three (Y, U, V) inputs")
        et = _check_type(self)
        if self.get_input_size() == 1:
            shape = _single_plane_shape(self)
        else:
            shape = _planes_shape(self, [(1, "U", 1), (2, "V", 1)])
        self.set_output_type(0, et, shape)

    def reference(self, y: np.ndarray, u: np.ndarray | None = None,
                  v: np.ndarray | None = None) -> np.ndarray:
        dtype = self.get_output_element_type(0).evaluation_dtype
        if u is None:
            n, h, w = y.shape[0], y.shape[1] * 2 // 3, y.shape[2]
            chroma = y[:, h:, :, 0].reshape(n, 2, h // 2, w // 2)
            u, v, y = chroma[:, 0, ..., None], chroma[:, 1, ..., None], y[:, :h]
        return yuv_to_rgb(y[..., 0], u[..., 0], v[..., 0], dtype, self.bgr)


class NV12toRGB(_NV12Base):
    """NV12 (single plane or Y + UV planes) -> RGB."""

    type_name = "NV12toRGB"


class NV12toBGR(_NV12Base):
    """NV12 (single plane or Y + UV planes) -> BGR."""

    type_name = "NV12toBGR"
    bgr = True


class I420toRGB(_I420Base):
    """I420 (single plane or Y, U, V planes) -> RGB."""

    type_name = "I420toRGB"


class I420toBGR(_I420Base):
    """I420 (single plane or Y, U, V planes) -> BGR."""

    type_name = "I420toBGR"
    bgr = True


def _inputs(*args: Any) -> list[Any]:
    return [a for a in args if a is not None]


@factory("nv12_to_rgb", since=8)
def nv12_to_rgb(arg: Any, arg_uv: Any = None, name: str | None = None) -> NV12toRGB:
    """NV12 -> RGB from a single plane ``arg`` or from Y ``arg`` and UV ``arg_uv``."""
    return NV12toRGB(*_inputs(arg, arg_uv), name=name)


@factory("nv12_to_bgr", since=8)
def nv12_to_bgr(arg: Any, arg_uv: Any = None, name: str | None = None) -> NV12toBGR:
    """NV12 -> BGR from a single plane ``arg`` or from Y ``arg`` and UV ``arg_uv``."""
    return NV12toBGR(*_inputs(arg, arg_uv), name=name)


@factory("i420_to_rgb", since=8)
def i420_to_rgb(arg: Any, arg_u: Any = None, arg_v: Any = None,
                name: str | None = None) -> I420toRGB:
    """I420 -> RGB from a single plane ``arg`` or from Y ``arg``, U ``arg_u`` and V
    ``arg_v``."""
    if (arg_u is None) != (arg_v is None):
        raise RuntimeError("i420_to_rgb takes either one plane or all three (Y, U, V)")
    return I420toRGB(*_inputs(arg, arg_u, arg_v), name=name)


@factory("i420_to_bgr", since=8)
def i420_to_bgr(arg: Any, arg_u: Any = None, arg_v: Any = None,
                name: str | None = None) -> I420toBGR:
    """I420 -> BGR from a single plane ``arg`` or from Y ``arg``, U ``arg_u`` and V
    ``arg_v``."""
    if (arg_u is None) != (arg_v is None):
        raise RuntimeError("i420_to_bgr takes either one plane or all three (Y, U, V)")
    return I420toBGR(*_inputs(arg, arg_u, arg_v), name=name)
