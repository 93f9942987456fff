"""API conformance: synchronous inference in every input form, every output form,
``share_inputs``/``share_outputs``, tensors set by hand, element types in and out, and
``CompiledModel.__call__`` from several threads at once."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino_testkit.compare import output_mismatch
from openvino_testkit.device_support import compile_for
from openvino_testkit.models import (
    TYPED_MODEL_TYPES,
    add_model,
    scalar_model,
    string_model,
    two_output_model,
    typed_model,
)

OV_CHECK_KIND = "api"

A = np.arange(8, dtype=np.float32) - 3.5
B = np.linspace(-2, 2, 8, dtype=np.float32)
SUM = A + B


class _ArrayLike:
    """Exposes the plain ``__array__()`` protocol only."""

    def __init__(self, data: np.ndarray) -> None:
        self._data = data

    def __array__(self) -> np.ndarray:
        return self._data


class _ArrayLike2(_ArrayLike):
    """Exposes ``__array__(dtype, copy)`` as numpy 2 calls it."""

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:  # type: ignore[override]
        return self._data if dtype is None else self._data.astype(dtype)


@pytest.fixture(scope="module")
def add(ov_core: Any, ov_device: str) -> Any:
    return compile_for(ov_core, add_model().model, ov_device)


@pytest.fixture(scope="module")
def scalar(ov_core: Any, ov_device: str) -> Any:
    return compile_for(ov_core, scalar_model().model, ov_device)


@pytest.fixture(scope="module")
def two_outputs(ov_core: Any, ov_device: str) -> Any:
    return compile_for(ov_core, two_output_model().model, ov_device)


def _input_forms(compiled: Any) -> dict[str, Any]:
    model_ports = add_model().model.inputs
    return {
        "dict_int": {0: A, 1: B},
        "dict_name": {"a": A, "b": B},
        "dict_port": {compiled.input(0): A, compiled.input(1): B},
        "dict_model_output": {model_ports[0]: A, model_ports[1]: B},
        "list": [A, B],
        "tuple": (A, B),
        "tensors": [ov.Tensor(A), ov.Tensor(B)],
        "tensor_and_array": [ov.Tensor(A), B],
        "array_like": [_ArrayLike(A), _ArrayLike2(B)],
    }


_FORMS = ["dict_int", "dict_name", "dict_port", "dict_model_output", "list", "tuple",
          "tensors", "tensor_and_array", "array_like"]


@pytest.mark.parametrize("form", _FORMS)
def test_input_forms(add: Any, form: str) -> None:
    inputs = _input_forms(add)[form]
    request = add.create_infer_request()
    result = request.infer(inputs)
    np.testing.assert_allclose(result[0], SUM, rtol=0, atol=0)


def test_infer_does_not_modify_callers_containers(add: Any) -> None:
    inputs = {"a": A, "b": B}
    keep = dict(inputs)
    listed = [A, B]
    add.create_infer_request().infer(inputs)
    add.create_infer_request().infer(listed)
    assert inputs == keep and len(listed) == 2 and listed[0] is A


@pytest.mark.parametrize("form", ["array", "tensor", "numpy_scalar", "python_float",
                                  "zero_dim_array"])
def test_single_input_forms(scalar: Any, form: str) -> None:
    value = {"array": np.array(1.5, np.float32), "tensor": ov.Tensor(np.array(1.5, np.float32)),
             "numpy_scalar": np.float32(1.5), "python_float": 1.5,
             "zero_dim_array": np.array(1.5, dtype=np.float32)}[form]
    result = scalar.create_infer_request().infer(value)
    assert np.asarray(result[0]).shape == ()
    assert float(result[0]) == 3.0


def test_compiled_model_call_and_infer_new_request(add: Any) -> None:
    np.testing.assert_array_equal(add({"a": A, "b": B})[0], SUM)
    np.testing.assert_array_equal(add([A, B])[0], SUM)
    np.testing.assert_array_equal(add.infer_new_request({0: A, 1: B})[0], SUM)


def test_result_lookup(two_outputs: Any) -> None:
    x = np.array([[-1, 2, -3], [4, -5, 6]], np.float32)
    result = two_outputs.create_infer_request().infer({0: x})
    relu, neg = np.maximum(x, 0), -x
    names = ["relu", "neg"]
    for form, values in {"result[i]": [result[0], result[1]],
                         "result[name]": [result["relu"], result["neg"]],
                         "result[port]": [result[two_outputs.output(0)],
                                          result[two_outputs.output(1)]]}.items():
        problem = output_mismatch(values, [relu, neg], names)
        assert not problem, f"{form}: {problem}"
    assert len(result) == 2
    assert list(result.keys()) == list(two_outputs.outputs), "keys are not the outputs in order"
    assert all(isinstance(v, np.ndarray) for v in result.values())
    tup = result.to_tuple()
    np.testing.assert_array_equal(tup[1], neg)
    plain = result.to_dict()
    assert len(plain) == 2 and all(isinstance(k, ov.ConstOutput) for k in plain)
    with pytest.raises(KeyError):
        result["no_such_output"]


def test_output_tensors_and_results(two_outputs: Any) -> None:
    x = np.array([[1, -2, 3], [-4, 5, -6]], np.float32)
    request = two_outputs.create_infer_request()
    request.infer([x])
    truths, names = [np.maximum(x, 0), -x], ["relu", "neg"]
    ports = two_outputs.outputs
    for form, values in {
            "get_output_tensor(i)": [request.get_output_tensor(i).data for i in (0, 1)],
            "get_tensor(name)": [request.get_tensor(n).data for n in names],
            "get_tensor(port)": [request.get_tensor(p).data for p in ports],
            "results[i]": [request.results[i] for i in (0, 1)]}.items():
        problem = output_mismatch(values, truths, names)
        assert not problem, f"{form}: {problem}"
    assert len(request.output_tensors) == 2
    assert request.latency > 0, f"latency after a run is {request.latency}"


def test_set_tensors_then_infer(add: Any) -> None:
    request = add.create_infer_request()
    request.set_input_tensor(0, ov.Tensor(A))
    request.set_tensor("b", ov.Tensor(B))
    request.infer()
    np.testing.assert_array_equal(request.get_output_tensor().data, SUM)
    np.testing.assert_array_equal(request.get_input_tensor(1).data, B)


def test_set_output_tensor(add: Any) -> None:
    request = add.create_infer_request()
    target = ov.Tensor(np.zeros(8, np.float32), shared_memory=True)
    request.set_output_tensor(0, target)
    request.infer([A, B])
    np.testing.assert_array_equal(target.data, SUM)


def test_results_follow_new_inputs(add: Any) -> None:
    request = add.create_infer_request()
    for k in range(4):
        a = A * k
        result = request.infer([a, B])
        np.testing.assert_array_equal(result[0], a + B)


def test_share_inputs(add: Any) -> None:
    a, b = A.copy(), B.copy()
    request = add.create_infer_request()
    request.infer([a, b], share_inputs=True)
    assert np.shares_memory(request.get_input_tensor(0).data, a), \
        "share_inputs=True copied a C-contiguous float32 array"
    request.infer([a, b], share_inputs=False)
    assert not np.shares_memory(request.get_input_tensor(0).data, a), \
        "share_inputs=False did not copy the array"
    readonly = A.copy()
    readonly.flags.writeable = False
    result = request.infer([readonly, b], share_inputs=True)
    np.testing.assert_array_equal(result[0], SUM)


def test_share_outputs(add: Any) -> None:
    request = add.create_infer_request()
    shared = request.infer([A, B], share_outputs=True)[0]
    assert not shared.flags["OWNDATA"], "share_outputs=True returned an owning copy"
    assert np.shares_memory(shared, request.get_output_tensor(0).data)
    np.testing.assert_array_equal(shared, SUM)
    owned = request.infer([A, B], share_outputs=False)[0]
    assert not np.shares_memory(owned, request.get_output_tensor(0).data), \
        "share_outputs=False returned a view of the output tensor"
    request.infer([B, B])
    np.testing.assert_array_equal(owned, SUM)


@pytest.mark.parametrize("type_name", TYPED_MODEL_TYPES)
def test_element_types_in_and_out(ov_core: Any, ov_device: str, type_name: str) -> None:
    typed = typed_model(type_name)
    compiled = compile_for(ov_core, typed.model, ov_device)
    dtype = typed.model.inputs[0].get_element_type().to_dtype()
    x = (np.arange(10).reshape(2, 5) % 3).astype(dtype)
    got = compiled.create_infer_request().infer([x])[0]
    want = typed.truth(x)[0]
    assert got.dtype == want.dtype, f"output dtype {got.dtype}, expected {want.dtype}"
    np.testing.assert_array_equal(got, want)


def test_strings_in_and_out(ov_core: Any, ov_device: str) -> None:
    compiled = compile_for(ov_core, string_model().model, ov_device)
    text = np.array(["ov", "", "ünïcödé"])
    request = compiled.create_infer_request()
    got = request.infer([text])[0]
    assert got.dtype.kind == "U", f"string output came back as {got.dtype}, not str (kind U)"
    assert got.tolist() == text.tolist()
    raw = request.infer([text], decode_strings=False)[0]
    assert raw.dtype.kind == "S", f"decode_strings=False gave {raw.dtype}, not bytes (kind S)"
    assert [b.decode() for b in raw.tolist()] == text.tolist()
    tensor = request.get_output_tensor(0)
    assert list(tensor.str_data) == text.tolist()


def test_requests_are_independent(add: Any) -> None:
    first, second = add.create_infer_request(), add.create_infer_request()
    first.infer([A, B])
    second.infer([B, B])
    np.testing.assert_array_equal(first.get_output_tensor().data, SUM)
    np.testing.assert_array_equal(second.get_output_tensor().data, B + B)


def test_call_from_threads(add: Any) -> None:
    errors: list[str] = []

    def worker(k: int) -> None:
        for i in range(25):
            a = np.full(8, k * 100 + i, np.float32)
            got = add([a, B])[0]
            if not np.array_equal(got, a + B):
                errors.append(f"thread {k} call {i}: got {got[:3]}..., expected {(a + B)[:3]}")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "CompiledModel.__call__ hung in a thread"
    assert not errors, f"{len(errors)} wrong results from concurrent calls: {errors[:3]}"
