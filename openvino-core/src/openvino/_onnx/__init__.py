"""The ONNX frontend: ``read_onnx`` turns an ONNX model (path, bytes or file object) into a
``Model`` of our ops. Parsing is done by the ``onnx`` package (the ``openvino-core[onnx]``
extra); each ONNX op is mapped by a function registered in one of the ``ops_*`` modules."""

from .reader import read_onnx

__all__ = ["read_onnx"]
