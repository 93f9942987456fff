"""``ConstantFolding``: every op whose inputs are all Constants (and ``ShapeOf`` of a
static shape) becomes Constants holding its values, computed by the op's reference.

The new Constant takes the op's friendly name (``name.i`` for output i of a multi-output
op), its rt_info and its outputs' tensor names, so the model's inputs and outputs keep
their names. Ops with state (ReadValue, Assign) or random values, decompression Converts
(``decompression`` in rt_info, as the IR marks them) and ops whose evaluation fails are
left as they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._encoding import cast_evaluation
from .._node import Node, Output
from .._rt_info import RTMap
from .._tensor import Tensor
from .pass_base import BuiltinModelPass

__all__ = ["ConstantFolding", "fold_constants"]

#: never folded: graph boundaries, variables and random values
_NEVER = frozenset({"Parameter", "Result", "Constant", "ReadValue", "Assign",
                    "RandomUniform", "Multinomial"})


class ConstantFolding(BuiltinModelPass):
    """openvino.passes.ConstantFolding transformation"""

    _default_name = "ov::pass::ConstantFolding"

    def transform(self, model: Any) -> bool:
        return fold_constants(model) > 0


def fold_constants(model: Any) -> int:
    """Fold the constant subgraphs of ``model`` in place; how many ops were folded."""
    folded = 0
    for node in model.get_ordered_ops():
        values = _folded_values(node)
        if values is not None:
            _replace_by_constants(node, values)
            folded += 1
    return folded


def _foldable(node: Node) -> bool:
    if node.type_name in _NEVER or node.needs_state or not node.has_evaluate():
        return False
    if node.type_name == "Convert" and "decompression" in node.get_rt_info():
        return False  # weight decompression (marked so in the IR) stays as it is
    return all(src.get_node().type_name == "Constant" for src in node.input_values())


def _folded_values(node: Node) -> list[np.ndarray] | None:
    """The values of ``node``'s outputs in evaluation form, or None if it stays."""
    if node.type_name == "ShapeOf":
        shape = node.get_input_partial_shape(0)
        if shape.is_static and node.get_output_element_type(0).is_static():
            et = node.get_output_element_type(0)
            return [np.array(list(shape.to_shape()), dtype=et.evaluation_dtype)]
    if not _foldable(node):
        return None
    inputs = [src.get_node().get_evaluation_data() for src in node.input_values()]
    try:
        with np.errstate(all="ignore"):
            result = node.reference(*inputs)
    except Exception:  # the op fails at run time too: leave it to report there
        return None
    if not isinstance(result, (tuple, list)):
        result = (result,)
    if len(result) != node.get_output_size():
        return None
    values = []
    for i, value in enumerate(result):
        value = np.asarray(value)
        et = node.get_output_element_type(i)
        if not et.is_static():
            return None
        if value.dtype != et.evaluation_dtype:
            value = cast_evaluation(value, et)
        if not node.get_output_partial_shape(i)._compatible(list(value.shape)):
            return None
        values.append(value)
    return values


def _replace_by_constants(node: Node, values: list[np.ndarray]) -> None:
    from .._ops.constant import Constant

    several = len(values) > 1
    for i, value in enumerate(values):
        et = node.get_output_element_type(i)
        name = node.get_friendly_name()
        const = Constant._from_tensor(Tensor._from_evaluation(np.ascontiguousarray(value), et),
                                      f"{name}.{i}" if several else name)
        if node.get_rt_info():
            const._rt_info = RTMap(node.get_rt_info())
        Output(node, i).replace(Output(const, 0))
