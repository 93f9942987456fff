"""Data movement: ops that reshape, reorder, join, split, pad or replicate values without
arithmetic. They take any element type, so they are tried with the low-bit, f8 and string
types too; axes and shapes are Constants (negative axes included)."""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov

from ._case import STANDARD_TYPES, Case, OpInfo, T, const, op_cases, param

#: the types data-movement ops are tried with: every standard type, the packed ones,
#: an 8-bit float and strings
MOVE_TYPES: tuple[ov.Type, ...] = STANDARD_TYPES + (T.u1, T.u4, T.i4, T.f8e4m3, T.string)


def i64(values: Any) -> Any:
    return const(np.asarray(values, dtype=np.int64), T.i64)


def i32(values: Any) -> Any:
    return const(np.asarray(values, dtype=np.int32), T.i32)


@op_cases("Reshape", types=MOVE_TYPES)
def _reshape(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("flatten", [param([2, 3, 4]), i64([-1])], lambda x, s: ops.reshape(x, s, False)),
        Case("special_zero", [param([2, 3, 4]), i64([0, -1])],
             lambda x, s: ops.reshape(x, s, True)),
        Case("odd", [param([7, 13, 3]), i32([13, 21])], lambda x, s: ops.reshape(x, s, False)),
        Case("to_scalar", [param([1, 1]), i64(np.zeros(0, np.int64))],
             lambda x, s: ops.reshape(x, s, False)),
        Case("from_scalar", [param([]), i64([1, 1, 1])], lambda x, s: ops.reshape(x, s, False)),
        Case("empty", [param([0, 4]), i64([4, 0])], lambda x, s: ops.reshape(x, s, False)),
    ]


@op_cases("Squeeze", types=MOVE_TYPES)
def _squeeze(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = [
        Case("axes", [param([1, 3, 1, 4]), i64([0, -2])], lambda x, a: ops.squeeze(x, a)),
        Case("all_ones", [param([1, 3, 1, 4, 1])], lambda x: ops.squeeze(x)),
        Case("to_scalar", [param([1]), i64([0])], lambda x, a: ops.squeeze(x, a)),
        Case("empty", [param([0, 1, 3]), i32([1])], lambda x, a: ops.squeeze(x, a)),
    ]
    if info.number >= 15:
        cases.append(Case("allow_axis_skip", [param([1, 3, 4]), i64([0, 1])],
                          lambda x, a: ops.squeeze(x, a, True), dynamic=False))
    return cases


@op_cases("Unsqueeze", types=MOVE_TYPES)
def _unsqueeze(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("axes", [param([3, 4]), i64([0, -1])], lambda x, a: ops.unsqueeze(x, a)),
        Case("middle", [param([2, 3, 4]), i32([2])], lambda x, a: ops.unsqueeze(x, a)),
        Case("scalar", [param([]), i64([0])], lambda x, a: ops.unsqueeze(x, a)),
        Case("empty", [param([0, 2]), i64([1])], lambda x, a: ops.unsqueeze(x, a)),
    ]


@op_cases("Transpose", types=MOVE_TYPES)
def _transpose(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("3d", [param([2, 3, 4]), i64([2, 0, 1])], lambda x, o: ops.transpose(x, o)),
        Case("nchw_to_nhwc", [param([2, 3, 4, 5]), i64([0, 2, 3, 1])],
             lambda x, o: ops.transpose(x, o)),
        Case("odd_2d", [param([7, 131]), i32([1, 0])], lambda x, o: ops.transpose(x, o)),
        Case("reverse_by_empty_order", [param([2, 3, 4]), i64(np.zeros(0, np.int64))],
             lambda x, o: ops.transpose(x, o)),
        Case("empty", [param([0, 3]), i64([1, 0])], lambda x, o: ops.transpose(x, o)),
    ]


@op_cases("Concat", types=MOVE_TYPES)
def _concat(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("axis1", [param([2, 3]), param([2, 1]), param([2, 4])],
             lambda a, b, c: ops.concat([a, b, c], 1)),
        Case("negative_axis", [param([2, 3, 2]), param([2, 3, 5])],
             lambda a, b: ops.concat([a, b], -1)),
        Case("axis0", [param([1, 3]), param([4, 3])], lambda a, b: ops.concat([a, b], 0)),
        Case("with_empty", [param([0, 3]), param([2, 3])], lambda a, b: ops.concat([a, b], 0)),
        Case("single", [param([5])], lambda a: ops.concat([a], 0)),
        Case("large", [param([3, 1000]), param([3, 31])], lambda a, b: ops.concat([a, b], 1)),
    ]


@op_cases("Split", types=MOVE_TYPES)
def _split(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("axis0", [param([6, 4]), i64(0)], lambda x, a: ops.split(x, a, 3)),
        Case("negative_axis", [param([2, 6]), i64(-1)], lambda x, a: ops.split(x, a, 2)),
        Case("one", [param([3, 5]), i32(1)], lambda x, a: ops.split(x, a, 1)),
        Case("empty", [param([0, 4]), i64(1)], lambda x, a: ops.split(x, a, 2)),
    ]


@op_cases("VariadicSplit", types=MOVE_TYPES)
def _variadic_split(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("inferred", [param([7, 4]), i64(0), i64([2, -1, 1])],
             lambda x, a, s: ops.variadic_split(x, a, s)),
        Case("negative_axis", [param([2, 4]), i32(-1), i32([1, 3])],
             lambda x, a, s: ops.variadic_split(x, a, s)),
        Case("zero_length", [param([3, 4]), i64(1), i64([0, 4])],
             lambda x, a, s: ops.variadic_split(x, a, s)),
    ]


@op_cases("Tile", types=MOVE_TYPES)
def _tile(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("same_rank", [param([2, 3]), i64([2, 1])], lambda x, r: ops.tile(x, r)),
        Case("more_repeats", [param([2, 3]), i64([2, 1, 3])], lambda x, r: ops.tile(x, r)),
        Case("fewer_repeats", [param([2, 3, 2]), i32([3])], lambda x, r: ops.tile(x, r)),
        Case("scalar", [param([]), i64([4])], lambda x, r: ops.tile(x, r)),
        Case("zero_repeat", [param([2, 3]), i64([0, 2])], lambda x, r: ops.tile(x, r)),
    ]


@op_cases("Broadcast", types=MOVE_TYPES)
def _broadcast(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = [
        Case("numpy", [param([3, 1]), i64([2, 3, 4])], lambda x, s: ops.broadcast(x, s)),
        Case("scalar", [param([]), i64([2, 3])], lambda x, s: ops.broadcast(x, s)),
        Case("explicit", [param([3]), i64([2, 3, 4]), i64([1])],
             lambda x, s, m: ops.broadcast(x, s, m, "EXPLICIT")),
        Case("empty", [param([1, 3]), i64([0, 3])], lambda x, s: ops.broadcast(x, s)),
    ]
    if info.number >= 3:
        cases.append(Case("bidirectional", [param([3, 1]), i64([1, 4])],
                          lambda x, s: ops.broadcast(x, s, broadcast_spec="BIDIRECTIONAL")))
    return cases


@op_cases("Pad")
def _pad(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    value = True if et == T.boolean else 2

    def pad(mode: str, with_value: bool = False) -> Any:
        if with_value:
            return lambda x, b, e, v: ops.pad(x, b, e, mode, v)
        return lambda x, b, e: ops.pad(x, b, e, mode)

    cases = [
        Case("constant", [param([3, 4]), i64([1, 2]), i64([2, 0]), const(value)],
             pad("constant", True)),
        Case("constant_zero", [param([2, 3, 4]), i64([0, 1, 1]), i64([1, 0, 2])],
             pad("constant")),
        Case("edge", [param([3, 4]), i64([2, 1]), i64([1, 3])], pad("edge")),
        Case("reflect", [param([4, 5]), i32([2, 1]), i32([3, 2])], pad("reflect")),
        Case("symmetric", [param([4, 5]), i64([2, 4]), i64([3, 0])], pad("symmetric")),
        Case("empty_input", [param([0, 3]), i64([1, 1]), i64([1, 1])], pad("constant")),
    ]
    if info.number >= 12:
        cases.append(Case("negative_pads", [param([5, 6]), i64([-1, 2]), i64([1, -3])],
                          pad("constant")))
        cases.append(Case("negative_pads_edge", [param([5, 6]), i64([-2, 1]), i64([2, -1])],
                          pad("edge")))
    return cases


@op_cases("ShuffleChannels", types=MOVE_TYPES)
def _shuffle_channels(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("nchw", [param([1, 6, 2, 2])], lambda x: ops.shuffle_channels(x, 1, 3)),
        Case("negative_axis", [param([2, 4, 3])], lambda x: ops.shuffle_channels(x, -2, 2)),
        Case("axis0", [param([8, 3])], lambda x: ops.shuffle_channels(x, 0, 4)),
    ]


@op_cases("DepthToSpace", "SpaceToDepth", types=MOVE_TYPES)
def _depth_space(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    make = ops.depth_to_space if info.type_name == "DepthToSpace" else ops.space_to_depth
    shape = [2, 8, 2, 3] if info.type_name == "DepthToSpace" else [2, 2, 4, 6]
    shape5 = [1, 16, 1, 2, 3] if info.type_name == "DepthToSpace" else [1, 2, 2, 4, 6]
    return [
        Case("blocks_first", [param(shape)], lambda x: make(x, "blocks_first", 2)),
        Case("depth_first", [param(shape)], lambda x: make(x, "depth_first", 2)),
        Case("5d", [param(shape5)], lambda x: make(x, "blocks_first", 2)),
        Case("block_1", [param([1, 3, 2, 2])], lambda x: make(x, "depth_first", 1)),
    ]


@op_cases("BatchToSpace", types=MOVE_TYPES)
def _batch_to_space(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("2x2", [param([4, 3, 2, 2]), i64([1, 1, 2, 2]), i64([0, 0, 0, 0]),
                     i64([0, 0, 0, 0])], lambda x, b, c0, c1: ops.batch_to_space(x, b, c0, c1)),
        Case("crops", [param([8, 1, 3, 2]), i64([1, 2, 2, 2]), i64([0, 0, 1, 0]),
                       i64([0, 1, 0, 1])], lambda x, b, c0, c1: ops.batch_to_space(x, b, c0, c1)),
    ]


@op_cases("SpaceToBatch", types=MOVE_TYPES)
def _space_to_batch(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("2x2", [param([1, 3, 4, 4]), i64([1, 1, 2, 2]), i64([0, 0, 0, 0]),
                     i64([0, 0, 0, 0])], lambda x, b, p0, p1: ops.space_to_batch(x, b, p0, p1)),
        Case("pads", [param([2, 1, 3, 2]), i64([1, 1, 2, 3]), i64([0, 0, 1, 0]),
                      i64([0, 0, 0, 1])], lambda x, b, p0, p1: ops.space_to_batch(x, b, p0, p1)),
    ]


@op_cases("Reverse", types=MOVE_TYPES)
def _reverse(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("index", [param([3, 4, 5]), i64([0, 2])], lambda x, a: ops.reverse(x, a, "index")),
        Case("mask", [param([3, 4]), const(np.array([False, True]), T.boolean)],
             lambda x, a: ops.reverse(x, a, "mask")),
        Case("no_axes", [param([3, 4]), i64(np.zeros(0, np.int64))],
             lambda x, a: ops.reverse(x, a, "index")),
    ]


@op_cases("ReverseSequence", types=MOVE_TYPES)
def _reverse_sequence(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("batch0_seq1", [param([4, 5, 2]), param([4], T.i32, value=[1, 5, 3, 0])],
             lambda x, s: ops.reverse_sequence(x, s, 0, 1)),
        Case("batch1_seq0", [param([6, 3]), param([3], T.i64, value=[6, 2, 4])],
             lambda x, s: ops.reverse_sequence(x, s, 1, 0)),
        Case("negative_axes", [param([2, 4, 3]), param([2], T.i32, value=[3, 4])],
             lambda x, s: ops.reverse_sequence(x, s, -3, -2)),
    ]


@op_cases("Roll", types=MOVE_TYPES)
def _roll(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("two_axes", [param([3, 4]), i64([1, -2]), i64([0, 1])],
             lambda x, s, a: ops.roll(x, s, a)),
        Case("negative_axis", [param([2, 3, 5]), i32([7]), i32([-1])],
             lambda x, s, a: ops.roll(x, s, a)),
        Case("scalar_shift", [param([4, 6]), i64(3), i64([0, 1])],
             lambda x, s, a: ops.roll(x, s, a)),
        Case("repeated_axis", [param([5, 2]), i64([1, 2]), i64([0, 0])],
             lambda x, s, a: ops.roll(x, s, a)),
    ]


@op_cases("StridedSlice", types=MOVE_TYPES)
def _strided_slice(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset

    def ss(begin_mask: list[int], end_mask: list[int], new_axis: list[int] | None = None,
           shrink: list[int] | None = None, ellipsis: list[int] | None = None) -> Any:
        return lambda x, b, e, s: ops.strided_slice(x, b, e, s, begin_mask, end_mask,
                                                    new_axis or [], shrink or [],
                                                    ellipsis or [])

    return [
        Case("basic", [param([4, 5, 6]), i64([1, 0, 5]), i64([3, 5, 0]), i64([1, 2, -1])],
             ss([0, 1, 0], [0, 0, 0])),
        Case("negative_bounds", [param([6, 7]), i64([-5, -1]), i64([-1, -8]), i64([2, -2])],
             ss([0, 0], [0, 0])),
        Case("masks", [param([4, 5]), i64([2, 3]), i64([3, 4]), i64([1, 1])],
             ss([1, 0], [0, 1])),
        Case("new_and_shrink", [param([4, 5]), i64([1, 0, 2]), i64([2, 0, 4]),
                                i64([1, 1, 1])], ss([0, 0, 0], [0, 0, 0], [0, 1, 0], [1, 0, 0])),
        Case("ellipsis", [param([2, 3, 4, 5]), i64([0, 1]), i64([0, 4]), i64([1, 2])],
             ss([0, 0], [0, 0], None, None, [1, 0])),
        Case("empty_result", [param([4, 5]), i64([2, 0]), i64([2, 5]), i64([1, 1])],
             ss([0, 0], [0, 0])),
    ]


@op_cases("Slice", types=MOVE_TYPES)
def _slice(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("axes", [param([4, 7]), i64([1, -4]), i64([3, 100]), i64([1, 2]), i64([0, -1])],
             lambda x, a, b, s, ax: ops.slice(x, a, b, s, ax)),
        Case("negative_step", [param([5, 6]), i64([4, 5]), i64([0, -100]), i64([-2, -1])],
             lambda x, a, b, s: ops.slice(x, a, b, s)),
        Case("one_axis_of_three", [param([2, 9, 3]), i32([2]), i32([8]), i32([3]), i32([1])],
             lambda x, a, b, s, ax: ops.slice(x, a, b, s, ax)),
        Case("empty_result", [param([4, 5]), i64([3]), i64([1]), i64([1]), i64([0])],
             lambda x, a, b, s, ax: ops.slice(x, a, b, s, ax)),
        Case("large", [param([3, 1031]), i64([5]), i64([1031]), i64([7]), i64([1])],
             lambda x, a, b, s, ax: ops.slice(x, a, b, s, ax)),
    ]


@op_cases("SliceScatter", types=MOVE_TYPES)
def _slice_scatter(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("axes", [param([4, 7]), param([2, 2]), i64([1, -4]), i64([3, 100]), i64([1, 2]),
                      i64([0, -1])],
             lambda x, u, a, b, s, ax: ops.slice_scatter(x, u, a, b, s, ax)),
        Case("negative_step", [param([5, 6]), param([3, 6]), i64([4]), i64([-100]), i64([-2]),
                               i64([0])],
             lambda x, u, a, b, s, ax: ops.slice_scatter(x, u, a, b, s, ax)),
    ]


@op_cases("ShapeOf", types=MOVE_TYPES)
def _shape_of(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    if info.number < 3:
        return [Case("4d", [param([2, 3, 4, 5])], lambda x: ops.shape_of(x)),
                Case("scalar", [param([])], lambda x: ops.shape_of(x)),
                Case("empty", [param([0, 7])], lambda x: ops.shape_of(x))]
    return [Case("4d", [param([2, 3, 4, 5])], lambda x: ops.shape_of(x)),
            Case("i32", [param([3, 1])], lambda x: ops.shape_of(x, "i32")),
            Case("scalar", [param([])], lambda x: ops.shape_of(x, "i64")),
            Case("empty", [param([0, 7])], lambda x: ops.shape_of(x, "i32"))]


@op_cases("ExtractImagePatches")
def _extract_image_patches(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case(f"{pad}", [param([1, 2, 6, 5])],
             lambda x, p=pad: ops.extract_image_patches(x, [2, 3], [2, 1], [1, 2], p))
        for pad in ("valid", "same_upper", "same_lower")
    ]
