"""Rewiring the graph: ``replace_node`` and ``replace_output_update_name``, the helpers
graph transformations use to put a new subgraph in place of an old one (exposed as
``openvino.utils.replace_node`` / ``replace_output_update_name``, as in OpenVINO)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._node import ConstOutput, Node, Output

__all__ = ["replace_node", "replace_output_update_name"]


def replace_node(target: Node, replacement: Any, outputs_order: Sequence[int] | None = None
                 ) -> None:
    """Move every consumer of ``target``'s outputs to ``replacement``: a node (output i to
    its output ``outputs_order[i]``, by default i) or a list of outputs, one per output of
    ``target``. Tensor names follow the consumers (``Output.replace``)."""
    if not isinstance(target, Node):
        raise TypeError(f"replace_node(): target must be an openvino.Node, got "
                        f"{type(target).__name__}")
    if target.type_name == "Result":
        raise RuntimeError("Result nodes cannot be replaced.")
    n = target.get_output_size()
    if isinstance(replacement, Node):
        order = list(range(n)) if outputs_order is None else [int(i) for i in outputs_order]
        if len(order) != n:
            raise RuntimeError(f"Target output size: {n} must be equal output_order size: "
                               f"{len(order)}")
        for i in order:
            if not 0 <= i < replacement.get_output_size():
                raise RuntimeError(f"node index is out of range: '"
                                   f"{replacement.get_friendly_name()}' has "
                                   f"{replacement.get_output_size()} outputs, asked for {i}")
        values = [Output(replacement, i) for i in order]
    elif isinstance(replacement, (list, tuple)):
        if outputs_order is not None:
            raise TypeError("replace_node(): outputs_order goes with a replacement node, "
                            "not a list of outputs")
        if not all(isinstance(v, ConstOutput) for v in replacement):
            raise TypeError("replace_node(): the replacement list must hold openvino.Output "
                            "values")
        if len(replacement) != n:
            raise RuntimeError(f"replace_node(): target '{target.get_friendly_name()}' has "
                               f"{n} outputs, the replacement list {len(replacement)}")
        values = [Output(v.get_node(), v.get_index()) for v in replacement]
    else:
        raise TypeError("replace_node(): replacement must be an openvino.Node or a list of "
                        f"openvino.Output, got {type(replacement).__name__}")
    for i, value in enumerate(values):
        Output(target, i).replace(value)


def replace_output_update_name(output: Output, target_output: Output) -> bool:
    """Move the consumers of ``output`` to ``target_output`` (names follow) unless that
    would lose a model output's name; returns whether it did.

    Where ``output`` feeds a Result, the replacement takes over the friendly name of
    ``output``'s node too, so the model's output keeps its name; that is refused (False)
    when either node has several outputs, the replacement is a Parameter, or the
    replacement already feeds a Result."""
    for value, what in ((output, "output"), (target_output, "target_output")):
        if not isinstance(value, ConstOutput):
            raise TypeError(f"replace_output_update_name(): {what} must be an "
                            f"openvino.Output, got {type(value).__name__}")
    output = Output(output.get_node(), output.get_index())
    replacement = Output(target_output.get_node(), target_output.get_index())
    feeds_result = any(n.type_name == "Result" for n, _ in output._desc().consumers)
    if feeds_result:
        source, new = output.get_node(), replacement.get_node()
        if (source.get_output_size() != 1 or new.get_output_size() != 1
                or new.type_name == "Parameter"
                or any(n.type_name == "Result" for n, _ in replacement._desc().consumers)):
            return False
        new.set_friendly_name(source.get_friendly_name())
    output.replace(replacement)
    return True
