"""AUTO says why it skipped each device: the exception its ``query_model`` raised or the
first nodes it does not cover, in the error when no device is left and in a debug log
(logger ``openvino.auto``)."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino.plugin import AutoCandidate

from .conftest import add_model
from .fake_devices import DeviceSource, FakePlugin, FixedPolicy

X = np.arange(8, dtype=np.float32)


class QueryRaises(FakePlugin):
    def query_model(self, model: Any, config: dict[str, Any]) -> dict[str, str]:
        raise RuntimeError("the driver is gone")


class QueryReturnsList(FakePlugin):
    def query_model(self, model: Any, config: dict[str, Any]) -> Any:
        return ["everything"]


def relu_chain(length: int) -> ov.Model:
    x = ov.opset13.parameter([4], np.float32, name="x")
    node = x
    for i in range(length):
        node = ov.opset13.relu(node)
        node.set_friendly_name(f"relu{i}")
    return ov.Model([node], [x], "chain")


def test_a_raising_query_model_is_reported_not_dropped(register, caplog) -> None:
    register(DeviceSource(lambda: QueryRaises("GPU")))
    with caplog.at_level(logging.DEBUG, logger="openvino.auto"):
        compiled = ov.Core().compile_model(add_model(), "AUTO")
    assert compiled.get_property("EXECUTION_DEVICES") == ["TEMPLATE"]
    skipped = [r.getMessage() for r in caplog.records if r.name == "openvino.auto"]
    assert skipped == ["AUTO skips GPU for model 'add': query_model raised RuntimeError: "
                       "the driver is gone"]
    with pytest.raises(RuntimeError, match=r"AUTO:GPU: none of GPU supports every operation "
                                           r"of the model 'add' \(GPU: query_model raised "
                                           r"RuntimeError: the driver is gone\)"):
        ov.Core().compile_model(add_model(), "AUTO:GPU")


def test_unsupported_nodes_are_named_with_their_types(register, caplog) -> None:
    register(DeviceSource(lambda: FakePlugin("CPU", supported_types={"Relu"})))
    with caplog.at_level(logging.DEBUG, logger="openvino.auto"):
        with pytest.raises(RuntimeError) as info:
            ov.Core().compile_model(add_model(), "AUTO:CPU")
    assert "CPU: query_model does not cover 1 of 1 operations: " in str(info.value)
    assert "(Add)" in str(info.value)
    assert any("AUTO skips CPU" in r.getMessage() and "(Add)" in r.getMessage()
               for r in caplog.records)


def test_many_unsupported_nodes_are_summed_up(register) -> None:
    register(DeviceSource(lambda: FakePlugin("CPU", supported_types={"Add"})))
    with pytest.raises(RuntimeError, match=r"CPU: query_model does not cover 5 of 5 "
                                           r"operations: 'relu0' \(Relu\), 'relu1' \(Relu\), "
                                           r"'relu2' \(Relu\) and 2 more"):
        ov.Core().compile_model(relu_chain(5), "AUTO:CPU")


def test_every_candidate_has_its_reason(register) -> None:
    register(DeviceSource(lambda: QueryRaises("GPU"),
                          lambda: QueryReturnsList("NPU"),
                          lambda: FakePlugin("CPU", supported_types={"Relu"})))
    with pytest.raises(RuntimeError) as info:
        ov.Core().compile_model(add_model(), "AUTO:GPU,NPU,CPU")
    message = str(info.value)
    assert "GPU: query_model raised RuntimeError: the driver is gone" in message
    assert "NPU: query_model returned list, not a dict" in message
    assert "CPU: query_model does not cover 1 of 1 operations" in message


def test_a_policy_that_chooses_nothing(register) -> None:
    register(DeviceSource(lambda: FakePlugin("CPU")))
    register(FixedPolicy([]))
    with pytest.raises(RuntimeError, match="CPU: covers the model, but the AUTO policy did not "
                                           "choose it"):
        ov.Core().compile_model(add_model(), "AUTO:CPU")


def test_skip_reason_is_asked_once_per_model(register) -> None:
    calls = []

    class Counting(FakePlugin):
        def query_model(self, model: Any, config: dict[str, Any]) -> dict[str, str]:
            calls.append(model)
            return {}

    plugin = Counting("CPU")
    candidate = AutoCandidate("CPU", "CPU", "", plugin)
    model = add_model()
    assert candidate.skip_reason(model).startswith("query_model does not cover 1 of 1")
    assert not candidate.covers(model)
    assert len(calls) == 1
    other = add_model()
    assert not candidate.covers(other)
    assert len(calls) == 2
    assert AutoCandidate("T", "T", "", FakePlugin("T")).skip_reason(model) is None
