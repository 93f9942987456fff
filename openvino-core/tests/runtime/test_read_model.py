"""Core.read_model / compile_model over every model source form."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

import openvino as ov

from .conftest import add_model

X = np.arange(8, dtype=np.float32)


@pytest.fixture
def ir(tmp_path: Path) -> Path:
    a = ov.opset8.parameter([8], np.float32, name="a")
    c = ov.opset8.constant(np.full(8, 3, np.float32))
    model = ov.Model(ov.opset8.add(a, c), [a])
    path = tmp_path / "model.xml"
    ov.serialize(model, str(path))
    return path


def _check(core: ov.Core, model: ov.Model) -> None:
    np.testing.assert_array_equal(core.compile_model(model, "TEMPLATE")([X])[0], X + 3)


def test_ir_sources(core, ir):
    xml_text = ir.read_text()
    weights = ir.with_suffix(".bin").read_bytes()
    _check(core, core.read_model(str(ir)))
    _check(core, core.read_model(ir))
    _check(core, core.read_model(xml_text, weights))
    _check(core, core.read_model(xml_text.encode(), weights))
    _check(core, core.read_model(io.BytesIO(xml_text.encode()), io.BytesIO(weights)))
    _check(core, core.read_model(str(ir), str(ir.with_suffix(".bin"))))
    _check(core, core.read_model(str(ir), ov.tensor_from_file(str(ir.with_suffix(".bin")))))


def test_ir_without_constants_from_bytes(core, tmp_path):
    path = tmp_path / "add.xml"
    ov.serialize(add_model(), str(path))
    model = core.read_model(path.read_bytes())
    np.testing.assert_array_equal(core.compile_model(model, "TEMPLATE")([X, X])[0], 2 * X)


def test_bad_ir_is_a_runtime_error(core):
    with pytest.raises(RuntimeError):
        core.read_model("<net><layers>")


def test_onnx_path_and_bytes(core, tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])])
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = tmp_path / "relu.onnx"
    onnx.save(proto, str(path))
    data = np.array([-1, 2, -3, 4], np.float32)
    for source in (str(path), path, path.read_bytes()):
        model = core.read_model(source)
        out = core.compile_model(model, "TEMPLATE")({"x": data})
        np.testing.assert_array_equal(out["y"], np.maximum(data, 0))
    compiled = core.compile_model(str(path), "TEMPLATE")
    np.testing.assert_array_equal(compiled([data])[0], np.maximum(data, 0))
