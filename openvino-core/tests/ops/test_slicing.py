"""StridedSlice-1 and Slice-8."""

from __future__ import annotations

import numpy as np
import pytest
from node_eval import evaluate_node as run

import openvino.opset1 as ops1
import openvino.opset8 as ops8
from openvino import Dimension, Model, PartialShape, Type
from openvino._ops.slicing import Slice, StridedSlice, sliced_dim, sliced_length
from openvino._reference_executor import ReferencePlan

I64_MAX = np.iinfo(np.int64).max
I64_MIN = np.iinfo(np.int64).min



def param(shape, dtype=np.float32):
    return ops8.parameter(shape, dtype)


def arr(*values):
    return np.array(values, np.int64)


def strided(shape, begin, end, stride, dtype=np.float32, **masks):
    masks.setdefault("begin_mask", [])
    masks.setdefault("end_mask", [])
    return ops1.strided_slice(param(shape, dtype), arr(*begin), arr(*end), arr(*stride),
                              **masks)


def check_strided(node, x, begin, end, stride, expect):
    assert node.get_output_partial_shape(0) == PartialShape(list(expect.shape))
    got = run(node, x, arr(*begin), arr(*end), arr(*stride))
    assert got.dtype == x.dtype
    np.testing.assert_array_equal(got, expect)


# --- StridedSlice ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.uint8, np.bool_])
def test_strided_slice_basic_and_reverse(dtype):
    x = (np.arange(4 ** 4).reshape(4, 4, 4, 4) % 7).astype(dtype)
    b, e, s = [0, 1, 3, 3], [4, 4, 0, 0], [1, 2, -1, -2]
    check_strided(strided([4] * 4, b, e, s, dtype), x, b, e, s, x[0:4, 1:4:2, 3:0:-1, 3:0:-2])


def test_strided_slice_clamping_and_negative_values():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    b, e, s = [1234, 2, 0], [1234, 4321, -1], [1, -1, 1]
    check_strided(strided([2, 3, 4], b, e, s), x, b, e, s, x[1234:1234, 2:4321:-1, 0:-1])
    b, e, s = [-5, -2, I64_MIN], [5, I64_MIN, I64_MAX], [1, -1, 1]
    check_strided(strided([2, 3, 4], b, e, s), x, b, e, s, x[-5:5, -2::-1, :])


def test_strided_slice_begin_end_masks():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    b, e, s = [1, 1, 123], [0, 0, 2], [1, 1, -1]
    node = strided([2, 3, 4], b, e, s, begin_mask=[0, 1, 1], end_mask=[1, 1, 1])
    check_strided(node, x, b, e, s, x[1:, :, ::-1])


def test_strided_slice_new_axis_shrink_and_ellipsis():
    x = np.arange(2 * 3 * 4 * 5, dtype=np.int32).reshape(2, 3, 4, 5)
    cases = [
        # x[np.newaxis, 0:2, np.newaxis, 0:3]
        (dict(new_axis_mask=[1, 0, 1, 0]), [9, 0, 9, 0], [9, 2, 9, 3], [5, 1, 5, 1],
         x[np.newaxis, 0:2, np.newaxis, 0:3]),
        # x[0:1, 1] (shrink the second axis)
        (dict(shrink_axis_mask=[0, 1]), [0, 1], [1, 2], [1, 1], x[0:1, 1]),
        # x[-1, ..., 1:3]
        (dict(shrink_axis_mask=[1], ellipsis_mask=[0, 1]), [-1, 0, 1], [0, 0, 3], [1, 1, 1],
         x[-1, ..., 1:3]),
        # x[1:, ..., np.newaxis, :2] with masks of unequal lengths
        (dict(begin_mask=[0, 0, 1, 1], end_mask=[1, 1, 0, 0], new_axis_mask=[0, 0, 1],
              ellipsis_mask=[0, 1]), [1, 5, 9, 9], [7, 5, 9, 2], [1, -1, 1, 1],
         x[1:, ..., np.newaxis, :2]),
        # x[..., 0] (ellipsis first, the rest all covered)
        (dict(ellipsis_mask=[1], shrink_axis_mask=[0, 1]), [0, 0], [0, 1], [1, 1], x[..., 0]),
        # fewer entries than axes: remaining axes are kept whole
        ({}, [1], [2], [1], x[1:2]),
    ]
    for masks, b, e, s, expect in cases:
        node = strided([2, 3, 4, 5], b, e, s, np.int32, **masks)
        check_strided(node, x, b, e, s, expect)


def test_strided_slice_without_stride_input_and_empty_result():
    x = np.arange(10, dtype=np.float32)
    node = ops1.strided_slice(param([10]), arr(2), arr(-3), None, [0], [0])
    assert node.get_input_size() == 3
    assert node.get_output_partial_shape(0) == PartialShape([5])
    np.testing.assert_array_equal(run(node, x, arr(2), arr(-3)), x[2:-3])
    node = strided([10], [5], [2], [1])
    assert node.get_output_partial_shape(0) == PartialShape([0])
    assert run(node, x, arr(5), arr(2), arr(1)).shape == (0,)


def test_strided_slice_shape_inference_dynamic():
    node = strided(PartialShape([Dimension(), Dimension(2, 10), 8]), [0, 1, 2], [5, -1, 8],
                   [1, 1, 3])
    assert node.get_output_partial_shape(0) == PartialShape(
        [Dimension(0, 5), Dimension(0, 8), 2])
    begin = param([2], np.int64)
    node = ops1.strided_slice(param(PartialShape([Dimension(1, 6), 4, 3])), begin, arr(3, 3),
                              arr(1, 1), [0, 0], [0, 0], [], [0, 1])
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(0, 6), 3])
    node = ops1.strided_slice(param(PartialShape.dynamic()), arr(0), arr(1), arr(1), [0], [0])
    assert node.get_output_partial_shape(0) == PartialShape.dynamic()
    node = ops1.strided_slice(param([4, 4]), param(PartialShape([Dimension()]), np.int64),
                              param(PartialShape([Dimension()]), np.int64),
                              param(PartialShape([Dimension()]), np.int64), [0], [0])
    assert node.get_output_partial_shape(0) == PartialShape.dynamic()


@pytest.mark.parametrize("build, message", [
    (lambda: strided([4], [0], [4], [0]), "stride must not contain zeros"),
    (lambda: strided([4], [0, 0], [4, 4], [1, 1]), "more axes than the data rank"),
    (lambda: strided([4], [0, 0], [4, 4], [1, 1], ellipsis_mask=[1, 1]), "only one"),
    (lambda: strided([4], [7], [8], [1], shrink_axis_mask=[1]), "out of range"),
    (lambda: ops1.strided_slice(param([4]), arr(0, 1), arr(4), arr(1), [0], [0]),
     "same length"),
    (lambda: ops1.strided_slice(param([4]), np.array([0.0], np.float32), arr(4), arr(1), [0],
                                [0]), "integer element type"),
])
def test_strided_slice_invalid(build, message):
    with pytest.raises(RuntimeError, match=message):
        build()


def test_strided_slice_runtime_errors():
    node = ops1.strided_slice(param([4]), param([1], np.int64), arr(4), arr(1), [0], [0],
                              [], [1])
    with pytest.raises(RuntimeError, match="shrink_axis_mask index 4 is out of range"):
        run(node, np.zeros(4, np.float32), arr(4), arr(4), arr(1))
    node = ops1.strided_slice(param([4]), arr(0), arr(4), param([1], np.int64), [0], [0])
    with pytest.raises(RuntimeError, match="stride must not contain zeros"):
        run(node, np.zeros(4, np.float32), arr(0), arr(4), arr(0))


def test_strided_slice_ir_attributes():
    data = param([2, 3, 4])
    b, e, s = (ops8.constant(v) for v in (arr(1, 1, 123), arr(0, 0, 2), arr(1, 1, -1)))
    node = StridedSlice._from_ir(
        [data.output(0), b.output(0), e.output(0), s.output(0)],
        {"begin_mask": "0,1,1", "end_mask": "1,1,1", "new_axis_mask": "",
         "shrink_axis_mask": "", "ellipsis_mask": ""}, "ss")
    assert node.get_output_partial_shape(0) == PartialShape([1, 3, 4])
    assert node._ir_attributes()["begin_mask"] == "0,1,1"
    with pytest.raises(RuntimeError, match="attribute 'begin_mask' is missing"):
        StridedSlice._from_ir([data.output(0), b.output(0), e.output(0)], {"end_mask": "1"},
                              "ss")


# --- Slice ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int64, np.int8, np.bool_])
def test_slice_matches_numpy(dtype):
    x = (np.arange(60).reshape(3, 4, 5) % 5).astype(dtype)
    cases = [
        (arr(0, 1), arr(3, -1), arr(1, 2), None, x[0:3, 1:-1:2]),
        (arr(-1), arr(I64_MIN), arr(-1), arr(2), x[:, :, ::-1]),
        (arr(3, 10), arr(0, -10), arr(-2, -3), arr(-2, 0), x[10:-10:-3, 3:0:-2, :]),
        (arr(5), arr(1), arr(1), arr(1), x[:, 5:1]),
    ]
    for start, stop, step, axes, expect in cases:
        inputs = [param([3, 4, 5], dtype), start, stop, step]
        node = ops8.slice(*inputs, axes)
        assert node.get_output_partial_shape(0) == PartialShape(list(expect.shape))
        args = [x, start, stop, step] + ([axes] if axes is not None else [])
        got = run(node, *args)
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, expect)


def test_slice_corpus_like_model():
    data = param([2, 44])
    node = ops8.slice(data, arr(-4), arr(I64_MAX), arr(1), arr(1))
    assert type(node) is Slice and node.get_type_info().version_id == "opset8"
    assert node.get_output_partial_shape(0) == PartialShape([2, 4])
    x = np.arange(88, dtype=np.float32).reshape(2, 44)
    (got,) = ReferencePlan(Model([node], [data])).run([x])
    np.testing.assert_array_equal(got, x[:, -4:])


def test_slice_shape_inference_dynamic():
    data = param(PartialShape([Dimension(), Dimension(2, 10), 6]))
    node = ops8.slice(data, arr(1, 0), arr(I64_MAX, 4), arr(1, 1), arr(0, 1))
    assert node.get_output_partial_shape(0) == PartialShape(
        [Dimension(), Dimension(2, 4), 6])
    node = ops8.slice(data, param([1], np.int64), arr(3), arr(1), arr(-1))
    assert node.get_output_partial_shape(0) == PartialShape(
        [Dimension(), Dimension(2, 10), Dimension(0, 6)])
    node = ops8.slice(data, arr(0), arr(3), arr(1), param([1], np.int64))
    assert node.get_output_partial_shape(0) == PartialShape(
        [Dimension(), Dimension(0, 10), Dimension(0, 6)])
    node = ops8.slice(param(PartialShape.dynamic()), arr(0), arr(3), arr(1))
    assert node.get_output_partial_shape(0) == PartialShape.dynamic()


@pytest.mark.parametrize("build, message", [
    (lambda: ops8.slice(param([4]), arr(0), arr(4), arr(0)), "step must not contain zeros"),
    (lambda: ops8.slice(param([4, 4]), arr(0, 0), arr(4, 4), arr(1, 1), arr(1, -1)),
     "axes must be unique"),
    (lambda: ops8.slice(param([4]), arr(0), arr(4), arr(1), arr(1)), "out of the tensor rank"),
    (lambda: ops8.slice(param([4]), arr(0, 1), arr(4), arr(1)), "same length"),
    (lambda: ops8.slice(param([4]), np.array([[0]]), arr(4), arr(1)), "1-D tensor"),
])
def test_slice_invalid(build, message):
    with pytest.raises(RuntimeError, match=message):
        build()


def test_slice_runtime_errors():
    node = ops8.slice(param([4, 4]), arr(0), arr(4), param([1], np.int64))
    with pytest.raises(RuntimeError, match="step must not be zero"):
        run(node, np.zeros([4, 4], np.float32), arr(0), arr(4), arr(0))
    node = ops8.slice(param([4, 4]), arr(0, 0), arr(4, 4), arr(1, 1), param([2], np.int64))
    with pytest.raises(RuntimeError, match="appears more than once"):
        run(node, np.zeros([4, 4], np.float32), arr(0, 0), arr(4, 4), arr(1, 1), arr(0, -2))


def test_slice_output_type_and_strings():
    words = np.array(["a", "bb", "ccc", "d"])
    node = ops8.slice(param([4], "string"), arr(-1), arr(0), arr(-2))
    assert node.get_output_element_type(0) == Type.string
    got = run(node, words, arr(-1), arr(0), arr(-2))
    assert [bytes(v) for v in got] == [b"d", b"bb"]


# --- slice arithmetic ----------------------------------------------------------------------------
@pytest.mark.parametrize("start, stop, step", [
    (0, 5, 1), (-3, None, 1), (None, -1, 2), (-2, 3, 1), (2, -3, 1), (5, 1, -1),
    (None, None, -3), (-1, -10, -2), (1, 1, 1), (I64_MIN, I64_MAX, 4),
])
def test_sliced_dim_bounds_cover_every_size(start, stop, step):
    for lo, hi in ((0, 12), (3, 7), (5, 5)):
        got = sliced_dim(Dimension(lo, hi), start, stop, step)
        lengths = [len(range(n)[slice(start, stop, step)]) for n in range(lo, hi + 1)]
        assert got == Dimension(min(lengths), max(lengths))
        assert all(sliced_length(n, start, stop, step) == v
                   for n, v in zip(range(lo, hi + 1), lengths))
    unbounded = sliced_dim(Dimension(2, -1), start, stop, step)
    sizes = range(2, 200)
    lengths = [len(range(n)[slice(start, stop, step)]) for n in sizes]
    assert unbounded.get_min_length() == min(lengths)
    if lengths[-1] > lengths[-10]:
        assert unbounded.get_max_length() == -1
    else:
        assert unbounded.get_max_length() == max(lengths)
