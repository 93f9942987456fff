"""``openvino.utils.broadcasting``: which axes a broadcast adds."""

from __future__ import annotations

from openvino._coordinates import AxisSet

__all__ = ["get_broadcast_axes"]


def get_broadcast_axes(output_shape: list[int], input_shape: list[int],
                       axis: int | None = None) -> AxisSet:
    """The axes of ``output_shape`` that broadcasting ``input_shape`` to it creates: with
    ``axis``, the input's dimensions start at that axis of the output; without, they are
    aligned to its end (numpy style)."""
    out_rank, in_rank = len(output_shape), len(input_shape)
    start = out_rank - in_rank if axis is None else axis
    if start < 0 or start + in_rank > out_rank:
        raise ValueError(f"An input of shape {list(input_shape)} does not fit the output "
                         f"shape {list(output_shape)} at axis {start}")
    return AxisSet(set(range(out_rank)) - set(range(start, start + in_rank)))
