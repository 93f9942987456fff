"""Factory functions of opset 11 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 11)
del _populate
