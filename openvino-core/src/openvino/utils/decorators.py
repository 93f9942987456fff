"""``openvino.utils.decorators``: wrappers for op factory functions and custom
preprocessing steps, as the real package offers them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import numpy as np

from openvino._node import Node, Output

__all__ = ["binary_op", "custom_preprocess_function", "nameable_op", "unary_op"]


def _as_value(value: Any) -> Any:
    """Numbers and arrays become Constants; graph values stay as they are."""
    if isinstance(value, (Node, Output)):
        return value
    from openvino._ops.constant import Constant

    return Constant(np.asarray(value))


def nameable_op(node_factory_function: Callable) -> Callable:
    """Let the factory take ``name=...`` and give it to the node it builds."""

    @wraps(node_factory_function)
    def wrapper(*args: Any, **kwargs: Any) -> Node:
        name = kwargs.pop("name", None)
        node = node_factory_function(*args, **kwargs)
        if name is not None:
            node.set_friendly_name(name)
        return node

    return wrapper


def unary_op(node_factory_function: Callable) -> Callable:
    """Turn a numeric first argument into a Constant, and take ``name=...``."""

    @wraps(node_factory_function)
    def wrapper(input_value: Any, *args: Any, **kwargs: Any) -> Node:
        return node_factory_function(_as_value(input_value), *args, **kwargs)

    return nameable_op(wrapper)


def binary_op(node_factory_function: Callable) -> Callable:
    """Turn numeric first and second arguments into Constants, and take ``name=...``."""

    @wraps(node_factory_function)
    def wrapper(left: Any, right: Any, *args: Any, **kwargs: Any) -> Node:
        return node_factory_function(_as_value(left), _as_value(right), *args, **kwargs)

    return nameable_op(wrapper)


def custom_preprocess_function(custom_function: Callable) -> Callable:
    """Let a ``PrePostProcessor`` custom step return a node: its output 0 is passed on."""

    @wraps(custom_function)
    def wrapper(output: Output) -> Output:
        result = custom_function(output)
        return result.output(0) if isinstance(result, Node) else result

    return wrapper
