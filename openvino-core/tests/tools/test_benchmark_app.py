import sys
from pathlib import Path

import pytest

from openvino.tools import benchmark_app


def test_runs_bundled_sample(capsys):
    assert benchmark_app.main(["-niter", "5", "-d", "TEMPLATE"]) == 0
    out = capsys.readouterr().out
    assert "Count:        5 iterations" in out
    assert "Median" in out and "P99" in out and "Throughput" in out


def test_throughput_hint_uses_async_queue(capsys):
    assert benchmark_app.main(["-niter", "8", "-d", "AUTO", "-hint", "throughput"]) == 0
    out = capsys.readouterr().out
    assert "async API" in out and "Count:        8 iterations" in out


def test_performance_counters(capsys):
    assert benchmark_app.main(["-niter", "2", "-d", "TEMPLATE", "-pc"]) == 0
    out = capsys.readouterr().out
    assert "Convolution" in out


def test_onnx_model(tmp_path, capsys):
    pytest.importorskip("onnx")
    import onnx
    from onnx import TensorProto, helper

    node = helper.make_node("Relu", ["x"], ["y"])
    graph = helper.make_graph([node], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])
    path = tmp_path / "relu.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    assert benchmark_app.main(["-m", str(path), "-niter", "3", "-d", "TEMPLATE"]) == 0
    assert "Count:        3 iterations" in capsys.readouterr().out


def test_dynamic_model_with_shape(tmp_path, capsys):
    import numpy as np

    import openvino as ov

    x = ov.opset13.parameter([-1, 4], np.float32, name="x")
    ov.save_model(ov.Model(ov.opset13.relu(x), [x]), tmp_path / "dyn.xml")
    assert benchmark_app.main(["-m", str(tmp_path / "dyn.xml"), "-niter", "2",
                               "-shape", "[3,4]", "-d", "TEMPLATE"]) == 0
    assert "[3, 4]" in capsys.readouterr().out


def test_missing_model_is_an_error(capsys):
    assert benchmark_app.main(["-m", "/nonexistent/model.xml", "-niter", "1"]) == 1
    assert "not found" in capsys.readouterr().err


def test_unknown_device_is_an_error(capsys):
    assert benchmark_app.main(["-d", "NOSUCHDEVICE", "-niter", "1"]) == 1
    assert "NOSUCHDEVICE" in capsys.readouterr().err


def test_console_script_installed():
    scripts = Path(sys.executable).parent
    assert (scripts / "benchmark_app").exists()
