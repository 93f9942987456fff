"""``openvino._pyopenvino.util``: the binding's graph-editing helpers (also re-exported by
``openvino.utils``)."""

from openvino._node_replacement import replace_node, replace_output_update_name

__all__ = ["replace_node", "replace_output_update_name"]
