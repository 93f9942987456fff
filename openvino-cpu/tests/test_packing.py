"""Weight packing in C (compiler/packing.py, kernels/pack.c) against the numpy reference
(lower_compute.pack_a / pack_b): the panels the GEMM and convolution kernels read."""

from __future__ import annotations

import numpy as np
import pytest

from openvino_cpu.compiler.lower_compute import pack_a, pack_b
from openvino_cpu.compiler.packing import pack_panels

RNG = np.random.default_rng(5)


def _reference(w: np.ndarray, mr: int, scale: np.ndarray | None) -> np.ndarray:
    if scale is not None:
        w = w * scale[:, :, None]
    return np.stack([pack_a(m, mr) for m in w]) if len(w) else np.zeros(
        (0, -(-w.shape[1] // mr), w.shape[2], mr), np.float32)


@pytest.mark.parametrize("G,M,K,mr", [(1, 1, 1, 1), (1, 5, 7, 4), (3, 33, 19, 8),
                                      (2, 64, 300, 16), (1, 130, 1153, 24), (5, 7, 64, 32),
                                      (1, 0, 5, 8), (2, 3, 0, 8), (0, 3, 4, 8)])
@pytest.mark.parametrize("scaled", [False, True])
def test_rows_in_panels(G, M, K, mr, scaled) -> None:
    w = RNG.standard_normal((G, M, K)).astype(np.float32)
    scale = RNG.standard_normal((G, M)).astype(np.float32) if scaled else None
    got = pack_panels(w, mr, scale)
    assert got.shape == (G, -(-M // mr), K, mr)
    assert got.ctypes.data % 64 == 0 or got.size == 0
    np.testing.assert_array_equal(got, _reference(w, mr, scale))


@pytest.mark.parametrize("K,N,nr", [(5, 3, 8), (64, 100, 16), (300, 77, 32)])
def test_columns_in_panels_of_a_transposed_view(K, N, nr) -> None:
    """pack_b's layout: the [N, K] rows of a [K, N] matrix, read through a transposed
    view (column stride 1) without copying it first."""
    w = RNG.standard_normal((2, K, N)).astype(np.float32)
    got = pack_panels(w.transpose(0, 2, 1), nr)
    np.testing.assert_array_equal(got, np.stack([pack_b(m, nr) for m in w]))


def test_unaligned_negative_strided_and_other_dtypes() -> None:
    w = RNG.standard_normal((2, 9, 13)).astype(np.float32)
    raw = np.zeros(w.nbytes + 3, np.uint8)
    unaligned = np.ndarray(w.shape, np.float32, raw.data, 1)  # data at an odd address
    unaligned[...] = w
    np.testing.assert_array_equal(pack_panels(unaligned, 8), _reference(w, 8, None))
    flipped = w[:, ::-1, ::-1]
    np.testing.assert_array_equal(pack_panels(flipped, 8), _reference(flipped, 8, None))
    half = w.astype(np.float16)
    np.testing.assert_array_equal(pack_panels(half, 8),
                                  _reference(half.astype(np.float32), 8, None))


@pytest.mark.parametrize("mr", [0, -1, 257])
def test_bad_panel_height(mr) -> None:
    with pytest.raises(ValueError, match="panels of"):
        pack_panels(np.ones((1, 4, 4), np.float32), mr)


def test_not_three_dims() -> None:
    with pytest.raises(ValueError, match=r"\[G, M, K\]"):
        pack_panels(np.ones((4, 4), np.float32), 8)
