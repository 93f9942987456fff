"""ONNX Resize as one affine map per resized axis, for the settings OpenVINO's Interpolate
does not express: ``antialias`` (OpenVINO's antialias weights differ from ONNX's),
``exclude_outside``, ``align_corners`` with scales (ONNX divides by ``scale * length - 1``,
not by the integer output length), ``half_pixel_symmetric`` and ``tf_crop_and_resize``
(with its ``extrapolation_value``).

Resize is separable: along each resized axis an output position ``y`` reads a few input
positions with fixed weights, so the axis maps ``x`` to ``W @ x + b`` with ``W`` of shape
``[out, in]`` (``b`` holds the extrapolation value of positions whose source lies outside
the input under ``tf_crop_and_resize``). ``W`` follows the ONNX operator definition:
the source coordinate of ``y`` by ``coordinate_transformation_mode``, the ``n`` nearest
input positions (clamped to the edge), weighted by the linear or cubic kernel (stretched by
``1 / scale`` when downsampling with ``antialias``), weights of positions outside the input
dropped and the rest renormalized under ``exclude_outside``. Needs a static input shape
and constant scales/sizes/roi; the reader falls back to Interpolate otherwise.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["axis_map", "source_coordinates"]


def source_coordinates(mode: str, out_len: int, in_len: int, scale: float,
                       roi: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray]:
    """The input coordinate each output position samples, and which positions fall outside
    the input (``tf_crop_and_resize`` only)."""
    y = np.arange(out_len, dtype=np.float64)
    length = scale * in_len  # the output length before rounding down
    outside = np.zeros(out_len, bool)
    if mode == "align_corners":
        x = np.zeros(out_len) if length == 1 else y * (in_len - 1) / (length - 1)
    elif mode == "asymmetric":
        x = y / scale
    elif mode == "pytorch_half_pixel":
        x = np.full(out_len, -0.5) if length == 1 else (y + 0.5) / scale - 0.5
    elif mode == "half_pixel":
        x = (y + 0.5) / scale - 0.5
    elif mode == "half_pixel_symmetric":
        offset = in_len / 2 * (1 - out_len / length)
        x = offset + (y + 0.5) / scale - 0.5
    elif mode == "tf_crop_and_resize":
        lo, hi = roi if roi is not None else (0.0, 1.0)
        if length == 1:
            x = np.full(out_len, (hi - lo) * (in_len - 1) / 2)
        else:
            x = y * (hi - lo) * (in_len - 1) / (length - 1)
        x = x + lo * (in_len - 1)
        outside = (x < 0) | (x > in_len - 1)
    else:
        raise ValueError(f"unknown coordinate_transformation_mode '{mode}'")
    return x, outside


def _keys(d: np.ndarray, a: float) -> np.ndarray:
    """The cubic convolution kernel of parameter ``a`` at distances ``d``."""
    d = np.abs(d)
    near = ((a + 2) * d - (a + 3)) * d * d + 1
    far = ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
    return np.where(d <= 1, near, np.where(d < 2, far, 0.0))


def _weights(ratio: float, scale: float, mode: str, antialias: bool, a: float) -> np.ndarray:
    """The weights of the ``n`` neighbours (in ascending order) of a source coordinate
    whose distance past its floor is ``ratio`` (1 at an integer coordinate)."""
    if mode == "linear":
        if not antialias:
            return np.array([1 - ratio, ratio])
        s = min(scale, 1.0)
        start = math.floor(-1 / s) + 1
        taps = (np.arange(start, 2 - start) - ratio) * s
        w = np.clip(1 - np.abs(taps), 0, 1)
        return w / w.sum()
    if not antialias:
        return _keys(np.array([ratio + 1, ratio, 1 - ratio, 2 - ratio]), a)
    s = min(scale, 1.0)
    start = math.floor(-2 / s) + 1
    w = _keys(s * (np.arange(start, 2 - start) - ratio), a)
    return w / w.sum()


def axis_map(mode: str, coordinate_mode: str, in_len: int, out_len: int, scale: float,
             roi: tuple[float, float] | None, antialias: bool, exclude_outside: bool,
             cubic_a: float, extrapolation: float) -> tuple[np.ndarray, np.ndarray | None]:
    """``(W, b)`` of one axis: ``W`` ``[out_len, in_len]``, ``b`` ``[out_len]`` or
    ``None`` when no position is extrapolated."""
    x, outside = source_coordinates(coordinate_mode, out_len, in_len, scale, roi)
    w = np.zeros((out_len, in_len), np.float64)
    for row in range(out_len):
        if outside[row]:
            continue
        base = math.floor(x[row])
        ratio = 1.0 if x[row] == base else x[row] - base
        coeffs = _weights(ratio, scale, mode, antialias, cubic_a)
        n = len(coeffs)
        frac = x[row] - base
        if n % 2 == 0:
            first = base - n // 2 + (0 if frac == 0 else 1)
        else:
            first = base - (n - 1) // 2 + (0 if frac <= 0.5 else 1)
        idx = first + np.arange(n)
        if exclude_outside:
            coeffs = np.where((idx < 0) | (idx >= in_len), 0.0, coeffs)
            total = coeffs.sum()
            coeffs = coeffs / (total if total != 0 else 1.0)
        np.add.at(w[row], np.clip(idx, 0, in_len - 1), coeffs)
    bias = np.where(outside, extrapolation, 0.0) if outside.any() else None
    return w, bias
