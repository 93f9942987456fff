"""Winograd F(4x4, 3x3) and F(2x2, 3x3) convolutions (``kernels/winograd.c``, OV_K_CONV
modes 8 and 3) against the TEMPLATE reference, on every instruction-set path: output sizes that
leave partial tiles, pads 0 to 2 (asymmetric too), channel counts that leave every
remainder of the 12-channel panels and reductions over several 128-deep blocks, batches,
the epilogues the output transform fuses and one it leaves to the post-op pass, zero-sized
dimensions, unaligned inputs; and the error against an f64 reference on He-scaled layers
of the benchmark models' shapes (the accuracy gate: 1e-4 of the output's magnitude)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, rand, unaligned

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu._native import Pool
from openvino_cpu.compiler.lower_compute import _winograd_run
from openvino_cpu.compiler.packing import winograd_filters
from openvino_cpu.compiler.plan import PlanRunner

WINO = "jit_winograd_conv_f32"


@pytest.fixture(params=[("4", ""), ("2", ""), ("4", "plane"), ("2", "plane"), ("4", "7"),
                        ("2", "5")],
                ids=["F4x4", "F2x2", "F4x4-plane", "F2x2-plane", "F4x4-run7", "F2x2-run5"])
def forced(monkeypatch, request):
    """The tile size, and mode 8 (tile runs fused per thread; runs capped at 7 or 5 columns
    to start and end them inside tile rows) or mode 3 (plane-wide stages)."""
    tile, run = request.param
    monkeypatch.setenv("OV_CPU_WINOGRAD", tile)
    if run == "plane":
        monkeypatch.setenv("OV_CPU_WINOGRAD_FUSED", "0")
    elif run:
        monkeypatch.setenv("OV_CPU_WINOGRAD_RUN", run)
    return int(tile)


def _model(n, cin, cout, hw, pads=((1, 1), (1, 1)), tail="bias_relu", seed=0):
    x = ops.parameter([n, cin, *hw], np.float32)
    w = ops.constant(rand(cout, cin, 3, 3, seed=seed))
    (pt, pl), (pb, pr) = pads
    y = ops.convolution(x, w, [1, 1], [pt, pl], [pb, pr], [1, 1])
    params, inputs = [x], [rand(n, cin, *hw, seed=seed + 1)]
    if tail in ("bias_relu", "bias_residual", "bias_residual_clamp"):
        y = ops.add(y, ops.constant(rand(1, cout, 1, 1, seed=seed + 2)))
    if tail in ("bias_residual", "bias_residual_clamp"):
        shape = list(y.get_output_partial_shape(0).to_shape())
        r = ops.parameter(shape, np.float32)
        params.append(r)
        inputs.append(rand(*shape, seed=seed + 3))
        y = ops.add(y, r)
    if tail == "bias_residual_clamp":
        y = ops.clamp(y, -0.5, 0.75)
    if tail == "bias_relu":
        y = ops.relu(y)
    if tail == "pixel_bias":
        shape = list(y.get_output_partial_shape(0).to_shape())
        y = ops.add(y, ops.constant(rand(1, 1, shape[2], shape[3], seed=seed + 4)))
    if tail == "sigmoid":
        y = ops.sigmoid(y)
    return ov.Model([y], params), inputs


def _check(runner, model, inputs, tol=1e-4, unclamped=None):
    """Winograd's error grows with the output's magnitude, not each element's: the gate is
    max |ours - reference| / max |reference| (the reference computes directly). A clamped
    output is measured against the magnitude of the same sum before the clamp (the model
    ``unclamped``), where the error arises: its values reach 45 where the clamp's stop at
    0.75."""
    got = runner.cpu(model, inputs)
    want = runner.reference(model, inputs)
    scale = want if unclamped is None else runner.reference(unclamped, inputs)
    for g, w, s in zip(got, want, scale):
        assert g.shape == w.shape
        err = np.abs(g.astype(np.float64) - w).max(initial=0.0)
        assert err <= tol * max(np.abs(s).max(initial=0.0), 1e-3), err


def _unclamped(n, cin, cout, hw, pads, tail, seed):
    """The model of ``tail`` without its clamp (the same inputs), or None."""
    if tail != "bias_residual_clamp":
        return None
    return _model(n, cin, cout, hw, pads, "bias_residual", seed)[0]


def _exec_types(core, model):
    return [i.exec_type for i in plan_of(core.compile_model(model, "CPU")).info]


@pytest.mark.parametrize("tail", ["none", "bias_relu", "bias_residual_clamp", "pixel_bias",
                                  "sigmoid"])
@pytest.mark.parametrize("case", [
    # n, cin, cout, hw, pads
    (1, 7, 17, (14, 14), ((1, 1), (1, 1))),
    (2, 13, 12, (9, 11), ((1, 1), (1, 1))),
    (1, 3, 25, (5, 6), ((0, 0), (0, 0))),
    (1, 20, 1, (17, 13), ((2, 0), (1, 2))),
    (1, 1, 5, (3, 3), ((1, 1), (1, 1))),
    (1, 150, 30, (8, 10), ((1, 1), (1, 1))),
])
def test_winograd_geometry_and_epilogues(runner, core, forced, every_isa_level, case, tail) -> None:
    n, cin, cout, hw, pads = case
    model, inputs = _model(n, cin, cout, hw, pads, tail, seed=cin + cout)
    _check(runner, model, inputs, unclamped=_unclamped(n, cin, cout, hw, pads, tail, cin + cout))
    assert WINO in _exec_types(core, model)


@pytest.mark.parametrize("seed", range(16))
def test_winograd_random_shapes(runner, forced, every_isa_level, seed) -> None:
    rng = np.random.default_rng(7000 + seed)
    n = int(rng.integers(1, 3))
    cin = int(rng.choice([1, 2, 9, 31, 64, 131]))
    cout = int(rng.integers(1, 50))
    pads = tuple(tuple(int(p) for p in rng.integers(0, 3, 2)) for _ in range(2))
    h = int(rng.integers(3, 30))
    w = int(rng.integers(3, 40))
    tail = str(rng.choice(["none", "bias_relu", "bias_residual_clamp", "sigmoid"]))
    model, inputs = _model(n, cin, cout, (h, w), pads, tail, seed=seed)
    _check(runner, model, inputs, unclamped=_unclamped(n, cin, cout, (h, w), pads, tail, seed))


@pytest.mark.parametrize("threads", [2, 3, 4])
@pytest.mark.parametrize("case", [
    # n, cin, cout, hw, tail: planes whose tiles do not divide between the threads (mode 8
    # then splits the output channel panels of the last run, or of every run, between tasks)
    (1, 64, 64, (56, 56), "bias_relu"),
    (1, 16, 64, (55, 55), "bias_residual_clamp"),
    (1, 40, 37, (47, 45), "sigmoid"),
    (2, 24, 50, (30, 29), "bias_relu"),
    (1, 96, 130, (14, 14), "none"),
])
def test_winograd_thread_splits(runner, every_isa_level, threads, case) -> None:
    """Mode 8 on 2 to 4 threads: tasks of runs of tiles and of groups of output channel
    panels, every channel of every tile written once."""
    n, cin, cout, hw, tail = case
    model, inputs = _model(n, cin, cout, hw, tail=tail, seed=cin + threads)
    plan = plan_of(runner.core.compile_model(model, "CPU"))
    assert WINO in [i.exec_type for i in plan.info]
    # a pool of its own: the compiled model's has at most as many threads as cores
    got = PlanRunner(plan, Pool(threads)).run(inputs)[0]
    want = runner.reference(model, inputs)[0]
    err = np.abs(got.astype(np.float64) - want).max()
    assert err <= 1e-4 * np.abs(want).max(), err


def test_winograd_zero_sized(runner, forced, every_isa_level) -> None:
    for n, cin in ((0, 5), (2, 0)):
        model, _ = _model(n, cin, 14, (9, 9), tail="bias_relu")
        data = np.zeros((n, cin, 9, 9), np.float32)
        got = runner.cpu(model, [data])
        assert got[0].shape == (n, 14, 9, 9)
        if n:  # no input channels: the bias alone, through the ReLU
            want = runner.reference(model, [data])[0]
            np.testing.assert_allclose(got[0], want, rtol=1e-6, atol=1e-6)


def test_winograd_unaligned_input(runner, core, forced, every_isa_level) -> None:
    model, inputs = _model(1, 13, 29, (11, 13), seed=4)
    req = core.compile_model(model, "CPU").create_infer_request()
    got = np.asarray(req.infer([unaligned(inputs[0])], share_inputs=True)[0])
    want = runner.reference(model, inputs)[0]
    assert np.abs(got - want).max() <= 1e-4 * np.abs(want).max()


def test_winograd_filters_transform() -> None:
    """The packed operand is G g G^T per output / input channel, in panels of mr rows (F(4x4):
    36 positions; F(2x2): 16)."""
    g = np.random.default_rng(3).standard_normal((14, 5, 3, 3)).astype(np.float32)
    scale = np.linspace(0.5, 2.0, 14).astype(np.float32)
    packed = winograd_filters(g, 12, scale)
    assert packed.shape == (36, 2, 5, 12)
    G = np.array([[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6],
                  [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]])
    u = G @ (g.astype(np.float64) * scale[:, None, None, None]) @ G.T  # [M, C, 6, 6]
    for m in (0, 11, 12, 13):
        np.testing.assert_allclose(packed[:, m // 12, :, m % 12],
                                   u[m].transpose(1, 2, 0).reshape(36, 5), rtol=1e-6)
    assert not packed[:, 1, :, 2:].any()  # rows past M are zero
    with pytest.raises(ValueError, match=r"\[M, C, 3, 3\]"):
        winograd_filters(np.zeros((2, 2, 5, 5)), 12)
    G2 = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]])
    packed2 = winograd_filters(g, 12, tile=2)
    assert packed2.shape == (16, 2, 5, 12)
    u2 = G2 @ g.astype(np.float64) @ G2.T
    np.testing.assert_allclose(packed2[:, 1, :, 1], u2[13].transpose(1, 2, 0).reshape(16, 5),
                               rtol=1e-6)
    with pytest.raises(ValueError, match="2 or 4"):
        winograd_filters(g, 12, tile=3)


def _conv_f64(x, w, pad):
    n, c, h, wd = x.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((n, w.shape[0], h, wd))
    w64 = w.astype(np.float64)
    for ky in range(3):
        for kx in range(3):
            out += np.einsum("mc,nchw->nmhw", w64[:, :, ky, kx],
                             xp[:, :, ky:ky + h, kx:kx + wd], optimize=True)
    return out


@pytest.mark.parametrize("cin,cout,hw", [(64, 64, 56), (128, 128, 28), (128, 32, 56),
                                         (64, 192, 55), (512, 64, 28), (256, 256, 14),
                                         (160, 320, 14)])
@pytest.mark.parametrize("fused", ["", "0"], ids=["mode8", "mode3"])
def test_winograd_error_on_he_scaled_layers(core, monkeypatch, fused, cin, cout, hw) -> None:
    """The accuracy gate: max |ours - f64| / max |f64| below 1e-4 (measured ~1e-6 to 1e-5)
    for He-scaled filters and unit-variance inputs, the shapes of the benchmark models
    (512 input channels: a longer reduction than any of them), in both modes."""
    monkeypatch.setenv("OV_CPU_WINOGRAD_FUSED", fused)
    rng = np.random.default_rng(cin + cout + hw)
    w = (rng.standard_normal((cout, cin, 3, 3)) * np.sqrt(2.0 / (9 * cin))).astype(np.float32)
    x = rng.standard_normal((1, cin, hw, hw)).astype(np.float32)
    p = ops.parameter([1, cin, hw, hw], np.float32)
    model = ov.Model([ops.convolution(p, ops.constant(w), [1, 1], [1, 1], [1, 1], [1, 1])],
                     [p])
    compiled = core.compile_model(model, "CPU")
    plan = plan_of(compiled)
    steps = [k for k, i in enumerate(plan.info) if i.exec_type == WINO]  # chosen by default
    assert len(steps) == 1
    p = plan.records[steps[0]].p
    # mode 8 unless a run of one micro-kernel tile's columns outgrows the scratch (512 ch)
    assert p[19] == (8 if not fused and _winograd_run(cin, p[20], p[21], p[23]) else 3)
    assert p[19] == 8 or fused or cin == 512
    got = np.asarray(compiled.create_infer_request().infer([x])[0], np.float64)
    want = _conv_f64(x, w, 1)
    err = np.abs(got - want).max() / np.abs(want).max()
    assert err < 1e-4, err


@pytest.mark.parametrize("mode,hw,cin,cout,expect", [
    ("", 56, 64, 32, 4), ("", 14, 256, 256, 2), ("", 14, 128, 32, 2), ("", 7, 512, 512, 0),
    ("", 55, 16, 64, 4), ("", 13, 48, 192, 0), ("", 14, 48, 192, 2), ("", 7, 128, 32, 0),
    ("", 14, 32, 32, 0), ("", 56, 8, 32, 0), ("0", 56, 64, 32, 0), ("1", 14, 256, 32, 4),
    ("2", 7, 8, 8, 2)])
def test_winograd_choice(core, monkeypatch, mode, hw, cin, cout, expect) -> None:
    """Default: F(4x4) where it won on the per-layer benchmark (7x7 tiles and more, 16
    input channels and more), F(2x2) on 12x12 .. 27x27 outputs of 48+ input and 32+ output
    channels whose tiles cover at most 1.2x the outputs (14x14, not 13x13), never on 7x7;
    OV_CPU_WINOGRAD=0 / 4 (1) / 2 turn it off / on with that tile wherever it applies.
    Never for strides, dilations or groups."""
    monkeypatch.setenv("OV_CPU_WINOGRAD", mode)
    model, _ = _model(1, cin, cout, (hw, hw))
    plan = plan_of(core.compile_model(model, "CPU"))
    steps = [k for k, i in enumerate(plan.info) if i.exec_type == WINO]
    assert len(steps) == (1 if expect else 0)
    if expect:
        assert plan.records[steps[0]].p[23] == expect
    monkeypatch.setenv("OV_CPU_WINOGRAD", "1")
    x = ops.parameter([1, 32, 20, 20], np.float32)
    for stride, dil, groups in ((2, 1, 1), (1, 2, 1), (1, 1, 2)):
        if groups == 1:
            y = ops.convolution(x, ops.constant(rand(32, 32, 3, 3)), [stride] * 2, [1, 1],
                                [1, 1], [dil] * 2)
        else:
            y = ops.group_convolution(x, ops.constant(rand(2, 16, 16, 3, 3)), [1, 1], [1, 1],
                                      [1, 1], [1, 1])
        assert WINO not in _exec_types(core, ov.Model([y], [x]))
