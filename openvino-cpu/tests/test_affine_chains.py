"""Standalone per-channel elementwise chains (DenseNet's BatchNorm, Multiply, Add, ReLU
before each convolution) run as one pass: the Multiply / Add fold into the batch norm's
scale and shift (``compiler/lower_eltwise.py``); against the TEMPLATE reference with odd
and zero-sized shapes, on the AVX2 and the AVX-512 code paths."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset1 as ops1
import openvino.opset13 as ops


def _bn(x, c: int, rng, v0: bool = False):
    gamma = rng.uniform(0.5, 1.5, c).astype(np.float32)
    beta = rng.uniform(-0.5, 0.5, c).astype(np.float32)
    mean = rng.uniform(-0.5, 0.5, c).astype(np.float32)
    var = rng.uniform(0.5, 1.5, c).astype(np.float32)
    if v0:
        return ops1.batch_norm_inference(x, gamma, beta, mean, var, 1e-5)
    return ops.batch_norm_inference(x, gamma, beta, mean, var, 1e-5)


def _chan(rng, c: int, rank: int, lead: int = 1) -> np.ndarray:
    return rng.uniform(-1.5, 1.5, (c,) + (1,) * (rank - 2)).astype(np.float32).reshape(
        (1,) * lead + (c,) + (1,) * (rank - 2))


def _steps(core, model) -> list:
    return [i for i in plan_of(core.compile_model(model, "CPU")).info]


@pytest.mark.parametrize("shape", [[1, 64, 56, 56], [2, 37, 7, 5], [1, 3, 1, 1], [3, 5, 11],
                                   [2, 6]])
@pytest.mark.parametrize("v0", [False, True])
def test_densenet_bn_mul_add_relu_is_one_step(runner, core, isa_level, shape, v0) -> None:
    rng = np.random.default_rng(len(shape) * 10 + shape[1])
    rank = len(shape)
    c = shape[1]
    x = ops.parameter(shape, np.float32)
    y = _bn(x, c, rng, v0)
    y = ops.multiply(y, ops.constant(_chan(rng, c, rank)))
    y = ops.add(ops.constant(_chan(rng, c, rank, lead=0)), y)
    y = ops.relu(y)
    model = ov.Model([y], [x])
    runner.check(model, [rng.standard_normal(shape).astype(np.float32)], rtol=1e-5,
                 atol=1e-5)
    steps = _steps(core, model)
    assert len(steps) == 1, [s.type for s in steps]


@pytest.mark.parametrize("tail", ["subtract", "subtract_swapped", "scalar_multiply",
                                  "spatial_add", "sigmoid_then_mul", "many"])
def test_bn_tails(runner, isa_level, tail) -> None:
    rng = np.random.default_rng(7)
    shape = [2, 9, 5, 7]
    x = ops.parameter(shape, np.float32)
    y = _bn(x, 9, rng)
    if tail == "subtract":
        y = ops.subtract(y, ops.constant(_chan(rng, 9, 4)))
    elif tail == "subtract_swapped":
        y = ops.subtract(ops.constant(_chan(rng, 9, 4)), y)
    elif tail == "scalar_multiply":
        y = ops.add(ops.multiply(y, ops.constant(np.float32(0.3))),
                    ops.constant(np.float32(-0.2)))
    elif tail == "spatial_add":  # varies over H, W: stays a post op after the folded part
        y = ops.add(ops.multiply(y, ops.constant(_chan(rng, 9, 4))),
                    ops.constant(rng.standard_normal((1, 1, 5, 7)).astype(np.float32)))
    elif tail == "sigmoid_then_mul":  # nothing to fold after a non-linear step
        y = ops.multiply(ops.sigmoid(y), ops.constant(_chan(rng, 9, 4)))
    else:  # more tail steps than one kernel step holds
        for i in range(4):
            y = ops.relu(ops.add(ops.multiply(ops.sigmoid(y), ops.constant(_chan(rng, 9, 4))),
                                 ops.constant(np.float32(0.1 * i))))
    model = ov.Model([y], [x])
    runner.check(model, [rng.standard_normal(shape).astype(np.float32)], rtol=1e-5,
                 atol=1e-5)


@pytest.mark.parametrize("shape", [[0, 4, 3, 3], [2, 4, 0, 3]])
def test_bn_chain_zero_sized(runner, shape) -> None:
    rng = np.random.default_rng(1)
    x = ops.parameter(shape, np.float32)
    y = ops.relu(ops.add(ops.multiply(_bn(x, 4, rng), ops.constant(_chan(rng, 4, 4))),
                         ops.constant(_chan(rng, 4, 4))))
    runner.check(ov.Model([y], [x]), [np.zeros(shape, np.float32)])


def test_bn_value_used_twice_is_not_folded(runner, core) -> None:
    """The BN output feeding two consumers keeps its own value; the Multiply runs apart."""
    rng = np.random.default_rng(2)
    shape = [1, 6, 4, 4]
    x = ops.parameter(shape, np.float32)
    bn = _bn(x, 6, rng)
    y1 = ops.multiply(bn, ops.constant(_chan(rng, 6, 4)))
    y2 = ops.relu(bn)
    model = ov.Model([y1, y2], [x])
    runner.check(model, [rng.standard_normal(shape).astype(np.float32)], rtol=1e-5,
                 atol=1e-5)


@pytest.mark.parametrize("shape", [[1, 256, 56, 56], [2, 37, 31, 17], [3, 1023, 7, 7],
                                   [1, 5, 3, 3], [2, 3, 4099], [1, 17, 1, 1]])
@pytest.mark.parametrize("tail", ["relu", "relu6", "clamp", "none"])
def test_bn_affine_pass(runner, core, isa_level, shape, tail) -> None:
    """The one-pass affine kernel (scale, shift, then ReLU or a clamp) over runs of the
    flat tensor that start and end inside rows and batches (several threads), against
    the reference; NaN passes through as the reference's ReLU / clamp leave it."""
    rng = np.random.default_rng(sum(shape) + len(tail))
    rank, c = len(shape), shape[1]
    x = ops.parameter(shape, np.float32)
    y = _bn(x, c, rng)
    y = ops.add(ops.multiply(y, ops.constant(_chan(rng, c, rank))),
                ops.constant(_chan(rng, c, rank)))
    if tail == "relu":
        y = ops.relu(y)
    elif tail == "relu6":
        y = ops.clamp(y, 0.0, 6.0)
    elif tail == "clamp":
        y = ops.clamp(y, -0.25, 0.5)
    model = ov.Model([y], [x])
    data = rng.standard_normal(shape).astype(np.float32)
    if tail in ("relu", "none"):
        data.reshape(-1)[rng.integers(0, data.size, 5)] = np.nan
    runner.check(model, [unaligned(data)], rtol=1e-5, atol=1e-5)
    steps = _steps(core, model)
    assert len(steps) == 1 and steps[0].exec_type == "jit_eltwise_f32", steps
