"""Dynamic-shape models: compile_model builds a plan for the smallest shapes the model
accepts, which claims, folds and packs its weights into the compiled model's
``ConstantCache``; the plans built for the shapes it is then run with reuse those arrays
(same objects, same numbers) instead of packing them again."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import rand

import openvino as ov
import openvino.opset13 as ops


def _device(compiled: ov.CompiledModel):
    return compiled._device_model


def _plans(compiled: ov.CompiledModel) -> dict:
    return dict(_device(compiled)._plans)


def _big_arrays(plan, min_bytes: int = 1024) -> set[int]:
    return {id(a) for a in plan.const_arrays if a.nbytes >= min_bytes}


def _encoder_like() -> tuple[ov.Model, np.ndarray, np.ndarray]:
    """x[batch, seq, 32] -> MatMul(W1) + b -> Relu -> MatMul(W2^T): dynamic batch and
    sequence."""
    x = ops.parameter([-1, -1, 32], np.float32, name="x")
    w1, w2 = rand(32, 48, seed=1), rand(16, 48, seed=2)
    b = rand(48, seed=3)
    h = ops.relu(ops.add(ops.matmul(x, ops.constant(w1), False, False), ops.constant(b)))
    y = ops.matmul(h, ops.constant(w2), False, True)
    return ov.Model([y], [x]), w1, w2


def test_compile_builds_the_plan_of_the_smallest_shapes(core) -> None:
    model, _, _ = _encoder_like()
    compiled = core.compile_model(model, "CPU")
    assert list(_plans(compiled)) == [((1, 1, 32),)]
    assert len(_device(compiled)._cache) > 0


def test_plans_of_new_shapes_reuse_the_packed_weights(core) -> None:
    model, w1, w2 = _encoder_like()
    compiled = core.compile_model(model, "CPU")
    cache = _device(compiled)._cache
    made = cache.misses
    req = compiled.create_infer_request()
    b = rand(48, seed=3)
    for shape in [(4, 7, 32), (2, 33, 32), (1, 1, 32), (3, 5, 32)]:
        data = rand(*shape, seed=sum(shape))
        out = req.infer([data])[0]
        want = np.maximum(data @ w1 + b, 0) @ w2.T
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)
    plans = list(_plans(compiled).values())
    assert len(plans) == 4
    packed = [_big_arrays(p) for p in plans]
    assert packed[0] and all(s == packed[0] for s in packed[1:]), \
        "every plan reads the same packed weights"
    assert cache.misses == made, "no weight was packed again"


def test_results_match_a_model_compiled_for_the_shape(core) -> None:
    model, _, _ = _encoder_like()
    dynamic = core.compile_model(model, "CPU").create_infer_request()
    for shape in [(2, 9, 32), (5, 3, 32)]:
        data = rand(*shape, seed=shape[1])
        fixed = model.clone()
        fixed.reshape({0: list(shape)})
        want = core.compile_model(fixed, "CPU").create_infer_request().infer([data])[0]
        np.testing.assert_array_equal(dynamic.infer([data])[0], want)


def _int4_model(n: int = 40, k: int = 64, group: int = 16) -> ov.Model:
    rng = np.random.default_rng(0)
    x = ops.parameter([-1, k], np.float32)
    codes = rng.integers(0, 16, (n, k // group, group)).astype(np.uint8)
    w = ops.convert(ops.constant(codes, ov.Type.u4), ov.Type.f32)
    zp = ops.constant(rng.integers(0, 16, (n, k // group, 1)).astype(np.uint8), ov.Type.u4)
    w = ops.subtract(w, ops.convert(zp, ov.Type.f32))
    w = ops.multiply(w, ops.constant((rng.integers(1, 64, (n, k // group, 1)) / 256)
                                     .astype(np.float32)))
    w = ops.reshape(w, ops.constant(np.array([n, k], np.int64)), False)
    return ov.Model([ops.matmul(x, w, False, True)], [x])


def test_compressed_weights_are_claimed_and_packed_once(core, runner) -> None:
    model = _int4_model()
    compiled = core.compile_model(model, "CPU")
    made = _device(compiled)._cache.misses
    req = compiled.create_infer_request()
    for m in (3, 17, 64):
        data = rand(m, 64, seed=m)
        want = runner.reference(model, [data])[0]
        np.testing.assert_allclose(req.infer([data])[0], want, rtol=1e-5, atol=1e-4)
    plans = list(_plans(compiled).values())
    assert all(p.info[0].exec_type == "jit_gemm_u4_decompress_f32" for p in plans)
    codes = [{id(a) for a in p.const_arrays if a.dtype == np.uint8} for p in plans]
    assert codes[0] and all(c == codes[0] for c in codes)
    assert _device(compiled)._cache.misses == made


def test_conv_with_folded_f16_filters_and_batchnorm(core, runner) -> None:
    """f16 filters (a Convert folded to f32) and a BatchNorm folded into them: both made
    once for every batch size."""
    x = ops.parameter([-1, 3, 10, 10], np.float32)
    w = ops.convert(ops.constant(rand(8, 3, 3, 3).astype(np.float16)), ov.Type.f32)
    conv = ops.convolution(x, w, [1, 1], [1, 1], [1, 1], [1, 1])
    bn = ops.batch_norm_inference(conv, ops.constant(rand(8, seed=1) + 2),
                                  ops.constant(rand(8, seed=2)), ops.constant(rand(8, seed=3)),
                                  ops.constant(np.abs(rand(8, seed=4)) + 0.5), 1e-5)
    model = ov.Model([ops.relu(bn)], [x])
    compiled = core.compile_model(model, "CPU")
    made = _device(compiled)._cache.misses
    req = compiled.create_infer_request()
    for batch in (2, 5):
        data = rand(batch, 3, 10, 10, seed=batch)
        want = runner.reference(model, [data])[0]
        np.testing.assert_allclose(req.infer([data])[0], want, rtol=1e-4, atol=1e-4)
    packed = [_big_arrays(p, 512) for p in _plans(compiled).values()]
    assert packed[0] and all(s == packed[0] for s in packed[1:])
    # only the BatchNorm's shift (8 floats the fusion makes anew) is copied per plan
    assert _device(compiled)._cache.misses <= made + 2


def test_shapes_the_model_rejects_at_compile_are_left_to_the_first_run(core) -> None:
    """The smallest shape (batch 1) does not fit the Reshape: compile_model still
    succeeds, and the model runs at the shapes it accepts."""
    x = ops.parameter([-1, 8], np.float32)
    y = ops.relu(ops.reshape(x, ops.constant(np.array([-1, 16], np.int64)), False))
    compiled = core.compile_model(ov.Model([y], [x]), "CPU")
    assert _plans(compiled) == {}
    data = rand(4, 8)
    np.testing.assert_array_equal(compiled([data])[0], np.maximum(data.reshape(2, 16), 0))
    with pytest.raises(Exception):
        compiled([rand(3, 8)])


def test_values_made_for_one_shape_do_not_pile_up(core) -> None:
    """Folded values that depend on the shape (ShapeOf -> arithmetic) are made per plan;
    the cache keeps only what the latest plan used."""
    x = ops.parameter([-1, 6], np.float32)
    shape = ops.shape_of(x, "i64")
    doubled = ops.multiply(shape, ops.constant(np.array([2, 1], np.int64)))
    y = ops.broadcast(ops.constant(np.float32(1.5)), doubled)
    model = ov.Model([ops.add(ops.concat([x, x], 0), y)], [x])
    compiled = core.compile_model(model, "CPU")
    req = compiled.create_infer_request()
    sizes = []
    for batch in range(2, 9):
        data = rand(batch, 6, seed=batch)
        np.testing.assert_allclose(req.infer([data])[0],
                                   np.concatenate([data, data]) + 1.5, rtol=1e-6)
        _device(compiled).wait_templates()  # its sample plans (plan_template) too
        sizes.append(len(_device(compiled)._cache))
    assert max(sizes[1:]) <= sizes[0] + 2, sizes


def test_release_memory_drops_the_cache(core) -> None:
    model, _, _ = _encoder_like()
    compiled = core.compile_model(model, "CPU")
    compiled.release_memory()
    assert len(_device(compiled)._cache) == 0 and _plans(compiled) == {}
    data = rand(2, 3, 32)
    assert compiled([data])[0].shape == (2, 3, 16)


def test_plans_of_one_request_share_its_arena(core) -> None:
    """Another shape reuses the request's arena (grown to the largest plan's), and each
    plan's outputs are right after the others ran in the same memory."""
    model, w1, w2 = _encoder_like()
    compiled = core.compile_model(model, "CPU")
    req = compiled.create_infer_request()
    b = rand(48, seed=3)
    shapes = [(2, 3, 32), (4, 40, 32), (1, 2, 32), (2, 3, 32), (4, 40, 32)]
    for shape in shapes:
        data = rand(*shape, seed=shape[1])
        want = np.maximum(data @ w1 + b, 0) @ w2.T
        np.testing.assert_allclose(req.infer([data])[0], want, rtol=1e-5, atol=1e-5)
    runners = list(req._request._runners.values())  # the CPU device's request
    assert len(runners) == 3
    assert len({id(r.arena) for r in runners}) == 1
    assert runners[0].arena.nbytes >= max(r.plan.arena_size for r in runners)



def test_a_cycle_of_twenty_shapes_is_planned_once(core, monkeypatch) -> None:
    """A workload that cycles through a few dozen sequence lengths keeps every plan: the
    second pass builds none (the plans are small next to the weights they share)."""
    from openvino_cpu import compiled_model as cm_module

    model, w1, w2 = _encoder_like()
    compiled = core.compile_model(model, "CPU")
    req = compiled.create_infer_request()
    built = []
    real_compile = cm_module.CPUCompiledModel._compile

    def counting(self, shapes):
        built.append(shapes)
        return real_compile(self, shapes)

    monkeypatch.setattr(cm_module.CPUCompiledModel, "_compile", counting)
    b = rand(48, seed=3)
    per_pass = []
    for _ in range(2):
        before = len(built)
        for seq in range(2, 22):
            data = rand(1, seq, 32, seed=seq)
            want = np.maximum(data @ w1 + b, 0) @ w2.T
            np.testing.assert_allclose(req.infer([data])[0], want, rtol=1e-5, atol=1e-5)
        per_pass.append(len(built) - before)
    # the first pass compiles at most every shape in full (the others come from the
    # template of their regime, see test_plan_template.py); the second compiles none
    assert 1 <= per_pass[0] <= 20 and per_pass[1] == 0, per_pass
    assert len(_plans(compiled)) == 21
