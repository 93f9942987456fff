import pytest

from openvino import Dimension, PartialShape, Shape, Symbol


def test_dimension_forms():
    assert str(Dimension()) == "?" and Dimension().is_dynamic
    d = Dimension(3)
    assert d.is_static and d.get_length() == 3 and len(d) == 3 and d == 3
    i = Dimension(2, 5)
    assert str(i) == "2..5" and i.min_length == 2 and i.max_length == 5
    assert Dimension(-1).is_dynamic and Dimension(-1).get_max_length() == -1
    assert i.compatible(Dimension(3)) and not i.compatible(Dimension(7))
    assert Dimension().relaxes(i) and i.refines(Dimension())
    assert Dimension(3).same_scheme(Dimension(3)) and not Dimension(3).same_scheme(Dimension())
    with pytest.raises(RuntimeError):
        Dimension().get_length()


def test_partial_shape_strings():
    ps = PartialShape("[1..10,?]")
    assert ps[0] == Dimension(1, 10) and ps[1].is_dynamic and ps.is_dynamic
    assert str(ps) == "[1..10,?]"
    assert PartialShape("[?,3,..224,..224]")[2] == Dimension(0, 224)
    assert PartialShape("194, 194") == PartialShape([194, 194])
    assert PartialShape.dynamic().rank.is_dynamic
    assert str(PartialShape.dynamic()) == "[...]"


def test_partial_shape_list_forms_and_assignment():
    ps = PartialShape([1, -1, (2, 8), Dimension(4)])
    assert ps[1].is_dynamic and ps[2] == Dimension(2, 8) and ps[3] == 4
    ps[1] = 3
    assert ps[1] == 3
    assert PartialShape([1, 2]).to_shape() == Shape([1, 2])
    with pytest.raises(RuntimeError):
        PartialShape([1, -1]).to_shape()
    assert PartialShape([1, 2]) == [1, 2]


def test_shape():
    s = Shape([1, 3, 224, 224])
    assert repr(Shape([1])) == "<Shape: [1]>"
    assert s == [1, 3, 224, 224] and s[1] == 3 and len(s) == 4
    assert str(s) == "[1,3,224,224]"
    with pytest.raises(TypeError):
        Shape([-2])


def test_symbols():
    assert not Dimension().get_symbol()
    sym = Symbol()
    assert sym
    a, b = Dimension(), Dimension()
    a.set_symbol(sym)
    b.set_symbol(sym)
    assert a.has_symbol() and a.get_symbol() == b.get_symbol()
    assert {sym: 1}[a.get_symbol()] == 1
    assert Symbol() != sym


def test_merge_and_compatible():
    assert PartialShape([1, -1]).compatible(PartialShape([1, 5]))
    assert not PartialShape([1, 2]).compatible(PartialShape([1, 3]))
    assert PartialShape([(1, 10), -1]).merge([3, 4]) == PartialShape([3, 4])
    assert PartialShape([2]).merge([3]) is None
