"""AxisVector, AxisSet, Coordinate and CoordinateDiff (reprs as OpenVINO 2026.4.1's)."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov


@pytest.mark.parametrize("cls, text", [
    (ov.AxisVector, "<AxisVector {1, 2}>"), (ov.Coordinate, "<Coordinate>"),
    (ov.CoordinateDiff, "<CoordinateDiff: (1, 2)>"), (ov.AxisSet, "<AxisSet {1, 2}>"),
])
def test_sequences_of_ints(cls, text):
    value = cls([1, np.int64(2)])
    assert repr(value) == text and list(value) == [1, 2] and len(value) == 2
    assert value == cls([1, 2]) and value != cls([2, 1]) or cls is ov.AxisSet
    assert getattr(ov._pyopenvino, cls.__name__) is cls


def test_signs_and_sets():
    assert str(ov.CoordinateDiff([-1, 2])) == "-1, 2"
    with pytest.raises(TypeError, match="non-negative"):
        ov.Coordinate([-1])
    with pytest.raises(TypeError, match="sequence of ints"):
        ov.AxisVector(3)
    assert list(ov.AxisSet([2, 2, 1])) == [1, 2] and 2 in ov.AxisSet({3, 2})
    assert list(ov.Coordinate(ov.Shape([1, 2]))) == [1, 2]
    axes = ov.AxisVector([0, 1])
    axes[1] = 3
    assert list(axes) == [0, 3]
