"""Scatter kernels (kernels/scatter.cl), GatherElements and CumSum against the TEMPLATE
reference: duplicates (last wins), reductions, negative indices, every element size."""

import numpy as np
import pytest
from kernel_harness import check

import openvino as ov
import openvino.opset3 as ops3
import openvino.opset4 as ops4
import openvino.opset13 as ops
import openvino.opset15 as ops15

RNG = np.random.default_rng(29)


def _x(shape, dtype=np.float32):
    if np.dtype(dtype).kind == "f":
        return RNG.uniform(-3, 3, shape).astype(dtype)
    return RNG.integers(-20, 20, shape).astype(dtype)


def _c(v, dtype=np.int64):
    return ops.constant(np.array(v, dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int8])
def test_scatter_update(gpu, dtype):
    t = ov.Type(dtype)
    data, upd = ops.parameter([4, 5, 3], t), ops.parameter([4, 2, 2, 3], t)
    idx = ops.parameter([2, 2], ov.Type.i32)
    node = ops.scatter_update(data, idx, upd, _c(1))
    check(gpu, node, [_x((4, 5, 3), dtype), np.array([[4, 0], [2, 4]], np.int32),
                      _x((4, 2, 2, 3), dtype)])


@pytest.mark.parametrize("reduction", ["none", "sum", "prod", "min", "max", "mean"])
@pytest.mark.parametrize("use_init", [True, False])
def test_scatter_elements(gpu, reduction, use_init, precision):
    data, upd = ops.parameter([3, 6], ov.Type.f32), ops.parameter([3, 4], ov.Type.f32)
    idx = ops.parameter([3, 4], ov.Type.i64)
    node = ops.scatter_elements_update(data, idx, upd, _c(1), reduction, use_init)
    xi = np.array([[0, 5, 0, -1], [2, 2, 2, 3], [1, 0, -6, 4]], np.int64)
    check(gpu, node, [_x((3, 6)), xi, _x((3, 4))], precision)


def test_scatter_elements_v3_int(gpu):
    data, upd = ops.parameter([4, 3], ov.Type.i32), ops.parameter([2, 3], ov.Type.i32)
    idx = ops.parameter([2, 3], ov.Type.i32)
    node = ops3.scatter_elements_update(data, idx, upd, _c(0))
    check(gpu, node, [_x((4, 3), np.int32), np.array([[3, 0, 1], [3, 2, 1]], np.int32),
                      _x((2, 3), np.int32)])


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8])
def test_scatter_nd(gpu, dtype):
    t = ov.Type(dtype)
    data = ops.parameter([4, 3, 2], t)
    idx = ops.parameter([3, 2], ov.Type.i64)
    upd = ops.parameter([3, 2], t)
    xi = np.array([[0, 1], [3, 2], [0, 1]], np.int64)
    check(gpu, ops4.scatter_nd_update(data, idx, upd),
          [_x((4, 3, 2), dtype) if dtype is not np.uint8 else np.arange(24, dtype=np.uint8)
           .reshape(4, 3, 2), xi, _x((3, 2), dtype) if dtype is not np.uint8 else
           np.full((3, 2), 200, np.uint8)])
    neg = ops.parameter([2, 2], ov.Type.i64)
    check(gpu, ops15.scatter_nd_update(data, neg, ops.parameter([2, 2], t)),
          [_x((4, 3, 2), dtype).astype(dtype), np.array([[-1, 0], [1, -3]], np.int64),
           _x((2, 2), dtype).astype(dtype)])
    idx1 = ops.parameter([2, 1], ov.Type.i32)
    upd1 = ops.parameter([2, 3, 2], t)
    check(gpu, ops4.scatter_nd_update(data, idx1, upd1),
          [_x((4, 3, 2), dtype).astype(dtype), np.array([[2], [1]], np.int32),
           _x((2, 3, 2), dtype).astype(dtype)])


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int16])
def test_gather_elements(gpu, dtype):
    data = ops.parameter([3, 4, 2], ov.Type(dtype))
    idx = ops.parameter([3, 5, 2], ov.Type.i32)
    xi = RNG.integers(0, 4, (3, 5, 2)).astype(np.int32)
    check(gpu, ops.gather_elements(data, idx, 1), [_x((3, 4, 2), dtype), xi])


def test_gather_elements_negative_indices_count_from_the_end(gpu):
    # as OpenVINO's CPU plugin does (the core's reference refuses them)
    from kernel_harness import run_gpu

    data = ops.parameter([2, 3], ov.Type.f32)
    idx = ops.parameter([2, 2], ov.Type.i32)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    got = run_gpu(gpu, ops.gather_elements(data, idx, 1),
                  [x, np.array([[-1, 0], [2, -3]], np.int32)])[0]
    np.testing.assert_array_equal(got, [[2, 0], [5, 3]])


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumsum(gpu, exclusive, reverse, axis, precision):
    p = ops.parameter([3, 5, 4], ov.Type.f32)
    node = ops.cumsum(p, _c(axis), exclusive, reverse)
    check(gpu, node, [_x((3, 5, 4))], precision)


def test_cumsum_int(gpu):
    p = ops.parameter([2, 7], ov.Type.i32)
    check(gpu, ops.cumsum(p, _c(1), True, False), [_x((2, 7), np.int32)])


@pytest.mark.parametrize("reduction", ["sum", "prod", "mean"])
def test_scatter_elements_f16_tensor_rounds_every_step(gpu, reduction):
    data, upd = ops.parameter([2, 5], ov.Type.f16), ops.parameter([2, 6], ov.Type.f16)
    idx = ops.parameter([2, 6], ov.Type.i32)
    node = ops.scatter_elements_update(data, idx, upd, _c(1), reduction, True)
    xi = np.array([[0, 0, 0, 1, 1, 4], [2, 2, 2, 2, 3, 3]], np.int32)
    xd = RNG.uniform(0.5, 1.5, (2, 5)).astype(np.float16)
    xu = RNG.uniform(0.5, 1.5, (2, 6)).astype(np.float16)
    from kernel_harness import run_gpu, run_reference

    want = run_reference(node, [xd, xi, xu])[0]
    got = run_gpu(gpu, node, [xd, xi, xu])[0]  # f32 storage: the runtime converts to f16
    np.testing.assert_array_equal(got.astype(np.float16), want)
