"""Factory functions of opset 16 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 16)
del _populate
