"""Factory functions of opset 4 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 4)
del _populate
