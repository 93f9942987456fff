"""``openvino.utils``: helpers users import by path (``openvino.utils.types.get_dtype``,
``openvino.utils.data_helpers.OVDict``, ``openvino.utils.replace_node``)."""

from openvino._node_replacement import replace_node, replace_output_update_name
from openvino.utils import data_helpers, types

__all__ = ["data_helpers", "replace_node", "replace_output_update_name", "types"]
