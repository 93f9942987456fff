"""``openvino.utils.reduction``: the axes a reduction works on."""

from __future__ import annotations

from collections.abc import Iterable

from openvino._node import Node

__all__ = ["get_reduction_axes"]


def get_reduction_axes(node: Node, reduction_axes: Iterable[int] | None) -> Iterable[int]:
    """``reduction_axes`` as a set, or every axis of ``node``'s output 0 when it is None."""
    if reduction_axes is None:
        return set(range(len(node.get_output_partial_shape(0))))
    if isinstance(reduction_axes, set):
        return reduction_axes
    return set(reduction_axes)
