"""TopK's C kernel (``kernels/topk.c``) against the TEMPLATE reference: both modes, every
sort, ties (lower index first), NaN, k = 1 / k = n / k > n, i32 and i64 indices, any axis,
odd and zero-sized shapes, unaligned input."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset11 as ops11
import openvino.opset13 as ops


def _model(shape, k, axis, mode, sort, index_type="i32"):
    x = ops.parameter(shape, np.float32)
    t = ops11.topk(x, ops.constant(np.int64(k)), axis, mode, sort, index_type)
    return ov.Model([t.output(0), t.output(1)], [x])


@pytest.mark.parametrize("mode", ["max", "min"])
@pytest.mark.parametrize("sort", ["value", "index", "none"])
@pytest.mark.parametrize("shape,k,axis", [([3, 17], 5, 1), ([4, 9, 6], 1, 1), ([4, 9, 6], 9, -2),
                                          ([5, 2, 3], 3, 0), ([2, 3, 11], 20, 2),
                                          ([1, 1000], 7, 1)])
def test_topk(runner, core, mode, sort, shape, k, axis) -> None:
    rng = np.random.default_rng(len(shape) * 100 + k)
    data = np.round(rng.standard_normal(shape) * 3).astype(np.float32)  # many ties
    model = _model(shape, k, axis, mode, sort)
    runner.check(model, [unaligned(data)])
    types = [i.exec_type for i in plan_of(core.compile_model(model, "CPU")).info]
    assert "jit_topk_f32" in types, types


@pytest.mark.parametrize("mode", ["max", "min"])
def test_topk_nan_and_signed_zero(runner, mode) -> None:
    data = np.array([[1.0, np.nan, -0.0, 0.0, 3.0, np.nan, -2.0, 3.0]], np.float32)
    runner.check(_model([1, 8], 8, 1, mode, "value", "i64"), [data])
    runner.check(_model([1, 8], 3, 1, mode, "index", "i64"), [data])


@pytest.mark.parametrize("seed", range(8))
def test_topk_random(runner, seed) -> None:
    rng = np.random.default_rng(40 + seed)
    rank = int(rng.integers(1, 5))
    shape = [int(rng.integers(1, 9)) for _ in range(rank)]
    axis = int(rng.integers(-rank, rank))
    k = int(rng.integers(1, shape[axis] + 3))
    data = rng.standard_normal(shape).astype(np.float32)
    model = _model(shape, k, axis, str(rng.choice(["max", "min"])),
                   str(rng.choice(["value", "index", "none"])),
                   str(rng.choice(["i32", "i64"])))
    runner.check(model, [data])


@pytest.mark.parametrize("shape,k", [([0, 5], 2), ([3, 5], 0), ([3, 0], 2)])
def test_topk_zero_sized(runner, shape, k) -> None:
    runner.check(_model(shape, k, 1, "max", "value"), [np.zeros(shape, np.float32)])
