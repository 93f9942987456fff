"""Reductions over axes that are not one contiguous block (e.g. [0, 2] of NCHW) run as one
C step per block of adjacent axes instead of the reference: every reduce op, keep_dims both
ways, negative axes, against the TEMPLATE reference."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of

import openvino as ov
import openvino.opset13 as ops

FNS = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_l1",
       "reduce_l2"]


@pytest.mark.parametrize("fn", FNS)
@pytest.mark.parametrize("axes", [[0, 2], [1, 3], [0, 2, 3], [0, 1, 3], [-4, -1]])
@pytest.mark.parametrize("keep", [False, True])
def test_reduce_non_contiguous_axes(runner, core, fn, axes, keep) -> None:
    shape = [3, 5, 4, 7]
    x = ops.parameter(shape, np.float32)
    y = getattr(ops, fn)(x, ops.constant(np.array(axes, np.int64)), keep)
    model = ov.Model([y], [x])
    low = 0.5 if fn == "reduce_prod" else -1.0
    data = np.random.default_rng(len(axes)).uniform(low, 1.5, shape).astype(np.float32)
    runner.check(model, [data], rtol=2e-5, atol=1e-5)
    types = [i.exec_type for i in plan_of(core.compile_model(model, "CPU")).info]
    assert "ref_python" not in types and "jit_reduce_f32" in types, types


@pytest.mark.parametrize("seed", range(6))
def test_reduce_random_axes(runner, seed) -> None:
    rng = np.random.default_rng(seed)
    rank = int(rng.integers(2, 6))
    shape = [int(rng.integers(1, 6)) for _ in range(rank)]
    axes = sorted(int(a) for a in rng.choice(rank, int(rng.integers(1, rank + 1)),
                                             replace=False))
    fn = str(rng.choice(FNS))
    x = ops.parameter(shape, np.float32)
    y = getattr(ops, fn)(x, ops.constant(np.array(axes, np.int64)), bool(rng.random() < 0.5))
    data = rng.uniform(0.5, 1.5, shape).astype(np.float32)
    runner.check(ov.Model([y], [x]), [data], rtol=2e-5, atol=1e-5)


def test_reduce_non_contiguous_zero_sized(runner) -> None:
    x = ops.parameter([2, 0, 3], np.float32)
    y = ops.reduce_sum(x, ops.constant(np.array([0, 2], np.int64)), False)
    runner.check(ov.Model([y], [x]), [np.zeros((2, 0, 3), np.float32)])


@pytest.mark.parametrize("fn", FNS + ["reduce_max"])
@pytest.mark.parametrize("shape,axes", [([1, 1024, 7, 7], [2, 3]), ([3, 333, 5, 9], [2, 3]),
                                        ([2, 700, 49], [1]), ([4, 4099, 3], [2]),
                                        ([1, 70000, 1], [2])])
def test_reduce_many_rows_split_into_tasks(runner, fn, shape, axes) -> None:
    """Many short reductions (DenseNet's ReduceMean over 7 x 7 of 1024 channels) run as a
    few tasks of many rows each: every row reduced once, odd row counts, inner and outer
    axes."""
    x = ops.parameter(shape, np.float32)
    y = getattr(ops, fn)(x, ops.constant(np.array(axes, np.int64)), True)
    low = 0.9 if fn == "reduce_prod" else -1.0
    data = np.random.default_rng(7).uniform(low, 1.1, shape).astype(np.float32)
    runner.check(ov.Model([y], [x]), [data], rtol=2e-5, atol=1e-5)
