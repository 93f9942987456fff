"""Pooling: MaxPool (v1, v8, v14), AvgPool (v1, v14), AdaptiveAvgPool and AdaptiveMaxPool.

Pooling slides a window over the spatial axes of [N, C, *spatial] data, with the same
geometry as the convolutions (``auto_pad``, explicit pads) plus ``rounding_type``
(``floor``, ``ceil``; ``ceil_torch`` from v14, which drops a last window that would start in
the end padding). The references reduce a strided window view of the padded input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape, _copy_dim, _static_dims
from .._type import Type
from ._infer import constant_value, normalize_axis
from .conversion import round_to_integer
from .convolution import (
    explicit_pads,
    normalize_auto_pad,
    resolve_pads,
    spatial_attr,
    window_out_dim,
    window_out_len,
    window_view,
)

__all__ = ["MaxPool1", "MaxPool8", "MaxPool", "AvgPool1", "AvgPool14", "AvgPool", "AdaptiveAvgPool",
           "AdaptiveMaxPool"]


class _Geometry:
    """The resolved window attributes of one pooling node for ``num_spatial`` axes."""

    __slots__ = ("kernel", "strides", "dilations", "pads_begin", "pads_end", "auto_pad",
                 "rounding")

    def __init__(self, node: _Pool, num_spatial: int) -> None:
        a = node._attrs
        self.kernel = spatial_attr(node, "Kernel", a["kernel"], num_spatial, 1, 1)
        if len(a["kernel"]) != num_spatial:
            node.fail(f"Kernel should be defined for all and only spatial dimensions "
                      f"({num_spatial}), got {a['kernel']}")
        self.strides = spatial_attr(node, "Strides", a["strides"], num_spatial, 1, 1)
        self.dilations = spatial_attr(node, "Dilations", a.get("dilations"), num_spatial, 1, 1)
        self.auto_pad = normalize_auto_pad(node, a["auto_pad"])
        self.pads_begin, self.pads_end = explicit_pads(node, self.auto_pad, a["pads_begin"],
                                                       a["pads_end"], num_spatial)
        self.rounding = a["rounding_type"]

    def out_dims(self, in_dims: Sequence[int]) -> list[int]:
        return [window_out_len(n, k, s, d, pb, pe, self.auto_pad, self.rounding)
                for n, k, s, d, pb, pe in zip(in_dims, self.kernel, self.strides,
                                              self.dilations, self.pads_begin, self.pads_end)]

    def resolved_pads(self, in_dims: Sequence[int]) -> tuple[list[int], list[int]]:
        return resolve_pads(in_dims, self.kernel, self.strides, self.dilations,
                            self.pads_begin, self.pads_end, self.auto_pad)


class _Pool(Node):
    """Shared validation and shape inference of MaxPool and AvgPool."""

    rounding_types: tuple[str, ...] = ("floor", "ceil")

    def _check_input(self) -> Type:
        if len(self._inputs) != 1:
            self.fail(f"{self.type_name} takes one input")
        et = self.get_input_element_type(0)
        if not (et.is_dynamic() or (et is not Type.boolean and et is not Type.string)):
            self.fail(f"{self.type_name} expects a numeric element type, got {et.get_type_name()}")
        rt = self._attrs["rounding_type"]
        if rt not in self.rounding_types:
            self.fail(f"Unsupported rounding_type '{rt}' (expected one of "
                      f"{', '.join(self.rounding_types)})")
        return et

    def _output_shape(self) -> PartialShape:
        data = self.get_input_partial_shape(0)
        nsp = len(self._attrs["kernel"])
        if nsp < 1:
            self.fail(f"Kernel must have at least one spatial dimension, "
                      f"got {self._attrs['kernel']}")
        if data._dims is not None:
            if len(data._dims) != nsp + 2:
                self.fail(f"Expected a {nsp + 2}D input for a {nsp}D kernel, got {data}")
            static = self._static_output_shape(data._dims, nsp)
            if static is not None:
                return static
        geo = _Geometry(self, nsp)
        if data._dims is None:
            return PartialShape([Dimension()] * (nsp + 2))
        dims = list(data._dims)
        out = dims[:2]
        for i in range(nsp):
            out.append(window_out_dim(self, dims[2 + i], geo.kernel[i], geo.strides[i],
                                      geo.dilations[i], geo.pads_begin[i], geo.pads_end[i],
                                      geo.auto_pad, geo.rounding))
        if geo.auto_pad != "explicit" and all(d.is_static for d in dims[2:]):
            pb, pe = geo.resolved_pads([d.get_length() for d in dims[2:]])
            self._attrs["pads_begin"], self._attrs["pads_end"] = pb, pe
        return PartialShape(out)

    def _static_output_shape(self, dims: list[Dimension], nsp: int) -> PartialShape | None:
        """The output shape of explicitly padded pooling over static ``dims`` whose window
        attributes are valid, without the general path's interval arithmetic; None for
        anything else, which the general path handles or rejects."""
        lengths = [d._min for d in dims if d._max == d._min]
        a = self._attrs
        if len(lengths) != nsp + 2 or a["auto_pad"] != "explicit":
            return None
        kernel = a["kernel"]
        strides = a["strides"] or [1] * nsp
        dilations = a.get("dilations") or [1] * nsp
        begins = a["pads_begin"] or [0] * nsp
        ends = a["pads_end"] or [0] * nsp
        if len(strides) != nsp or len(dilations) != nsp or len(begins) != nsp or \
                len(ends) != nsp or min(kernel) < 1 or min(strides) < 1 or \
                min(dilations) < 1 or min(begins) < 0 or min(ends) < 0:
            return None
        rounding = a["rounding_type"]
        spatial = []
        for n, k, stride, dilation, begin, end in zip(lengths[2:], kernel, strides, dilations,
                                                      begins, ends):
            length = window_out_len(n, k, stride, dilation, begin, end, "explicit", rounding)
            if length < 0:
                return None
            spatial.append(length)
        return PartialShape._of([_copy_dim(dims[0]), _copy_dim(dims[1]),
                                 *_static_dims(spatial)])


def _lowest(dtype: np.dtype) -> Any:
    if dtype.kind == "f":
        return -np.inf
    return np.iinfo(dtype).min


def max_pool_reference(node: _Pool, x: np.ndarray, geo: _Geometry, axis: int | None
                       ) -> tuple[np.ndarray, np.ndarray | None]:
    """(values, flat indices from ``axis`` on, or None when ``axis`` is None)."""
    in_dims = x.shape[2:]
    nsp = len(in_dims)
    out_dims = geo.out_dims(in_dims)
    if any(o < 0 for o in out_dims):
        raise RuntimeError(f"{node.type_name} '{node.get_friendly_name()}': the window does "
                           f"not fit into the padded input {list(x.shape)}")
    out_shape = x.shape[:2] + tuple(out_dims)
    if 0 in out_shape:
        return np.zeros(out_shape, x.dtype), np.zeros(out_shape, np.int64)
    pb, _ = geo.resolved_pads(in_dims)
    win = window_view(x, geo.kernel, geo.strides, geo.dilations, pb, out_dims, _lowest(x.dtype))
    # one pass per kernel position over strided views: the first maximum wins
    values = None
    arg = np.zeros(out_shape, dtype=np.int64) if axis is not None else None
    for k, kp in enumerate(np.ndindex(*geo.kernel)):
        sl = win[(Ellipsis,) + kp]
        if values is None:
            values = sl.copy()
            continue
        if arg is None:
            np.maximum(values, sl, out=values)
            continue
        better = sl > values
        np.copyto(values, sl, where=better)
        arg[better] = k
    if axis is None:
        return values, None
    kpos = np.unravel_index(arg, geo.kernel)
    coords: list[Any] = [np.arange(x.shape[0]).reshape((-1,) + (1,) * (nsp + 1)),
                         np.arange(x.shape[1]).reshape((1, -1) + (1,) * nsp)]
    for i in range(nsp):
        o = np.arange(out_dims[i]).reshape((1, 1) + tuple(-1 if j == i else 1
                                                          for j in range(nsp)))
        coords.append(o * geo.strides[i] - pb[i] + kpos[i] * geo.dilations[i])
    index = np.zeros(out_shape, dtype=np.int64)
    for j in range(axis, x.ndim):
        index = index * x.shape[j] + coords[j]
    return values, index


class _MaxPoolBase(_Pool):
    def reference(self, x: np.ndarray) -> Any:
        geo = _Geometry(self, x.ndim - 2)
        if len(self._outputs) == 1:
            return max_pool_reference(self, x, geo, None)[0]
        axis = normalize_axis(self, self._attrs["axis"], x.ndim)
        values, index = max_pool_reference(self, x, geo, axis)
        return values, index.astype(self._attrs["index_element_type"].evaluation_dtype)


class MaxPool1(_MaxPoolBase):
    """Max pooling (v1): one output."""

    type_name = "MaxPool"
    version = "opset1"
    attributes = {
        "strides": Attr.ints(),
        "pads_begin": Attr.ints(),
        "pads_end": Attr.ints(),
        "kernel": Attr.ints(),
        "rounding_type": Attr.enum("floor"),
        "auto_pad": Attr.enum("explicit"),
    }

    def validate_and_infer_types(self) -> None:
        et = self._check_input()
        shape = self._output_shape()
        self.set_output_type(0, et, shape)


class MaxPool8(_MaxPoolBase):
    """Max pooling (v8): dilations, and a second output with the indices of the maxima
    (flattened from dimension ``axis`` on)."""

    type_name = "MaxPool"
    version = "opset8"
    attributes = {
        "strides": Attr.ints(),
        "dilations": Attr.ints([]),
        "pads_begin": Attr.ints(),
        "pads_end": Attr.ints(),
        "kernel": Attr.ints(),
        "rounding_type": Attr.enum("floor"),
        "auto_pad": Attr.enum("explicit"),
        "index_element_type": Attr.type(Type.i64),
        "axis": Attr.int(0),
    }

    def validate_and_infer_types(self) -> None:
        et = self._check_input()
        it = self._attrs["index_element_type"]
        self.check(it in (Type.i32, Type.i64),
                   f"Index element type must be i32 or i64, got {it.get_type_name()}")
        shape = self._output_shape()
        data = self.get_input_partial_shape(0)
        if data.rank.is_static:
            normalize_axis(self, self._attrs["axis"], len(data))
        self.set_output_type(0, et, shape)
        self.set_output_type(1, it, PartialShape(shape))


class MaxPool(MaxPool8):
    """Max pooling (v14): v8 plus ``rounding_type="ceil_torch"``."""

    type_name = "MaxPool"
    version = "opset14"
    rounding_types = ("floor", "ceil", "ceil_torch")


class _AvgPoolBase(_Pool):
    attributes = {
        "kernel": Attr.ints(),
        "strides": Attr.ints(),
        "pads_begin": Attr.ints(),
        "pads_end": Attr.ints(),
        "exclude_pad": Attr("bool", False, ir_name="exclude-pad"),
        "auto_pad": Attr.enum("explicit"),
        "rounding_type": Attr.enum("floor"),
    }

    def validate_and_infer_types(self) -> None:
        et = self._check_input()
        shape = self._output_shape()
        self.set_output_type(0, et, shape)

    def reference(self, x: np.ndarray) -> np.ndarray:
        nsp = x.ndim - 2
        geo = _Geometry(self, nsp)
        in_dims = x.shape[2:]
        out_dims = geo.out_dims(in_dims)
        if any(o < 0 for o in out_dims):
            raise RuntimeError(f"AvgPool '{self.get_friendly_name()}': the window does not fit "
                               f"into the padded input {list(x.shape)}")
        out_shape = x.shape[:2] + tuple(out_dims)
        if 0 in out_shape:
            return np.zeros(out_shape, x.dtype)
        acc = np.float64 if x.dtype == np.float64 or x.dtype.kind in "iu" else np.float32
        pb, pe = geo.resolved_pads(in_dims)
        win = window_view(x.astype(acc, copy=False), geo.kernel, geo.strides, geo.dilations,
                          pb, out_dims, 0)
        total = np.zeros(out_shape, dtype=acc)
        for kp in np.ndindex(*geo.kernel):
            total += win[(Ellipsis,) + kp]
        count = np.ones((1, 1) + (1,) * nsp, dtype=acc)
        # the divisor, as OpenVINO's reference: the whole window when padding counts and
        # there is padding (also for a ceil-rounded last window reaching past the end
        # padding), else the window's taps (dilated from v16) inside the input
        whole = not self._attrs["exclude_pad"] and (any(pb) or any(pe))
        for i in range(nsp):
            start = np.arange(out_dims[i]) * geo.strides[i] - pb[i]
            taps = start[:, None] + np.arange(geo.kernel[i]) * geo.dilations[i]
            inside = np.ones(taps.shape, bool) if whole else (taps >= 0) & (taps < in_dims[i])
            c = inside.sum(axis=1).astype(acc)
            count = count * c.reshape((1, 1) + tuple(-1 if j == i else 1 for j in range(nsp)))
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(count > 0, total / np.where(count > 0, count, 1), 0)
        if x.dtype.kind in "iu":
            return round_to_integer(out, x.dtype)
        return out.astype(x.dtype)


class AvgPool1(_AvgPoolBase):
    """Average pooling (v1); ``exclude-pad`` leaves padding out of the divisor."""

    type_name = "AvgPool"
    version = "opset1"


class AvgPool14(_AvgPoolBase):
    """Average pooling (v14): v1 plus ``rounding_type="ceil_torch"``."""

    type_name = "AvgPool"
    version = "opset14"
    rounding_types = ("floor", "ceil", "ceil_torch")


class AvgPool(AvgPool14):
    """Average pooling (v16): v14 plus ``dilations``; the divisor counts the window's
    dilated taps inside the input (``exclude-pad``) or inside the padded input."""

    type_name = "AvgPool"
    version = "opset16"
    attributes = {**_AvgPoolBase.attributes, "dilations": Attr.ints([])}


# --- adaptive pooling ----------------------------------------------------------------------------
def _adaptive_bounds(n: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each adaptive window: floor(i*n/out) .. ceil((i+1)*n/out)."""
    i = np.arange(out, dtype=np.int64)
    return (i * n) // out, -((-(i + 1) * n) // out)


class _Adaptive(Node):
    def _spatial_out(self) -> tuple[PartialShape, Type]:
        self.check(len(self._inputs) == 2,
                   f"{self.type_name} takes data and output_shape inputs")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or et.is_real() or et.is_integral_number(),
                   f"{self.type_name} expects a numeric element type, got {et.get_type_name()}")
        st = self.get_input_element_type(1)
        self.check(st.is_dynamic() or st in (Type.i32, Type.i64),
                   f"Output shape must be of type i32 or i64, got {st.get_type_name()}")
        data = self.get_input_partial_shape(0)
        sps = self.get_input_partial_shape(1)
        self.check(sps.rank.is_dynamic or len(sps) == 1,
                   f"Output shape must be a 1D tensor, got {sps}")
        if data.rank.is_static:
            self.check(3 <= len(data) <= 5, f"Expected a 3D, 4D or 5D input, got {data}")
        nsp = len(data) - 2 if data.rank.is_static else -1
        if sps.rank.is_static and sps[0].is_static:
            n = sps[0].get_length()
            self.check(nsp < 0 or n == nsp,
                       f"Output shape for spatial dimension not compatible with data shape: "
                       f"{n} values for {nsp} spatial dimensions")
            nsp = n
        if nsp < 0:
            return PartialShape.dynamic(), et
        value = constant_value(self._inputs[1])
        if value is not None:
            vals = [int(v) for v in np.asarray(value).reshape(-1)]
            self.check(all(v >= 0 for v in vals), f"Output shape must be non-negative: {vals}")
            spatial = [Dimension(v) for v in vals]
        else:
            spatial = [Dimension()] * nsp
        head = list(data)[:2] if data.rank.is_static else [Dimension(), Dimension()]
        return PartialShape(head + spatial), et

    @staticmethod
    def _out_dims(x: np.ndarray, output_shape: np.ndarray) -> list[int]:
        out = [int(v) for v in np.asarray(output_shape).reshape(-1)]
        if len(out) != x.ndim - 2:
            raise RuntimeError(f"Adaptive pooling: {len(out)} output sizes for "
                               f"{x.ndim - 2} spatial dimensions")
        return out


class AdaptiveAvgPool(_Adaptive):
    """Average over adaptive windows that cover the input evenly."""

    type_name = "AdaptiveAvgPool"
    version = "opset8"

    def validate_and_infer_types(self) -> None:
        shape, et = self._spatial_out()
        self.set_output_type(0, et, shape)

    def reference(self, x: np.ndarray, output_shape: np.ndarray) -> np.ndarray:
        acc = np.float64
        y = x.astype(acc)
        for i, out in enumerate(self._out_dims(x, output_shape)):
            ax = 2 + i
            start, end = _adaptive_bounds(x.shape[ax], out)
            cs = np.cumsum(y, axis=ax)
            zero = np.zeros_like(np.take(cs, [0], axis=ax))
            cs = np.concatenate([zero, cs], axis=ax)
            width = (end - start).astype(acc).reshape([-1 if j == ax else 1
                                                       for j in range(x.ndim)])
            y = (np.take(cs, end, axis=ax) - np.take(cs, start, axis=ax)) / width
        if x.dtype.kind in "iu":
            return round_to_integer(y, x.dtype)
        return y.astype(x.dtype)


class AdaptiveMaxPool(_Adaptive):
    """Max over adaptive windows; the second output holds each maximum's index in the
    flattened spatial dimensions."""

    type_name = "AdaptiveMaxPool"
    version = "opset8"
    attributes = {"index_element_type": Attr.type(Type.i64)}

    def validate_and_infer_types(self) -> None:
        it = self._attrs["index_element_type"]
        self.check(it in (Type.i32, Type.i64),
                   f"Index element type must be i32 or i64, got {it.get_type_name()}")
        shape, et = self._spatial_out()
        self.set_output_type(0, et, shape)
        self.set_output_type(1, it, PartialShape(shape))

    def reference(self, x: np.ndarray, output_shape: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        out_dims = self._out_dims(x, output_shape)
        in_dims = x.shape[2:]
        nsp = len(in_dims)
        bounds = [_adaptive_bounds(n, o) for n, o in zip(in_dims, out_dims)]
        values = np.zeros(x.shape[:2] + tuple(out_dims), dtype=x.dtype)
        index = np.zeros(values.shape, dtype=np.int64)
        lead = x.shape[:2]
        for pos in np.ndindex(*out_dims):
            starts = [int(bounds[i][0][p]) for i, p in enumerate(pos)]
            ends = [int(bounds[i][1][p]) for i, p in enumerate(pos)]
            box = x[(slice(None), slice(None)) + tuple(slice(s, e) for s, e in
                                                       zip(starts, ends))]
            flat = box.reshape(lead + (-1,))
            arg = flat.argmax(axis=-1)
            values[(Ellipsis,) + pos] = np.take_along_axis(flat, arg[..., None], -1)[..., 0]
            local = np.unravel_index(arg, tuple(e - s for s, e in zip(starts, ends)))
            flat_index = np.zeros(lead, dtype=np.int64)
            for i in range(nsp):
                flat_index = flat_index * in_dims[i] + (local[i] + starts[i])
            index[(Ellipsis,) + pos] = flat_index
        return values, index.astype(self._attrs["index_element_type"].evaluation_dtype)


# --- factories ------------------------------------------------------------------------------
def _pad_mode(auto_pad: str | None) -> str:
    return "explicit" if auto_pad is None else auto_pad


@factory("max_pool", since=1)
def max_pool1(data: Any, strides: list[int], pads_begin: list[int], pads_end: list[int],
              kernel_shape: list[int], rounding_type: str = "floor", auto_pad: str | None = None,
              name: str | None = None) -> MaxPool1:
    """Max pooling over the spatial axes of ``data`` [N, C, *S]."""
    return MaxPool1(data, strides=strides, pads_begin=pads_begin, pads_end=pads_end,
                    kernel=kernel_shape, rounding_type=rounding_type,
                    auto_pad=_pad_mode(auto_pad), name=name)


@factory("max_pool", since=8)
def max_pool8(data: Any, strides: list[int], dilations: list[int], pads_begin: list[int],
              pads_end: list[int], kernel_shape: list[int], rounding_type: str = "floor",
              auto_pad: str | None = None, index_element_type: Any = "i64", axis: int = 0,
              name: str | None = None) -> MaxPool8:
    """Max pooling with dilations; outputs the maxima and their indices."""
    return MaxPool8(data, strides=strides, dilations=dilations, pads_begin=pads_begin,
                    pads_end=pads_end, kernel=kernel_shape, rounding_type=rounding_type,
                    auto_pad=_pad_mode(auto_pad), index_element_type=index_element_type,
                    axis=axis, name=name)


@factory("max_pool", since=14)
def max_pool(data: Any, strides: list[int], dilations: list[int], pads_begin: list[int],
             pads_end: list[int], kernel_shape: list[int], rounding_type: str = "floor",
             auto_pad: str | None = None, index_element_type: Any = "i64", axis: int = 0,
             name: str | None = None) -> MaxPool:
    """Max pooling (v14, adds ``rounding_type="ceil_torch"``); outputs maxima and indices."""
    return MaxPool(data, strides=strides, dilations=dilations, pads_begin=pads_begin,
                   pads_end=pads_end, kernel=kernel_shape, rounding_type=rounding_type,
                   auto_pad=_pad_mode(auto_pad), index_element_type=index_element_type,
                   axis=axis, name=name)


@factory("avg_pool", since=1)
def avg_pool1(data_batch: Any, strides: list[int], pads_begin: list[int], pads_end: list[int],
              kernel_shape: list[int], exclude_pad: bool, rounding_type: str = "floor",
              auto_pad: str | None = None, name: str | None = None) -> AvgPool1:
    """Average pooling; ``exclude_pad`` leaves padded elements out of the divisor."""
    return AvgPool1(data_batch, strides=strides, pads_begin=pads_begin, pads_end=pads_end,
                    kernel=kernel_shape, exclude_pad=exclude_pad, rounding_type=rounding_type,
                    auto_pad=_pad_mode(auto_pad), name=name)


@factory("avg_pool", since=14, until=16)
def avg_pool14(data_batch: Any, strides: list[int], pads_begin: list[int],
               pads_end: list[int], kernel_shape: list[int], exclude_pad: bool,
               rounding_type: str = "floor", auto_pad: str | None = None,
               name: str | None = None) -> AvgPool14:
    """Average pooling (v14, adds ``rounding_type="ceil_torch"``)."""
    return AvgPool14(data_batch, strides=strides, pads_begin=pads_begin, pads_end=pads_end,
                     kernel=kernel_shape, exclude_pad=exclude_pad,
                     rounding_type=rounding_type, auto_pad=_pad_mode(auto_pad), name=name)


@factory("avg_pool", since=16)
def avg_pool(data_batch: Any, strides: list[int], pads_begin: list[int], pads_end: list[int],
             kernel_shape: list[int], exclude_pad: bool, rounding_type: str = "floor",
             auto_pad: str | None = None, dilations: list[int] | None = None,
             name: str | None = None) -> AvgPool:
    """Average pooling (v16, adds ``dilations``; all ones when left out)."""
    return AvgPool(data_batch, dilations=list(dilations or [1] * len(kernel_shape)),
                   strides=strides, pads_begin=pads_begin, pads_end=pads_end,
                   kernel=kernel_shape, exclude_pad=exclude_pad, rounding_type=rounding_type,
                   auto_pad=_pad_mode(auto_pad), name=name)


@factory("adaptive_avg_pool", since=8)
def adaptive_avg_pool(data: Any, output_shape: Any, name: str | None = None) -> AdaptiveAvgPool:
    """Average pooling with windows chosen so the output has ``output_shape`` spatially."""
    return AdaptiveAvgPool(data, output_shape, name=name)


@factory("adaptive_max_pool", since=8)
def adaptive_max_pool(data: Any, output_shape: Any, index_element_type: Any = "i64",
                      name: str | None = None) -> AdaptiveMaxPool:
    """Max pooling with windows chosen so the output has ``output_shape`` spatially; outputs
    maxima and their flattened spatial indices."""
    return AdaptiveMaxPool(data, output_shape, index_element_type=index_element_type,
                           name=name)
