"""Helpers of the CPU device tests: run a model on CPU next to the TEMPLATE reference."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

import openvino as ov
import openvino.opset13 as ops


class Runner:
    """Compiles models on CPU and TEMPLATE and compares their outputs."""

    def __init__(self, core: ov.Core) -> None:
        self.core = core

    def cpu(self, model: ov.Model, inputs: list[np.ndarray], config: dict | None = None
            ) -> list[np.ndarray]:
        compiled = self.core.compile_model(model, "CPU", config or {})
        result = compiled.create_infer_request().infer(inputs)
        return [np.asarray(result[i]) for i in range(len(compiled.outputs))]

    def reference(self, model: ov.Model, inputs: list[np.ndarray]) -> list[np.ndarray]:
        compiled = self.core.compile_model(model, "TEMPLATE")
        result = compiled.create_infer_request().infer(inputs)
        return [np.asarray(result[i]) for i in range(len(compiled.outputs))]

    def check(self, model: ov.Model, inputs: list[np.ndarray], rtol: float = 1e-5,
              atol: float = 1e-5, config: dict | None = None) -> list[np.ndarray]:
        got = self.cpu(model, inputs, config)
        want = self.reference(model, inputs)
        assert len(got) == len(want)
        for i, (g, w) in enumerate(zip(got, want)):
            assert g.shape == w.shape, f"output {i}: shape {g.shape} != {w.shape}"
            assert g.dtype == w.dtype, f"output {i}: dtype {g.dtype} != {w.dtype}"
            if g.dtype.kind in "fc":
                np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, err_msg=f"output {i}")
            else:
                np.testing.assert_array_equal(g, w, err_msg=f"output {i}")
        return got


def plan_of(compiled: Any) -> Any:
    """The plan a static model compiled to (``openvino_cpu.compiler.Plan``)."""
    return compiled._device_model.latest_plan()


def rand(*shape: int, seed: int = 0, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(np.float32)


def unaligned(a: np.ndarray, offset: int = 4) -> np.ndarray:
    """``a`` copied to an address ``offset`` bytes past a 64-byte boundary (kernels must not
    assume aligned inputs)."""
    a = np.asarray(a)
    raw = np.zeros(a.nbytes + 128, np.uint8)
    start = (-raw.ctypes.data) % 64 + offset
    out = raw[start:start + a.nbytes].view(a.dtype).reshape(a.shape)
    out[...] = a
    return out


@contextmanager
def forced_isa(level: int) -> Iterator[int]:
    """Run the kernels at instruction set ``level`` (0 portable, 1 AVX2, 2 AVX-512) inside
    the block, skipping the test where the CPU lacks it; the detected level is restored."""
    import pytest

    from openvino_cpu._native import lib

    detected = lib.ov_set_isa(2)
    used = lib.ov_set_isa(level)
    try:
        if used != level:
            pytest.skip(f"this CPU has no instruction set level {level}")
        yield used
    finally:
        lib.ov_set_isa(detected)


#: The convolution epilogues ``conv_tail`` builds.
CONV_TAILS = ["none", "bias_relu", "bias_residual_relu", "bias_clamp", "pixel_bias", "sigmoid"]


def conv_tail(y, kind: str, cout: int, seed: int, params: list, inputs: list):
    """A convolution's epilogue by name (``CONV_TAILS``): the ones the kernels run in
    registers (row bias, column bias, tensor add, ReLU, clamp) and one they leave to the
    generic post-op pass (sigmoid); a tensor add appends its parameter and input to
    ``params`` / ``inputs``.
    """
    if kind in ("bias_relu", "bias_residual_relu", "bias_clamp"):
        y = ops.add(y, ops.constant(rand(1, cout, 1, 1, seed=seed + 1)))
    if kind == "bias_residual_relu":
        shape = list(y.get_output_partial_shape(0).to_shape())
        r = ops.parameter(shape, np.float32)
        params.append(r)
        inputs.append(rand(*shape, seed=seed + 2))
        y = ops.add(y, r)
    if kind == "pixel_bias":
        shape = list(y.get_output_partial_shape(0).to_shape())
        y = ops.add(y, ops.constant(rand(1, 1, shape[2], shape[3], seed=seed + 3)))
    if kind in ("bias_relu", "bias_residual_relu"):
        y = ops.relu(y)
    if kind == "bias_clamp":
        y = ops.clamp(y, -0.5, 0.75)
    if kind == "sigmoid":
        y = ops.sigmoid(y)
    return y
