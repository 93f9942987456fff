"""``constant(None)``: ValueError from the opset1..12 factories, TypeError (no overload)
from opset13 on, as OpenVINO's; an empty list is still an empty constant."""

import importlib

import pytest


@pytest.mark.parametrize("version", [1, 8, 12])
def test_constant_none_before_opset13(version):
    opset = importlib.import_module(f"openvino.opset{version}")
    with pytest.raises(ValueError, match="Cannot create an empty Constant"):
        opset.constant(None)


@pytest.mark.parametrize("version", [13, 15])
def test_constant_none_from_opset13(version):
    opset = importlib.import_module(f"openvino.opset{version}")
    with pytest.raises(TypeError, match="necessary overload for constant"):
        opset.constant(None)


@pytest.mark.parametrize("version", [8, 13])
def test_constant_of_empty_list(version):
    opset = importlib.import_module(f"openvino.opset{version}")
    assert list(opset.constant([]).get_output_partial_shape(0).to_shape()) == [0]
