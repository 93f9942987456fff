"""API conformance: bad input gets a clear exception of the type users catch, naming what
was wrong, and the request keeps working afterwards."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino_testkit.device_support import compile_for
from openvino_testkit.models import add_model

OV_CHECK_KIND = "api"

A = np.arange(8, dtype=np.float32)


@pytest.fixture(scope="module")
def compiled(ov_core: Any, ov_device: str) -> Any:
    return compile_for(ov_core, add_model().model, ov_device)


def _still_works(request: Any) -> None:
    np.testing.assert_array_equal(request.infer([A, A])[0], A + A)


def test_wrong_shape(compiled: Any) -> None:
    request = compiled.create_infer_request()
    with pytest.raises(RuntimeError):
        request.infer([np.zeros(7, np.float32), A])
    with pytest.raises(RuntimeError):
        request.infer([A.reshape(2, 4), A])
    _still_works(request)


def test_too_many_inputs(compiled: Any) -> None:
    request = compiled.create_infer_request()
    with pytest.raises((RuntimeError, ValueError, IndexError)):
        request.infer([A, A, A])
    _still_works(request)


def test_unknown_input_name(compiled: Any) -> None:
    request = compiled.create_infer_request()
    with pytest.raises((RuntimeError, KeyError)) as err:
        request.infer({"no_such_input": A, "b": A})
    assert "no_such_input" in str(err.value), f"the error does not name the input: {err.value}"
    _still_works(request)


def test_bad_key_and_input_types(compiled: Any) -> None:
    request = compiled.create_infer_request()
    with pytest.raises(TypeError):
        request.infer({0.0: A, 1: A})
    with pytest.raises(TypeError):
        request.infer(object())
    _still_works(request)


def test_tensor_of_wrong_element_type(compiled: Any) -> None:
    request = compiled.create_infer_request()
    with pytest.raises((RuntimeError, TypeError)):
        request.infer([ov.Tensor(np.zeros(8, np.int32)), A])
    _still_works(request)


def test_wait_without_start(compiled: Any) -> None:
    with pytest.raises(RuntimeError):
        compiled.create_infer_request().wait()


def test_unknown_output(compiled: Any) -> None:
    request = compiled.create_infer_request()
    request.infer([A, A])
    with pytest.raises((RuntimeError, KeyError)):
        request.get_tensor("no_such_tensor")
    with pytest.raises((RuntimeError, IndexError)):
        request.get_output_tensor(5)

