"""Fusions: elementwise tails, BatchNorm and per-channel scales folded into their
producers give the reference results and show up in the plan / runtime model."""

from __future__ import annotations

import numpy as np
from helpers import plan_of, rand

import openvino as ov
import openvino.opset13 as ops


def _conv(x, cout: int, cin: int, seed: int = 1):
    return ops.convolution(x, ops.constant(rand(cout, cin, 3, 3, seed=seed)), [1, 1], [1, 1],
                           [1, 1], [1, 1])


def _types(plan) -> list[str]:
    return [i.type for i in plan.info]


def test_conv_bias_relu_fused(runner, core) -> None:
    x = ops.parameter([1, 3, 10, 10], np.float32)
    y = ops.relu(ops.add(_conv(x, 8, 3), ops.constant(rand(1, 8, 1, 1, seed=2))))
    model = ov.Model([y], [x])
    runner.check(model, [rand(1, 3, 10, 10)], rtol=1e-4, atol=1e-5)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert _types(plan) == ["Convolution"]
    assert len(plan.info[0].fused) == 2


def test_conv_batchnorm_folded_into_weights(runner, core) -> None:
    x = ops.parameter([2, 3, 8, 8], np.float32)
    gamma, beta = rand(6, seed=3, low=0.5, high=2), rand(6, seed=4)
    mean, var = rand(6, seed=5), rand(6, seed=6, low=0.2, high=2)
    bn = ops.batch_norm_inference(_conv(x, 6, 3), *[ops.constant(a) for a in
                                                    (gamma, beta, mean, var)], 1e-3)
    bn.set_friendly_name("bn")
    y = ops.clamp(bn, 0.0, 6.0)
    model = ov.Model([y], [x])
    runner.check(model, [rand(2, 3, 8, 8)], rtol=1e-4, atol=1e-4)
    compiled = core.compile_model(model, "CPU")
    plan = plan_of(compiled)
    assert _types(plan) == ["Convolution"]
    names = [op.get_rt_info()["originalLayersNames"] for op in
             compiled.get_runtime_model().get_ordered_ops()
             if op.get_type_name() == "ExecutionNode"
             and op.get_rt_info()["layerType"] == "Convolution"]
    assert names and "bn" in str(names[0]).split(",")


def test_conv_per_channel_multiply_folded(runner, core) -> None:
    x = ops.parameter([1, 4, 6, 6], np.float32)
    y = ops.multiply(_conv(x, 5, 4), ops.constant(rand(1, 5, 1, 1, seed=7)))
    y = ops.add(y, ops.constant(rand(1, 5, 1, 1, seed=8)))
    model = ov.Model([y], [x])
    runner.check(model, [rand(1, 4, 6, 6)], rtol=1e-4, atol=1e-5)
    assert _types(plan_of(core.compile_model(model, "CPU"))) == ["Convolution"]


def test_residual_add_fused_and_reordered(runner, core) -> None:
    x = ops.parameter([1, 4, 6, 6], np.float32)
    a = _conv(x, 4, 4, seed=1)
    b = ops.relu(_conv(x, 4, 4, seed=2))   # produced after `a` in the graph order
    y = ops.relu(ops.add(a, b))
    model = ov.Model([y], [x])
    runner.check(model, [rand(1, 4, 6, 6)], rtol=1e-4, atol=1e-5)
    assert len(plan_of(core.compile_model(model, "CPU")).info) == 2


def test_matmul_bias_gelu_fused(runner, core) -> None:
    x = ops.parameter([3, 16, 32], np.float32)
    y = ops.matmul(x, ops.constant(rand(32, 48, seed=1)), False, False)
    y = ops.gelu(ops.add(y, ops.constant(rand(48, seed=2))), "erf")
    model = ov.Model([y], [x])
    runner.check(model, [rand(3, 16, 32)], rtol=1e-4, atol=1e-5)
    assert _types(plan_of(core.compile_model(model, "CPU"))) == ["MatMul"]


def test_layernorm_pattern_fused(runner, core) -> None:
    x = ops.parameter([2, 5, 64], np.float32)
    y = ops.mvn(x, ops.constant(np.array([-1], np.int64)), True, 1e-5, "inside_sqrt")
    y = ops.add(ops.multiply(y, ops.constant(rand(64, seed=1))), ops.constant(rand(64, seed=2)))
    model = ov.Model([y], [x])
    runner.check(model, [rand(2, 5, 64)], rtol=1e-4, atol=1e-5)
    assert _types(plan_of(core.compile_model(model, "CPU"))) == ["MVN"]


def test_shared_intermediate_is_not_fused(runner, core) -> None:
    x = ops.parameter([2, 8], np.float32)
    mm = ops.matmul(x, ops.constant(rand(8, 8, seed=1)), False, False)
    y1 = ops.relu(mm)
    y2 = ops.sigmoid(mm)
    model = ov.Model([y1, y2], [x])
    runner.check(model, [rand(2, 8)], rtol=1e-5, atol=1e-6)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert _types(plan).count("MatMul") == 1 and len(plan.info) == 3


def test_intermediate_output_is_not_fused(runner) -> None:
    x = ops.parameter([1, 3, 5, 5], np.float32)
    c = _conv(x, 4, 3)
    model = ov.Model([c, ops.relu(c)], [x])
    out = runner.check(model, [rand(1, 3, 5, 5)], rtol=1e-4, atol=1e-5)
    assert (out[0] < 0).any(), "the pre-activation output keeps its negative values"


def test_fusion_disabled_gives_same_result(core) -> None:
    from openvino_cpu._native import Pool
    from openvino_cpu.compiler import PlanRunner, compile_plan

    x = ops.parameter([1, 3, 9, 9], np.float32)
    y = ops.relu(ops.add(_conv(x, 8, 3), ops.constant(rand(1, 8, 1, 1, seed=2))))
    model = ov.Model([y], [x])
    data = rand(1, 3, 9, 9)
    pool = Pool(1)
    fused = PlanRunner(compile_plan(model, fuse=True), pool).run([data])[0].copy()
    plain_plan = compile_plan(model, fuse=False)
    plain = PlanRunner(plain_plan, pool).run([data])[0]
    assert len(plain_plan.info) == 3
    np.testing.assert_allclose(fused, plain, rtol=1e-6, atol=1e-6)


def test_long_activation_chains_split_into_steps(runner, core) -> None:
    """An activation takes as many post ops as any step, one more than a step holds: the
    chain continues in place in further steps (a compile error before)."""
    for n in (6, 7, 8, 13, 14, 40):
        x = ops.parameter([2, 5, 33], np.float32)
        y = x
        for i in range(n):
            y = ops.sigmoid(y) if i % 3 == 1 else (
                ops.exp(y) if i % 3 == 0 else ops.multiply(y, ops.constant(np.float32(0.7))))
        model = ov.Model([y], [x])
        runner.check(model, [rand(2, 5, 33, seed=n)], rtol=1e-5, atol=1e-6)
        steps = plan_of(core.compile_model(model, "CPU")).info
        # an op takes up to six post ops; an activation with six runs as two steps
        groups = -(-n // 7)
        assert groups <= len(steps) <= 2 * groups, (n, [s.type for s in steps])
