"""openvino.plugin.interpolate: the per-axis tables of Interpolate v1/v4/v11, applied the
way a device kernel would, give the node's own evaluation; padding, empty axes, values the
node does not hold as constants, and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset1 as ops1
import openvino.opset4 as ops4
import openvino.opset11 as ops11
import openvino.opset13 as ops
from openvino.plugin.interpolate import interpolate_tables


def _apply(x: np.ndarray, plan) -> np.ndarray:
    """A device's view: f64 passes, -1 reads zero, no taps give zeros."""
    y = x.astype(np.float64)
    for t in plan.tables:
        moved = np.moveaxis(y, t.axis, 0)
        out = np.zeros((t.out_len,) + moved.shape[1:])
        for j in range(t.out_len):
            for k in range(t.taps):
                i = t.index[j, k]
                if i >= 0:
                    w = 1.0 if t.weight is None else t.weight[j, k]
                    out[j] += w * moved[i]
        y = np.moveaxis(out, 0, t.axis)
    return y


def _evaluate(node, x: np.ndarray) -> np.ndarray:
    out = ov.Tensor(node.get_output_element_type(0), list(node.get_output_shape(0)))
    inputs = [ov.Tensor(x)] + [ov.Tensor(np.asarray(node.input_value(i).get_node()
                                                    .get_data()))
                               for i in range(1, node.get_input_size())]
    assert node.evaluate([out], inputs)
    return np.asarray(out.data)


CASES = [
    ("nearest", "asymmetric", [7, 3]), ("linear_onnx", "half_pixel", [9, 4]),
    ("linear", "align_corners", [2, 3]), ("cubic", "pytorch_half_pixel", [8, 8]),
    ("bilinear_pillow", "half_pixel", [3, 9]), ("bicubic_pillow", "half_pixel", [10, 2]),
]


@pytest.mark.parametrize("mode,coord,out_hw", CASES)
def test_tables_reproduce_the_node(mode, coord, out_hw) -> None:
    x = np.random.default_rng(3).uniform(-1, 1, (2, 3, 5, 6)).astype(np.float32)
    p = ops.parameter(list(x.shape), np.float32)
    node = ops11.interpolate(p, np.array(out_hw, np.int64), mode, "sizes",
                             axes=np.array([2, 3], np.int64),
                             coordinate_transformation_mode=coord, antialias=True,
                             pads_begin=[0, 0, 1, 0], pads_end=[0, 1, 0, 2])
    plan = interpolate_tables(node, x.shape, node.get_output_shape(0))
    assert plan.output_shape == list(node.get_output_shape(0))
    np.testing.assert_allclose(_apply(x, plan), _evaluate(node, x), rtol=1e-6, atol=1e-6)
    assert any((t.index < 0).any() for t in plan.tables)  # the padding reads zeros
    assert 1 in [t.axis for t in plan.tables]  # a padded axis that is not resized


def test_v4_scales_and_v1() -> None:
    x = np.random.default_rng(4).uniform(-1, 1, (1, 2, 4, 6)).astype(np.float32)
    p = ops.parameter(list(x.shape), np.float32)
    node = ops4.interpolate(p, np.array([1, 1], np.int64), np.array([1.5, 0.5], np.float32),
                            "linear", "scales", axes=np.array([2, 3], np.int64),
                            antialias=True)
    plan = interpolate_tables(node, x.shape)
    assert plan.output_shape == [1, 2, 6, 3]
    assert [t.taps for t in plan.tables][1] > 2  # antialias widens the downsampling filter
    np.testing.assert_allclose(_apply(x, plan), _evaluate(node, x), rtol=1e-6, atol=1e-6)
    node1 = ops1.interpolate(p, ops1.constant(np.array([7, 2], np.int64)),
                             {"axes": [2, 3], "mode": "nearest"})
    plan = interpolate_tables(node1, x.shape, [1, 2, 7, 2])
    assert all(t.weight is None for t in plan.tables)
    np.testing.assert_array_equal(_apply(x, plan), _evaluate(node1, x))


def test_same_length_nearest_has_no_table_and_empty_axis_has_no_taps() -> None:
    p = ops.parameter([2, 0, 3], np.float32)
    node = ops11.interpolate(p, np.array([2, 4, 3], np.int64), "nearest", "sizes")
    plan = interpolate_tables(node, [2, 0, 3])
    assert [(t.axis, t.in_len, t.out_len, t.taps) for t in plan.tables] == [(1, 0, 4, 0)]
    assert plan.output_shape == [2, 4, 3]


def test_values_for_inputs_that_are_not_constants() -> None:
    p = ops.parameter([1, 1, 4, 4], np.float32)
    scales = ops.parameter([2], np.float32)
    node = ops11.interpolate(p, scales, "nearest", "scales", axes=np.array([2, 3], np.int64))
    with pytest.raises(ValueError, match="scales are not a constant"):
        interpolate_tables(node, [1, 1, 4, 4])
    plan = interpolate_tables(node, [1, 1, 4, 4], values=[np.array([2.0, 0.5])])
    assert plan.output_shape == [1, 1, 8, 2]
    sizes = ops.parameter([2], np.int64)
    node = ops11.interpolate(p, sizes, "nearest", "sizes", axes=np.array([2, 3], np.int64))
    assert interpolate_tables(node, [1, 1, 4, 4], [1, 1, 3, 5]).output_shape == [1, 1, 3, 5]
    with pytest.raises(ValueError, match="sizes are not a constant"):
        interpolate_tables(node, [1, 1, 4, 4])


def test_errors() -> None:
    p = ops.parameter([1, 1, 4, 4], np.float32)
    with pytest.raises(TypeError, match="Interpolate"):
        interpolate_tables(ops.relu(p), [1, 1, 4, 4])
    node = ops11.interpolate(p, np.array([2.0, 2.0], np.float32), "nearest", "scales",
                             axes=np.array([2, 3], np.int64))
    with pytest.raises(ValueError, match=r"gives \[1, 1, 8, 8\], not \[1, 1, 8, 9\]"):
        interpolate_tables(node, [1, 1, 4, 4], [1, 1, 8, 9])
    with pytest.raises(ValueError, match="1 sizes/scales for 2 axes"):
        interpolate_tables(node, [1, 1, 4, 4], values=[np.array([2.0])])
