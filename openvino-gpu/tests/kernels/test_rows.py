"""Row-wise kernels against the TEMPLATE reference: Softmax/LogSoftmax (kernels/softmax.cl),
MVN (kernels/norm.cl) and reductions (kernels/reduce.cl), over innermost and inner axes,
long and short rows, empty tensors, float and integer types."""

import numpy as np
import pytest
from kernel_harness import check

import openvino as ov
import openvino.opset2 as ops2
import openvino.opset13 as ops

RNG = np.random.default_rng(9)


def _x(shape, dtype=np.float32):
    if np.dtype(dtype).kind == "f":
        return RNG.uniform(-4, 4, shape).astype(dtype)
    if np.dtype(dtype) == np.bool_:
        return RNG.random(shape) < 0.7
    return RNG.integers(-5, 6, shape).astype(dtype)


SHAPES_AXES = [((3, 5), -1), ((2, 3, 700), 2), ((4, 7, 5), 1), ((2, 3, 4, 5), 0),
               ((1, 1), 1), ((0, 3), 1), ((6,), 0)]


@pytest.mark.parametrize("shape,axis", SHAPES_AXES, ids=str)
@pytest.mark.parametrize("log", [False, True])
def test_softmax(gpu, shape, axis, log, precision):
    p = ops.parameter(list(shape), ov.Type.f32)
    node = ops.log_softmax(p, axis) if log else ops.softmax(p, axis)
    check(gpu, node, [_x(shape)], precision)


@pytest.mark.parametrize("shape,axes", [((2, 3, 4, 5), [2, 3]), ((2, 3, 300), [-1]),
                                        ((2, 3, 4, 5), [1, 2]), ((3, 9), [0]),
                                        ((2, 1, 3, 4), [1, 2]), ((0, 4, 5), [2])], ids=str)
@pytest.mark.parametrize("mode", ["inside_sqrt", "outside_sqrt"])
@pytest.mark.parametrize("normalize", [True, False])
def test_mvn6(gpu, shape, axes, mode, normalize, precision):
    p = ops.parameter(list(shape), ov.Type.f32)
    node = ops.mvn(p, ops.constant(np.array(axes, np.int64)), normalize, 1e-4, mode)
    check(gpu, node, [_x(shape)], precision, **({} if precision == "f32" else
                                                {"rtol": 2e-2, "atol": 2e-2}))


@pytest.mark.parametrize("across", [True, False])
def test_mvn1(gpu, across, precision):
    p = ops.parameter([2, 3, 4, 5], ov.Type.f32)
    check(gpu, ops2.mvn(p, across, True, 1e-5), [_x((2, 3, 4, 5))], precision,
          **({} if precision == "f32" else {"rtol": 2e-2, "atol": 2e-2}))


def test_mvn_scattered_axes_are_unsupported(gpu):
    from kernel_harness import run_gpu

    from openvino_gpu.lowering import Unsupported

    p = ops.parameter([2, 3, 4], ov.Type.f32)
    node = ops.mvn(p, ops.constant(np.array([0, 2], np.int64)), True, 1e-5, "inside_sqrt")
    with pytest.raises(Unsupported, match="not one block"):
        run_gpu(gpu, node, [_x((2, 3, 4))])


REDUCE = {"sum": ops.reduce_sum, "mean": ops.reduce_mean, "prod": ops.reduce_prod,
          "max": ops.reduce_max, "min": ops.reduce_min, "l1": ops.reduce_l1,
          "l2": ops.reduce_l2}
AXES = [((3, 4, 5), [2]), ((3, 4, 5), [1, 2]), ((3, 4, 5), [0, 2]), ((3, 4, 5), [1]),
        ((2, 600), [1]), ((3, 4, 5), [0, 1, 2]), ((3, 0, 5), [2]), ((3, 0, 5), [1]),
        ((2, 1, 3), [1])]


@pytest.mark.parametrize("name", sorted(REDUCE))
@pytest.mark.parametrize("shape,axes", AXES, ids=str)
@pytest.mark.parametrize("keep", [True, False])
def test_reduce_float(gpu, name, shape, axes, keep, precision):
    if name == "prod":
        x = RNG.uniform(0.8, 1.2, shape).astype(np.float32)
    else:
        x = _x(shape)
    if name == "mean" and any(shape[a] == 0 for a in axes):
        pytest.skip("empty mean: the reference gives NaN, OpenVINO's CPU and this kernel 0")
    p = ops.parameter(list(shape), ov.Type.f32)
    node = REDUCE[name](p, ops.constant(np.array(axes, np.int64)), keep)
    tol = {} if precision == "f32" else {"rtol": 2e-2, "atol": 3e-2}
    check(gpu, node, [x], precision, **tol)


@pytest.mark.parametrize("name", ["sum", "max", "min", "prod", "l1"])
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8])
def test_reduce_int(gpu, name, dtype):
    shape = (3, 4, 5)
    x = _x(shape, dtype) if dtype is not np.uint8 else RNG.integers(0, 4, shape).astype(dtype)
    if name == "prod":
        x = np.clip(x, -2, 2).astype(dtype)
    p = ops.parameter(list(shape), ov.Type(dtype))
    for axes in ([2], [0, 2]):
        check(gpu, REDUCE[name](p, ops.constant(np.array(axes, np.int64)), False), [x])


def test_reduce_logical(gpu):
    p = ops.parameter([3, 4, 6], ov.Type.boolean)
    x = _x((3, 4, 6), np.bool_)
    for f in (ops.reduce_logical_and, ops.reduce_logical_or):
        for axes in ([2], [0, 1]):
            check(gpu, f(p, ops.constant(np.array(axes, np.int64)), True), [x])


def test_reduce_int_mean_wraps_in_its_type_and_l2_rounds(gpu):
    p = ops.parameter([4, 40], ov.Type.u8)
    x = RNG.integers(200, 256, (4, 40)).astype(np.uint8)
    check(gpu, ops.reduce_mean(p, ops.constant(np.array([1], np.int64)), False), [x])
    q = ops.parameter([3, 4, 5], ov.Type.i32)
    for axes in ([1], [0, 2]):
        check(gpu, ops.reduce_l2(q, ops.constant(np.array(axes, np.int64)), True),
              [_x((3, 4, 5), np.int32)])
    e = ops.parameter([3, 0], ov.Type.i16)
    for f in (ops.reduce_max, ops.reduce_min):
        check(gpu, f(e, ops.constant(np.array([1], np.int64)), False),
              [np.zeros((3, 0), np.int16)])


@pytest.mark.parametrize("shape,axes", [((2, 3, 4), [2]), ((2, 3, 4), [1]),
                                        ((2, 3, 4, 5), [1, 2, 3]), ((3, 300), [1])], ids=str)
@pytest.mark.parametrize("mode", ["add", "max"])
def test_normalize_l2(gpu, shape, axes, mode, precision):
    p = ops.parameter(list(shape), ov.Type.f32)
    node = ops.normalize_l2(p, ops.constant(np.array(axes, np.int64)), 1e-2, mode)
    check(gpu, node, [_x(shape)], precision)


@pytest.mark.parametrize("shape,axes,size", [((2, 7, 4, 5), [1], 5), ((2, 3, 6, 5), [2, 3], 3),
                                             ((1, 4, 5), [1], 2), ((3, 8), [1], 4)], ids=str)
def test_lrn(gpu, shape, axes, size, precision):
    p = ops.parameter(list(shape), ov.Type.f32)
    node = ops.lrn(p, ops.constant(np.array(axes, np.int64)), 1e-2, 0.75, 2.0, size)
    check(gpu, node, [_x(shape)], precision)
