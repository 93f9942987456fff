"""``TemplateCompiledModel``: the model lowered once to a ``ReferencePlan``."""

from __future__ import annotations

import json
import struct
from typing import Any

from openvino._model import Model
from openvino._reference_executor import ReferencePlan
from openvino.plugin import DeviceCompiledModel
from openvino.properties import hint
from openvino.template_plugin.infer_request import TemplateInferRequest

__all__ = ["TemplateCompiledModel", "read_export"]

#: Config keys an export keeps (plain values only).
_EXPORTED_KEYS = ("PERF_COUNT", "INFERENCE_NUM_THREADS", "NUM_STREAMS")


class TemplateCompiledModel(DeviceCompiledModel):
    """A model ordered into a flat list of reference calls (``self.plan``)."""

    def __init__(self, plugin: Any, model: Model, config: dict[str, Any]) -> None:
        super().__init__(plugin, model, config)
        self.plan = ReferencePlan(model)

    def create_sync_request(self) -> TemplateInferRequest:
        return TemplateInferRequest(self)

    def compiled_properties(self) -> dict[str, Any]:
        props = super().compiled_properties()
        # the executor holds the GIL between numpy calls: one request at a time keeps the
        # latency low; THROUGHPUT overlaps two, whose large numpy kernels release the GIL
        throughput = self.config.get("PERFORMANCE_HINT") == hint.PerformanceMode.THROUGHPUT
        props["OPTIMAL_NUMBER_OF_INFER_REQUESTS"] = 2 if throughput else 1
        return props

    def export(self) -> bytes:
        """``<u32 config size><config json><u32 xml size><xml><bin>`` of the runtime model."""
        from openvino._ir.writer import write_ir

        xml, weights = write_ir(self.model)
        config = {k: self.config[k] for k in _EXPORTED_KEYS if k in self.config}
        head = json.dumps(config).encode()
        body = xml.encode()
        return (struct.pack("<I", len(head)) + head + struct.pack("<I", len(body)) + body
                + weights)


def read_export(blob: bytes) -> tuple[Model, dict[str, Any]]:
    """Inverse of ``TemplateCompiledModel.export``: ``(model, config)``."""
    from openvino._ir import read_ir

    try:
        (size,) = struct.unpack_from("<I", blob, 0)
        config = json.loads(blob[4:4 + size].decode())
        (xml_size,) = struct.unpack_from("<I", blob, 4 + size)
        start = 8 + size
        xml = blob[start:start + xml_size]
        weights = blob[start + xml_size:]
    except (struct.error, UnicodeDecodeError, json.JSONDecodeError):
        raise RuntimeError("TEMPLATE import_model: the blob is damaged") from None
    if len(xml) != xml_size or not isinstance(config, dict):
        raise RuntimeError("TEMPLATE import_model: the blob is truncated")
    return read_ir(bytes(xml), bytes(weights)), config
