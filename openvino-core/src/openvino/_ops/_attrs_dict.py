"""Attribute dictionaries of the opset factories that take one (``prior_box(..., attrs)``,
``detection_output``, ``proposal``): checked as OpenVINO's ``check_valid_attributes``
checks them (``UserInputError``), then the entries the op has are its attributes; OpenVINO's
node factory ignores the others, and so do we."""

from __future__ import annotations

from typing import Any

from ..utils.input_validation import check_valid_attributes

__all__ = ["dict_attributes"]


def dict_attributes(op_name: str, cls: type, attrs: dict[str, Any],
                    requirements: list[tuple[str, bool, type, Any]]) -> dict[str, Any]:
    """``attrs`` checked against ``requirements``, restricted to ``cls``'s attributes."""
    check_valid_attributes(op_name, attrs, requirements)
    return {k: v for k, v in attrs.items() if k in cls.attributes}
