"""``openvino.layout_helpers``: layouts of model inputs and outputs, and where the usual
dimensions sit in a layout.

``get_layout(port)`` reads the layout a port carries (a Parameter's layout, or the
``"layout"`` entry of an output tensor's rt_info, where a Result keeps its layout);
``set_layout(port, layout)`` sets it on a Parameter or Result output after checking that it
fits the port's shape. ``batch_idx`` / ``channels_idx`` / ``depth_idx`` / ``height_idx`` /
``width_idx`` give the index of ``N`` / ``C`` / ``D`` / ``H`` / ``W`` (negative, counted from
the end, when the name follows a ``...``), and raise ``RuntimeError`` when the layout has
no such dimension; ``has_batch`` and friends test for them.

Beyond the names the real module exports, ``layout_parts``, ``is_compatible``,
``dimension_names`` and ``find_permutation`` relate layouts to shapes and to each other
(pre-processing builds on them).
"""

from __future__ import annotations

from typing import Any

from ._layout import Layout
from ._node import ConstOutput, Output

__all__ = ["batch_idx", "channels_idx", "depth_idx", "get_layout", "has_batch", "has_channels",
           "has_depth", "has_height", "has_width", "height_idx", "set_layout", "width_idx"]


def _as_layout(layout: Any) -> Layout:
    if isinstance(layout, Layout):
        return layout
    if isinstance(layout, str):
        return Layout(layout)
    raise TypeError(f"Expected an openvino.Layout or a string, got {type(layout).__name__}")


def _index(layout: Any, name: str) -> int:
    layout = _as_layout(layout)
    if not layout.has_name(name):
        raise RuntimeError(f"{name} dimension index is not defined: layout "
                           f"{layout.to_string()} has no '{name}'")
    return layout.get_index_by_name(name)


def batch_idx(layout: Layout) -> int:
    """Index of the batch dimension ``N``."""
    return _index(layout, "N")


def channels_idx(layout: Layout) -> int:
    """Index of the channels dimension ``C``."""
    return _index(layout, "C")


def depth_idx(layout: Layout) -> int:
    """Index of the depth dimension ``D``."""
    return _index(layout, "D")


def height_idx(layout: Layout) -> int:
    """Index of the height dimension ``H``."""
    return _index(layout, "H")


def width_idx(layout: Layout) -> int:
    """Index of the width dimension ``W``."""
    return _index(layout, "W")


def has_batch(layout: Layout) -> bool:
    """Whether the layout names ``N``."""
    return _as_layout(layout).has_name("N")


def has_channels(layout: Layout) -> bool:
    """Whether the layout names ``C``."""
    return _as_layout(layout).has_name("C")


def has_depth(layout: Layout) -> bool:
    """Whether the layout names ``D``."""
    return _as_layout(layout).has_name("D")


def has_height(layout: Layout) -> bool:
    """Whether the layout names ``H``."""
    return _as_layout(layout).has_name("H")


def has_width(layout: Layout) -> bool:
    """Whether the layout names ``W``."""
    return _as_layout(layout).has_name("W")


def layout_parts(layout: Any) -> list[str]:
    """The comma-separated parts of a layout (``"[N,...,C]"`` -> ``["N", "...", "C"]``);
    ``?`` marks an unnamed dimension. Empty for the empty layout."""
    layout = _as_layout(layout)
    if layout.empty:
        return []
    return layout.to_string()[1:-1].split(",")


def is_compatible(layout: Any, shape: Any) -> bool:
    """Whether ``layout`` can describe a tensor of partial shape ``shape``: as many
    dimensions as names, or at least as many as the names around a ``...``."""
    parts = layout_parts(layout)
    if not parts or shape.rank.is_dynamic:
        return True
    if "..." in parts:
        return len(shape) >= len(parts) - 1
    return len(shape) == len(parts)


def dimension_names(layout: Any, rank: int) -> list[str]:
    """The name of each of ``rank`` dimensions under ``layout``: ``"?"`` for unnamed ones and
    ``"..."`` for each dimension the ellipsis stands for."""
    parts = layout_parts(layout)
    if "..." in parts:
        k = parts.index("...")
        fill = rank - (len(parts) - 1)
        if fill < 0:
            raise RuntimeError(f"Layout {_as_layout(layout).to_string()} needs at least "
                               f"{len(parts) - 1} dimensions, the shape has {rank}")
        return parts[:k] + ["..."] * fill + parts[k + 1:]
    if len(parts) != rank:
        raise RuntimeError(f"Layout {_as_layout(layout).to_string()} has {len(parts)} "
                           f"dimensions, the shape has {rank}")
    return parts


def find_permutation(src: Any, dst: Any, rank: int) -> list[int]:
    """The Transpose order taking a rank-``rank`` tensor in layout ``src`` to layout ``dst``
    (``order[i]`` is the source axis of output axis ``i``). Named dimensions are matched by
    name, unnamed ones (``?`` and those under ``...``) in order of appearance."""
    src_names = dimension_names(src, rank)
    dst_names = dimension_names(dst, rank)
    src_unnamed = [i for i, n in enumerate(src_names) if n in ("?", "...")]
    dst_unnamed = [i for i, n in enumerate(dst_names) if n in ("?", "...")]
    order = [0] * rank
    for i, n in enumerate(dst_names):
        if n in ("?", "..."):
            continue
        if n not in src_names:
            raise RuntimeError(f"Dimension name '{n}' is not found in layout "
                               f"{_as_layout(src).to_string()}")
        order[i] = src_names.index(n)
    for n in src_names:
        if n not in ("?", "...") and n not in dst_names:
            raise RuntimeError(f"Dimension name '{n}' is not found in layout "
                               f"{_as_layout(dst).to_string()}")
    if len(src_unnamed) != len(dst_unnamed):
        raise RuntimeError(f"Layouts {_as_layout(src).to_string()} and "
                           f"{_as_layout(dst).to_string()} have different unnamed dimensions")
    for s, d in zip(src_unnamed, dst_unnamed):
        order[d] = s
    return order


def get_layout(port: Any) -> Layout:
    """The layout of a model input or output (an empty ``Layout`` when none is set)."""
    if not isinstance(port, ConstOutput):
        raise TypeError(f"get_layout expects an openvino.Output or ConstOutput, got "
                        f"{type(port).__name__}")
    node = port.get_node()
    if node.type_name == "Parameter":
        return node.get_layout()
    value = dict.get(port.get_tensor().rt_info, "layout")
    return value if isinstance(value, Layout) else Layout()


def set_layout(port: Any, layout: Any) -> None:
    """Set the layout of a Parameter or Result output; an empty layout clears it."""
    if not isinstance(port, Output):
        raise TypeError(f"set_layout expects an openvino.Output, got {type(port).__name__}")
    layout = _as_layout(layout)
    node = port.get_node()
    if node.type_name not in ("Parameter", "Result"):
        raise RuntimeError(f"Layout can be set only for Parameter and Result operations, not "
                           f"for {node.type_name} '{node.get_friendly_name()}'")
    shape = port.get_partial_shape()
    if not is_compatible(layout, shape):
        raise RuntimeError(f"Can't set layout for {node.type_name} "
                           f"'{node.get_friendly_name()}': layout {layout.to_string()} is not "
                           f"compatible with shape {shape}")
    if node.type_name == "Parameter":
        node.set_layout(layout)
        if layout.empty:
            dict.pop(port.get_tensor().rt_info, "layout", None)
        return
    rt = port.get_tensor().rt_info
    if layout.empty:
        dict.pop(rt, "layout", None)
    else:
        dict.__setitem__(rt, "layout", layout)
