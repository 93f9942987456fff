"""Indexing: gathers, scatters, one-hot, top-k, sorting-like ops (NonZero, Unique,
Bucketize, SearchSorted), embedding bags and segment reductions.

Indices are Parameters with random in-range values (negative ones where the op defines
them) of both index types; where an op leaves duplicate indices undefined, the indices
are fixed distinct values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov

from ._case import FLOAT_TYPES, INT_TYPES, Case, OpInfo, T, const, op_cases, param
from .movement import MOVE_TYPES, i32, i64

_NUMERIC = FLOAT_TYPES + INT_TYPES


@op_cases("Gather", types=MOVE_TYPES)
def _gather(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    v = info.number

    def g(axis: int, batch_dims: int = 0) -> Any:
        if v < 7:
            return lambda d, i: ops.gather(d, i, ops.constant(np.int64(axis)))
        return lambda d, i: ops.gather(d, i, ops.constant(np.int64(axis)), batch_dims)

    low = -5 if v >= 8 else 0
    cases = [
        Case("axis0", [param([5, 4]), param([3], T.i64, low=low, high=4)], g(0)),
        Case("negative_axis", [param([2, 5, 3]), param([2, 2], T.i32, low=low, high=4)],
             g(-2)),
        Case("scalar_index", [param([4, 3]), param([], T.i64, low=0, high=2)], g(1)),
        Case("empty_indices", [param([4, 3]), param([0], T.i32)], g(0)),
        Case("large", [param([40, 257]), param([3, 5], T.i64, low=low, high=39)], g(0)),
        # OpenVINO's CPU plugin gathers zeros for indices outside the allowed range (and
        # for negative ones before Gather-8)
        Case("out_of_range", [param([5, 4]), param([12], T.i32, low=-9, high=9)], g(0)),
    ]
    if v >= 7:
        cases.append(Case("batch_dims", [param([2, 3, 4]), param([2, 2], T.i32, low=0, high=3)],
                          g(2, 1)))
        cases.append(Case("negative_batch_dims", [param([2, 3, 4]),
                                                  param([2, 3, 2], T.i64, low=0, high=3)],
                          g(2, -1)))
    return cases


@op_cases("GatherElements", types=MOVE_TYPES)
def _gather_elements(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("axis1", [param([3, 4]), param([3, 2], T.i32, low=0, high=3)],
             lambda d, i: ops.gather_elements(d, i, 1)),
        Case("negative_axis", [param([3, 4]), param([2, 4], T.i64, low=0, high=2)],
             lambda d, i: ops.gather_elements(d, i, -2)),
        Case("3d", [param([2, 3, 4]), param([2, 3, 6], T.i64, low=0, high=3)],
             lambda d, i: ops.gather_elements(d, i, 2)),
    ]


@op_cases("GatherND", types=MOVE_TYPES)
def _gather_nd(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("slices", [param([3, 4, 5]), param([2, 1], T.i64, low=0, high=2)],
             lambda d, i: ops.gather_nd(d, i)),
        Case("elements", [param([3, 4]), param([5, 2], T.i32, value=[[0, 1], [2, 3], [1, 0],
                                                                     [2, 0], [0, 3]])],
             lambda d, i: ops.gather_nd(d, i)),
        Case("batch_dims1", [param([2, 3, 4]), param([2, 1], T.i64, low=0, high=2)],
             lambda d, i: ops.gather_nd(d, i, 1)),
        Case("batch_dims2", [param([2, 3, 4, 5]), param([2, 3, 1], T.i32, low=0, high=3)],
             lambda d, i: ops.gather_nd(d, i, 2)),
    ]


@op_cases("GatherTree", types=_NUMERIC)
def _gather_tree(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    steps, batch, width = 4, 2, 3
    return [Case("beams", [param([steps, batch, width], low=0, high=9),
                           param([steps, batch, width], low=0, high=width - 1),
                           param([batch], value=[4, 3]), param([], value=9)],
                 lambda s, p, m, e: ops.gather_tree(s, p, m, e), dynamic=False)]


@op_cases("ScatterUpdate", types=MOVE_TYPES)
def _scatter_update(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("axis0", [param([5, 3]), param([2], T.i64, value=[3, 0]), param([2, 3]), i64(0)],
             lambda d, i, u, a: ops.scatter_update(d, i, u, a)),
        Case("negative_axis", [param([3, 5]), param([2], T.i32, value=[4, 1]), param([3, 2]),
                               i32(-1)], lambda d, i, u, a: ops.scatter_update(d, i, u, a)),
        Case("2d_indices", [param([6, 2]), param([2, 2], T.i64, value=[[5, 0], [2, 3]]),
                            param([2, 2, 2]), i64(0)],
             lambda d, i, u, a: ops.scatter_update(d, i, u, a)),
    ]


@op_cases("ScatterElementsUpdate", types=MOVE_TYPES)
def _scatter_elements_update(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    distinct = [[0, 2], [1, 3], [3, 0]]
    cases = [
        Case("axis1", [param([3, 4]), param([3, 2], T.i64, value=distinct), param([3, 2]),
                       i64(1)], lambda d, i, u, a: ops.scatter_elements_update(d, i, u, a)),
        Case("negative_axis", [param([3, 4]), param([1, 4], T.i32, value=[[2, 0, 1, 2]]),
                               param([1, 4]), i32(-2)],
             lambda d, i, u, a: ops.scatter_elements_update(d, i, u, a)),
    ]
    if info.number >= 12 and et in _NUMERIC:
        dup = [[0, 0, 2], [1, 1, 1], [3, 0, 3]]
        for reduction in ("sum", "prod", "min", "max", "mean"):
            for init in (True, False):
                cases.append(Case(
                    f"{reduction}_init{int(init)}",
                    [param([3, 4], low=-2, high=2), param([3, 3], T.i64, value=dup),
                     param([3, 3], low=-2, high=2), i64(1)],
                    lambda d, i, u, a, r=reduction, n=init:
                        ops.scatter_elements_update(d, i, u, a, r, n),
                    dynamic=False))
    return cases


@op_cases("ScatterNDUpdate", types=MOVE_TYPES)
def _scatter_nd_update(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = [
        Case("rows", [param([4, 3]), param([2, 1], T.i32, value=[[1], [3]]), param([2, 3])],
             lambda d, i, u: ops.scatter_nd_update(d, i, u)),
        Case("elements", [param([4, 3]), param([2, 2], T.i64, value=[[0, 1], [2, 2]]),
                          param([2])], lambda d, i, u: ops.scatter_nd_update(d, i, u)),
    ]
    if info.number >= 15:
        cases.append(Case("negative_indices", [param([4, 3]),
                                               param([2, 1], T.i64, value=[[-1], [0]]),
                                               param([2, 3])],
                          lambda d, i, u: ops.scatter_nd_update(d, i, u), dynamic=False))
    if info.number >= 15 and et in _NUMERIC:
        for reduction in ("sum", "sub", "prod", "min", "max"):
            cases.append(Case(
                f"{reduction}_duplicates",
                [param([4, 3], low=-2, high=2), param([3, 1], T.i64, value=[[1], [1], [2]]),
                 param([3, 3], low=-2, high=2)],
                lambda d, i, u, r=reduction: ops.scatter_nd_update(d, i, u, r), dynamic=False))
    return cases


@op_cases("OneHot")
def _one_hot(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    on, off = (True, False) if et == T.boolean else (5, 2)

    def oh(axis: int, mode: str | None = None) -> Any:
        def make(i: Any, d: Any, a: Any, b: Any) -> Any:
            if mode is None:
                return ops.one_hot(i, d, a, b, axis)
            return ops.one_hot(i, d, a, b, axis, mode)
        return make

    def ins(shape: list[int], index_type: ov.Type, low: int) -> list[Any]:
        return [param(shape, index_type, low=low, high=4), i64(4), const(on), const(off)]

    cases = [
        Case("last_axis", ins([3, 2], T.i32, 0), oh(-1)),
        Case("axis0", ins([5], T.i64, 0), oh(0)),
        Case("out_of_range", ins([2, 3], T.i64, -1), oh(1)),
        Case("scalar", ins([], T.i32, 0), oh(0)),
    ]
    if info.number >= 16:
        cases.append(Case("normalize_negative", ins([2, 3], T.i64, -4), oh(1, "normalize")))
        cases.append(Case("ignore_negative", ins([2, 3], T.i32, -4), oh(1, "ignore_negative")))
    return cases


def _distinct(shape: list[int], et: ov.Type, seed: int) -> np.ndarray:
    """Distinct values (a permutation), shifted to fit unsigned types."""
    n = int(np.prod(shape))
    values = np.random.default_rng(seed).permutation(n).astype(np.float64)
    if et.is_signed() or et.is_real():
        values -= n // 2
    if et.is_real():
        values = values / 4.0
    return values.reshape(shape)


@op_cases("TopK", types=_NUMERIC)
def _topk(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    v = info.number

    def tk(axis: int, mode: str, sort: str, index_type: str = "i32") -> Any:
        if v < 3:
            return lambda x, k: ops.topk(x, k, axis, mode, sort)
        return lambda x, k: ops.topk(x, k, axis, mode, sort, index_type)

    cases = [
        Case("max_by_value", [param([3, 7], value=_distinct([3, 7], et, 1)), i64(3)],
             tk(1, "max", "value")),
        Case("min_by_index", [param([3, 7], value=_distinct([3, 7], et, 2)), i32(4)],
             tk(-1, "min", "index", "i64")),
        Case("axis0", [param([6, 2, 3], value=_distinct([6, 2, 3], et, 3)), i64(2)],
             tk(0, "max", "value")),
        Case("k_equals_dim", [param([2, 5], value=_distinct([2, 5], et, 4)), i64(5)],
             tk(1, "min", "value")),
        Case("unsorted", [param([2, 6], value=_distinct([2, 6], et, 5)), i64(3)],
             tk(1, "max", "none")),
        Case("large", [param([3, 257], value=_distinct([3, 257], et, 6)
                              if et.get_type_name() not in ("i8", "u8") else None,
                             low=-100, high=100), i64(1)],
             tk(1, "max", "value")),
    ]
    if et.get_type_name() in ("i8", "u8", "bf16"):
        cases.pop()  # 771 distinct values do not fit in 8 bits (bf16: in its mantissa)
    if v >= 11:
        ties = np.array([[1, 3, 1, 2, 3, 1], [0, 0, 2, 2, 1, 0]], dtype=np.float64)
        cases.append(Case("stable_ties", [param([2, 6], value=ties), i64(3)],
                          lambda x, k: ops.topk(x, k, 1, "max", "value", "i32", True),
                          dynamic=False))
    return cases


@op_cases("NonZero", types=_NUMERIC + (T.boolean,))
def _non_zero(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset

    def sparse(shape: list[int], seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        values = rng.integers(0, 3, size=shape) * (rng.integers(0, 2, size=shape))
        return values.astype(bool) if et == T.boolean else values.astype(np.float64)

    return [
        Case("2d", [param([3, 4], value=sparse([3, 4], 1))], lambda x: ops.non_zero(x)),
        Case("i32_3d", [param([2, 3, 4], value=sparse([2, 3, 4], 2))],
             lambda x: ops.non_zero(x, "i32")),
        Case("all_zero", [param([2, 3], value=np.zeros((2, 3)))], lambda x: ops.non_zero(x)),
        Case("scalar", [param([], value=np.array(True if et == T.boolean else 2.0))],
             lambda x: ops.non_zero(x)),
        Case("empty", [param([0, 2], value=np.zeros((0, 2)))], lambda x: ops.non_zero(x)),
    ]


@op_cases("Unique", types=_NUMERIC)
def _unique(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    rows = np.array([[1, 2, 0], [0, 1, 1], [1, 2, 0], [2, 2, 2]], dtype=np.float64)
    rng = np.random.default_rng(11)
    return [
        Case("sorted", [param([12], value=rng.integers(0, 5, 12))], lambda x: ops.unique(x)),
        Case("unsorted_i32", [param([3, 4], value=rng.integers(0, 4, (3, 4)))],
             lambda x: ops.unique(x, None, False, "i32", "i32")),
        Case("axis0", [param([4, 3], value=rows), i64(0)], lambda x, a: ops.unique(x, a)),
        Case("negative_axis_unsorted", [param([3, 4], value=rows.T.copy()), i64(-1)],
             lambda x, a: ops.unique(x, a, False)),
    ]


@op_cases("Bucketize", types=_NUMERIC)
def _bucketize(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    low, high = (0, 12) if not et.is_signed() else (-6, 6)
    edges = np.array([-4, -1, 0, 2, 5]) if et.is_signed() else np.array([1, 3, 4, 8, 10])
    return [
        Case("right_bound", [param([3, 4], low=low, high=high), const(edges)],
             lambda x, b: ops.bucketize(x, b)),
        Case("left_bound_i32", [param([3, 4], low=low, high=high), const(edges)],
             lambda x, b: ops.bucketize(x, b, "i32", False)),
        Case("f32_buckets", [param([7], low=low, high=high),
                             const(edges.astype(np.float32) + 0.5, T.f32)],
             lambda x, b: ops.bucketize(x, b)),
        Case("empty_buckets", [param([4], low=low, high=high),
                               const(np.zeros(0), None)], lambda x, b: ops.bucketize(x, b)),
    ]


@op_cases("SearchSorted", types=_NUMERIC)
def _search_sorted(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    low, high = (0, 12) if not et.is_signed() else (-6, 6)
    seq = np.array([[-4, -1, 0, 2, 5], [-3, -3, 1, 1, 6], [0, 1, 2, 3, 4]], dtype=np.float64)
    if not et.is_signed():
        seq = seq + 4
    return [
        Case("left", [param([3, 5], value=seq), param([3, 4], low=low, high=high)],
             lambda s, v: ops.search_sorted(s, v)),
        Case("right", [param([3, 5], value=seq), param([3, 4], low=low, high=high)],
             lambda s, v: ops.search_sorted(s, v, True)),
        Case("1d_sequence", [param([5], value=seq[0]), param([2, 3], low=low, high=high)],
             lambda s, v: ops.search_sorted(s, v), dynamic=False),
    ]


@op_cases("EmbeddingBagOffsetsSum", "EmbeddingBagOffsets", types=_NUMERIC)
def _embedding_bag_offsets(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    table = param([10, 4], low=-3, high=3)
    indices = param([6], T.i32, low=0, high=9)
    offsets = param([3], T.i32, value=[0, 2, 2])
    default = const(np.int32(1), T.i32)
    weights = param([6], low=0, high=2)
    if info.type_name == "EmbeddingBagOffsetsSum":
        return [
            Case("basic", [table, indices, offsets],
                 lambda t, i, o: ops.embedding_bag_offsets_sum(t, i, o)),
            Case("default_and_weights", [table, indices, offsets, default, weights],
                 lambda t, i, o, d, w: ops.embedding_bag_offsets_sum(t, i, o, d, w)),
        ]
    return [
        Case("sum", [table, indices, offsets],
             lambda t, i, o: ops.embedding_bag_offsets(t, i, o, reduction="sum")),
        Case("mean", [table, indices, offsets, default],
             lambda t, i, o, d: ops.embedding_bag_offsets(t, i, o, d, reduction="mean")),
        Case("weights", [table, indices, offsets, default, weights],
             lambda t, i, o, d, w: ops.embedding_bag_offsets(t, i, o, d, w, "sum")),
    ]


@op_cases("EmbeddingBagPackedSum", "EmbeddingBagPacked", types=_NUMERIC)
def _embedding_bag_packed(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    table = param([10, 4], low=-3, high=3)
    indices = param([3, 2], T.i64, low=0, high=9)
    weights = param([3, 2], low=0, high=2)
    if info.type_name == "EmbeddingBagPackedSum":
        return [
            Case("basic", [table, indices], lambda t, i: ops.embedding_bag_packed_sum(t, i)),
            Case("weights", [table, indices, weights],
                 lambda t, i, w: ops.embedding_bag_packed_sum(t, i, w)),
        ]
    return [
        Case("sum", [table, indices], lambda t, i: ops.embedding_bag_packed(t, i, None, "sum")),
        Case("mean", [table, indices], lambda t, i: ops.embedding_bag_packed(t, i, None, "mean")),
        Case("weights", [table, indices, weights],
             lambda t, i, w: ops.embedding_bag_packed(t, i, w, "sum")),
    ]


@op_cases("EmbeddingSegmentsSum", types=_NUMERIC)
def _embedding_segments_sum(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    table = param([10, 4], low=-3, high=3)
    indices = param([5], T.i32, low=0, high=9)
    segments = param([5], T.i32, value=[0, 0, 2, 3, 3])
    return [
        Case("basic", [table, indices, segments, const(np.int32(5), T.i32)],
             lambda t, i, s, n: ops.embedding_segments_sum(t, i, s, n)),
        Case("default_and_weights", [table, indices, segments, const(np.int32(4), T.i32),
                                     const(np.int32(7), T.i32), param([5], low=0, high=2)],
             lambda t, i, s, n, d, w: ops.embedding_segments_sum(t, i, s, n, d, w)),
    ]


@op_cases("SegmentMax", types=_NUMERIC)
def _segment_max(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    ids = param([6], T.i32, value=[0, 0, 1, 3, 3, 3])
    return [
        Case("zero_fill", [param([6, 3]), ids],
             lambda d, s: ops.segment_max(d, s, fill_mode="ZERO")),
        Case("lowest_fill_num_segments", [param([6, 3]), ids, const(np.int64(6), T.i64)],
             lambda d, s, n: ops.segment_max(d, s, n, fill_mode="LOWEST")),
    ]
