"""``openvino.experimental``: value-bound evaluation and descriptor edits of the real
package's experimental namespace.

Bounds come from what shape inference already knows about a value: constants (and ops
over constants) give exact values; ``ShapeOf`` and shape arithmetic built from it give an
interval per element (``Dimension(min, max)``), the way ``Reshape`` and friends see it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._node import DescriptorTensor, Output
from ._ops._infer import constant_value
from ._ops.shape import shape_value
from ._shape import Dimension, PartialShape
from ._tensor import Tensor
from ._type import Type

__all__ = ["evaluate_as_partial_shape", "evaluate_both_bounds", "set_element_type",
           "set_tensor_type"]


def _known_elements(output: Output) -> list[Any] | None:
    """Per element: an ``int`` when known exactly, a ``Dimension`` when known as an
    interval; ``None`` when the graph does not determine the value."""
    value = constant_value(output)
    if value is not None:
        if value.dtype.kind not in "iub":
            return None
        return [int(v) for v in value.reshape(-1)]
    return shape_value(output)


def evaluate_as_partial_shape(output: Output, partial_shape: PartialShape) -> bool:
    """Estimate the values of ``output`` (a 1-D integer tensor such as a shape) and write
    them into ``partial_shape`` as one ``Dimension(min, max)`` per element. Returns False,
    leaving ``partial_shape`` unchanged, when the value cannot be estimated."""
    if not isinstance(partial_shape, PartialShape):
        raise TypeError("evaluate_as_partial_shape expects a PartialShape to fill, got "
                        f"{type(partial_shape).__name__}")
    elements = _known_elements(output)
    if elements is None:
        return False
    dims = []
    for e in elements:
        if isinstance(e, Dimension):
            dims.append(Dimension(e.get_min_length(), e.get_max_length()))
        elif e < 0:
            return False
        else:
            dims.append(Dimension(e))
    partial_shape._dims = PartialShape(dims)._dims
    return True


def evaluate_both_bounds(output: Output) -> tuple[Tensor, Tensor]:
    """The lower and upper bounds of the values of ``output`` as two tensors of its element
    type and shape. An unknown upper bound is the type's largest value."""
    et = output.get_element_type()
    ps = output.get_partial_shape()
    elements = _known_elements(output)
    if elements is None or not ps.is_static or not (et.is_integral_number()):
        raise RuntimeError(f"Cannot evaluate the bounds of output {output.get_index()} of "
                           f"'{output.get_node().get_friendly_name()}': its value is not "
                           "determined by the graph")
    dtype = et.to_dtype()
    top = np.iinfo(dtype).max
    lower, upper = [], []
    for e in elements:
        if isinstance(e, Dimension):
            lower.append(e.get_min_length())
            upper.append(top if e.get_max_length() < 0 else e.get_max_length())
        else:
            lower.append(e)
            upper.append(e)
    dims = [d.get_length() for d in ps]
    return (Tensor(np.array(lower, dtype=dtype).reshape(dims)),
            Tensor(np.array(upper, dtype=dtype).reshape(dims)))


def set_element_type(tensor: DescriptorTensor, element_type: Type) -> None:
    """Change the element type recorded on a node output's tensor descriptor."""
    tensor.element_type = element_type if isinstance(element_type, Type) else Type(element_type)


def set_tensor_type(tensor: DescriptorTensor, element_type: Type,
                    partial_shape: PartialShape) -> None:
    """Change the element type and partial shape recorded on a tensor descriptor."""
    set_element_type(tensor, element_type)
    tensor.partial_shape = (partial_shape if isinstance(partial_shape, PartialShape)
                            else PartialShape(partial_shape))
