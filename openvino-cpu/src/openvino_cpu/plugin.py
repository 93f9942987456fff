"""``CPUPlugin``: the CPU device family (one device), and the hook that contributes it."""

from __future__ import annotations

from typing import Any

from openvino import Model
from openvino.plugin import DevicePlugin, hookimpl

from . import config as _config
from .compiled_model import CPUCompiledModel
from .plan_export import read_plan_export

__all__ = ["CPUPlugin", "openvino_device_plugins"]

_STRUCTURAL = frozenset({"Parameter", "Result", "Constant"})


class CPUPlugin(DevicePlugin):
    """Compiles models to plans of C kernels; any op with a reference implementation runs
    (ops without a kernel run their reference inside the plan)."""

    name = "CPU"

    def __init__(self) -> None:
        from openvino import __version__

        self.version = __version__
        self.description = _config.cpu_name()
        self.explicit: set[str] = set()
        super().__init__()

    def default_config(self) -> dict[str, Any]:
        return _config.default_config()

    def device_properties(self, device_id: str = "") -> dict[str, Any]:
        return _config.read_only_properties(self.available_devices())

    def get_property(self, key: str, device_id: str = "") -> Any:
        if key == "OPTIMAL_NUMBER_OF_INFER_REQUESTS":
            # answered, unlisted, as the real CPU plugin does; here: what a model compiled
            # with the current settings would report
            return _config.resolve_execution(self.config, self.explicit).optimal_requests
        return super().get_property(key, device_id)

    def set_property(self, properties: dict[str, Any]) -> None:
        device_id = properties.get("DEVICE_ID", "")
        if device_id not in ("", None):
            raise RuntimeError(f"The CPU device has no id to select: DEVICE_ID must be empty, "
                               f"got '{device_id}'")
        super().set_property(properties)
        self.explicit |= set(properties)

    def supports_op(self, node: Any) -> bool:
        return node.get_type_name() in _STRUCTURAL or node.has_evaluate()

    def compile_model(self, model: Model, config: dict[str, Any]) -> CPUCompiledModel:
        if not isinstance(model, Model):
            raise TypeError(f"CPU compiles openvino.Model objects, got {type(model)}")
        for node in model.get_ordered_ops():
            if not self.supports_op(node):
                raise RuntimeError(f"CPU cannot run node '{node.get_friendly_name()}': "
                                   f"{node.get_type_name()} has no implementation")
        explicit = set(self.explicit)
        explicit |= {k for k, v in config.items() if self.config.get(k, _MISSING) != v}
        return CPUCompiledModel(self, model.clone(), config, explicit)

    def import_model(self, blob: bytes, config: dict[str, Any]) -> CPUCompiledModel:
        """The compiled model of an export (``plan_export``): its plan as stored, or
        compiled again when the export has none."""
        export = read_plan_export(blob)
        model, exported = export.model, export.config
        merged = dict(self.config)
        merged.update(exported)
        merged.update(config)
        # an exported value that is the device's default was not chosen by the user: the
        # hints still decide it (as they did when the model was compiled)
        explicit = set(self.explicit) | set(config)
        explicit |= {k for k, v in exported.items() if self.config.get(k, _MISSING) != v}
        return CPUCompiledModel(self, model, merged, explicit, export.plan, export.shapes)


_MISSING = object()


@hookimpl
def openvino_device_plugins() -> list[CPUPlugin]:
    """The CPU device, fresh for each ``Core``."""
    return [CPUPlugin()]
