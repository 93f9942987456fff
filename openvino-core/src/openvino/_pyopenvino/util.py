"""``openvino._pyopenvino.util``: the binding's graph-editing helpers (also re-exported by
``openvino.utils``) and its ``deprecation_warning``."""

from openvino._deprecation import deprecation_warning
from openvino._node_replacement import replace_node, replace_output_update_name

__all__ = ["deprecation_warning", "replace_node", "replace_output_update_name"]
