"""MaxPool / AvgPool kernels (``kernels/pool.c``) against the TEMPLATE reference on random
geometry: every path (stride 1 planes grouped and pooled in flat passes, 3x3 stride 2,
stride-2 columns, generic, global, 1-D and 3-D), odd and zero-sized shapes, fused post
ops, NaN inputs (averages) and unaligned buffers, on the AVX2 and the AVX-512 code paths."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import unaligned

import openvino as ov
import openvino.opset13 as ops


def _pool(x, kind, k, s, d, pb, pe, rounding):
    if kind == "max":
        return ops.max_pool(x, s, d, pb, pe, k, rounding).output(0)
    return ops.avg_pool(x, s, pb, pe, k, kind == "avg_excl", rounding)


@pytest.mark.parametrize("shape,k,s,p", [([1, 192, 28, 28], 3, 1, 1), ([1, 480, 14, 14], 3, 1, 1),
                                         ([1, 832, 7, 7], 3, 1, 1), ([2, 5, 9, 11], 3, 1, 0),
                                         ([1, 3, 1, 1], 3, 1, 1), ([1, 7, 5, 6], 5, 1, 2),
                                         ([1, 64, 112, 112], 3, 2, 0), ([1, 3, 33, 35], 3, 2, 1)])
@pytest.mark.parametrize("kind", ["max", "avg", "avg_excl"])
def test_inception_pools(runner, isa_level, shape, k, s, p, kind) -> None:
    x = ops.parameter(shape, np.float32)
    y = _pool(x, kind, [k, k], [s, s], [1, 1], [p, p], [p, p], "ceil")
    data = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    runner.check(ov.Model([y], [x]), [unaligned(data)], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("seed", range(16))
def test_pool_random_geometry(runner, isa_level, seed) -> None:
    rng = np.random.default_rng(500 + seed)
    nsp = int(rng.choice([1, 2, 2, 2, 3]))
    kind = str(rng.choice(["max", "avg", "avg_excl"]))
    k = [int(rng.integers(1, 5)) for _ in range(nsp)]
    s = [int(rng.integers(1, 3)) if rng.random() < 0.7 else 1 for _ in range(nsp)]
    d = [int(rng.integers(1, 3)) if kind == "max" and rng.random() < 0.3 else 1
         for _ in range(nsp)]
    pb = [int(rng.integers(0, kk)) for kk in k]
    pe = [int(rng.integers(0, kk)) for kk in k]
    spatial = [int(rng.integers(max(1, (kk - 1) * dd + 1), 24)) for kk, dd in zip(k, d)]
    n, c = int(rng.integers(1, 3)), int(rng.integers(1, 40))
    if rng.random() < 0.15:
        n = 0
    shape = [n, c] + spatial
    rounding = str(rng.choice(["floor", "ceil"]))
    x = ops.parameter(shape, np.float32)
    y = _pool(x, kind, k, s, d, pb, pe, rounding)
    data = rng.standard_normal(shape).astype(np.float32)
    if data.size and kind != "max" and rng.random() < 0.3:
        # NaN in max pooling: the reference keeps it only as a window's first element,
        # the real CPU plugin ignores it, our kernel propagates it; averages agree
        data.reshape(-1)[rng.integers(0, data.size, 3)] = np.nan
    runner.check(ov.Model([y], [x]), [unaligned(data)], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_stride1_pool_with_post_ops(runner, core, isa_level, kind) -> None:
    """Grouped stride-1 planes apply per-channel post ops to the right channel / batch."""
    shape = [2, 37, 7, 7]
    x = ops.parameter(shape, np.float32)
    y = _pool(x, kind, [3, 3], [1, 1], [1, 1], [1, 1], [1, 1], "floor")
    y = ops.relu(ops.add(y, ops.constant(np.linspace(-1, 1, 37, dtype=np.float32)
                                         .reshape(1, 37, 1, 1))))
    model = ov.Model([y], [x])
    data = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    runner.check(model, [data], rtol=1e-5, atol=1e-6)
    from helpers import plan_of

    plan = plan_of(core.compile_model(model, "CPU"))
    pools = [i for i in plan.info if i.type in ("MaxPool", "AvgPool")]
    assert len(pools) == 1 and pools[0].fused, "the add and relu ride on the pooling step"


@pytest.mark.parametrize("shape,k,s,p,rounding", [
    ([1, 128, 56, 56], 2, 2, 0, "floor"), ([1, 512, 14, 14], 2, 2, 0, "floor"),
    ([2, 5, 9, 7], 2, 2, 0, "ceil"), ([1, 3, 11, 13], 2, 2, 1, "floor"),
    ([1, 4, 1, 1], 2, 2, 1, "ceil"), ([1, 6, 17, 33], 2, 2, 1, "ceil"),
    ([1, 7, 12, 40], 3, 2, 0, "floor")])
@pytest.mark.parametrize("kind", ["max", "avg", "avg_excl"])
def test_two_wide_stride2_rows(runner, isa_level, shape, k, s, p, rounding, kind) -> None:
    """2-wide stride-2 windows (DenseNet's transition AvgPool) reduce each window's rows
    in one pass and take the two taps over whole vectors; heights of 2 and 3 rows,
    padding on both sides, ceil-rounded windows past the end."""
    kh = 3 if shape[3] == 40 else k
    x = ops.parameter(shape, np.float32)
    y = _pool(x, kind, [kh, 2], [s, s], [1, 1], [p, p], [p, p], rounding)
    rng = np.random.default_rng(sum(shape) + k)
    data = rng.standard_normal(shape).astype(np.float32)
    if kind != "max":
        data.reshape(-1)[rng.integers(0, data.size, 2)] = np.nan
    runner.check(ov.Model([y], [x]), [unaligned(data)], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("seed", range(12))
def test_two_wide_random_geometry(runner, isa_level, seed) -> None:
    rng = np.random.default_rng(900 + seed)
    kind = str(rng.choice(["max", "avg", "avg_excl"]))
    kh = int(rng.integers(1, 6))
    sh = int(rng.integers(1, 4))
    dh = int(rng.integers(1, 3)) if kind == "max" else 1
    pb = [int(rng.integers(0, kh)), int(rng.integers(0, 2))]
    pe = [int(rng.integers(0, kh)), int(rng.integers(0, 2))]
    h = int(rng.integers((kh - 1) * dh + 1, 30))
    w = int(rng.integers(2, 70))
    n, c = int(rng.integers(0, 3)), int(rng.integers(1, 70))
    shape = [n, c, h, w]
    x = ops.parameter(shape, np.float32)
    y = _pool(x, kind, [kh, 2], [sh, 2], [dh, 1], pb, pe, str(rng.choice(["floor", "ceil"])))
    runner.check(ov.Model([y], [x]), [unaligned(rng.standard_normal(shape).astype(np.float32))],
                 rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape,k,s", [([2, 300, 14, 14], 2, 2), ([3, 77, 9, 9], 3, 2),
                                       ([2, 130, 5, 5], 3, 3), ([1, 1024, 7, 7], 7, 1)])
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_grouped_planes_post_ops(runner, core, isa_level, shape, k, s, kind) -> None:
    """Small planes run several to a task: per-channel post ops still see each plane's
    own channel and batch."""
    c = shape[1]
    x = ops.parameter(shape, np.float32)
    y = _pool(x, kind, [k, k], [s, s], [1, 1], [0, 0], [0, 0], "floor")
    y = ops.relu(ops.add(y, ops.constant(np.linspace(-1, 1, c, dtype=np.float32)
                                         .reshape(1, c, 1, 1))))
    model = ov.Model([y], [x])
    data = np.random.default_rng(c).standard_normal(shape).astype(np.float32)
    runner.check(model, [unaligned(data)], rtol=1e-5, atol=1e-6)
    from helpers import plan_of

    plan = plan_of(core.compile_model(model, "CPU"))
    pools = [i for i in plan.info if i.type in ("MaxPool", "AvgPool")]
    assert len(pools) == 1 and pools[0].fused


@pytest.mark.parametrize("seed", range(16))
def test_same_size_stride1_random(runner, isa_level, seed) -> None:
    """Stride-1 windows whose output is the size of the input (pads adding up to the
    window, split any way) run without padded copies: odd windows, even ones, windows
    wider than the plane, single rows and columns, planes in groups and alone."""
    rng = np.random.default_rng(1300 + seed)
    kind = str(rng.choice(["max", "avg", "avg_excl"]))
    kh, kw = int(rng.integers(1, 8)), int(rng.integers(1, 8))
    pbh, pbw = int(rng.integers(0, kh)), int(rng.integers(0, kw))
    big = seed == 15
    h = 70 if big else int(rng.integers(1, 20))
    w = 65 if big else int(rng.integers(1, 20))
    n, c = int(rng.integers(1, 3)), int(rng.integers(1, 90))
    shape = [n, c, h, w]
    x = ops.parameter(shape, np.float32)
    y = _pool(x, kind, [kh, kw], [1, 1], [1, 1], [pbh, pbw], [kh - 1 - pbh, kw - 1 - pbw],
              "floor")
    data = rng.standard_normal(shape).astype(np.float32)
    if kind != "max":
        data.reshape(-1)[rng.integers(0, data.size, 3)] = np.nan
    runner.check(ov.Model([y], [x]), [unaligned(data)], rtol=1e-5, atol=1e-6)


@pytest.fixture(params=[0, 1, 2], ids=["generic", "avx2", "avx512"])
def any_isa(request: pytest.FixtureRequest):
    from helpers import forced_isa

    with forced_isa(request.param) as used:
        yield used


@pytest.mark.parametrize("seed", range(20))
def test_small_planes_sixteen_at_a_time_random(runner, any_isa, seed) -> None:
    """Small planes (at most 32 x 32; stride 1: 16 x 16) with at least 16 of them run 16
    planes at a time interleaved: whole and partial groups of 16, any window, stride,
    dilation, padding and rounding, NaNs in averages, unaligned input."""
    rng = np.random.default_rng(900 + seed)
    kind = str(rng.choice(["max", "avg", "avg_excl"]))
    k = [int(rng.integers(1, 6)) for _ in range(2)]
    s = [int(rng.integers(1, 4)) for _ in range(2)]
    d = [int(rng.integers(1, 3)) if kind == "max" and rng.random() < 0.4 else 1
         for _ in range(2)]
    pb = [int(rng.integers(0, kk)) for kk in k]
    pe = [int(rng.integers(0, kk)) for kk in k]
    top = 16 if s == [1, 1] else 32
    spatial = [int(rng.integers(max(1, (kk - 1) * dd + 1), top + 1)) for kk, dd in zip(k, d)]
    n, c = int(rng.integers(1, 3)), int(rng.integers(16, 70))
    shape = [n, c] + spatial
    rounding = str(rng.choice(["floor", "ceil"]))
    x = ops.parameter(shape, np.float32)
    y = _pool(x, kind, k, s, d, pb, pe, rounding)
    data = rng.standard_normal(shape).astype(np.float32)
    if kind != "max" and rng.random() < 0.3:
        data.reshape(-1)[rng.integers(0, data.size, 3)] = np.nan
    runner.check(ov.Model([y], [x]), [unaligned(data)], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape,k,s,p", [([1, 832, 7, 7], 3, 1, 1), ([1, 832, 14, 14], 3, 2, 0),
                                         ([1, 1024, 7, 7], 7, 1, 0), ([1, 17, 8, 8], 2, 2, 0),
                                         ([0, 32, 7, 7], 3, 1, 1), ([1, 8, 112, 112], 3, 2, 1),
                                         ([2, 3, 33, 35], 3, 2, 0), ([1, 5, 57, 41], 3, 2, 1)])
def test_max_propagates_nan(core, any_isa, shape, k, s, p) -> None:
    """Max pooling propagates a NaN to every window holding it, on interleaved small planes
    and on 3-wide stride-2 rows split in registers alike; the other windows are the max of
    their taps. The 7x7 window case ends with a padded window (end pad 1)."""
    x = ops.parameter(shape, np.float32)
    pe = 1 if k == 7 else p
    y = ops.max_pool(x, [s, s], [1, 1], [p, p], [pe, pe], [k, k], "floor").output(0)
    compiled = core.compile_model(ov.Model([y], [x]), "CPU")
    rng = np.random.default_rng(5)
    data = rng.standard_normal(shape).astype(np.float32)
    if data.size:
        data.reshape(-1)[rng.integers(0, data.size, 5)] = np.nan
    got = compiled.infer_new_request({0: unaligned(data)})[0]
    # numpy: pad with -inf, then max over each window (NaN propagates through np.max)
    n, c, h, w = shape
    padded = np.pad(data, ((0, 0), (0, 0), (p, pe), (p, pe)), constant_values=-np.inf)
    oh, ow = (h + p + pe - k) // s + 1, (w + p + pe - k) // s + 1
    want = np.empty((n, c, oh, ow), np.float32)
    for i in range(oh):
        for j in range(ow):
            want[:, :, i, j] = padded[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("seed", range(16))
def test_three_wide_stride2_from_rows_random(runner, isa_level, seed) -> None:
    """3x3 stride-2 windows (SqueezeNet's and ResNet's MaxPools) read straight from the
    input rows, 16 outputs at a time: planes narrower than one vector and wider than
    several, pads 0..2 on either side, ceil-rounded windows past the end, planes several
    to a task and large planes split into row ranges (few channels), per-channel post ops,
    NaNs (averages), unaligned input."""
    rng = np.random.default_rng(2100 + seed)
    kind = str(rng.choice(["max", "avg", "avg_excl"]))
    pb = [int(rng.integers(0, 3)), int(rng.integers(0, 3))]
    pe = [int(rng.integers(0, 3)), int(rng.integers(0, 3))]
    big = seed % 4 == 0
    h = int(rng.integers(150, 260)) if big else int(rng.integers(3, 60))
    w = int(rng.integers(150, 260)) if big else int(rng.integers(3, 60))
    n = int(rng.integers(1, 3))
    c = int(rng.integers(1, 4)) if big else int(rng.integers(1, 40))
    shape = [n, c, h, w]
    x = ops.parameter(shape, np.float32)
    y = _pool(x, kind, [3, 3], [2, 2], [1, 1], pb, pe, str(rng.choice(["floor", "ceil"])))
    if seed % 3 == 0:
        y = ops.relu(ops.add(y, ops.constant(np.linspace(-1, 1, c, dtype=np.float32)
                                             .reshape(1, c, 1, 1))))
    data = rng.standard_normal(shape).astype(np.float32)
    if kind != "max":
        data.reshape(-1)[rng.integers(0, data.size, 3)] = np.nan
    runner.check(ov.Model([y], [x]), [unaligned(data)], rtol=1e-5, atol=1e-6)
