"""MatMul (``kernels/gemm.cl``): transposes and 1-D promotion through strides, batch
broadcasting through per-batch offset tables, and weights kept compressed (u8/i8/u4/i4 with
scale, zero point and group size, or f16) when the runtime hands the op a
``CompressedWeights`` (``op.compressed_weights``, from ``openvino.plugin.passes``; the op's
inputs are then only the data). The tiled kernel takes blocks of at least 32x32 on devices
whose work groups reach 256 items; the row kernel takes the rest (GEMV-like shapes).
Fused elementwise tails (bias, activation...) run in the kernels' epilogue."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import In, Launch, OpContext, Out, Unsupported, register
from .eltwise import post_chain

__all__ = ["lower_matmul", "matrix_view", "batch_offsets", "gemm_launch", "pack_nibbles"]

INT_MAX = 2**31 - 1
WEIGHT_CODES = {"f16": 1, "u8": 2, "i8": 3, "u4": 4, "i4": 5}


def _supports(node: Any) -> bool:
    return (node.get_output_element_type(0).get_type_name() in ("f32", "f16", "bf16")
            and node.get_input_element_type(0).get_type_name() in ("f32", "f16", "bf16"))


def matrix_view(shape: tuple[int, ...], transpose: bool, is_b: bool
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


def batch_offsets(batch: tuple[int, ...], own: tuple[int, ...], matrix: int) -> np.ndarray:
    """Element offset of each output batch's matrix in an operand of batch shape ``own``."""
    if not batch:
        return np.zeros(1, dtype=np.int32)
    own = (1,) * (len(batch) - len(own)) + tuple(own)
    idx = np.arange(int(np.prod(own, dtype=np.int64)), dtype=np.int64).reshape(own)
    offsets = np.broadcast_to(idx, batch).reshape(-1) * matrix
    if offsets.size and offsets.max() + matrix > INT_MAX:
        raise Unsupported("MatMul operand too large for 32-bit indexing")
    return offsets.astype(np.int32)


def pack_nibbles(codes: np.ndarray) -> np.ndarray:
    """[N, K] 4-bit codes (one per byte) -> [N, ceil(K / 2)] bytes, low nibble first."""
    n, k = codes.shape
    c = np.zeros((n, k + (k & 1)), np.uint8)
    c[:, :k] = codes.astype(np.uint8) & 15
    return np.ascontiguousarray(c[:, 0::2] | (c[:, 1::2] << 4))


def _round_up(n: int, m: int) -> int:
    return (n + m - 1) // m * m


def gemm_launch(op: OpContext, a: Any, b: Any, out: Any, batch: int, m: int, n: int, k: int,
                a_off: np.ndarray, b_off: np.ndarray, a_ms: int, a_ks: int, b_ks: int,
                b_ns: int, weights: int = 0, scale: Any = None, zp: Any = None,
                group: int = 1) -> Launch:
    """One GEMM launch over ``batch`` matrices (``kernels/gemm.cl`` layouts), with the op's
    fused post ops as its epilogue."""
    if batch * m * n > INT_MAX:
        raise Unsupported("MatMul output too large for 32-bit indexing")
    dummy = None
    if scale is None or zp is None:
        dummy = op.constant(np.zeros(1, np.float32))
    post_options, post_args = post_chain(op)
    options = op.float_options() + (f"-DWEIGHTS={weights}",) + post_options
    program = op.program("gemm.cl", options)
    args = (a, b, out, np.int32(m), np.int32(n), np.int32(k), op.constant(a_off),
            op.constant(b_off), np.int32(a_ms), np.int32(a_ks), np.int32(b_ks), np.int32(b_ns),
            scale if scale is not None else dummy, zp if zp is not None else dummy,
            np.int32(group)) + post_args
    dev = op.device
    tiled = (m >= 32 and n >= 32 and dev.max_work_group_size >= 256
             and dev.local_mem_size >= 2 * 16 * 65 * 4)
    if tiled:
        gs = (_round_up(n, 64) // 4, _round_up(m, 64) // 4, batch)
        return Launch(program, "gemm_tiled", gs, (16, 16, 1), args)
    ls = (min(64, _round_up(n, 8)), 1, 1)
    return Launch(program, "gemm_rows", (_round_up(n, ls[0]), m, batch), ls, args)


@register("MatMul", supports=_supports, post_ops=True)
def lower_matmul(op: OpContext) -> list[Launch]:
    a = op.inputs[0]
    out = op.outputs[0]
    if np.dtype(a.dtype).kind != "f":
        raise Unsupported("MatMul of non-float tensors")
    ab, m, k, a_ms, a_ks = matrix_view(a.shape, bool(op.attr("transpose_a", False)), False)
    cw = getattr(op, "compressed_weights", None)
    weights, scale, zp, group = 0, None, None, 1
    b_arg: Any
    if cw is not None:
        if cw.element_type not in WEIGHT_CODES:
            raise Unsupported(f"compressed weights of type {cw.element_type}")
        weights = WEIGHT_CODES[cw.element_type]
        bb, k2, n = (), cw.K, cw.N
        codes = np.ascontiguousarray(cw.codes)
        if weights == 1:
            b_arg, b_ks, b_ns = op.constant(codes.astype(np.float16)), 1, k2
        elif weights in (4, 5):
            packed = pack_nibbles(codes)
            b_arg, b_ks, b_ns = op.constant(packed), 1, packed.shape[1]
        else:
            b_arg, b_ks, b_ns = op.constant(codes.astype(
                np.uint8 if weights == 2 else np.int8)), 1, k2
        if weights != 1:
            groups = cw.groups
            scale = op.constant(np.ascontiguousarray(cw.scale, np.float32).reshape(groups, n))
            zero = (np.zeros((groups, n), np.float32) if cw.zero_point is None
                    else np.ascontiguousarray(cw.zero_point, np.float32).reshape(groups, n))
            zp = op.constant(zero)
            group = int(cw.group_size)
        b_size = 0
    else:
        if len(op.inputs) != 2:
            raise Unsupported("MatMul without its weights input")
        b = op.inputs[1]
        if np.dtype(b.dtype).kind != "f":
            raise Unsupported("MatMul of non-float tensors")
        bb, k2, n, b_ks, b_ns = matrix_view(b.shape, bool(op.attr("transpose_b", False)), True)
        b_arg, b_size = In(1), k2 * n
    if k != k2:
        raise Unsupported(f"MatMul inner dimensions differ: {k} and {k2}")
    batch = tuple(np.broadcast_shapes(ab, bb))
    nb = int(np.prod(batch, dtype=np.int64))
    if out.size == 0:
        return []
    a_off = batch_offsets(batch, ab, m * k)
    b_off = batch_offsets(batch, bb, b_size) if b_size else np.zeros(max(nb, 1), np.int32)
    return [gemm_launch(op, In(0), b_arg, Out(0), nb, m, n, k, a_off, b_off, a_ms, a_ks,
                        b_ks, b_ns, weights, scale, zp, group)]

