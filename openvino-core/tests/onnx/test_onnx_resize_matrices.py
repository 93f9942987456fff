"""ONNX Resize settings Interpolate does not express (antialias, exclude_outside,
align_corners with scales, half_pixel_symmetric, tf_crop_and_resize), read as one matrix
product per axis when the input shape and the scales/sizes/roi are known at read time.

The cases are the onnx package's own Resize node tests with their scales, sizes and roi
made initializers (constants), as models exported with fixed resize factors have them."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

import openvino as ov  # noqa: E402
from openvino._onnx import read_onnx  # noqa: E402
from openvino._onnx.resize_matrices import axis_map  # noqa: E402

SPECIAL = ("antialias", "align_corners", "exclude_outside", "tf_crop_and_resize",
           "half_pixel_symmetric")


def _cases():
    from onnx.backend.test.case.node import collect_testcases

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = collect_testcases()
    return {c.name: c for c in cases if c.name.startswith("test_resize")
            and any(s in c.name for s in SPECIAL)}


CASES = _cases()


def _with_constants(case):
    model = onnx.ModelProto()
    model.CopyFrom(case.model)
    inputs, expected = case.data_sets[0]
    graph = model.graph
    for vi, value in zip(list(graph.input)[1:], inputs[1:]):
        graph.initializer.append(numpy_helper.from_array(np.asarray(value), vi.name))
    del graph.input[1:]
    return model, np.asarray(inputs[0]), np.asarray(expected[0])


def test_the_special_cases_are_there():
    assert len(CASES) >= 14


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_resize_with_constant_parameters_matches_onnx(device, name):
    model, x, want = _with_constants(CASES[name])
    compiled = ov.Core().compile_model(read_onnx(model.SerializeToString()), device)
    request = compiled.create_infer_request()
    request.infer([x])
    got = request.get_output_tensor(0).data
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)


def test_axis_map_rows_are_weights_of_the_input():
    # downsampling 8 -> 3 with antialias: every row sums to one, reaches wider than 2 taps
    w, b = axis_map("linear", "half_pixel", 8, 3, 3 / 8, None, True, False, -0.75, 0.0)
    assert b is None and w.shape == (3, 8)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert (np.count_nonzero(w, axis=1) > 2).all()
    # tf_crop_and_resize past the input: a zero row and the extrapolation value
    w, b = axis_map("linear", "tf_crop_and_resize", 4, 3, 0.75, (-0.5, 1.5), False, False,
                    -0.75, 9.0)
    assert b is not None and b[0] == 9.0 and not w[0].any() and w[1].sum() == 1.0


def test_run_time_scales_still_need_interpolate_support():
    node = helper.make_node("Resize", ["x", "", "scales"], ["y"], mode="linear",
                            exclude_outside=1)
    graph = helper.make_graph([node], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4]),
                               helper.make_tensor_value_info("scales", TensorProto.FLOAT,
                                                             [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    with pytest.raises(RuntimeError, match="exclude_outside=1 is not supported here"):
        read_onnx(proto.SerializeToString())
