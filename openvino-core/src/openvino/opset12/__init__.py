"""Factory functions of opset 12 (see ``openvino._opsets``)."""

from openvino._opsets import populate as _populate

_populate(globals(), 12)
del _populate
