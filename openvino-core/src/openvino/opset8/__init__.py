"""Factory functions of opset 8 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 8)
del _populate
