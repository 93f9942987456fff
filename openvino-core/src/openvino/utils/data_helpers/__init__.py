"""``openvino.utils.data_helpers``: the result mapping ``OVDict`` and OpenVINO's input
dispatcher ``_data_dispatch``."""

from openvino.utils.data_helpers.ovdict import OVDict
from openvino.utils.data_helpers.request_dispatch import _data_dispatch

__all__ = ["OVDict", "_data_dispatch"]
