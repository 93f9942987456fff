"""Dimension, PartialShape and Shape behave as OpenVINO 2026.4.1's Python binding: text,
comparisons, hashing, argument types and errors (checked against the real runtime)."""

import copy

import numpy as np
import pytest

from openvino import Dimension, PartialShape, Shape


@pytest.mark.parametrize(("dim", "text"), [
    (Dimension(), "?"), (Dimension(-1), "?"), (Dimension(5), "5"), (Dimension(0), "0"),
    (Dimension(1, 5), "1..5"), (Dimension(0, 5), "..5"), (Dimension(2, -1), "2.."),
    (Dimension(-1, 5), "..5"), (Dimension(0, -1), "?"), (Dimension(3, 3), "3"),
    (Dimension("?"), "?"), (Dimension("-1"), "?"), (Dimension(" 3 "), "3"),
    (Dimension("1..5"), "1..5"), (Dimension("..5"), "..5"), (Dimension("2.."), "2.."),
    (Dimension(".."), "?"), (Dimension(""), "0"), (Dimension(np.int64(4)), "4"),
    (Dimension(dimension=3), "3"), (Dimension(min_dimension=1, max_dimension=4), "1..4"),
])
def test_dimension_text(dim, text):
    assert str(dim) == dim.to_string() == text
    assert repr(dim) == f"<Dimension: {text}>"


@pytest.mark.parametrize("args", [(3.0,), (None,), ([1],), (1, 2, 3), ("1..5", 3), (1.5, 2)])
def test_dimension_constructor_rejects_other_types(args):
    with pytest.raises(TypeError, match="incompatible constructor arguments"):
        Dimension(*args)


@pytest.mark.parametrize(("text", "message"), [
    ("abc", 'Cannot parse dimension: "abc"'), ("3.5", 'Cannot parse dimension: "3.5"'),
    ("[1", 'Cannot parse dimension: "[1"'), ("1..x", 'Cannot parse max bound: "x"'),
    ("a..3", 'Cannot parse min bound: "a"'),
])
def test_dimension_unparsable_text(text, message):
    with pytest.raises(RuntimeError, match=message.replace("[", "\\[").replace(".", "\\.")):
        Dimension(text)


def test_dimension_lengths():
    assert (Dimension(1, 5).min_length, Dimension(1, 5).max_length) == (1, 5)
    assert Dimension().get_max_length() == -1 and Dimension(2, -1).get_min_length() == 2
    for d in (Dimension(), Dimension(1, 5), Dimension(2, -1)):
        with pytest.raises(RuntimeError, match="Cannot get length of dynamic dimension"):
            d.get_length()
        with pytest.raises(RuntimeError):
            len(d)
        with pytest.raises(RuntimeError):
            bool(d)
    assert len(Dimension(3)) == 3 and not Dimension(0)


def test_dimension_equality():
    assert Dimension(3) == 3 and 3 == Dimension(3) and Dimension(3) == np.int64(3)
    assert Dimension() == -1 and -1 == Dimension() and Dimension(-1) == -1
    assert Dimension(1, -1) != -1 and Dimension(2, 5) != -1
    # a str, float, list or None is never equal, even when it reads the same
    for other in ("3", 3.0, [3], (3,), None):
        assert Dimension(3) != other
    assert Dimension() != "?" and Dimension("?") != "?"
    assert Dimension(3) == Dimension(3, 3) and Dimension(1, 5) == Dimension("1..5")
    assert Dimension() == Dimension(0, -1) and Dimension(1, 5) != Dimension(1, 4)
    assert Dimension(3) != PartialShape([3])


def test_dimension_is_unhashable_unordered_and_has_no_arithmetic():
    for d in (Dimension(), Dimension(-1), Dimension(3), Dimension(2, 5)):
        with pytest.raises(TypeError, match="unhashable"):
            hash(d)
    assert Dimension.__hash__ is None
    for expr in ("d < 3", "d <= d", "3 < d", "d + 1", "1 + d", "d - 1", "d * 2", "d // 2",
                 "d & d", "int(d)", "[0, 1, 2, 3][d]"):
        with pytest.raises(TypeError):
            eval(expr, {"d": Dimension(3)})


def test_dimension_cannot_be_copied():
    for op in (copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="cannot pickle 'openvino._pyopenvino.Dimension'"):
            op(Dimension(1, 5))


@pytest.mark.parametrize("method", ["compatible", "relaxes", "refines", "same_scheme"])
@pytest.mark.parametrize("arg", [3, "3", None, PartialShape([3])])
def test_dimension_relations_take_a_dimension(method, arg):
    with pytest.raises(TypeError, match=rf"{method}\(\): incompatible function arguments"):
        getattr(Dimension(3), method)(arg)


def test_dimension_relations():
    assert Dimension(5).compatible(Dimension(1, 5)) and not Dimension(6).compatible(Dimension(1, 5))
    assert Dimension().compatible(Dimension(3))
    assert Dimension(1, 5).relaxes(Dimension(2, 3)) and not Dimension(2, 3).relaxes(Dimension(1, 5))
    assert Dimension(2, 3).refines(Dimension(1, 5)) and Dimension(3).refines(Dimension())
    assert Dimension().relaxes(Dimension(3)) and not Dimension(3).relaxes(Dimension())
    # same scheme: both static and equal, or both dynamic whatever their intervals
    assert Dimension(3).same_scheme(Dimension(3)) and not Dimension(3).same_scheme(Dimension(4))
    assert not Dimension(3).same_scheme(Dimension(1, 5))
    assert Dimension().same_scheme(Dimension(2, 5)) and Dimension(1, 5).same_scheme(Dimension(2, 4))
    assert Dimension(0, 3).same_scheme(Dimension())


@pytest.mark.parametrize(("shape", "text"), [
    (PartialShape([1, 2, 3]), "[1,2,3]"), (PartialShape([]), "[]"), (PartialShape(""), "[]"),
    (PartialShape("[]"), "[]"), (PartialShape.dynamic(), "[...]"), (PartialShape("..."), "[...]"),
    (PartialShape("[...]"), "[...]"), (PartialShape("?"), "[?]"),
    (PartialShape.dynamic(3), "[?,?,?]"), (PartialShape.dynamic(Dimension(2)), "[?,?]"),
    (PartialShape.dynamic(-1), "[...]"), (PartialShape.dynamic(Dimension()), "[...]"),
    (PartialShape.dynamic(Dimension(1, 3)), "[...]"),
    (PartialShape([1, -1, 3]), "[1,?,3]"),
    (PartialShape([Dimension(1, 5), Dimension(), 3]), "[1..5,?,3]"),
    (PartialShape([(1, 5), 3]), "[1..5,3]"), (PartialShape([[1, 5]]), "[1..5]"),
    (PartialShape(["1..5", 3]), "[1..5,3]"), (PartialShape(["?", 3]), "[?,3]"),
    (PartialShape("1,?,3"), "[1,?,3]"), (PartialShape("[1, ..5, 2.., ?]"), "[1,..5,2..,?]"),
    (PartialShape("[1,-1]"), "[1,?]"), (PartialShape(Shape([1, 2])), "[1,2]"),
    (PartialShape((1, 2)), "[1,2]"), (PartialShape([True]), "[1]"),
])
def test_partial_shape_text(shape, text):
    assert str(shape) == shape.to_string() == text
    assert repr(shape) == f"<PartialShape: {text}>"


def test_partial_shape_constructor_errors():
    with pytest.raises(TypeError):
        PartialShape()
    with pytest.raises(TypeError):
        PartialShape(None)
    with pytest.raises(TypeError):
        PartialShape(3)
    with pytest.raises(TypeError, match="Two elements are expected in tuple"):
        PartialShape([(1, 5, 3)])
    with pytest.raises(TypeError, match="Incorrect type <class 'float'> for dimension"):
        PartialShape([1.5])
    with pytest.raises(RuntimeError, match='Cannot parse dimension: "a"'):
        PartialShape("1,a")


def test_partial_shape_equality():
    ps = PartialShape([1, 2, 3])
    assert ps == [1, 2, 3] and [1, 2, 3] == ps and ps == (1, 2, 3) and ps != [1, 2]
    assert ps == Shape([1, 2, 3]) and Shape([1, 2, 3]) == ps and ps == PartialShape([1, 2, 3])
    assert PartialShape([]) == [] and PartialShape([]) == ()
    # a str is never equal, even its own text
    assert ps != "1,2,3" and ps != "[1,2,3]" and ps != str(ps)
    assert ps != None and ps != 5 and ps != [1, -1, 3]  # noqa: E711
    assert PartialShape([1, -1]) != Shape([1, 2])
    assert PartialShape.dynamic() == PartialShape.dynamic() == PartialShape("...")
    assert PartialShape([1, -1]) == PartialShape([1, Dimension(0, -1)])
    assert PartialShape([Dimension(1, 5)]) != PartialShape([Dimension(1, 4)])
    # a dynamic shape cannot be compared with a list or tuple
    for dyn in (PartialShape.dynamic(), PartialShape([1, -1, 3]), PartialShape.dynamic(2)):
        with pytest.raises(TypeError, match="Cannot compare dynamic shape with <class 'list'>"):
            dyn == [1, -1, 3]  # noqa: B015
        with pytest.raises(TypeError, match="Cannot compare dynamic shape with <class 'tuple'>"):
            dyn != (1, 2, 3)  # noqa: B015
    with pytest.raises(RuntimeError, match="Unable to cast"):
        PartialShape([1, 2]) == [1, "2"]  # noqa: B015


def test_partial_shape_is_unhashable_but_copies():
    with pytest.raises(TypeError, match="unhashable"):
        hash(PartialShape([1]))
    assert PartialShape.__hash__ is None
    ps = PartialShape([1, Dimension(2, 5)])
    for op in (copy.copy, copy.deepcopy):
        other = op(ps)
        assert other == ps and other is not ps
    with pytest.raises(TypeError):
        PartialShape([1]) < PartialShape([2])  # noqa: B015


@pytest.mark.parametrize("method", ["compatible", "relaxes", "refines", "same_scheme"])
@pytest.mark.parametrize("arg", [[1, 2, 3], Shape([1, 2, 3]), "1,2,3"])
def test_partial_shape_relations_take_a_partial_shape(method, arg):
    with pytest.raises(TypeError, match=rf"{method}\(\): incompatible function arguments"):
        getattr(PartialShape([1, 2, 3]), method)(arg)


def test_partial_shape_relations():
    static, dyn, partly = PartialShape([1, 2, 3]), PartialShape.dynamic(), PartialShape([1, -1, 3])
    assert static.compatible(dyn) and static.compatible(partly)
    assert not PartialShape([]).compatible(static)
    assert dyn.relaxes(PartialShape([1])) and not PartialShape([1]).relaxes(dyn)
    assert PartialShape([1]).refines(dyn) and not dyn.refines(PartialShape([1]))
    assert partly.relaxes(static) and not static.relaxes(partly) and static.refines(partly)
    assert dyn.same_scheme(dyn) and not static.same_scheme(dyn) and not static.same_scheme(partly)
    assert PartialShape([1, -1]).same_scheme(PartialShape([1, Dimension(2, 5)]))


def test_partial_shape_queries():
    ps = PartialShape([1, Dimension(2, 7), Dimension(3, -1)])
    assert ps.rank == 3 and ps.is_dynamic and not ps.is_static and ps.all_non_negative
    assert ps.get_min_shape() == Shape([1, 2, 3])
    assert ps.get_max_shape() == Shape([1, 7, 2**63 - 1])
    assert PartialShape.dynamic().get_min_shape() == Shape([])
    assert PartialShape.dynamic().get_max_shape() == Shape([])
    assert PartialShape.dynamic().rank.is_dynamic and PartialShape.dynamic().all_non_negative
    with pytest.raises(RuntimeError, match="to_shape was called on a dynamic shape"):
        ps.to_shape()
    with pytest.raises(RuntimeError, match="get_shape\\(\\) must be called on a static shape"):
        PartialShape.dynamic().get_shape()
    assert PartialShape([1, 2]).get_shape() == Shape([1, 2])


def test_partial_shape_indexing_and_iteration():
    ps = PartialShape([1, 2, 3])
    assert ps[0] == 1 and ps[-1] == 3 and ps.get_dimension(1) == 2
    assert ps[1:] == PartialShape([2, 3]) and ps[::-1] == PartialShape([3, 2, 1])
    assert list(ps) == [Dimension(1), Dimension(2), Dimension(3)] and len(ps) == 3 and bool(ps)
    assert not PartialShape([]) and list(PartialShape([])) == []
    for i in (3, 9):
        with pytest.raises(RuntimeError, match="out-of-range dimension"):
            ps.get_dimension(i)
        with pytest.raises(RuntimeError, match="out-of-range dimension"):
            ps[i]
        with pytest.raises(RuntimeError, match="out-of-range dimension"):
            ps[i] = 1
    with pytest.raises(TypeError):
        ps["a"]
    dyn = PartialShape.dynamic()
    assert [d for d in dyn] == []  # iterates over nothing, as OpenVINO's does
    with pytest.raises(TypeError):
        dyn["a"]
    for op in (len, bool, list, lambda p: p[0], lambda p: p[1:], lambda p: p.get_dimension(0)):
        with pytest.raises(RuntimeError):
            op(dyn)


def test_partial_shape_item_assignment():
    ps = PartialShape([1, 2, 3])
    ps[0] = Dimension(1, 5)
    ps[2] = -1
    assert str(ps) == "[1..5,2,?]"
    for value in ("?", (1, 5), 2.5, None):
        with pytest.raises(TypeError):
            ps[0] = value


def test_shape():
    s = Shape([1, 2, 3])
    assert repr(s) == "<Shape: [1,2,3]>" and str(s) == s.to_string() == "[1,2,3]"
    assert s == [1, 2, 3] and s == (1, 2, 3) and s == Shape([1, 2, 3]) and s != "[1,2,3]"
    assert s == PartialShape([1, 2, 3]) and s != None  # noqa: E711
    assert Shape() == Shape([]) and Shape(np.array([1, 2])) == [1, 2]
    assert Shape([np.int64(2)]) == [2] and Shape(Shape([1])) == [1]
    assert s[1:] == Shape([2, 3]) and s[-1] == 3 and type(s[0]) is int
    with pytest.raises(TypeError, match="unhashable"):
        hash(s)
    for op in (copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="cannot pickle 'openvino._pyopenvino.Shape'"):
            op(s)
    for bad in ([-1], [1.5]):
        with pytest.raises(TypeError):
            Shape(bad)
    with pytest.raises(TypeError):
        s < Shape([1])  # noqa: B015
