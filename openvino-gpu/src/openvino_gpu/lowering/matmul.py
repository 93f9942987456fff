"""MatMul (naive): one work item per output element, transposes and batch broadcasting
through strides and per-batch offsets (``kernels/matmul_naive.cl``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import In, Launch, OpContext, Out, Unsupported, register


def _supports(node: Any) -> bool:
    return node.get_output_element_type(0).is_real()


def _matrix(shape: tuple[int, ...], transpose: bool, is_b: bool
            ) -> tuple[tuple[int, ...], int, int, int, int]:
    """(batch shape, rows, cols, row stride, col stride) of a MatMul operand after its 1-D
    promotion and transpose."""
    shape = tuple(shape)
    if len(shape) == 1:
        shape = (shape[0], 1) if is_b else (1, shape[0])
        transpose = False
    r, c = shape[-2], shape[-1]
    rs, cs = c, 1
    if transpose:
        r, c, rs, cs = c, r, cs, rs
    return shape[:-2], r, c, rs, cs


@register("MatMul", supports=_supports)
def lower_matmul(op: OpContext) -> list[Launch]:
    a, b = op.inputs[0], op.inputs[1]
    if np.dtype(op.outputs[0].dtype).kind != "f":
        raise Unsupported("MatMul of non-float tensors")
    ab, m, k, a_ms, a_ks = _matrix(a.shape, bool(op.attr("transpose_a", False)), False)
    bb, k2, n, b_ks, b_ns = _matrix(b.shape, bool(op.attr("transpose_b", False)), True)
    if k != k2:
        raise Unsupported(f"MatMul inner dimensions differ: {k} and {k2}")
    batch = tuple(np.broadcast_shapes(ab, bb))
    nb = int(np.prod(batch, dtype=np.int64))
    if op.outputs[0].size == 0:
        return []
    a_off = _batch_offsets(batch, ab, m * k)
    b_off = _batch_offsets(batch, bb, k * n)
    program = op.program("matmul_naive.cl", op.float_options())
    ls = (min(16, n), min(4, m), 1)
    gs = (_round_up(n, ls[0]), _round_up(m, ls[1]), nb)
    return [Launch(program, "matmul_naive", gs, ls,
                   (In(0), In(1), Out(0), np.int32(m), np.int32(n), np.int32(k),
                    op.constant(a_off), op.constant(b_off),
                    np.int32(a_ms), np.int32(a_ks), np.int32(b_ks), np.int32(b_ns)))]


def _batch_offsets(batch: tuple[int, ...], own: tuple[int, ...], matrix: int) -> np.ndarray:
    """Element offset of each output batch's matrix in an operand of batch shape ``own``."""
    if not batch:
        return np.zeros(1, dtype=np.int32)
    own = (1,) * (len(batch) - len(own)) + tuple(own)
    idx = np.arange(int(np.prod(own, dtype=np.int64)), dtype=np.int64).reshape(own)
    offsets = np.broadcast_to(idx, batch).reshape(-1) * matrix
    if offsets.size and offsets.max() >= 2 ** 31:
        raise Unsupported("MatMul operand too large for 32-bit indexing")
    return offsets.astype(np.int32)


def _round_up(n: int, m: int) -> int:
    return (n + m - 1) // m * m
