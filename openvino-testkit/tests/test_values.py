"""Element values through the public Tensor API, every element type, and comparing them."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino_testkit.compare import mismatch
from openvino_testkit.op_cases._case import ALL_TYPES
from openvino_testkit.tolerances import (
    EXACT,
    Tolerance,
    compute_type,
    inference_precision,
    op_tolerance,
)
from openvino_testkit.values import from_tensor, random_values, to_tensor


@pytest.mark.parametrize("et", ALL_TYPES, ids=str)
@pytest.mark.parametrize("shape", [[], [0, 3], [3, 5], [7]], ids=str)
def test_round_trip(et: ov.Type, shape: list[int]) -> None:
    rng = np.random.default_rng(1)
    values = random_values(rng, et, shape, -4, 4)
    assert values.shape == tuple(shape)
    tensor = to_tensor(values, et)
    assert tensor.get_element_type() == et
    assert list(tensor.get_shape()) == shape
    back = from_tensor(tensor)
    assert mismatch(back, values, EXACT) is None


def test_random_values_respect_range_and_type() -> None:
    rng = np.random.default_rng(0)
    assert random_values(rng, ov.Type.u8, [100], -5, 5).min() >= 0
    v = random_values(rng, ov.Type.f16, [1000], 0.5, 2.0)
    assert v.min() >= 0.5 and v.max() <= 2.0
    assert np.array_equal(v, v.astype(np.float16).astype(np.float64))
    i4 = random_values(rng, ov.Type.i4, [100], -100, 100)
    assert i4.min() >= -8 and i4.max() <= 7


def test_mismatch() -> None:
    tol = Tolerance(1e-3, 0.0)
    assert mismatch(np.array([1.0, np.nan, np.inf]), np.array([1.0005, np.nan, np.inf]),
                    tol) is None
    assert "1 of 3" in mismatch(np.array([1.0, 0.0, -np.inf]), np.array([1.0, np.nan, -np.inf]),
                                tol)
    assert "shape" in mismatch(np.zeros(3), np.zeros(4), tol)
    assert mismatch(np.array([1, 2], np.int32), np.array([1, 3], np.int32), EXACT)
    assert mismatch(np.array(["a"]), np.array(["b"]), EXACT)
    assert mismatch(np.zeros((0, 2)), np.zeros((0, 2)), EXACT) is None


def test_tolerance_table() -> None:
    assert op_tolerance("Add", "i32").exact
    assert op_tolerance("Transpose", "f32").exact
    assert op_tolerance("MatMul", "f16").rtol >= op_tolerance("Add", "f16").rtol
    assert not op_tolerance("Exp", "f32").exact


class _Compiled:
    def __init__(self, hint: object) -> None:
        self.hint = hint

    def get_property(self, key: str) -> object:
        if isinstance(self.hint, Exception):
            raise self.hint
        return self.hint


def test_low_precision_devices_get_that_row() -> None:
    assert inference_precision(_Compiled(ov.Type.f16)) == "f16"
    assert inference_precision(_Compiled(ov.Type.bf16)) == "bf16"
    assert inference_precision(_Compiled(ov.Type.f32)) is None
    assert inference_precision(_Compiled(RuntimeError("unsupported property"))) is None
    assert compute_type("f32", "f16") == "f16"
    assert compute_type("i32", "f16") == "i32"
    assert compute_type("f32", None) == "f32"
