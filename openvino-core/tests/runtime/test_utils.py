"""``openvino.utils``: dtype helpers and the OVDict constructor."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino.utils.data_helpers import OVDict
from openvino.utils.types import get_dtype, get_element_type, get_element_type_str


def test_get_dtype():
    assert get_dtype(ov.Type.f32) == np.float32
    assert get_dtype(ov.Type.i64) == np.int64
    assert get_dtype(ov.Type.boolean) == np.bool_
    with pytest.raises(RuntimeError, match="dynamic"):
        get_dtype(ov.Type.dynamic)


def test_get_element_type():
    assert get_element_type(np.float32) == ov.Type.f32
    assert get_element_type(int) == ov.Type.i32
    assert get_element_type(float) == ov.Type.f32
    assert get_element_type_str(np.int8) == "i8"


def test_ovdict_from_a_mapping():
    x = ov.opset8.parameter([2], np.float32)
    model = ov.Model([ov.opset8.relu(x), ov.opset8.absolute(x)], [x])
    first, second = model.outputs
    first.set_names({"r"})
    d = OVDict({first: np.zeros(2), second: np.ones(2)})
    assert d["r"] is d[0] and d[1] is d[second]
    assert len(d) == 2 and list(d) == [first, second]
    assert d == {first: np.zeros(2), second: np.ones(2)}
