"""Factory functions of opset 7 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 7)
del _populate
