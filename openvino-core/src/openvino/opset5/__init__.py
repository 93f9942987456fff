"""Factory functions of opset 5 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 5)
del _populate
