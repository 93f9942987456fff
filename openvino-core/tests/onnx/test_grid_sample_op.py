"""The GridSample op the ONNX frontend maps GridSample onto (``_ops/sampling.py``)."""

from __future__ import annotations

import numpy as np
import pytest

import openvino.opset9 as ops
from openvino import PartialShape, Type
from openvino._ops.sampling import GridSample


def _identity_grid(h: int, w: int) -> np.ndarray:
    ys, xs = np.meshgrid(np.linspace(-1, 1, h), np.linspace(-1, 1, w), indexing="ij")
    return np.stack([xs, ys], axis=-1)[None].astype(np.float32)


@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
def test_identity_grid_with_align_corners_returns_input(mode: str) -> None:
    data = np.arange(12, dtype=np.float32).reshape(1, 1, 3, 4)
    node = ops.grid_sample(data, _identity_grid(3, 4),
                           {"align_corners": True, "mode": mode, "padding_mode": "zeros"})
    assert node.get_output_partial_shape(0) == PartialShape([1, 1, 3, 4])
    np.testing.assert_allclose(node.reference(data, _identity_grid(3, 4)), data, atol=1e-5)


def test_padding_modes_outside_the_input() -> None:
    data = np.array([[[[1.0, 2.0], [3.0, 4.0]]]], np.float32)
    far_right = np.array([[[[3.0, -1.0]]]], np.float32)  # x beyond the right edge, top row
    read = {p: GridSample(data, far_right, align_corners=True, mode="bilinear",
                          padding_mode=p).reference(data, far_right).item()
            for p in ("zeros", "border", "reflection")}
    assert read == {"zeros": 0.0, "border": 2.0, "reflection": 1.0}


def test_dynamic_shapes_and_errors() -> None:
    data = ops.parameter(PartialShape([-1, 3, -1, -1]), Type.f32)
    grid = ops.parameter(PartialShape([2, 5, 7, 2]), Type.f32)
    node = ops.grid_sample(data, grid)
    assert node.get_output_partial_shape(0) == PartialShape([2, 3, 5, 7])
    with pytest.raises(RuntimeError, match="mode"):
        GridSample(data, grid, mode="trilinear")
    with pytest.raises(RuntimeError, match="last dimension must be 2"):
        GridSample(data, ops.parameter(PartialShape([2, 5, 7, 3]), Type.f32))
