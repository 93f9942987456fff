"""``GPUCompiledModel``: the model lowered to kernel plans for one OpenCL device, one plan
per set of input shapes (a static model has exactly one, built at compile time; a dynamic
one builds and keeps a plan for each new shape it is run with). Constant buffers belong to
the plans: deleting the compiled model (and its requests) frees its device memory."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from openvino import Model
from openvino.plugin import DeviceCompiledModel
from openvino.plugin.model_blob import write_model_blob

from .compiler import KernelPlan, NotStatic, compile_kernel_plan
from .config import DEVICE_ONLY, MAX_STREAMS, compiled_value
from .infer_request import GPUInferRequest

__all__ = ["GPUCompiledModel", "EXPORTED_KEYS"]

#: Plans kept for a dynamic model (least recently used ones are dropped).
MAX_PLANS = 8
#: Config values an export keeps.
EXPORTED_KEYS = ("PERF_COUNT", "NUM_STREAMS", "INFERENCE_PRECISION_HINT")


class GPUCompiledModel(DeviceCompiledModel):
    """Plans by input shapes on ``device`` (``devices.OpenCLDevice``) in ``precision``."""

    def __init__(self, plugin: Any, model: Model, config: dict[str, Any], device: Any,
                 device_name: str, precision: str) -> None:
        super().__init__(plugin, model, config)
        self.device = device
        self._device_name = device_name
        self.precision = precision
        self.perf_count = bool(config.get("PERF_COUNT", False))
        self._plans: OrderedDict[tuple, KernelPlan] = OrderedDict()
        self._lock = threading.Lock()
        params = model.get_parameters()
        self._static_shapes: tuple[tuple[int, ...], ...] | None = None
        if all(p.get_partial_shape().is_static for p in params):
            self._static_shapes = tuple(tuple(p.get_partial_shape().to_shape())
                                        for p in params)
            self.plan_for(self._static_shapes)
        self.streams = _streams(config)

    @property
    def device_name(self) -> str:
        return self._device_name

    def plan_for(self, shapes: tuple[tuple[int, ...], ...]) -> KernelPlan:
        """The plan for inputs of ``shapes`` (compiled on first use)."""
        with self._lock:
            plan = self._plans.get(shapes)
            if plan is not None:
                self._plans.move_to_end(shapes)
                return plan
            try:
                plan = compile_kernel_plan(self.model, shapes, self.device, self.precision)
            except NotStatic as exc:
                raise RuntimeError(f"GPU cannot run model '{self.model.get_friendly_name()}' "
                                   f"for inputs of shapes {list(map(list, shapes))}: a value's "
                                   f"shape depends on input data ({exc})") from None
            self._plans[shapes] = plan
            while len(self._plans) > MAX_PLANS:
                self._plans.popitem(last=False)
            return plan

    def create_sync_request(self) -> GPUInferRequest:
        return GPUInferRequest(self)

    def compiled_properties(self) -> dict[str, Any]:
        props = super().compiled_properties()
        props["OPTIMAL_NUMBER_OF_INFER_REQUESTS"] = self.streams
        props["NUM_STREAMS"] = self.streams
        props["INFERENCE_PRECISION_HINT"] = _type(self.precision)
        return props

    def get_property(self, key: str) -> Any:
        if key in ("NUM_STREAMS", "INFERENCE_PRECISION_HINT"):
            return self.compiled_properties()[key]
        if key in DEVICE_ONLY:
            raise RuntimeError(f"Property '{key}' is not supported by this compiled model "
                               f"({self.plugin.name})")
        value = super().get_property(key)
        if key == "SUPPORTED_PROPERTIES":
            return {k: v for k, v in value.items() if k not in DEVICE_ONLY}
        return compiled_value(key, value)

    def release_memory(self) -> None:
        """Plans of a dynamic model are rebuilt when needed; a static one keeps its own."""
        with self._lock:
            if self._static_shapes is None:
                self._plans.clear()

    def export(self) -> bytes:
        """The runtime model and its settings (``openvino.plugin.model_blob``); import
        compiles it again (kernel binaries come from pyopencl's cache)."""
        config = {"PERF_COUNT": self.perf_count, "NUM_STREAMS": self.streams,
                  "INFERENCE_PRECISION_HINT": self.precision}
        return write_model_blob(self.model, config, EXPORTED_KEYS)


def _type(precision: str) -> Any:
    from openvino import Type

    return Type.f16 if precision == "f16" else Type.f32


def _streams(config: dict[str, Any]) -> int:
    mode = getattr(config.get("PERFORMANCE_HINT"), "name", str(config.get("PERFORMANCE_HINT")))
    n = int(config.get("NUM_STREAMS", 1) or 1)
    if str(mode).upper().endswith("THROUGHPUT") and n <= 1:
        n = 2
    return max(1, min(n if n > 0 else 2, MAX_STREAMS))
