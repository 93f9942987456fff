"""The f32 GEMM's code paths (``kernels/gemm.c``): on AVX-512 a dense A is read in place by
the assembly micro-kernel (six row streams, no packing; the last rows of an M not a multiple
of 6 go through a zero-padded panel), a transposed or strided A is packed; B pre-packed
(constant weights), packed at run time, or read in place. Checked against the TEMPLATE
reference on random and odd shapes, K across several depth blocks, unaligned inputs, fused
epilogues (bias, residual, GELU), on the AVX2 and the AVX-512 paths."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import rand, unaligned

import openvino as ov
import openvino.opset13 as ops


def _matmul(M, K, N, *, const_b=True, ta=False, tb=False, bias=False, residual=False,
            gelu=False, batch=(), seed=0):
    a_shape = list(batch) + ([K, M] if ta else [M, K])
    b_shape = [N, K] if tb else [K, N]
    a = ops.parameter(a_shape, np.float32)
    params, feeds = [a], [unaligned(rand(*a_shape, seed=seed))]
    if const_b:
        b = ops.constant(rand(*b_shape, seed=seed + 1))
    else:
        b = ops.parameter(b_shape, np.float32)
        params.append(b)
        feeds.append(unaligned(rand(*b_shape, seed=seed + 1)))
    y = ops.matmul(a, b, ta, tb)
    if bias:
        y = ops.add(y, ops.constant(rand(N, seed=seed + 2)))
    if residual:
        r = ops.parameter(list(batch) + [M, N], np.float32)
        params.append(r)
        feeds.append(unaligned(rand(*(list(batch) + [M, N]), seed=seed + 3)))
        y = ops.add(y, r)
    if gelu:
        y = ops.gelu(y, "erf")
    return ov.Model([y], params), feeds


@pytest.mark.parametrize("M,K,N", [(512, 384, 384), (64, 384, 1536), (130, 1536, 384),
                                   (200, 768, 96), (6, 4, 32), (7, 33, 70), (1, 1, 1),
                                   (13, 1000, 45), (97, 5, 3), (12, 3, 64)])
def test_gemm_shapes(runner, isa_level, M, K, N) -> None:
    model, feeds = _matmul(M, K, N, seed=M + N)
    runner.check(model, feeds, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("seed", range(8))
def test_gemm_random_paths(runner, isa_level, seed) -> None:
    rng = np.random.default_rng(900 + seed)
    M, K, N = (int(rng.integers(1, 200)), int(rng.integers(1, 900)),
               int(rng.integers(1, 150)))
    flags = dict(const_b=bool(seed % 2), ta=seed % 4 == 1, tb=seed % 3 == 0,
                 bias=seed % 2 == 0, residual=seed % 3 == 1, gelu=seed % 4 == 2,
                 batch=(2,) if seed % 5 == 0 else ())
    model, feeds = _matmul(M, K, N, seed=seed, **flags)
    runner.check(model, feeds, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("M", [0, 5])
def test_gemm_empty_dims(runner, M) -> None:
    model, feeds = _matmul(M, 0, 7, const_b=False)
    got = runner.cpu(model, feeds)[0]
    assert got.shape == (M, 7) and not got.any()
    model, feeds = _matmul(M, 16, 0)
    assert runner.cpu(model, feeds)[0].shape == (M, 0)


@pytest.mark.parametrize("M,K,N", [(128, 32, 128), (7, 1, 32), (13, 385, 64), (6, 3, 70),
                                   (20, 17, 33), (1, 700, 96)])
def test_gemm_transposed_runtime_b(runner, isa_level, M, K, N) -> None:
    """B a run-time input read transposed (attention's q k^T): on AVX-512 its full panels of
    32 columns are packed by gathers, the last columns and K past the depth block as
    before."""
    model, feeds = _matmul(M, K, N, const_b=False, tb=True, seed=M * K + N)
    runner.check(model, feeds, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("M", [12, 23, 25, 131])
@pytest.mark.parametrize("K", [3, 5, 387, 770, 1024])
@pytest.mark.parametrize("epilogue", ["none", "bias_residual_gelu", "scale"])
def test_gemm_twelve_row_tiles(runner, every_isa_level, M, K, epilogue) -> None:
    """On AVX-512 a dense A read in place goes twelve rows at a time through the 24-
    accumulator kernel, the rows left (six or fewer) through the six-row one: row counts
    around multiples of 12 and 6, K not a multiple of the unrolled four and across depth
    blocks (sums added to C), full and partial column panels, with the register epilogue
    (bias, residual, GELU) and with a post-op the registers do not take (a per-column
    scale, applied after the tile is stored); on every code path, on one and two threads.
    K = 1024 puts A's rows 4 KB apart, where each depth block of A is first copied to
    rows of a padded stride (and the last rows still packed into their own panel)."""
    N = 70
    model, feeds = _matmul(M, K, N, bias=epilogue != "none",
                           residual=epilogue == "bias_residual_gelu",
                           gelu=epilogue == "bias_residual_gelu", seed=M * K + 1)
    if epilogue == "scale":
        y = model.get_results()[0].input_value(0)
        y = ops.multiply(y, ops.constant(rand(N, seed=M + K)))
        model = ov.Model([y], model.get_parameters())
    for threads in (1, 2):
        runner.check(model, feeds, rtol=1e-4, atol=1e-4,
                     config={"INFERENCE_NUM_THREADS": threads})


@pytest.mark.parametrize("K,N", [(2048, 1000), (1, 1), (3, 31), (5, 32), (7, 33),
                                 (1023, 64), (64, 97), (130, 17)])
@pytest.mark.parametrize("threads", [1, 2])
def test_gemm_one_row_by_packed_weights(runner, every_isa_level, K, N, threads) -> None:
    """A fully connected layer at batch 1 (one row of A, constant B pre-packed): on AVX-512
    and AVX2 its own kernel streams each panel of 32 / 16 columns (``gemv_packed_*``,
    columns split between threads by whole panels, the last panel's columns cut); bias and
    ReLU after it; K not a multiple of its 4-step unroll."""
    a = ops.parameter([1, K], np.float32)
    y = ops.matmul(a, ops.constant(rand(K, N, seed=K + N)), False, False)
    y = ops.relu(ops.add(y, ops.constant(rand(N, seed=N))))
    model = ov.Model([y], [a])
    compiled = ov.Core().compile_model(model, "CPU", {"INFERENCE_NUM_THREADS": threads})
    x = unaligned(rand(1, K, seed=K))
    got = np.asarray(compiled([x])[0])
    want = runner.reference(model, [x])[0]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
