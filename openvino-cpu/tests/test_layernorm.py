"""LayerNorm as exported (MVN over the trailing axes, then Multiply by gamma and Add beta)
runs as one MVN step whose affine tail is applied in the pass that writes the output
(``kernels/norm.c``); other post ops follow it. Against the TEMPLATE reference on random
and odd row lengths and counts (parallel row blocks and the serial path), per-column and
scalar gamma / beta, only one of them, both orders of operands, a tail after them, the
three MVN modes, unaligned inputs and the AVX2 / AVX-512 paths."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, rand, unaligned

import openvino as ov
import openvino.opset13 as ops


def _layernorm(shape, axes=(-1,), normalize=True, mode="inside_sqrt", gamma="col",
               beta="col", tail=None, swap=False, seed=0):
    x = ops.parameter(list(shape), np.float32)
    y = ops.mvn(x, ops.constant(np.array(axes, np.int64)), normalize, 1e-5, mode)
    n = shape[-1]

    def operand(kind, s):
        if kind == "col":
            return ops.constant(rand(n, seed=s, low=0.5, high=1.5))
        return ops.constant(np.float32(0.75 + s * 0.1))

    if gamma:
        g = operand(gamma, seed + 1)
        y = ops.multiply(g, y) if swap else ops.multiply(y, g)
    if beta:
        b = operand(beta, seed + 2)
        y = ops.add(b, y) if swap else ops.add(y, b)
    if tail == "relu":
        y = ops.relu(y)
    elif tail == "gelu":
        y = ops.gelu(y, "erf")
    return ov.Model([y], [x])


def _types(core, model):
    return [i.type for i in plan_of(core.compile_model(model, "CPU")).info]


@pytest.mark.parametrize("shape", [(4, 128, 384), (3, 7, 33), (1, 1, 1), (2, 9, 17),
                                   (700, 40), (5, 2000)])
@pytest.mark.parametrize("gamma,beta", [("col", "col"), ("scalar", "col"), ("col", None),
                                        (None, "scalar"), (None, None)])
def test_layernorm_affine(runner, core, isa_level, shape, gamma, beta) -> None:
    model = _layernorm(shape, gamma=gamma, beta=beta, seed=len(shape))
    runner.check(model, [unaligned(rand(*shape, low=-3, high=5, seed=7))],
                 rtol=1e-4, atol=1e-5)
    assert _types(core, model) == ["MVN"]


@pytest.mark.parametrize("normalize,mode", [(True, "inside_sqrt"), (True, "outside_sqrt"),
                                            (False, "inside_sqrt")])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("tail", [None, "relu", "gelu"])
def test_layernorm_modes_and_tails(runner, isa_level, normalize, mode, swap, tail) -> None:
    model = _layernorm((6, 70, 48), normalize=normalize, mode=mode, tail=tail, swap=swap)
    runner.check(model, [rand(6, 70, 48, low=-2, high=3, seed=3)], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("seed", range(5))
def test_layernorm_random_geometry(runner, isa_level, seed) -> None:
    rng = np.random.default_rng(40 + seed)
    shape = tuple(int(rng.integers(1, 60)) for _ in range(int(rng.integers(1, 4))))
    shape = shape + (int(rng.integers(1, 300)),)
    kinds = ["col", "scalar", None]
    model = _layernorm(shape, axes=(-1,) if seed % 2 else (len(shape) - 1,),
                       gamma=kinds[seed % 3], beta=kinds[(seed + 1) % 3],
                       tail="relu" if seed == 4 else None, seed=seed)
    runner.check(model, [unaligned(rand(*shape, low=-4, high=4, seed=seed))],
                 rtol=1e-4, atol=1e-5)


def test_layernorm_empty_rows(core) -> None:
    model = _layernorm((0, 16))
    out = core.compile_model(model, "CPU")([np.zeros((0, 16), np.float32)])[0]
    assert out.shape == (0, 16)


def test_layernorm_of_constant_rows(runner) -> None:
    """Zero variance: y = beta (eps keeps it finite), as the reference."""
    model = _layernorm((8, 64))
    runner.check(model, [np.full((8, 64), 2.5, np.float32)], rtol=1e-5, atol=1e-5)
