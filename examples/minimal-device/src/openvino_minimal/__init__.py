"""``MINIMAL``: a tiny OpenVINO device distributed on its own (see README.md)."""

from openvino_minimal.plugin import MinimalPlugin

__all__ = ["MinimalPlugin"]
