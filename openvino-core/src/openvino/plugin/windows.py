"""The window geometry of convolutions and poolings, resolved for a concrete input.

``auto_pad`` (``same_upper``, ``same_lower``, ``valid``, ``explicit``/``notset``), empty
attribute lists (all ones), the pads of the SAME modes: a device kernel wants the numbers
these come to for the input it runs on, computed exactly as core's references do::

    from openvino.plugin.windows import window

    w = window(conv_node, input_shape=[1, 3, 224, 224])
    w.kernel, w.strides, w.dilations, w.pads_begin, w.pads_end   # one int per spatial axis

:func:`window` takes ``Convolution``, ``GroupConvolution`` (the kernel: the spatial dims
of the filter input, which must be static, unless given), ``MaxPool`` and ``AvgPool``
(the ``kernel`` attribute). Malformed attributes raise the op's own errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openvino._node import Node, Output
from openvino._ops.convolution import (
    explicit_pads,
    normalize_auto_pad,
    resolve_pads,
    spatial_attr,
)

__all__ = ["Window", "window", "WINDOW_OPS"]

#: The op types :func:`window` resolves.
WINDOW_OPS = ("Convolution", "GroupConvolution", "MaxPool", "AvgPool")


@dataclass(frozen=True)
class Window:
    """Resolved window geometry over the spatial axes (one entry per axis)."""

    kernel: list[int]
    strides: list[int]
    dilations: list[int]
    pads_begin: list[int]
    pads_end: list[int]


def window(node: Any, input_shape: Sequence[int], kernel: Sequence[int] | None = None
           ) -> Window:
    """The geometry ``node`` applies to an input of ``input_shape`` (``[N, C, *spatial]``).

    ``kernel``: the spatial kernel size, for convolutions whose filter shape is not static.
    """
    if isinstance(node, Output):
        node = node.get_node()
    if not isinstance(node, Node):
        raise TypeError(f"window takes an openvino.Node, got {type(node).__name__}")
    type_name = node.get_type_name()
    if type_name not in WINDOW_OPS:
        raise ValueError(f"window resolves {', '.join(WINDOW_OPS)}, got {type_name} "
                         f"'{node.get_friendly_name()}'")
    dims = [int(d) for d in input_shape]
    nsp = len(dims) - 2
    if nsp < 1:
        raise ValueError(f"{type_name} '{node.get_friendly_name()}': input shape {dims} has "
                         f"no spatial axes (expected [N, C, *spatial])")
    attrs = node.get_attributes()
    if type_name in ("MaxPool", "AvgPool"):
        size = spatial_attr(node, "Kernel", attrs["kernel"], nsp, 1, 1)
    elif kernel is not None:
        size = spatial_attr(node, "Kernel", list(kernel), nsp, 1, 1)
    else:
        filt = node.get_input_partial_shape(1)
        if not filt.is_static:
            raise ValueError(f"{type_name} '{node.get_friendly_name()}': the filter shape "
                             f"{filt} is not static: pass kernel=")
        size = [int(d) for d in filt.to_shape()][-nsp:]
    auto_pad = normalize_auto_pad(node, attrs["auto_pad"])
    strides = spatial_attr(node, "Strides", attrs["strides"], nsp, 1, 1)
    dilations = spatial_attr(node, "Dilations", attrs.get("dilations"), nsp, 1, 1)
    pb, pe = explicit_pads(node, auto_pad, attrs["pads_begin"], attrs["pads_end"], nsp)
    pb, pe = resolve_pads(dims[2:], size, strides, dilations, pb, pe, auto_pad)
    return Window(list(size), strides, dilations, list(pb), list(pe))
