"""Who owns whom in a graph: a node owns its inputs' producers; producers know their
consumers only weakly (as in OpenVINO), so a graph has no reference cycles and is freed
the moment its last reference goes, without the cyclic garbage collector."""

from __future__ import annotations

import gc
import weakref

import numpy as np

import openvino as ov
from openvino import opset13 as ops
from openvino._ir.writer import write_ir


def _model() -> tuple[ov.Model, weakref.ref]:
    x = ops.parameter([2, 3], ov.Type.f32, name="x")
    relu = ops.relu(x, name="relu")
    total = ops.add(relu, ops.constant(np.ones((2, 3), np.float32)), name="sum")
    return ov.Model([ops.result(total)], [x], "m"), weakref.ref(relu)


def test_a_model_is_freed_without_the_cycle_collector() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        model, relu = _model()
        assert relu() is not None
        del model
        assert relu() is None, "the graph held itself alive through a reference cycle"
    finally:
        if was_enabled:
            gc.enable()


def test_a_read_model_is_freed_without_the_cycle_collector() -> None:
    model, _ = _model()
    text, weights = write_ir(model)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        read = ov.Core().read_model(text, weights)
        relu = weakref.ref(read.get_ordered_ops()[1])
        del read
        assert relu() is None
    finally:
        if was_enabled:
            gc.enable()


def test_consumers_are_the_live_inputs() -> None:
    x = ops.parameter([2], ov.Type.f32, name="x")
    kept = ops.relu(x, name="kept")
    dropped = ops.abs(x, name="dropped")
    assert {i.get_node().get_friendly_name() for i in x.output(0).get_target_inputs()} == {
        "kept", "dropped"}
    del dropped
    gc.collect()
    assert [i.get_node().get_friendly_name() for i in x.output(0).get_target_inputs()] == [
        "kept"]
    assert kept.input_value(0).get_node() is x
