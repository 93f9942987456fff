"""Factory functions of opset 15 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 15)
del _populate
