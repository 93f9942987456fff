"""openvino.plugin.passes.fuse_post_ops: elementwise tails and batch norms folded into their
producer, under a device's ``FusionRules``; the fused op (its reference with the scaled
weights, then its post ops in numpy) computes what the TEMPLATE device computes for the
original model."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino.plugin.passes import (
    EltwiseStep,
    FusionRules,
    Graph,
    Op,
    apply_steps,
    fold_constants,
    fuse_post_ops,
    operand_layout,
)

RNG = np.random.default_rng(3)


def _template(model: ov.Model, *inputs: np.ndarray) -> list[np.ndarray]:
    compiled = ov.Core().compile_model(model, "TEMPLATE")
    return [np.asarray(v) for v in compiled(list(inputs)).values()]


def _run_fused(op: Op, *inputs: np.ndarray) -> np.ndarray:
    """The fused op computed from its parts: the node's reference (filters scaled by
    ``weight_scale``), then ``post_ops``."""
    args = [inputs[0]] + [np.asarray(v.const) for v in op.inputs[1:]]
    if op.weight_scale is not None:
        w = args[1]
        args[1] = w * op.weight_scale.reshape((-1,) + (1,) * (w.ndim - 1))
    y = np.asarray(op.node.reference(*args), np.float32)
    operands = [np.asarray(p.operand.const) for p in op.post_ops if p.operand is not None]
    return apply_steps(y, op.post_ops, operands)


def _conv_bn_model() -> ov.Model:
    x = ops.parameter([1, 3, 6, 6], np.float32, name="x")
    w = ops.constant(RNG.standard_normal((4, 3, 3, 3)).astype(np.float32))
    conv = ops.convolution(x, w, [1, 1], [1, 1], [1, 1], [1, 1])
    conv.set_friendly_name("conv")
    mul = ops.multiply(conv, ops.constant(RNG.uniform(0.5, 2, (1, 4, 1, 1)).astype(np.float32)))
    mul.set_friendly_name("mul")
    bn = ops.batch_norm_inference(
        mul, ops.constant(RNG.uniform(0.5, 1.5, 4).astype(np.float32)),
        ops.constant(RNG.standard_normal(4).astype(np.float32)),
        ops.constant(RNG.standard_normal(4).astype(np.float32)),
        ops.constant(RNG.uniform(0.5, 2, 4).astype(np.float32)), 1e-5)
    bn.set_friendly_name("bn")
    act = ops.relu(bn)
    act.set_friendly_name("act")
    return ov.Model([act], [x])


def test_convolution_absorbs_scale_batchnorm_and_activation() -> None:
    model = _conv_bn_model()
    g = Graph.from_model(model)
    assert fuse_post_ops(g) == 3
    assert [op.type for op in g.ops] == ["Convolution"]
    conv = g.ops[0]
    assert conv.fused == ["mul", "bn", "act"]
    assert conv.fused_types == {"mul": "Multiply", "bn": "BatchNormInference", "act": "Relu"}
    assert conv.weight_scale.shape == (4,)
    assert [(p.function, p.source) for p in conv.post_ops] == [("add", "bn"), ("relu", "act")]
    assert conv.post_ops[0].operand.shape == (4, 1, 1)
    assert conv.outputs[0] is g.outputs[0] and conv.outputs[0].producer is conv
    x = RNG.standard_normal((1, 3, 6, 6)).astype(np.float32)
    np.testing.assert_allclose(_run_fused(conv, x), _template(model, x)[0], rtol=1e-4,
                               atol=1e-4)


def _channel(*shape: int, lo: float = -1.0, hi: float = 1.0) -> ov.Node:
    return ops.constant(RNG.uniform(lo, hi, shape).astype(np.float32))


@pytest.mark.parametrize("first", ["bias", "batchnorm"])
def test_scales_after_channel_adds_fold_into_the_filters_and_one_add(first) -> None:
    """conv + bias (or BatchNorm), then Multiply and Add by per-channel constants, then
    ReLU (DenseNet's BatchNorm, Mul, Add): the Multiply scales the filters and the earlier
    add, the adds become one, so two post ops are left; a Multiply by a tensor that is not
    per channel after an add still runs as a post op."""
    x = ops.parameter([1, 3, 6, 6], np.float32, name="x")
    y = ops.convolution(x, _channel(4, 3, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1])
    if first == "bias":
        y = ops.add(y, _channel(1, 4, 1, 1))
    else:
        y = ops.batch_norm_inference(y, _channel(4, lo=0.5, hi=1.5), _channel(4),
                                     _channel(4), _channel(4, lo=0.5, hi=2.0), 1e-5)
    y = ops.multiply(y, _channel(4, 1, 1, lo=0.5, hi=2.0))
    y = ops.add(_channel(4, 1, 1), y)
    y = ops.relu(y)
    model = ov.Model([y], [x])
    g = Graph.from_model(model)
    assert fuse_post_ops(g) == 4
    conv = g.ops[0]
    assert [op.type for op in g.ops] == ["Convolution"]
    assert conv.weight_scale is not None and conv.weight_scale.shape == (4,)
    assert [p.function for p in conv.post_ops] == ["add", "relu"]
    xv = RNG.standard_normal((1, 3, 6, 6)).astype(np.float32)
    np.testing.assert_allclose(_run_fused(conv, xv), _template(model, xv)[0], rtol=1e-5,
                               atol=1e-5)
    # a spatial multiplier is no per-channel scale: it stays a post op after the bias
    z = ops.convolution(x, _channel(4, 3, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1])
    z = ops.multiply(ops.add(z, _channel(1, 4, 1, 1)), _channel(1, 1, 6, 6))
    model = ov.Model([z], [x])
    g = Graph.from_model(model)
    fuse_post_ops(g)
    conv = g.ops[0]
    assert conv.weight_scale is None
    assert [p.function for p in conv.post_ops] == ["add", "multiply"]
    np.testing.assert_allclose(_run_fused(conv, xv), _template(model, xv)[0], rtol=1e-5,
                               atol=1e-5)


def test_matmul_takes_bias_and_gelu_and_stops_at_a_shared_value() -> None:
    x = ops.parameter([2, 5, 8], np.float32)
    mm = ops.matmul(x, ops.constant(RNG.standard_normal((8, 6)).astype(np.float32)),
                    False, False)
    biased = ops.add(ops.constant(RNG.standard_normal(6).astype(np.float32)), mm)
    act = ops.gelu(biased, "tanh")
    # act has two consumers: the chain ends there
    out1 = ops.subtract(ops.constant(np.float32(1)), act)
    out2 = ops.sigmoid(act)
    model = ov.Model([out1, out2], [x])
    g = Graph.from_model(model)
    fuse_post_ops(g)
    mm_op = next(op for op in g.ops if op.type == "MatMul")
    assert [p.function for p in mm_op.post_ops] == ["add", "gelu_tanh"]
    assert mm_op.post_ops[0].swap is False          # add is commutative
    assert operand_layout(mm_op.post_ops[0].operand.shape, mm_op.outputs[0].shape,
                          (1, 1)) == (0, 1, 0)
    assert {op.type for op in g.ops} == {"MatMul", "Subtract", "Sigmoid"}
    xv = RNG.standard_normal((2, 5, 8)).astype(np.float32)
    fused = _run_fused(mm_op, xv)
    sub = next(op for op in g.ops if op.type == "Subtract")
    assert sub.inputs[1] is mm_op.outputs[0]
    expected = _template(model, xv)
    np.testing.assert_allclose(1 - fused, expected[0], rtol=1e-4, atol=1e-5)


def test_non_commutative_operand_on_the_left_is_swapped() -> None:
    x = ops.parameter([1, 4], np.float32)
    y = ops.divide(ops.constant(np.array([[1, 2, 3, 4]], np.float32)), ops.relu(x))
    g = Graph.from_model(ov.Model([y], [x]))
    assert fuse_post_ops(g) == 1
    relu = g.ops[0]
    step = relu.post_ops[0]
    assert (step.function, step.swap) == ("divide", True)
    xv = np.array([[1, 2, 4, 8]], np.float32)
    np.testing.assert_allclose(_run_fused(relu, xv), [[1, 1, 0.75, 0.5]])


def test_model_outputs_and_unfusable_operands_end_the_chain() -> None:
    x = ops.parameter([2, 3, 4], np.float32)
    a = ops.relu(x)
    b = ops.tanh(a)                        # model output: nothing fuses past it
    c = ops.exp(b)
    other = ops.parameter([2, 1, 4], np.float32)
    d = ops.add(ops.sigmoid(x), other)    # (2,1,4) against (2,3,4) seen as [| | all]: no
    g = Graph.from_model(ov.Model([b, c, d], [x, other]))
    fuse_post_ops(g)
    types = sorted(op.type for op in g.ops)
    assert types == ["Add", "Exp", "Relu", "Sigmoid"]
    relu = next(op for op in g.ops if op.type == "Relu")
    assert [p.function for p in relu.post_ops] == ["tanh"]


class _Strict(FusionRules):
    max_post_ops = 2

    def accepts(self, op: Op, step: EltwiseStep) -> bool:
        return step.function != "exp"

    def max_operands(self, op: Op) -> int:
        return 1


def test_rules_limit_and_veto_post_ops() -> None:
    x = ops.parameter([4, 4], np.float32)
    b1 = ops.constant(np.float32(1))
    b2 = ops.constant(np.full((4, 4), 2, np.float32))
    chain = ops.add(ops.add(ops.relu(x), b1), b2)       # the second operand: over the limit
    vetoed = ops.exp(ops.tanh(ops.relu(ops.sigmoid(x))))
    g = Graph.from_model(ov.Model([chain, vetoed], [x]))
    fuse_post_ops(g, _Strict())
    relu = next(op for op in g.ops if op.type == "Relu" and op.post_ops
                and op.post_ops[0].operand is not None)
    assert [p.function for p in relu.post_ops] == ["add"]
    sig = next(op for op in g.ops if op.type == "Sigmoid")
    assert [p.function for p in sig.post_ops] == ["relu", "tanh"]   # max 2; exp vetoed anyway
    assert "Exp" in {op.type for op in g.ops}


def test_ops_the_rules_do_not_name_take_no_post_ops() -> None:
    class _None(FusionRules):
        def output_groups(self, op: Op) -> tuple[int, int] | None:
            return None

    x = ops.parameter([3], np.float32)
    g = Graph.from_model(ov.Model([ops.relu(ops.exp(x))], [x]))
    assert fuse_post_ops(g, _None()) == 0
    assert [op.type for op in g.ops] == ["Exp", "Relu"]


def test_folded_prelu_slope_becomes_a_per_channel_operand() -> None:
    x = ops.parameter([1, 3, 2, 2], np.float32)
    conv = ops.convolution(x, ops.constant(RNG.standard_normal((3, 3, 1, 1)).astype(np.float32)),
                           [1, 1], [0, 0], [0, 0], [1, 1])
    y = ops.prelu(conv, ops.constant(np.array([0.1, 0.2, 0.3], np.float32)))
    model = ov.Model([y], [x])
    g = Graph.from_model(model)
    fold_constants(g)
    assert fuse_post_ops(g) == 1
    step = g.ops[0].post_ops[0]
    assert step.function == "prelu" and step.operand.shape == (3, 1, 1)
    xv = RNG.standard_normal((1, 3, 2, 2)).astype(np.float32)
    np.testing.assert_allclose(_run_fused(g.ops[0], xv), _template(model, xv)[0], rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parametrize("operand,out,groups,expected", [
    ((4,), (2, 3, 4), (1, 1), (0, 1, 0)),            # per column
    ((3, 1), (2, 3, 4), (1, 1), (1, 0, 0)),          # per row
    ((2, 1, 1), (2, 3, 4), (1, 1), (0, 0, 1)),       # per batch
    ((2, 3, 4), (2, 3, 4), (1, 1), (4, 1, 12)),      # full
    ((1, 1, 3, 4), (3, 4), (0, 1), (4, 1, 0)),       # leading ones dropped
    ((3, 1), (2, 3, 4), (0, 0), None),               # only part of the columns group
    ((2, 3, 4), (3, 4), (0, 1), None),               # more than the output
])
def test_operand_layout(operand: tuple, out: tuple, groups: tuple,
                        expected: tuple | None) -> None:
    assert operand_layout(operand, out, groups) == expected
