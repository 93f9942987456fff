"""Comparing a device's output with the expected values under a ``Tolerance``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .tolerances import EXACT, Tolerance

__all__ = ["mismatch", "output_mismatch"]


def mismatch(actual: np.ndarray, expected: np.ndarray, tolerance: Tolerance) -> str | None:
    """``None`` when ``actual`` matches ``expected`` (same shape, values within
    ``tolerance``, NaN where NaN is expected, equal infinities); otherwise a one-line
    description of the first difference: where, the two values, how many elements differ."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    if actual.shape != expected.shape:
        return f"shape {list(actual.shape)} where {list(expected.shape)} was expected"
    if expected.size == 0:
        return None
    kinds = actual.dtype.kind + expected.dtype.kind
    if "U" in kinds or "S" in kinds or "O" in kinds:
        bad = np.asarray(actual.astype(str) != expected.astype(str))
    elif expected.dtype.kind == "b" or actual.dtype.kind == "b":
        bad = np.asarray(actual.astype(bool) != expected.astype(bool))
    elif expected.dtype.kind in "iu" and actual.dtype.kind in "iu":
        bad = np.asarray(actual.astype(object) != expected.astype(object))
    else:
        a = actual.astype(np.float64)
        e = expected.astype(np.float64)
        nan_e, nan_a = np.isnan(e), np.isnan(a)
        with np.errstate(invalid="ignore", over="ignore"):
            if tolerance.exact:
                close = a == e
            else:
                close = np.abs(a - e) <= tolerance.atol + tolerance.rtol * np.abs(e)
            inf = np.isinf(e) | np.isinf(a)
            close = np.where(inf, a == e, close)
        bad = np.where(nan_e, ~nan_a, ~close | nan_a)
    count = int(np.count_nonzero(bad))
    if count == 0:
        return None
    where = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
    got, want = actual[where], expected[where]
    extra = ""
    if expected.dtype.kind == "f" and not tolerance.exact:
        with np.errstate(invalid="ignore"):
            diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
        finite = diff[np.isfinite(diff)]
        if finite.size:
            extra = f"; max |diff| {finite.max():.3g}"
    return (f"{count} of {expected.size} elements differ (tolerance {tolerance}); "
            f"first at {list(where)}: got {got!r}, expected {want!r}{extra}")


def output_mismatch(values: Sequence[Any], truths: Sequence[np.ndarray],
                    names: Sequence[str]) -> str | None:
    """``None`` when output ``i`` (``values[i]``) equals ``truths[i]`` for every ``i``;
    otherwise which outputs are wrong, each by index and name, saying whose values an output
    holds when they are another output's (outputs returned in the wrong order)."""
    problems = []
    for i, (value, truth, name) in enumerate(zip(values, truths, names)):
        value = np.asarray(value)
        if value.shape == np.shape(truth) and np.array_equal(value, truth):
            continue
        others = [names[j] for j, other in enumerate(truths)
                  if j != i and value.shape == np.shape(other) and np.array_equal(value, other)]
        if others:
            problems.append(f"output {i} ('{name}') holds the values of output '{others[0]}'")
        else:
            problems.append(f"output {i} ('{name}'): "
                            f"{mismatch(value, truth, EXACT) or 'differs'}")
    if len(values) != len(truths):
        problems.append(f"{len(values)} outputs where {len(truths)} were expected")
    return "; ".join(problems) or None
