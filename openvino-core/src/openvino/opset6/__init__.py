"""Factory functions of opset 6 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 6)
del _populate
