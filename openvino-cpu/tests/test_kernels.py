"""Each kernel family against the TEMPLATE reference device, on shapes that hit the edge
paths (partial tiles, strides, padding, broadcasting)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, rand

import openvino as ov
import openvino.opset1 as ops1
import openvino.opset7 as ops7
import openvino.opset13 as ops


def _model(outputs, params) -> ov.Model:
    return ov.Model(outputs if isinstance(outputs, list) else [outputs], params)


# --- matmul --------------------------------------------------------------------------------

@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (5, 7, 3), (6, 16, 16), (33, 70, 45),
                                   (130, 300, 1100), (2, 513, 9)])
@pytest.mark.parametrize("tb", [False, True])
def test_matmul_const_weights(runner, m, k, n, tb) -> None:
    x = ops.parameter([m, k], np.float32)
    w = rand(n, k, seed=1) if tb else rand(k, n, seed=1)
    y = ops.matmul(x, ops.constant(w), False, tb)
    runner.check(_model(y, [x]), [rand(m, k)], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_matmul_two_inputs_batched(runner, ta, tb) -> None:
    a_shape = [2, 3, 17, 9] if ta else [2, 3, 9, 17]
    b_shape = [3, 11, 17] if tb else [3, 17, 11]
    a = ops.parameter(a_shape, np.float32)
    b = ops.parameter(b_shape, np.float32)
    y = ops.matmul(a, b, ta, tb)
    runner.check(_model(y, [a, b]), [rand(*a_shape), rand(*b_shape, seed=2)], rtol=1e-4,
                 atol=1e-4)


@pytest.mark.parametrize("a_shape,b_shape", [([7], [7, 4]), ([3, 7], [7]), ([7], [7]),
                                             ([4, 1, 5, 6], [3, 6, 2])])
def test_matmul_ranks(runner, a_shape, b_shape) -> None:
    a = ops.parameter(a_shape, np.float32)
    b = ops.parameter(b_shape, np.float32)
    runner.check(_model(ops.matmul(a, b, False, False), [a, b]),
                 [rand(*a_shape), rand(*b_shape, seed=3)], rtol=1e-4, atol=1e-4)


def test_matmul_batch_folds_into_rows(runner, core) -> None:
    x = ops.parameter([2, 16, 64], np.float32)
    y = ops.matmul(x, ops.constant(rand(64, 32, seed=4)), False, False)
    y = ops.add(y, ops.constant(rand(32, seed=5)))
    runner.check(_model(y, [x]), [rand(2, 16, 64)], rtol=1e-4, atol=1e-4)
    plan = plan_of(core.compile_model(_model(y, [x]), "CPU"))
    gemm = [i for i in plan.info if i.type == "MatMul"]
    assert len(gemm) == 1 and gemm[0].fused, "the bias add is fused into the matmul"


def test_matmul_empty(runner) -> None:
    a = ops.parameter([0, 4], np.float32)
    b = ops.parameter([4, 3], np.float32)
    runner.check(_model(ops.matmul(a, b, False, False), [a, b]),
                 [np.zeros((0, 4), np.float32), rand(4, 3)])


# --- convolution ---------------------------------------------------------------------------

@pytest.mark.parametrize("cin,cout,hw,k,stride,pad,dil", [
    (3, 8, 17, 3, 1, 1, 1), (3, 24, 30, 3, 2, 1, 1), (16, 7, 9, 1, 1, 0, 1),
    (8, 13, 12, 5, 2, 2, 1), (4, 6, 15, 3, 1, 2, 2), (5, 9, 11, 1, 2, 0, 1),
    (2, 3, 5, 7, 1, 3, 1)])
def test_convolution_2d(runner, cin, cout, hw, k, stride, pad, dil) -> None:
    x = ops.parameter([2, cin, hw, hw + 1], np.float32)
    w = ops.constant(rand(cout, cin, k, k, seed=1))
    y = ops.convolution(x, w, [stride, stride], [pad, pad], [pad, pad], [dil, dil])
    runner.check(_model(y, [x]), [rand(2, cin, hw, hw + 1)], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("auto_pad", ["same_upper", "same_lower", "valid"])
def test_convolution_auto_pad_asymmetric(runner, auto_pad) -> None:
    x = ops.parameter([1, 3, 10, 9], np.float32)
    w = ops.constant(rand(4, 3, 4, 3, seed=2))
    y = ops.convolution(x, w, [2, 2], [0, 0], [0, 0], [1, 1], auto_pad=auto_pad)
    runner.check(_model(y, [x]), [rand(1, 3, 10, 9)], rtol=1e-4, atol=1e-4)


def test_convolution_1d(runner) -> None:
    x = ops.parameter([2, 5, 31], np.float32)
    w = ops.constant(rand(7, 5, 3, seed=3))
    y = ops.convolution(x, w, [2], [1], [2], [1])
    runner.check(_model(y, [x]), [rand(2, 5, 31)], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("groups,cin_g,cout_g", [(3, 4, 5), (2, 1, 3), (8, 1, 1)])
@pytest.mark.parametrize("stride", [1, 2])
def test_group_convolution(runner, groups, cin_g, cout_g, stride) -> None:
    x = ops.parameter([2, groups * cin_g, 13, 12], np.float32)
    w = ops.constant(rand(groups, cout_g, cin_g, 3, 3, seed=4))
    y = ops.group_convolution(x, w, [stride, stride], [1, 1], [1, 1], [1, 1])
    runner.check(_model(y, [x]), [rand(2, groups * cin_g, 13, 12)], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("k,stride,dil,pad", [(3, 1, 1, 1), (3, 2, 1, 1), (5, 1, 1, 2),
                                              (3, 1, 2, 2), (3, 2, 1, 0), (1, 1, 1, 0)])
def test_depthwise_convolution(runner, core, k, stride, dil, pad) -> None:
    x = ops.parameter([1, 12, 20, 19], np.float32)
    w = ops.constant(rand(12, 1, 1, k, k, seed=5))
    y = ops.group_convolution(x, w, [stride, stride], [pad, pad], [pad, pad], [dil, dil])
    model = _model(y, [x])
    runner.check(model, [rand(1, 12, 20, 19)], rtol=1e-4, atol=1e-4)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert plan.info[0].exec_type == "jit_dw_conv_f32"


# --- pooling -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["max", "avg", "avg_excl"])
@pytest.mark.parametrize("k,s,pb,pe,rounding", [([2, 2], [2, 2], [0, 0], [0, 0], "floor"),
                                                ([3, 3], [2, 2], [1, 1], [1, 1], "ceil"),
                                                ([3, 2], [1, 2], [0, 1], [2, 0], "floor"),
                                                ([5, 5], [3, 3], [2, 2], [2, 2], "ceil")])
def test_pooling_2d(runner, kind, k, s, pb, pe, rounding) -> None:
    x = ops.parameter([2, 3, 15, 14], np.float32)
    if kind == "max":
        y = ops.max_pool(x, s, [1, 1], pb, pe, k, rounding).output(0)
    else:
        y = ops.avg_pool(x, s, pb, pe, k, kind == "avg_excl", rounding)
    runner.check(_model(y, [x]), [rand(2, 3, 15, 14)], rtol=1e-5, atol=1e-6)


def test_pooling_1d_and_3d(runner) -> None:
    x1 = ops.parameter([2, 3, 20], np.float32)
    x3 = ops.parameter([1, 2, 6, 7, 8], np.float32)
    y1 = ops.avg_pool(x1, [2], [1], [1], [3], False, "floor")
    y3 = ops.max_pool(x3, [2, 2, 2], [1, 1, 1], [0, 1, 0], [1, 0, 1], [2, 3, 2]).output(0)
    runner.check(_model([y1], [x1]), [rand(2, 3, 20)])
    runner.check(_model([y3], [x3]), [rand(1, 2, 6, 7, 8)])


def test_maxpool_with_indices_runs(runner) -> None:
    x = ops.parameter([1, 2, 6, 6], np.float32)
    pool = ops.max_pool(x, [2, 2], [1, 1], [0, 0], [0, 0], [2, 2])
    runner.check(_model([pool.output(0), pool.output(1)], [x]), [rand(1, 2, 6, 6)])


# --- elementwise ---------------------------------------------------------------------------

@pytest.mark.parametrize("fn", ["add", "subtract", "multiply", "divide", "maximum", "minimum",
                                "squared_difference", "power"])
@pytest.mark.parametrize("a_shape,b_shape", [([2, 3, 4, 5], [2, 3, 4, 5]), ([2, 3, 4, 5], [1]),
                                             ([1, 3, 1, 5], [2, 1, 4, 1]), ([7], [3, 1]),
                                             ([3, 40000], [40000])])
def test_binary_broadcast(runner, fn, a_shape, b_shape) -> None:
    a = ops.parameter(a_shape, np.float32)
    b = ops.parameter(b_shape, np.float32)
    y = getattr(ops, fn)(a, b)
    low = 0.1 if fn in ("power", "divide") else -1.0
    runner.check(_model(y, [a, b]), [rand(*a_shape, low=low), rand(*b_shape, seed=1, low=low)],
                 rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("fn", ["equal", "not_equal", "less", "less_equal", "greater",
                                "greater_equal"])
def test_comparisons(runner, fn) -> None:
    a = ops.parameter([3, 4], np.float32)
    b = ops.parameter([4], np.float32)
    av = np.round(rand(3, 4) * 2)
    bv = np.round(rand(4, seed=1) * 2)
    runner.check(_model(getattr(ops, fn)(a, b), [a, b]), [av, bv])


_ACTIVATIONS = {
    "relu": lambda x: ops.relu(x), "sigmoid": lambda x: ops.sigmoid(x),
    "tanh": lambda x: ops.tanh(x), "gelu_erf": lambda x: ops.gelu(x, "erf"),
    "gelu_tanh": lambda x: ops.gelu(x, "tanh"), "swish": lambda x: ops.swish(x),
    "swish_beta": lambda x: ops.swish(x, ops.constant(np.float32(0.7))),
    "hswish": lambda x: ops.hswish(x), "hsigmoid": lambda x: ops.hsigmoid(x),
    "elu": lambda x: ops.elu(x, 0.5), "exp": lambda x: ops.exp(x),
    "abs": lambda x: ops.abs(x), "negative": lambda x: ops.negative(x),
    "softplus": lambda x: ops.softplus(x), "mish": lambda x: ops.mish(x),
    "erf": lambda x: ops.erf(x), "floor": lambda x: ops.floor(x),
    "ceiling": lambda x: ops.ceiling(x), "clamp": lambda x: ops.clamp(x, -0.3, 0.4),
    "sign": lambda x: ops.sign(x), "sin": lambda x: ops.sin(x), "cos": lambda x: ops.cos(x),
    "round_even": lambda x: ops.round(x, "half_to_even"),
    "round_away": lambda x: ops.round(x, "half_away_from_zero"),
    "prelu_scalar": lambda x: ops.prelu(x, ops.constant(np.array([0.2], np.float32))),
    "hard_sigmoid": lambda x: ops.hard_sigmoid(x, ops.constant(np.float32(0.3)),
                                                ops.constant(np.float32(0.5))),
    "selu": lambda x: ops.selu(x, ops.constant(np.array([1.6], np.float32)),
                               ops.constant(np.array([1.05], np.float32))),
}


@pytest.mark.parametrize("name", sorted(_ACTIVATIONS))
def test_activations(runner, core, name) -> None:
    x = ops.parameter([3, 1000], np.float32)
    y = _ACTIVATIONS[name](x)
    data = rand(3, 1000, low=-6, high=6)
    data[0, :8] = [0.0, -0.0, 0.5, -0.5, 1.5, -2.5, 1e-7, -1e-7]
    model = _model(y, [x])
    runner.check(model, [data], rtol=2e-6, atol=2e-6)
    assert plan_of(core.compile_model(model, "CPU")).info[0].exec_type != "ref_python"


def test_activations_sqrt_log_positive(runner) -> None:
    x = ops.parameter([2, 300], np.float32)
    runner.check(_model([ops.sqrt(x), ops.log(x)], [x]), [rand(2, 300, low=1e-3, high=50)])


def test_prelu_per_channel(runner) -> None:
    x = ops.parameter([2, 4, 5, 5], np.float32)
    y = ops.prelu(x, ops.constant(rand(4, seed=1)))
    runner.check(_model(y, [x]), [rand(2, 4, 5, 5)])


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
@pytest.mark.parametrize("log", [False, True])
def test_softmax(runner, axis, log) -> None:
    x = ops.parameter([3, 70, 5], np.float32)
    y = ops.log_softmax(x, axis) if log else ops.softmax(x, axis)
    runner.check(_model(y, [x]), [rand(3, 70, 5, low=-20, high=20)], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("axes,normalize,mode", [([2, 3], True, "inside_sqrt"),
                                                 ([3], True, "outside_sqrt"),
                                                 ([1, 2, 3], False, "inside_sqrt")])
def test_mvn(runner, axes, normalize, mode) -> None:
    x = ops.parameter([2, 3, 4, 50], np.float32)
    y = ops.mvn(x, ops.constant(np.array(axes, np.int64)), normalize, 1e-5, mode)
    runner.check(_model(y, [x]), [rand(2, 3, 4, 50, low=-3, high=5)], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("fn", ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min",
                                "reduce_prod", "reduce_l1", "reduce_l2"])
@pytest.mark.parametrize("axes,keep", [([1], True), ([2, 3], False), ([0], False),
                                       ([3], True), ([0, 1, 2, 3], False)])
def test_reductions(runner, fn, axes, keep) -> None:
    x = ops.parameter([2, 3, 4, 5], np.float32)
    fn_ = getattr(ops, fn)
    y = fn_(x, ops.constant(np.array(axes, np.int64)), keep)
    runner.check(_model(y, [x]), [rand(2, 3, 4, 5, low=0.5, high=1.5)], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("src,dst", [(np.float32, np.float16), (np.float16, np.float32),
                                     (np.float32, np.int32), (np.float32, np.uint8),
                                     (np.int64, np.float32), (np.int32, np.int64),
                                     (np.float32, np.bool_), (np.int64, np.int8)])
def test_convert(runner, src, dst) -> None:
    x = ops.parameter([4, 9], src)
    data = (rand(4, 9, low=-300, high=300)).astype(src)
    data.reshape(-1)[:3] = [0, 1, 2]
    runner.check(_model(ops.convert(x, dst), [x]), [data])


def test_convert_saturates_nan(runner) -> None:
    x = ops.parameter([6], np.float32)
    data = np.array([np.nan, 1e10, -1e10, 3.9, -3.9, 255.5], np.float32)
    runner.check(_model([ops.convert(x, np.int32), ops.convert(x, np.uint8)], [x]), [data])


def test_select(runner) -> None:
    c = ops.parameter([2, 1, 5], np.bool_)
    a = ops.parameter([2, 3, 5], np.float32)
    b = ops.parameter([5], np.float32)
    cv = np.random.default_rng(0).integers(0, 2, (2, 1, 5)).astype(bool)
    runner.check(_model(ops.select(c, a, b), [c, a, b]), [cv, rand(2, 3, 5), rand(5, seed=1)])


# --- movement ------------------------------------------------------------------------------

@pytest.mark.parametrize("axis,sizes", [(1, [3, 5]), (0, [1, 1]), (2, [2, 2, 3])])
def test_concat(runner, axis, sizes) -> None:
    shapes = []
    for s in sizes:
        shape = [1 if axis != 0 else 1, 4, 7]
        shape[axis] = s
        shapes.append(shape)
    params = [ops.parameter(s, np.float32) for s in shapes]
    # relu in front so the inputs are computed values (in-place concat candidates)
    y = ops.concat([ops.relu(p) for p in params], axis)
    runner.check(_model(y, params), [rand(*s, seed=i) for i, s in enumerate(shapes)])


def test_concat_in_place_shares_memory(runner, core) -> None:
    x = ops.parameter([1, 4, 6, 6], np.float32)
    a = ops.convolution(x, ops.constant(rand(3, 4, 1, 1, seed=1)), [1, 1], [0, 0], [0, 0],
                        [1, 1])
    b = ops.convolution(x, ops.constant(rand(5, 4, 3, 3, seed=2)), [1, 1], [1, 1], [1, 1],
                        [1, 1])
    y = ops.concat([ops.relu(a), ops.relu(b)], 1)
    model = _model(y, [x])
    runner.check(model, [rand(1, 4, 6, 6)], rtol=1e-5, atol=1e-5)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert all(i.type != "Concat" for i in plan.info), "concat inputs are written in place"


def test_concat_many_inputs(runner) -> None:
    params = [ops.parameter([2, i + 1, 3], np.float32) for i in range(9)]
    y = ops.concat(params, 1)
    runner.check(_model(y, params), [rand(2, i + 1, 3, seed=i) for i in range(9)])


@pytest.mark.parametrize("order", [[0, 2, 3, 1], [3, 2, 1, 0], [1, 0, 2, 3]])
def test_transpose(runner, order) -> None:
    x = ops.parameter([2, 3, 4, 5], np.float32)
    y = ops.transpose(x, ops.constant(np.array(order, np.int64)))
    runner.check(_model(y, [x]), [rand(2, 3, 4, 5)])


def test_slicing_split_tile_shuffle(runner, core) -> None:
    x = ops.parameter([2, 12, 6, 6], np.float32)
    outs = [
        ops.slice(x, ops.constant(np.array([0, 1, 0, 5], np.int64)),
                  ops.constant(np.array([2, 11, 6, 0], np.int64)),
                  ops.constant(np.array([1, 3, 2, -2], np.int64))),
        ops.shuffle_channels(x, 1, 3),
        ops.tile(x, ops.constant(np.array([1, 1, 2, 1], np.int64))),
        ops.depth_to_space(x, "blocks_first", 2),
    ]
    split = ops.split(x, ops.constant(np.int64(1)), 3)
    outs += list(split.outputs())
    model = _model(outs, [x])
    runner.check(model, [rand(2, 12, 6, 6)])
    plan = plan_of(core.compile_model(model, "CPU"))
    assert all(i.exec_type != "ref_python" for i in plan.info)


def test_split_of_outer_one_is_a_view(core) -> None:
    x = ops.parameter([1, 6, 4], np.float32)
    r = ops.relu(x)
    parts = ops.split(r, ops.constant(np.int64(1)), 2)
    model = _model([ops.negative(p) for p in parts.outputs()], [x])
    plan = plan_of(core.compile_model(model, "CPU"))
    assert [i.type for i in plan.info] == ["Relu", "Negative", "Negative"]


@pytest.mark.parametrize("axis,batch_dims,idx_type", [(0, 0, np.int64), (1, 0, np.int32),
                                                      (2, 1, np.int64), (1, 1, np.int32)])
def test_gather(runner, axis, batch_dims, idx_type) -> None:
    data = ops.parameter([3, 5, 7], np.float32)
    idx_shape = [3, 4] if batch_dims else [4]
    idx = np.random.default_rng(0).integers(-3, 3, idx_shape).astype(idx_type)
    y = ops.gather(data, ops.constant(idx), ops.constant(np.int64(axis)), batch_dims)
    runner.check(_model(y, [data]), [rand(3, 5, 7)])


@pytest.mark.parametrize("opset", [ops1, ops7, ops])
@pytest.mark.parametrize("idx_type", [np.int64, np.int32])
def test_gather_runtime_indices_out_of_range_give_zeros(core, opset, idx_type) -> None:
    """OpenVINO's CPU plugin gathers zeros for an index outside the allowed range; negative
    indices count from the end in Gather-8 only (Gather-1/7 gather zeros for them too)."""
    data = opset.parameter([5, 3], np.float32)
    idx = opset.parameter([6], idx_type)
    y = opset.gather(data, idx, opset.constant(np.int64(0)))
    compiled = core.compile_model(_model(y, [data, idx]), "CPU")
    x = rand(5, 3) + 2.0
    out = compiled([x, np.array([4, -5, 5, -6, 100, 0], idx_type)])[0]
    negative_ok = opset is ops
    expected = np.stack([x[4], x[0] if negative_ok else 0 * x[0], 0 * x[0], 0 * x[0],
                         0 * x[0], x[0]])
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("pb,pe,value", [([0, 1, 2], [1, 0, 3], 0.0), ([1, 0, 0], [0, 2, 1], 2.5),
                                         ([0, -1, 1], [0, 1, -2], -1.0)])
def test_pad_constant(runner, pb, pe, value) -> None:
    x = ops.parameter([2, 3, 4], np.float32)
    y = ops.pad(x, ops.constant(np.array(pb, np.int64)), ops.constant(np.array(pe, np.int64)),
                "constant", ops.constant(np.float32(value)))
    runner.check(_model(y, [x]), [rand(2, 3, 4)])


# --- attention -----------------------------------------------------------------------------

@pytest.mark.parametrize("mask", ["none", "float", "bool", "causal"])
def test_scaled_dot_product_attention(runner, mask) -> None:
    q = ops.parameter([2, 4, 9, 16], np.float32)
    k = ops.parameter([2, 4, 11, 16], np.float32)
    v = ops.parameter([2, 4, 11, 8], np.float32)
    params, inputs = [q, k, v], [rand(2, 4, 9, 16), rand(2, 4, 11, 16, seed=1),
                                 rand(2, 4, 11, 8, seed=2)]
    if mask == "none":
        y = ops.scaled_dot_product_attention(q, k, v, causal=False)
    elif mask == "causal":
        y = ops.scaled_dot_product_attention(q, k, v, causal=True)
    else:
        m = ops.parameter([1, 1, 9, 11], np.float32 if mask == "float" else np.bool_)
        params.append(m)
        mv = rand(1, 1, 9, 11, seed=3)
        inputs.append(mv if mask == "float" else mv > -0.5)
        y = ops.scaled_dot_product_attention(q, k, v, m, causal=False)
    runner.check(_model(y, params), inputs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("hw,stride,dil,groups", [(16, 1, 1, 1), (14, 1, 1, 2), (30, 2, 1, 1),
                                                  (29, 2, 1, 3), (32, 1, 2, 1), (62, 2, 2, 1),
                                                  (7, 1, 1, 1), (13, 2, 1, 1)])
@pytest.mark.parametrize("tail", ["none", "bias_relu", "bias_residual_relu", "sigmoid"])
def test_direct_convolution(runner, core, hw, stride, dil, groups, tail) -> None:
    cin, cout = 6 * groups, 13 * groups
    x = ops.parameter([2, cin, hw, hw], np.float32)
    if groups == 1:
        y = ops.convolution(x, ops.constant(rand(cout, cin, 3, 3, seed=1)), [stride, stride],
                            [dil, dil], [dil, dil], [dil, dil])
    else:
        y = ops.group_convolution(x, ops.constant(rand(groups, 13, 6, 3, 3, seed=1)),
                                  [stride, stride], [dil, dil], [dil, dil], [dil, dil])
    params = [x]
    inputs = [rand(2, cin, hw, hw)]
    if tail != "none" and tail != "sigmoid":
        y = ops.add(y, ops.constant(rand(1, cout, 1, 1, seed=2)))
    if tail == "bias_residual_relu":
        r = ops.parameter(list(y.get_output_partial_shape(0).to_shape()), np.float32)
        params.append(r)
        inputs.append(rand(*r.get_output_partial_shape(0).to_shape(), seed=3))
        y = ops.add(y, r)
    if tail in ("bias_relu", "bias_residual_relu"):
        y = ops.relu(y)
    if tail == "sigmoid":
        y = ops.sigmoid(y)
    model = _model(y, params)
    runner.check(model, inputs, rtol=1e-4, atol=1e-4)
    plan = plan_of(core.compile_model(model, "CPU"))
    oh, ow = plan.info[0].op.outputs[0].shape[-2:]
    row = ow + (2 * dil if stride == 1 else dil)  # the padded row the flat output walks
    assert (oh * row - oh * ow) * 3 <= oh * ow
    assert plan.info[0].exec_type == "jit_direct_conv_f32"


@pytest.mark.parametrize("seed", range(40))
def test_convolution_random_geometry(runner, seed) -> None:
    """Random shapes, strides, dilations, asymmetric pads, groups and tails: whichever of
    the direct, im2col, pointwise or depthwise paths they land on, the result matches."""
    rng = np.random.default_rng(1000 + seed)
    groups = int(rng.choice([1, 1, 2, 3]))
    cin_g, cout_g = int(rng.integers(1, 6)), int(rng.integers(1, 9))
    if rng.random() < 0.2:
        groups, cin_g, cout_g = int(rng.integers(2, 7)), 1, 1  # depthwise
    kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    sh, sw = int(rng.choice([1, 2, 3])), int(rng.choice([1, 2, 3]))
    if rng.random() < 0.5:
        sw = sh
    dh, dw = int(rng.choice([1, 1, 2])), int(rng.choice([1, 1, 2]))
    pb = [int(rng.integers(0, 3)), int(rng.integers(0, 3))]
    pe = [int(rng.integers(0, 3)), int(rng.integers(0, 3))]
    h = int(rng.integers((kh - 1) * dh + 1, 24))
    w = int(rng.integers((kw - 1) * dw + 1, 40))
    n = int(rng.integers(1, 3))
    x = ops.parameter([n, groups * cin_g, h, w], np.float32)
    if groups == 1:
        y = ops.convolution(x, ops.constant(rand(cout_g, cin_g, kh, kw, seed=seed)), [sh, sw],
                            pb, pe, [dh, dw])
    else:
        y = ops.group_convolution(x, ops.constant(rand(groups, cout_g, cin_g, kh, kw,
                                                       seed=seed)), [sh, sw], pb, pe, [dh, dw])
    cout = groups * cout_g
    if rng.random() < 0.7:
        y = ops.add(y, ops.constant(rand(1, cout, 1, 1, seed=seed + 1)))
    if rng.random() < 0.5:
        y = ops.relu(y)
    runner.check(_model(y, [x]), [rand(n, groups * cin_g, h, w, seed=seed + 2)],
                 rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("seed", range(20))
def test_matmul_random_geometry(runner, seed) -> None:
    rng = np.random.default_rng(2000 + seed)
    m, k, n = (int(v) for v in rng.integers(1, 70, 3))
    batch = [int(v) for v in rng.integers(1, 4, int(rng.integers(0, 3)))]
    ta, tb = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
    a_shape = batch + ([k, m] if ta else [m, k])
    b_batch = batch[int(rng.integers(0, len(batch) + 1)):] if batch else []
    b_shape = b_batch + ([n, k] if tb else [k, n])
    a = ops.parameter(a_shape, np.float32)
    if rng.random() < 0.5:
        b = ops.constant(rand(*b_shape, seed=seed))
        params, inputs = [a], [rand(*a_shape, seed=seed + 1)]
    else:
        b = ops.parameter(b_shape, np.float32)
        params, inputs = [a, b], [rand(*a_shape, seed=seed + 1), rand(*b_shape, seed=seed)]
    y = ops.matmul(a, b, ta, tb)
    if rng.random() < 0.5:
        y = ops.add(y, ops.constant(rand(n, seed=seed + 3)))
    runner.check(_model(y, params), inputs, rtol=1e-4, atol=1e-4)
