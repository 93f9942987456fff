"""LRN's C kernel (``kernels/lrn.c``) against the TEMPLATE reference: across channels as
Inception and AlexNet use it, spatial and multi-axis windows, odd and zero-sized shapes,
unaligned input buffers, on the AVX2 and the AVX-512 code paths."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset13 as ops


def _lrn_model(shape, axes, size, alpha=1e-4, beta=0.75, bias=1.0) -> ov.Model:
    x = ops.parameter(shape, np.float32)
    y = ops.lrn(x, ops.constant(np.array(axes, np.int64)), alpha, beta, bias, size)
    return ov.Model([y], [x])


def _check(runner, core, model, data, rtol=2e-5, atol=1e-6) -> None:
    runner.check(model, [unaligned(data)], rtol=rtol, atol=atol)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert [i.exec_type for i in plan.info if i.type == "LRN"] == ["jit_lrn_f32"]


@pytest.mark.parametrize("shape,size", [([1, 64, 56, 56], 5), ([1, 192, 28, 28], 5),
                                        ([2, 7, 5, 3], 3), ([2, 9, 1, 1], 4), ([3, 1, 4, 4], 5),
                                        ([1, 30, 3, 83], 41)])
@pytest.mark.parametrize("beta", [0.75, 0.5, 1.0, 0.6])
def test_lrn_across_channels(runner, core, isa_level, shape, size, beta) -> None:
    data = np.random.default_rng(size).standard_normal(shape).astype(np.float32) * 3
    _check(runner, core, _lrn_model(shape, [1], size, alpha=2e-3, beta=beta, bias=1.5), data)


@pytest.mark.parametrize("axes", [[2, 3], [1, 2, 3], [-1], [0], [], [3, 1]])
def test_lrn_axes(runner, core, isa_level, axes) -> None:
    shape = [2, 6, 7, 5]
    data = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    _check(runner, core, _lrn_model(shape, axes, 3, alpha=0.3, bias=2.0), data)


@pytest.mark.parametrize("shape,axes", [([2, 0, 5, 3], [1]), ([0, 4, 3], [1]),
                                        ([2, 3, 0, 3], [2, 3]), ([2, 3, 4, 0], [])])
def test_lrn_zero_sized(runner, core, shape, axes) -> None:
    _check(runner, core, _lrn_model(shape, axes, 3), np.zeros(shape, np.float32))


@pytest.mark.parametrize("seed", range(12))
def test_lrn_random_geometry(runner, core, isa_level, seed) -> None:
    rng = np.random.default_rng(100 + seed)
    rank = int(rng.integers(1, 6))
    shape = [int(rng.choice([0, 1, 2, 3, 5, 7, 16, 33])) if rng.random() < 0.15
             else int(rng.integers(1, 20)) for _ in range(rank)]
    naxes = int(rng.integers(0, rank + 1))
    axes = sorted(int(a) for a in rng.choice(rank, naxes, replace=False))
    axes = [a - rank if rng.random() < 0.3 else a for a in axes]
    size = int(rng.choice([1, 2, 3, 5, 8, 21, 40]))
    beta = float(rng.choice([0.75, 0.5, 1.0, 0.35]))
    data = rng.standard_normal(shape).astype(np.float32) * 2
    model = _lrn_model(shape, axes, size, alpha=float(rng.uniform(1e-4, 0.5)), beta=beta,
                       bias=float(rng.uniform(0.5, 2.0)))
    _check(runner, core, model, data, rtol=5e-5, atol=1e-6)

