"""What the CPU kernels fuse: ``CPUFusionRules`` for the SDK's ``fuse_post_ops``
(``openvino.plugin.passes.fusion``).

Convolutions (``conv_supported``), poolings, MatMuls, MVN over trailing axes, batch norms
with constant statistics (DenseNet's BN before each convolution: the per-channel
Multiply / Add after it fold into its scale and shift, ``lower_eltwise``) and elementwise
steps take post ops; a step holds at most ``OV_MAX_POST`` of them and
``OV_MAX_BUFS`` operands in all (its own first).
"""

from __future__ import annotations

from openvino import Type
from openvino.plugin.passes import (
    COMPARISONS,
    EltwiseStep,
    FusionRules,
    Op,
    binary_function,
    mvn_tail,
    unary_step,
)

from .._native import lib
from .eltwise_table import ACT_CODES, BIN_CODES
from .support import batchnorm_supported, conv_supported, matmul_supported, pool_supported

__all__ = ["CPUFusionRules", "post_groups"]

_MAX_BUFS = 8


def post_groups(op: Op) -> tuple[int, int] | None:
    """How the op's kernel sees its output for post ops: (batch dims, row dims); None when
    the op takes no post ops."""
    if not op.outputs or op.outputs[0].type != Type.f32:
        return None
    rank = len(op.outputs[0].shape)
    if op.type in ("Convolution", "GroupConvolution") and conv_supported(op):
        return (1, 1)
    if op.type in ("MaxPool", "AvgPool") and pool_supported(op):
        return (1, 1)
    if op.type == "MatMul" and matmul_supported(op):
        return (rank - 2, 1) if rank >= 2 else (0, 0)
    if op.type == "MVN":
        tail = mvn_tail(op)
        return None if tail is None else (0, rank - tail)
    if op.type == "BatchNormInference" and batchnorm_supported(op):
        return (1, 1)
    function = binary_function(op)
    if function is not None and function not in COMPARISONS:
        return (0, 0)
    if unary_step(op) is not None:
        return (0, 0)
    return None


def _base_buffers(op: Op) -> int:
    """Operands the op's step uses before its post-op operands."""
    if op.type in ("MatMul", "Convolution", "GroupConvolution"):
        return 5
    if binary_function(op) is not None:
        return 3
    if op.type == "BatchNormInference":
        return 4  # x, y, and its own scale and shift
    return 2


class CPUFusionRules(FusionRules):
    """The CPU kernels' limits on post ops."""

    max_post_ops = int(lib.OV_MAX_POST)

    def output_groups(self, op: Op) -> tuple[int, int] | None:
        return post_groups(op)

    def max_operands(self, op: Op) -> int:
        return _MAX_BUFS - _base_buffers(op)

    def accepts(self, op: Op, step: EltwiseStep) -> bool:
        return step.function in (ACT_CODES if step.operand is None else BIN_CODES)

    def scales_weights(self, op: Op) -> bool:
        return op.type in ("Convolution", "GroupConvolution")
