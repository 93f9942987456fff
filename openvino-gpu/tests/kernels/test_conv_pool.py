"""Convolution and pooling kernels (kernels/conv.cl, kernels/pool.cl, 1x1 through
kernels/gemm.cl) against the TEMPLATE reference: direct, implicit GEMM, depthwise, grouped,
pointwise; strides, dilations, padding and auto_pad; 1-D/2-D/3-D; empty batches."""

import numpy as np
import pytest
from kernel_harness import check, run_gpu, run_reference

import openvino as ov
import openvino.opset1 as ops1
import openvino.opset13 as ops

RNG = np.random.default_rng(3)


def _x(shape):
    return RNG.uniform(-1, 1, shape).astype(np.float32)


CONVS = [
    # x shape, w shape, strides, pads_begin, pads_end, dilations, auto_pad
    ((1, 3, 9, 11), (20, 3, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1], "explicit"),   # igemm
    ((2, 5, 10, 7), (4, 5, 3, 2), [2, 1], [0, 1], [1, 0], [1, 2], "explicit"),    # direct
    ((2, 8, 12, 12), (33, 8, 1, 1), [1, 1], [0, 0], [0, 0], [1, 1], "explicit"),  # 1x1 gemm
    ((1, 4, 7, 9), (17, 4, 1, 1), [2, 2], [0, 0], [0, 0], [1, 1], "explicit"),    # strided 1x1
    ((1, 2, 13), (18, 2, 5), [3], [2], [1], [2], "explicit"),                     # 1-D
    ((1, 2, 5, 6, 7), (16, 2, 3, 3, 3), [1, 2, 1], [1, 0, 1], [0, 1, 1], [1, 1, 1],
     "explicit"),                                                                  # 3-D
    ((1, 3, 8, 9), (16, 3, 3, 3), [2, 2], [0, 0], [0, 0], [1, 1], "same_upper"),
    ((1, 3, 8, 9), (5, 3, 4, 2), [2, 3], [0, 0], [0, 0], [1, 1], "same_lower"),
    ((1, 3, 8, 9), (5, 3, 4, 2), [1, 1], [3, 3], [3, 3], [1, 1], "valid"),
    ((0, 3, 8, 9), (5, 3, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1], "explicit"),
    ((1, 64, 14, 14), (70, 64, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1], "explicit"),
]


@pytest.mark.parametrize("xs,ws,s,pb,pe,d,auto", CONVS, ids=[str(c[:2]) for c in CONVS])
def test_convolution(gpu, xs, ws, s, pb, pe, d, auto, precision):
    x = ops.parameter(list(xs), ov.Type.f32)
    w = ops.constant(_x(ws))
    node = ops.convolution(x, w, s, pb, pe, d, auto)
    tol = {} if precision == "f32" else {"rtol": 3e-2, "atol": 3e-2}
    if xs[1] >= 64:
        tol = {"rtol": 1e-3, "atol": 1e-3} if precision == "f32" else {"rtol": 5e-2,
                                                                         "atol": 8e-2}
    check(gpu, node, [_x(xs)], precision, **tol)


GROUPS = [
    ((2, 6, 9, 8), (6, 1, 1, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1]),    # depthwise
    ((1, 6, 9, 8), (6, 1, 1, 3, 3), [2, 2], [1, 0], [0, 1], [2, 1]),    # depthwise strided
    ((1, 8, 10, 10), (2, 20, 4, 3, 3), [1, 1], [0, 0], [0, 0], [1, 1]),  # grouped igemm
    ((1, 6, 5, 5), (3, 2, 2, 1, 1), [1, 1], [0, 0], [0, 0], [1, 1]),    # grouped 1x1
    ((1, 4, 11), (4, 2, 1, 3), [1], [1], [1], [1]),                      # 1-D, 2 per group
]


@pytest.mark.parametrize("xs,ws,s,pb,pe,d", GROUPS, ids=[str(c[:2]) for c in GROUPS])
def test_group_convolution(gpu, xs, ws, s, pb, pe, d, precision):
    x = ops.parameter(list(xs), ov.Type.f32)
    node = ops.group_convolution(x, ops.constant(_x(ws)), s, pb, pe, d)
    tol = {} if precision == "f32" else {"rtol": 3e-2, "atol": 3e-2}
    check(gpu, node, [_x(xs)], precision, **tol)


POOLS = [
    # x, kernel, strides, pads_begin, pads_end, rounding, auto_pad
    ((1, 3, 9, 9), [3, 3], [2, 2], [1, 1], [1, 1], "floor", "explicit"),
    ((2, 2, 8, 7), [2, 3], [2, 2], [0, 0], [0, 0], "ceil", "explicit"),
    ((1, 2, 7, 7), [3, 3], [2, 2], [0, 0], [0, 0], "floor", "same_upper"),
    ((1, 2, 10), [4], [3], [1], [2], "ceil", "explicit"),
    ((1, 2, 4, 5, 6), [2, 2, 3], [1, 2, 2], [1, 0, 1], [0, 1, 1], "floor", "explicit"),
    ((0, 2, 6, 6), [2, 2], [2, 2], [0, 0], [0, 0], "floor", "explicit"),
]


@pytest.mark.parametrize("xs,k,s,pb,pe,rounding,auto", POOLS, ids=[str(p[:2]) for p in POOLS])
@pytest.mark.parametrize("exclude_pad", [True, False])
def test_avg_pool(gpu, xs, k, s, pb, pe, rounding, auto, exclude_pad, precision):
    x = ops.parameter(list(xs), ov.Type.f32)
    node = ops1.avg_pool(x, s, pb, pe, k, exclude_pad, rounding, auto)
    check(gpu, node, [_x(xs)], precision)


@pytest.mark.parametrize("xs,k,s,pb,pe,rounding,auto", POOLS, ids=[str(p[:2]) for p in POOLS])
def test_max_pool_v1(gpu, xs, k, s, pb, pe, rounding, auto, precision):
    x = ops.parameter(list(xs), ov.Type.f32)
    node = ops1.max_pool(x, s, pb, pe, k, rounding, auto)
    check(gpu, node, [_x(xs)], precision)


@pytest.mark.parametrize("index_type", ["i32", "i64"])
@pytest.mark.parametrize("axis", [0, 2])
def test_max_pool_v8_indices(gpu, index_type, axis):
    x = ops.parameter([2, 3, 9, 8], ov.Type.f32)
    node = ops.max_pool(x, [2, 1], [2, 1], [1, 0], [0, 1], [3, 2], "floor", "explicit",
                        index_type, axis)
    check(gpu, node, [_x((2, 3, 9, 8))])


@pytest.mark.parametrize("xs,out", [((2, 3, 7, 9), [3, 4]), ((1, 2, 10), [4]),
                                    ((1, 2, 5, 6, 7), [2, 3, 3]), ((1, 1, 3, 3), [5, 4])],
                         ids=str)
def test_adaptive_pools(gpu, xs, out, precision):
    import openvino.opset8 as ops8

    x = ops.parameter(list(xs), ov.Type.f32)
    size = ops.constant(np.array(out, np.int64))
    check(gpu, ops8.adaptive_avg_pool(x, size), [_x(xs)], precision)
    for index_type in ("i32", "i64"):
        check(gpu, ops8.adaptive_max_pool(x, size, index_type), [_x(xs)], precision)


DECONVS = [
    # x, w, strides, pads_begin, pads_end, dilations, output_padding, output_shape, auto_pad
    ((1, 3, 5, 5), (3, 4, 3, 3), [2, 2], [1, 1], [1, 1], [1, 1], [1, 1], None, "explicit"),
    ((2, 2, 4, 6), (2, 3, 2, 3), [1, 2], [0, 1], [1, 0], [2, 1], [0, 0], None, "explicit"),
    ((1, 2, 7), (2, 5, 4), [3], [0], [0], [1], [0], None, "explicit"),
    ((1, 3, 4, 4), (3, 2, 3, 3), [2, 2], [0, 0], [0, 0], [1, 1], [0, 0], [8, 8], "same_upper"),
    ((1, 3, 4, 4), (3, 2, 3, 3), [2, 2], [0, 0], [0, 0], [1, 1], [0, 0], [7, 9], "same_lower"),
    ((1, 2, 3, 3), (2, 2, 3, 3), [1, 1], [0, 0], [0, 0], [1, 1], [0, 0], None, "valid"),
]


@pytest.mark.parametrize("xs,ws,s,pb,pe,d,op_,out,auto", DECONVS, ids=[str(c[:2]) for c in DECONVS])
def test_convolution_backprop_data(gpu, xs, ws, s, pb, pe, d, op_, out, auto, precision):
    x = ops.parameter(list(xs), ov.Type.f32)
    shape = None if out is None else ops.constant(np.array(out, np.int64))
    node = ops.convolution_backprop_data(x, ops.constant(_x(ws)), s, shape, pb, pe, d, auto,
                                         op_)
    tol = {} if precision == "f32" else {"rtol": 3e-2, "atol": 3e-2}
    check(gpu, node, [_x(xs)], precision, **tol)


def test_group_convolution_backprop_data(gpu, precision):
    x = ops.parameter([1, 4, 5, 4], ov.Type.f32)
    node = ops.group_convolution_backprop_data(x, ops.constant(_x((2, 2, 3, 3, 2))), [2, 1],
                                               None, [1, 0], [0, 1], [1, 1])
    tol = {} if precision == "f32" else {"rtol": 3e-2, "atol": 3e-2}
    check(gpu, node, [_x((1, 4, 5, 4))], precision, **tol)


@pytest.mark.parametrize("ws,groups", [((20, 3, 3, 3), 1), ((4, 3, 2, 2), 1),
                                       ((16, 3, 1, 1), 1), ((3, 1, 1, 3, 3), 3)], ids=str)
def test_convolution_fused_bias_relu(gpu, ws, groups, precision):
    from kernel_harness import op_context, run_gpu

    from openvino_gpu.lowering import PostOp, TensorSpec

    dt = np.dtype(np.float16 if precision == "f16" else np.float32)
    x = ops.parameter([2, 3, 9, 8], ov.Type.f32)
    w = _x(ws)
    node = (ops.convolution(x, ops.constant(w), [1, 1], [0, 0], [0, 0], [1, 1]) if groups == 1
            else ops.group_convolution(x, ops.constant(w), [1, 1], [0, 0], [0, 0], [1, 1]))
    oc = node.get_output_shape(0)[1]
    bias = TensorSpec((1, oc, 1, 1), ov.Type.f32, dt)
    posts = [PostOp("Add", bias), PostOp("Relu")]
    xv, xb = _x((2, 3, 9, 8)), _x((1, oc, 1, 1))
    ctx = op_context(gpu, node, precision, posts)
    got = run_gpu(gpu, node, [xv], precision, context=ctx, post_inputs=[xb])[0]
    ref = run_reference(node, [xv.astype(dt).astype(np.float32) if precision == "f16" else xv])
    want = np.maximum(ref[0] + (xb.astype(dt).astype(np.float32)), 0)
    tol = 1e-4 if precision == "f32" else 3e-2
    np.testing.assert_allclose(got.astype(np.float32), want, rtol=tol, atol=tol)


@pytest.mark.parametrize("exclude_pad", [True, False])
@pytest.mark.parametrize("pads", [([0, 0], [0, 0]), ([1, 2], [2, 1])], ids=str)
def test_avg_pool_v16_dilations(gpu, exclude_pad, pads, precision):
    import openvino.opset16 as ops16

    x = ops.parameter([1, 2, 11, 10], ov.Type.f32)
    node = ops16.avg_pool(x, [2, 1], pads[0], pads[1], [3, 2], exclude_pad, "ceil",
                          "explicit", [2, 3])
    check(gpu, node, [_x((1, 2, 11, 10))], precision)


# AvgPool's divisor, values from OpenVINO 2026.4.1's CPU plugin for x = arange(16) as
# [1, 1, 4, 4], kernel 3x3, strides 2: with padding counted, every window divides by 9,
# even the ceil-rounded last one that reaches past the end padding (15 / 9); without it,
# by the taps inside the input. Pads 0 with a ceil overhang: the taps inside either way.
_X16 = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
_PADDED_INCLUDE = [10 / 9, 24 / 9, 10 / 9, 51 / 9, 10.0, 33 / 9, 25 / 9, 42 / 9, 15 / 9]
_PADDED_EXCLUDE = [2.5, 4.0, 5.0, 8.5, 10.0, 11.0, 12.5, 14.0, 15.0]
_UNPADDED = [5.0, 6.5, 11.0, 12.5]


@pytest.mark.parametrize("rounding", ["ceil", "ceil_torch"])
@pytest.mark.parametrize("pads,exclude_pad,want", [
    ([1, 1], False, _PADDED_INCLUDE), ([1, 1], True, _PADDED_EXCLUDE),
    ([0, 0], False, _UNPADDED), ([0, 0], True, _UNPADDED)], ids=str)
def test_avg_pool_v14_divisor_as_openvino(gpu, rounding, pads, exclude_pad, want, precision):
    import openvino.opset14 as ops14

    x = ops.parameter([1, 1, 4, 4], ov.Type.f32)
    node = ops14.avg_pool(x, [2, 2], pads, pads, [3, 3], exclude_pad, rounding, "explicit")
    got = run_gpu(gpu, node, [_X16], precision)[0].astype(np.float32).reshape(-1)
    tol = 1e-6 if precision == "f32" else 2e-3
    np.testing.assert_allclose(got, np.array(want, np.float32), rtol=tol, atol=tol)
