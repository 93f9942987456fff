"""Convolutions: Convolution, GroupConvolution, ConvolutionBackpropData and
GroupConvolutionBackpropData.

The window geometry here (output sizes, ``auto_pad`` resolution, padded sliding windows) is
shared with the pooling ops, which slide the same kind of window over the spatial axes.

The references work as im2col + matrix multiply: the padded input is viewed as sliding
windows (``sliding_window_view``, no copy), reordered once into columns and multiplied with
the filters by ``np.matmul``. Floating-point types accumulate in at least f32, integers in
i64 (wrapped back to the element type).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape, _copy_dim, _static_dims
from .._type import Type
from ._infer import constant_value, merge_types

__all__ = ["Convolution", "GroupConvolution", "ConvolutionBackpropData",
           "GroupConvolutionBackpropData"]

AUTO_PAD_MODES = ("explicit", "same_upper", "same_lower", "valid")
#: (attribute, value when empty, least valid value) of a forward convolution's window
_GEOMETRY = (("strides", 1, 1), ("dilations", 1, 1), ("pads_begin", 0, 0), ("pads_end", 0, 0))
_AUTO_PAD_ALIASES = {"notset": "explicit", "auto": "same_upper", "": "explicit"}


# --- window geometry (shared with pooling) ---------------------------------------------------
def _static_geometry(attrs: dict[str, Any], nsp: int) -> list[list[int]] | None:
    """Strides, dilations, pads_begin and pads_end of ``nsp`` values each (an empty list
    gives the default), or None where one is of another length or below its least value."""
    geometry = []
    for name, default, minimum in _GEOMETRY:
        values = attrs[name]
        if not values:
            values = [default] * nsp
        elif len(values) != nsp or min(values) < minimum:
            return None
        geometry.append(values)
    return geometry


def normalize_auto_pad(node: Node, value: Any) -> str:
    """The ``auto_pad`` attribute as one of ``explicit``/``same_upper``/``same_lower``/
    ``valid`` (``notset`` reads as explicit, ``auto`` as same_upper)."""
    mode = "explicit" if value is None else str(value).lower()
    mode = _AUTO_PAD_ALIASES.get(mode, mode)
    if mode not in AUTO_PAD_MODES:
        node.fail(f"Unsupported auto_pad '{value}' (expected one of {', '.join(AUTO_PAD_MODES)})")
    return mode


def spatial_attr(node: Node, name: str, values: Sequence[int] | None, num_spatial: int,
                 default: int, minimum: int) -> list[int]:
    """An attribute holding one value per spatial axis; an empty list means ``default``."""
    vals = list(values or [])
    if not vals:
        return [default] * num_spatial
    if len(vals) != num_spatial:
        node.fail(f"{name} should be defined for all and only spatial dimensions "
                  f"({num_spatial}), got {vals}")
    for v in vals:
        if not v >= minimum:
            node.fail(f"{name} must be >= {minimum}, got {vals}")
    return [int(v) for v in vals]


def explicit_pads(node: Node, auto_pad: str, pads_begin: Sequence[int] | None,
                  pads_end: Sequence[int] | None, num_spatial: int) -> tuple[list[int], list[int]]:
    """The pads attributes checked against the spatial rank (zeros unless ``explicit``: the
    other modes compute their pads from the input shape)."""
    if auto_pad != "explicit":
        return [0] * num_spatial, [0] * num_spatial
    return (spatial_attr(node, "Pads begin", pads_begin, num_spatial, 0, 0),
            spatial_attr(node, "Pads end", pads_end, num_spatial, 0, 0))


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def window_out_len(n: int, kernel: int, stride: int, dilation: int, pad_begin: int,
                   pad_end: int, auto_pad: str, rounding: str = "floor") -> int:
    """Output length of one spatial axis of length ``n``; -1 when the dilated window does not
    fit into the padded input."""
    k_eff = (kernel - 1) * dilation + 1
    if auto_pad in ("same_upper", "same_lower"):
        return _ceil_div(n, stride)
    if auto_pad == "valid":
        pad_begin = pad_end = 0
    avail = n + pad_begin + pad_end - k_eff
    if avail < 0:
        return -1
    if rounding == "floor":
        return avail // stride + 1
    out = _ceil_div(avail, stride) + 1
    if rounding == "ceil_torch" and (out - 1) * stride >= n + pad_begin:
        out -= 1
    return out


def window_out_dim(node: Node, dim: Dimension, kernel: Dimension | int, stride: int,
                   dilation: int, pad_begin: int, pad_end: int, auto_pad: str,
                   rounding: str = "floor") -> Dimension:
    """``window_out_len`` over a possibly dynamic or interval dimension (and kernel)."""
    if isinstance(kernel, Dimension):
        if not kernel.is_static:
            if auto_pad in ("same_upper", "same_lower"):
                return window_out_dim(node, dim, 1, stride, 1, 0, 0, auto_pad)
            return Dimension(1, -1)
        kernel = kernel.get_length()

    if dim._max is not None and dim._min == dim._max:  # static
        out = window_out_len(dim._min, kernel, stride, dilation, pad_begin, pad_end, auto_pad,
                             rounding)
        if out < 0:
            pads = 0 if auto_pad == "valid" else pad_begin + pad_end
            node.fail(f"Window after dilation has dimension {(kernel - 1) * dilation + 1} "
                      f"larger than the data shape after padding ({dim.get_length() + pads})")
        return Dimension(out)

    def f(n: int) -> int:
        return window_out_len(n, kernel, stride, dilation, pad_begin, pad_end, auto_pad,
                              rounding)
    k_eff = (kernel - 1) * dilation + 1
    lo_in = max(dim.get_min_length(), 0 if auto_pad.startswith("same") else
                k_eff - (0 if auto_pad == "valid" else pad_begin + pad_end))
    lo = max(f(lo_in), 0)
    hi_in = dim.get_max_length()
    hi = -1 if hi_in < 0 else max(f(hi_in), lo)
    return Dimension(lo, hi)


def resolve_pads(in_dims: Sequence[int], kernel: Sequence[int], strides: Sequence[int],
                 dilations: Sequence[int], pads_begin: Sequence[int], pads_end: Sequence[int],
                 auto_pad: str) -> tuple[list[int], list[int]]:
    """The pads actually applied for concrete input lengths under ``auto_pad``."""
    n = len(in_dims)
    if auto_pad == "valid":
        return [0] * n, [0] * n
    if auto_pad == "explicit":
        return list(pads_begin), list(pads_end)
    begins, ends = [], []
    for i in range(n):
        k_eff = (kernel[i] - 1) * dilations[i] + 1
        out = _ceil_div(in_dims[i], strides[i])
        total = max((out - 1) * strides[i] + k_eff - in_dims[i], 0)
        small, big = total // 2, total - total // 2
        if auto_pad == "same_upper":
            begins.append(small)
            ends.append(big)
        else:
            begins.append(big)
            ends.append(small)
    return begins, ends


def place_padded(x: np.ndarray, pads_begin: Sequence[int], lengths: Sequence[int],
                 fill: Any) -> np.ndarray:
    """``x`` with its trailing ``len(lengths)`` axes padded with ``fill`` (``pads_begin`` in
    front) and cut or extended to ``lengths``; returns ``x`` itself when nothing changes."""
    lead = x.ndim - len(lengths)
    if all(p == 0 for p in pads_begin) and tuple(lengths) == x.shape[lead:]:
        return x
    out = np.full(x.shape[:lead] + tuple(lengths), fill, dtype=x.dtype)
    dst, src = [slice(None)] * lead, [slice(None)] * lead
    for n, pb, length in zip(x.shape[lead:], pads_begin, lengths):
        count = min(n, length - pb)
        if count <= 0:
            return out
        dst.append(slice(pb, pb + count))
        src.append(slice(0, count))
    out[tuple(dst)] = x[tuple(src)]
    return out


def window_view(x: np.ndarray, kernel: Sequence[int], strides: Sequence[int],
                dilations: Sequence[int], pads_begin: Sequence[int], out_dims: Sequence[int],
                fill: Any) -> np.ndarray:
    """The windows of ``x`` ([N, C, *spatial]) as an array [N, C, *out_dims, *kernel]
    (a strided view of one padded copy of ``x``)."""
    k_eff = [(k - 1) * d + 1 for k, d in zip(kernel, dilations)]
    lengths = [(o - 1) * s + ke for o, s, ke in zip(out_dims, strides, k_eff)]
    xp = place_padded(x, pads_begin, lengths, fill)
    nsp = len(kernel)
    win = sliding_window_view(xp, k_eff, axis=tuple(range(2, 2 + nsp)))
    sl = (slice(None), slice(None)) + tuple(slice(None, None, s) for s in strides) \
        + tuple(slice(None, None, d) for d in dilations)
    return win[sl]


def accumulation_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype a convolution/matmul accumulates in: at least f32 for floats, i64/u64 for
    integers."""
    if dtype.kind == "f":
        return np.dtype(np.float64) if dtype == np.float64 else np.dtype(np.float32)
    if dtype.kind == "u":
        return np.dtype(np.uint64)
    if dtype.kind in "ib":
        return np.dtype(np.int64)
    return dtype


# --- references ----------------------------------------------------------------------------
def convolve(x: np.ndarray, w: np.ndarray, strides: Sequence[int], dilations: Sequence[int],
             pads_begin: Sequence[int], pads_end: Sequence[int]) -> np.ndarray:
    """Grouped N-d convolution: ``x`` [N, G*Cg, *S], ``w`` [G, Og, Cg, *K] ->
    [N, G*Og, *out] in the accumulation dtype."""
    acc = accumulation_dtype(x.dtype)
    x = x.astype(acc, copy=False)
    w = w.astype(acc, copy=False)
    n, c = x.shape[:2]
    g, og, cg = w.shape[:3]
    kernel = w.shape[3:]
    nsp = len(kernel)
    out_dims = [window_out_len(d, k, s, dl, pb, pe, "explicit")
                for d, k, s, dl, pb, pe in zip(x.shape[2:], kernel, strides, dilations,
                                               pads_begin, pads_end)]
    if any(o <= 0 for o in out_dims) or n == 0:
        return np.zeros((n, g * og) + tuple(max(o, 0) for o in out_dims), dtype=acc)
    win = window_view(x, kernel, strides, dilations, pads_begin, out_dims, 0)
    if cg == 1:
        # depthwise-like: one input channel per group, so no contraction over channels;
        # accumulate each kernel position's strided view instead of building columns
        win = win.reshape((n, g, 1) + tuple(out_dims) + tuple(kernel))
        out = np.zeros((n, g, og) + tuple(out_dims), dtype=acc)
        wshape = (1, g, og) + (1,) * nsp
        for kp in np.ndindex(*kernel):
            out += win[(Ellipsis,) + kp] * w[(slice(None), slice(None), 0) + kp].reshape(wshape)
        return out.reshape((n, g * og) + tuple(out_dims))
    k_size = int(np.prod(kernel))
    o_size = int(np.prod(out_dims))
    win = win.reshape((n, g, cg) + tuple(out_dims) + tuple(kernel))
    perm = (0, 1, 2) + tuple(range(3 + nsp, 3 + 2 * nsp)) + tuple(range(3, 3 + nsp))
    cols = win.transpose(perm).reshape(n, g, cg * k_size, o_size)
    out = np.matmul(w.reshape(g, og, cg * k_size), cols)
    return out.reshape((n, g * og) + tuple(out_dims))


def convolve_backprop(x: np.ndarray, w: np.ndarray, strides: Sequence[int],
                      dilations: Sequence[int], pads_begin: Sequence[int],
                      out_dims: Sequence[int]) -> np.ndarray:
    """Grouped transposed convolution: ``x`` [N, G*Cg, *I], ``w`` [G, Cg, Og, *K] ->
    [N, G*Og, *out_dims]; output position ``o`` takes the full result at ``o + pads_begin``
    (zero where that falls outside it)."""
    acc = accumulation_dtype(x.dtype)
    x = x.astype(acc, copy=False)
    w = w.astype(acc, copy=False)
    n = x.shape[0]
    in_dims = x.shape[2:]
    g, cg, og = w.shape[:3]
    kernel = w.shape[3:]
    k_size = int(np.prod(kernel))
    full = [s * (i - 1) + (k - 1) * d + 1 for i, k, s, d in zip(in_dims, kernel, strides,
                                                                 dilations)]
    p_size = int(np.prod(in_dims))
    xm = x.reshape(n, g, cg, p_size)
    wm = w.reshape(g, cg, og * k_size).transpose(0, 2, 1)
    cols = np.matmul(wm, xm).reshape((n, g * og) + tuple(kernel) + tuple(in_dims))
    result = np.zeros((n, g * og) + tuple(max(f, 0) for f in full), dtype=acc)
    if min(in_dims, default=1) > 0:
        for kpos in np.ndindex(*kernel):
            sl = tuple(slice(k * d, k * d + s * (i - 1) + 1, s)
                       for k, d, s, i in zip(kpos, dilations, strides, in_dims))
            result[(slice(None), slice(None)) + sl] += cols[(slice(None), slice(None)) + kpos]
    out = np.zeros((n, g * og) + tuple(out_dims), dtype=acc)
    dst, src = [slice(None)] * 2, [slice(None)] * 2
    for f, pb, o in zip(full, pads_begin, out_dims):
        lo, hi = max(pb, 0), min(f, pb + o)
        if hi <= lo:
            return out
        dst.append(slice(lo - pb, hi - pb))
        src.append(slice(lo, hi))
    out[tuple(dst)] = result[tuple(src)]
    return out


def _to_output(value: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return value.astype(dtype, copy=False)


# --- shape inference helpers ------------------------------------------------------------------
def _num_spatial(data: PartialShape, filters: PartialShape, filter_extra: int,
                 attrs: Sequence[Sequence[int] | None]) -> int:
    if data._dims is not None:
        return len(data._dims) - 2
    if filters._dims is not None:
        return len(filters._dims) - filter_extra
    for a in attrs:
        if a:
            return len(a)
    return -1


def _check_conv_type(node: Node, *types: Type) -> Type:
    et = merge_types(node, *types)
    if not (et.is_dynamic() or (et is not Type.boolean and et is not Type.string)):
        node.fail(f"Element type of inputs must be numeric, got {et.get_type_name()}")
    return et


class _ConvolutionBase(Node):
    """Shared attributes and shape inference of forward convolutions. Subclasses say how
    the filter layout maps to channels (``_filter_channels``)."""

    attributes = {
        "strides": Attr.ints(),
        "dilations": Attr.ints(),
        "pads_begin": Attr.ints(),
        "pads_end": Attr.ints(),
        "auto_pad": Attr.enum("explicit"),
    }
    #: filter dims that are not spatial: [C_OUT, C_IN] or [G, C_OUT, C_IN]
    _filter_extra = 2

    def _filter_channels(self, filters: PartialShape) -> tuple[Dimension, Dimension]:
        """(input channels the filters expect, output channels) from a static-rank filter."""
        raise NotImplementedError

    def _static_channels(self, filter_lengths: list[int], filter_dims: list[Dimension]
                         ) -> tuple[int, Dimension]:
        """``_filter_channels`` of a static filter: (input channels as an int, the output
        channel dimension, new)."""
        raise NotImplementedError

    def validate_and_infer_types(self) -> None:
        inputs = self._inputs
        if len(inputs) != 2:
            self.fail(f"{self.type_name} takes data and filters inputs")
        x, w = inputs
        x = x._node._outputs[x._index]
        w = w._node._outputs[w._index]
        et = x.element_type
        if et is not w.element_type or et is Type.boolean or et is Type.string:
            et = _check_conv_type(self, et, w.element_type)
        data = x.partial_shape
        filters = w.partial_shape
        a = self._attrs
        auto_pad = a["auto_pad"]
        if auto_pad != "explicit":
            auto_pad = normalize_auto_pad(self, auto_pad)
        if auto_pad == "explicit" and self._infer_static(et, data, filters):
            return
        nsp = _num_spatial(data, filters, self._filter_extra,
                           [a["strides"], a["dilations"], a["pads_begin"], a["pads_end"]])
        if nsp < 0:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        if nsp < 1:
            self.fail(f"Data batch must have rank of at least 3 (one spatial dimension), "
                      f"got {data}")
        data_dims, filter_dims = data._dims, filters._dims
        if data_dims is not None and filter_dims is not None and \
                len(filter_dims) != len(data_dims) + self._filter_extra - 2:
            self.fail(f"Data batch and filters rank do not match (data batch shape: {data}, "
                      f"filters shape: {filters})")
        strides = spatial_attr(self, "Strides", a["strides"], nsp, 1, 1)
        dilations = spatial_attr(self, "Dilations", a["dilations"], nsp, 1, 1)
        pads_begin, pads_end = explicit_pads(self, auto_pad, a["pads_begin"], a["pads_end"],
                                             nsp)
        if data_dims is not None:
            batch, in_channels = data_dims[0], data_dims[1]
            in_spatial = data_dims[2:]
        else:
            batch, in_channels = Dimension(), Dimension()
            in_spatial = [Dimension()] * nsp
        if filter_dims is not None:
            want_in, channels = self._filter_channels(filters)
            kernel = filter_dims[self._filter_extra:]
            if not in_channels._compatible(want_in):
                self.fail(f"Data batch channel count ({in_channels}) does not match filter "
                          f"input channel count ({want_in})")
        else:
            channels = Dimension()
            kernel = [Dimension()] * nsp
        out_spatial = []
        for i in range(nsp):
            out_spatial.append(window_out_dim(self, in_spatial[i], kernel[i], strides[i],
                                              dilations[i], pads_begin[i], pads_end[i],
                                              auto_pad))
        if auto_pad != "explicit" and all(d.is_static for d in in_spatial) and \
                all(k.is_static for k in kernel):
            pb, pe = resolve_pads([d.get_length() for d in in_spatial],
                                  [k.get_length() for k in kernel], strides, dilations,
                                  pads_begin, pads_end, auto_pad)
            a["pads_begin"], a["pads_end"] = pb, pe
        self.set_output_type(0, et, PartialShape([batch, channels] + out_spatial))

    def _infer_static(self, et: Type, data: PartialShape, filters: PartialShape) -> bool:
        """The output type of an explicitly padded convolution of static shapes whose
        attributes are valid, set without the general path's interval arithmetic; False
        (and nothing set) for anything else, which the general path handles or rejects."""
        data_dims, filter_dims = data._dims, filters._dims
        if data_dims is None or filter_dims is None:
            return False
        nsp = len(data_dims) - 2
        extra = self._filter_extra
        if nsp < 1 or len(filter_dims) != nsp + extra:
            return False
        lengths = [d._min for d in data_dims if d._max == d._min]
        filter_lengths = [d._min for d in filter_dims if d._max == d._min]
        if len(lengths) != nsp + 2 or len(filter_lengths) != nsp + extra:
            return False  # not static
        a = self._attrs
        strides, dilations = a["strides"], a["dilations"]
        begins, ends = a["pads_begin"], a["pads_end"]
        if not (strides and dilations and begins and ends) or len(strides) != nsp or \
                len(dilations) != nsp or len(begins) != nsp or len(ends) != nsp:
            geometry = _static_geometry(a, nsp)  # with the defaults of empty lists
            if geometry is None:
                return False
            strides, dilations, begins, ends = geometry
        elif min(strides) < 1 or min(dilations) < 1 or min(begins) < 0 or min(ends) < 0:
            return False
        want_in, channels = self._static_channels(filter_lengths, filter_dims)
        if want_in != lengths[1]:
            return False
        spatial = []
        for n, k, stride, dilation, begin, end in zip(lengths[2:], filter_lengths[extra:],
                                                      strides, dilations, begins, ends):
            length = (n + begin + end - (k - 1) * dilation - 1) // stride + 1
            if length < 1:
                return False
            spatial.append(length)
        self.set_output_type(0, et, PartialShape._of([_copy_dim(data_dims[0]), channels,
                                                      *_static_dims(spatial)]))
        return True

    def _geometry(self, x: np.ndarray, kernel: Sequence[int]
                  ) -> tuple[list[int], list[int], list[int], list[int]]:
        nsp = x.ndim - 2
        a = self._attrs
        auto_pad = normalize_auto_pad(self, a["auto_pad"])
        strides = spatial_attr(self, "Strides", a["strides"], nsp, 1, 1)
        dilations = spatial_attr(self, "Dilations", a["dilations"], nsp, 1, 1)
        pb, pe = explicit_pads(self, auto_pad, a["pads_begin"], a["pads_end"], nsp)
        pb, pe = resolve_pads(x.shape[2:], kernel, strides, dilations, pb, pe, auto_pad)
        return strides, dilations, pb, pe


class Convolution(_ConvolutionBase):
    """N-d convolution of data [N, C_IN, *S] with filters [C_OUT, C_IN, *K]."""

    type_name = "Convolution"
    version = "opset1"

    def _filter_channels(self, filters: PartialShape) -> tuple[Dimension, Dimension]:
        return filters[1], filters[0]

    def _static_channels(self, filter_lengths: list[int], filter_dims: list[Dimension]
                         ) -> tuple[int, Dimension]:
        return filter_lengths[1], _copy_dim(filter_dims[0])

    def reference(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        strides, dilations, pb, pe = self._geometry(x, w.shape[2:])
        out = convolve(x, w[np.newaxis], strides, dilations, pb, pe)
        return _to_output(out, x.dtype)


class GroupConvolution(_ConvolutionBase):
    """Grouped convolution: filters [G, C_OUT / G, C_IN / G, *K]."""

    type_name = "GroupConvolution"
    version = "opset1"
    # the order the real IR writes them in
    attributes = {
        "strides": Attr.ints(),
        "pads_begin": Attr.ints(),
        "pads_end": Attr.ints(),
        "dilations": Attr.ints(),
        "auto_pad": Attr.enum("explicit"),
    }
    _filter_extra = 3

    def _filter_channels(self, filters: PartialShape) -> tuple[Dimension, Dimension]:
        return filters[0]._mul(filters[2]), filters[0]._mul(filters[1])

    def _static_channels(self, filter_lengths: list[int], filter_dims: list[Dimension]
                         ) -> tuple[int, Dimension]:
        groups = filter_lengths[0]
        return groups * filter_lengths[2], Dimension._static(groups * filter_lengths[1])

    def reference(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        if x.shape[1] != w.shape[0] * w.shape[2]:
            raise RuntimeError(f"GroupConvolution '{self.get_friendly_name()}': data channels "
                               f"{x.shape[1]} != groups {w.shape[0]} x {w.shape[2]}")
        strides, dilations, pb, pe = self._geometry(x, w.shape[3:])
        return _to_output(convolve(x, w, strides, dilations, pb, pe), x.dtype)


class _BackpropBase(Node):
    """Shared attributes and shape inference of the transposed convolutions (optional third
    input: the output's spatial shape)."""

    attributes = {
        "strides": Attr.ints(),
        "pads_begin": Attr.ints(),
        "pads_end": Attr.ints(),
        "dilations": Attr.ints(),
        "auto_pad": Attr.enum("explicit"),
        "output_padding": Attr.ints([]),
    }
    _filter_extra = 2

    def _filter_channels(self, filters: PartialShape) -> tuple[Dimension, Dimension]:
        raise NotImplementedError

    def _settings(self, nsp: int) -> tuple[str, list[int], list[int], list[int], list[int],
                                           list[int]]:
        a = self._attrs
        auto_pad = normalize_auto_pad(self, a["auto_pad"])
        strides = spatial_attr(self, "Strides", a["strides"], nsp, 1, 1)
        dilations = spatial_attr(self, "Dilations", a["dilations"], nsp, 1, 1)
        pb, pe = explicit_pads(self, auto_pad, a["pads_begin"], a["pads_end"], nsp)
        op = spatial_attr(self, "Output padding", a["output_padding"], nsp, 0, 0)
        return auto_pad, strides, dilations, pb, pe, op

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (2, 3),
                   f"{self.type_name} takes data, filters and an optional output_shape")
        et = _check_conv_type(self, self.get_input_element_type(0),
                              self.get_input_element_type(1))
        data = self.get_input_partial_shape(0)
        filters = self.get_input_partial_shape(1)
        has_shape = len(self._inputs) == 3
        out_shape_value = None
        out_shape_len = -1
        if has_shape:
            st = self.get_input_element_type(2)
            self.check(st.is_dynamic() or st.is_integral_number(),
                       f"Element type for output shape should be of integer type, got "
                       f"{st.get_type_name()}")
            sps = self.get_input_partial_shape(2)
            self.check(sps.rank.is_dynamic or len(sps) == 1,
                       f"Spatial shape of output input must be of rank 1, got {sps}")
            if sps.rank.is_static and sps[0].is_static:
                out_shape_len = sps[0].get_length()
            out_shape_value = constant_value(self._inputs[2])
        a = self._attrs
        nsp = _num_spatial(data, filters, self._filter_extra,
                           [a["strides"], a["dilations"], a["pads_begin"], a["pads_end"]])
        if nsp < 0:
            nsp = out_shape_len
        if nsp < 0:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        self.check(nsp >= 1, f"Data batch must have rank of at least 3, got {data}")
        if data.rank.is_static and filters.rank.is_static:
            self.check(len(filters) == len(data) + self._filter_extra - 2,
                       f"Data batch and filters rank do not match (data batch shape: {data}, "
                       f"filters shape: {filters})")
        if out_shape_len >= 0:
            self.check(out_shape_len == nsp,
                       f"Output shape should be defined for all and only spatial dimensions "
                       f"({nsp}), got {out_shape_len} values")
        auto_pad, strides, dilations, pb, pe, op = self._settings(nsp)
        a["output_padding"] = op
        batch, in_channels, channels = Dimension(), Dimension(), Dimension()
        in_spatial = [Dimension()] * nsp
        if data.rank.is_static:
            batch, in_channels = data[0], data[1]
            in_spatial = list(data)[2:]
        kernel = [Dimension()] * nsp
        if filters.rank.is_static:
            want_in, channels = self._filter_channels(filters)
            kernel = list(filters)[self._filter_extra:]
            self.check(in_channels._compatible(want_in),
                       f"Data batch channel count ({in_channels}) does not match filter input "
                       f"channel count ({want_in})")
        if has_shape:
            if out_shape_value is not None:
                vals = [int(v) for v in np.asarray(out_shape_value).reshape(-1)]
                self.check(len(vals) == nsp, f"Output shape should have {nsp} values, "
                                             f"got {vals}")
                out_spatial = [Dimension(v) for v in vals]
            else:
                out_spatial = [Dimension()] * nsp
        else:
            out_spatial = []
            for i in range(nsp):
                d, k = in_spatial[i], kernel[i]
                if d.is_static and k.is_static:
                    v = strides[i] * (d.get_length() - 1) + (k.get_length() - 1) * dilations[i] \
                        + 1 - pb[i] - pe[i] + op[i]
                    self.check(v > 0, f"Output spatial dimension {i} is not positive: {v}")
                    out_spatial.append(Dimension(v))
                elif k.is_static and d.get_max_length() >= 0:
                    def f(n: int, i: int = i, k: int = k.get_length()) -> int:
                        return max(strides[i] * (n - 1) + (k - 1) * dilations[i] + 1
                                   - pb[i] - pe[i] + op[i], 0)
                    out_spatial.append(Dimension(f(max(d.get_min_length(), 1)),
                                                 f(d.get_max_length())))
                elif k.is_static and d.get_min_length() > 1:
                    out_spatial.append(Dimension(max(strides[i] * (d.get_min_length() - 1)
                                                     - pb[i] - pe[i], 0), -1))
                else:
                    out_spatial.append(Dimension())
        self.set_output_type(0, et, PartialShape([batch, channels] + out_spatial))

    def _pads_for(self, in_dims: Sequence[int], kernel: Sequence[int],
                  out_given: Sequence[int] | None) -> tuple[list[int], list[int], list[int]]:
        """(pads_begin, output spatial dims, strides) for concrete input and kernel lengths and
        the optional ``output_shape`` value."""
        nsp = len(in_dims)
        auto_pad, strides, dilations, pb, pe, op = self._settings(nsp)
        full = [s * (i - 1) + (k - 1) * d + 1 for i, k, s, d in zip(in_dims, kernel, strides,
                                                                     dilations)]
        if out_given is None:
            out = [f - b - e + p for f, b, e, p in zip(full, pb, pe, op)]
            return pb, out, strides
        out = list(out_given)
        if auto_pad in ("same_upper", "same_lower"):
            pb = []
            for f, o, p in zip(full, out, op):
                total = max(f - o + p, 0)
                pb.append(total - total // 2 if auto_pad == "same_upper" else total // 2)
        elif auto_pad == "valid":
            pb = [0] * nsp
        return pb, out, strides

    def _run(self, x: np.ndarray, w: np.ndarray, out_shape: np.ndarray | None) -> np.ndarray:
        """``w`` in the grouped layout [G, Cg_in, Og, *K]."""
        kernel = w.shape[3:]
        given = None if out_shape is None else [int(v) for v in np.asarray(out_shape).ravel()]
        pb, out_dims, strides = self._pads_for(x.shape[2:], kernel, given)
        if any(o <= 0 for o in out_dims):
            raise RuntimeError(f"{self.type_name} '{self.get_friendly_name()}': output spatial "
                               f"shape {out_dims} is not positive")
        _, _, dilations, _, _, _ = self._settings(len(kernel))
        out = convolve_backprop(x, w, strides, dilations, pb, out_dims)
        return _to_output(out, x.dtype)


class ConvolutionBackpropData(_BackpropBase):
    """Transposed convolution of data [N, C_IN, *S] with filters [C_IN, C_OUT, *K]."""

    type_name = "ConvolutionBackpropData"
    version = "opset1"

    def _filter_channels(self, filters: PartialShape) -> tuple[Dimension, Dimension]:
        return filters[0], filters[1]

    def reference(self, x: np.ndarray, w: np.ndarray,
                  output_shape: np.ndarray | None = None) -> np.ndarray:
        return self._run(x, w[np.newaxis], output_shape)


class GroupConvolutionBackpropData(_BackpropBase):
    """Grouped transposed convolution: filters [G, C_IN / G, C_OUT / G, *K]."""

    type_name = "GroupConvolutionBackpropData"
    version = "opset1"
    _filter_extra = 3

    def _filter_channels(self, filters: PartialShape) -> tuple[Dimension, Dimension]:
        return filters[0]._mul(filters[1]), filters[0]._mul(filters[2])

    def reference(self, x: np.ndarray, w: np.ndarray,
                  output_shape: np.ndarray | None = None) -> np.ndarray:
        if x.shape[1] != w.shape[0] * w.shape[1]:
            raise RuntimeError(f"GroupConvolutionBackpropData '{self.get_friendly_name()}': "
                               f"data channels {x.shape[1]} != groups {w.shape[0]} x "
                               f"{w.shape[1]}")
        return self._run(x, w, output_shape)


# --- factories ------------------------------------------------------------------------------
def _pad_mode(auto_pad: str | None) -> str:
    return "explicit" if auto_pad is None else auto_pad


@factory("convolution", since=1)
def convolution(data: Any, filters: Any, strides: list[int], pads_begin: list[int],
                pads_end: list[int], dilations: list[int], auto_pad: str = "EXPLICIT",
                name: str | None = None) -> Convolution:
    """Convolution of ``data`` [N, C_IN, *S] with ``filters`` [C_OUT, C_IN, *K]."""
    return Convolution(data, filters, strides=strides, dilations=dilations,
                       pads_begin=pads_begin, pads_end=pads_end, auto_pad=_pad_mode(auto_pad),
                       name=name)


@factory("group_convolution", since=1)
def group_convolution(data: Any, filters: Any, strides: list[int], pads_begin: list[int],
                      pads_end: list[int], dilations: list[int], auto_pad: str = "EXPLICIT",
                      name: str | None = None) -> GroupConvolution:
    """Grouped convolution with ``filters`` [G, C_OUT / G, C_IN / G, *K]."""
    return GroupConvolution(data, filters, strides=strides, dilations=dilations,
                            pads_begin=pads_begin, pads_end=pads_end,
                            auto_pad=_pad_mode(auto_pad), name=name)


def _backprop_args(data: Any, filters: Any, output_shape: Any) -> tuple:
    return (data, filters) if output_shape is None else (data, filters, output_shape)


@factory("convolution_backprop_data", since=1)
def convolution_backprop_data(data: Any, filters: Any, strides: list[int],
                              output_shape: Any = None, pads_begin: list[int] | None = None,
                              pads_end: list[int] | None = None,
                              dilations: list[int] | None = None, auto_pad: str | None = None,
                              output_padding: list[int] | None = None,
                              name: str | None = None) -> ConvolutionBackpropData:
    """Transposed convolution; ``output_shape`` (optional) fixes the output spatial shape."""
    return ConvolutionBackpropData(*_backprop_args(data, filters, output_shape),
                                   strides=strides, dilations=dilations or [],
                                   pads_begin=pads_begin or [], pads_end=pads_end or [],
                                   auto_pad=_pad_mode(auto_pad),
                                   output_padding=output_padding or [], name=name)


@factory("group_convolution_backprop_data", since=1)
def group_convolution_backprop_data(data: Any, filters: Any, strides: list[int],
                                    output_shape: Any = None,
                                    pads_begin: list[int] | None = None,
                                    pads_end: list[int] | None = None,
                                    dilations: list[int] | None = None,
                                    auto_pad: str = "EXPLICIT",
                                    output_padding: list[int] | None = None,
                                    name: str | None = None) -> GroupConvolutionBackpropData:
    """Grouped transposed convolution with ``filters`` [G, C_IN / G, C_OUT / G, *K]."""
    return GroupConvolutionBackpropData(*_backprop_args(data, filters, output_shape),
                                        strides=strides, dilations=dilations or [],
                                        pads_begin=pads_begin or [], pads_end=pads_end or [],
                                        auto_pad=_pad_mode(auto_pad),
                                        output_padding=output_padding or [], name=name)

