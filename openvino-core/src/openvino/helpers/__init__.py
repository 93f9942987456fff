"""``openvino.helpers``: helpers for low-precision data (``pack_data``/``unpack_data``, in
``openvino.helpers.packing`` as in the real package)."""

from .packing import pack_data, unpack_data

__all__ = ["pack_data", "unpack_data"]
