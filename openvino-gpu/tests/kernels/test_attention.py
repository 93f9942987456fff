"""ScaledDotProductAttention kernel (kernels/attention.cl) against the TEMPLATE reference:
key lengths below, at and over one chunk, boolean/float/broadcast masks, causal, explicit
scale, batch broadcasting, wide value heads."""

import numpy as np
import pytest
from kernel_harness import check

import openvino as ov
import openvino.opset13 as ops

RNG = np.random.default_rng(21)


def _x(shape):
    return RNG.uniform(-1, 1, shape).astype(np.float32)


def _p(shape):
    return ops.parameter(list(shape), ov.Type.f32)


@pytest.mark.parametrize("L,S,E,Ev", [(5, 7, 8, 8), (3, 64, 16, 16), (4, 150, 32, 40),
                                      (1, 9, 3, 130), (6, 1, 4, 4)])
def test_sdpa_plain(gpu, L, S, E, Ev, precision):
    q, k, v = (2, 3, L, E), (2, 3, S, E), (2, 3, S, Ev)
    node = ops.scaled_dot_product_attention(_p(q), _p(k), _p(v))
    tol = {} if precision == "f32" else {"rtol": 2e-2, "atol": 2e-2}
    check(gpu, node, [_x(q), _x(k), _x(v)], precision, **tol)


@pytest.mark.parametrize("L,S", [(5, 5), (3, 70), (7, 4)])
def test_sdpa_causal(gpu, L, S, precision):
    q, k, v = (1, 2, L, 8), (1, 2, S, 8), (1, 2, S, 6)
    node = ops.scaled_dot_product_attention(_p(q), _p(k), _p(v), causal=True)
    tol = {} if precision == "f32" else {"rtol": 2e-2, "atol": 2e-2}
    check(gpu, node, [_x(q), _x(k), _x(v)], precision, **tol)


@pytest.mark.parametrize("mask_shape", [(1, 1, 4, 70), (2, 1, 1, 70), (70,), (4, 1)])
def test_sdpa_masks(gpu, mask_shape):
    q, k, v = (2, 3, 4, 8), (2, 3, 70, 8), (2, 3, 70, 8)
    bool_mask = ops.parameter(list(mask_shape), ov.Type.boolean)
    mb = RNG.random(mask_shape) < 0.8
    mb[..., 0] = True  # no fully masked rows
    node = ops.scaled_dot_product_attention(_p(q), _p(k), _p(v), bool_mask)
    check(gpu, node, [_x(q), _x(k), _x(v), mb])
    float_mask = _p(mask_shape)
    node = ops.scaled_dot_product_attention(_p(q), _p(k), _p(v), float_mask)
    check(gpu, node, [_x(q), _x(k), _x(v), _x(mask_shape) * 3])


def test_sdpa_scale_and_batch_broadcast(gpu, precision):
    q, k, v = (2, 4, 5, 16), (1, 4, 9, 16), (2, 1, 9, 16)
    node = ops.scaled_dot_product_attention(_p(q), _p(k), _p(v), None,
                                            ops.constant(np.float32(0.3)))
    tol = {} if precision == "f32" else {"rtol": 2e-2, "atol": 2e-2}
    check(gpu, node, [_x(q), _x(k), _x(v)], precision, **tol)


def test_sdpa_scale_tensor(gpu, precision):
    q, k, v = (1, 2, 3, 8), (1, 2, 5, 8), (1, 2, 5, 8)
    scale = ops.parameter([], ov.Type.f32)
    node = ops.scaled_dot_product_attention(_p(q), _p(k), _p(v), _p((3, 5)), scale)
    tol = {} if precision == "f32" else {"rtol": 2e-2, "atol": 2e-2}
    check(gpu, node, [_x(q), _x(k), _x(v), _x((3, 5)), np.float32(0.7)], precision, **tol)
