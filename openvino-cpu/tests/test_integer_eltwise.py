"""Integer arithmetic and boolean logic in C (``kernels/ieltwise.c``) against the TEMPLATE
reference: i32 / i64 with broadcasting, wrapping overflow, FloorMod signs and zero divisors,
LogicalAnd / Or / Xor / Not, odd and zero-sized shapes, unaligned inputs."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset13 as ops


def _exec_types(core, model) -> list[str]:
    return [i.exec_type for i in plan_of(core.compile_model(model, "CPU")).info]


@pytest.mark.parametrize("fn", ["add", "subtract", "multiply", "maximum", "minimum",
                                "floor_mod"])
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
@pytest.mark.parametrize("a_shape,b_shape", [([2, 3, 4], [2, 3, 4]), ([5, 1, 7], [3, 1]),
                                             ([9], []), ([1, 4, 1, 3, 1, 2, 2], [4, 1, 1, 1, 2]),
                                             ([0, 3], [3])])
def test_integer_binary(runner, core, fn, dtype, a_shape, b_shape) -> None:
    rng = np.random.default_rng(len(a_shape) * 7 + len(b_shape))
    info = np.iinfo(dtype)
    a = ops.parameter(a_shape, dtype)
    b = ops.parameter(b_shape, dtype)
    model = ov.Model([getattr(ops, fn)(a, b)], [a, b])
    av = rng.integers(-50, 50, a_shape).astype(dtype)
    bv = rng.integers(-9, 9, b_shape).astype(dtype)
    if fn == "floor_mod":
        bv[bv == 0] = 5
    if av.size:  # overflow wraps
        av.reshape(-1)[0] = info.max
        av.reshape(-1)[-1] = info.min
    runner.check(model, [unaligned(av, offset=1), unaligned(bv, offset=1)])
    if av.size and bv.size:
        assert "ref_python" not in _exec_types(core, model)


def test_floor_mod_signs(runner) -> None:
    a = ops.parameter([7], np.int32)
    b = ops.parameter([7], np.int32)
    model = ov.Model([ops.floor_mod(a, b)], [a, b])
    av = np.array([7, -7, 7, -7, np.iinfo(np.int32).min, 0, 9], np.int32)
    bv = np.array([3, 3, -3, -3, -1, 4, -1], np.int32)
    got = runner.check(model, [av, bv])[0]
    np.testing.assert_array_equal(got, [1, 2, -2, -1, 0, 0, 0])


def test_floor_mod_by_zero_fails_like_the_reference(runner) -> None:
    a = ops.parameter([3], np.int64)
    b = ops.parameter([3], np.int64)
    model = ov.Model([ops.floor_mod(a, b)], [a, b])
    feeds = [np.array([1, 2, 3], np.int64), np.array([1, 0, 2], np.int64)]
    for run in (runner.cpu, runner.reference):
        with pytest.raises(RuntimeError, match="integer division by zero"):
            run(model, feeds)


@pytest.mark.parametrize("fn", ["logical_and", "logical_or", "logical_xor", "logical_not"])
@pytest.mark.parametrize("a_shape,b_shape", [([3, 17], [3, 17]), ([2, 1, 5], [4, 1]),
                                             ([0, 2], [2])])
def test_logical(runner, core, fn, a_shape, b_shape) -> None:
    rng = np.random.default_rng(3)
    a = ops.parameter(a_shape, np.bool_)
    params = [a]
    feeds = [unaligned(rng.random(a_shape) > 0.5, offset=1)]
    if fn == "logical_not":
        y = ops.logical_not(a)
    else:
        b = ops.parameter(b_shape, np.bool_)
        params.append(b)
        feeds.append(unaligned(rng.random(b_shape) > 0.5, offset=1))
        y = getattr(ops, fn)(a, b)
    model = ov.Model([y], params)
    runner.check(model, feeds)
    if feeds[0].size:
        assert "ref_python" not in _exec_types(core, model)


def test_float_arithmetic_keeps_its_kernel(core) -> None:
    a = ops.parameter([4], np.float32)
    model = ov.Model([ops.add(a, a)], [a])
    assert _exec_types(core, model) == ["jit_eltwise_f32"]
