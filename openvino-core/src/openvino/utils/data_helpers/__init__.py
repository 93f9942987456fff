"""``openvino.utils.data_helpers``: the result mapping ``OVDict``."""

from openvino.utils.data_helpers.ovdict import OVDict

__all__ = ["OVDict"]
