"""TopK kernel (kernels/topk.cl) against the TEMPLATE reference: modes, sorts, ties,
axes, k = 1 and k = L, integer data, both index types."""

import numpy as np
import pytest
from kernel_harness import check

import openvino as ov
import openvino.opset1 as ops1
import openvino.opset13 as ops

RNG = np.random.default_rng(13)


@pytest.mark.parametrize("mode", ["max", "min"])
@pytest.mark.parametrize("sort", ["value", "index", "none"])
@pytest.mark.parametrize("shape,axis,k", [((3, 17), 1, 5), ((4, 9, 3), 1, 9),
                                          ((6, 5, 2), 0, 1), ((2, 0, 3), 2, 2)], ids=str)
def test_topk(gpu, mode, sort, shape, axis, k, precision):
    p = ops.parameter(list(shape), ov.Type.f32)
    node = ops.topk(p, ops.constant(np.int64(k)), axis, mode, sort, "i32")
    x = RNG.permutation(int(np.prod(shape))).reshape(shape).astype(np.float32) / 4
    check(gpu, node, [x], precision)


@pytest.mark.parametrize("mode", ["max", "min"])
def test_topk_ties_keep_input_order(gpu, mode):
    p = ops.parameter([2, 12], ov.Type.f32)
    node = ops.topk(p, ops.constant(np.int64(7)), -1, mode, "value", "i64", stable=True)
    x = RNG.integers(0, 3, (2, 12)).astype(np.float32)
    check(gpu, node, [x])


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8])
def test_topk_integers(gpu, dtype):
    p = ops.parameter([3, 10], ov.Type(dtype))
    x = RNG.integers(0, 50, (3, 10)).astype(dtype)
    check(gpu, ops.topk(p, ops.constant(np.int64(4)), 1, "max", "value", "i64"), [x])
    check(gpu, ops1.topk(p, ops.constant(np.int64(3)), 1, "min", "index"), [x])
