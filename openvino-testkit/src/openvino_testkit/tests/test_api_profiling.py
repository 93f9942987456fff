"""API conformance: ``get_profiling_info`` after a run compiled with ``PERF_COUNT``
(``datetime.timedelta`` times, ``ProfilingInfo.Status`` values); before the first run and
without ``PERF_COUNT`` it lists nodes as not run with zero times instead of raising."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pytest

import openvino as ov
from openvino_testkit.device_support import compile_for
from openvino_testkit.models import chain_model

OV_CHECK_KIND = "api"


@pytest.fixture(scope="module")
def profiled(ov_core: Any, ov_device: str) -> Any:
    compiled = compile_for(ov_core, chain_model().model, ov_device, {"PERF_COUNT": True})
    request = compiled.create_infer_request()
    request.infer([np.ones((1, 3, 8, 8), np.float32)])
    return request


def test_profiling_info_lists_executed_nodes(profiled: Any) -> None:
    info = profiled.get_profiling_info()
    assert len(info) > 0, "get_profiling_info() is empty after a run with PERF_COUNT"
    executed = [i for i in info if i.status == ov.ProfilingInfo.Status.EXECUTED]
    assert executed, "no node reported as EXECUTED"
    for item in info:
        assert isinstance(item.node_name, str) and item.node_name, f"node_name {item.node_name!r}"
        assert isinstance(item.node_type, str) and item.node_type, f"node_type {item.node_type!r}"
        assert isinstance(item.exec_type, str), f"exec_type {item.exec_type!r}"
        assert isinstance(item.real_time, datetime.timedelta), \
            f"real_time is {type(item.real_time).__name__}, not datetime.timedelta"
        assert isinstance(item.cpu_time, datetime.timedelta)
        assert item.real_time >= datetime.timedelta(0)


def test_profiling_info_names_model_work(profiled: Any) -> None:
    info = profiled.get_profiling_info()
    names = " ".join(f"{i.node_name} {i.node_type}" for i in info).lower()
    named = [n for n in ("scale", "shift", "relu", "multiply", "add") if n in names]
    assert named, f"no profiled node names an op of the model (scale, shift, relu): {names[:200]}"
    total = sum((i.real_time for i in info), datetime.timedelta(0))
    assert total > datetime.timedelta(0), "every profiled node took zero time"


def test_profiling_follows_each_run(profiled: Any) -> None:
    profiled.infer([np.zeros((1, 3, 8, 8), np.float32)])
    assert len(profiled.get_profiling_info()) > 0


def _not_run_only(info: list) -> None:
    assert info, "get_profiling_info() is empty: OpenVINO lists the model's nodes"
    for item in info:
        assert item.status == ov.ProfilingInfo.Status.NOT_RUN, \
            f"{item.node_name} is {item.status}, expected NOT_RUN"
        assert item.real_time == item.cpu_time == datetime.timedelta(0), \
            f"{item.node_name} took {item.real_time} though it did not run"


def test_profiling_before_the_first_run(ov_core: Any, ov_device: str) -> None:
    compiled = compile_for(ov_core, chain_model().model, ov_device, {"PERF_COUNT": True})
    _not_run_only(compiled.create_infer_request().get_profiling_info())


def test_profiling_without_perf_count(ov_core: Any, ov_device: str) -> None:
    compiled = compile_for(ov_core, chain_model().model, ov_device)
    request = compiled.create_infer_request()
    request.infer([np.ones((1, 3, 8, 8), np.float32)])
    _not_run_only(request.get_profiling_info())


def test_profiling_status_values() -> None:
    status = ov.ProfilingInfo.Status
    assert [int(status.NOT_RUN), int(status.OPTIMIZED_OUT), int(status.EXECUTED)] == [0, 1, 2]
    assert str(status.EXECUTED) == "Status.EXECUTED"
