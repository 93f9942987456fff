"""Plan templates: a dynamic model's plan for a new size comes from a template fitted to
plans compiled at a grid of sizes (``openvino_cpu.compiler.plan_template``), not from a
full compile; it must be the very plan a full compile makes, and every result must match
the reference."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import rand

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu import compiled_model as cm_module
from openvino_cpu._native import ffi
from openvino_cpu.compiler.plan_template import DynamicDims, PlanTemplate

H, HEADS = 32, 4


@pytest.fixture(autouse=True)
def _templates_ahead(monkeypatch):
    """Templates at compile time even for these small models (``TEMPLATE_AHEAD_OPS``)."""
    monkeypatch.setattr(cm_module, "TEMPLATE_AHEAD_OPS", 0)


def _device(compiled: ov.CompiledModel):
    return compiled._device_model


def _encoder(seed: int = 0, bounds: tuple | None = None) -> ov.Model:
    """x[batch, seq, 32], mask[batch, seq]: layer norm, q/k/v projections, 4-head
    attention with an additive mask, output projection, residual, GELU feed-forward."""
    seq = ov.Dimension(*bounds) if bounds else -1
    x = ops.parameter(ov.PartialShape([-1, seq, H]), np.float32, name="x")
    mask = ops.parameter(ov.PartialShape([-1, seq]), np.float32, name="mask")
    rng = np.random.default_rng(seed)

    def w(*shape: int) -> ov.Node:
        return ops.constant((rng.standard_normal(shape) * 0.2).astype(np.float32))

    h = ops.mvn(x, ops.constant(np.array([-1], np.int64)), True, 1e-5, "inside_sqrt")

    def heads(t: ov.Node) -> ov.Node:
        t = ops.reshape(t, ops.constant(np.array([0, 0, HEADS, H // HEADS], np.int64)), True)
        return ops.transpose(t, ops.constant(np.array([0, 2, 1, 3], np.int64)))

    q = heads(ops.add(ops.matmul(h, w(H, H), False, False), w(H)))
    k = heads(ops.add(ops.matmul(h, w(H, H), False, False), w(H)))
    v = heads(ops.add(ops.matmul(h, w(H, H), False, False), w(H)))
    bias = ops.multiply(ops.subtract(ops.constant(np.float32(1)), mask),
                        ops.constant(np.float32(-1e4)))
    bias = ops.unsqueeze(bias, ops.constant(np.array([1, 2], np.int64)))
    s = ops.multiply(ops.matmul(q, k, False, True),
                     ops.constant(np.float32(1 / np.sqrt(H // HEADS))))
    p = ops.softmax(ops.add(s, bias), -1)
    a = ops.transpose(ops.matmul(p, v, False, False),
                      ops.constant(np.array([0, 2, 1, 3], np.int64)))
    a = ops.reshape(a, ops.constant(np.array([0, 0, H], np.int64)), True)
    y = ops.add(x, ops.matmul(a, w(H, H), False, False))
    f = ops.gelu(ops.add(ops.matmul(y, w(H, 2 * H), False, False), w(2 * H)))
    out = ops.add(y, ops.matmul(f, w(2 * H, H), False, False))
    return ov.Model([out], [x, mask], "encoder")


def _inputs(b: int, s: int) -> list[np.ndarray]:
    mask = np.ones((b, s), np.float32)
    mask[:, s - s // 3:] = 0  # padded tails
    mask[:, 0] = 1
    return [rand(b, s, H, seed=b * 100 + s), mask]


def _check(runner, model, req, b: int, s: int) -> None:
    data = _inputs(b, s)
    got = np.asarray(req.infer(data)[0])
    want = runner.reference(model, data)[0]
    assert got.shape == want.shape == (b, s, H)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4, err_msg=f"{b}x{s}")


def _recorded_builds(dev, monkeypatch) -> list:
    """The input shapes of every plan ``dev`` compiles in full from now on."""
    built: list = []
    build = type(dev)._build
    monkeypatch.setattr(type(dev), "_build",
                        lambda self, shapes: built.append(shapes) or build(self, shapes))
    return built


def _warm(compiled: ov.CompiledModel, req, b: int, s: int) -> None:
    """Run ``b`` x ``s`` and another size of its regime, and wait for the regime's
    template (built after its first size, ``start_templates``; that of a small model
    after its second)."""
    req.infer(_inputs(b, s))
    other = (b if b == 1 else b + 1, s if s == 1 else s + 1)
    if b == s:
        other = (b + 1, b + 1)
    req.infer(_inputs(*other))
    _device(compiled).wait_templates()


def test_the_first_size_starts_the_template_from_the_compile_time_sample(core, runner,
                                                                        monkeypatch) -> None:
    """Batch and sequence tied across the inputs, neither 1: the regime compile_model
    guesses (``DynamicDims.guess``). Its first sample plan packs the weights at compile
    time; the first size run is compiled in full and starts the regime's template, fitted
    on a thread from that sample, the rest of the grid and the size run (its check), and
    the template then makes the plan of every other size."""
    model = _encoder()
    compiled = core.compile_model(model, "CPU")
    dev = _device(compiled)
    key = (0, 1, 0, 1)
    assert dev._templates == {} and list(dev._samples) == [key] and len(dev._cache) > 0
    assert not dev._plans  # no plan of the smallest shapes either
    built = _recorded_builds(dev, monkeypatch)
    req = compiled.create_infer_request()
    _check(runner, model, req, 4, 9)
    dev.wait_templates()
    template = dev._templates[key]
    assert isinstance(template, PlanTemplate) and template.degree == 1
    # the size run, then the three grid sizes compile time left: (4, 9) is the check
    grid = dev._dims.samples(key, 1)[:-1]
    assert built == [((4, 9, H), (4, 9))] + [dev._dims.shapes(key, v) for v in grid[1:]]
    assert dev._samples == {}
    for b, s in [(2, 7), (4, 9), (3, 64), (2, 7), (6, 2), (2, 129), (5, 17), (8, 3)]:
        _check(runner, model, req, b, s)
        assert dev.plan_for(((b, s, H), (b, s))).from_template == ((b, s) != (4, 9))
    misses = dev._cache.misses
    _check(runner, model, req, 1, 1)  # another regime: compiled in full, weights reused
    assert dev._cache.misses - misses < 8


def test_a_first_size_on_the_grid_leaves_the_check_to_its_own_size(core, runner,
                                                                   monkeypatch) -> None:
    """A first size sharing a value with the grid (batch 2) cannot stand in for the
    check: the fit compiles the check size as well."""
    model = _encoder(seed=11)
    compiled = core.compile_model(model, "CPU")
    dev = _device(compiled)
    built = _recorded_builds(dev, monkeypatch)
    req = compiled.create_infer_request()
    _check(runner, model, req, 2, 40)
    dev.wait_templates()
    key = (0, 1, 0, 1)
    assert isinstance(dev._templates[key], PlanTemplate)
    sizes = dev._dims.samples(key, 1)
    assert built[1:] == [dev._dims.shapes(key, v) for v in sizes[1:]]
    _check(runner, model, req, 3, 21)
    assert dev.plan_for(((3, 21, H), (3, 21))).from_template


def test_the_second_size_of_another_regime_starts_its_template(core, runner,
                                                             monkeypatch) -> None:
    """A small model gets no template at compile time; a regime run at a second size gets
    one, built on a thread after that run."""
    monkeypatch.setattr(cm_module, "TEMPLATE_AHEAD_OPS", 10**9)
    model = _encoder(seed=9)
    compiled = core.compile_model(model, "CPU")
    dev = _device(compiled)
    assert dev._templates == {}
    req = compiled.create_infer_request()
    _check(runner, model, req, 2, 7)
    assert dev._templates == {} and not dev._pending  # one size: no template yet
    _check(runner, model, req, 3, 7)
    dev.wait_templates()
    assert isinstance(dev._templates[(0, 1, 0, 1)], PlanTemplate)
    for b, s in [(4, 9), (2, 7), (5, 2)]:
        _check(runner, model, req, b, s)
        made = dev.plan_for(((b, s, H), (b, s)))
        assert made.from_template == ((b, s) not in [(2, 7), (3, 7)])


def test_sizes_of_one_and_equal_sizes_have_templates_of_their_own(core, runner) -> None:
    model = _encoder(seed=1)
    compiled = core.compile_model(model, "CPU")
    dev = _device(compiled)
    req = compiled.create_infer_request()
    # batch 1, sequence 1, both, and batch == sequence: four regimes
    for first, later in [((1, 5), [(1, 12), (1, 2), (1, 33)]),
                         ((3, 1), [(2, 1), (7, 1)]),
                         ((4, 4), [(6, 6), (2, 2)]),
                         ((1, 1), [])]:
        _warm(compiled, req, *first)
        _check(runner, model, req, *first)
        for b, s in later:
            _check(runner, model, req, b, s)
            assert dev.plan_for(((b, s, H), (b, s))).from_template, (b, s)
    assert set(dev._templates) >= {(-1, 0, -1, 0), (0, -1, 0, -1), (0, 0, 0, 0)}


def test_an_instance_is_the_plan_a_full_compile_makes(core) -> None:
    compiled = core.compile_model(_encoder(seed=2), "CPU")
    dev = _device(compiled)
    req = compiled.create_infer_request()
    _warm(compiled, req, 1, 10)
    _warm(compiled, req, 4, 6)
    for b, s in [(2, 5), (9, 100), (3, 11), (17, 2), (1, 3), (1, 77)]:
        shapes = ((b, s, H), (b, s))
        made = dev.plan_for(shapes)
        full = dev._build(shapes)
        assert made.from_template and not full.from_template
        assert made.nsteps == full.nsteps and made.arena_size == full.arena_size
        n = made.nsteps * ffi.sizeof("ov_step")
        assert bytes(ffi.buffer(made.records, n)) == bytes(ffi.buffer(full.records, n))
        assert [(o.slot, o.offset, o.shape) for o in made.outputs] == \
            [(o.slot, o.offset, o.shape) for o in full.outputs]
        assert [i.exec_type for i in made.info] == [i.exec_type for i in full.info]


def test_the_arena_grows_and_serves_smaller_sizes(core, runner) -> None:
    model = _encoder(seed=3)
    compiled = core.compile_model(model, "CPU")
    req = compiled.create_infer_request()
    _warm(compiled, req, 2, 3)
    sizes = [(2, 4), (8, 96), (3, 5), (8, 97), (2, 4)]
    for b, s in sizes:
        _check(runner, model, req, b, s)
    runners = list(req._request._runners.values())  # the CPU device's request
    assert all(r.plan.from_template for r in runners)
    arena = req._request._arena.buffer  # one buffer, grown to the largest plan's
    assert runners[-1].arena is arena
    assert arena.nbytes >= max(r.plan.arena_size for r in runners)
    assert max(r.plan.arena_size for r in runners) > 2 * min(r.plan.arena_size
                                                             for r in runners)


def test_plans_made_from_the_template_are_evicted_like_the_others(core, runner,
                                                                 monkeypatch) -> None:
    monkeypatch.setattr(cm_module, "MAX_PLANS", 3)
    model = _encoder(seed=4)
    compiled = core.compile_model(model, "CPU")
    dev = _device(compiled)
    req = compiled.create_infer_request()
    _warm(compiled, req, 2, 6)
    for b, s in [(2, 7), (2, 8), (2, 9), (2, 10), (2, 7), (3, 3 + 8)]:
        _check(runner, model, req, b, s)
        assert len(dev._plans) <= 3
    assert ((2, 7, H), (2, 7)) in dev._plans


def test_a_failed_check_compiles_the_plan_in_full(core, runner, monkeypatch) -> None:
    model = _encoder(seed=5)
    compiled = core.compile_model(model, "CPU")
    dev = _device(compiled)
    req = compiled.create_infer_request()
    _warm(compiled, req, 2, 6)
    template = dev._templates[(0, 1, 0, 1)]
    # storages of the arena shrunk below their values: the bounds check refuses it
    tops = slice(template.n_rec + 4 * template.n_ops,
                 template.n_rec + 4 * template.n_ops + len(template.tops))
    template.coeffs = template.coeffs.copy()
    template.coeffs[:, tops] //= 2
    assert template.instantiate(((3, 9, H), (3, 9)), (3, 9)) is None
    _check(runner, model, req, 3, 9)
    assert not dev.plan_for(((3, 9, H), (3, 9))).from_template


def test_a_convolution_model_keeps_the_full_compile(core, runner) -> None:
    x = ops.parameter([-1, 3, -1, -1], np.float32, name="x")
    y = ops.relu(ops.convolution(x, ops.constant(rand(8, 3, 3, 3, seed=1)), [1, 1],
                                 [1, 1], [1, 1], [1, 1]))
    model = ov.Model([y], [x])
    compiled = core.compile_model(model, "CPU")
    dev = _device(compiled)
    req = compiled.create_infer_request()
    data = rand(2, 3, 9, 11, seed=2)
    req.infer([data])
    dev.wait_templates()
    assert dev._templates and not any(dev._templates.values())
    for shape in [(2, 3, 9, 12), (3, 3, 20, 7)]:
        data = rand(*shape, seed=3)
        got = np.asarray(req.infer([data])[0])
        np.testing.assert_allclose(got, runner.reference(model, [data])[0], rtol=1e-4,
                                   atol=1e-4)


def test_bounds_that_leave_too_few_sample_sizes_keep_the_full_compile(core, runner) -> None:
    model = _encoder(seed=6, bounds=(2, 4))
    compiled = core.compile_model(model, "CPU")
    dev = _device(compiled)
    req = compiled.create_infer_request()
    _warm(compiled, req, 2, 3)
    assert dev._templates[(0, 1, 0, 1)] is False
    _check(runner, model, req, 5, 4)


def test_requests_of_several_sizes_at_once(core, runner) -> None:
    model = _encoder(seed=7)
    compiled = core.compile_model(model, "CPU", {"PERFORMANCE_HINT": "THROUGHPUT"})
    req = compiled.create_infer_request()
    _warm(compiled, req, 2, 5)
    sizes = [(2, 9), (3, 4), (5, 31), (2, 9), (4, 7), (3, 12), (6, 2), (2, 3)]
    results: dict[int, np.ndarray] = {}
    queue = ov.AsyncInferQueue(compiled, 3)
    queue.set_callback(lambda r, i: results.__setitem__(i, np.array(r.get_output_tensor(0)
                                                                    .data)))
    for i, (b, s) in enumerate(sizes):
        queue.start_async(_inputs(b, s), i)
    queue.wait_all()
    for i, (b, s) in enumerate(sizes):
        want = runner.reference(model, _inputs(b, s))[0]
        np.testing.assert_allclose(results[i], want, rtol=1e-4, atol=1e-4)


def test_regimes_of_shapes() -> None:
    x = ops.parameter(ov.PartialShape([-1, ov.Dimension(1, 50), 8]), np.float32)
    m = ops.parameter(ov.PartialShape([-1, ov.Dimension(1, 50)]), np.float32)
    dims = DynamicDims([x.get_output_partial_shape(0), m.get_output_partial_shape(0)])
    assert dims.regime(((4, 9, 8), (4, 9))) == ((0, 1, 0, 1), (4, 9))
    assert dims.regime(((1, 9, 8), (1, 9))) == ((-1, 0, -1, 0), (9,))
    assert dims.regime(((9, 9, 8), (9, 9))) == ((0, 0, 0, 0), (9,))
    assert dims.regime(((4, 9, 8), (4, 7))) == ((0, 1, 0, 2), (4, 9, 7))
    assert dims.regime(((4, 9, 7), (4, 9))) is None      # a static dimension changed
    assert dims.regime(((4, 51, 8), (4, 51))) is None    # above the bound
    assert dims.regime(((0, 9, 8), (0, 9))) is None      # empty
    assert dims.regime(((4, 9), (4, 9))) is None         # another rank
    assert dims.guess() == [(0, 1, 0, 1)]  # four free variables: too many
    for degree, grid in [(1, 4), (2, 9)]:
        samples = dims.samples((0, 1, 0, 1), degree)
        assert len(samples) == grid + 1 and len(set(samples)) == len(samples)
        assert all(a != b and 1 not in (a, b) for a, b in samples)
    assert dims.shapes((0, 1, 0, 1), (4, 9)) == ((4, 9, 8), (4, 9))
    bounded = DynamicDims([ops.parameter(ov.PartialShape([ov.Dimension(1, 3)]),
                                         np.float32).get_output_partial_shape(0)])
    assert bounded.samples((0,), 1) is None


@pytest.mark.parametrize("values", [(3, 4), (1000, 4096)])
def test_instances_refuse_numbers_beyond_64_bits(core, values) -> None:
    compiled = core.compile_model(_encoder(seed=8), "CPU")
    dev = _device(compiled)
    req = compiled.create_infer_request()
    _warm(compiled, req, 2, 3)
    template = dev._templates[(0, 1, 0, 1)]
    b, s = values
    assert template.instantiate(((b, s, H), (b, s)), (b, s)) is not None
    huge = (1 << 31, 1 << 31)
    assert template.instantiate(((huge[0], huge[1], H), huge), huge) is None


def test_a_large_model_starts_a_regime_template_after_its_first_size(core, runner) -> None:
    model = _encoder(seed=10)
    compiled = core.compile_model(model, "CPU")  # of TEMPLATE_AHEAD_OPS (0 here)
    dev = _device(compiled)
    req = compiled.create_infer_request()
    _check(runner, model, req, 1, 9)
    dev.wait_templates()
    assert isinstance(dev._templates[(-1, 0, -1, 0)], PlanTemplate)
    _check(runner, model, req, 1, 23)
    assert dev.plan_for(((1, 23, H), (1, 23))).from_template
