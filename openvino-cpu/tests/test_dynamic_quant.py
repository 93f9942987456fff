"""Dynamic quantisation of matmul inputs for compressed weights (the CPU property
``DYNAMIC_QUANTIZATION_GROUP_SIZE``, default 32 as in OpenVINO's CPU plugin): the kernel
against a numpy emulation of the same arithmetic (int8 activations per group of K, integer
dot products with the codes) on randomized shapes, odd and zero-sized ones and unaligned
inputs, on the AVX-512 (AVX512-VNNI) and the AVX2 (AVX-VNNI) paths; 0, f16 weights and
machines without VNNI keep the exact f32 path."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, unaligned

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu._native import lib

RANGES = {"u8": (0, 255), "i8": (-128, 127), "u4": (0, 15), "i4": (-8, 7)}


@pytest.fixture
def dq_isa(isa_level):
    """The AVX2 (AVX-VNNI) and AVX-512 (AVX512-VNNI) paths, skipped without VNNI."""
    if lib.ov_gemm_dq_isa() == 0:
        pytest.skip(f"no VNNI integer dot products at instruction set level {isa_level}")
    return isa_level


def _weights(qtype: str, n: int, k: int, group: int | None, zero_point: bool, seed: int):
    """codes [n, k], zero points and scales [n, G, 1] (or [n, 1]), and the f32 [k, n]
    weights they stand for."""
    rng = np.random.default_rng(seed)
    lo, hi = RANGES[qtype]
    dt = np.int8 if qtype in ("i8", "i4") else np.uint8
    G = k // group if group else 1
    codes = rng.integers(lo, hi + 1, (n, k)).astype(dt)
    zp = rng.integers(lo, hi + 1, (n, G, 1)).astype(dt) if zero_point else None
    scale = (rng.random((n, G, 1)) * 0.02 + 0.001).astype(np.float32)
    w = codes.reshape(n, G, k // G).astype(np.float32)
    if zp is not None:
        w = w - zp.astype(np.float32)
    w = (w * scale).reshape(n, k)
    return codes, zp, scale, np.ascontiguousarray(w.T)


def _model(qtype: str, codes, zp, scale, xshape, group: int | None, transpose_a=False,
           bias=None, gelu=False, residual=False) -> ov.Model:
    n, k = codes.shape
    G = k // group if group else 1
    et = ov.Type(qtype)
    x = ops.parameter(xshape, np.float32, name="x")
    w = ops.convert(ops.constant(codes.reshape(n, G, k // G), et), ov.Type.f32)
    if zp is not None:
        w = ops.subtract(w, ops.convert(ops.constant(zp, et), ov.Type.f32))
    w = ops.multiply(w, ops.constant(scale))
    w = ops.reshape(w, ops.constant(np.array([n, k], np.int64)), False)
    y = ops.matmul(x, w, transpose_a, True)
    params = [x]
    if bias is not None:
        y = ops.add(y, ops.constant(bias))
    if gelu:
        y = ops.gelu(y, "erf")
    if residual:
        r = ops.parameter(list(y.get_output_partial_shape(0).to_shape()), np.float32, name="r")
        y = ops.add(y, r)
        params.append(r)
    return ov.Model([y], params)


def _emulate(x: np.ndarray, w: np.ndarray, g: int) -> np.ndarray:
    """x [M, K] quantised to int8 per group of g along K (symmetric, round to nearest even),
    times w [K, N] in float64."""
    M, K = x.shape
    kp = (K + g - 1) // g * g
    xp = np.zeros((M, kp), np.float32)
    xp[:, :K] = x
    grp = xp.reshape(M, kp // g, g)
    amax = np.abs(grp).max(axis=2, keepdims=True).astype(np.float32)
    safe = np.where(amax > 0, amax, np.float32(1))
    inv = np.float32(127) / safe
    q = np.clip(np.rint(grp * inv), -127, 127)
    sa = np.where(amax > 0, amax / np.float32(127), 0).astype(np.float32)
    xq = (q.astype(np.float64) * sa.astype(np.float64)).reshape(M, kp)[:, :K]
    return xq @ w.astype(np.float64)


def _exec_types(compiled) -> list[str]:
    return [i.exec_type for i in plan_of(compiled).info]


CASES = [  # qtype, M, K, N, weight group, zero point, activation group
    ("u4", 64, 128, 96, 32, True, 32),
    ("u4", 97, 384, 70, 128, True, 32),
    ("i4", 13, 96, 33, 32, False, 32),
    ("u8", 50, 72, 40, None, True, 32),
    ("i8", 7, 40, 17, None, False, 32),
    ("u8", 3, 256, 64, 64, False, 64),
    ("i4", 1, 136, 1, None, True, 32),
    ("u4", 6, 48, 32, 16, True, 16),
    ("i8", 37, 200, 65, None, True, 192),  # K not a multiple of the group: zero padding
    ("u4", 130, 1536, 384, 128, True, 32),
]


@pytest.mark.parametrize("qtype,M,K,N,group,zero_point,g", CASES,
                         ids=[f"{c[0]}-{c[1]}x{c[2]}x{c[3]}-g{c[4]}-z{int(c[5])}-dq{c[6]}"
                              for c in CASES])
def test_dq_matches_emulation(core, dq_isa, qtype, M, K, N, group, zero_point, g) -> None:
    codes, zp, scale, w = _weights(qtype, N, K, group, zero_point, seed=M + K + N)
    model = _model(qtype, codes, zp, scale, [M, K], group)
    x = np.random.default_rng(M * K).standard_normal((M, K)).astype(np.float32)
    x[0, : min(K, 9)] *= 40.0  # one group with a large outlier
    compiled = core.compile_model(model, "CPU", {"DYNAMIC_QUANTIZATION_GROUP_SIZE": g})
    assert _exec_types(compiled) == [f"jit_gemm_{qtype}_dynamic_quant_i8"]
    got = compiled({0: unaligned(x)})[0]
    want = _emulate(x, w, g)
    scale_of = np.abs(want).max()
    np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-5 * scale_of)
    exact = x.astype(np.float64) @ w
    # and the quantisation error is what int8 activations give: ~1% of the output range
    assert np.abs(got - exact).max() <= 0.03 * np.abs(exact).max()


def test_dq_3d_input_with_fused_bias_gelu_and_residual(core, dq_isa) -> None:
    codes, zp, scale, w = _weights("u4", 48, 64, 32, True, seed=3)
    bias = np.random.default_rng(4).standard_normal(48).astype(np.float32)
    model = _model("u4", codes, zp, scale, [2, 5, 64], 32, bias=bias, gelu=True,
                   residual=True)
    x = np.random.default_rng(5).standard_normal((2, 5, 64)).astype(np.float32)
    r = np.random.default_rng(6).standard_normal((2, 5, 48)).astype(np.float32)
    compiled = core.compile_model(model, "CPU")
    assert _exec_types(compiled) == ["jit_gemm_u4_dynamic_quant_i8"]
    got = compiled({0: x, 1: unaligned(r)})[0]
    from math import erf, sqrt

    pre = _emulate(x.reshape(10, 64), w, 32).reshape(2, 5, 48) + bias
    gelu = np.vectorize(lambda v: 0.5 * v * (1.0 + erf(v / sqrt(2.0))))(pre)
    np.testing.assert_allclose(got, gelu + r, rtol=1e-4, atol=1e-4)


def test_dq_transposed_input(core, dq_isa) -> None:
    codes, zp, scale, w = _weights("i4", 20, 40, None, False, seed=8)
    model = _model("i4", codes, zp, scale, [40, 9], None, transpose_a=True)
    xt = np.random.default_rng(9).standard_normal((40, 9)).astype(np.float32)
    compiled = core.compile_model(model, "CPU")
    assert _exec_types(compiled) == ["jit_gemm_i4_dynamic_quant_i8"]
    got = compiled({0: xt})[0]
    want = _emulate(np.ascontiguousarray(xt.T), w, 32)
    np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-5 * np.abs(want).max())


def test_dq_zero_rows_and_zero_groups(core, dq_isa) -> None:
    codes, zp, scale, w = _weights("u8", 16, 64, None, True, seed=10)
    model = _model("u8", codes, zp, scale, [-1, 64], None)
    compiled = core.compile_model(model, "CPU")
    assert compiled({0: np.zeros((0, 64), np.float32)})[0].shape == (0, 16)
    x = np.zeros((3, 64), np.float32)
    x[1, 40:] = 1.5  # the first group all zero, the second not
    got = compiled({0: x})[0]
    np.testing.assert_array_equal(got[0], np.zeros(16, np.float32))
    np.testing.assert_allclose(got, _emulate(x, w, 32), rtol=2e-5,
                               atol=1e-5 * np.abs(got).max())


def test_dq_off_and_f16_weights_stay_exact(core, dq_isa) -> None:
    codes, zp, scale, w = _weights("u4", 24, 64, 32, True, seed=11)
    model = _model("u4", codes, zp, scale, [5, 64], 32)
    x = np.random.default_rng(12).standard_normal((5, 64)).astype(np.float32)
    compiled = core.compile_model(model, "CPU", {"DYNAMIC_QUANTIZATION_GROUP_SIZE": 0})
    assert _exec_types(compiled) == ["jit_gemm_u4_decompress_f32"]
    np.testing.assert_allclose(compiled({0: x})[0], x.astype(np.float64) @ w, rtol=1e-5,
                               atol=1e-5)
    xf = ops.parameter([3, 16], np.float32)
    wf = ops.convert(ops.constant(np.ones((16, 8), np.float16)), ov.Type.f32)
    f16 = core.compile_model(ov.Model([ops.matmul(xf, wf, False, False)], [xf]), "CPU")
    assert _exec_types(f16) == ["jit_gemm_f16_decompress_f32"]


@pytest.mark.parametrize("group,g", [(12, 32), (None, 8), (None, 24), (None, 64),
                                     (16, 32), (None, 1 << 40)])
def test_groups_openvino_does_not_quantise_run_f32(core, dq_isa, group, g) -> None:
    """As OpenVINO's CPU plugin: the activation group must be a multiple of 16, at most K
    and, with grouped weights, divide their group size; otherwise the exact f32 path."""
    codes, zp, scale, w = _weights("u4", 8, 48, group, True, seed=13)
    model = _model("u4", codes, zp, scale, [4, 48], group)
    compiled = core.compile_model(model, "CPU", {"DYNAMIC_QUANTIZATION_GROUP_SIZE": g})
    assert _exec_types(compiled) == ["jit_gemm_u4_decompress_f32"]
    x = np.random.default_rng(14).standard_normal((4, 48)).astype(np.float32)
    np.testing.assert_allclose(compiled({0: x})[0], x.astype(np.float64) @ w, rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize("level", [0, 3])
def test_dq_without_vnni_runs_exact_f32(core, level) -> None:
    detected = lib.ov_set_isa(2)
    try:
        lib.ov_set_isa(level)
        codes, zp, scale, w = _weights("i8", 10, 32, None, True, seed=15)
        compiled = core.compile_model(_model("i8", codes, zp, scale, [3, 32], None), "CPU")
        assert _exec_types(compiled) == ["jit_gemm_i8_decompress_f32"]
        x = np.random.default_rng(16).standard_normal((3, 32)).astype(np.float32)
        np.testing.assert_allclose(compiled({0: x})[0], x.astype(np.float64) @ w,
                                   rtol=1e-5, atol=1e-5)
    finally:
        lib.ov_set_isa(detected)


def test_plan_packed_for_another_isa_is_refused(core, dq_isa) -> None:
    codes, zp, scale, _ = _weights("u4", 16, 32, None, True, seed=17)
    compiled = core.compile_model(_model("u4", codes, zp, scale, [2, 32], None), "CPU")
    other = 1 if dq_isa == 2 else 2
    if lib.ov_set_isa(other) != other or lib.ov_gemm_dq_isa() == 0:
        pytest.skip("no second VNNI instruction set here")
    with pytest.raises(RuntimeError, match="another instruction set"):
        compiled({0: np.ones((2, 32), np.float32)})


def test_property_default_and_values(core) -> None:
    assert core.get_property("CPU", "DYNAMIC_QUANTIZATION_GROUP_SIZE") == 32
    codes, zp, scale, _ = _weights("u8", 8, 16, None, False, seed=18)
    model = _model("u8", codes, zp, scale, [2, 16], None)
    compiled = core.compile_model(model, "CPU", {"DYNAMIC_QUANTIZATION_GROUP_SIZE": 64})
    assert compiled.get_property("DYNAMIC_QUANTIZATION_GROUP_SIZE") == 64
    with pytest.raises(RuntimeError):
        core.compile_model(model, "CPU", {"DYNAMIC_QUANTIZATION_GROUP_SIZE": "abc"})


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_dq_non_finite_input_gives_nan_rows(core, dq_isa, bad) -> None:
    """A NaN or infinity in a row makes that row's outputs NaN, never silently finite."""
    codes, zp, scale, w = _weights("u4", 40, 96, 32, True, seed=19)
    compiled = core.compile_model(_model("u4", codes, zp, scale, [4, 96], 32), "CPU")
    x = np.random.default_rng(20).standard_normal((4, 96)).astype(np.float32)
    x[2, 50] = bad
    got = compiled({0: x})[0]
    assert np.isnan(got[2]).all()
    keep = [0, 1, 3]
    np.testing.assert_allclose(got[keep], _emulate(x[keep], w, 32), rtol=2e-5,
                               atol=2e-5 * np.abs(got[keep]).max())


@pytest.mark.parametrize("mode", ["erf", "tanh"])
def test_dq_bias_gelu_epilogue(core, dq_isa, mode) -> None:
    """Bias then GELU (the FFN's first matmul): applied on each stored tile."""
    from math import erf, sqrt, tanh

    codes, zp, scale, w = _weights("u4", 70, 128, 32, True, seed=21)
    bias = np.random.default_rng(22).standard_normal(70).astype(np.float32)
    model = _model("u4", codes, zp, scale, [13, 128], 32, bias=bias)
    y = ops.gelu(model.get_results()[0].input_value(0), mode)
    model = ov.Model([y], model.get_parameters())
    compiled = core.compile_model(model, "CPU")
    assert _exec_types(compiled) == ["jit_gemm_u4_dynamic_quant_i8"]
    xv = np.random.default_rng(23).standard_normal((13, 128)).astype(np.float32)
    got = compiled({0: unaligned(xv)})[0]
    pre = _emulate(xv, w, 32) + bias
    if mode == "erf":
        want = np.vectorize(lambda v: 0.5 * v * (1.0 + erf(v / sqrt(2.0))))(pre)
    else:
        c = sqrt(2.0 / np.pi)
        want = np.vectorize(lambda v: 0.5 * v * (1.0 + tanh(c * (v + 0.044715 * v ** 3))))(pre)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("M,transpose_a", [(5, False), (97, False), (512, False),
                                           (523, False), (130, True)])
def test_dq_same_result_on_any_thread_count(core, dq_isa, M, transpose_a) -> None:
    """Row blocks balanced over the threads, each quantising its own rows (or, for a
    transposed input or few rows, a quantisation pass first): the same numbers on 1, 2
    and 3 threads, and as the emulation."""
    K, N = 384, 200
    codes, zp, scale, w = _weights("u4", N, K, 128, True, seed=M)
    xshape = [K, M] if transpose_a else [M, K]
    model = _model("u4", codes, zp, scale, xshape, 128, transpose_a=transpose_a)
    x = np.random.default_rng(M).standard_normal(xshape).astype(np.float32)
    got = [core.compile_model(model, "CPU", {"INFERENCE_NUM_THREADS": t})({0: x})[0]
           for t in (1, 2, 3)]
    np.testing.assert_array_equal(got[1], got[0])
    np.testing.assert_array_equal(got[2], got[0])
    want = _emulate(x.T if transpose_a else x, w, 32)
    np.testing.assert_allclose(got[0], want, rtol=2e-5, atol=2e-5 * np.abs(want).max())
