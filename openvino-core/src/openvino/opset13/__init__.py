"""Factory functions of opset 13 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 13)
del _populate
