"""API conformance: compiling models (from a Model, a file, IR text and weights), querying
them, and what a compiled model exposes."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino_testkit.device_support import compile_for, require_support
from openvino_testkit.devices import is_auto_target
from openvino_testkit.models import add_model, two_output_model

OV_CHECK_KIND = "api"

_A = np.arange(8, dtype=np.float32)
_B = np.linspace(-1, 1, 8, dtype=np.float32)


def _check_add(compiled: Any) -> None:
    out = compiled({"a": _A, "b": _B})
    np.testing.assert_array_equal(out[0], _A + _B)


@pytest.fixture(autouse=True)
def _device_takes_add(ov_core: Any, ov_device: str) -> None:
    require_support(ov_core, add_model().model, ov_device)


@pytest.fixture(scope="module")
def ir_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ir") / "add.xml"
    ov.save_model(add_model().model, path)
    return path


def test_compile_model_object(ov_core: Any, ov_device: str) -> None:
    _check_add(compile_for(ov_core, add_model().model, ov_device))


def test_compile_from_file(ov_core: Any, ov_device: str, ir_files: Path) -> None:
    _check_add(ov_core.compile_model(str(ir_files), ov_device))
    _check_add(ov_core.compile_model(ir_files, ov_device))


def test_compile_read_model(ov_core: Any, ov_device: str, ir_files: Path) -> None:
    _check_add(ov_core.compile_model(ov_core.read_model(ir_files), ov_device))


def test_compile_ir_text_and_weights(ov_core: Any, ov_device: str, ir_files: Path) -> None:
    xml = ir_files.read_text()
    weights = ir_files.with_suffix(".bin").read_bytes()
    _check_add(ov_core.compile_model(model=xml, weights=weights, device_name=ov_device))


def test_compile_model_helper(ov_device: str, ir_files: Path) -> None:
    _check_add(ov.compile_model(ir_files, ov_device))


def test_compile_with_config(ov_core: Any, ov_device: str) -> None:
    compiled = compile_for(ov_core, add_model().model, ov_device, {"PERF_COUNT": True})
    # True, or "YES" as the real CPU plugin's compiled models report it
    assert compiled.get_property("PERF_COUNT") in (True, "YES")
    _check_add(compiled)


def test_compiled_model_outlives_core_and_model(ov_device: str) -> None:
    core = ov.Core()
    model = add_model().model
    compiled = core.compile_model(model, ov_device)
    request = compiled.create_infer_request()
    del core, model
    gc.collect()
    _check_add(compiled)
    request.infer({"a": _A, "b": _B})
    np.testing.assert_array_equal(request.get_output_tensor(0).data, _A + _B)


def test_compile_twice_gives_independent_models(ov_core: Any, ov_device: str) -> None:
    model = add_model().model
    first = compile_for(ov_core, model, ov_device)
    second = compile_for(ov_core, model, ov_device)
    r1, r2 = first.create_infer_request(), second.create_infer_request()
    r1.infer({"a": _A, "b": _B})
    r2.infer({"a": _B, "b": _B})
    np.testing.assert_array_equal(r1.get_output_tensor(0).data, _A + _B)
    np.testing.assert_array_equal(r2.get_output_tensor(0).data, _B + _B)


def test_compile_does_not_change_the_model(ov_core: Any, ov_device: str) -> None:
    model = add_model().model
    before = [(op.get_type_name(), op.get_friendly_name()) for op in model.get_ordered_ops()]
    compile_for(ov_core, model, ov_device)
    after = [(op.get_type_name(), op.get_friendly_name()) for op in model.get_ordered_ops()]
    assert before == after, "compile_model modified the user's model"


def test_query_model_covers_the_model(ov_core: Any, ov_device: str) -> None:
    if is_auto_target(ov_device):
        pytest.skip("query_model answers for a device")
    model = two_output_model().model
    supported = ov_core.query_model(model, ov_device)
    assert isinstance(supported, dict), f"query_model returned {type(supported).__name__}"
    names = {op.get_friendly_name() for op in model.get_ordered_ops()
             if op.get_type_name() not in ("Parameter", "Result", "Constant")}
    missing = names - set(supported)
    assert not missing, f"query_model leaves out {sorted(missing)} of a Relu/Negative model"
    family = ov_device.split(".")[0]
    wrong = {k: v for k, v in supported.items() if str(v).split(".")[0] != family}
    assert not wrong, f"query_model maps nodes to other devices: {wrong}"


def test_compiled_ports(ov_core: Any, ov_device: str) -> None:
    model = add_model().model
    compiled = compile_for(ov_core, model, ov_device)
    assert len(compiled.inputs) == 2 and len(compiled.outputs) == 1
    for port, name in zip(compiled.inputs, ("a", "b")):
        assert name in port.get_names(), f"input names {port.get_names()}, expected {name!r}"
        assert port.get_element_type() == ov.Type.f32
        assert port.get_partial_shape() == ov.PartialShape([8])
    assert compiled.input("b").get_any_name() == "b"
    assert compiled.input(1) == compiled.inputs[1]
    assert "y" in compiled.output().get_names()
    assert compiled.output(0).get_shape() == ov.Shape([8])


def test_runtime_model(ov_core: Any, ov_device: str) -> None:
    compiled = compile_for(ov_core, two_output_model().model, ov_device)
    runtime = compiled.get_runtime_model()
    assert isinstance(runtime, ov.Model), f"get_runtime_model returned {type(runtime)}"
    assert len(runtime.inputs) == 1 and len(runtime.outputs) == 2


def test_release_memory_then_infer(ov_core: Any, ov_device: str) -> None:
    compiled = compile_for(ov_core, add_model().model, ov_device)
    _check_add(compiled)
    compiled.release_memory()
    _check_add(compiled)
