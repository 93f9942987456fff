"""Large gathers (an embedding table lookup: MiniLM's 4 x 128 token ids into a 30522 x 384
table) are shared out over the pool's threads in chunks of output slices: every slice is
written once, by batch and by leading axis, with the Gather-8 rules for negative and out of
range indices (zeros), whatever the chunk boundaries."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import unaligned

import openvino as ov
import openvino.opset13 as ops


def _expected(table: np.ndarray, ids: np.ndarray, axis: int, batch_dims: int) -> np.ndarray:
    """numpy Gather-8 with zeros for indices outside [-n, n)."""
    n = table.shape[axis]
    ok = (ids >= -n) & (ids < n)
    safe = np.where(ok, ids, 0) % n
    if batch_dims == 0:
        out = np.take(table, safe, axis=axis)
        mask = ok.reshape((1,) * axis + ids.shape + (1,) * (table.ndim - axis - 1))
    else:  # batch_dims == 1, axis 1
        out = np.stack([np.take(table[b], safe[b], axis=axis - 1) for b in range(ids.shape[0])])
        mask = ok.reshape(ids.shape + (1,) * (table.ndim - 2))
    return np.where(mask, out, 0).astype(table.dtype)


@pytest.mark.parametrize("rows,width,ids_shape,idx_type", [
    (30522, 384, (4, 128), np.int64), (1000, 97, (3, 1001), np.int32),
    (50, 4099, (7, 9), np.int64), (5000, 16, (70000,), np.int32)])
def test_embedding_lookup_over_the_threads(core, rows, width, ids_shape, idx_type) -> None:
    rng = np.random.default_rng(rows)
    table = rng.standard_normal((rows, width)).astype(np.float32)
    data = ops.parameter([rows, width], np.float32)
    idx = ops.parameter(list(ids_shape), idx_type)
    y = ops.gather(data, idx, ops.constant(np.int64(0)))
    compiled = core.compile_model(ov.Model([y], [data, idx]), "CPU",
                                  {"INFERENCE_NUM_THREADS": 2})
    ids = rng.integers(-rows - 3, rows + 3, ids_shape).astype(idx_type)
    got = compiled([unaligned(table), ids])[0]
    np.testing.assert_array_equal(got, _expected(table, ids, 0, 0))


def test_large_gather_with_batch_dims_and_a_leading_axis(core) -> None:
    rng = np.random.default_rng(3)
    table = rng.standard_normal((3, 600, 5, 130)).astype(np.float32)
    data = ops.parameter(list(table.shape), np.float32)
    idx = ops.parameter([3, 77], np.int64)
    y = ops.gather(data, idx, ops.constant(np.int64(1)), 1)
    compiled = core.compile_model(ov.Model([y], [data, idx]), "CPU")
    ids = rng.integers(-605, 605, (3, 77)).astype(np.int64)
    got = compiled([table, ids])[0]
    np.testing.assert_array_equal(got, _expected(table, ids, 1, 1))


def test_empty_large_gather(core) -> None:
    data = ops.parameter([100000, 8], np.float32)
    idx = ops.parameter([0], np.int64)
    y = ops.gather(data, idx, ops.constant(np.int64(0)))
    compiled = core.compile_model(ov.Model([y], [data, idx]), "CPU")
    got = compiled([np.ones((100000, 8), np.float32), np.zeros(0, np.int64)])[0]
    assert got.shape == (0, 8)
