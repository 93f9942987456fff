"""Factory functions of opset 9 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 9)
del _populate
