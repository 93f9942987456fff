"""Col2Im (v15): sum sliding blocks (columns, as an im2col gives them) back into images.

``data`` is ``[N, C * kH * kW, L]`` (or ``[C * kH * kW, L]`` unbatched), ``output_size``
``[H, W]`` and ``kernel_size`` ``[kH, kW]`` (i32 or i64, the same type). Block ``l`` is at
row ``l // nW`` and column ``l % nW`` of the block grid, ``nH = (H + pads - (dH * (kH - 1)
+ 1)) // sH + 1`` (likewise ``nW``), and ``L`` must be ``nH * nW``. Each column element
``c * kH * kW + i * kW + j`` of block ``(bh, bw)`` adds to output ``[c, bh * sH - pH + i * dH,
bw * sW - pW + j * dW]`` when that is inside the image. Messages are OpenVINO's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._infer import constant_value

__all__ = ["Col2Im"]


def _blocks(size: int, kernel: int, stride: int, dilation: int, pb: int, pe: int) -> int:
    return (size + pb + pe - (dilation * (kernel - 1) + 1)) // stride + 1


class Col2Im(Node):
    type_name = "Col2Im"
    version = "opset15"
    attributes = {
        "strides": Attr.ints([1, 1]),
        "dilations": Attr.ints([1, 1]),
        "pads_begin": Attr.ints([0, 0]),
        "pads_end": Attr.ints([0, 0]),
    }

    def _geometry(self) -> tuple[list[int], list[int], list[int], list[int]]:
        a = self._attrs
        return (list(a["strides"]), list(a["dilations"]), list(a["pads_begin"]),
                list(a["pads_end"]))

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 3,
                   "Col2Im takes three inputs: data, output_size and kernel_size")
        strides, dilations, pb, pe = self._geometry()
        for name, values, positive in (("strides", strides, True),
                                       ("dilations", dilations, True),
                                       ("pads_begin", pb, False), ("pads_end", pe, False)):
            self.check(len(values) == 2, f"{name} must be a 1D input of shape [2].")
            if positive:
                self.check(all(v > 0 for v in values), f"{name} must be non-zero.")
            else:
                self.check(all(v >= 0 for v in values), f"{name} must be non-negative.")
        size_t, kernel_t = self.get_input_element_type(1), self.get_input_element_type(2)
        ok = {Type.i32, Type.i64}
        self.check((size_t.is_dynamic() or size_t in ok) and (kernel_t.is_dynamic() or
                                                              kernel_t in ok)
                   and (size_t.is_dynamic() or kernel_t.is_dynamic() or size_t == kernel_t),
                   "The element types of the output_size and kernel_size tensors must match "
                   f"and be of i32 or i64 type. Got: {size_t.get_type_name()} and "
                   f"{kernel_t.get_type_name()}")
        data = self.get_input_partial_shape(0)
        for i, name in ((1, "output_size"), (2, "kernel_size")):
            ps = self.get_input_partial_shape(i)
            self.check(ps.rank.is_dynamic or (len(ps) == 1 and ps[0]._compatible(
                Dimension(2))), f"{name} must be a 1D input of shape [2]. Got: {ps}")
        self.check(data.rank.is_dynamic or len(data) in (2, 3),
                   f"input data must be an unbatched 2D or a batched 3D input. Got: {data}")
        size = constant_value(self.input_value(1))
        kernel = constant_value(self.input_value(2))
        et = self.get_input_element_type(0)
        if data.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        batched = len(data) == 3
        cols, blocks = data[-2], data[-1]
        channels = Dimension()
        if kernel is not None:
            k = [int(v) for v in np.asarray(kernel).reshape(-1)]
            product = k[0] * k[1]
            if cols.is_static:
                self.check(product > 0 and cols.get_length() % product == 0,
                           "First non-batch dimension is not evenly divisible by "
                           f"Product(kernel_shape). Got: {cols.get_length()}")
                channels = Dimension(cols.get_length() // product)
            if size is not None and blocks.is_static:
                s = [int(v) for v in np.asarray(size).reshape(-1)]
                expected = 1
                for i in range(2):
                    expected *= _blocks(s[i], k[i], strides[i], dilations[i], pb[i], pe[i])
                self.check(blocks.get_length() == expected,
                           "For given inputs and parameters the total number of data blocks "
                           f"must be equal to {expected}. Got: {blocks.get_length()}")
        spatial = [Dimension(int(v)) for v in np.asarray(size).reshape(-1)] \
            if size is not None else [Dimension(), Dimension()]
        dims = ([data[0]] if batched else []) + [channels] + spatial
        self.set_output_type(0, et, PartialShape(dims))

    def reference(self, data: np.ndarray, output_size: np.ndarray,
                  kernel_size: np.ndarray) -> np.ndarray:
        strides, dilations, pb, pe = self._geometry()
        H, W = (int(v) for v in np.asarray(output_size).reshape(-1))
        kH, kW = (int(v) for v in np.asarray(kernel_size).reshape(-1))
        batched = data.ndim == 3
        x = data if batched else data[None]
        n, cols, length = x.shape
        if kH <= 0 or kW <= 0 or cols % (kH * kW):
            raise RuntimeError(f"Col2Im '{self.get_friendly_name()}': First non-batch "
                               "dimension is not evenly divisible by Product(kernel_shape). "
                               f"Got: {cols}")
        nH = _blocks(H, kH, strides[0], dilations[0], pb[0], pe[0])
        nW = _blocks(W, kW, strides[1], dilations[1], pb[1], pe[1])
        if length != nH * nW or nH < 0 or nW < 0:
            raise RuntimeError(f"Col2Im '{self.get_friendly_name()}': For given inputs and "
                               "parameters the total number of data blocks must be equal to "
                               f"{max(nH, 0) * max(nW, 0)}. Got: {length}")
        c = cols // (kH * kW)
        acc = np.float64 if x.dtype.kind == "f" else x.dtype
        out = np.zeros((n, c, H, W), dtype=acc)
        blocks = x.reshape(n, c, kH, kW, nH, nW)
        for i in range(kH):
            rows = np.arange(nH) * strides[0] - pb[0] + i * dilations[0]
            rsel = (rows >= 0) & (rows < H)
            for j in range(kW):
                colsel = np.arange(nW) * strides[1] - pb[1] + j * dilations[1]
                csel = (colsel >= 0) & (colsel < W)
                if not rsel.any() or not csel.any():
                    continue
                part = blocks[:, :, i, j][:, :, rsel][:, :, :, csel]
                np.add.at(out, (slice(None), slice(None), rows[rsel][:, None],
                                colsel[csel][None, :]), part)
        out = out.astype(x.dtype, copy=False)
        return out if batched else out[0]


@factory("col2im", since=15)
def col2im(data: Any, output_size: Any, kernel_size: Any, strides: list[int] | None = None,
           dilations: list[int] | None = None, pads_begin: list[int] | None = None,
           pads_end: list[int] | None = None, name: str | None = None) -> Col2Im:
    """Rearrange sliding blocks ``data`` back into images of ``output_size``."""
    return Col2Im(data, output_size, kernel_size,
                  strides=list(strides) if strides is not None else [1, 1],
                  dilations=list(dilations) if dilations is not None else [1, 1],
                  pads_begin=list(pads_begin) if pads_begin is not None else [0, 0],
                  pads_end=list(pads_end) if pads_end is not None else [0, 0], name=name)
