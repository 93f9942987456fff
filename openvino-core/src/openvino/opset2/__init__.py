"""Factory functions of opset 2 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 2)
del _populate
