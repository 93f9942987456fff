"""Devices defined in tests and registered through the plugin manager at run time."""

from __future__ import annotations

from typing import Any

import numpy as np

from openvino._reference_executor import ReferencePlan
from openvino._tensor import Tensor
from openvino.plugin import DeviceCompiledModel, DeviceInferRequest, DevicePlugin, hookimpl


class _Request(DeviceInferRequest):
    def infer(self, inputs):
        values = self.compiled_model.plan.run([t.data for t in inputs])
        return [Tensor(np.asarray(v)) for v in values]


class _Compiled(DeviceCompiledModel):
    def __init__(self, plugin: Any, model: Any, config: dict[str, Any]) -> None:
        super().__init__(plugin, model.clone(), config)
        self.plan = ReferencePlan(self.model)

    def create_sync_request(self) -> _Request:
        self.plugin.requests_created += 1
        return _Request(self)


class FakePlugin(DevicePlugin):
    """A device family that runs the reference plan; configurable for AUTO tests."""

    def __init__(self, name: str, ids: list[str] | None = None, device_type: Any = None,
                 supported_types: set[str] | None = None, fail_compile: bool = False) -> None:
        self.name = name
        self._ids = ids or ["0"]
        self._device_type = device_type
        self._supported = supported_types
        self._fail = fail_compile
        self.compiled_on: list[dict[str, Any]] = []
        self.requests_created = 0
        super().__init__()

    def default_config(self) -> dict[str, Any]:
        return {"PERF_COUNT": False}

    def available_devices(self) -> list[str]:
        return list(self._ids)

    def device_properties(self, device_id: str = "") -> dict[str, Any]:
        props = super().device_properties(device_id)
        if self._device_type is not None:
            props["DEVICE_TYPE"] = self._device_type
        return props

    def supports_op(self, node: Any) -> bool:
        return self._supported is None or node.get_type_name() in self._supported | {
            "Parameter", "Result", "Constant"}

    def compile_model(self, model: Any, config: dict[str, Any]) -> _Compiled:
        self.compiled_on.append(dict(config))
        if self._fail:
            raise RuntimeError(f"{self.name} failed to compile on purpose")
        return _Compiled(self, model, config)


class DeviceSource:
    """A hook implementation contributing fresh fake devices to each Core."""

    def __init__(self, *factories: Any) -> None:
        self.factories = factories
        self.last: dict[str, FakePlugin] = {}

    @hookimpl
    def openvino_device_plugins(self) -> list[FakePlugin]:
        plugins = [f() for f in self.factories]
        self.last = {p.name: p for p in plugins}
        return plugins


class BrokenSource:
    @hookimpl
    def openvino_device_plugins(self) -> list[FakePlugin]:
        raise ImportError("libbroken.so: cannot open shared object file")


class FixedPolicy:
    """A user AUTO policy: always the given order."""

    def __init__(self, order: list[str]) -> None:
        self.order = order
        self.calls: list[list[str]] = []

    @hookimpl
    def openvino_auto_select(self, model, candidates, config):
        self.calls.append([c.name for c in candidates])
        return None if self.order is None else list(self.order)
