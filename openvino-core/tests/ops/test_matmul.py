"""MatMul and Einsum: shape inference (1D rules, batch broadcasting, dynamic and interval
dimensions, dynamic rank) and references against explicit loops."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset7, opset8
from openvino._ops.einsum import Einsum
from openvino._ops.matmul import MatMul

RNG = np.random.default_rng(11)


def _param(shape, dtype=np.float32):
    return opset8.parameter(shape, dtype)


def _rand(shape, dtype):
    if np.dtype(dtype).kind in "iu":
        return RNG.integers(-5, 6, size=shape).astype(dtype)
    return RNG.standard_normal(shape).astype(dtype)


def loop_matmul(a, b):
    """Row-by-column products with explicit loops over 2D matrices and broadcast batches."""
    a_vec, b_vec = a.ndim == 1, b.ndim == 1
    a2 = a[None, :] if a_vec else a
    b2 = b[:, None] if b_vec else b
    batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    m, k, n = a2.shape[-2], a2.shape[-1], b2.shape[-1]
    acc = np.float64 if a.dtype.kind == "f" else np.int64
    out = np.zeros(batch + (m, n), dtype=acc)
    ab = np.broadcast_to(a2, batch + a2.shape[-2:])
    bb = np.broadcast_to(b2, batch + b2.shape[-2:])
    for idx in itertools.product(*[range(d) for d in batch]):
        for i, j in itertools.product(range(m), range(n)):
            out[idx + (i, j)] = sum(acc(ab[idx + (i, t)]) * acc(bb[idx + (t, j)])
                                    for t in range(k))
    if a_vec:
        out = out[..., 0, :]
    if b_vec:
        out = out[..., 0]
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.float64])
@pytest.mark.parametrize("a_shape, b_shape, ta, tb", [
    ((3, 4), (4, 5), False, False),
    ((4, 3), (4, 5), True, False),
    ((3, 4), (5, 4), False, True),
    ((4, 3), (5, 4), True, True),
    ((2, 1, 3, 4), (5, 4, 2), False, False),
    ((2, 3, 4), (1, 4, 2), False, False),
    ((4,), (4, 3), False, False),
    ((4,), (2, 4, 3), True, False),
    ((2, 3, 4), (4,), False, True),
    ((4,), (4,), True, True),
    ((1, 4), (4,), False, False),
])
def test_matmul_matches_loops(dtype, a_shape, b_shape, ta, tb):
    a, b = _rand(a_shape, dtype), _rand(b_shape, dtype)
    node = opset1.matmul(_param(a_shape, dtype), _param(b_shape, dtype), ta, tb)
    got = node.reference(a, b)
    a_eff = np.swapaxes(a, -1, -2) if ta and a.ndim > 1 else a
    b_eff = np.swapaxes(b, -1, -2) if tb and b.ndim > 1 else b
    expected = loop_matmul(a_eff, b_eff)
    assert list(node.get_output_shape(0)) == list(expected.shape) == list(got.shape)
    assert got.dtype == np.dtype(dtype)
    if dtype == np.int32:
        np.testing.assert_array_equal(got, expected.astype(np.int32))
    else:
        tol = 2e-2 if dtype == np.float16 else 1e-5
        np.testing.assert_allclose(got.astype(np.float64), expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("a, b, ta, tb, out", [
    ([-1, 3, 4], [4, 5], False, False, [-1, 3, 5]),
    ([-1, 16, 64], [64, 64], False, True, [-1, 16, 64]),
    ([(2, 8), -1, 4], [5, 4, (3, 9)], False, False, [5, -1, (3, 9)]),
    ([(2, 8), 4, (1, 3)], [4, (2, 7)], True, False, [(2, 8), (1, 3), (2, 7)]),
    ([-1, 4], [-1, 5], True, False, [4, 5]),
    ([3, -1], [-1], False, False, [3]),
    ([-1], [-1, 2, -1], False, False, [-1, -1]),
    ([2, 1, 3, 4], [7, 4, 2], False, False, [2, 7, 3, 2]),
    ([1, 3, 4], [-1, 4, 2], False, False, [-1, 3, 2]),
])
def test_matmul_shape_inference(a, b, ta, tb, out):
    node = opset1.matmul(_param(a), _param(b), ta, tb)
    assert node.get_output_partial_shape(0) == ov.PartialShape(out)


def test_matmul_dynamic_rank_and_attributes():
    node = opset1.matmul(_param(ov.PartialShape.dynamic()), _param([4, 5]), False, False)
    assert node.get_output_partial_shape(0) == ov.PartialShape.dynamic()
    node = opset1.matmul(_param([2, 3]), _param([2, 4]), True, False)
    assert isinstance(node, MatMul)
    assert node._ir_attributes() == {"transpose_a": "true", "transpose_b": "false"}
    assert node.get_type_name() == "MatMul"


def test_matmul_invalid_arguments():
    with pytest.raises(RuntimeError, match="Incompatible MatMul matrix dimension"):
        opset1.matmul(_param([3, 4]), _param([5, 6]), False, False)
    with pytest.raises(RuntimeError, match="Incompatible MatMul matrix dimension"):
        opset1.matmul(_param([3, 4]), _param([5, 4]), False, False)
    with pytest.raises(RuntimeError, match="broadcast"):
        opset1.matmul(_param([2, 3, 4]), _param([3, 4, 5]), False, False)
    with pytest.raises(RuntimeError, match="same element type"):
        opset1.matmul(_param([3, 4]), _param([4, 5], np.int32), False, False)
    with pytest.raises(RuntimeError, match="Scalars"):
        opset1.matmul(_param([]), _param([4, 5]), False, False)
    with pytest.raises(RuntimeError, match="numeric"):
        opset1.matmul(_param([3, 4], bool), _param([4, 5], bool), False, False)


def test_matmul_in_a_model_with_dynamic_batch():
    data = _param([-1, 3])
    weights = _rand((3, 2), np.float32)
    mm = opset1.matmul(data, weights, False, False)
    model = ov.Model([mm], [data])
    x = _rand((4, 3), np.float32)
    out = [ov.Tensor(np.zeros((4, 2), np.float32))]
    assert model.evaluate(out, [ov.Tensor(x)])
    np.testing.assert_allclose(out[0].data, loop_matmul(x, weights), rtol=1e-5, atol=1e-5)


# --- Einsum ----------------------------------------------------------------------------------
def _loop_einsum(equation, *ops):
    """Explicit-output einsum by summing over every label assignment (no ellipsis)."""
    lhs, rhs = equation.split("->")
    terms = lhs.split(",")
    sizes = {}
    for term, op in zip(terms, ops):
        for lab, d in zip(term, op.shape):
            sizes[lab] = d
    labels = sorted(sizes)
    out = np.zeros([sizes[lab] for lab in rhs])
    for values in itertools.product(*[range(sizes[lab]) for lab in labels]):
        env = dict(zip(labels, values))
        prod = 1.0
        for term, op in zip(terms, ops):
            prod *= float(op[tuple(env[lab] for lab in term)])
        out[tuple(env[lab] for lab in rhs)] += prod
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.float16])
@pytest.mark.parametrize("equation, shapes, explicit", [
    ("ab,bc->ac", [(2, 3), (3, 4)], "ab,bc->ac"),
    ("ab,bc", [(2, 3), (3, 4)], "ab,bc->ac"),
    ("ij->ji", [(2, 3)], "ij->ji"),
    ("ii->i", [(3, 3)], "ii->i"),
    ("ii", [(3, 3)], "ii->"),
    ("a,b->ab", [(2,), (3,)], "a,b->ab"),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)], "bij,bjk->bik"),
    ("abc,cd,b->ad", [(2, 3, 2), (2, 3), (3,)], "abc,cd,b->ad"),
    ("aB,Ba->", [(2, 3), (3, 2)], "aB,Ba->"),
])
def test_einsum_matches_loops(dtype, equation, shapes, explicit):
    ops = [_rand(s, dtype) for s in shapes]
    node = opset7.einsum([_param(s, dtype) for s in shapes], equation)
    got = node.reference(*ops)
    expected = _loop_einsum(explicit, *ops)
    assert list(node.get_output_shape(0)) == list(expected.shape) == list(got.shape)
    assert got.dtype == np.dtype(dtype)
    tol = 2e-2 if dtype == np.float16 else 1e-5
    np.testing.assert_allclose(got.astype(np.float64), expected, rtol=tol, atol=tol)


def test_einsum_ellipsis_broadcasting():
    a = _rand((2, 1, 3, 4), np.float32)
    b = _rand((5, 4, 2), np.float32)
    node = opset7.einsum([_param(a.shape), _param(b.shape)], "...ij,...jk->...ik")
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 5, 3, 2])
    np.testing.assert_allclose(node.reference(a, b), loop_matmul(a, b), rtol=1e-5, atol=1e-5)
    implicit = opset7.einsum([_param(a.shape)], "...ij")
    assert implicit.get_output_partial_shape(0) == ov.PartialShape([2, 1, 3, 4])
    diag = opset7.einsum([_param([2, 3, 3])], "...ii->...i")
    m = _rand((2, 3, 3), np.float32)
    np.testing.assert_allclose(diag.reference(m), [np.diag(m[0]), np.diag(m[1])], rtol=1e-6)


def test_einsum_shape_inference_dynamic():
    node = opset7.einsum([_param([-1, 3]), _param([3, (2, 5)])], "ab,bc->ac")
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, (2, 5)])
    node = opset7.einsum([_param([-1, (2, 6)]), _param([(4, 8), 3])], "ab,bc->ca")
    assert node.get_output_partial_shape(0) == ov.PartialShape([3, -1])
    node = opset7.einsum([_param(ov.PartialShape.dynamic()), _param([3, 4])], "ab,bc->ac")
    assert node.get_output_partial_shape(0) == ov.PartialShape([-1, 4])
    node = opset7.einsum([_param(ov.PartialShape.dynamic()), _param([3, 4])],
                         "...b,bc->...c")
    assert node.get_output_partial_shape(0) == ov.PartialShape.dynamic()
    assert isinstance(node, Einsum) and node.version == "opset7"
    assert node._ir_attributes() == {"equation": "...b,bc->...c"}


def test_einsum_invalid_arguments():
    with pytest.raises(RuntimeError, match="incompatible dimensions"):
        opset7.einsum([_param([2, 3]), _param([4, 5])], "ab,bc->ac")
    with pytest.raises(RuntimeError, match="input subscripts"):
        opset7.einsum([_param([2, 3])], "ab,bc->ac")
    with pytest.raises(RuntimeError, match="invalid label"):
        opset7.einsum([_param([2, 3])], "a1->a")
    with pytest.raises(RuntimeError, match="does not occur"):
        opset7.einsum([_param([2, 3])], "ab->c")
    with pytest.raises(RuntimeError, match="rank"):
        opset7.einsum([_param([2, 3, 4])], "ab->a")
    with pytest.raises(RuntimeError, match="repeated"):
        opset7.einsum([_param([2, 2])], "ab->aa")
    with pytest.raises(RuntimeError, match="same element type"):
        opset7.einsum([_param([2, 3]), _param([3], np.int32)], "ab,b->a")
    with pytest.raises(RuntimeError, match="ellipsis"):
        opset7.einsum([_param([2, 3])], "...a->a")
