"""The direct and pointwise convolution micro-kernels (``kernels/conv_ukr.c``: 12-channel
weight panels, masked partial tiles, register epilogues) against the TEMPLATE reference,
on every instruction-set path (portable, AVX2, AVX-512, and the AVX-512 panel geometry
with portable kernels): channel counts that leave every remainder of 12 rows, output
sizes that leave partial column tiles, strides, dilations, groups, every epilogue the
kernels fuse, zero-sized batches and unaligned input buffers."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import CONV_TAILS, conv_tail, forced_isa, plan_of, rand, unaligned

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu._native import lib


def _conv(x, cout: int, cin: int, k: int, stride: int, pad: int, dil: int, seed: int,
          groups: int = 1):
    if groups == 1:
        w = ops.constant(rand(cout, cin, k, k, seed=seed))
        return ops.convolution(x, w, [stride, stride], [pad, pad], [pad, pad], [dil, dil])
    w = ops.constant(rand(groups, cout // groups, cin // groups, k, k, seed=seed))
    return ops.group_convolution(x, w, [stride, stride], [pad, pad], [pad, pad], [dil, dil])


@pytest.fixture(params=["chosen", "mode1"])
def direct_mode(request, monkeypatch) -> str:
    """Spatial convolutions as the lowering chooses them (mostly the channel-vector direct
    mode 5, tested on its own in test_conv_direct_cv.py), and with mode 5 turned off, so
    the padded-plane direct mode 1 and the implicit GEMM keep their coverage."""
    if request.param == "mode1":
        monkeypatch.setenv("OV_CPU_DIRECT_CV", "0")
    return request.param


@pytest.mark.parametrize("cout", [1, 5, 12, 13, 23, 24, 64])
@pytest.mark.parametrize("hw", [(1, 1), (7, 7), (5, 9), (14, 14), (6, 11)])
def test_pointwise_rows_and_tiles(runner, core, every_isa_level, cout, hw) -> None:
    """1x1 stride 1: every row remainder of a 12-channel panel, outputs of 1 to 196
    positions (partial column tiles), read in place and written straight to the output."""
    cin = 19
    x = ops.parameter([2, cin, *hw], np.float32)
    y = _conv(x, cout, cin, 1, 1, 0, 1, seed=cout)
    y = conv_tail(y, "bias_relu", cout, 7, [x], [])
    model = ov.Model([y], [x])
    runner.check(model, [rand(2, cin, *hw, seed=3)], rtol=1e-4, atol=1e-4)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert plan.info[0].exec_type == "jit_1x1_conv_f32"


@pytest.mark.parametrize("tail", CONV_TAILS)
@pytest.mark.parametrize("case", [
    # cin, cout, hw, k, stride, pad, dil, groups
    (19, 13, (14, 14), 1, 1, 0, 1, 1),
    (8, 40, (7, 7), 1, 1, 0, 1, 1),
    (6, 26, (9, 9), 1, 1, 0, 1, 2),
    (7, 17, (14, 14), 3, 1, 1, 1, 1),
    (5, 25, (7, 7), 3, 1, 1, 1, 1),
    (9, 11, (15, 13), 3, 2, 1, 1, 1),
    (4, 14, (12, 12), 3, 1, 2, 2, 2),
    (3, 16, (23, 23), 7, 2, 3, 1, 1),
    (16, 36, (13, 13), 1, 2, 0, 1, 1),
])
def test_direct_convolution_epilogues(runner, every_isa_level, direct_mode, case,
                                      tail) -> None:
    cin, cout, hw, k, stride, pad, dil, groups = case
    x = ops.parameter([2, cin, *hw], np.float32)
    params, inputs = [x], [rand(2, cin, *hw, seed=11)]
    y = _conv(x, cout, cin, k, stride, pad, dil, seed=5, groups=groups)
    y = conv_tail(y, tail, cout, 21, params, inputs)
    runner.check(ov.Model([y], params), inputs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("seed", range(24))
def test_conv_kernels_random_geometry(runner, every_isa_level, direct_mode,
                                      seed) -> None:
    """Random channel counts (long reductions over several 256-deep blocks included),
    sizes, 1x1 / 3x3 / 5x5 filters, strides 1 and 2, dilations, pads and epilogues."""
    rng = np.random.default_rng(5000 + seed)
    k = int(rng.choice([1, 1, 3, 3, 5]))
    stride = int(rng.choice([1, 1, 2]))
    dil = int(rng.choice([1, 1, 2])) if k > 1 else 1
    pad = int(rng.integers(0, (k - 1) * dil // 2 + 1)) if k > 1 else 0
    cin = int(rng.choice([1, 3, 17, 40, 300]))
    cout = int(rng.integers(1, 40))
    h = int(rng.integers((k - 1) * dil + 1, 20))
    w = int(rng.integers((k - 1) * dil + 1, 36))
    n = int(rng.integers(1, 3))
    x = ops.parameter([n, cin, h, w], np.float32)
    params, inputs = [x], [rand(n, cin, h, w, seed=seed + 100)]
    y = _conv(x, cout, cin, k, stride, pad, dil, seed=seed)
    y = conv_tail(y, str(rng.choice(CONV_TAILS)), cout, seed + 200, params, inputs)
    runner.check(ov.Model([y], params), inputs, rtol=1e-4, atol=1e-4)


def test_conv_kernels_zero_batch(runner, every_isa_level) -> None:
    for k, pad in ((1, 0), (3, 1)):
        x = ops.parameter([0, 5, 9, 9], np.float32)
        y = ops.relu(_conv(x, 14, 5, k, 1, pad, 1, seed=1))
        got = runner.cpu(ov.Model([y], [x]), [np.zeros((0, 5, 9, 9), np.float32)])
        assert got[0].shape == (0, 14, 9, 9)


def _check_shared_unaligned(runner, core, model, data) -> None:
    """``model`` on CPU with ``data`` shared in place from an address one float past a
    64-byte boundary matches the reference."""
    req = core.compile_model(model, "CPU").create_infer_request()
    got = np.asarray(req.infer([unaligned(data)], share_inputs=True)[0])
    want = runner.reference(model, [data])[0]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("k,pad", [(1, 0), (3, 1)])
def test_conv_kernels_unaligned_input(runner, core, every_isa_level, k, pad) -> None:
    """Inputs shared in place from a buffer one float off 64-byte alignment (and every
    plane at an odd offset): the in-place row reads do not assume alignment."""
    cin, cout, hw = 13, 29, (11, 13)
    x = ops.parameter([1, cin, *hw], np.float32)
    model = ov.Model([ops.relu(_conv(x, cout, cin, k, 1, pad, 1, seed=4))], [x])
    _check_shared_unaligned(runner, core, model, rand(1, cin, *hw, seed=9))


@pytest.mark.parametrize("k", [1, 3])
def test_group_conv_folded_channel_scale(runner, k) -> None:
    """A per-channel Multiply (a folded BatchNorm) after a grouped convolution scales the
    packed filters of every group (ShuffleNet's grouped 1x1 convolutions)."""
    x = ops.parameter([1, 24, 9, 9], np.float32)
    y = _conv(x, 28, 24, k, 1, k // 2, 1, seed=3, groups=4)
    y = ops.multiply(y, ops.constant(rand(1, 28, 1, 1, seed=4, low=0.5, high=1.5)))
    y = ops.add(y, ops.constant(rand(1, 28, 1, 1, seed=5)))
    runner.check(ov.Model([y], [x]), [rand(1, 24, 9, 9, seed=6)], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("case", [
    # cin, cout, (h, w), (sh, sw), groups, batch; the path with AVX-512 in the comment
    (128, 202, (15, 17), (1, 1), 1, 1),  # packed panels, partial tiles
    (128, 130, (15, 17), (1, 1), 1, 1),  # in place, partial tiles
    (140, 200, (33, 35), (1, 1), 1, 2),  # packed (large planes), two position blocks
    (140, 40, (33, 35), (1, 1), 1, 1),   # in place: a large plane, K >= 128
    (64, 200, (17, 17), (1, 1), 1, 1),   # packed without the AVX-512 kernel, in place with
    (64, 20, (17, 17), (1, 1), 1, 1),    # read in place
    (400, 200, (15, 17), (1, 1), 1, 1),  # packed, two K blocks (accumulated in C)
    (400, 140, (15, 17), (1, 1), 1, 1),  # in place, one K block of 400
    (1100, 40, (15, 17), (1, 1), 1, 1),  # in place, two K blocks
    (2100, 30, (9, 9), (1, 1), 1, 1),    # in place, three K blocks
    (400, 17, (3, 5), (1, 1), 1, 1),     # channel vectors: one partial panel and tile
    (300, 100, (7, 7), (1, 1), 1, 1),    # channel vectors: 48 + 48 + 4 channels
    (96, 40, (13, 13), (2, 2), 1, 1),    # stride 2 gathered while packing, odd size
    (33, 14, (14, 14), (2, 2), 1, 2),    # stride 2 with few channels
    (19, 12, (11, 17), (3, 2), 1, 1),    # unequal strides
    (70, 30, (40, 46), (2, 2), 1, 1),    # stride 2, panels of 32: rows cross panels
    (40, 20, (9, 70), (1, 2), 1, 1),     # stride 2 along rows only, 35-position rows
    (130, 24, (6, 6), (2, 2), 2, 1),     # grouped, stride 2
    (384, 96, (28, 28), (1, 1), 3, 1),   # grouped
    (192, 300, (14, 14), (1, 1), 3, 1),  # grouped, channel vectors
    (65, 7, (1, 1), (2, 2), 1, 1),       # one position
])
@pytest.mark.parametrize("tail", ["none", "bias_residual_relu", "pixel_bias", "sigmoid"])
def test_pointwise_blocking_and_strides(runner, core, every_isa_level, case, tail) -> None:
    """1x1 convolutions through kernels/conv_pointwise.c: input planes copied into panels
    (many channels), several K blocks, several position blocks, strides gathered while
    packing (no split copy, no crop), groups, every kind of epilogue."""
    cin, cout, hw, stride, groups, n = case
    x = ops.parameter([n, cin, *hw], np.float32)
    params, inputs = [x], [rand(n, cin, *hw, seed=cin)]
    if groups == 1:
        w = ops.constant(rand(cout, cin, 1, 1, seed=cout))
        y = ops.convolution(x, w, list(stride), [0, 0], [0, 0], [1, 1])
    else:
        w = ops.constant(rand(groups, cout // groups, cin // groups, 1, 1, seed=cout))
        y = ops.group_convolution(x, w, list(stride), [0, 0], [0, 0], [1, 1])
    y = conv_tail(y, tail, cout, 31, params, inputs)
    model = ov.Model([y], params)
    runner.check(model, inputs, rtol=1e-4, atol=1e-4)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert plan.info[0].exec_type == "jit_1x1_conv_f32"


@pytest.mark.parametrize("case", [
    # cin, cout, (h, w); the path with AVX-512 in the comment
    (128, 16, (55, 55)),   # in place, 12 + 4 channels per column panel, next one prefetched
    (1100, 24, (9, 40)),   # in place, two K blocks (the second accumulates)
    (300, 100, (7, 7)),    # channel vectors, 48 + 48 + 4 channels, a tile of 1 position
    (64, 150, (5, 5)),     # channel vectors, few positions
    (96, 97, (13, 11)),    # channel vectors, 1 channel past two panels, 7 positions left
])
@pytest.mark.parametrize("tail", ["bias_clamp", "bias_residual_relu", "pixel_bias"])
def test_pointwise_in_place_and_channel_vector_epilogues(runner, core, every_isa_level, case,
                                                         tail) -> None:
    """Full tiles read in place (the prefetching kernel) and the channel-vector tiles, whose
    epilogue turns each group of 16 channels around in registers: every register
    epilogue, every remainder of channels and positions."""
    cin, cout, hw = case
    x = ops.parameter([1, cin, *hw], np.float32)
    params, inputs = [x], [rand(1, cin, *hw, seed=cin + 1)]
    y = _conv(x, cout, cin, 1, 1, 0, 1, seed=cout + 2)
    y = conv_tail(y, tail, cout, 17, params, inputs)
    model = ov.Model([y], params)
    runner.check(model, inputs, rtol=1e-4, atol=1e-4)
    plan = plan_of(core.compile_model(model, "CPU"))
    assert plan.info[0].exec_type == "jit_1x1_conv_f32"


@pytest.mark.parametrize("stride", [1, 2])
def test_pointwise_unaligned_packed_input(runner, core, every_isa_level, stride) -> None:
    """The packing copy reads planes at any alignment (an input one float off 64 bytes)."""
    cin, cout, hw = 150, 29, (11, 13)
    x = ops.parameter([1, cin, *hw], np.float32)
    w = ops.constant(rand(cout, cin, 1, 1, seed=4))
    model = ov.Model([ops.relu(ops.convolution(x, w, [stride, stride], [0, 0], [0, 0],
                                               [1, 1]))], [x])
    _check_shared_unaligned(runner, core, model, rand(1, cin, *hw, seed=9))


@pytest.mark.parametrize("run_isa", [0, 1])
def test_pointwise_channel_vectors_on_other_isa(runner, core, run_isa) -> None:
    """A plan compiled with AVX-512 (pointwise layers over few positions in the
    channel-vector mode) still runs right when a lower instruction set runs it (the
    portable kernel of that mode)."""
    x = ops.parameter([1, 70, 7, 9], np.float32)
    params, inputs = [x], [rand(1, 70, 7, 9, seed=2)]
    y = ops.convolution(x, ops.constant(rand(100, 70, 1, 1, seed=3)), [1, 1], [0, 0],
                        [0, 0], [1, 1])
    y = conv_tail(y, "bias_residual_relu", 100, 41, params, inputs)
    model = ov.Model([y], params)
    with forced_isa(2):  # compiled with the AVX-512 geometry, run on run_isa
        req = core.compile_model(model, "CPU").create_infer_request()
        lib.ov_set_isa(run_isa)
        got = np.asarray(req.infer(inputs)[0])
    np.testing.assert_allclose(got, runner.reference(model, inputs)[0], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("threads", [2, 3, 4])
@pytest.mark.parametrize("case", [
    # cin, cout, (h, w), stride, groups; the path with AVX-512 in the comment
    (1024, 256, (14, 14), 1, 1),  # channel vectors: channel x position chunks
    (192, 300, (14, 14), 1, 3),   # channel vectors, grouped: group, channel, position
    (512, 1024, (14, 14), 2, 1),  # channel vectors, stride 2 gathered per task
    (512, 128, (28, 28), 1, 1),   # in place, one K block of 512
    (256, 512, (30, 30), 2, 1),   # packed stride 2: split along positions
])
def test_pointwise_thread_grids(runner, every_isa_level, threads, case) -> None:
    """1x1 convolutions on 2 to 4 threads: every task of the channel chunk x position chunk
    grid (numbered with positions as the slower index in the channel-vector mode) writes
    its part once."""
    from openvino_cpu._native import Pool
    from openvino_cpu.compiler.plan import PlanRunner

    cin, cout, hw, stride, groups = case
    x = ops.parameter([1, cin, *hw], np.float32)
    params, inputs = [x], [rand(1, cin, *hw, seed=cin + threads)]
    if groups == 1:
        y = ops.convolution(x, ops.constant(rand(cout, cin, 1, 1, seed=cout)),
                            [stride, stride], [0, 0], [0, 0], [1, 1])
    else:
        w = rand(groups, cout // groups, cin // groups, 1, 1, seed=cout)
        y = ops.group_convolution(x, ops.constant(w), [stride, stride], [0, 0], [0, 0],
                                  [1, 1])
    y = conv_tail(y, "bias_residual_relu", cout, 23, params, inputs)
    model = ov.Model([y], params)
    plan = plan_of(runner.core.compile_model(model, "CPU"))
    assert plan.info[0].exec_type == "jit_1x1_conv_f32"
    # a pool of its own: the compiled model's has at most as many threads as cores
    got = PlanRunner(plan, Pool(threads)).run(inputs)[0]
    np.testing.assert_allclose(got, runner.reference(model, inputs)[0], rtol=1e-4, atol=1e-4)
