"""Factory functions of opset 10 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 10)
del _populate
