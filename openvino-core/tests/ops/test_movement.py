"""Data movement ops: Transpose, Concat, Split, VariadicSplit, Tile, Broadcast, Pad,
DepthToSpace, SpaceToDepth, ShuffleChannels."""

from __future__ import annotations

import numpy as np
import pytest
from node_eval import evaluate_in_model as run

import openvino.opset1 as ops1
import openvino.opset3 as ops3
import openvino.opset12 as ops12
import openvino.opset15 as ops
from openvino import Dimension, PartialShape, Type


def param(shape, dtype=np.float32):
    return ops.parameter(shape, dtype)


# --- Transpose -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.int16, np.uint8, bool])
def test_transpose_matches_numpy(dtype):
    x = (np.arange(24) % 5).astype(dtype).reshape(2, 3, 4)
    node = ops.transpose(param([2, 3, 4], dtype), [2, 0, 1])
    assert node.get_output_partial_shape(0) == PartialShape([4, 2, 3])
    np.testing.assert_array_equal(run(node, x)[0], x.transpose(2, 0, 1))


def test_transpose_empty_order_reverses_and_strings():
    x = np.array([[b"a", b"b", b"c"], [b"d", b"e", b"f"]], dtype=object)
    node = ops.transpose(ops.parameter([2, 3], Type.string), np.array([], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape([3, 2])
    assert run(node, x)[0].tolist() == x.T.tolist()


def test_transpose_dynamic():
    node = ops.transpose(param([Dimension(1, 4), Dimension(), 3]), [2, 0, 1])
    assert node.get_output_partial_shape(0) == PartialShape([3, Dimension(1, 4), Dimension()])
    node = ops.transpose(param(PartialShape.dynamic()), [1, 0])
    assert node.get_output_partial_shape(0) == PartialShape.dynamic(2)
    node = ops.transpose(param([2, 3]), ops.parameter([2], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape.dynamic(2)
    np.testing.assert_array_equal(run(node, np.ones((2, 3), np.float32), [1, 0])[0],
                                  np.ones((3, 2)))


def test_transpose_invalid_order_raises():
    with pytest.raises(RuntimeError, match="Permutation"):
        ops.transpose(param([2, 3]), [0, 0])
    with pytest.raises(RuntimeError, match="Permutation"):
        ops.transpose(param([2, 3]), [0, 1, 2])


# --- Concat ----------------------------------------------------------------------------------

@pytest.mark.parametrize("axis", [0, 1, -1, -2])
def test_concat_axes_including_negative(axis):
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    b = np.arange(6, 12, dtype=np.int32).reshape(2, 3)
    node = ops.concat([param([2, 3], np.int32), param([2, 3], np.int32)], axis)
    want = np.concatenate([a, b], axis)
    assert node.get_output_partial_shape(0) == PartialShape(list(want.shape))
    np.testing.assert_array_equal(run(node, a, b)[0], want)


def test_concat_strings_bool_and_empty():
    node = ops.concat([ops.parameter([1], Type.string), ops.parameter([2], Type.string)], 0)
    out = run(node, np.array([b"x"], object), np.array([b"y", b"zz"], object))[0]
    assert out.tolist() == [b"x", b"y", b"zz"]
    node = ops.concat([param([0, 2], bool), param([3, 2], bool)], 0)
    assert node.get_output_partial_shape(0) == PartialShape([3, 2])
    got = run(node, np.zeros((0, 2), bool), np.ones((3, 2), bool))[0]
    np.testing.assert_array_equal(got, np.ones((3, 2), bool))


def test_concat_dynamic_shapes():
    node = ops.concat([param([Dimension(), 3]), param([2, Dimension(1, 5)]),
                       param([Dimension(1, 4), 3])], 0)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(3, -1), 3])
    node = ops.concat([param([2, Dimension(1, 3)]), param([4, Dimension(2, 6)])], 0)
    assert node.get_output_partial_shape(0) == PartialShape([6, Dimension(2, 3)])
    node = ops.concat([param(PartialShape.dynamic()), param([2, 3])], 1)
    assert node.get_output_partial_shape(0) == PartialShape([2, Dimension(3, -1)])


def test_concat_invalid_raises():
    with pytest.raises(RuntimeError, match="out of bounds"):
        ops.concat([param([2]), param([2])], 1)
    with pytest.raises(RuntimeError, match="inconsistent"):
        ops.concat([param([2, 3]), param([2, 4])], 0)
    with pytest.raises(RuntimeError, match="same element type"):
        ops.concat([param([2], np.float32), param([2], np.int32)], 0)


# --- Split / VariadicSplit -------------------------------------------------------------------

@pytest.mark.parametrize("axis", [1, -1])
def test_split_equal_parts(axis):
    x = np.arange(24, dtype=np.int64).reshape(2, 12)
    node = ops.split(param([2, 12], np.int64), axis, 3)
    assert node.get_output_size() == 3
    assert all(o.get_partial_shape() == PartialShape([2, 4]) for o in node.outputs())
    for got, want in zip(run(node, x), np.split(x, 3, axis=1)):
        np.testing.assert_array_equal(got, want)


def test_split_dynamic_and_invalid():
    node = ops.split(param([Dimension(), Dimension(4, 9)]), 1, 2)
    assert node.output(1).get_partial_shape() == PartialShape([Dimension(), Dimension(2, 4)])
    node = ops.split(param([2, 6]), ops.parameter([], np.int64), 2)
    assert node.output(0).get_partial_shape() == PartialShape.dynamic(2)
    with pytest.raises(RuntimeError, match="not divisible"):
        ops.split(param([2, 5]), 1, 2)
    with pytest.raises(RuntimeError, match="num_splits"):
        ops.split(param([2, 6]), 1, 0)
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        ops.split(param([2, 6]), 2, 2)


def test_variadic_split_with_minus_one():
    x = np.arange(20, dtype=np.float32).reshape(2, 10)
    node = ops.variadic_split(param([2, 10]), -1, [3, -1, 2])
    shapes = [o.get_partial_shape() for o in node.outputs()]
    assert shapes == [PartialShape([2, 3]), PartialShape([2, 5]), PartialShape([2, 2])]
    got = run(node, x)
    for g, w in zip(got, np.split(x, [3, 8], axis=1)):
        np.testing.assert_array_equal(g, w)


def test_variadic_split_dynamic_and_empty_parts():
    node = ops.variadic_split(param([Dimension(4, 10), 3]), 0, [1, -1])
    assert node.output(1).get_partial_shape() == PartialShape([Dimension(3, 9), 3])
    node = ops.variadic_split(param([3], np.int32), 0, [0, 3])
    got = run(node, np.array([1, 2, 3], np.int32))
    assert got[0].shape == (0,)
    np.testing.assert_array_equal(got[1], [1, 2, 3])


def test_variadic_split_invalid_raises():
    with pytest.raises(RuntimeError, match="does not match"):
        ops.variadic_split(param([2, 10]), 1, [3, 3])
    with pytest.raises(RuntimeError, match="more than one -1"):
        ops.variadic_split(param([2, 10]), 1, [-1, -1])
    with pytest.raises(RuntimeError, match="exceeds"):
        ops.variadic_split(param([2, 10]), 1, [11, -1])


# --- Tile ------------------------------------------------------------------------------------

@pytest.mark.parametrize("reps", [[2, 3], [2], [2, 1, 3], [0, 1]])
def test_tile_matches_numpy(reps):
    x = np.arange(6, dtype=np.int8).reshape(2, 3)
    node = ops.tile(param([2, 3], np.int8), reps)
    want = np.tile(x, reps)
    assert node.get_output_partial_shape(0) == PartialShape(list(want.shape))
    np.testing.assert_array_equal(run(node, x)[0], want)


def test_tile_dynamic_and_invalid():
    node = ops.tile(param([Dimension(1, 3), Dimension()]), [2, 2])
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(2, 6), Dimension()])
    node = ops.tile(param([2]), ops.parameter([3], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape.dynamic(3)
    with pytest.raises(RuntimeError, match="non-negative"):
        ops.tile(param([2]), [-1])


# --- Broadcast -------------------------------------------------------------------------------

@pytest.mark.parametrize("mod", [ops1, ops3])
def test_broadcast_numpy(mod):
    x = np.array([1, 2, 3], np.float32)
    node = mod.broadcast(param([3]), [2, 3])
    assert node.get_output_partial_shape(0) == PartialShape([2, 3])
    np.testing.assert_array_equal(run(node, x)[0], np.broadcast_to(x, (2, 3)))


@pytest.mark.parametrize("mod, mode", [(ops1, "EXPLICIT"), (ops3, "explicit")])
def test_broadcast_explicit(mod, mode):
    x = np.array([1, 2], np.int32)
    kwargs = {"mode": mode} if mod is ops1 else {"broadcast_spec": mode}
    node = mod.broadcast(param([2], np.int32), [2, 3], [0], **kwargs)
    assert node.get_output_partial_shape(0) == PartialShape([2, 3])
    np.testing.assert_array_equal(run(node, x)[0], [[1, 1, 1], [2, 2, 2]])


def test_broadcast_bidirectional_and_pdpd():
    x = np.arange(3, dtype=np.float32).reshape(3, 1)
    node = ops3.broadcast(param([3, 1]), [2, 1, 4], broadcast_spec="BIDIRECTIONAL")
    assert node.get_output_partial_shape(0) == PartialShape([2, 3, 4])
    np.testing.assert_array_equal(run(node, x)[0], x * np.ones((2, 1, 4), np.float32))
    node = ops3.broadcast(param([3, 1]), [3, 5], broadcast_spec="PDPD")
    assert node.get_output_partial_shape(0) == PartialShape([3, 5])
    with pytest.raises(RuntimeError, match="not supported"):
        ops1.broadcast(param([3]), [3], mode="BIDIRECTIONAL")


def test_broadcast_strings_and_dynamic():
    node = ops3.broadcast(ops.parameter([1], Type.string), [3])
    assert run(node, np.array([b"s"], object))[0].tolist() == [b"s"] * 3
    p = param([Dimension(), 1])
    node = ops3.broadcast(param([4]), ops.shape_of(p), broadcast_spec="BIDIRECTIONAL")
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(), 4])
    node = ops3.broadcast(param([4]), ops.parameter([2], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(), 4])


def test_broadcast_invalid_raises():
    with pytest.raises(RuntimeError, match="expecting either 1 or 4"):
        ops3.broadcast(param([3]), [2, 4])
    with pytest.raises(RuntimeError, match="smaller rank"):
        ops3.broadcast(param([2, 3]), [3])
    with pytest.raises(RuntimeError, match="transposes"):
        ops3.broadcast(param([2, 3]), [3, 2], [1, 0], broadcast_spec="EXPLICIT")


# --- Pad -------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
@pytest.mark.parametrize("mod", [ops1, ops12])
def test_pad_modes_match_numpy(mod, mode):
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    node = mod.pad(param([3, 4]), [1, 2], [2, 1], mode)
    want = np.pad(x, [(1, 2), (2, 1)], mode=mode)
    assert node.get_output_partial_shape(0) == PartialShape(list(want.shape))
    np.testing.assert_array_equal(run(node, x)[0], want)


def test_pad_constant_value_and_integer_types():
    x = np.array([[1, 2], [3, 4]], np.int32)
    node = ops12.pad(param([2, 2], np.int32), [0, 1], [1, 0], "constant", 7)
    got = run(node, x)[0]
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, [[7, 1, 2], [7, 3, 4], [7, 7, 7]])


def test_pad12_negative_pads_crop():
    x = np.arange(20, dtype=np.float32).reshape(4, 5)
    node = ops12.pad(param([4, 5]), [-1, 2], [1, -3], "reflect")
    assert node.get_output_partial_shape(0) == PartialShape([4, 4])
    want = np.pad(x, [(0, 1), (2, 0)], mode="reflect")[1:, :-3]
    np.testing.assert_array_equal(run(node, x)[0], want)
    with pytest.raises(RuntimeError, match="negative"):
        ops1.pad(param([4, 5]), [-1, 0], [0, 0], "constant")
    with pytest.raises(RuntimeError, match="crop"):
        ops12.pad(param([4, 5]), [-3, 0], [-2, 0], "constant")


def test_pad_dynamic_and_invalid():
    node = ops12.pad(param([Dimension(2, 5), Dimension()]), [1, 1], [1, 0], "constant")
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(4, 7), Dimension(1, -1)])
    node = ops12.pad(param([2, 3]), ops.parameter([2], np.int64), [0, 0], "edge")
    assert node.get_output_partial_shape(0) == PartialShape.dynamic(2)
    with pytest.raises(RuntimeError, match="must not exceed"):
        ops12.pad(param([3]), [3], [0], "reflect")
    with pytest.raises(RuntimeError, match="rank"):
        ops12.pad(param([3, 3]), [1], [1], "constant")
    with pytest.raises(RuntimeError, match="pad_mode"):
        ops12.pad(param([3]), [1], [1], "wrap")


# --- DepthToSpace / SpaceToDepth / ShuffleChannels --------------------------------------------

def _d2s_numpy(x, bs, mode):
    n, c, h, w = x.shape
    if mode == "blocks_first":
        y = x.reshape(n, bs, bs, c // bs ** 2, h, w).transpose(0, 3, 4, 1, 5, 2)
    else:
        y = x.reshape(n, c // bs ** 2, bs, bs, h, w).transpose(0, 1, 4, 2, 5, 3)
    return y.reshape(n, c // bs ** 2, h * bs, w * bs)


@pytest.mark.parametrize("mode", ["blocks_first", "depth_first"])
def test_depth_to_space_and_back(mode):
    x = np.arange(2 * 8 * 2 * 3, dtype=np.float32).reshape(2, 8, 2, 3)
    node = ops.depth_to_space(param([2, 8, 2, 3]), mode, 2)
    assert node.get_output_partial_shape(0) == PartialShape([2, 2, 4, 6])
    got = run(node, x)[0]
    np.testing.assert_array_equal(got, _d2s_numpy(x, 2, mode))
    back = ops.space_to_depth(param([2, 2, 4, 6]), mode, 2)
    assert back.get_output_partial_shape(0) == PartialShape([2, 8, 2, 3])
    np.testing.assert_array_equal(run(back, got)[0], x)


def test_depth_to_space_3d_spatial_roundtrip():
    x = np.arange(1 * 16 * 2 * 1 * 3, dtype=np.int32).reshape(1, 16, 2, 1, 3)
    d2s = ops.depth_to_space(param([1, 16, 2, 1, 3], np.int32), "depth_first", 2)
    assert d2s.get_output_partial_shape(0) == PartialShape([1, 2, 4, 2, 6])
    y = run(d2s, x)[0]
    s2d = ops.space_to_depth(param([1, 2, 4, 2, 6], np.int32), "depth_first", 2)
    np.testing.assert_array_equal(run(s2d, y)[0], x)


def test_depth_space_dynamic_and_invalid():
    node = ops.depth_to_space(param([Dimension(), Dimension(8, 16), 3, Dimension()]),
                              "blocks_first", 2)
    assert node.get_output_partial_shape(0) == PartialShape(
        [Dimension(), Dimension(2, 4), 6, Dimension()])
    with pytest.raises(RuntimeError, match="not divisible"):
        ops.depth_to_space(param([1, 6, 2, 2]), "blocks_first", 2)
    with pytest.raises(RuntimeError, match="not divisible"):
        ops.space_to_depth(param([1, 1, 3, 2]), "blocks_first", 2)
    with pytest.raises(RuntimeError, match="mode"):
        ops.space_to_depth(param([1, 1, 2, 2]), "sideways", 2)
    with pytest.raises(RuntimeError, match="rank lower than 3"):
        ops.depth_to_space(param([4, 4]), "blocks_first", 2)


@pytest.mark.parametrize("axis", [1, -3])
def test_shuffle_channels(axis):
    x = np.arange(2 * 6 * 2 * 2, dtype=np.float32).reshape(2, 6, 2, 2)
    node = ops.shuffle_channels(param([2, 6, 2, 2]), axis, 3)
    want = x.reshape(2, 3, 2, 2, 2).transpose(0, 2, 1, 3, 4).reshape(x.shape)
    assert node.get_output_partial_shape(0) == PartialShape([2, 6, 2, 2])
    np.testing.assert_array_equal(run(node, x)[0], want)
    with pytest.raises(RuntimeError, match="not divisible"):
        ops.shuffle_channels(param([2, 5, 2, 2]), 1, 3)
    with pytest.raises(RuntimeError, match="group"):
        ops.shuffle_channels(param([2, 6]), 1, 0)


@pytest.mark.parametrize("name, since", [
    ("transpose", 1), ("concat", 1), ("split", 1), ("variadic_split", 1), ("tile", 1),
    ("broadcast", 1), ("pad", 1), ("depth_to_space", 1), ("space_to_depth", 1),
    ("shuffle_channels", 1),
])
def test_factories_in_every_opset(name, since):
    import importlib

    for n in range(since, 17):
        assert hasattr(importlib.import_module(f"openvino.opset{n}"), name), (name, n)


def test_versioned_factories_pick_the_right_class():
    assert ops1.broadcast(param([1]), [2]).get_type_info().version_id == "opset1"
    assert ops.broadcast(param([1]), [2]).get_type_info().version_id == "opset3"
    import openvino.opset11 as ops11

    assert ops11.pad(param([1]), [1], [1], "edge").get_type_info().version_id == "opset1"
    assert ops.pad(param([1]), [1], [1], "edge").get_type_info().version_id == "opset12"
