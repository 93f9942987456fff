"""API conformance: the outputs a device returns, each checked by index and by name.

Outputs must come back in the order of the compiled model's outputs (not the order their
producers run in, nor with the Parameters passed straight through moved elsewhere), all of
them (a model with more outputs than most), and each of its own element type (inputs of
several types passed straight through). The core refuses a result of the wrong count,
class, element type or shape with a ``RuntimeError`` naming the output; these checks turn
that, or wrong values, into a failure that names the output.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from openvino_testkit.compare import output_mismatch
from openvino_testkit.device_support import compile_for
from openvino_testkit.models import (
    PASS_THROUGH_TYPES,
    many_outputs_model,
    ordered_outputs_model,
    pass_through_model,
)

OV_CHECK_KIND = "api"


def _names(compiled: Any) -> list[str]:
    return [port.get_any_name() for port in compiled.outputs]


def _infer(compiled: Any, inputs: Any, device: str) -> tuple[Any, Any]:
    """``(request, result)`` of one run; a failure naming what the device did otherwise."""
    request = compiled.create_infer_request()
    try:
        result = request.infer(inputs)
    except Exception as e:
        pytest.fail(f"infer on {device} raised {type(e).__name__}: {e}")
    return request, result


def _every_form(compiled: Any, request: Any, result: Any, truths: list[np.ndarray]
                ) -> list[str]:
    """What is wrong in the results read by index, by name, as output tensors, and as
    tensors looked up by name."""
    names = _names(compiled)
    count = len(compiled.outputs)
    forms = {
        "result[i]": [result[i] for i in range(min(count, len(result)))],
        "result[name]": [result[name] for name in names],
        "get_output_tensor(i)": [request.get_output_tensor(i).data for i in range(count)],
        "get_tensor(name)": [request.get_tensor(name).data for name in names],
    }
    problems = []
    for form, values in forms.items():
        problem = output_mismatch(values, truths, names)
        if problem:
            problems.append(f"{form}: {problem}")
    if len(result) != count:
        problems.append(f"the result has {len(result)} entries for {count} outputs")
    return problems


def test_output_order(ov_core: Any, ov_device: str) -> None:
    model = ordered_outputs_model()
    compiled = compile_for(ov_core, model.model, ov_device)
    want_names = [sorted(o.get_names()) for o in model.model.outputs]
    got_names = [sorted(o.get_names()) for o in compiled.outputs]
    assert got_names == want_names, \
        f"compiled outputs are named {got_names}, the model's outputs {want_names}"
    x = np.array([1.0, -2.0, 3.0, -4.0, 0.5], np.float32)
    request, result = _infer(compiled, {0: x}, ov_device)
    problems = _every_form(compiled, request, result, model.truth(x))
    assert not problems, f"outputs out of order: {'; '.join(problems)}"


def test_many_outputs(ov_core: Any, ov_device: str) -> None:
    model = many_outputs_model()
    compiled = compile_for(ov_core, model.model, ov_device)
    x = np.array([0.5, -1.0, 2.0], np.float32)
    request, result = _infer(compiled, [x], ov_device)
    problems = _every_form(compiled, request, result, model.truth(x))
    assert not problems, f"{len(compiled.outputs)} outputs: {'; '.join(problems)}"


def test_pass_through_element_types(ov_core: Any, ov_device: str) -> None:
    model = pass_through_model()
    compiled = compile_for(ov_core, model.model, ov_device)
    rng = np.random.default_rng(7)
    inputs = []
    for name in PASS_THROUGH_TYPES:
        if name == "boolean":
            inputs.append(rng.integers(0, 2, (2, 3)).astype(bool))
        else:
            dtype = np.dtype({"f32": np.float32, "f16": np.float16, "f64": np.float64,
                              "i8": np.int8, "i64": np.int64, "u8": np.uint8}[name])
            inputs.append(rng.integers(-5 if dtype.kind != "u" else 0, 100, (2, 3))
                          .astype(dtype))
    request, result = _infer(compiled, inputs, ov_device)
    names = _names(compiled)
    wrong_types = []
    for i, port in enumerate(compiled.outputs):
        got = request.get_output_tensor(i).get_element_type()
        if got != port.get_element_type():
            wrong_types.append(f"output {i} ('{names[i]}') is "
                               f"{got.get_type_name()}, expected "
                               f"{port.get_element_type().get_type_name()}")
    assert not wrong_types, f"element types: {'; '.join(wrong_types)}"
    problems = _every_form(compiled, request, result, model.truth(*inputs))
    assert not problems, f"values passed through: {'; '.join(problems)}"
