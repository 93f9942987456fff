"""AvgPool-16 (dilations) and the divisor of every AvgPool version, on the reference,
TEMPLATE and CPU, against numbers measured on the real OpenVINO 2026.4.1 CPU plugin.

OpenVINO divides by the whole window when padding counts (``exclude-pad`` false) and the
op has any padding, also for a ceil-rounded last window that reaches past the end padding;
otherwise by the window's taps inside the input."""

import numpy as np
import pytest

import openvino as ov
import openvino.opset1 as opset1
import openvino.opset14 as opset14
import openvino.opset16 as opset16
from openvino._ops.pooling import AvgPool, AvgPool14

DEVICES = ["TEMPLATE", "CPU"]


def _infer(node, x, device):
    param = node.input_value(0).get_node()
    model = ov.Model([node], [param])
    request = ov.Core().compile_model(model, device).create_infer_request()
    request.infer([x])
    return request.get_output_tensor(0).data


def test_opset16_factory_makes_avg_pool_16_with_dilations():
    p = opset16.parameter([1, 1, 10, 8], np.float32)
    node = opset16.avg_pool(p, [3, 3], [1, 1], [1, 1], [3, 2], False, "ceil", None, [2, 2])
    assert type(node) is AvgPool and node.get_type_info().version_id == "opset16"
    assert node.get_attributes()["dilations"] == [2, 2]
    assert node.get_output_shape(0) == ov.Shape([1, 1, 4, 4])
    assert type(opset14.avg_pool(p, [1, 1], [0, 0], [0, 0], [2, 2], True)) is AvgPool14
    undilated = opset16.avg_pool(p, [1, 1], [0, 0], [0, 0], [2, 2], True)
    assert undilated.get_attributes()["dilations"] == [1, 1]


@pytest.mark.parametrize("device", ["reference"] + DEVICES)
def test_dilated_windows_over_ones_as_the_real_runtime(device):
    # ones in, so each output is (taps inside the input) / divisor; measured on the real CPU
    x = np.ones([1, 1, 10, 8], np.float32)
    include = opset16.avg_pool(opset16.parameter(x.shape, np.float32), [3, 3], [1, 1], [1, 1],
                               [3, 2], False, "ceil", None, [2, 2])
    exclude = opset16.avg_pool(opset16.parameter(x.shape, np.float32), [3, 3], [1, 1], [1, 1],
                               [3, 2], True, "ceil", None, [2, 2])
    run = (lambda n: n.reference(x)) if device == "reference" else (
        lambda n: _infer(n, x, device))
    np.testing.assert_allclose(run(include)[0, 0], [[1 / 3, 2 / 3, 2 / 3, 0],
                                                    [0.5, 1, 1, 0],
                                                    [0.5, 1, 1, 0],
                                                    [1 / 6, 1 / 3, 1 / 3, 0]], rtol=1e-6)
    # the last column's windows hold no element of the input: 0 (the real reference's value;
    # its CPU plugin gives NaN there)
    np.testing.assert_array_equal(run(exclude)[0, 0], [[1, 1, 1, 0]] * 4)


@pytest.mark.parametrize("device", ["reference"] + DEVICES)
@pytest.mark.parametrize("factory", [opset1.avg_pool, opset14.avg_pool, opset16.avg_pool])
def test_ceil_window_past_the_end_padding_divides_by_the_whole_window(device, factory):
    # 10 rows, kernel 3, stride 3, pads 1/0: the last window covers rows 8, 9 and 10 (10 is
    # past the end padding); the real runtime gives 2/3 there
    x = np.ones([1, 1, 10, 1], np.float32)
    node = factory(opset16.parameter(x.shape, np.float32), [3, 1], [1, 0], [0, 0], [3, 1],
                   False, "ceil")
    got = node.reference(x) if device == "reference" else _infer(node, x, device)
    np.testing.assert_allclose(got.reshape(-1), [2 / 3, 1, 1, 2 / 3], rtol=1e-6)


@pytest.mark.parametrize("device", ["reference"] + DEVICES)
def test_without_padding_the_divisor_is_the_taps_inside(device):
    # ONNX's ceil_mode windows with no pads: the last window is cut at the input's end
    x = np.arange(1, 11, dtype=np.float32).reshape(1, 1, 10)
    node = opset16.avg_pool(opset16.parameter(x.shape, np.float32), [3], [0], [0], [3], False,
                            "ceil_torch", None, [2])
    got = node.reference(x) if device == "reference" else _infer(node, x, device)
    np.testing.assert_allclose(got.reshape(-1), [3, 6, 8], rtol=1e-6)  # the last: (7 + 9) / 2


@pytest.mark.parametrize("device", DEVICES)
def test_dilated_3d_random_matches_reference(device):
    rng = np.random.default_rng(5)
    x = rng.standard_normal([1, 2, 5, 6, 7]).astype(np.float32)
    node = opset16.avg_pool(opset16.parameter(x.shape, np.float32), [1, 2, 1], [1, 1, 0],
                            [0, 1, 1], [2, 2, 3], True, "floor", None, [2, 1, 2])
    np.testing.assert_allclose(_infer(node, x, device), node.reference(x), rtol=1e-5,
                               atol=1e-6)


def test_ir_round_trip_keeps_dilations(tmp_path):
    p = opset16.parameter([1, 1, 10, 8], np.float32)
    node = opset16.avg_pool(p, [3, 3], [1, 1], [1, 1], [3, 2], False, "ceil", None, [2, 2])
    path = tmp_path / "m.xml"
    ov.save_model(ov.Model([node], [p]), path)
    text = path.read_text()
    assert 'version="opset16"' in text and 'dilations="2,2"' in text
    back = ov.Core().read_model(path)
    pool = [n for n in back.get_ordered_ops() if n.get_type_name() == "AvgPool"][0]
    assert pool.get_type_info().version_id == "opset16"
    assert pool.get_attributes()["dilations"] == [2, 2]
