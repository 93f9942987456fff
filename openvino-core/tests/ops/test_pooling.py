"""MaxPool (v1, v8, v14), AvgPool (v1, v14), AdaptiveAvgPool and AdaptiveMaxPool: output
shapes for every auto_pad / rounding_type, and references against direct loops."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset8, opset14
from openvino._ops.pooling import AvgPool1, AvgPool14, MaxPool, MaxPool1, MaxPool8

RNG = np.random.default_rng(3)


def _param(shape, dtype=np.float32):
    return opset8.parameter(shape, dtype)


def _out_len(n, k, s, d, pb, pe, rounding):
    k_eff = (k - 1) * d + 1
    q = (n + pb + pe - k_eff) / s
    out = (math.floor(q) if rounding == "floor" else math.ceil(q)) + 1
    if rounding == "ceil_torch" and (out - 1) * s >= n + pb:
        out -= 1
    return out


def direct_pool(x, kernel, strides, dilations, pb, pe, rounding, kind, exclude_pad=True,
                axis=0):
    """Nested-loop pooling. Max: (values, flat indices from ``axis``); avg: values."""
    n, c = x.shape[:2]
    spatial = x.shape[2:]
    nsp = len(spatial)
    out_dims = [_out_len(spatial[i], kernel[i], strides[i], dilations[i], pb[i], pe[i],
                         rounding) for i in range(nsp)]
    values = np.zeros((n, c, *out_dims), dtype=np.float64)
    index = np.zeros((n, c, *out_dims), dtype=np.int64)
    # OpenVINO's reference averages over the whole window when padding counts and there is
    # padding (a ceil-rounded last window reaching past the end padding too), else over the
    # taps inside the input
    whole = not exclude_pad and (any(pb) or any(pe))
    for b, ch in itertools.product(range(n), range(c)):
        for opos in itertools.product(*[range(d) for d in out_dims]):
            best, best_idx, total, count = -np.inf, -1, 0.0, 0
            for kpos in itertools.product(*[range(k) for k in kernel]):
                src = [opos[i] * strides[i] - pb[i] + kpos[i] * dilations[i]
                       for i in range(nsp)]
                inside = all(0 <= s < spatial[i] for i, s in enumerate(src))
                if inside:
                    v = float(x[(b, ch, *src)])
                    if v > best:
                        full = (b, ch, *src)
                        best, best_idx = v, int(np.ravel_multi_index(full[axis:],
                                                                     x.shape[axis:]))
                    total += v
                if inside or whole:
                    count += 1
            values[(b, ch, *opos)] = best if kind == "max" else (total / count if count else 0)
            index[(b, ch, *opos)] = best_idx
    return (values, index) if kind == "max" else values


# --- MaxPool -----------------------------------------------------------------------------------
MAX_CASES = [
    # shape, kernel, strides, dilations, pads_begin, pads_end, rounding
    ((1, 2, 7), [3], [2], [1], [1], [1], "floor"),
    ((2, 3, 6, 5), [2, 2], [2, 2], [1, 1], [0, 0], [0, 0], "floor"),
    ((1, 2, 7, 7), [3, 3], [2, 2], [1, 1], [1, 1], [1, 1], "floor"),
    ((1, 2, 6, 7), [3, 2], [2, 2], [1, 1], [0, 0], [0, 0], "ceil"),
    ((1, 1, 5, 5), [2, 2], [2, 2], [2, 1], [1, 0], [1, 1], "ceil"),
    ((1, 2, 4, 5, 6), [2, 2, 3], [1, 2, 2], [1, 1, 2], [1, 0, 1], [0, 1, 1], "floor"),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32])
@pytest.mark.parametrize("case", MAX_CASES)
def test_max_pool8_matches_direct_loops(dtype, case):
    shape, kernel, strides, dil, pb, pe, rounding = case
    x = (RNG.permutation(np.prod(shape)).reshape(shape) - 20).astype(dtype)
    node = opset8.max_pool(_param(shape, dtype), strides, dil, pb, pe, kernel,
                           rounding_type=rounding)
    values, index = node.reference(x)
    exp_v, exp_i = direct_pool(x, kernel, strides, dil, pb, pe, rounding, "max")
    assert list(node.get_output_shape(0)) == list(values.shape)
    assert values.dtype == np.dtype(dtype) and index.dtype == np.int64
    np.testing.assert_array_equal(values.astype(np.float64), exp_v)
    np.testing.assert_array_equal(index, exp_i)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_max_pool_indices_axis(axis):
    shape = (2, 3, 5, 4)
    x = RNG.standard_normal(shape).astype(np.float32)
    node = opset14.max_pool(_param(shape), [2, 1], [1, 1], [0, 1], [1, 0], [2, 2],
                            index_element_type="i32", axis=axis)
    values, index = node.reference(x)
    norm = axis % len(shape)
    _, exp_i = direct_pool(x, [2, 2], [2, 1], [1, 1], [0, 1], [1, 0], "floor", "max",
                           axis=norm)
    assert node.get_output_element_type(1) == ov.Type.i32
    assert index.dtype == np.int32
    np.testing.assert_array_equal(index, exp_i)
    if norm > 2:
        return
    # every index points at its value in the input flattened from ``axis`` on
    flat_from_axis = x.reshape(x.shape[:norm] + (-1,))
    lead = np.indices(values.shape)[:norm]
    picked = flat_from_axis[tuple(lead) + (index,)]
    np.testing.assert_array_equal(picked, values)


def test_max_pool1_has_one_output_and_no_dilations():
    node = opset1.max_pool(_param([1, 2, 6, 6]), [2, 2], [0, 0], [0, 0], [3, 3],
                           rounding_type="ceil")
    assert isinstance(node, MaxPool1) and node.get_output_size() == 1
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 2, 3, 3])
    x = RNG.standard_normal((1, 2, 6, 6)).astype(np.float32)
    expected, _ = direct_pool(x, [3, 3], [2, 2], [1, 1], [0, 0], [0, 0], "ceil", "max")
    np.testing.assert_array_equal(node.reference(x), expected.astype(np.float32))
    assert "dilations" not in node._ir_attributes()
    assert set(node._ir_attributes()) == {"strides", "pads_begin", "pads_end", "kernel",
                                          "rounding_type", "auto_pad"}


def test_max_pool_ceil_torch_drops_window_starting_in_padding():
    x = np.arange(1, 10, dtype=np.float32).reshape(1, 1, 3, 3)
    node = opset14.max_pool(_param([1, 1, 3, 3]), [2, 2], [1, 1], [1, 1], [1, 1], [2, 2],
                            rounding_type="ceil_torch")
    assert isinstance(node, MaxPool) and node.version == "opset14"
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 1, 2, 2])
    values, index = node.reference(x)
    np.testing.assert_array_equal(values[0, 0], [[1, 3], [7, 9]])
    np.testing.assert_array_equal(index[0, 0], [[0, 2], [6, 8]])
    ceil = opset14.max_pool(_param([1, 1, 3, 3]), [2, 2], [1, 1], [1, 1], [1, 1], [2, 2],
                            rounding_type="ceil")
    assert ceil.get_output_partial_shape(0) == ov.PartialShape([1, 1, 3, 3])
    with pytest.raises(RuntimeError, match="rounding_type"):
        opset8.max_pool(_param([1, 1, 3, 3]), [2, 2], [1, 1], [1, 1], [1, 1], [2, 2],
                        rounding_type="ceil_torch")


@pytest.mark.parametrize("auto_pad, in_len, k, s, d, pads, out_len", [
    ("same_upper", 3, 2, 1, 1, (0, 1), 3),
    ("same_lower", 3, 2, 1, 1, (1, 0), 3),
    ("same_upper", 7, 3, 2, 1, (1, 1), 4),
    ("same_lower", 8, 3, 3, 1, (1, 0), 3),
    ("same_upper", 5, 2, 1, 2, (1, 1), 5),
    ("valid", 7, 3, 1, 1, (0, 0), 5),
    ("valid", 8, 3, 2, 1, (0, 0), 3),
])
def test_max_pool_auto_pad(auto_pad, in_len, k, s, d, pads, out_len):
    x = RNG.standard_normal((1, 2, in_len)).astype(np.float32)
    node = opset8.max_pool(_param(x.shape), [s], [d], [3], [3], [k], auto_pad=auto_pad)
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 2, out_len])
    attrs = node.get_attributes()
    assert (attrs["pads_begin"][0], attrs["pads_end"][0]) == pads
    values, index = node.reference(x)
    exp_v, exp_i = direct_pool(x, [k], [s], [d], [pads[0]], [pads[1]], "floor", "max")
    np.testing.assert_array_equal(values, exp_v.astype(np.float32))
    np.testing.assert_array_equal(index, exp_i)


def test_max_pool_valid_with_ceil_rounding():
    x = np.array([[[[-1, 2, 3], [4, 5, -6], [-7, 8, 9]]]], np.float32)
    node = opset8.max_pool(_param([1, 1, 3, 3]), [2, 2], [1, 1], [1, 1], [1, 1], [2, 2],
                           rounding_type="ceil", auto_pad="valid")
    values, index = node.reference(x)
    np.testing.assert_array_equal(values[0, 0], [[5, 3], [8, 9]])
    np.testing.assert_array_equal(index[0, 0], [[4, 2], [7, 8]])


# --- AvgPool -----------------------------------------------------------------------------------
AVG_CASES = [
    # shape, kernel, strides, pads_begin, pads_end, rounding
    ((1, 2, 7), [3], [2], [1], [1], "floor"),
    ((2, 2, 5, 6), [3, 3], [1, 2], [1, 1], [1, 1], "floor"),
    ((1, 1, 6, 6), [3, 3], [2, 2], [1, 1], [0, 1], "ceil"),
    ((1, 2, 7, 5), [2, 3], [3, 2], [0, 1], [1, 0], "ceil"),
    ((1, 1, 3, 4, 5), [2, 2, 2], [2, 1, 2], [1, 0, 1], [0, 1, 1], "floor"),
]


@pytest.mark.parametrize("exclude_pad", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("case", AVG_CASES)
def test_avg_pool_matches_direct_loops(exclude_pad, dtype, case):
    shape, kernel, strides, pb, pe, rounding = case
    x = RNG.standard_normal(shape).astype(dtype)
    node = opset1.avg_pool(_param(shape, dtype), strides, pb, pe, kernel, exclude_pad,
                           rounding_type=rounding)
    got = node.reference(x)
    expected = direct_pool(x, kernel, strides, [1] * len(kernel), pb, pe, rounding, "avg",
                           exclude_pad)
    assert list(node.get_output_shape(0)) == list(got.shape) and got.dtype == np.dtype(dtype)
    tol = 2e-3 if dtype == np.float16 else 1e-6
    np.testing.assert_allclose(got.astype(np.float64), expected, rtol=tol, atol=tol)


def test_avg_pool_integer_and_ceil_torch():
    x = np.arange(16, dtype=np.int32).reshape(1, 1, 4, 4)
    node = opset14.avg_pool(_param([1, 1, 4, 4], np.int32), [2, 2], [0, 0], [0, 0], [2, 2],
                            True)
    np.testing.assert_array_equal(node.reference(x)[0, 0], [[2, 4], [10, 12]])
    node = opset14.avg_pool(_param([1, 1, 3, 3]), [2, 2], [1, 1], [1, 1], [2, 2], False,
                            rounding_type="ceil_torch")
    assert isinstance(node, AvgPool14) and node.get_output_shape(0) == ov.Shape([1, 1, 2, 2])
    x = np.arange(1, 10, dtype=np.float32).reshape(1, 1, 3, 3)
    expected = direct_pool(x, [2, 2], [2, 2], [1, 1], [1, 1], [1, 1], "ceil_torch", "avg",
                           False)
    np.testing.assert_allclose(node.reference(x), expected, rtol=1e-6)


# Integer averages are stored rounded to nearest, ties to even (the real runtime's values):
# pairs averaging 0.5, 1.5, 2.5, 3.5, -0.5, -2.5.
_TIES = [0, 1, 1, 2, 2, 3, 3, 4, 0, -1, -2, -3]


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32, np.int64])
def test_avg_pools_round_integer_averages_to_even(dtype):
    x = np.array(_TIES if np.dtype(dtype).kind == "i" else _TIES[:8] + [0, 0, 0, 1],
                 dtype).reshape(1, 1, 1, 12)
    want = [0, 2, 2, 4, 0, -2] if np.dtype(dtype).kind == "i" else [0, 2, 2, 4, 0, 0]
    avg = opset8.avg_pool(_param(x.shape, dtype), [1, 2], [0, 0], [0, 0], [1, 2], True)
    np.testing.assert_array_equal(avg.reference(x).reshape(-1), want)
    adaptive = opset8.adaptive_avg_pool(_param(x.shape, dtype), np.array([1, 6], np.int32))
    got = adaptive.reference(x, np.array([1, 6]))
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(got.reshape(-1), want)


def test_avg_pool_u8_rounds_up_from_above_half():
    x = np.array([10, 11, 11, 12, 200, 250], np.uint8).reshape(1, 1, 1, 6)
    avg = opset8.avg_pool(_param(x.shape, np.uint8), [1, 3], [0, 0], [0, 0], [1, 3], True)
    np.testing.assert_array_equal(avg.reference(x).reshape(-1), [11, 154])  # 10.67, 154


def test_avg_pool_exclude_pad_ir_name_and_auto_pad():
    node = opset1.avg_pool(_param([1, 3, 8, 8]), [2, 2], [1, 1], [1, 1], [3, 3], True,
                           auto_pad="same_upper")
    assert isinstance(node, AvgPool1)
    ir = node._ir_attributes()
    assert ir["exclude-pad"] == "true" and "exclude_pad" not in ir
    assert list(ir) == ["kernel", "strides", "pads_begin", "pads_end", "exclude-pad",
                        "auto_pad", "rounding_type"]
    assert ir["auto_pad"] == "same_upper"
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 3, 4, 4])
    assert (ir["pads_begin"], ir["pads_end"]) == ("0,0", "1,1")
    rebuilt = AvgPool1._from_ir(node.input_values(), ir, "pool")
    assert rebuilt.get_attributes()["exclude_pad"] is True
    x = RNG.standard_normal((1, 3, 8, 8)).astype(np.float32)
    np.testing.assert_array_equal(rebuilt.reference(x), node.reference(x))


# --- shape inference & errors ----------------------------------------------------------------
def test_pooling_dynamic_shapes():
    node = opset8.max_pool(_param([-1, 3, 32, 32]), [2, 2], [1, 1], [0, 0], [0, 0], [2, 2])
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 3, 16, 16])
    assert node.get_output_partial_shape(1) == ov.PartialShape([-1, 3, 16, 16])
    node = opset8.max_pool(_param([2, -1, (8, 16), -1]), [2, 2], [1, 1], [0, 0], [0, 0],
                           [3, 3], rounding_type="ceil")
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, -1, (4, 8), (1, -1)])
    node = opset1.avg_pool(_param(ov.PartialShape.dynamic()), [1, 1], [0, 0], [0, 0], [3, 3],
                           True)
    assert node.get_output_partial_shape(0).rank == 4
    node = opset8.max_pool(_param([1, 3, (4, 9), 9]), [2, 2], [1, 1], [0, 0], [0, 0], [2, 2],
                           auto_pad="same_lower")
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 3, (2, 5), 5])
    assert isinstance(node, MaxPool8)


def test_pooling_invalid_arguments():
    with pytest.raises(RuntimeError, match="Expected a 4D input"):
        opset8.max_pool(_param([1, 3, 8]), [1, 1], [1, 1], [0, 0], [0, 0], [2, 2])
    with pytest.raises(RuntimeError, match="larger than the data"):
        opset8.max_pool(_param([1, 3, 2, 8]), [1, 1], [1, 1], [0, 0], [0, 0], [3, 3])
    with pytest.raises(RuntimeError, match="Index element type"):
        opset8.max_pool(_param([1, 3, 8, 8]), [1, 1], [1, 1], [0, 0], [0, 0], [2, 2],
                        index_element_type="f32")
    with pytest.raises(RuntimeError, match="Axis"):
        opset8.max_pool(_param([1, 3, 8, 8]), [1, 1], [1, 1], [0, 0], [0, 0], [2, 2], axis=4)
    with pytest.raises(RuntimeError, match="Pads begin"):
        opset1.avg_pool(_param([1, 3, 8, 8]), [1, 1], [0], [0, 0], [2, 2], True)
    with pytest.raises(RuntimeError, match="auto_pad"):
        opset1.avg_pool(_param([1, 3, 8, 8]), [1, 1], [0, 0], [0, 0], [2, 2], True,
                        auto_pad="middle")
    with pytest.raises(RuntimeError, match="numeric"):
        opset1.max_pool(_param([1, 3, 8, 8], bool), [1, 1], [0, 0], [0, 0], [2, 2])


# --- adaptive pooling ------------------------------------------------------------------------
def _adaptive_direct(x, out_dims, kind):
    n, c = x.shape[:2]
    spatial = x.shape[2:]
    values = np.zeros((n, c, *out_dims))
    index = np.zeros((n, c, *out_dims), dtype=np.int64)
    for b, ch in itertools.product(range(n), range(c)):
        for opos in itertools.product(*[range(d) for d in out_dims]):
            box = tuple(slice(math.floor(o * s / od), math.ceil((o + 1) * s / od))
                        for o, s, od in zip(opos, spatial, out_dims))
            region = x[(b, ch) + box]
            if kind == "avg":
                values[(b, ch, *opos)] = region.mean()
            else:
                local = np.unravel_index(np.argmax(region), region.shape)
                pos = tuple(sl.start + li for sl, li in zip(box, local))
                values[(b, ch, *opos)] = region.max()
                index[(b, ch, *opos)] = np.ravel_multi_index(pos, spatial)
    return values, index


@pytest.mark.parametrize("shape, out", [((1, 2, 7), [3]), ((2, 3, 7, 5), [3, 2]),
                                        ((1, 2, 8, 8), [8, 8]), ((1, 1, 5, 6), [4, 7]),
                                        ((1, 2, 4, 5, 3), [2, 3, 2])])
def test_adaptive_pools_match_direct_loops(shape, out):
    x = RNG.standard_normal(shape).astype(np.float32)
    out_arr = np.array(out, dtype=np.int64)
    avg = opset8.adaptive_avg_pool(_param(shape), out_arr)
    assert list(avg.get_output_shape(0)) == list(shape[:2]) + out
    exp_avg, _ = _adaptive_direct(x, out, "avg")
    np.testing.assert_allclose(avg.reference(x, out_arr), exp_avg, rtol=1e-5, atol=1e-6)
    mx = opset8.adaptive_max_pool(_param(shape), out_arr, index_element_type="i32")
    values, index = mx.reference(x, out_arr)
    exp_v, exp_i = _adaptive_direct(x, out, "max")
    assert index.dtype == np.int32 and mx.get_output_element_type(1) == ov.Type.i32
    np.testing.assert_array_equal(values, exp_v.astype(np.float32))
    np.testing.assert_array_equal(index, exp_i)


def test_adaptive_pools_shape_inference_and_errors():
    avg = opset8.adaptive_avg_pool(_param([-1, 3, -1, -1]), np.array([7, 7], np.int32))
    assert avg.get_output_partial_shape(0) == ov.PartialShape([-1, 3, 7, 7])
    dyn = opset8.adaptive_max_pool(_param([2, 3, 9, 9]), _param([2], np.int64))
    assert dyn.get_output_partial_shape(0) == ov.PartialShape([2, 3, -1, -1])
    assert dyn.get_output_partial_shape(1) == ov.PartialShape([2, 3, -1, -1])
    rank = opset8.adaptive_avg_pool(_param(ov.PartialShape.dynamic()),
                                    np.array([2, 2, 2], np.int64))
    assert rank.get_output_partial_shape(0) == ov.PartialShape([-1, -1, 2, 2, 2])
    with pytest.raises(RuntimeError, match="spatial"):
        opset8.adaptive_avg_pool(_param([1, 3, 8, 8]), np.array([2, 2, 2], np.int64))
    with pytest.raises(RuntimeError, match="i32 or i64"):
        opset8.adaptive_max_pool(_param([1, 3, 8, 8]), np.array([2, 2], np.int64),
                                 index_element_type="u8")
    with pytest.raises(RuntimeError, match="3D, 4D or 5D"):
        opset8.adaptive_avg_pool(_param([1, 3]), np.array([], np.int64))
