"""Manager: registration returns the pass, passes run in order, Python ModelPass
subclasses, names, per-pass validation and bad arguments."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset13 as ops
from openvino.passes import (
    BackwardGraphRewrite,
    ConstantFolding,
    GraphRewrite,
    Manager,
    Matcher,
    MatcherPass,
    ModelPass,
    Serialize,
    WrapType,
)


def relu_model() -> ov.Model:
    param = ops.parameter([2, 3], np.float32, name="x")
    relu = ops.relu(param)
    return ov.Model([ops.result(relu)], [param], "relu")


def relu_exp_model() -> tuple[ov.Model, ov.Node]:
    param = ops.parameter([2, 3], np.float32, name="x")
    exp = ops.exp(ops.relu(param))
    return ov.Model([ops.result(exp)], [param], "relu_exp"), exp


class CountRelus(ModelPass):
    def __init__(self, log: list[str] | None = None) -> None:
        super().__init__()
        self.seen = 0
        self.log = log

    def run_on_model(self, model: ov.Model) -> bool:
        self.seen = sum(op.get_type_name() == "Relu" for op in model.get_ordered_ops())
        if self.log is not None:
            self.log.append(self.get_name())
        return False


class TransposeRelus(ModelPass):
    """Puts a Transpose in place of every Relu; returns ``changed``."""

    def __init__(self, changed: object) -> None:
        super().__init__()
        self.changed = changed

    def run_on_model(self, model: ov.Model) -> object:
        for op in model.get_ordered_ops():
            if op.get_type_name() == "Relu":
                perm = ops.constant(np.array([1, 0], np.int64))
                op.output(0).replace(ops.transpose(op.input_value(0), perm).output(0))
        return self.changed


def test_python_model_pass_runs_through_the_manager_and_directly():
    manager = Manager()
    counted = manager.register_pass(CountRelus())
    assert isinstance(counted, CountRelus)
    manager.run_passes(relu_model())
    assert counted.seen == 1

    direct = CountRelus()
    direct.run_on_model(relu_model())
    assert direct.seen == 1


def test_passes_run_in_registration_order_and_keep_their_names():
    log: list[str] = []
    manager = Manager()
    first = manager.register_pass(CountRelus(log))
    first.set_name("first")
    second = manager.register_pass(CountRelus(log))
    second.set_name("second")
    manager.run_passes(relu_model())
    assert log == ["first", "second"]
    assert CountRelus().get_name() == "PyModelPass"
    assert ConstantFolding().get_name() == "ov::pass::ConstantFolding"
    assert GraphRewrite().get_name() == "ov::pass::GraphRewrite"
    assert BackwardGraphRewrite().get_name() == "ov::pass::BackwardGraphRewrite"
    assert MatcherPass().get_name() == "ov::pass::MatcherPass"


@pytest.mark.parametrize(("changed", "shape"), [(True, [3, 2]), (False, [2, 3]),
                                                (None, [2, 3])])
def test_the_model_is_revalidated_after_a_pass_that_reports_a_change(changed, shape):
    model, exp = relu_exp_model()
    manager = Manager()
    manager.register_pass(TransposeRelus(changed))
    manager.run_passes(model)
    assert exp.get_output_partial_shape(0) == ov.PartialShape(shape)


def test_per_pass_validation_can_be_turned_off():
    model, exp = relu_exp_model()
    manager = Manager()
    manager.set_per_pass_validation(False)
    manager.register_pass(TransposeRelus(True))
    manager.run_passes(model)
    assert exp.get_output_partial_shape(0) == ov.PartialShape([2, 3])
    model.validate_nodes_and_infer_types()
    assert exp.get_output_partial_shape(0) == ov.PartialShape([3, 2])


def test_bad_registrations_and_models():
    manager = Manager()
    with pytest.raises(TypeError, match="PassBase"):
        manager.register_pass(MatcherPass)  # the class, not an instance
    with pytest.raises(TypeError, match="PassBase"):
        manager.register_pass("ConstantFolding")
    with pytest.raises(TypeError):
        manager.register_pass("Serialize", Serialize("out.xml", "out.bin"))
    with pytest.raises(RuntimeError, match="wrong version argument: 'out.wrong'"):
        Serialize("out.xml", "out.bin", "out.wrong")
    with pytest.raises(TypeError, match="openvino.Model"):
        manager.run_passes(None)


def test_a_model_pass_without_run_on_model_says_so():
    class Empty(ModelPass):
        pass

    manager = Manager()
    manager.register_pass(Empty())
    with pytest.raises(RuntimeError, match="pure virtual function"):
        manager.run_passes(relu_model())


def test_a_matcher_pass_registered_on_the_manager_visits_every_node():
    model = relu_model()
    visited = []

    def callback(m: Matcher) -> bool:
        visited.append(m.get_match_root().get_type_name())
        return False

    Manager().register_pass(MatcherPass(Matcher(WrapType(["opset13.Relu", "opset1.Parameter"]),
                                                "Visit"), callback))
    manager = Manager()
    manager.register_pass(MatcherPass(Matcher(WrapType(["opset13.Relu", "opset1.Parameter"]),
                                              "Visit"), callback))
    manager.run_passes(model)
    assert visited == ["Parameter", "Relu"]
