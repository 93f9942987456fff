"""``RayCompiledModel``: the model in Ray's object store once, compiled by each worker
actor on its node's target device."""

from __future__ import annotations

import itertools
import os
import weakref
from typing import Any

from openvino import Model
from openvino.plugin import DeviceCompiledModel, request_variables
from openvino.plugin.model_blob import write_model_blob

from .cluster import WorkerGroup, connect, later, pool
from .config import Settings, actor_count, compiled_value, per_node, target_config
from .infer_request import RayInferRequest

__all__ = ["RayCompiledModel", "EXPORTED"]

#: Settings an export keeps (plain values); import compiles the model again with them.
EXPORTED = ("PERF_COUNT", "NUM_STREAMS", "RAY_TARGET_DEVICE", "RAY_ACTOR_OPTIONS",
            "RAY_TIMEOUT", "PERFORMANCE_HINT", "PERFORMANCE_HINT_NUM_REQUESTS")

_keys = itertools.count()


class RayCompiledModel(DeviceCompiledModel):
    """The workers' group, the settings, and the runtime model (the model as compiled)."""

    def __init__(self, plugin: Any, model: Model, config: dict[str, Any]) -> None:
        super().__init__(plugin, model, config)
        self.settings = Settings.from_config(config)
        ray = connect(self.settings.address, self.settings.timeout)
        self.perf_count = bool(config.get("PERF_COUNT", False))
        self.stateful = bool(request_variables(model))
        self.key = f"{os.getpid()}-{id(self):x}-{next(_keys)}"
        workers = pool(ray)
        nodes = list(workers.node_cpus().values()) if per_node(self.settings) else None
        self.streams = actor_count(self.settings, ray.cluster_resources(), nodes)
        _bypass_inner_results(model)
        blob = write_model_blob(model, {})
        # into the object store once: every worker (and every replacement) reads it there
        self.blob_ref = ray.put(blob)
        self.group = WorkerGroup(workers, self.key, self.blob_ref, self.settings,
                                 target_config(config), self.streams)
        if self.group.per_node:  # a node that our other workers fill has none
            self.streams = len(self.group.workers)
        self._finalizer = weakref.finalize(self, later, self.group.close)

    def create_sync_request(self) -> RayInferRequest:
        return RayInferRequest(self)

    def compiled_properties(self) -> dict[str, Any]:
        props = super().compiled_properties()
        props["OPTIMAL_NUMBER_OF_INFER_REQUESTS"] = self.group.optimal_requests()
        # the device itself, then what its workers compiled on (``["RAY", "CPU"]``)
        props["EXECUTION_DEVICES"] = [self.plugin.name, *self.group.execution_devices()]
        props["NUM_STREAMS"] = self.streams
        props.update(self.group.reported())  # how the workers compute
        return props

    def get_property(self, key: str) -> Any:
        ro = self.compiled_properties()
        if key == "NUM_STREAMS":
            return ro[key]
        if key == "DEVICE_ID":
            raise RuntimeError(f"Property '{key}' is not supported by this compiled model "
                               f"({self.plugin.name})")
        value = super().get_property(key)
        if key == "SUPPORTED_PROPERTIES":
            return {k: v for k, v in value.items() if k != "DEVICE_ID"}
        return compiled_value(key, value)

    def export(self) -> bytes:
        kept = {}
        for key in EXPORTED:
            if key in self.config:
                value = self.config[key]
                kept[key] = compiled_value(key, value) if key == "PERFORMANCE_HINT" else value
        return write_model_blob(self.model, kept, keys=tuple(kept))

    def release_memory(self) -> None:
        """Nothing to free on the driver; the workers keep their compiled models."""


def _bypass_inner_results(model: Model) -> None:
    """A Result that feeds other nodes (a model built as ``result(result(x))``) is an
    identity the IR cannot express (an edge from a Result's output): its consumers read its
    input instead, so the model travels to the workers as IR."""
    for node in model.get_ordered_ops():
        for port in node.inputs():
            source = port.get_source_output()
            while source.get_node().get_type_name() == "Result":
                source = source.get_node().input_value(0)
            if source != port.get_source_output():
                port.replace_source_output(source)
