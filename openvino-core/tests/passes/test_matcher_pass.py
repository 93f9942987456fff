"""MatcherPass and GraphRewrite: callbacks rewrite the graph, the compiled model computes
the rewritten graph, new nodes are visited, several matcher passes share one walk."""

from __future__ import annotations

import numpy as np

import openvino as ov
from openvino import opset13 as ops
from openvino.passes import (
    BackwardGraphRewrite,
    GraphRewrite,
    Manager,
    Matcher,
    MatcherPass,
    WrapType,
)
from openvino.utils import replace_node


def relu_model() -> ov.Model:
    param = ops.parameter([1, 4], np.float32, name="x")
    param.output(0).set_names({"x"})
    relu = ops.relu(param)
    relu.set_friendly_name("act")
    relu.output(0).set_names({"y"})
    return ov.Model([ops.result(relu)], [param], "relu")


def count(model: ov.Model, type_name: str) -> int:
    return sum(op.get_type_name() == type_name for op in model.get_ordered_ops())


class ReluToExp(MatcherPass):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        relu = WrapType("opset13.Relu", WrapType("opset13.Parameter").output(0))

        def callback(m: Matcher) -> bool:
            self.calls += 1
            root = m.get_match_root()
            assert relu in m.get_pattern_value_map()
            replace_node(root, ops.exp(root.input_value(0)))
            return True

        self.register_matcher(Matcher(relu, "ReluToExp"), callback)


def test_matcher_pass_replaces_relu_and_the_compiled_model_computes_the_new_graph():
    model = relu_model()
    manager = Manager()
    rewrite = manager.register_pass(ReluToExp())
    assert rewrite.get_name() == "ReluToExp"
    manager.run_passes(model)
    assert rewrite.calls == 1
    assert (count(model, "Relu"), count(model, "Exp")) == (0, 1)
    assert model.output(0).get_names() >= {"y"}  # the output's name followed

    x = np.array([[-1.0, 0.0, 0.5, 2.0]], np.float32)
    compiled = ov.Core().compile_model(model, "TEMPLATE")
    got = compiled({"x": x})["y"]
    np.testing.assert_allclose(got, np.exp(x), rtol=1e-6)


def test_matcher_pass_from_a_matcher_and_a_callback_and_apply_on_one_node():
    model = relu_model()
    seen = []

    def callback(m: Matcher) -> bool:
        seen.append(m.get_match_root().get_friendly_name())
        return False

    mp = MatcherPass(Matcher(WrapType("opset13.Relu"), "Look"), callback)
    relu = model.get_results()[0].input_value(0).get_node()
    assert mp.apply(relu) is False
    assert mp.apply(model.get_parameters()[0]) is False  # no match: no callback
    assert seen == ["act"]


def test_a_callback_returning_none_counts_as_no_change():
    model = relu_model()
    exp_after = ops.exp(model.get_results()[0].input_value(0))
    model.add_results([ops.result(exp_after)])

    def callback(m: Matcher) -> None:
        root = m.get_match_root()
        perm = ops.constant(np.array([1, 0], np.int64))
        root.output(0).replace(ops.transpose(root.input_value(0), perm).output(0))

    manager = Manager()
    manager.register_pass(MatcherPass(Matcher(WrapType("opset13.Relu"), "T"), callback))
    manager.run_passes(model)
    assert count(model, "Transpose") == 1
    assert exp_after.get_output_partial_shape(0) == ov.PartialShape([1, 4])  # not revalidated


def test_graph_rewrite_runs_two_matcher_passes_in_one_walk():
    model = relu_model()
    order = []

    def make(type_name: str, tag: str, claim: bool) -> MatcherPass:
        def callback(m: Matcher) -> bool:
            order.append((tag, m.get_match_root().get_type_name()))
            return claim

        return MatcherPass(Matcher(WrapType(type_name), tag), callback)

    rewrite = GraphRewrite()
    first = rewrite.add_matcher(make("opset13.Relu", "first", True))
    rewrite.add_matcher(make("opset13.Relu", "second", True))  # first claimed the Relu
    rewrite.add_matcher(make("opset13.Parameter", "params", False))
    assert first.get_name() == "first"
    manager = Manager()
    assert manager.register_pass(rewrite) is rewrite
    manager.run_passes(model)
    assert order == [("params", "Parameter"), ("first", "Relu")]

    order.clear()
    backward = BackwardGraphRewrite()
    backward.add_matcher(make("opset13.Relu", "relu", False))
    backward.add_matcher(make("opset13.Parameter", "param", False))
    backward.run_on_model(model)
    assert order == [("relu", "Relu"), ("param", "Parameter")]


def test_registered_new_nodes_are_visited_by_the_next_passes():
    class InsertExp(MatcherPass):
        def __init__(self) -> None:
            super().__init__()

            def callback(m: Matcher) -> bool:
                value = m.get_match_value()
                consumers = value.get_target_inputs()
                exp = ops.exp(value)
                for consumer in consumers:
                    consumer.replace_source_output(exp.output(0))
                self.register_new_node(exp)
                return False

            self.register_matcher(Matcher(WrapType("opset13.Parameter"), "InsertExp"),
                                  callback)

    class ExpToSigmoid(MatcherPass):
        def __init__(self) -> None:
            super().__init__()
            self.hits = 0

            def callback(m: Matcher) -> bool:
                self.hits += 1
                root = m.get_match_root()
                replace_node(root, ops.sigmoid(root.input_value(0)))
                return True

            self.register_matcher(Matcher(WrapType("opset13.Exp"), "ExpToSigmoid"), callback)

    model = relu_model()
    rewrite = GraphRewrite()
    rewrite.add_matcher(InsertExp())
    to_sigmoid = rewrite.add_matcher(ExpToSigmoid())
    Manager().register_pass(rewrite)
    manager = Manager()
    manager.register_pass(rewrite)
    manager.run_passes(model)
    assert to_sigmoid.hits == 1
    assert (count(model, "Exp"), count(model, "Sigmoid"), count(model, "Relu")) == (0, 1, 1)
    x = np.array([[-1.0, 0.0, 0.5, 2.0]], np.float32)
    got = ov.Core().compile_model(model, "TEMPLATE")({"x": x})["y"]
    np.testing.assert_allclose(got, np.maximum(1 / (1 + np.exp(-x)), 0), rtol=1e-6)


def test_nodes_dropped_by_a_rewrite_are_not_visited():
    param = ops.parameter([2], np.float32, name="x")
    model = ov.Model([ops.result(ops.exp(ops.relu(param)))], [param])
    visited = []

    def drop_relu(m: Matcher) -> bool:
        root = m.get_match_root()  # Exp: bypass the Relu under it
        relu = root.input_value(0).get_node()
        root.input(0).replace_source_output(relu.input_value(0))
        return True

    def note(m: Matcher) -> bool:
        visited.append(m.get_match_root().get_type_name())
        return False

    backward = BackwardGraphRewrite()
    backward.add_matcher(MatcherPass(Matcher(WrapType("opset13.Exp"), "Drop"), drop_relu))
    backward.add_matcher(MatcherPass(Matcher(WrapType(["opset13.Relu", "opset13.Parameter"]),
                                             "Note"), note))
    backward.run_on_model(model)
    assert visited == ["Parameter"]
    assert count(model, "Relu") == 0
