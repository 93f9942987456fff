"""The channel-vector direct convolution (OV_K_CONV mode 5, ``kernels/conv_direct_cv.c``)
against the TEMPLATE reference on every instruction-set path: panels of 16 / 32 / 48 / 64
channels with every remainder of a 16-channel vector, tiles of one or two rows and 1 to 14
columns, several tap blocks (partial sums kept between blocks), strides 1 to 3, dilations,
pads (also larger than the window and cut at the end), groups, every register epilogue,
zero-sized batches, unaligned input buffers, and plans compiled with AVX-512 run on the
lower instruction sets."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import CONV_TAILS, conv_tail, forced_isa, plan_of, rand, unaligned

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu._native import lib


@pytest.fixture(autouse=True)
def _forced(monkeypatch):
    monkeypatch.setenv("OV_CPU_DIRECT_CV", "1")
    monkeypatch.delenv("OV_CPU_DIRECT_CV_MR", raising=False)


def _conv(x, cout, cin, k, stride, pads, dil, groups, seed):
    pb, pe = pads
    if groups == 1:
        w = ops.constant(rand(cout, cin, k[0], k[1], seed=seed))
        return ops.convolution(x, w, stride, pb, pe, dil)
    w = ops.constant(rand(groups, cout // groups, cin // groups, k[0], k[1], seed=seed))
    return ops.group_convolution(x, w, stride, pb, pe, dil)


def _modes(core, model) -> list[int]:
    plan = plan_of(core.compile_model(model, "CPU"))
    return [int(plan.records[i].p[19]) for i, info in enumerate(plan.info)
            if info.type in ("Convolution", "GroupConvolution")]


@pytest.mark.parametrize("mr", ["16", "32", "48", "64"])
@pytest.mark.parametrize("cout", [1, 15, 16, 17, 33, 50, 64, 70])
def test_panels_and_channel_remainders(runner, core, every_isa_level, monkeypatch, mr,
                                       cout) -> None:
    """Every panel height with channel counts that leave every kind of partial vector and
    partial panel; 7 x 7 outputs (two-row tiles for panels of up to 32 channels)."""
    monkeypatch.setenv("OV_CPU_DIRECT_CV_MR", mr)
    cin = 5
    x = ops.parameter([1, cin, 7, 7], np.float32)
    params, inputs = [x], [rand(1, cin, 7, 7, seed=3)]
    y = _conv(x, cout, cin, (3, 3), [1, 1], ([1, 1], [1, 1]), [1, 1], 1, seed=cout)
    y = conv_tail(y, "bias_residual_relu", cout, 9, params, inputs)
    model = ov.Model([y], params)
    runner.check(model, inputs, rtol=1e-4, atol=1e-4)
    assert _modes(core, model) == [5]


@pytest.mark.parametrize("tail", CONV_TAILS)
@pytest.mark.parametrize("case", [
    # cin, cout, hw, k, stride, pads (begin, end), dil, groups
    (8, 32, (14, 14), (3, 3), (1, 1), ((1, 1), (1, 1)), (1, 1), 1),
    (3, 64, (23, 29), (7, 7), (2, 2), ((3, 3), (3, 3)), (1, 1), 1),
    (3, 64, (25, 25), (3, 3), (2, 2), ((0, 0), (0, 0)), (1, 1), 1),
    (6, 40, (13, 31), (3, 5), (1, 2), ((2, 1), (0, 3)), (2, 1), 2),
    (9, 20, (11, 12), (2, 3), (3, 3), ((1, 0), (2, 2)), (1, 2), 1),
    (4, 48, (6, 6), (5, 5), (1, 1), ((2, 2), (2, 2)), (1, 1), 1),
    (10, 32, (9, 17), (3, 3), (1, 1), ((4, 4), (0, 5)), (1, 1), 1),
])
def test_geometry_and_epilogues(runner, every_isa_level, case, tail) -> None:
    """Strides, dilations, asymmetric pads (also past the window), rectangular filters,
    groups, with every epilogue the kernel fuses and one it leaves to the post-op pass."""
    cin, cout, hw, k, stride, pads, dil, groups = case
    x = ops.parameter([2, cin, *hw], np.float32)
    params, inputs = [x], [rand(2, cin, *hw, seed=11)]
    y = _conv(x, cout, cin, k, list(stride), ([*pads[0]], [*pads[1]]), list(dil), groups,
              seed=5)
    y = conv_tail(y, tail, cout, 21, params, inputs)
    runner.check(ov.Model([y], params), inputs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("mr", ["32", "64"])
def test_several_tap_blocks(runner, every_isa_level, monkeypatch, mr) -> None:
    """Enough input channels for several blocks of taps: partial sums kept in scratch
    between blocks, for tiles of one and two rows and a partial last tile."""
    monkeypatch.setenv("OV_CPU_DIRECT_CV_MR", mr)
    cin, cout = 300, 40
    x = ops.parameter([1, cin, 9, 9], np.float32)
    params, inputs = [x], [rand(1, cin, 9, 9, seed=2)]
    y = _conv(x, cout, cin, (3, 3), [1, 1], ([1, 1], [1, 1]), [1, 1], 1, seed=8)
    y = conv_tail(y, "bias_residual_relu", cout, 4, params, inputs)
    runner.check(ov.Model([y], params), inputs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("seed", range(20))
def test_random_geometry(runner, every_isa_level, seed) -> None:
    """Random channel counts, sizes (1 to 40 columns), filters, strides, dilations, pads,
    groups and epilogues."""
    rng = np.random.default_rng(9100 + seed)
    kh, kw = int(rng.choice([1, 2, 3, 5, 7])), int(rng.choice([1, 3, 5]))
    if kh * kw == 1:
        kw = 3
    sh, sw = int(rng.choice([1, 1, 2, 3])), int(rng.choice([1, 1, 2]))
    dh, dw = int(rng.choice([1, 1, 2])), int(rng.choice([1, 1, 2]))
    groups = int(rng.choice([1, 1, 1, 2, 3]))
    cin = groups * int(rng.choice([1, 3, 8, 40, 150]))
    cout = groups * int(rng.integers(1, 40))
    pt, pl = int(rng.integers(0, kh * dh)), int(rng.integers(0, kw * dw))
    pb, pr = int(rng.integers(0, kh)), int(rng.integers(0, kw))
    h = int(rng.integers(max((kh - 1) * dh + 1 - pt - pb, 1), 20))
    w = int(rng.integers(max((kw - 1) * dw + 1 - pl - pr, 1), 41))
    n = int(rng.integers(1, 3))
    x = ops.parameter([n, cin, h, w], np.float32)
    params, inputs = [x], [rand(n, cin, h, w, seed=seed + 300)]
    y = _conv(x, cout, cin, (kh, kw), [sh, sw], ([pt, pl], [pb, pr]), [dh, dw], groups,
              seed=seed)
    y = conv_tail(y, str(rng.choice(CONV_TAILS)), cout, seed + 400, params, inputs)
    runner.check(ov.Model([y], params), inputs, rtol=1e-4, atol=1e-4)


def test_zero_sized(runner, every_isa_level) -> None:
    for shape in ((0, 5, 9, 9), (2, 0, 9, 9)):
        x = ops.parameter(list(shape), np.float32)
        y = ops.relu(ops.add(_conv(x, 20, shape[1], (3, 3), [1, 1], ([1, 1], [1, 1]),
                                   [1, 1], 1, seed=1),
                             ops.constant(rand(1, 20, 1, 1, seed=2))))
        model = ov.Model([y], [x])
        got = runner.cpu(model, [np.zeros(shape, np.float32)])
        assert got[0].shape == (shape[0], 20, 9, 9)
        want = runner.reference(model, [np.zeros(shape, np.float32)])[0]
        np.testing.assert_allclose(got[0], want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("stride", [1, 2])
def test_unaligned_input(runner, core, every_isa_level, stride) -> None:
    x = ops.parameter([1, 13, 11, 10], np.float32)
    y = ops.relu(_conv(x, 24, 13, (3, 3), [stride, stride], ([1, 1], [1, 1]), [1, 1], 1,
                       seed=4))
    model = ov.Model([y], [x])
    data = rand(1, 13, 11, 10, seed=9)
    req = core.compile_model(model, "CPU").create_infer_request()
    got = np.asarray(req.infer([unaligned(data)], share_inputs=True)[0])
    np.testing.assert_allclose(got, runner.reference(model, [data])[0], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("run_isa", [0, 1])
def test_plan_from_avx512_on_other_isa(runner, core, run_isa) -> None:
    """A plan compiled with AVX-512 runs right on the AVX2 and portable kernels (the
    panels do not depend on the instruction set)."""
    x = ops.parameter([1, 70, 7, 9], np.float32)
    params, inputs = [x], [rand(1, 70, 7, 9, seed=2)]
    y = _conv(x, 50, 70, (3, 3), [1, 1], ([1, 1], [1, 1]), [1, 1], 1, seed=3)
    y = conv_tail(y, "bias_residual_relu", 50, 41, params, inputs)
    model = ov.Model([y], params)
    with forced_isa(2):  # compiled with the AVX-512 geometry, run on run_isa
        req = core.compile_model(model, "CPU").create_infer_request()
        lib.ov_set_isa(run_isa)
        got = np.asarray(req.infer(inputs)[0])
    np.testing.assert_allclose(got, runner.reference(model, inputs)[0], rtol=1e-4, atol=1e-4)


def test_mode_choice(core, monkeypatch) -> None:
    """Unset: strides 1 and 2 with 16+ output channels a group take mode 5; fewer channels,
    stride 3 and 1x1 filters do not; OV_CPU_DIRECT_CV=0 turns it off."""
    monkeypatch.delenv("OV_CPU_DIRECT_CV")
    monkeypatch.setenv("OV_CPU_WINOGRAD", "0")

    def mode(cin, cout, hw, k, s, p):
        x = ops.parameter([1, cin, hw, hw], np.float32)
        return _modes(core, ov.Model([_conv(x, cout, cin, (k, k), [s, s], ([p, p], [p, p]),
                                            [1, 1], 1, seed=1)], [x]))[0]

    assert mode(128, 32, 7, 3, 1, 1) == 5
    assert mode(3, 64, 56, 7, 2, 3) == 5
    assert mode(16, 32, 28, 5, 1, 2) == 5
    assert mode(16, 8, 14, 3, 1, 1) != 5
    assert mode(16, 32, 14, 3, 3, 1) != 5
    assert mode(16, 32, 14, 1, 1, 0) != 5
    monkeypatch.setenv("OV_CPU_DIRECT_CV", "0")
    assert mode(128, 32, 7, 3, 1, 1) != 5


def test_panel_height_choice(core, monkeypatch) -> None:
    """Unset: panels of 32 channels, 48 for 33-48 channels, 16 for up to 16 channels and
    for convolutions of at most 32 taps (an RGB stem's 3 x 3, whose tiles' epilogue costs
    as much as their taps); a 7 x 7 stem keeps 32."""
    monkeypatch.delenv("OV_CPU_DIRECT_CV", raising=False)
    monkeypatch.delenv("OV_CPU_DIRECT_CV_MR", raising=False)
    monkeypatch.setenv("OV_CPU_WINOGRAD", "0")

    def panel(cin, cout, hw, k, s, p):
        x = ops.parameter([1, cin, hw, hw], np.float32)
        model = ov.Model([_conv(x, cout, cin, (k, k), [s, s], ([p, p], [p, p]), [1, 1], 1,
                                seed=1)], [x])
        plan = plan_of(core.compile_model(model, "CPU"))
        (rec,) = [plan.records[i] for i, info in enumerate(plan.info)
                  if info.type == "Convolution"]
        assert int(rec.p[19]) == 5
        return int(rec.p[16])

    assert panel(3, 64, 32, 3, 2, 0) == 16
    assert panel(3, 24, 32, 3, 2, 1) == 16
    assert panel(3, 64, 32, 7, 2, 3) == 32
    assert panel(64, 64, 14, 3, 1, 1) == 32
    assert panel(64, 40, 14, 3, 1, 1) == 48
    assert panel(64, 16, 14, 3, 1, 1) == 16
