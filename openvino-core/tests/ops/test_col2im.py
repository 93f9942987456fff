"""Col2Im (v15): shapes, OpenVINO's validation messages, values against direct loops and
against numbers measured on the real OpenVINO 2026.4.1 CPU plugin, TEMPLATE and CPU, IR."""

import itertools

import numpy as np
import pytest

import openvino as ov
import openvino.opset15 as ops
from openvino._ops.col2im import Col2Im


def _direct(x, size, kernel, strides=(1, 1), dilations=(1, 1), pb=(0, 0), pe=(0, 0)):
    batched = x.ndim == 3
    x = x if batched else x[None]
    n, cols, length = x.shape
    c = cols // (kernel[0] * kernel[1])
    blocks = [(size[i] + pb[i] + pe[i] - (dilations[i] * (kernel[i] - 1) + 1)) // strides[i] + 1
              for i in range(2)]
    assert blocks[0] * blocks[1] == length
    out = np.zeros((n, c, *size), np.float64)
    for b, ch, i, j, bh, bw in itertools.product(range(n), range(c), range(kernel[0]),
                                                 range(kernel[1]), range(blocks[0]),
                                                 range(blocks[1])):
        h = bh * strides[0] - pb[0] + i * dilations[0]
        w = bw * strides[1] - pb[1] + j * dilations[1]
        if 0 <= h < size[0] and 0 <= w < size[1]:
            out[b, ch, h, w] += x[b, (ch * kernel[0] + i) * kernel[1] + j, bh * blocks[1] + bw]
    return out if batched else out[0]


def _infer(node, x, device):
    param = node.input_value(0).get_node()
    request = ov.Core().compile_model(ov.Model([node], [param]), device).create_infer_request()
    request.infer([x])
    return request.get_output_tensor(0).data


GEOMETRIES = [
    ([1, 12, 12], [4, 5], [2, 2], {}),
    ([2, 12, 12], [4, 5], [2, 2], {}),
    ([8, 20], [6, 7], [2, 2], dict(strides=[1, 2], dilations=[2, 1], pads_begin=[0, 1],
                                   pads_end=[1, 1])),
    ([1, 6, 4], [3, 3], [1, 3], dict(strides=[2, 1], dilations=[1, 2], pads_begin=[1, 2],
                                     pads_end=[0, 1])),
]


@pytest.mark.parametrize("shape, size, kernel, attrs", GEOMETRIES)
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_reference_matches_direct_loops(shape, size, kernel, attrs, dtype):
    x = np.random.default_rng(1).integers(-9, 9, size=shape).astype(dtype)
    node = ops.col2im(ops.parameter(shape, dtype), np.array(size), np.array(kernel), **attrs)
    got = node.reference(x, np.array(size), np.array(kernel))
    want = _direct(x, size, kernel, attrs.get("strides", (1, 1)),
                   attrs.get("dilations", (1, 1)), attrs.get("pads_begin", (0, 0)),
                   attrs.get("pads_end", (0, 0)))
    assert got.dtype == np.dtype(dtype) and list(node.get_output_shape(0)) == list(got.shape)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
def test_devices_give_the_real_runtime_numbers(device):
    x = np.arange(144, dtype=np.float32).reshape(1, 12, 12)
    node = ops.col2im(ops.parameter([1, 12, 12], np.float32), np.array([4, 5]),
                      np.array([2, 2]))
    got = _infer(node, x, device)
    np.testing.assert_array_equal(got.reshape(-1)[:10], [0, 13, 15, 17, 15, 28, 82, 86, 90, 58])
    x = np.arange(24, dtype=np.float32).reshape(1, 6, 4)
    node = ops.col2im(ops.parameter([1, 6, 4], np.float32), np.array([3, 3]), np.array([1, 3]),
                      [2, 1], [1, 2], [1, 2], [0, 1])
    np.testing.assert_array_equal(_infer(node, x, device).reshape(-1),
                                  [0, 0, 0, 6, 7, 10, 0, 0, 0, 0, 0, 0, 18, 19, 22, 0, 0, 0])


def test_shapes_and_attributes():
    node = ops.col2im(ops.parameter([1, 12, 12], np.float32), np.array([4, 5], np.int64),
                      np.array([2, 2], np.int64))
    assert isinstance(node, Col2Im) and node.get_type_info().version_id == "opset15"
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 3, 4, 5])
    assert node.get_attributes() == {"strides": [1, 1], "dilations": [1, 1],
                                     "pads_begin": [0, 0], "pads_end": [0, 0]}
    unbatched = ops.col2im(ops.parameter([12, 12], np.float32), np.array([4, 5], np.int32),
                           np.array([2, 2], np.int32))
    assert unbatched.get_output_partial_shape(0) == ov.PartialShape([3, 4, 5])
    dynamic = ops.col2im(ops.parameter([-1, 12, -1], np.float32),
                         ops.parameter([2], np.int64), np.array([2, 2]))
    assert dynamic.get_output_partial_shape(0) == ov.PartialShape([-1, 3, -1, -1])


@pytest.mark.parametrize("make, message", [
    (lambda: ops.col2im(ops.parameter([1, 13, 12], np.float32), np.array([4, 5]),
                        np.array([2, 2])),
     r"First non-batch dimension is not evenly divisible by Product\(kernel_shape\). Got: 13"),
    (lambda: ops.col2im(ops.parameter([1, 12, 12], np.float32), np.array([4, 5, 1]),
                        np.array([2, 2])),
     r"output_size must be a 1D input of shape \[2\]. Got: \[3\]"),
    (lambda: ops.col2im(ops.parameter([1, 12, 12], np.float32), np.array([4, 5]),
                        np.array([2, 2]), strides=[0, 1]),
     "strides must be non-zero."),
    (lambda: ops.col2im(ops.parameter([1, 12, 12], np.float32), np.array([4.0, 5]),
                        np.array([2, 2])),
     "must match and be of i32 or i64 type. Got: f64 and i64"),
    (lambda: ops.col2im(ops.parameter([1, 1, 12, 12], np.float32), np.array([4, 5]),
                        np.array([2, 2])),
     r"input data must be an unbatched 2D or a batched 3D input. Got: \[1,1,12,12\]"),
    (lambda: ops.col2im(ops.parameter([1, 12, 6], np.float32), np.array([4, 5]),
                        np.array([2, 2])),
     "the total number of data blocks must be equal to 12. Got: 6"),
])
def test_bad_input_is_refused_in_openvino_words(make, message):
    with pytest.raises(RuntimeError, match=message):
        make()


def test_run_time_sizes_are_checked_at_inference():
    data = ops.parameter([1, 12, 6], np.float32)
    size = ops.parameter([2], np.int64)
    node = ops.col2im(data, size, np.array([2, 2]))
    with pytest.raises(RuntimeError, match="must be equal to 12. Got: 6"):
        node.reference(np.zeros([1, 12, 6], np.float32), np.array([4, 5]), np.array([2, 2]))


def test_ir_round_trip(tmp_path):
    p = ops.parameter([1, 6, 4], np.float32)
    node = ops.col2im(p, np.array([3, 3]), np.array([1, 3]), [2, 1], [1, 2], [1, 2], [0, 1])
    path = tmp_path / "c.xml"
    ov.save_model(ov.Model([node], [p]), path)
    back = ov.Core().read_model(path)
    got = [n for n in back.get_ordered_ops() if n.get_type_name() == "Col2Im"][0]
    assert got.get_type_info().version_id == "opset15"
    assert got.get_attributes() == node.get_attributes()
