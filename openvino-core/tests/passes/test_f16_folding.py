"""f16 arithmetic of constants folds as OpenVINO folds it: computed in f32 and rounded to
f16 only where the value leaves the folded chain. NNCF's weight decompression
(``Convert(u8/u4 -> f16) -> Subtract(zero point) -> Multiply(f16 scale) -> Convert(f32)``)
then gives the exact f32 weights, as the real runtime's ConstantFolding and its CPU plugin
do (measured against OpenVINO 2026.4.1; the interop session checks whole NNCF models).

Every case picks values where rounding each f16 op gives a different answer, so a
per-op f16 evaluation fails them."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset15 as ops
from openvino import Type, passes
from openvino.plugin.passes import Graph, fold_constants
from openvino.plugin.reference import ReferencePlan, fold_values

RNG = np.random.RandomState(0)
CODES = RNG.randint(0, 256, (16, 32)).astype(np.uint8)
ZERO = RNG.randint(100, 150, (16, 1)).astype(np.uint8)
SCALE = (RNG.rand(16, 1) * 0.01 + 0.001).astype(np.float16)
#: (codes - zero) * scale in f32: what OpenVINO's folding and CPU give
EXACT = (CODES.astype(np.float32) - ZERO.astype(np.float32)) * SCALE.astype(np.float32)
#: the same with the product rounded to f16 (what per-op f16 evaluation gives)
ROUNDED = ((CODES.astype(np.float16) - ZERO.astype(np.float16)) * SCALE).astype(np.float32)


def test_cases_tell_rounded_from_exact() -> None:
    assert np.abs(EXACT - ROUNDED).max() > 1e-4


def _decompressed(to_f32: bool = True) -> ov.Node:
    codes = ops.convert(ops.constant(CODES), Type.f16)
    zero = ops.convert(ops.constant(ZERO), Type.f16)
    weights = ops.multiply(ops.subtract(codes, zero), ops.constant(SCALE))
    return ops.convert(weights, Type.f32) if to_f32 else weights


def _folded(*outputs: ov.Node) -> list[ov.Node]:
    model = ov.Model(list(outputs), [], "folded")
    manager = passes.Manager()
    manager.register_pass(passes.ConstantFolding())
    manager.run_passes(model)
    return [r.input_value(0).get_node() for r in model.get_results()]


def test_constant_folding_of_decompression_chain_is_exact_f32() -> None:
    (const,) = _folded(_decompressed())
    assert const.get_type_name() == "Constant" and const.get_element_type() == Type.f32
    np.testing.assert_array_equal(const.get_data(), EXACT)


def test_folded_f16_result_is_rounded_once_at_the_end() -> None:
    a = RNG.randn(16, 32).astype(np.float16)
    c = RNG.randn(16, 32).astype(np.float16)
    (const,) = _folded(ops.add(ops.multiply(ops.constant(a), ops.constant(SCALE)),
                               ops.constant(c)))
    assert const.get_element_type() == Type.f16
    once = (a.astype(np.float32) * SCALE.astype(np.float32) + c.astype(np.float32))
    per_op = a * SCALE + c
    np.testing.assert_array_equal(const.get_data(), once.astype(np.float16))
    assert np.any(const.get_data() != per_op)


def test_f16_value_read_by_a_fold_and_a_result() -> None:
    weights = _decompressed(to_f32=False)
    exact, kept = _folded(ops.convert(weights, Type.f32), weights)
    np.testing.assert_array_equal(exact.get_data(), EXACT)
    np.testing.assert_array_equal(kept.get_data(), EXACT.astype(np.float16))


def test_convert_to_f16_rounds_inside_a_chain() -> None:
    a = RNG.randn(64).astype(np.float32)
    s = np.array([0.3], np.float16)
    (const,) = _folded(ops.convert(ops.multiply(ops.convert(ops.constant(a), Type.f16),
                                                ops.constant(s)), Type.f32))
    expected = a.astype(np.float16).astype(np.float32) * s.astype(np.float32)
    np.testing.assert_array_equal(const.get_data(), expected)


def test_fold_values_returns_f16_outputs_unrounded() -> None:
    node = ops.multiply(ops.constant(np.ones((16, 32), np.float16)), ops.constant(SCALE))
    (value,) = fold_values(node, [(CODES.astype(np.float32) - 128.5), SCALE])
    assert value.dtype == np.float32
    np.testing.assert_array_equal(value, (CODES.astype(np.float32) - 128.5)
                                  * SCALE.astype(np.float32))


def _matmul_model() -> ov.Model:
    x = ops.parameter([3, 32], np.float32, name="x")
    y = ops.matmul(x, _decompressed(), False, True)
    return ov.Model([y], [x], "decompressed_matmul")


def test_template_computes_decompression_exactly() -> None:
    x = RNG.randn(3, 32).astype(np.float32)
    out = ov.Core().compile_model(_matmul_model(), "TEMPLATE")(x)[0]
    expected = x.astype(np.float64) @ EXACT.T.astype(np.float64)
    assert np.abs(out - expected).max() < 1e-5
    assert np.abs(x.astype(np.float64) @ ROUNDED.T - expected).max() > 1e-4


def test_model_evaluate_folds_like_the_device() -> None:
    out = ov.Tensor(np.zeros((16, 32), np.float32))
    model = ov.Model([_decompressed()], [], "weights")
    assert model.evaluate([out], [])
    np.testing.assert_array_equal(out.data, EXACT)


def test_reference_plan_hands_out_folded_values_that_inferences_cannot_change() -> None:
    model = ov.Model([_decompressed()], [], "weights")
    plan = ReferencePlan(model)
    first = plan.run([])[0]
    with pytest.raises(ValueError):
        first[0, 0] = 1.0
    np.testing.assert_array_equal(plan.run([])[0], EXACT)


def test_reference_plan_leaves_failing_constant_ops_to_the_inference() -> None:
    x = ops.parameter([2], np.int32, name="x")
    bad = ops.divide(ops.constant(np.array([1, 2], np.int32)),
                     ops.constant(np.array([0, 1], np.int32)))
    model = ov.Model([ops.add(x, bad)], [x])
    plan = ReferencePlan(model)  # building does not fail
    with pytest.raises(RuntimeError, match="division by zero"):
        plan.run([np.array([1, 1], np.int32)])


def test_plugin_sdk_fold_constants_gives_exact_weights() -> None:
    graph = Graph.from_model(_matmul_model())
    fold_constants(graph)
    graph.remove_dead()
    (mm,) = graph.ops
    np.testing.assert_array_equal(mm.inputs[1].const, EXACT)
