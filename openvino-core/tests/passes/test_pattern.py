"""Pattern matching: WrapType with one or several types and inputs, AnyInput (with
predicates, bound once), Or, Optional, ordinary ops in patterns, the predicates."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset13 as ops
from openvino.passes import (
    AnyInput,
    Matcher,
    Optional,
    Or,
    Predicate,
    WrapType,
    attrs_match,
    consumers_count,
    has_static_dim,
    has_static_dims,
    has_static_rank,
    has_static_shape,
    rank_equals,
    shape_matches,
    type_matches,
    type_matches_any,
)


def chain():
    """relu(abs(matmul(add(a, b), c))) and the nodes on the way."""
    a = ops.parameter([2, 2], np.float32)
    b = ops.parameter([2, 2], np.float32)
    c = ops.parameter([2, 2], np.float32)
    add = ops.add(a, b)
    mm = ops.matmul(add, c, False, False)
    ab = ops.abs(mm)
    return ops.relu(ab), ab, mm, add, (a, b, c)


def test_ordinary_ops_over_any_inputs_form_a_pattern():
    relu, *_ = chain()
    pattern = ops.relu(ops.abs(ops.matmul(AnyInput(), AnyInput(), False, False)))
    assert Matcher(pattern, "P").match(relu)
    assert not Matcher(ops.relu(ops.exp(AnyInput())), "P").match(relu)


def test_wrap_type_with_several_types_and_inputs():
    relu, ab, mm, add, _ = chain()
    sig = ops.sigmoid(ab)
    pattern = WrapType(["opset13.Relu", "opset13.Sigmoid"],
                       WrapType("opset13.Abs", WrapType("opset13.MatMul",
                                                        [AnyInput(), AnyInput()])))
    m = Matcher(pattern, "Activation")
    assert m.match(relu)
    assert m.get_match_root() is relu
    assert m.match(sig)
    assert m.get_match_root() is sig
    assert not m.match(ab)
    assert m.get_match_root() is None
    # the "::" spelling, and a list of types with one input
    assert Matcher(WrapType("opset8::Abs", WrapType("opset1.MatMul")), "A").match(ab)


def test_wrap_type_version_and_input_count_matter():
    p = ops.parameter([2, 3], np.float32)
    softmax = ops.softmax(p, 1)  # opset8's Softmax
    assert Matcher(WrapType("opset8.Softmax"), "S").match(softmax)
    assert not Matcher(WrapType("opset1.Softmax"), "S").match(softmax)
    prelu = ops.prelu(p, ops.parameter([], np.float32))
    assert not Matcher(WrapType("opset13.PRelu", [AnyInput()]), "P").match(prelu)
    assert Matcher(WrapType("opset13.PRelu", [AnyInput(), AnyInput()]), "P").match(prelu)


@pytest.mark.parametrize(("name", "message"), [
    ("", "Unsupported opset type"), ("Parameter", "Unsupported opset type: Parameter"),
    ("opset.Parameter", "Unsupported opset type: opset"),
    ("opset99.Parameter", "Unsupported opset type: opset99"),
    ("opset13.NoSuchOp", "Unrecognized operation type: NoSuchOp"),
])
def test_wrap_type_rejects_unknown_names(name, message):
    with pytest.raises(RuntimeError, match=message):
        WrapType(name)


def test_any_input_binds_one_value():
    p = ops.parameter([2], np.float32)
    q = ops.parameter([2], np.float32)
    x = AnyInput()
    pattern = WrapType("opset13.Add", [x, x])
    assert Matcher(pattern, "Twice").match(ops.add(p, p))
    assert not Matcher(pattern, "Twice").match(ops.add(p, q))


def test_any_input_predicates():
    four_d = ops.parameter([1, 3, 4, 4], np.float32)
    scalar = ops.parameter([], np.float32)
    m = Matcher(AnyInput(lambda out: len(out.get_shape()) == 4), "FourD")
    assert m.match(four_d)
    assert not m.match(scalar)
    assert Matcher(AnyInput(Predicate(lambda out: out.get_element_type() == ov.Type.f32)),
                   "F32").match(scalar)
    assert not Matcher(AnyInput(type_matches(ov.Type.i32)), "I32").match(scalar)


def test_pattern_value_map_and_matched_nodes():
    relu, ab, mm, add, (a, b, c) = chain()
    inner = WrapType("opset13.MatMul", [AnyInput(), AnyInput()])
    top = WrapType("opset13.Abs", inner)
    m = Matcher(WrapType("opset13.Relu", top), "Map")
    assert m.match(relu)
    values = m.get_pattern_value_map()
    assert values[top].get_node() is ab
    assert values[inner].get_node() is mm
    assert m.get_match_value() == relu.output(0)
    assert {n.get_type_name() for n in m.get_match_nodes()} >= {"Relu", "Abs", "MatMul"}
    assert m.get_name() == "Map"


def test_commutative_ops_match_in_either_order():
    p = ops.parameter([2], np.float32)
    r = ops.relu(p)
    add_pattern = ops.add(WrapType("opset13.Relu"), WrapType("opset13.Parameter"))
    assert Matcher(add_pattern, "C").match(ops.add(p, r))
    assert Matcher(add_pattern, "C").match(ops.add(r, p))
    sub_pattern = ops.subtract(WrapType("opset13.Relu"), WrapType("opset13.Parameter"))
    assert not Matcher(sub_pattern, "N").match(ops.subtract(p, r))
    assert Matcher(sub_pattern, "N").match(ops.subtract(r, p))


def test_or_takes_the_first_branch_that_matches():
    relu, ab, *_ = chain()
    red = WrapType("opset13.Sigmoid", WrapType("opset13.Add", [AnyInput(), AnyInput()]))
    blue = WrapType("opset13.Relu", WrapType("opset13.Abs", AnyInput()))
    m = Matcher(Or([red, blue]), "Either")
    assert m.match(relu)
    assert blue in m.get_pattern_value_map()
    assert red not in m.get_pattern_value_map()
    assert not m.match(ab)


def test_optional_present_or_absent():
    relu, ab, mm, *_ = chain()
    # absent in the middle, absent at the top, absent at the root
    middle = WrapType("opset13.Relu", Optional(["opset13.Sigmoid"],
                                               WrapType("opset13.Abs", AnyInput())))
    assert Matcher(middle, "M").match(relu)
    top = WrapType("opset13.Abs", WrapType("opset13.MatMul",
                                           [Optional(["opset13.Sigmoid"], AnyInput()),
                                            AnyInput()]))
    assert Matcher(top, "T").match(ab)
    root = Optional(["opset13.Sigmoid"], WrapType("opset13.Relu", AnyInput()))
    assert Matcher(root, "R").match(relu)
    # present
    opt = Optional(["opset13.Abs"])
    present = Matcher(ops.relu(opt.output(0)), "Present")
    assert present.match(relu)
    assert present.get_pattern_value_map()[opt].get_node() is ab
    # with no inputs an Optional must find its op
    assert Matcher(Optional(["opset13.Relu"]), "One").match(relu)
    assert not Matcher(Optional(["opset13.Exp"]), "One").match(relu)


def test_optional_with_predicate():
    p = ops.parameter(ov.PartialShape.dynamic())
    add = ops.add(p, p)
    relu = ops.relu(add)
    ab = ops.abs(add)  # a second consumer of add, alive while the test runs
    assert Matcher(Optional(["opset13.Relu"], lambda out: True), "T").match(relu)
    assert not Matcher(Optional(["opset13.Relu"], lambda out: False), "F").match(relu)
    assert Matcher(Optional(["opset13.Add"], consumers_count(2)), "C2").match(add)
    assert not Matcher(Optional(["opset13.Add"], consumers_count(1)), "C1").match(add)
    assert not Matcher(Optional(["opset13.Relu"], add, lambda out: False), "F").match(relu)
    assert not Matcher(Optional(["opset13.Cos"], add.output(0)), "Cos").match(relu)
    assert Matcher(Optional(["opset13.Abs", "opset13.Result"], consumers_count(0)),
                   "C0").match(ab)


def test_shape_and_type_predicates():
    static = ops.parameter([1, 3, 22, 22], np.float32)
    partly = ops.parameter([-1, 6], np.int64)
    dynamic = ops.parameter(ov.PartialShape.dynamic())

    def match(pred, node):
        return Matcher(WrapType("opset13.Parameter", pred), "P").match(node)

    assert match(consumers_count(0), static) and not match(consumers_count(1), static)
    assert match(has_static_dim(1), static) and not match(has_static_dim(0), partly)
    assert not match(has_static_dim(7), static)
    assert match(has_static_dims([0, 3]), static) and not match(has_static_dims([0, 1]), partly)
    assert match(has_static_shape(), static) and not match(has_static_shape(), partly)
    assert match(has_static_rank(), partly) and not match(has_static_rank(), dynamic)
    assert match(rank_equals(ov.Dimension(2)), partly)
    assert not match(rank_equals(ov.Dimension(4)), partly)
    assert match(type_matches(ov.Type.f32), static) and not match(type_matches(ov.Type.f32),
                                                                  partly)
    assert match(type_matches_any([ov.Type.f32, ov.Type.i64]), partly)
    assert not match(type_matches_any([ov.Type.f16]), partly)


def test_attrs_match_compares_typed_values():
    softmax = ops.softmax(ops.parameter([2, 3], np.float32), 1)
    assert Matcher(AnyInput(attrs_match({"axis": 1})), "A").match(softmax)
    for other in ({"axis": 0}, {"axis": "1"}, {"axis": 1.0}, {"no_such": 1}):
        assert not Matcher(AnyInput(attrs_match(other)), "A").match(softmax)


def test_shape_matches_binds_symbols():
    param = ops.parameter([1, 3, 22, 22], np.float32)
    m = Matcher(AnyInput(shape_matches("[Batch,Channels,Spatial,Spatial]")), "S")
    assert m.match(param)
    assert m.get_symbols() == {"Batch": 1, "Channels": 3, "Spatial": 22}
    assert not Matcher(AnyInput(shape_matches("[N,C,N,W]")), "S").match(param)
    assert Matcher(AnyInput(shape_matches("[N,...]")), "S").match(param)
    assert Matcher(AnyInput(shape_matches("[?,3,?,?]")), "S").match(param)
    assert not Matcher(AnyInput(shape_matches("[?,4,?,?]")), "S").match(param)

    shape = ov.PartialShape([-1, 2, 3, 4, -1, 6, 7])
    a_dim, b_dim = ov.Dimension(), ov.Dimension()
    a_dim.set_symbol(ov.Symbol())
    b_dim.set_symbol(ov.Symbol())
    shape[0] = a_dim
    shape[4] = b_dim
    m = Matcher(AnyInput(shape_matches("[Batches...,Dyn,Six,7]")), "S")
    assert m.match(ops.parameter(shape, np.float32))
    symbols = m.get_symbols()
    assert symbols["Batches"] == [a_dim.get_symbol(), 2, 3, 4]
    assert symbols["Dyn"] == b_dim.get_symbol()
    assert symbols["Six"] == 6
