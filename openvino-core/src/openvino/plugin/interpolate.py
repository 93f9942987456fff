"""The per-axis tables of an Interpolate, resolved for a concrete input.

Every mode of Interpolate (v1, v4, v11) is separable: each resized axis maps an output
coordinate to a few source elements and weights (nearest: one; linear_onnx: two; cubic:
four; linear with antialias and the Pillow modes: as many as the filter covers). Core's
reference resamples with exactly these tables, so a device kernel that applies them
computes what the reference does, with the coordinate transformation, nearest rounding,
cube coefficient, antialias widening, Pillow filters and padding already resolved::

    from openvino.plugin.interpolate import interpolate_tables

    plan = interpolate_tables(node, input_shape=[1, 3, 20, 30], output_shape=[1, 3, 40, 60])
    for t in plan.tables:          # apply one after the other
        t.axis, t.in_len, t.out_len   # the axis and its length before / after
        t.index                    # int64 [out_len, taps]: source element along the axis
                                   #   (of the unpadded input), -1: a padding position (zero)
        t.weight                   # float64 [out_len, taps], or None: a plain gather
    plan.output_shape              # the shape after the last table
    plan.store_each_pass           # integer data: round and saturate after every table

Axes without a table keep their elements. A table may have no taps at all (an input axis
of length 0 resized to a non-empty one): its outputs are zeros. Integer data is resampled in
floating point and stored rounded to nearest (ties to even) and saturated; the Pillow modes
(``store_each_pass``) store every pass that way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from openvino._node import Node, Output
from openvino._ops._infer import constant_value, normalize_axes
from openvino._ops.interpolate import AxisTable, ResamplePlan, resample_plan

__all__ = ["AxisTable", "ResamplePlan", "interpolate_tables"]

#: Input index of (sizes, scales, axes) per Interpolate version (None: not an input).
_INPUTS = {"opset1": (1, None, None), "opset4": (1, 2, 3), "opset11": (1, 1, 2)}


def interpolate_tables(node: Any, input_shape: Sequence[int],
                       output_shape: Sequence[int] | None = None,
                       values: Sequence[Any] | None = None) -> ResamplePlan:
    """The tables ``node`` (an Interpolate v1, v4 or v11) applies to an input of
    ``input_shape``.

    ``values``: the arrays of the node's inputs after the data (sizes / scales / axes, in
    the node's input order); an entry that is None or missing is read from the node when
    it is a constant. Sizes need not be known when ``output_shape`` is given. Raises
    ``ValueError`` when a needed value is unknown or ``output_shape`` is not what the
    node produces from ``input_shape``, ``TypeError`` for a node that is no Interpolate.
    """
    if isinstance(node, Output):
        node = node.get_node()
    if not isinstance(node, Node) or node.get_type_name() != "Interpolate":
        raise TypeError(f"interpolate_tables takes an Interpolate node, got "
                        f"{getattr(node, 'get_type_name', lambda: type(node).__name__)()}")
    version = node.get_type_info().version_id
    if version not in _INPUTS:
        raise TypeError(f"interpolate_tables: Interpolate version {version} is not supported")
    name = node.get_friendly_name()
    dims = [int(d) for d in input_shape]
    rank = len(dims)
    given = list(values or [])

    def value(index: int | None) -> np.ndarray | None:
        if index is None or index >= node.get_input_size():
            return None
        if index - 1 < len(given) and given[index - 1] is not None:
            return np.asarray(given[index - 1]).reshape(-1)
        v = constant_value(node.input_value(index))
        return None if v is None else np.asarray(v).reshape(-1)

    i_sizes, i_scales, i_axes = _INPUTS[version]
    attrs = node.get_attributes()
    if version == "opset1":
        axes = normalize_axes(node, attrs["axes"], rank)
        attrs = node.v4_attributes(rank, axes)
    else:
        raw_axes = value(i_axes)
        if i_axes is not None and i_axes < node.get_input_size() and raw_axes is None:
            raise ValueError(f"Interpolate '{name}': the axes are not a constant")
        axes = list(range(rank)) if raw_axes is None else normalize_axes(node, raw_axes, rank)
    sizes: list[int] | None = None
    scales: list[float] | None = None
    if attrs["shape_calculation_mode"] == "sizes":
        if output_shape is not None:
            if len(output_shape) != rank:
                raise ValueError(f"Interpolate '{name}': output shape {list(output_shape)} "
                                 f"has another rank than the input {dims}")
            sizes = [int(output_shape[a]) for a in axes]
        else:
            raw = value(i_sizes)
            if raw is None:
                raise ValueError(f"Interpolate '{name}': the sizes are not a constant: pass "
                                 "output_shape")
            sizes = [int(v) for v in raw]
    else:
        raw = value(i_scales)
        if raw is None:
            raise ValueError(f"Interpolate '{name}': the scales are not a constant")
        scales = [float(v) for v in raw]
    count = len(sizes if sizes is not None else scales)
    if count != len(axes):
        raise ValueError(f"Interpolate '{name}': {count} sizes/scales for {len(axes)} axes")
    plan = resample_plan(dims, axes, sizes, scales, attrs)
    if output_shape is not None and [int(d) for d in output_shape] != plan.output_shape:
        raise ValueError(f"Interpolate '{name}': an input of shape {dims} gives "
                         f"{plan.output_shape}, not {list(output_shape)}")
    return plan
