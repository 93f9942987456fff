"""``DeviceCompiledModel``: a model compiled for one device, as its plugin returns it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openvino._node import ConstOutput

if TYPE_CHECKING:
    from openvino._model import Model
    from openvino.plugin.infer_request import DeviceInferRequest
    from openvino.plugin.plugin import DevicePlugin

__all__ = ["DeviceCompiledModel"]


class DeviceCompiledModel:
    """What ``DevicePlugin.compile_model`` returns.

    ``model`` is the device's own runtime model (not the user's object): its Parameters and
    Results, in order, are the compiled model's inputs and outputs. Override
    :meth:`create_sync_request`; the rest has working defaults.

    Everything built once belongs here (the lowered plan, constant buffers, kernel
    choices); the core wraps this object in ``openvino.CompiledModel`` and builds
    ``__call__``, async inference and ``AsyncInferQueue`` on top of the sync requests.
    """

    def __init__(self, plugin: DevicePlugin, model: Model, config: dict[str, Any]) -> None:
        self.plugin = plugin
        self.model = model
        self.config = dict(config)
        params = model.get_parameters()
        results = model.get_results()
        self._inputs = [ConstOutput(p, 0) for p in params]
        self._outputs = [ConstOutput(r, 0) for r in results]

    @property
    def device_name(self) -> str:
        """``NAME`` or ``NAME.id`` of the device this model runs on."""
        device_id = self.config.get("DEVICE_ID")
        return f"{self.plugin.name}.{device_id}" if device_id else self.plugin.name

    @property
    def inputs(self) -> list[ConstOutput]:
        """One port per input, in the order of the runtime model's Parameters."""
        return self._inputs

    @property
    def outputs(self) -> list[ConstOutput]:
        """One port per output, in the order of the runtime model's Results."""
        return self._outputs

    def create_sync_request(self) -> DeviceInferRequest:
        """A new :class:`openvino.plugin.DeviceInferRequest` with buffers of its own."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement create_sync_request")

    def get_runtime_model(self) -> Model:
        """The model as it runs on the device (after its transformations)."""
        return self.model

    def export(self) -> bytes:
        """Serialize for ``DevicePlugin.import_model`` (needs ``EXPORT_IMPORT``)."""
        raise RuntimeError(f"The {self.plugin.name} device does not support export_model")

    def release_memory(self) -> None:
        """Free what can be rebuilt on the next inference (scratch buffers); optional."""

    # --- properties ----------------------------------------------------------------------------
    def compiled_properties(self) -> dict[str, Any]:
        """Read-only properties of the compiled model.

        ``OPTIMAL_NUMBER_OF_INFER_REQUESTS`` is how many requests run well in parallel; the
        core also starts that many worker threads (at least one) for async runs."""
        return {
            "NETWORK_NAME": self.model.get_friendly_name(),
            "OPTIMAL_NUMBER_OF_INFER_REQUESTS": 1,
            "EXECUTION_DEVICES": [self.device_name],
        }

    def get_property(self, key: str) -> Any:
        """A property of the compiled model (its read-only ones, then its config)."""
        ro = self.compiled_properties()
        if key == "SUPPORTED_PROPERTIES":
            out = {"SUPPORTED_PROPERTIES": "RO"}
            out.update(dict.fromkeys(ro, "RO"))
            out.update(dict.fromkeys(self.config, "RO"))
            return out
        if key in ro:
            return ro[key]
        if key in self.config:
            return self.config[key]
        raise RuntimeError(f"Property '{key}' is not supported by this compiled model "
                           f"({self.plugin.name})")

    def set_property(self, properties: dict[str, Any]) -> None:
        """Change properties after compilation; the default accepts none."""
        if properties:
            raise RuntimeError(f"Compiled models of the {self.plugin.name} device do not "
                               f"accept properties after compilation: {sorted(properties)}")
