"""Movement kernels (kernels/movement.cl through lowering/movement.py) against the TEMPLATE
reference: strided copies, index tables, Concat, Gather, views; odd and empty shapes, and
element types of every size."""

import numpy as np
import pytest
from kernel_harness import check, run_gpu

import openvino as ov
import openvino.opset13 as ops

RNG = np.random.default_rng(11)


def _x(shape, dtype=np.float32):
    if np.dtype(dtype) == np.bool_:
        return RNG.random(shape) < 0.5
    if np.dtype(dtype).kind == "f":
        return RNG.standard_normal(shape).astype(dtype)
    return RNG.integers(0, 100, shape).astype(dtype)


def _c(values, dtype=np.int64):
    return ops.constant(np.array(values, dtype))


DTYPES = [np.float32, np.int64, np.uint8, np.int32, np.bool_, np.int16]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,perm", [((3, 5, 7), (2, 0, 1)), ((2, 3, 4, 5), (0, 2, 3, 1)),
                                        ((7, 9), (1, 0)), ((0, 3, 2), (1, 2, 0)),
                                        ((2, 1, 3, 1, 2, 2, 3, 2, 2), (8, 7, 6, 5, 4, 3, 2, 1, 0))])
def test_transpose(gpu, dtype, shape, perm):
    p = ops.parameter(list(shape), ov.Type(dtype) if dtype is not np.bool_ else ov.Type.boolean)
    check(gpu, ops.transpose(p, _c(perm)), [_x(shape, dtype)])


def test_transpose_f16_storage(gpu):
    p = ops.parameter([3, 5, 7], ov.Type.f32)
    check(gpu, ops.transpose(p, _c([1, 2, 0])), [_x((3, 5, 7))], "f16")


@pytest.mark.parametrize("begin,end,step,axes", [
    ([1], [5], [2], [1]), ([-1, 0], [-8, 9], [-2, 3], [1, 2]), ([0, 2, 1], [3, 3, 8], [1, 1, 3],
                                                                  [0, 1, 2]),
    ([4], [2], [1], [2]),
])
def test_slice(gpu, begin, end, step, axes, precision):
    p = ops.parameter([3, 6, 9], ov.Type.f32)
    node = ops.slice(p, _c(begin), _c(end), _c(step), _c(axes))
    check(gpu, node, [_x((3, 6, 9))], precision)


def test_strided_slice_masks(gpu):
    p = ops.parameter([4, 5, 6], ov.Type.f32)
    node = ops.strided_slice(p, _c([1, 0, -1]), _c([3, 0, 0]), _c([1, 1, -2]),
                             begin_mask=[0, 1, 0], end_mask=[0, 1, 1], new_axis_mask=[],
                             shrink_axis_mask=[1, 0, 0])
    check(gpu, node, [_x((4, 5, 6))])
    node = ops.strided_slice(p, _c([0, 1]), _c([0, 3]), _c([1, 1]), begin_mask=[1, 0],
                             end_mask=[1, 0], new_axis_mask=[1, 0])
    check(gpu, node, [_x((4, 5, 6))])


def test_split_and_variadic_split(gpu, precision):
    p = ops.parameter([4, 9, 3], ov.Type.f32)
    check(gpu, ops.split(p, _c(1), 3), [_x((4, 9, 3))], precision)
    check(gpu, ops.variadic_split(p, _c(1), _c([2, 0, 7])), [_x((4, 9, 3))], precision)


def test_broadcast_and_tile(gpu):
    p = ops.parameter([3, 1, 5], ov.Type.i32)
    check(gpu, ops.broadcast(p, _c([2, 3, 4, 5])), [_x((3, 1, 5), np.int32)])
    q = ops.parameter([2, 3], ov.Type.f32)
    check(gpu, ops.broadcast(q, _c([2, 4, 3]), _c([0, 2]), "explicit"), [_x((2, 3))])
    check(gpu, ops.tile(q, _c([3, 1, 2])), [_x((2, 3))])


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad(gpu, mode, precision):
    p = ops.parameter([2, 3, 4], ov.Type.f32)
    node = ops.pad(p, _c([0, 1, 2]), _c([1, 2, 1]), mode,
                   ops.constant(np.float32(-7.5)) if mode == "constant" else None)
    check(gpu, node, [_x((2, 3, 4))], precision)


def test_pad_int_zero_fill(gpu):
    p = ops.parameter([3, 2], ov.Type.u8)
    check(gpu, ops.pad(p, _c([1, 0]), _c([0, 2]), "constant"), [_x((3, 2), np.uint8)])


def test_depth_to_space_shuffle(gpu):
    p = ops.parameter([2, 8, 3, 3], ov.Type.f32)
    x = _x((2, 8, 3, 3))
    check(gpu, ops.depth_to_space(p, "blocks_first", 2), [x])
    check(gpu, ops.space_to_depth(ops.parameter([1, 2, 4, 6], ov.Type.f32), "depth_first", 2),
          [_x((1, 2, 4, 6))])
    check(gpu, ops.shuffle_channels(p, 1, 4), [x])


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.uint8])
def test_concat(gpu, dtype):
    t = ov.Type(dtype)
    a, b, c = (ops.parameter(list(s), t) for s in [(2, 3, 4), (2, 0, 4), (2, 5, 4)])
    check(gpu, ops.concat([a, b, c], 1), [_x((2, 3, 4), dtype), _x((2, 0, 4), dtype),
                                          _x((2, 5, 4), dtype)])
    check(gpu, ops.concat([a, a], -1), [_x((2, 3, 4), dtype)])
    check(gpu, ops.concat([a, a, a], 0), [_x((2, 3, 4), dtype)])


def test_concat_with_constant(gpu, precision):
    a = ops.parameter([3, 2], ov.Type.f32)
    k = ops.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    check(gpu, ops.concat([k, a], 1), [_x((3, 2))], precision)


@pytest.mark.parametrize("idx_type", [np.int32, np.int64])
def test_gather(gpu, idx_type, precision):
    data = ops.parameter([5, 4, 3], ov.Type.f32)
    idx = ops.parameter([2, 3], ov.Type(idx_type))
    xi = np.array([[0, 4, -1], [2, -5, 3]], idx_type)
    check(gpu, ops.gather(data, idx, _c(0)), [_x((5, 4, 3)), xi], precision)
    xi = np.array([[0, 3, -1], [2, -4, 1]], idx_type)
    check(gpu, ops.gather(data, idx, _c(-2)), [_x((5, 4, 3)), xi], precision)


def test_gather_batch_dims_and_constant_data(gpu):
    data = ops.parameter([2, 3, 5], ov.Type.i64)
    idx = ops.parameter([2, 4], ov.Type.i32)
    xi = RNG.integers(-5, 5, (2, 4)).astype(np.int32)
    check(gpu, ops.gather(data, idx, _c(2), batch_dims=1), [_x((2, 3, 5), np.int64), xi])
    table = ops.constant(_x((10, 6)))
    ids = ops.parameter([7], ov.Type.i64)
    check(gpu, ops.gather(table, ids, _c(0)), [np.array([9, 0, 1, 1, 5, -1, 3], np.int64)])


def test_gather_out_of_range_gives_zeros(gpu):
    data = ops.parameter([4, 2], ov.Type.f32)
    idx = ops.parameter([3], ov.Type.i32)
    node = ops.gather(data, idx, _c(0))
    x = _x((4, 2))
    got = run_gpu(gpu, node, [x, np.array([1, 7, -9], np.int32)])[0]
    np.testing.assert_array_equal(got, np.stack([x[1], np.zeros(2), np.zeros(2)]))


def test_gather_v1_negative_indices_are_out_of_range(gpu):
    import openvino.opset1 as ops1

    data = ops.parameter([4, 2], ov.Type.f32)
    idx = ops.parameter([3], ov.Type.i32)
    x = _x((4, 2))
    got = run_gpu(gpu, ops1.gather(data, idx, _c(0)), [x, np.array([1, -1, 3], np.int32)])[0]
    np.testing.assert_array_equal(got, np.stack([x[1], np.zeros(2), x[3]]))


def test_views_alias_their_input(gpu):
    p = ops.parameter([2, 3, 4], ov.Type.f32)
    x = _x((2, 3, 4))
    check(gpu, ops.reshape(p, _c([4, -1]), False), [x])
    check(gpu, ops.squeeze(ops.parameter([2, 1, 4], ov.Type.f32), _c([1])), [_x((2, 1, 4))])
    check(gpu, ops.unsqueeze(p, _c([0, 3])), [x])


@pytest.mark.parametrize("out_type", ["i32", "i64"])
def test_shape_of(gpu, out_type):
    p = ops.parameter([2, 0, 7], ov.Type.f32)
    check(gpu, ops.shape_of(p, out_type), [_x((2, 0, 7))])
    check(gpu, ops.shape_of(ops.parameter([], ov.Type.f32), out_type), [np.float32(1)])


@pytest.mark.parametrize("version", ["opset5", "opset8"])
@pytest.mark.parametrize("batch_dims", [0, 1])
def test_gather_nd(gpu, version, batch_dims):
    import openvino.opset5 as ops5
    import openvino.opset8 as ops8

    f = ops5.gather_nd if version == "opset5" else ops8.gather_nd
    data = ops.parameter([2, 3, 4, 5], ov.Type.f32)
    idx = ops.parameter([2, 6, 2], ov.Type.i32)
    hi = 3 if batch_dims else 2
    xi = np.stack([RNG.integers(0, hi, (2, 6)), RNG.integers(0, 4 if batch_dims else 3,
                                                             (2, 6))], -1).astype(np.int32)
    check(gpu, f(data, idx, batch_dims), [_x((2, 3, 4, 5)), xi])
    idx3 = ops.parameter([4, 1], ov.Type.i64)
    check(gpu, f(data, idx3, 0), [_x((2, 3, 4, 5)), np.array([[1], [0], [1], [0]], np.int64)])


def test_gather_nd_v8_negative_indices(gpu):
    import openvino.opset8 as ops8

    data = ops.parameter([3, 4], ov.Type.i64)
    idx = ops.parameter([3, 2], ov.Type.i64)
    xi = np.array([[-1, -1], [0, -4], [2, 1]], np.int64)
    check(gpu, ops8.gather_nd(data, idx, 0), [_x((3, 4), np.int64), xi])


def test_reorg_yolo_and_reverse_sequence(gpu):
    import openvino.opset2 as ops2

    p = ops.parameter([1, 8, 4, 6], ov.Type.f32)
    check(gpu, ops2.reorg_yolo(p, [2]), [_x((1, 8, 4, 6))])
    q = ops.parameter([3, 5, 2], ov.Type.i32)
    lengths = ops.constant(np.array([2, 5, 0], np.int32))
    check(gpu, ops.reverse_sequence(q, lengths, 0, 1), [_x((3, 5, 2), np.int32)])


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot(gpu, axis, precision):
    import openvino.opset1 as ops1
    import openvino.opset16 as ops16

    idx = ops.parameter([2, 3], ov.Type.i64)
    xi = np.array([[0, 3, -1], [4, 2, -4]], np.int64)
    on, off = ops.constant(np.float32(1.5)), ops.constant(np.float32(-0.5))
    check(gpu, ops1.one_hot(idx, ops.constant(np.int64(4)), on, off, axis), [xi], precision)
    check(gpu, ops16.one_hot(idx, ops.constant(np.int64(4)), on, off, axis, "normalize"),
          [xi], precision)
    i32 = ops.parameter([5], ov.Type.i32)
    check(gpu, ops1.one_hot(i32, ops.constant(np.int32(3)), ops.constant(np.int32(7)),
                            ops.constant(np.int32(0)), axis if axis != 1 else -1),
          [np.array([0, 1, 2, 3, -1], np.int32)])
