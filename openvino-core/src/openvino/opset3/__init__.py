"""Factory functions of opset 3 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 3)
del _populate
