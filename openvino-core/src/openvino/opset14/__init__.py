"""Factory functions of opset 14 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 14)
del _populate
