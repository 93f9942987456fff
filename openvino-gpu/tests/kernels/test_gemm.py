"""GEMM kernels (kernels/gemm.cl through lowering/matmul.py) against the TEMPLATE reference
and numpy: tiled and row kernels, transposes, 1-D operands, batch broadcasting, empty
dimensions, and weights decompressed inside the kernel (f16, u8, i8, u4, i4 with per-channel
and grouped scales / zero points)."""

import numpy as np
import pytest
from kernel_harness import check, op_context, run_gpu

import openvino as ov
import openvino.opset13 as ops
from openvino.plugin.passes import CompressedWeights

RNG = np.random.default_rng(5)


def _x(shape):
    return RNG.uniform(-1, 1, shape).astype(np.float32)


@pytest.mark.parametrize("a_shape,b_shape,ta,tb", [
    ((3, 5), (5, 7), False, False),
    ((70, 33), (33, 65), False, False),      # tiled, edges in every direction
    ((65, 40), (97, 40), False, True),
    ((40, 65), (40, 97), True, False),
    ((2, 3, 37, 19), (19, 45), False, False),  # batch broadcast of B
    ((1, 33, 34), (4, 34, 35), False, False),  # batch broadcast of A
    ((2, 1, 4, 6), (3, 6, 5), False, False),
    ((9,), (9, 4), False, False), ((4, 9), (9,), False, False), ((9,), (9,), False, False),
    ((0, 5), (5, 3), False, False), ((3, 0), (0, 4), False, False),
])
def test_matmul(gpu, a_shape, b_shape, ta, tb, precision):
    a = ops.parameter(list(a_shape), ov.Type.f32)
    b = ops.parameter(list(b_shape), ov.Type.f32)
    tol = {} if precision == "f32" else {"rtol": 2e-2, "atol": 2e-2}
    check(gpu, ops.matmul(a, b, ta, tb), [_x(a_shape), _x(b_shape)], precision, **tol)


def test_matmul_constant_weights(gpu, precision):
    a = ops.parameter([2, 50, 64], ov.Type.f32)
    w = ops.constant(_x((48, 64)))
    tol = {} if precision == "f32" else {"rtol": 2e-2, "atol": 3e-2}
    check(gpu, ops.matmul(a, w, False, True), [_x((2, 50, 64))], precision, **tol)


def _compressed(kind, n, k, group, zero):
    lo, hi = {"u8": (0, 255), "i8": (-128, 127), "u4": (0, 15), "i4": (-8, 7)}[kind]
    dt = np.uint8 if kind[0] == "u" else np.int8
    codes = RNG.integers(lo, hi + 1, (n, k)).astype(dt)
    groups = (k + group - 1) // group
    scale = RNG.uniform(0.01, 0.05, (groups, n)).astype(np.float32)
    zp = RNG.integers(lo, hi + 1, (groups, n)).astype(np.float32) if zero else None
    return CompressedWeights(kind, codes, scale, zp, group, n, k, [])


@pytest.mark.parametrize("kind", ["u8", "i8", "u4", "i4", "f16"])
@pytest.mark.parametrize("m,n,k,group", [(1, 37, 64, 64), (1, 40, 96, 32), (45, 66, 33, 33),
                                         (70, 64, 64, 16), (3, 5, 7, 7)])
@pytest.mark.parametrize("zero", [True, False])
def test_compressed_weights(gpu, kind, m, n, k, group, zero, precision):
    if kind == "f16":
        if not zero or group != k:
            pytest.skip("f16 weights have no scale, zero point or groups")
        cw = CompressedWeights("f16", _x((n, k)).astype(np.float16), None, None, 1, n, k, [])
    else:
        cw = _compressed(kind, n, k, group, zero)
    a = ops.parameter([m, k], ov.Type.f32)
    node = ops.matmul(a, ops.constant(cw.dense()), False, False)
    x = _x((m, k))
    ctx = op_context(gpu, node, precision)
    ctx.inputs = ctx.inputs[:1]
    ctx.compressed_weights = cw
    got = run_gpu(gpu, node, [x], precision, context=ctx)[0].astype(np.float32)
    if precision == "f16":
        x = x.astype(np.float16).astype(np.float32)
    want = x @ cw.dense()
    tol = 1e-4 if precision == "f32" else 2e-2
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * max(1.0, np.abs(want).max()))


def _posted(gpu, node, inputs, posts, post_inputs, precision, want):
    from kernel_harness import op_context, run_gpu

    ctx = op_context(gpu, node, precision, posts)
    out = ctx.outputs[0]
    ctx.outputs = [type(out)(out.shape, posts[-1].attrs.get("_type", out.element_type),
                             posts[-1].attrs.get("_dtype", out.dtype))]
    got = run_gpu(gpu, node, inputs, precision, context=ctx, post_inputs=post_inputs)[0]
    tol = 1e-4 if precision == "f32" else 3e-2
    np.testing.assert_allclose(got.astype(np.float32), want, rtol=tol, atol=tol)


@pytest.mark.parametrize("m", [3, 70])
def test_matmul_fused_bias_and_activation(gpu, m, precision):
    from openvino_gpu.lowering import PostOp, TensorSpec

    dt = np.dtype(np.float16 if precision == "f16" else np.float32)
    a = ops.parameter([2, m, 40], ov.Type.f32)
    w = _x((40, 33))
    node = ops.matmul(a, ops.constant(w), False, False)
    bias = TensorSpec((33,), ov.Type.f32, dt)
    gate = TensorSpec((2, m, 33), ov.Type.f32, dt)
    posts = [PostOp("Add", bias), PostOp("Gelu", None, {"approximation_mode": "erf"}),
             PostOp("Multiply", gate, {"swap": True})]
    xa, xb, xg = _x((2, m, 40)), _x((33,)), _x((2, m, 33))
    r = (lambda v: v.astype(np.float16).astype(np.float32)) if precision == "f16" else \
        (lambda v: v)
    y = r(xa) @ r(w) + r(xb)
    from math import erf
    gelu = 0.5 * y * (1 + np.vectorize(erf)(y / np.sqrt(2)))
    _posted(gpu, node, [xa], posts, [xb, xg], precision, r(xg) * gelu)


def test_matmul_fused_convert_and_compare(gpu):
    from openvino_gpu.lowering import PostOp, TensorSpec

    a = ops.parameter([5, 8], ov.Type.f32)
    w = _x((8, 6)) * 4
    node = ops.matmul(a, ops.constant(w), False, False)
    xa = _x((5, 8)) * 4
    y = xa @ w
    to_int = PostOp("Convert", None, {"destination_type": "i32", "_type": ov.Type.i32,
                                      "_dtype": np.dtype(np.int32)})
    _posted(gpu, node, [xa], [to_int], [], "f32", np.trunc(y))
    zero = TensorSpec((), ov.Type.f32, np.dtype(np.float32), np.array(0.0, np.float32))
    greater = PostOp("Greater", zero, {"_type": ov.Type.boolean, "_dtype": np.dtype(np.uint8)})
    _posted(gpu, node, [xa], [greater], [np.array(0.0, np.float32)], "f32", y > 0)
