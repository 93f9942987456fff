"""API conformance: tensor names and ports through compilation. Names set on a model's
tensors before or after the Model was made, and a Parameter's own name where its tensor has
none, name the compiled model's ports; the ports of the model that was compiled find the
compiled model's ports in ``CompiledModel.input``/``output``, ``get_tensor``/``set_tensor``,
``infer`` keys and results."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino_testkit.device_support import compile_for
from openvino_testkit.models import NAMING_WAYS, named_late_model

OV_CHECK_KIND = "api"

X = np.array([[-2.0, -0.5, 0.0], [0.25, 1.0, 3.0]], np.float32)


@pytest.mark.parametrize("way", NAMING_WAYS)
def test_names_reach_the_compiled_model(ov_core: Any, ov_device: str, way: str) -> None:
    case, _ = named_late_model(way)
    compiled = compile_for(ov_core, case.model, ov_device)
    assert "data" in compiled.input(0).get_names(), \
        f"input names {compiled.input(0).get_names()} lost 'data' ({way})"
    assert compiled.input("data") == compiled.input(0)
    assert compiled.output("out") == compiled.output(0)
    request = compiled.create_infer_request()
    request.set_tensor("data", ov.Tensor(X))
    np.testing.assert_array_equal(request.get_tensor("data").data, X)
    request.infer()
    np.testing.assert_array_equal(request.get_tensor("out").data, case.truth(X)[0])
    request.set_input_tensor(ov.Tensor(-X))
    np.testing.assert_array_equal(request.infer()["out"], case.truth(-X)[0])


@pytest.mark.parametrize("way", NAMING_WAYS)
def test_original_ports_find_compiled_ports(ov_core: Any, ov_device: str, way: str) -> None:
    case, param = named_late_model(way)
    model = case.model
    compiled = compile_for(ov_core, model, ov_device)
    request = compiled.create_infer_request()
    for port in (model.input(0), model.inputs[0], param.output(0)):
        request.set_tensor(port, ov.Tensor(X))
        np.testing.assert_array_equal(request.get_tensor(port).data, X)
    results = request.infer({model.input(0): X})
    for port in (model.output(0), model.outputs[0]):
        np.testing.assert_array_equal(results[port], case.truth(X)[0])
        np.testing.assert_array_equal(request.get_tensor(port).data, case.truth(X)[0])


def test_parameter_name_names_an_unnamed_input(ov_core: Any, ov_device: str) -> None:
    x = ops.parameter([2, 3], np.float32, name="data")
    model = ov.Model([ops.relu(x, name="relu")], [x], "unnamed")
    compiled = compile_for(ov_core, model, ov_device)
    assert compiled.input("data").any_name == "data"
    out = compiled.create_infer_request().infer({"data": X})
    np.testing.assert_array_equal(out[0], np.maximum(X, 0))


def test_unknown_names_and_ports_raise(ov_core: Any, ov_device: str) -> None:
    case, _ = named_late_model(NAMING_WAYS[0])
    compiled = compile_for(ov_core, case.model, ov_device)
    request = compiled.create_infer_request()
    with pytest.raises(RuntimeError, match="nope"):
        compiled.input("nope")
    with pytest.raises(RuntimeError, match="nope"):
        request.get_tensor("nope")
    stranger = ops.parameter([2, 3], np.float32, name="stranger").output(0)
    with pytest.raises(RuntimeError):
        request.set_tensor(stranger, ov.Tensor(X))
