"""``Layout`` as the real API shows it: ``empty`` is a property, and a layout that names no
dimension (``Layout()``, ``"..."``) prints as ``[...]`` and equals every other such layout."""

from __future__ import annotations

import pytest

import openvino as ov


@pytest.mark.parametrize("text", ["", "...", "[...]"])
def test_layout_naming_no_dimension_is_empty(text: str) -> None:
    layout = ov.Layout(text)
    assert layout.empty is True
    assert layout.to_string() == "[...]"
    assert str(layout) == "[...]"
    assert repr(layout) == "<Layout: [...]>"
    assert layout == ov.Layout()
    assert hash(layout) == hash(ov.Layout())


@pytest.mark.parametrize(("text", "shown"), [("NCHW", "[N,C,H,W]"), ("?", "[?]"),
                                             ("NC...", "[N,C,...]"), ("[n,c]", "[N,C]")])
def test_layout_naming_dimensions_is_not_empty(text: str, shown: str) -> None:
    layout = ov.Layout(text)
    assert layout.empty is False
    assert layout.to_string() == shown
    assert layout != ov.Layout()


def test_empty_is_a_property_not_a_method() -> None:
    assert isinstance(ov.Layout.__dict__["empty"], property)
    with pytest.raises(TypeError):
        ov.Layout().empty()  # a bool is not callable


def test_parameter_without_layout_reports_an_empty_one() -> None:
    param = ov.opset8.parameter([1, 3], ov.Type.f32)
    assert param.get_layout().empty
    param.set_layout(ov.Layout("NC"))
    assert not param.get_layout().empty
    assert param.get_layout().to_string() == "[N,C]"
