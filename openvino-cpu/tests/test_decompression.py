"""Compressed MatMul weights (f16, u8/i8, u4/i4; per-channel or grouped scales and zero
points) stay compressed in the plan and are expanded inside the matmul kernel. The exact
f32 path (``DYNAMIC_QUANTIZATION_GROUP_SIZE`` 0; the default quantises the input of integer
weights, see test_dynamic_quant)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, rand

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu._native import lib

EXACT = {"DYNAMIC_QUANTIZATION_GROUP_SIZE": 0}


def _compressed_model(qtype: str, group: int | None, zero_point: bool, n: int = 40, k: int = 64,
                      m: int = 5, chain: ov.Type = ov.Type.f32) -> ov.Model:
    """x @ dequantize(codes).T, the dequantisation computed in ``chain`` precision (f16
    rounds products of 8-bit codes, so the exact comparison uses f32 for those)."""
    rng = np.random.default_rng(0)
    lo, hi = {"u8": (0, 255), "i8": (-128, 127), "u4": (0, 15), "i4": (-8, 7)}[qtype]
    ot = ov.Type(qtype)
    x = ops.parameter([m, k], np.float32)
    if group:
        codes = rng.integers(lo, hi + 1, (n, k // group, group))
        sshape = (n, k // group, 1)
    else:
        codes = rng.integers(lo, hi + 1, (n, k))
        sshape = (n, 1)
    q = ops.constant(codes.astype(np.int8 if qtype in ("i8", "i4") else np.uint8), ot)
    w = ops.convert(q, chain)
    if zero_point:
        zp = ops.constant(rng.integers(lo, hi + 1, sshape).astype(
            np.int8 if qtype in ("i8", "i4") else np.uint8), ot)
        w = ops.subtract(w, ops.convert(zp, chain))
    scale = (rng.integers(1, 64, sshape) / 256).astype(chain.to_dtype())
    w = ops.multiply(w, ops.constant(scale))
    if group:
        w = ops.reshape(w, ops.constant(np.array([n, k], np.int64)), False)
    if chain != ov.Type.f32:
        w = ops.convert(w, ov.Type.f32)
    y = ops.matmul(x, w, False, True)
    return ov.Model([y], [x])


@pytest.mark.parametrize("qtype", ["u8", "i8", "u4", "i4"])
@pytest.mark.parametrize("group", [None, 16])
@pytest.mark.parametrize("zero_point", [False, True])
def test_compressed_matmul(runner, core, qtype, group, zero_point) -> None:
    model = _compressed_model(qtype, group, zero_point)
    runner.check(model, [rand(5, 64)], rtol=1e-5, atol=1e-4, config=EXACT)
    plan = plan_of(core.compile_model(model, "CPU", EXACT))
    assert [i.exec_type for i in plan.info] == [f"jit_gemm_{qtype}_decompress_f32"]
    codes = [a for a in plan.const_arrays if a.dtype == np.uint8]
    expected = 40 * 64 // (2 if qtype in ("u4", "i4") else 1)
    assert codes and codes[0].nbytes < 2 * expected, "weights stay compressed in the plan"


@pytest.mark.parametrize("qtype", ["u4", "i4"])
def test_compressed_matmul_f16_chain(runner, core, qtype) -> None:
    model = _compressed_model(qtype, 16, True, chain=ov.Type.f16)
    runner.check(model, [rand(5, 64)], rtol=1e-5, atol=1e-4, config=EXACT)
    plan = plan_of(core.compile_model(model, "CPU", EXACT))
    assert [i.exec_type for i in plan.info] == [f"jit_gemm_{qtype}_decompress_f32"]


def test_f16_weights_stay_f16(runner, core) -> None:
    x = ops.parameter([3, 24], np.float32)
    w = ops.convert(ops.constant(rand(24, 10).astype(np.float16)), ov.Type.f32)
    model = ov.Model([ops.matmul(x, w, False, False)], [x])
    runner.check(model, [rand(3, 24)], rtol=1e-5, atol=1e-5)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert plan.info[0].exec_type == "jit_gemm_f16_decompress_f32"


def test_corpus_compressed_cases_use_the_kernel(core, corpus_dir) -> None:
    # groups of 16 weights: never quantised (as OpenVINO); per channel, K = 48: quantised in
    # groups of 32 where the CPU has VNNI dot products
    dq = "dynamic_quant_i8" if lib.ov_gemm_dq_isa() else "decompress_f32"
    for name, qtype, kind in (("matmul_u4_groupwise", "u4", "decompress_f32"),
                              ("matmul_i4_perchannel", "i4", dq)):
        model = core.read_model(str(corpus_dir / name / "model.xml"))
        plan = plan_of(core.compile_model(model, "CPU"))
        assert [i.exec_type for i in plan.info] == [f"jit_gemm_{qtype}_{kind}"], name
        plan = plan_of(core.compile_model(model, "CPU", EXACT))
        assert [i.exec_type for i in plan.info] == [f"jit_gemm_{qtype}_decompress_f32"], name


@pytest.mark.parametrize("qtype", ["u8", "i8"])
def test_compressed_matmul_f16_chain_8bit(runner, core, qtype) -> None:
    """An f16 chain over 8-bit codes: products of codes and scales need more than f16's 11
    bits; OpenVINO computes them in f32 (TEMPLATE's folding too), so both agree."""
    model = _compressed_model(qtype, None, True, chain=ov.Type.f16)
    runner.check(model, [rand(5, 64)], rtol=1e-5, atol=1e-5, config=EXACT)


def test_decompressed_embedding_table_is_exact_f32(core) -> None:
    """A Gather from an NNCF-compressed embedding table (u8 codes, f16 zero point and scale)
    reads the table computed in f32, as OpenVINO's CPU plugin does, not the f16-rounded
    products."""
    rng = np.random.default_rng(1)
    codes = rng.integers(0, 256, (50, 24)).astype(np.uint8)
    zero = rng.integers(100, 150, (50, 1)).astype(np.uint8)
    scale = (rng.random((50, 1)) * 0.01 + 0.001).astype(np.float16)
    f16 = ov.Type.f16
    table = ops.multiply(ops.subtract(ops.convert(ops.constant(codes), f16),
                                      ops.convert(ops.constant(zero), f16)),
                         ops.constant(scale))
    ids = ops.parameter([2, 5], np.int64, name="ids")
    rows = ops.gather(ops.convert(table, ov.Type.f32), ids,
                      ops.constant(np.array(0, np.int64)), 0)
    model = ov.Model([rows], [ids])
    picked = rng.integers(0, 50, (2, 5))
    got = core.compile_model(model, "CPU")(picked)[0]
    exact = (codes.astype(np.float32) - zero.astype(np.float32)) * scale.astype(np.float32)
    np.testing.assert_array_equal(got, exact[picked])
    rounded = ((codes.astype(np.float16) - zero.astype(np.float16)) * scale).astype(np.float32)
    assert np.any(rounded[picked] != exact[picked])
