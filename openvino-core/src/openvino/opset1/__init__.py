"""Factory functions of opset 1 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 1)
del _populate
