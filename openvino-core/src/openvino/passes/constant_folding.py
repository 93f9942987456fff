"""``ConstantFolding``: every op whose inputs are all Constants (and ``ShapeOf`` of a
static shape) becomes Constants holding its values, computed by the op's reference.

The new Constant takes the op's friendly name (``name.i`` for output i of a multi-output
op), its rt_info and its outputs' tensor names, so the model's inputs and outputs keep
their names. Ops with state (ReadValue, Assign) or random values, decompression Converts
(``decompression`` in rt_info, as the IR marks them) and ops whose evaluation fails are
left as they are.

f16 arithmetic folds as OpenVINO folds it (``fold_values``): computed in f32, each folded
f16 Constant holds its value rounded to f16 while the ops folded after it read the
unrounded value, so a weight decompression chain ``Convert(u8 -> f16) -> Subtract ->
Multiply -> Convert(f32)`` folds to the exact f32 product.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._encoding import cast_evaluation
from .._node import Node, Output
from .._reference_executor import fold_values
from .._rt_info import RTMap
from .._tensor import Tensor
from .._type import Type
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
    unrounded: dict[int, np.ndarray] = {}  # id(folded f16 Constant) -> its f32 value
    for node in model.get_ordered_ops():
        values = _folded_values(node, unrounded)
        if values is not None:
            for const, value in zip(_replace_by_constants(node, values), values):
                if value.dtype == np.float32 and const.get_element_type() == Type.f16:
                    unrounded[id(const)] = value
            folded += 1
    return folded


def _foldable(node: Node) -> bool:
    if node.type_name in _NEVER or node.needs_state or not node.has_evaluate():
        return False
    if node.type_name == "Convert" and "decompression" in node.get_rt_info():
        return False  # weight decompression (marked so in the IR) stays as it is
    return all(src.get_node().type_name == "Constant" for src in node.input_values())


def _folded_values(node: Node, unrounded: dict[int, np.ndarray]) -> list[np.ndarray] | None:
    """The values of ``node``'s outputs (f16 ones unrounded, in f32; others in evaluation
    form), or None if it stays. ``unrounded`` holds the f32 values of folded f16 Constants."""
    if node.type_name == "ShapeOf":
        shape = node.get_input_partial_shape(0)
        if shape.is_static and node.get_output_element_type(0).is_static():
            et = node.get_output_element_type(0)
            return [np.array(list(shape.to_shape()), dtype=et.evaluation_dtype)]
    if not _foldable(node):
        return None
    inputs = [unrounded.get(id(src.get_node()), src.get_node().get_evaluation_data())
              for src in node.input_values()]
    try:
        result = fold_values(node, inputs)
    except Exception:  # the op fails at run time too: leave it to report there
        return None
    for i, value in enumerate(result):
        if not node.get_output_element_type(i).is_static() or \
                not node.get_output_partial_shape(i)._compatible(list(value.shape)):
            return None
    return result


def _replace_by_constants(node: Node, values: list[np.ndarray]) -> list[Node]:
    from .._ops.constant import Constant

    several = len(values) > 1
    constants = []
    for i, value in enumerate(values):
        et = node.get_output_element_type(i)
        if value.dtype != et.evaluation_dtype:
            value = cast_evaluation(value, et)
        name = node.get_friendly_name()
        const = Constant._from_tensor(Tensor._from_evaluation(np.ascontiguousarray(value), et),
                                      f"{name}.{i}" if several else name)
        if node.get_rt_info():
            const._rt_info = RTMap(node.get_rt_info())
        Output(node, i).replace(Output(const, 0))
        constants.append(const)
    return constants
