"""``TemplatePlugin``: the TEMPLATE device family (one device)."""

from __future__ import annotations

from typing import Any

from openvino import Model
from openvino.plugin import DevicePlugin
from openvino.template_plugin import config as _config
from openvino.template_plugin.compiled_model import TemplateCompiledModel, read_export

__all__ = ["TemplatePlugin"]

_STRUCTURAL = frozenset({"Parameter", "Result", "Constant"})


class TemplatePlugin(DevicePlugin):
    """Runs any model whose ops all have a numpy reference."""

    name = "TEMPLATE"
    description = _config.FULL_DEVICE_NAME

    def __init__(self) -> None:
        from openvino import __version__

        self.version = __version__
        super().__init__()

    def default_config(self) -> dict[str, Any]:
        return _config.default_config()

    def device_properties(self, device_id: str = "") -> dict[str, Any]:
        return _config.read_only_properties(self.available_devices())

    def supports_op(self, node: Any) -> bool:
        return node.get_type_name() in _STRUCTURAL or node.has_evaluate()

    def compile_model(self, model: Model, config: dict[str, Any]) -> TemplateCompiledModel:
        if not isinstance(model, Model):
            raise TypeError(f"TEMPLATE compiles openvino.Model objects, got {type(model)}")
        for node in model.get_ordered_ops():
            if not self.supports_op(node):
                raise RuntimeError(f"TEMPLATE cannot run node '{node.get_friendly_name()}': "
                                   f"{node.get_type_name()} has no reference implementation")
        return TemplateCompiledModel(self, model.clone(), config)

    def import_model(self, blob: bytes, config: dict[str, Any]) -> TemplateCompiledModel:
        model, exported_config = read_export(blob)
        merged = dict(self.config)
        merged.update(exported_config)
        merged.update(config)
        return TemplateCompiledModel(self, model, merged)
