"""What the kernels can run, decided once for fusion and lowering alike, and the resolved
geometry (pads, strides) of windowed ops."""

from __future__ import annotations

from openvino import Type
from openvino.plugin.passes import Op
from openvino.plugin.windows import Window, window

__all__ = ["Window", "conv_window", "pool_window", "conv_supported", "pool_supported",
           "matmul_supported", "batchnorm_supported", "is_f32"]


def is_f32(*values: object) -> bool:
    return all(getattr(v, "type", None) == Type.f32 for v in values)


def conv_window(op: Op) -> Window:
    """Geometry of a Convolution / GroupConvolution with static shapes."""
    x, w = op.inputs[0], op.inputs[1]
    return window(op.node, x.shape, kernel=w.shape[2 - len(x.shape):])


def pool_window(op: Op) -> Window:
    """Geometry of a MaxPool / AvgPool with static shapes."""
    return window(op.node, op.inputs[0].shape)


def conv_supported(op: Op) -> bool:
    """f32 1-D / 2-D (group) convolution with constant filters."""
    if op.type not in ("Convolution", "GroupConvolution") or len(op.inputs) != 2:
        return False
    x, w = op.inputs
    if not (is_f32(x, w, op.outputs[0]) and w.is_const):
        return False
    if len(x.shape) not in (3, 4):
        return False
    if op.type == "GroupConvolution" and w.shape[0] * w.shape[2] != x.shape[1]:
        return False
    return op.outputs[0].size > 0 and x.size > 0


def pool_supported(op: Op) -> bool:
    """f32 MaxPool (values only) / AvgPool over 1 to 3 spatial axes."""
    if op.type not in ("MaxPool", "AvgPool"):
        return False
    x = op.inputs[0]
    if not is_f32(x, op.outputs[0]) or not 3 <= len(x.shape) <= 5:
        return False
    if op.type == "MaxPool" and len(op.outputs) > 1 and (op.outputs[1].consumers
                                                         or op.outputs[1].is_output):
        return False
    return op.outputs[0].size > 0


def matmul_supported(op: Op) -> bool:
    """f32 MatMul with inputs of rank 1 to 6."""
    if op.type != "MatMul":
        return False
    a = op.inputs[0]
    if op.compressed_weights is not None:
        return len(op.inputs) == 1 and is_f32(a, op.outputs[0]) and 1 <= len(a.shape) <= 6
    if len(op.inputs) != 2:
        return False
    b = op.inputs[1]
    if not is_f32(a, b, op.outputs[0]):
        return False
    return 1 <= len(a.shape) <= 6 and 1 <= len(b.shape) <= 6


def batchnorm_supported(op: Op) -> bool:
    """f32 BatchNormInference (v0 or v5) with constant statistics, rank >= 2."""
    if op.type != "BatchNormInference" or op.node is None:
        return False
    order = getattr(op.node, "order", (0, 1, 2, 3, 4))
    x, y = op.inputs[order[0]], op.outputs[0]
    return is_f32(x, y) and len(x.shape) >= 2 and all(op.inputs[i].is_const
                                                      for i in order[1:])
