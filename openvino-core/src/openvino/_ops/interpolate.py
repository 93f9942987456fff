"""Interpolate (v1/opset1, v4, v11): resizing along chosen axes.

The input is first zero-padded by ``pads_begin``/``pads_end``; each resized axis maps an
output coordinate to a source coordinate (``coordinate_transformation_mode``) and combines
source elements by ``mode``:

* ``nearest``: the source element chosen by ``nearest_mode``;
* ``linear_onnx``: the two neighbours, coordinates clamped to the axis;
* ``linear``: a triangle filter (widened by the scale when ``antialias`` and downsampling),
  normalized over the source elements inside the axis;
* ``cubic``: four neighbours with the Keys kernel of ``cube_coeff`` (clamped at the border);
* ``bilinear_pillow`` / ``bicubic_pillow`` (v11): Pillow's separable resampling filters,
  the horizontal axis first.

All of these are separable, so the reference resamples one axis after the other. Source
coordinates are computed in f32, as the real runtime does. Integer data is resampled in f32
and stored rounded to nearest (ties to even) and saturated, as the runtime stores it; the
Pillow modes store the intermediate pass that way too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._infer import constant_value, normalize_axes
from .conversion import round_to_integer

__all__ = ["Interpolate1", "Interpolate4", "Interpolate", "AxisTable", "ResamplePlan",
           "resample_plan"]

MODES = ("nearest", "linear", "linear_onnx", "cubic")
PILLOW_MODES = ("bilinear_pillow", "bicubic_pillow")
COORDINATE_MODES = ("half_pixel", "pytorch_half_pixel", "asymmetric", "tf_half_pixel_for_nn",
                    "align_corners")
NEAREST_MODES = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple")
_F32 = np.float32
_SCALE_EPS = _F32(1.0e-6)


# --- coordinate maps ------------------------------------------------------------------------
def source_coords(out_len: int, in_len: int, scale: float, mode: str) -> np.ndarray:
    """The f32 source coordinate of every output index along one axis."""
    x = np.arange(out_len, dtype=_F32)
    s = _F32(scale)
    half = _F32(0.5)
    if mode == "half_pixel":
        return (x + half) / s - half
    if mode == "pytorch_half_pixel":
        return (x + half) / s - half if out_len > 1 else np.zeros(out_len, _F32)
    if mode == "asymmetric":
        return x / s
    if mode == "tf_half_pixel_for_nn":
        return (x + half) / s
    if mode == "align_corners":
        if out_len == 1:
            return np.zeros(1, _F32)
        return x * _F32(in_len - 1) / _F32(out_len - 1)
    raise RuntimeError(f"Unsupported coordinate_transformation_mode '{mode}'")


def nearest_index(coords: np.ndarray, mode: str, downsample: bool, in_len: int) -> np.ndarray:
    """Rounded source indices, clamped to the axis."""
    fl = np.floor(coords)
    if mode == "round_prefer_floor":
        idx = np.where(coords == fl + _F32(0.5), fl, np.round(coords))
    elif mode == "round_prefer_ceil":
        idx = np.where(coords >= 0, np.floor(coords + _F32(0.5)), np.ceil(coords - _F32(0.5)))
    elif mode == "floor":
        idx = fl
    elif mode == "ceil":
        idx = np.ceil(coords)
    elif mode == "simple":
        idx = np.ceil(coords) if downsample else np.trunc(coords)
    else:
        raise RuntimeError(f"Unsupported nearest_mode '{mode}'")
    return np.clip(idx.astype(np.int64), 0, in_len - 1)


def _cubic_coeffs(t: np.ndarray, a: float) -> np.ndarray:
    """[out, 4] weights of the taps at floor-1 .. floor+2 for fractional offsets ``t``."""
    t = np.abs(t.astype(np.float64))
    c0 = a * (t - 1.0) * (t - 1.0) * t
    c1 = ((a + 2.0) * t - (a + 3.0)) * t * t + 1.0
    c2 = (((-a - 2.0) * t + (2.0 * a + 3.0)) * t - a) * t
    c3 = -a * t * t * (t - 1.0)
    return np.stack([c0, c1, c2, c3], axis=-1)


def _pillow_filter(x: np.ndarray, cubic: bool, a: float) -> np.ndarray:
    x = np.abs(x)
    if not cubic:
        return np.maximum(1.0 - x, 0.0)
    inner = ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    outer = (((x - 5.0) * x + 8.0) * x - 4.0) * a
    return np.where(x < 1.0, inner, np.where(x < 2.0, outer, 0.0))


class _AxisPlan:
    """Which source elements (``index`` [out, taps]) each output element of one axis
    combines, with which ``weight`` ([out, taps]; None for a plain gather)."""

    __slots__ = ("index", "weight")

    def __init__(self, index: np.ndarray, weight: np.ndarray | None) -> None:
        self.index = index
        self.weight = weight


def plan_axis(mode: str, in_len: int, out_len: int, scale: float, coord_mode: str,
              nearest_mode: str, cube_coeff: float, antialias_a: float) -> _AxisPlan:
    """The resampling of one axis from ``in_len`` to ``out_len`` elements."""
    if mode in PILLOW_MODES:
        return _plan_pillow(mode == "bicubic_pillow", in_len, out_len, cube_coeff)
    coords = source_coords(out_len, in_len, scale, coord_mode)
    if mode == "nearest":
        idx = nearest_index(coords, nearest_mode, _F32(scale) < 1, in_len)
        return _AxisPlan(idx[:, None], None)
    if mode == "linear_onnx":
        c = np.clip(coords, _F32(0), _F32(in_len - 1))
        i1 = np.clip(c.astype(np.int64), 0, in_len - 1)
        i2 = np.minimum(i1 + 1, in_len - 1)
        d1 = np.abs(c - i1.astype(_F32))
        d2 = np.abs(c - i2.astype(_F32))
        same = i1 == i2
        d1 = np.where(same, _F32(0.5), d1)
        d2 = np.where(same, _F32(0.5), d2)
        return _AxisPlan(np.stack([i1, i2], -1), np.stack([d2, d1], -1).astype(np.float64))
    if mode == "cubic":
        base = np.floor(coords)
        w = _cubic_coeffs(coords - base, cube_coeff)
        taps = base.astype(np.int64)[:, None] + np.arange(-1, 3)[None, :]
        return _AxisPlan(np.clip(taps, 0, in_len - 1), w)
    if mode == "linear":
        a = antialias_a
        r = 2 if scale > 1.0 else int(np.ceil(2.0 / a))
        center = np.round(coords.astype(np.float64)).astype(np.int64)
        taps = center[:, None] + np.arange(-r, r + 1)[None, :]
        valid = (taps >= 0) & (taps < in_len)
        dz = coords.astype(np.float64)[:, None] - taps
        w = np.maximum(0.0, 1.0 - np.abs(a * dz)) * valid
        total = w.sum(axis=1, keepdims=True)
        w = np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0)
        return _AxisPlan(np.clip(taps, 0, in_len - 1), w)
    raise RuntimeError(f"Unsupported interpolation mode '{mode}'")


def _plan_pillow(cubic: bool, in_len: int, out_len: int, a: float) -> _AxisPlan:
    support = 2.0 if cubic else 1.0
    scale = in_len / out_len
    filterscale = max(scale, 1.0)
    support *= filterscale
    centers = (np.arange(out_len) + 0.5) * scale
    xmin = np.maximum(np.trunc(centers - support + 0.5).astype(np.int64), 0)
    xmax = np.minimum(np.trunc(centers + support + 0.5).astype(np.int64), in_len)
    taps_n = int(max((xmax - xmin).max(initial=1), 1))
    taps = xmin[:, None] + np.arange(taps_n)[None, :]
    valid = taps < xmax[:, None]
    w = _pillow_filter((taps - centers[:, None] + 0.5) / filterscale, cubic, a) * valid
    total = w.sum(axis=1, keepdims=True)
    w = np.where(total != 0, w / np.where(total != 0, total, 1.0), 0.0)
    return _AxisPlan(np.clip(taps, 0, in_len - 1), w)


def resample_axis(x: np.ndarray, axis: int, plan: _AxisPlan) -> np.ndarray:
    """Apply one axis plan to ``x`` (weights broadcast along ``axis``); index -1 reads a zero
    (a padding position), no taps at all give zeros."""
    n_out, taps = plan.index.shape
    if taps == 0:
        shape = list(x.shape)
        shape[axis] = n_out
        return np.zeros(shape, x.dtype if plan.weight is None else np.float64)
    index = plan.index
    if (index < 0).any():
        pad = [(0, 0)] * x.ndim
        pad[axis] = (0, 1)
        index = np.where(index < 0, x.shape[axis], index)
        x = np.pad(x, pad)
    if plan.weight is None:
        return np.take(x, index[:, 0], axis=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    out = None
    for t in range(taps):
        term = np.take(x, index[:, t], axis=axis) * plan.weight[:, t].reshape(shape)
        out = term if out is None else out + term
    return out


def correct_pads(pads: Sequence[int], rank: int) -> list[int]:
    """Pads extended with zeros or cut to ``rank`` entries."""
    p = [int(v) for v in pads][:rank]
    return p + [0] * (rank - len(p))


def scaled_length(length: int, scale: float) -> int:
    """The output length for ``scale``, computed in f32 like the real runtime."""
    return int(_F32(length) * (_F32(scale) + _SCALE_EPS))


class AxisTable:
    """The resampling of one axis of the (unpadded) input: output element ``j`` along
    ``axis`` combines the source elements ``index[j, :]`` (-1: a padding position, which
    reads zero) with ``weight[j, :]`` (float64; None: a plain gather of ``index[j, 0]``).
    ``in_len`` / ``out_len``: the axis' length before and after."""

    __slots__ = ("axis", "in_len", "out_len", "index", "weight")

    def __init__(self, axis: int, in_len: int, out_len: int, index: np.ndarray,
                 weight: np.ndarray | None) -> None:
        self.axis = axis
        self.in_len = in_len
        self.out_len = out_len
        self.index = index
        self.weight = weight

    @property
    def taps(self) -> int:
        return int(self.index.shape[1])

    def __repr__(self) -> str:
        kind = "gather" if self.weight is None else f"{self.taps} taps"
        return f"<AxisTable axis {self.axis}: {self.in_len} -> {self.out_len}, {kind}>"


class ResamplePlan:
    """What an Interpolate does to an input of ``input_shape``: the ``tables`` applied one
    after the other (axes absent keep their elements), giving ``output_shape``.
    ``store_each_pass``: integer data is stored rounded and saturated after every pass (the
    Pillow modes), not only after the last."""

    __slots__ = ("input_shape", "output_shape", "mode", "tables", "store_each_pass")

    def __init__(self, input_shape: list[int], output_shape: list[int], mode: str,
                 tables: list[AxisTable], store_each_pass: bool) -> None:
        self.input_shape = input_shape
        self.output_shape = output_shape
        self.mode = mode
        self.tables = tables
        self.store_each_pass = store_each_pass


def _fold_pads(plan: _AxisPlan, begin: int, in_len: int) -> _AxisPlan:
    """Indices into the padded axis -> indices into the unpadded one (-1 where padding)."""
    if not begin and plan.index.size and plan.index.max(initial=0) < in_len:
        return plan
    idx = plan.index - begin
    outside = (idx < 0) | (idx >= in_len)
    if plan.weight is None:
        return _AxisPlan(np.where(outside, -1, idx), None)
    return _AxisPlan(np.where(outside, -1, idx), np.where(outside, 0.0, plan.weight))


def resample_plan(in_shape: Sequence[int], axes: Sequence[int], sizes: Sequence[int] | None,
                  scales: Sequence[float] | None, attrs: dict[str, Any]) -> ResamplePlan:
    """The per-axis tables of an Interpolate with (v4/v11) ``attrs`` resizing an input of
    ``in_shape`` along ``axes`` to ``sizes`` (sizes mode) or by ``scales``."""
    in_shape = [int(d) for d in in_shape]
    rank = len(in_shape)
    pb = correct_pads(attrs.get("pads_begin") or [], rank)
    pe = correct_pads(attrs.get("pads_end") or [], rank)
    padded = [d + b + e for d, b, e in zip(in_shape, pb, pe)]
    mode = attrs["mode"]
    if sizes is not None:
        out_lens = [int(s) for s in sizes]
        with np.errstate(divide="ignore", invalid="ignore"):
            axis_scales = [float(_F32(o) / _F32(padded[a])) for o, a in zip(out_lens, axes)]
    else:
        axis_scales = [float(_F32(s)) for s in scales]
        out_lens = [scaled_length(padded[a], s) for a, s in zip(axes, axis_scales)]
    if any(o < 0 for o in out_lens):
        raise RuntimeError(f"Interpolate: negative output size {out_lens}")
    downsample = any(s < 1.0 for s in axis_scales)
    antialias = bool(attrs.get("antialias")) and downsample and mode == "linear"
    out_shape = list(padded)
    for a, o in zip(axes, out_lens):
        out_shape[a] = o
    passes = list(zip(axes, out_lens, axis_scales))
    if mode in PILLOW_MODES:
        # Pillow's order: the horizontal (last) axis first, then the vertical one; an axis
        # whose length does not change is not resampled.
        passes = [p for p in reversed(passes) if p[1] != padded[p[0]]]
    tables: list[AxisTable] = []
    resampled = {p[0] for p in passes}
    for d in range(rank):  # padding of the axes that are not resampled: a gather
        if d not in resampled and (pb[d] or pe[d]):
            plan = _fold_pads(_AxisPlan(np.arange(padded[d])[:, None], None), pb[d],
                              in_shape[d])
            tables.append(AxisTable(d, in_shape[d], padded[d], plan.index, plan.weight))
    for axis, out_len, scale in passes:
        in_len = padded[axis]
        if out_len == 0 or in_len == 0:
            plan = _AxisPlan(np.zeros((out_len, 0), np.int64), np.zeros((out_len, 0)))
        else:
            plan = plan_axis(mode, in_len, out_len, scale,
                             attrs.get("coordinate_transformation_mode", "half_pixel"),
                             attrs.get("nearest_mode", "round_prefer_floor"),
                             float(attrs.get("cube_coeff", -0.75)),
                             scale if antialias else 1.0)
            plan = _fold_pads(plan, pb[axis], in_shape[axis])
        if (plan.weight is None and out_len == in_shape[axis]
                and np.array_equal(plan.index[:, 0], np.arange(out_len))):
            continue  # nearest, same length: every element stays
        tables.append(AxisTable(axis, in_shape[axis], out_len, plan.index, plan.weight))
    return ResamplePlan(in_shape, out_shape, mode, tables, mode in PILLOW_MODES)


def interpolate_reference(x: np.ndarray, axes: Sequence[int], sizes: Sequence[int] | None,
                          scales: Sequence[float] | None, attrs: dict[str, Any]) -> np.ndarray:
    """Resize ``x`` along ``axes`` to ``sizes`` (sizes mode) or by ``scales``."""
    plan = resample_plan(x.shape, axes, sizes, scales, attrs)
    mode = plan.mode
    integral = x.dtype.kind in "iu" and mode != "nearest"
    work = x if mode == "nearest" or x.dtype.kind == "f" and x.dtype != np.float16 \
        else x.astype(np.float32)
    for table in plan.tables:
        work = resample_axis(work, table.axis, table)
        if integral and plan.store_each_pass:
            # Pillow stores each pass in the data's type (rounded, saturated).
            work = round_to_integer(work, x.dtype).astype(np.float32)
    if integral:
        work = round_to_integer(work, x.dtype)
    return np.asarray(work).astype(x.dtype, copy=False)


# --- shape inference ----------------------------------------------------------------------
def _check_attr(node: Node, name: str, allowed: Sequence[str]) -> None:
    value = node._attrs[name]
    node.check(value in allowed, f"Unsupported {name} '{value}' (expected one of "
                                 f"{', '.join(allowed)})")


def _int_values(node: Node, index: int, what: str) -> list[int] | None:
    et = node.get_input_element_type(index)
    node.check(et.is_dynamic() or et.is_integral_number(),
               f"The {what} input must be of an integer type, got {et.get_type_name()}")
    ps = node.get_input_partial_shape(index)
    node.check(ps.rank.is_dynamic or len(ps) == 1, f"The {what} input must be 1D, got {ps}")
    value = constant_value(node._inputs[index])
    return None if value is None else [int(v) for v in np.asarray(value).reshape(-1)]


def _float_values(node: Node, index: int, what: str) -> list[float] | None:
    et = node.get_input_element_type(index)
    node.check(et.is_dynamic() or et.is_real(),
               f"The {what} input must be of a floating-point type, got {et.get_type_name()}")
    ps = node.get_input_partial_shape(index)
    node.check(ps.rank.is_dynamic or len(ps) == 1, f"The {what} input must be 1D, got {ps}")
    value = constant_value(node._inputs[index])
    return None if value is None else [float(v) for v in np.asarray(value).reshape(-1)]


_DATA_TYPES = (Type.f32, Type.f16, Type.i8, Type.bf16, Type.u8, Type.i64, Type.i32, Type.f64)


def _check_data_type(node: Node, strict: bool = True) -> Type:
    """The data type; v4 and v11 (``strict``) accept only the types the runtime resamples."""
    et = node.get_input_element_type(0)
    node.check(not strict or et.is_dynamic() or et in _DATA_TYPES,
               "Input element type must be f32, f16, i8, bf16, u8, i64, i32, f64")
    node.check(et.is_dynamic() or (et is not Type.boolean and et is not Type.string),
               f"Interpolate expects a numeric data type, got {et.get_type_name()}")
    return et


def interpolate_shape(node: Node, data: PartialShape, axes: list[int] | None, axes_known: bool,
                      sizes: list[int] | None, scales: list[float] | None,
                      pads_begin: Sequence[int], pads_end: Sequence[int],
                      use_sizes: bool) -> PartialShape:
    """Output shape: padded input dims, resized along ``axes``."""
    if data.rank.is_dynamic:
        return PartialShape.dynamic()
    rank = len(data)
    pb, pe = correct_pads(pads_begin, rank), correct_pads(pads_end, rank)
    dims = [d._add(b + e) if b + e else Dimension(d) for d, b, e in zip(data, pb, pe)]
    if not axes_known:
        return PartialShape.dynamic(rank)
    assert axes is not None
    node.check(len(set(axes)) == len(axes), f"Axes must be unique, got {axes}")
    values = sizes if use_sizes else scales
    if values is not None:
        node.check(len(values) == len(axes),
                   f"The number of {'sizes' if use_sizes else 'scales'} ({len(values)}) must "
                   f"match the number of axes ({len(axes)})")
    for i, axis in enumerate(axes):
        if values is None:
            dims[axis] = Dimension()
        elif use_sizes:
            node.check(values[i] >= 0, f"Sizes must be non-negative, got {values}")
            dims[axis] = Dimension(int(values[i]))
        else:
            d = dims[axis]
            if d.is_static:
                dims[axis] = Dimension(scaled_length(d.get_length(), values[i]))
            else:
                lo = scaled_length(d.get_min_length(), values[i])
                hi = d.get_max_length()
                dims[axis] = Dimension(lo, -1 if hi < 0 else scaled_length(hi, values[i]))
    return PartialShape(dims)


class _InterpolateBase(Node):
    """Shared attributes of v4 and v11."""

    attributes = {
        "mode": Attr.enum(),
        "shape_calculation_mode": Attr.enum(),
        "coordinate_transformation_mode": Attr.enum("half_pixel"),
        "nearest_mode": Attr.enum("round_prefer_floor"),
        "antialias": Attr.bool(False),
        "pads_begin": Attr.ints([0]),
        "pads_end": Attr.ints([0]),
        "cube_coeff": Attr.float(-0.75),
    }
    modes: tuple[str, ...] = MODES

    def _check_attrs(self) -> None:
        _check_attr(self, "mode", self.modes)
        _check_attr(self, "shape_calculation_mode", ("sizes", "scales"))
        _check_attr(self, "coordinate_transformation_mode", COORDINATE_MODES)
        _check_attr(self, "nearest_mode", NEAREST_MODES)
        for name in ("pads_begin", "pads_end"):
            pads = self._attrs[name] or []
            self.check(all(p >= 0 for p in pads), f"{name} must be non-negative, got {pads}")

    def _axes(self, index: int, data: PartialShape) -> tuple[list[int] | None, bool]:
        """(normalized axes, whether they are known); default: every axis."""
        if len(self._inputs) <= index:
            if data.rank.is_dynamic:
                return None, False
            return list(range(len(data))), True
        values = _int_values(self, index, "axes")
        if values is None or data.rank.is_dynamic:
            return None, False
        return normalize_axes(self, values, len(data)), True

    def _finish(self, data: PartialShape, axes: list[int] | None, known: bool,
                sizes: list[int] | None, scales: list[float] | None) -> None:
        et = _check_data_type(self)
        use_sizes = self._attrs["shape_calculation_mode"] == "sizes"
        shape = interpolate_shape(self, data, axes, known, sizes, scales,
                                  self._attrs["pads_begin"] or [], self._attrs["pads_end"] or [],
                                  use_sizes)
        self.set_output_type(0, et, shape)

    def _run(self, x: np.ndarray, values: np.ndarray, axes: np.ndarray | None) -> np.ndarray:
        ax = list(range(x.ndim)) if axes is None else normalize_axes(self, axes, x.ndim)
        flat = np.asarray(values).reshape(-1)
        if len(flat) != len(ax):
            raise RuntimeError(f"Interpolate '{self.get_friendly_name()}': {len(flat)} "
                               f"sizes/scales for {len(ax)} axes")
        if self._attrs["shape_calculation_mode"] == "sizes":
            return interpolate_reference(x, ax, [int(v) for v in flat], None, self._attrs)
        return interpolate_reference(x, ax, None, [float(v) for v in flat], self._attrs)


class Interpolate4(_InterpolateBase):
    """Interpolate (v4): inputs data, sizes, scales and optional axes;
    ``shape_calculation_mode`` chooses whether sizes or scales define the output."""

    type_name = "Interpolate"
    version = "opset4"

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (3, 4),
                   "Interpolate-4 takes data, sizes, scales and optional axes inputs")
        self._check_attrs()
        data = self.get_input_partial_shape(0)
        sizes = _int_values(self, 1, "sizes")
        scales = _float_values(self, 2, "scales")
        axes, known = self._axes(3, data)
        self._finish(data, axes, known, sizes, scales)

    def reference(self, x: np.ndarray, sizes: np.ndarray, scales: np.ndarray,
                  axes: np.ndarray | None = None) -> np.ndarray:
        use_sizes = self._attrs["shape_calculation_mode"] == "sizes"
        return self._run(x, sizes if use_sizes else scales, axes)


class Interpolate(_InterpolateBase):
    """Interpolate (v11): inputs data, scales_or_sizes and optional axes; adds the Pillow
    modes."""

    type_name = "Interpolate"
    version = "opset11"
    modes = MODES + PILLOW_MODES

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (2, 3),
                   "Interpolate-11 takes data, scales_or_sizes and optional axes inputs")
        self._check_attrs()
        data = self.get_input_partial_shape(0)
        if self._attrs["shape_calculation_mode"] == "sizes":
            sizes, scales = _int_values(self, 1, "sizes"), None
        else:
            sizes, scales = None, _float_values(self, 1, "scales")
        axes, known = self._axes(2, data)
        self._finish(data, axes, known, sizes, scales)

    def reference(self, x: np.ndarray, scales_or_sizes: np.ndarray,
                  axes: np.ndarray | None = None) -> np.ndarray:
        return self._run(x, scales_or_sizes, axes)


class Interpolate1(Node):
    """Interpolate (v0, opset1): resize ``axes`` to the target spatial shape of the second
    input. Runs as v4 would after the standard conversion: nearest uses ``simple`` rounding
    of asymmetric coordinates; linear is linear_onnx below rank 5 (half_pixel coordinates
    unless ``align_corners``, pads, or a 4D input resized over axes 2 and 3)."""

    type_name = "Interpolate"
    version = "opset1"
    attributes = {
        "align_corners": Attr.bool(False),
        "antialias": Attr.bool(False),
        "axes": Attr.ints(),
        "mode": Attr.enum(),
        "pads_begin": Attr.ints([0]),
        "pads_end": Attr.ints([0]),
    }

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "Interpolate-1 takes data and output_shape inputs")
        _check_attr(self, "mode", ("nearest", "linear", "linear_onnx", "cubic"))
        data = self.get_input_partial_shape(0)
        sizes = _int_values(self, 1, "output_shape")
        axes: list[int] | None = None
        if data.rank.is_static:
            axes = normalize_axes(self, self._attrs["axes"], len(data))
        et = _check_data_type(self, strict=False)
        shape = interpolate_shape(self, data, axes, data.rank.is_static, sizes, None,
                                  self._attrs["pads_begin"] or [],
                                  self._attrs["pads_end"] or [], True)
        self.set_output_type(0, et, shape)

    def v4_attributes(self, rank: int, axes: list[int]) -> dict[str, Any]:
        """The equivalent v4 attributes for an input of ``rank``."""
        a = self._attrs
        mode = a["mode"]
        if mode == "linear":
            mode = "linear_onnx" if rank < 5 else "linear"
        pads_begin, pads_end = a["pads_begin"] or [], a["pads_end"] or []
        coord = "asymmetric"
        if a["align_corners"]:
            coord = "align_corners"
        elif mode in ("linear", "linear_onnx") and not any(pads_begin) and not any(pads_end) \
                and not (rank == 4 and sorted(axes) == [2, 3]):
            coord = "half_pixel"
        return {"mode": mode, "shape_calculation_mode": "sizes", "nearest_mode": "simple",
                "coordinate_transformation_mode": coord, "antialias": a["antialias"],
                "pads_begin": pads_begin, "pads_end": pads_end, "cube_coeff": -0.75}

    def reference(self, x: np.ndarray, output_shape: np.ndarray) -> np.ndarray:
        axes = normalize_axes(self, self._attrs["axes"], x.ndim)
        sizes = [int(v) for v in np.asarray(output_shape).reshape(-1)]
        if len(sizes) != len(axes):
            raise RuntimeError(f"Interpolate '{self.get_friendly_name()}': {len(sizes)} sizes "
                               f"for {len(axes)} axes")
        return interpolate_reference(x, axes, sizes, None, self.v4_attributes(x.ndim, axes))


# --- factories ------------------------------------------------------------------------------
_V1_KEYS = ("axes", "mode", "align_corners", "antialias", "pads_begin", "pads_end")


@factory("interpolate", since=1)
def interpolate1(image: Any, output_shape: Any, attrs: dict[str, Any],
                 name: str | None = None) -> Interpolate1:
    """Resize ``image`` along ``attrs["axes"]`` to ``output_shape`` (``attrs`` holds axes,
    mode and optionally align_corners, antialias, pads_begin, pads_end)."""
    unknown = set(attrs) - set(_V1_KEYS)
    if unknown:
        raise RuntimeError(f"Unknown Interpolate-1 attributes {sorted(unknown)}")
    for key in ("axes", "mode"):
        if key not in attrs:
            raise RuntimeError(f"Interpolate-1 requires the '{key}' attribute")
    return Interpolate1(image, output_shape, **{k: v for k, v in attrs.items()
                                                if v is not None}, name=name)


def _interp_attrs(mode: str, shape_calculation_mode: str, pads_begin: list[int] | None,
                  pads_end: list[int] | None, coordinate_transformation_mode: str,
                  nearest_mode: str, antialias: bool, cube_coeff: float) -> dict[str, Any]:
    return {"mode": mode, "shape_calculation_mode": shape_calculation_mode,
            "pads_begin": pads_begin if pads_begin is not None else [0],
            "pads_end": pads_end if pads_end is not None else [0],
            "coordinate_transformation_mode": coordinate_transformation_mode,
            "nearest_mode": nearest_mode, "antialias": antialias, "cube_coeff": cube_coeff}


@factory("interpolate", since=4)
def interpolate4(image: Any, output_shape: Any, scales: Any, mode: str,
                 shape_calculation_mode: str, pads_begin: list[int] | None = None,
                 pads_end: list[int] | None = None,
                 coordinate_transformation_mode: str = "half_pixel",
                 nearest_mode: str = "round_prefer_floor", antialias: bool = False,
                 cube_coeff: float = -0.75, axes: Any = None,
                 name: str | None = None) -> Interpolate4:
    """Resize ``image`` along ``axes`` to ``output_shape`` or by ``scales``
    (``shape_calculation_mode`` says which)."""
    inputs = [image, output_shape, scales] + ([] if axes is None else [axes])
    return Interpolate4(*inputs, **_interp_attrs(mode, shape_calculation_mode, pads_begin,
                                                 pads_end, coordinate_transformation_mode,
                                                 nearest_mode, antialias, cube_coeff),
                        name=name)


@factory("interpolate", since=11)
def interpolate(image: Any, scales_or_sizes: Any, mode: str, shape_calculation_mode: str,
                pads_begin: list[int] | None = None, pads_end: list[int] | None = None,
                coordinate_transformation_mode: str = "half_pixel",
                nearest_mode: str = "round_prefer_floor", antialias: bool = False,
                cube_coeff: float = -0.75, axes: Any = None,
                name: str | None = None) -> Interpolate:
    """Resize ``image`` along ``axes`` by ``scales_or_sizes`` (interpreted per
    ``shape_calculation_mode``)."""
    inputs = [image, scales_or_sizes] + ([] if axes is None else [axes])
    return Interpolate(*inputs, **_interp_attrs(mode, shape_calculation_mode, pads_begin,
                                                pads_end, coordinate_transformation_mode,
                                                nearest_mode, antialias, cube_coeff),
                       name=name)
