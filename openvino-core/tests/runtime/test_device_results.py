"""The core checks what a device's ``infer`` returns (``openvino.plugin.OutputCheck``):
one ``openvino.Tensor`` per output, of the output's element type and shape, or a
``RuntimeError`` naming the device and the output before anything reaches the user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino.plugin import (
    DeviceCompiledModel,
    DeviceInferRequest,
    DevicePlugin,
    OutputCheck,
    hookimpl,
)

X = np.arange(6, dtype=np.float32).reshape(2, 3)


def two_output_model(shape: Any = (2, 3)) -> ov.Model:
    """``x`` -> ``y = x + 1`` (f32) and ``z = x > 2`` (boolean)."""
    x = ov.opset13.parameter(shape, np.float32, name="x")
    y = ov.opset13.add(x, ov.opset13.constant(np.float32(1)))
    y.output(0).set_names({"y"})
    z = ov.opset13.greater(x, ov.opset13.constant(np.float32(2)))
    z.output(0).set_names({"z"})
    return ov.Model([y, z], [x], "two")


def _right(inputs: list[ov.Tensor]) -> list[ov.Tensor]:
    x = inputs[0].data
    return [ov.Tensor(x + 1), ov.Tensor(x > 2)]


class _Request(DeviceInferRequest):
    def infer(self, inputs):
        return self.compiled_model.plugin.answer(list(inputs))


class _Compiled(DeviceCompiledModel):
    def create_sync_request(self) -> _Request:
        return _Request(self)


class OddPlugin(DevicePlugin):
    """``ODD``: its ``infer`` returns whatever ``answer(inputs)`` gives."""

    name = "ODD"

    def __init__(self, answer: Callable[[list[ov.Tensor]], Any]) -> None:
        super().__init__()
        self.answer = answer

    def compile_model(self, model: Any, config: dict[str, Any]) -> _Compiled:
        return _Compiled(self, model.clone(), config)


class _Source:
    def __init__(self, answer: Callable[[list[ov.Tensor]], Any]) -> None:
        self.answer = answer

    @hookimpl
    def openvino_device_plugins(self) -> list[OddPlugin]:
        return [OddPlugin(self.answer)]


@pytest.fixture
def odd(register) -> Callable[..., ov.CompiledModel]:
    """``odd(answer, model=None)``: the two-output model compiled on a device whose infer
    returns ``answer(inputs)``."""
    source = register(_Source(_right))

    def compile_with(answer: Callable[[list[ov.Tensor]], Any],
                     model: ov.Model | None = None) -> ov.CompiledModel:
        source.answer = answer
        return ov.Core().compile_model(model or two_output_model(), "ODD")

    return compile_with


def test_a_right_answer_passes(odd) -> None:
    result = odd(_right)(X)
    np.testing.assert_array_equal(result["y"], X + 1)
    np.testing.assert_array_equal(result["z"], X > 2)


def test_a_tuple_is_accepted(odd) -> None:
    result = odd(lambda inputs: tuple(_right(inputs)))(X)
    np.testing.assert_array_equal(result[1], X > 2)


def test_a_missing_output_names_it(odd) -> None:
    compiled = odd(lambda inputs: _right(inputs)[:1])
    request = compiled.create_infer_request()
    message = r"ODD device returned 1 tensors .* with 2 outputs; output 1 \('z'\) is missing"
    with pytest.raises(RuntimeError, match=message):
        request.infer(X)
    with pytest.raises(RuntimeError, match=message):
        compiled(X)
    request.start_async(X)
    with pytest.raises(RuntimeError, match=message):
        request.wait()


def test_too_many_outputs(odd) -> None:
    with pytest.raises(RuntimeError, match="returned 3 tensors .* with 2 outputs"):
        odd(lambda inputs: _right(inputs) + [ov.Tensor(X)])(X)


def test_numpy_arrays_instead_of_tensors(odd) -> None:
    with pytest.raises(RuntimeError, match=r"ODD device returned numpy\.ndarray for output 0 "
                                           r"\('y'\), expected an openvino\.Tensor"):
        odd(lambda inputs: [t.data for t in _right(inputs)])(X)


def test_not_a_list(odd) -> None:
    with pytest.raises(RuntimeError, match="ODD device returned NoneType from infer, expected "
                                           "a list of 2 openvino.Tensor"):
        odd(lambda inputs: None)(X)
    with pytest.raises(RuntimeError, match="returned dict from infer"):
        odd(lambda inputs: dict(enumerate(_right(inputs))))(X)


def test_wrong_element_type(odd) -> None:
    def f64(inputs):
        y, z = _right(inputs)
        return [ov.Tensor(y.data.astype(np.float64)), z]

    with pytest.raises(RuntimeError, match=r"element type f64 for output 0 \('y'\), "
                                           "expected f32"):
        odd(f64)(X)

    def u8(inputs):
        y, z = _right(inputs)
        return [y, ov.Tensor(z.data.astype(np.uint8))]

    with pytest.raises(RuntimeError, match=r"element type u8 for output 1 \('z'\), "
                                           "expected boolean"):
        odd(u8)(X)


def test_wrong_static_shape(odd) -> None:
    def flat(inputs):
        y, z = _right(inputs)
        return [ov.Tensor(y.data.reshape(-1)), z]

    with pytest.raises(RuntimeError, match=r"shape \[6\] for output 0 \('y'\), "
                                           r"expected \[2,3\]"):
        odd(flat)(X)


def test_dynamic_output_shapes(odd) -> None:
    model = two_output_model(ov.PartialShape([ov.Dimension(1, 4), -1]))
    compiled = odd(_right, model)
    for shape in [(1, 1), (4, 7), (2, 0)]:
        data = np.ones(shape, np.float32)
        np.testing.assert_array_equal(compiled(data)["y"], data + 1)

    def one_row_more(inputs):  # breaks the upper bound of the first dimension
        x = np.ones((inputs[0].shape[0] + 1, inputs[0].shape[1]), np.float32)
        return [ov.Tensor(x), ov.Tensor(x > 2)]

    compiled = odd(one_row_more, model)
    compiled(np.ones((3, 2), np.float32))
    with pytest.raises(RuntimeError, match=r"shape \[5,2\] for output 0 \('y'\), "
                                           r"expected \[1\.\.4,\?\]"):
        compiled(np.ones((4, 2), np.float32))

    def rank_one(inputs):
        return [ov.Tensor(np.ones(3, np.float32)), _right(inputs)[1]]

    with pytest.raises(RuntimeError, match=r"shape \[3\] for output 0 \('y'\)"):
        odd(rank_one, model)(np.ones((2, 2), np.float32))


def test_output_check_on_its_own() -> None:
    """Device authors can run the check in their own tests."""
    model = two_output_model()
    check = OutputCheck("MINE", model.outputs)
    assert repr(check) == "<OutputCheck MINE: 2 outputs>"
    good = _right([ov.Tensor(X)])
    assert check(good) == good
    assert check(tuple(good)) == good
    with pytest.raises(RuntimeError, match="The MINE device returned 0 tensors"):
        check([])


def test_a_failed_run_keeps_the_request_usable(odd) -> None:
    calls = []

    def flaky(inputs):
        calls.append(1)
        return _right(inputs)[:1] if len(calls) == 1 else _right(inputs)

    compiled = odd(flaky)
    request = compiled.create_infer_request()
    with pytest.raises(RuntimeError, match="is missing"):
        request.infer(X)
    np.testing.assert_array_equal(request.infer(X)["y"], X + 1)
    np.testing.assert_array_equal(request.get_output_tensor(1).data, X > 2)
