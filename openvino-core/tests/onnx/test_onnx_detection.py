"""ONNX NonMaxSuppression and MaxRoiPool through the reader."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402


def _model(node, inputs, outputs, tmp_path, opset=13):
    graph = helper.make_graph([node], "g", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = tmp_path / "m.onnx"
    onnx.save(model, path)
    return ov.Core().read_model(path)


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
def test_nms_center_boxes_in_onnx_order(tmp_path, device):
    node = helper.make_node("NonMaxSuppression", ["b", "s", "m", "i", "t"], ["y"],
                            center_point_box=1)
    f = TensorProto.FLOAT
    model = _model(node, [helper.make_tensor_value_info("b", f, [1, 4, 4]),
                          helper.make_tensor_value_info("s", f, [1, 2, 4]),
                          helper.make_tensor_value_info("m", TensorProto.INT64, [1]),
                          helper.make_tensor_value_info("i", f, [1]),
                          helper.make_tensor_value_info("t", f, [1])],
                   [helper.make_tensor_value_info("y", TensorProto.INT64, [None, 3])], tmp_path)
    boxes = np.array([[[0.5, 0.5, 1, 1], [0.5, 0.6, 1, 1], [5, 5, 1, 1], [0.5, 0.4, 1, 1]]],
                     np.float32)
    scores = np.array([[[0.9, 0.95, 0.3, 0.1], [0.2, 0.1, 0.8, 0.7]]], np.float32)
    got = ov.Core().compile_model(model, device)(
        [boxes, scores, np.array([2]), np.array([0.5], np.float32),
         np.array([0.0], np.float32)])[0]
    # by class, then selection order; class 0 keeps box 1 then the far box 2
    np.testing.assert_array_equal(got, [[0, 0, 1], [0, 0, 2], [0, 1, 2], [0, 1, 3]])


def test_max_roi_pool(tmp_path):
    node = helper.make_node("MaxRoiPool", ["x", "r"], ["y"], pooled_shape=[2, 2],
                            spatial_scale=0.5)
    f = TensorProto.FLOAT
    model = _model(node, [helper.make_tensor_value_info("x", f, [1, 1, 4, 4]),
                          helper.make_tensor_value_info("r", f, [1, 5])],
                   [helper.make_tensor_value_info("y", f, [1, 1, 2, 2])], tmp_path)
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    got = ov.Core().compile_model(model, "TEMPLATE")(
        [x, np.array([[0, 0, 0, 6, 6]], np.float32)])[0]
    np.testing.assert_array_equal(got[0, 0], [[5, 7], [13, 15]])
