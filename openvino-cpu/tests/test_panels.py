"""Position panels (``compiler/panels.py``): values that 1x1 convolutions hand each other
stay in the ``[N][P][C][NR]`` layout inside the plan. Bottleneck chains like ResNet's
(1x1, 3x3, 1x1 with a residual) on every instruction-set path, against the TEMPLATE
reference and against the same plan with panels turned off: plane sizes that leave a
partial last panel, batches of two, the channel-vector mode (few positions) and the
12-channel panels (many), residuals in panels or not, strided readers; and which values
take the layout."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import plan_of, rand

import openvino as ov
import openvino.opset13 as ops
from openvino_cpu._native import lib
from openvino_cpu.compiler.panels import choose_panels, panel_bytes


def _conv(x, cout: int, cin: int, k: int = 1, stride: int = 1, seed: int = 0):
    pad = k // 2
    scale = (3.0 / (cin * k * k)) ** 0.5  # unit variance through the chain
    w = ops.constant(rand(cout, cin, k, k, seed=seed, low=-scale, high=scale))
    return ops.convolution(x, w, [stride, stride], [pad, pad], [pad, pad], [1, 1])


def _bias_relu(y, cout: int, seed: int, residual=None):
    y = ops.add(y, ops.constant(rand(1, cout, 1, 1, seed=seed, low=-0.2, high=0.2)))
    if residual is not None:
        y = ops.add(y, residual)
    return ops.relu(y)


def _bottleneck(t, wide: int, narrow: int, seed: int, stride: int = 1, project: bool = False):
    """1x1 (wide -> narrow), 3x3 (stride), 1x1 (narrow -> wide) + residual: ``t`` itself, or
    a strided 1x1 projection of it."""
    a = _bias_relu(_conv(t, narrow, wide, seed=seed), narrow, seed + 1)
    b = _bias_relu(_conv(a, narrow, narrow, 3, stride, seed + 2), narrow, seed + 3)
    res = _conv(t, wide, wide, 1, stride, seed + 4) if project else t
    return _bias_relu(_conv(b, wide, narrow, seed=seed + 5), wide, seed + 6, res)


def _resnet_like(n: int, cin: int, hw: tuple[int, int], wide: int, narrow: int) -> ov.Model:
    x = ops.parameter([n, cin, *hw], np.float32)
    t = _bias_relu(_conv(x, wide, cin, seed=1), wide, 2)   # panels out, plain in
    t = _bottleneck(t, wide, narrow, 10)                    # panels in, out and residual
    t = _bottleneck(t, wide, narrow, 20)
    t = _bottleneck(t, wide, narrow, 30, stride=2, project=True)  # a strided reader
    t = _bottleneck(t, wide, narrow, 40)
    return ov.Model([t], [x])


def _panel_flags(compiled) -> list[int]:
    plan = plan_of(compiled)
    return [int(plan.records[i].p[24]) for i in range(plan.nsteps)
            if plan.info[i].exec_type == "jit_1x1_conv_f32"]


@pytest.mark.parametrize("case", [
    # n, cin, hw, wide, narrow
    (2, 5, (7, 7), 96, 24),      # the channel-vector mode (few positions), partial panels
    (1, 3, (14, 14), 64, 16),    # 196 positions
    (2, 4, (9, 15), 40, 12),     # 12-channel panels, 135 positions
    (1, 8, (16, 16), 36, 13),    # whole panels (256 positions), 13-row remainders
])
def test_bottleneck_chains(runner, core, every_isa_level, monkeypatch, case) -> None:
    n, cin, hw, wide, narrow = case
    model = _resnet_like(n, cin, hw, wide, narrow)
    inputs = [rand(n, cin, *hw, seed=5)]
    runner.check(model, inputs, rtol=1e-4, atol=1e-4)
    compiled = core.compile_model(model, "CPU")
    flags = _panel_flags(compiled)
    # panel inputs, outputs and residuals all occur
    assert any(f & 1 for f in flags) and any(f & 2 for f in flags) and any(f & 4 for f in flags)
    got = compiled(inputs)[0]
    monkeypatch.setenv("OV_CPU_PANELS", "0")
    plain = core.compile_model(model, "CPU")
    assert not any(_panel_flags(plain))
    np.testing.assert_allclose(got, plain(inputs)[0], rtol=1e-5, atol=1e-6)


def _graph_of(model: ov.Model):
    """The fused graph the CPU lowering sees."""
    from openvino.plugin.passes import prepare_graph
    from openvino_cpu.compiler.fusion import CPUFusionRules

    return prepare_graph(model, None, fuse=True, rules=CPUFusionRules())


def test_which_values_take_panels(core) -> None:
    """Only values that pointwise kernels produce (with an epilogue they apply) and only
    stride-1 pointwise data inputs or residuals read; never a model output."""
    x = ops.parameter([1, 8, 10, 10], np.float32)
    t0 = _bias_relu(_conv(x, 32, 8, seed=1), 32, 2)            # read by 1x1s only: panels
    a = _conv(t0, 32, 32, seed=3)                               # read by a 3x3: plain
    b = _conv(a, 32, 32, 3, seed=4)                             # 3x3 output: plain
    c = _bias_relu(_conv(b, 32, 32, seed=5), 32, 6, t0)         # read by a concat: plain
    d = _conv(ops.concat([c, c], 1), 32, 64, seed=7)            # a model output: plain
    e = ops.sigmoid(_conv(t0, 32, 32, seed=8))                  # sigmoid epilogue: plain
    e = _conv(e, 32, 32, seed=9)
    f = _conv(_conv(d, 16, 32, seed=10), 16, 16, 1, 2, seed=11)  # read with stride 2: plain
    g = ops.add(_conv(t0, 32, 32, seed=12), ops.constant(np.float32(0.5)))  # scalar: plain
    g = _conv(g, 32, 32, seed=13)
    model = ov.Model([d, e, f, g], [x])
    graph = _graph_of(model)
    chosen = choose_panels(graph)
    # the one chosen value is t0: its producer reads the model input
    (op,) = [o for o in graph.ops if o.outputs[0].id in chosen]
    assert op.inputs[0] is graph.inputs[0]
    inputs = [rand(1, 8, 10, 10, seed=3)]
    for got, want in zip(core.compile_model(model, "CPU")(inputs).values(),
                         core.compile_model(model, "TEMPLATE")(inputs).values()):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_panel_bytes() -> None:
    nr = int(lib.ov_gemm_nr())
    assert panel_bytes((2, 3, 7, 7), nr) == 2 * 3 * (-(-49 // nr) * nr) * 4
    assert panel_bytes((1, 1, 4, nr), nr) == 4 * nr * 4


def test_kernel_rejects_panels_it_cannot_read(core) -> None:
    """A plan record asking the pointwise kernel for a strided read from panels, or for
    another panel width, fails with a message instead of reading out of layout."""
    from openvino_cpu._native import Pool
    from openvino_cpu.compiler.plan import PlanRunner

    x = ops.parameter([1, 16, 8, 8], np.float32)
    model = ov.Model([_conv(x, 16, 16, 1, 2, seed=1)], [x])
    plan = plan_of(core.compile_model(model, "CPU"))
    assert plan.info[0].exec_type == "jit_1x1_conv_f32"
    runner = PlanRunner(plan, Pool(1))
    inputs = [rand(1, 16, 8, 8, seed=2)]
    runner.run(inputs)
    plan.records[0].p[24] = 1
    with pytest.raises(RuntimeError, match="position panels"):
        runner.run(inputs)
    plan.records[0].p[24] = 2
    plan.records[0].p[25] = 7
    with pytest.raises(RuntimeError, match="position panels"):
        runner.run(inputs)


def test_dynamic_shapes(runner, core) -> None:
    """A dynamic model's plan for each size lays its panels out for that size."""
    x = ops.parameter([-1, 6, -1, -1], np.float32)
    t = _bias_relu(_conv(x, 40, 6, seed=1), 40, 2)
    model = ov.Model([_bottleneck(t, 40, 12, 10)], [x])
    req = core.compile_model(model, "CPU").create_infer_request()
    for shape in [(1, 6, 7, 7), (2, 6, 9, 13), (3, 6, 16, 16), (1, 6, 1, 1)]:
        data = rand(*shape, seed=sum(shape))
        got = np.asarray(req.infer([data])[0])
        np.testing.assert_allclose(got, runner.reference(model, [data])[0], rtol=1e-4,
                                   atol=1e-4)
