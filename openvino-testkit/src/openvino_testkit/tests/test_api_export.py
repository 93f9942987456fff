"""API conformance: ``export_model`` / ``Core.import_model`` for devices that declare
``EXPORT_IMPORT`` in ``OPTIMIZATION_CAPABILITIES`` (the others skip: not applicable)."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest

from openvino_testkit.device_support import compile_for
from openvino_testkit.devices import underlying_device
from openvino_testkit.models import chain_model, stateful_model

OV_CHECK_KIND = "api"

X = np.linspace(-1, 1, 3 * 8 * 8, dtype=np.float32).reshape(1, 3, 8, 8)


@pytest.fixture(scope="module")
def device(ov_core: Any, ov_device: str) -> str:
    """The device that exports (the one behind AUTO), when it declares EXPORT_IMPORT."""
    name = underlying_device(ov_device)
    try:
        capabilities = ov_core.get_property(name, "OPTIMIZATION_CAPABILITIES")
    except RuntimeError:
        capabilities = []
    if "EXPORT_IMPORT" not in capabilities:
        pytest.skip(f"{name} does not declare EXPORT_IMPORT")
    return name


@pytest.fixture(scope="module")
def compiled(ov_core: Any, ov_device: str, device: str) -> Any:
    return compile_for(ov_core, chain_model().model, ov_device)


def test_export_import_round_trip(ov_core: Any, compiled: Any, device: str) -> None:
    blob = compiled.export_model()
    assert isinstance(blob, bytes) and blob, f"export_model() returned {type(blob).__name__}"
    imported = ov_core.import_model(blob, device)
    np.testing.assert_array_equal(imported([X])[0], compiled([X])[0])
    assert [p.get_names() for p in imported.inputs] == [p.get_names() for p in compiled.inputs]
    assert [p.get_names() for p in imported.outputs] == \
        [p.get_names() for p in compiled.outputs]


def test_export_into_stream(ov_core: Any, compiled: Any, device: str) -> None:
    stream = io.BytesIO()
    compiled.export_model(stream)
    assert stream.getvalue(), "export_model(stream) wrote nothing"
    imported = ov_core.import_model(io.BytesIO(stream.getvalue()), device)
    np.testing.assert_array_equal(imported([X])[0], compiled([X])[0])


def test_import_keeps_state(ov_core: Any, ov_device: str, device: str) -> None:
    compiled = compile_for(ov_core, stateful_model().model, ov_device)
    imported = ov_core.import_model(compiled.export_model(), device)
    request = imported.create_infer_request()
    ones = np.ones((1, 4), np.float32)
    request.infer([ones])
    np.testing.assert_array_equal(request.infer([ones])[0], ones * 2)


def test_import_damaged_blob_fails_cleanly(ov_core: Any, compiled: Any, device: str) -> None:
    blob = compiled.export_model()
    with pytest.raises(RuntimeError):
        ov_core.import_model(blob[: len(blob) // 3], device)
