"""export_model / import_model round trip."""

from __future__ import annotations

import io

import numpy as np
import pytest

import openvino as ov
import openvino.properties as props

from .conftest import accumulator_model, add_model

X = np.arange(8, dtype=np.float32)


def test_round_trip_bytes(core, compiled_add):
    blob = compiled_add.export_model()
    assert isinstance(blob, bytes)
    imported = core.import_model(blob, "TEMPLATE")
    result = imported({"a": X, "b": X})
    np.testing.assert_array_equal(result["y"], 2 * X)
    assert [p.get_names() for p in imported.inputs] == [{"a"}, {"b"}]


def test_round_trip_stream_and_config(core):
    compiled = core.compile_model(accumulator_model(), "TEMPLATE",
                                  {props.enable_profiling: True})
    stream = io.BytesIO()
    compiled.export_model(stream)
    imported = ov.Core().import_model(io.BytesIO(stream.getvalue()), "TEMPLATE")
    assert imported.get_property("PERF_COUNT") is True
    request = imported.create_infer_request()
    request.infer([np.ones((1, 2), np.float32)])
    assert (request.infer([np.ones((1, 2), np.float32)])[0] == 2).all()
    assert request.query_state()[0].name == "acc"


def test_import_rejects_other_data(core):
    with pytest.raises(RuntimeError, match="not a model exported"):
        core.import_model(b"garbage", "TEMPLATE")


def test_export_needs_export_import_capability(core):
    from openvino.plugin import DeviceCompiledModel, DevicePlugin

    class NoExport(DevicePlugin):
        name = "NOEXPORT"

    plugin = NoExport()
    compiled = ov.CompiledModel(DeviceCompiledModel(plugin, add_model(), {}), "NOEXPORT")
    with pytest.raises(RuntimeError, match="EXPORT_IMPORT"):
        compiled.export_model()
