"""Depthwise convolutions (OV_K_DWCONV, ``kernels/conv.c``) against the TEMPLATE reference:
the flattened 3x3 path for rows shorter than 32 outputs (stride 1 over one padded plane,
stride 2 over four polyphase planes, the channel bias and ReLU / clamp fused into the crop)
and the row-wise paths for wider planes, kernel sizes and dilations; random shapes with odd
sizes and asymmetric pads, every post-op chain kind, batches (the epilogue's per-image
operands), zero-sized batches and unaligned inputs, on the instruction-set paths."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import rand, unaligned

import openvino as ov
import openvino.opset13 as ops


def _dw(n, c, hw, k=3, stride=1, pads=((1, 1), (1, 1)), dil=1, tail="bias_relu", seed=0):
    x = ops.parameter([n, c, *hw], np.float32)
    w = ops.constant(rand(c, 1, 1, k, k, seed=seed))
    (pt, pl), (pb, pr) = pads
    y = ops.group_convolution(x, w, [stride, stride], [pt, pl], [pb, pr], [dil, dil])
    params, inputs = [x], [rand(n, c, *hw, seed=seed + 1)]
    if tail in ("bias_relu", "bias_clamp", "bias_residual"):
        y = ops.add(y, ops.constant(rand(1, c, 1, 1, seed=seed + 2)))
    if tail == "bias_residual":
        shape = list(y.get_output_partial_shape(0).to_shape())
        r = ops.parameter(shape, np.float32)
        params.append(r)
        inputs.append(rand(*shape, seed=seed + 3))
        y = ops.add(y, r)
    if tail == "bias_relu":
        y = ops.relu(y)
    if tail == "bias_clamp":
        y = ops.clamp(y, -0.5, 0.75)
    if tail == "sigmoid":
        y = ops.sigmoid(y)
    return ov.Model([y], params), inputs


TAILS = ["none", "bias_relu", "bias_clamp", "bias_residual", "sigmoid"]


@pytest.mark.parametrize("tail", TAILS)
@pytest.mark.parametrize("case", [
    # n, c, hw, k, stride, pads, dil
    (1, 9, (7, 7), 3, 1, ((1, 1), (1, 1)), 1),
    (2, 5, (14, 14), 3, 2, ((1, 1), (1, 1)), 1),
    (2, 4, (13, 9), 3, 2, ((0, 2), (1, 0)), 1),
    (1, 3, (5, 31), 3, 1, ((2, 0), (0, 2)), 1),
    (1, 6, (40, 70), 3, 1, ((1, 1), (1, 1)), 1),
    (1, 6, (40, 70), 3, 2, ((1, 1), (1, 1)), 1),
    (1, 4, (11, 11), 3, 1, ((2, 2), (2, 2)), 2),
    (1, 4, (12, 10), 5, 2, ((2, 2), (2, 2)), 1),
    (1, 2, (1, 1), 3, 1, ((1, 1), (1, 1)), 1),
])
def test_depthwise_paths(runner, isa_level, case, tail) -> None:
    n, c, hw, k, stride, pads, dil = case
    model, inputs = _dw(n, c, hw, k, stride, pads, dil, tail, seed=c + k)
    runner.check(model, inputs, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("seed", range(12))
def test_depthwise_random_small_planes(runner, isa_level, seed) -> None:
    rng = np.random.default_rng(900 + seed)
    stride = int(rng.integers(1, 3))
    pads = tuple(tuple(int(p) for p in rng.integers(0, 3, 2)) for _ in range(2))
    h, w = int(rng.integers(2, 36)), int(rng.integers(2, 66))
    if h + pads[0][0] + pads[1][0] < 3 or w + pads[0][1] + pads[1][1] < 3:
        h, w = h + 3, w + 3
    model, inputs = _dw(int(rng.integers(1, 3)), int(rng.integers(1, 20)), (h, w), 3, stride,
                        pads, 1, str(rng.choice(TAILS)), seed=seed)
    runner.check(model, inputs, rtol=1e-5, atol=1e-5)


def test_depthwise_zero_batch_and_unaligned(runner, core, isa_level) -> None:
    model, _ = _dw(0, 6, (9, 9))
    assert runner.cpu(model, [np.zeros((0, 6, 9, 9), np.float32)])[0].shape == (0, 6, 9, 9)
    for stride in (1, 2):
        model, inputs = _dw(1, 7, (11, 13), stride=stride, seed=stride)
        req = core.compile_model(model, "CPU").create_infer_request()
        got = np.asarray(req.infer([unaligned(inputs[0])], share_inputs=True)[0])
        np.testing.assert_allclose(got, runner.reference(model, inputs)[0], rtol=1e-5,
                                   atol=1e-5)
