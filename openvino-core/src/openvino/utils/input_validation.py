"""``openvino.utils.input_validation``: checks of values given to op factories, raising
``openvino.exceptions.UserInputError``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from openvino.exceptions import UserInputError

__all__ = ["assert_list_of_ints", "check_valid_attribute", "check_valid_attributes",
           "is_non_negative_value", "is_positive_value"]


def assert_list_of_ints(value_list: Iterable[int], message: str) -> None:
    """Raise ``UserInputError(message, value_list)`` unless every item is an integer."""
    try:
        values = list(value_list)
    except TypeError:
        raise UserInputError(message, value_list) from None
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        raise UserInputError(message, value_list)


def _check_value(op_name: str, attr_key: str, value: Any, val_type: type,
                 cond: Callable[[Any], bool] | None) -> bool:
    if not np.issubdtype(type(value), val_type):
        raise UserInputError(f'{op_name} operator attribute "{attr_key}" value must by of '
                             f"type {val_type}.")
    if cond is not None and not cond(value):
        raise UserInputError(f'{op_name} operator attribute "{attr_key}" value does not satisfy '
                             "provided condition.")
    return True


def check_valid_attribute(op_name: str, attr_dict: dict[str, Any], attr_key: str,
                          val_type: type, cond: Callable[[Any], bool] | None = None,
                          required: bool = False) -> bool:
    """Check ``attr_dict[attr_key]`` (each item, for a list) is of ``val_type`` and meets
    ``cond``; a missing attribute is an error only when ``required``."""
    if attr_key not in attr_dict:
        if required:
            raise UserInputError(f'Provided dictionary is missing {op_name} operator required '
                                 f'attribute "{attr_key}"')
        return True
    value = attr_dict[attr_key]
    if isinstance(value, (list, tuple, np.ndarray)):
        return all(_check_value(op_name, attr_key, v, val_type, cond) for v in value)
    return _check_value(op_name, attr_key, value, val_type, cond)


def check_valid_attributes(op_name: str, attributes: dict[str, Any],
                           requirements: list[tuple[str, bool, type, Any]]) -> bool:
    """Check every ``(name, required, type, condition)`` of ``requirements``."""
    for attr, required, val_type, cond in requirements:
        check_valid_attribute(op_name, attributes, attr, val_type, cond, required)
    return True


def is_positive_value(value: Any) -> bool:
    return value > 0


def is_non_negative_value(value: Any) -> bool:
    return value >= 0
