"""``openvino.utils``: helpers users import by path (``openvino.utils.types.get_dtype``,
``openvino.utils.data_helpers.OVDict``)."""

from openvino.utils import data_helpers, types

__all__ = ["data_helpers", "types"]
