"""``openvino.utils.data_helpers``: the result mapping ``OVDict`` and OpenVINO's input
dispatcher ``_data_dispatch``."""

from openvino.utils.data_helpers.data_dispatcher import _data_dispatch
from openvino.utils.data_helpers.ovdict import OVDict

__all__ = ["OVDict", "_data_dispatch"]
