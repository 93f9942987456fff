"""Elementwise kernels (kernels/eltwise.cl through lowering/eltwise.py) against the
TEMPLATE reference: unary, binary with broadcasting, Select, Convert, integer chains."""

import numpy as np
import pytest
from kernel_harness import check

import openvino as ov
import openvino.opset13 as ops

RNG = np.random.default_rng(7)


def _x(shape, dtype=np.float32, lo=-3.0, hi=3.0):
    if np.dtype(dtype).kind == "f":
        return RNG.uniform(lo, hi, shape).astype(dtype)
    return RNG.integers(int(lo), int(hi) + 1, shape).astype(dtype)


UNARY = {
    "relu": ops.relu, "sigmoid": ops.sigmoid, "tanh": ops.tanh, "exp": ops.exp,
    "abs": ops.abs, "negative": ops.negative, "floor": ops.floor, "ceiling": ops.ceiling,
    "sign": ops.sign, "sin": ops.sin, "cos": ops.cos, "atan": ops.atan, "sinh": ops.sinh,
    "erf": ops.erf, "hswish": ops.hswish, "hsigmoid": ops.hsigmoid, "softplus": ops.softplus,
    "mish": ops.mish, "softsign": ops.softsign, "swish": ops.swish,
    "gelu_erf": lambda p: ops.gelu(p, "erf"), "gelu_tanh": lambda p: ops.gelu(p, "tanh"),
    "elu": lambda p: ops.elu(p, 0.7), "clamp": lambda p: ops.clamp(p, -1.5, 2.0),
    "round_even": lambda p: ops.round(p, "half_to_even"),
    "round_away": lambda p: ops.round(p, "half_away_from_zero"),
    "selu": lambda p: ops.selu(p, ops.constant(np.float32(1.67)), ops.constant(np.float32(1.05))),
    "hard_sigmoid": lambda p: ops.hard_sigmoid(p, ops.constant(np.float32(0.2)),
                                               ops.constant(np.float32(0.5))),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("shape", [(3, 5, 7), (0, 4), ()])
def test_unary(gpu, name, shape, precision):
    p = ops.parameter(list(shape), ov.Type.f32)
    x = _x(shape)
    if name.startswith("round"):
        x = np.round(x * 2) / 2  # halves: where the modes differ
    check(gpu, UNARY[name](p), [x], precision)


def test_log_sqrt_domain(gpu, precision):
    p = ops.parameter([5, 9], ov.Type.f32)
    x = _x((5, 9), lo=0.1, hi=10)
    check(gpu, ops.log(p), [x], precision)
    check(gpu, ops.sqrt(p), [x], precision)


BINARY = {
    "add": ops.add, "subtract": ops.subtract, "multiply": ops.multiply, "divide": ops.divide,
    "maximum": ops.maximum, "minimum": ops.minimum, "squared_difference": ops.squared_difference,
    "floor_mod": ops.floor_mod, "mod": ops.mod, "power": ops.power,
    "equal": ops.equal, "less": ops.less, "greater_equal": ops.greater_equal,
    "not_equal": ops.not_equal,
}

SHAPES = [((2, 3, 4), (2, 3, 4)), ((2, 3, 4), (4,)), ((2, 1, 5), (3, 1)),
          ((1, 7, 1, 3), (2, 1, 5, 1)), ((3, 0, 2), (1, 2)), ((), (2, 3)),
          ((2, 1, 3, 1, 2, 1, 3), (1, 4, 1, 2, 1, 5, 3))]


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_binary_float(gpu, name, shapes, precision):
    a = ops.parameter(list(shapes[0]), ov.Type.f32)
    b = ops.parameter(list(shapes[1]), ov.Type.f32)
    xa, xb = _x(shapes[0]), _x(shapes[1])
    if name in ("divide", "mod", "floor_mod"):
        xb = np.where(np.abs(xb) < 0.5, 1.25, xb).astype(np.float32)
    if name == "power":
        xa = np.abs(xa) + 0.1
    if name in ("equal", "not_equal"):
        xb = np.where(RNG.random(xb.shape) < 0.5, 1.0, xb).astype(np.float32)
        xa = np.where(RNG.random(xa.shape) < 0.5, 1.0, xa).astype(np.float32)
    check(gpu, BINARY[name](a, b), [xa, xb], precision)


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "maximum",
                                  "floor_mod", "mod", "power", "less", "squared_difference"])
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.int8])
def test_binary_int(gpu, name, dtype):
    t = ov.Type(dtype)
    a, b = ops.parameter([4, 5], t), ops.parameter([5], t)
    lo = 0 if np.dtype(dtype).kind == "u" else -9
    xa, xb = _x((4, 5), dtype, lo, 9), _x((5,), dtype, lo, 9)
    if name in ("divide", "mod", "floor_mod"):
        xb = np.where(xb == 0, 3, xb).astype(dtype)
    if name == "power":
        xb = np.abs(xb) % 4
    check(gpu, BINARY[name](a, b), [xa, xb])


def test_divide_truncating(gpu):
    a, b = ops.parameter([8], ov.Type.i32), ops.parameter([8], ov.Type.i32)
    xa = np.array([7, -7, 7, -7, 6, -6, 0, 1], np.int32)
    xb = np.array([2, 2, -2, -2, 3, 4, 5, -3], np.int32)
    node = ops.divide(a, b)
    node.set_attribute("m_pythondiv", False)
    check(gpu, node, [xa, xb])
    check(gpu, ops.divide(a, b), [xa, xb])


def test_scalar_constant_operand_is_a_literal(gpu, precision):
    a = ops.parameter([3, 4], ov.Type.f32)
    node = ops.multiply(a, ops.constant(np.float32(-2.5)))
    check(gpu, node, [_x((3, 4))], precision)
    node = ops.subtract(ops.constant(np.array([[1.5]], np.float32)), a)
    check(gpu, node, [_x((3, 4))], precision)
    node = ops.add(a, ops.constant(np.arange(4, dtype=np.float32)))
    check(gpu, node, [_x((3, 4))], precision)


def test_prelu_per_channel(gpu, precision):
    x = ops.parameter([2, 3, 4, 4], ov.Type.f32)
    slope = ops.constant(np.array([0.1, 0.2, 0.3], np.float32))
    check(gpu, ops.prelu(x, slope), [_x((2, 3, 4, 4))], precision)
    x2 = ops.parameter([2, 5], ov.Type.f32)
    check(gpu, ops.prelu(x2, ops.constant(np.float32(0.25))), [_x((2, 5))], precision)


def test_select_and_logical(gpu, precision):
    c = ops.parameter([3, 1, 4], ov.Type.boolean)
    a = ops.parameter([2, 4], ov.Type.f32)
    b = ops.parameter([3, 2, 1], ov.Type.f32)
    cv = RNG.random((3, 1, 4)) < 0.5
    check(gpu, ops.select(c, a, b), [cv, _x((2, 4)), _x((3, 2, 1))], precision)
    d = ops.parameter([3, 1, 4], ov.Type.boolean)
    dv = RNG.random((3, 1, 4)) < 0.5
    for f in (ops.logical_and, ops.logical_or, ops.logical_xor):
        check(gpu, f(c, d), [cv, dv])
    check(gpu, ops.logical_not(c), [cv])


@pytest.mark.parametrize("src,dst", [("f32", "i32"), ("f32", "u8"), ("f32", "i8"),
                                     ("i32", "f32"), ("i64", "i32"), ("f32", "boolean"),
                                     ("boolean", "f32"), ("u8", "i64"), ("i32", "f16")])
def test_convert(gpu, src, dst):
    p = ops.parameter([3, 7], ov.Type(src) if src != "boolean" else ov.Type.boolean)
    dt = {"f32": np.float32, "i32": np.int32, "i64": np.int64, "u8": np.uint8,
          "boolean": np.bool_}[src]
    if dt is np.bool_:
        x = RNG.random((3, 7)) < 0.5
    elif np.dtype(dt).kind == "f":
        x = _x((3, 7), dt, -300, 300)
        x[0, :3] = [0.0, -0.0, 2.5]
    else:
        x = _x((3, 7), dt, 0 if dt is np.uint8 else -300, 250)
    check(gpu, ops.convert(p, dst), [x])


def test_clamp_int(gpu):
    p = ops.parameter([10], ov.Type.i32)
    check(gpu, ops.clamp(p, -2.5, 3.5), [np.arange(-5, 5, dtype=np.int32)])


@pytest.mark.parametrize("version", ["opset1", "opset5"])
def test_batch_norm(gpu, version, precision):
    import openvino.opset1 as ops1
    import openvino.opset5 as ops5

    x = ops.parameter([2, 3, 4, 5], ov.Type.f32)
    g, b, m = (ops.constant(_x((3,))) for _ in range(3))
    v = ops.constant(_x((3,), lo=0.5, hi=2.0))
    node = (ops1.batch_norm_inference(x, g, b, m, v, 1e-3) if version == "opset1"
            else ops5.batch_norm_inference(x, g, b, m, v, 1e-3))
    check(gpu, node, [_x((2, 3, 4, 5))], precision)
    x2 = ops.parameter([4, 3], ov.Type.f32)
    check(gpu, ops5.batch_norm_inference(x2, g, b, m, v, 1e-3), [_x((4, 3))], precision)


def test_fake_quantize(gpu):
    x = ops.parameter([2, 3, 4], ov.Type.f32)
    il = ops.constant(np.array([-1.0, -0.5, 0.0], np.float32).reshape(1, 3, 1))
    ih = ops.constant(np.array([1.0, 0.5, 2.0], np.float32).reshape(1, 3, 1))
    ol = ops.constant(np.float32(-2.0))
    oh = ops.constant(np.array([2.0, 1.0, 4.0], np.float32).reshape(1, 3, 1))
    check(gpu, ops.fake_quantize(x, il, ih, ol, oh, 17), [_x((2, 3, 4))])
    lo, hi = ops.parameter([1], ov.Type.f32), ops.parameter([1], ov.Type.f32)
    check(gpu, ops.fake_quantize(x, lo, hi, lo, hi, 256),
          [_x((2, 3, 4)), np.array([-1.5], np.float32), np.array([2.0], np.float32)])


def test_is_nan_inf_finite_and_convert_like(gpu):
    import openvino.opset10 as ops10

    p = ops.parameter([8], ov.Type.f32)
    x = np.array([0, np.nan, np.inf, -np.inf, 1.5, -2, np.nan, 3], np.float32)
    check(gpu, ops10.is_nan(p), [x])
    check(gpu, ops10.is_finite(p), [x])
    for neg, pos in [(True, True), (True, False), (False, True)]:
        check(gpu, ops10.is_inf(p, {"detect_negative": neg, "detect_positive": pos}), [x])
    like = ops.constant(np.zeros(2, np.int32))
    check(gpu, ops.convert_like(p, like), [np.nan_to_num(x, posinf=7, neginf=-7)])


def test_post_op_chain(gpu, precision):
    from kernel_harness import run_gpu

    from openvino_gpu.lowering import PostOp, TensorSpec

    a, b = ops.parameter([2, 3, 4], ov.Type.f32), ops.parameter([4], ov.Type.f32)
    node = ops.add(a, b)
    dt = np.float16 if precision == "f16" else np.float32
    scale = TensorSpec((3, 1), ov.Type.f32, np.dtype(dt))
    five = TensorSpec((), ov.Type.f32, np.dtype(dt), np.array(5.0, np.float32))
    shift = TensorSpec((2, 3, 4), ov.Type.f32, np.dtype(dt))
    posts = [PostOp("Relu"), PostOp("Multiply", scale), PostOp("Subtract", five, {"swap": True}),
             PostOp("Add", shift), PostOp("Clamp", None, {"min": -1.0, "max": 4.0})]
    xa, xb, xs, xt = _x((2, 3, 4)), _x((4,)), _x((3, 1)), _x((2, 3, 4))
    got = run_gpu(gpu, node, [xa, xb], precision, post_ops=posts,
                  post_inputs=[xs, np.array(5.0, np.float32), xt])[0].astype(np.float32)
    r = (lambda v: v.astype(np.float16).astype(np.float32)) if precision == "f16" else \
        (lambda v: v)
    want = np.clip(5.0 - np.maximum(r(xa) + r(xb), 0) * r(xs) + r(xt), -1.0, 4.0)
    tol = 1e-5 if precision == "f32" else 2e-2
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


@pytest.mark.parametrize("name", ["exp", "tanh", "sin", "atan", "erf", "floor", "ceiling",
                                  "round_even"])
@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.int8])
def test_real_functions_of_integers(gpu, name, dtype):
    p = ops.parameter([3, 7], ov.Type(dtype))
    lo = 0 if np.dtype(dtype).kind == "u" else -5
    check(gpu, UNARY[name](p), [_x((3, 7), dtype, lo, 5)])
    if name in ("exp",):
        check(gpu, UNARY[name](p), [np.array([[0, 1, 2, 3, 4, 5, 6]] * 3, dtype)])


def test_sqrt_log_of_integers(gpu):
    p = ops.parameter([9], ov.Type.i32)
    x = np.array([1, 2, 3, 4, 10, 99, 100, 12345, 0], np.int32)
    check(gpu, ops.sqrt(p), [x])
    check(gpu, ops.log(p), [x + 1])
