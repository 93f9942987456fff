"""GridSample on integer data: results computed in floating point and stored as the real
runtime stores them (8-bit types rounded to nearest and saturated, wider integers
truncated)."""

from __future__ import annotations

import numpy as np
import pytest

from openvino import opset8, opset9

RNG = np.random.default_rng(11)
GRID = RNG.uniform(-1.1, 1.1, (1, 6, 7, 2)).astype(np.float32)


def _sample(x, mode):
    node = opset9.grid_sample(opset8.parameter(x.shape, x.dtype), GRID, {"mode": mode})
    return node.reference(x, GRID)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32, np.int64])
def test_grid_sample_integer_results(mode, dtype):
    info = np.iinfo(dtype)
    x = RNG.integers(max(info.min, -500), min(info.max, 500), (1, 2, 4, 5),
                     endpoint=True).astype(dtype)
    exact = _sample(x.astype(np.float32), mode).astype(np.float64)
    got = _sample(x, mode)
    assert got.dtype == np.dtype(dtype)
    if np.dtype(dtype).itemsize == 1:
        want = np.clip(np.rint(exact), info.min, info.max)
    else:
        want = np.trunc(exact)
    np.testing.assert_array_equal(got, want)
    assert (np.abs(exact - np.trunc(exact)) > 0.5).any()  # the two rules differ here


def test_grid_sample_u8_bicubic_overshoot_saturates():
    x = np.zeros((1, 1, 4, 4), np.uint8)
    x[..., 1:3, 1:3] = 255
    exact = _sample(x.astype(np.float32), "bicubic")
    assert exact.max() > 255 or exact.min() < 0
    got = _sample(x, "bicubic")
    np.testing.assert_array_equal(got, np.clip(np.rint(exact), 0, 255))
