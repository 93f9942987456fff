"""``RayPlugin``: the RAY device family (one device: the cluster), and the hook that
contributes it."""

from __future__ import annotations

from typing import Any

from openvino import Model
from openvino.plugin import DevicePlugin, hookimpl
from openvino.plugin.model_blob import read_model_blob
from openvino.plugin.reference import has_reference

from . import config as _config
from .compiled_model import RayCompiledModel

__all__ = ["RayPlugin", "openvino_device_plugins"]

_STRUCTURAL = frozenset({"Parameter", "Result", "Constant"})


class RayPlugin(DevicePlugin):
    """Compiles a model on worker actors of a Ray cluster; each worker compiles it on its
    node's ``RAY_TARGET_DEVICE``. Listing the device and ``query_model`` never start Ray:
    only ``compile_model`` / ``import_model`` connect."""

    name = _config.DEVICE_NAME
    description = "Ray cluster"

    def __init__(self) -> None:
        from openvino import __version__

        self.version = __version__
        super().__init__()

    def default_config(self) -> dict[str, Any]:
        return _config.default_config()

    def device_properties(self, device_id: str = "") -> dict[str, Any]:
        return _config.read_only_properties()

    def auto_default_candidate(self, device_id: str = "") -> bool:
        """False: plain ``AUTO`` never reaches for a cluster (nor, on a worker, for ``RAY``
        again); ``AUTO:RAY,CPU`` names it."""
        return False

    def set_property(self, properties: dict[str, Any]) -> None:
        device_id = properties.get("DEVICE_ID", "")
        if device_id not in ("", None):
            raise RuntimeError(f"The RAY device has no id to select: DEVICE_ID must be "
                               f"empty, got '{device_id}'")
        for key, value in properties.items():
            if key in _config.RAY_KEYS:
                _config.check_value(key, value)
        super().set_property(properties)

    def supports_op(self, node: Any) -> bool:
        # what a worker's CPU runs: every op with a reference implementation
        return node.get_type_name() in _STRUCTURAL or has_reference(node)

    def compile_model(self, model: Model, config: dict[str, Any]) -> RayCompiledModel:
        if not isinstance(model, Model):
            raise TypeError(f"RAY compiles openvino.Model objects, got {type(model)}")
        return RayCompiledModel(self, model.clone(), config)

    def import_model(self, blob: bytes, config: dict[str, Any]) -> RayCompiledModel:
        """A model exported by ``RAY``: the workers compile it again with the exported
        settings (those passed to ``import_model`` win)."""
        model, exported = read_model_blob(blob, self.name)
        merged = dict(self.config)
        merged.update(exported)
        merged.update(config)
        return RayCompiledModel(self, model, merged)


@hookimpl
def openvino_device_plugins() -> list[RayPlugin]:
    """The RAY device, fresh for each ``Core``."""
    return [RayPlugin()]
