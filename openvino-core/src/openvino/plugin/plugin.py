"""``DevicePlugin``: what a device family implements (one object per family per ``Core``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openvino._model import Model
    from openvino.plugin.compiled_model import DeviceCompiledModel

__all__ = ["DevicePlugin"]


class DevicePlugin:
    """A device family (``CPU``, ``GPU``, ``TEMPLATE`` ...) as the core sees it.

    Subclass it and override what your device does differently; the defaults give a
    working property system so a small device only needs :meth:`compile_model`.

    Properties: ``self.config`` holds the read-write properties with their current values
    (filled from :meth:`default_config` when first used, so defaults that depend on the
    hardware are looked up only by a ``Core`` that uses the device);
    :meth:`device_properties` gives the read-only ones.
    The core turns property objects into key strings and normalises values (``"YES"`` ->
    ``True``) before calling :meth:`set_property` and :meth:`compile_model`, and handles the
    core-wide keys (``CACHE_DIR`` ...) itself.
    """

    #: The device family name users write (``"TEMPLATE"``); upper case by convention.
    name: str = ""
    #: Version reported by ``Core.get_versions``.
    version: str = "0.0.0"
    #: Description reported by ``Core.get_versions``.
    description: str = ""

    def __init__(self) -> None:
        self._config: dict[str, Any] | None = None

    @property
    def config(self) -> dict[str, Any]:
        if getattr(self, "_config", None) is None:  # also for a subclass that skips __init__
            self._config = dict(self.default_config())
        return self._config

    @config.setter
    def config(self, value: dict[str, Any]) -> None:
        self._config = value

    # --- devices -------------------------------------------------------------------------
    def available_devices(self) -> list[str]:
        """Ids of the devices of this family that are present (``["0", "1"]``).

        The core lists a family with one id as ``NAME`` and one with several as
        ``NAME.id`` each. Return ``[]`` when no device is present: the family is then not
        listed and compiling on it fails with a clear error.
        """
        return ["0"]

    def get_default_context(self, device_id: str = "") -> Any:
        """``Core.get_default_context``: an ``openvino.RemoteContext`` subclass over the
        device's memory, or ``None`` (the default) when the device has none."""
        return None

    def create_context(self, properties: dict[str, Any], device_id: str = "") -> Any:
        """``Core.create_context``: a context from device-specific parameters, or ``None``
        (the default) when the device cannot make one."""
        return None

    def compile_model_in_context(self, model: Model, config: dict[str, Any], context: Any
                                 ) -> DeviceCompiledModel:
        """``Core.compile_model(model, context)``: compile for the memory of ``context``
        (a ``RemoteContext`` this device made, by :meth:`get_default_context` or
        :meth:`create_context`), so its remote tensors are the compiled model's own memory.
        The default compiles as :meth:`compile_model` (right for a device whose only
        context is its default one); a device whose :meth:`create_context` wraps user
        handles overrides it. The model cache is not used for such compilations."""
        return self.compile_model(model, config)

    def runs_on_host_cpu(self, device_id: str = "") -> bool:
        """Whether device ``device_id`` computes on the host's CPU while standing for other
        hardware (an OpenCL CPU device listed as a ``GPU`` for tests and CI). ``AUTO``
        never prefers such a device to the ``CPU`` device. Default: ``False``."""
        return False

    def auto_default_candidate(self, device_id: str = "") -> bool:
        """Whether plain ``AUTO`` (no device list: ``AUTO``, ``AUTO:-X``) may choose device
        ``device_id``. A device that stands for other machines (a cluster) returns
        ``False``: ``AUTO`` then takes it only when the user names it (``AUTO:RAY,CPU``,
        ``MULTI_DEVICE_PRIORITIES``). Default: ``True``."""
        return True

    # --- properties ------------------------------------------------------------------------
    def default_config(self) -> dict[str, Any]:
        """Read-write properties and their default values (plain key strings)."""
        return {}

    def device_properties(self, device_id: str = "") -> dict[str, Any]:
        """Read-only properties of device ``device_id`` (``""``: the default device).

        The default lists ``AVAILABLE_DEVICES``, ``FULL_DEVICE_NAME``,
        ``OPTIMIZATION_CAPABILITIES`` (empty: no ``EXPORT_IMPORT``), and the stream and
        request ranges; extend the dict in a subclass.
        """
        return {
            "AVAILABLE_DEVICES": self.available_devices(),
            "FULL_DEVICE_NAME": self.description or f"{self.name} device",
            "OPTIMIZATION_CAPABILITIES": [],
            "RANGE_FOR_STREAMS": (1, 1),
            "RANGE_FOR_ASYNC_INFER_REQUESTS": (1, 1, 1),
        }

    def supported_properties(self, device_id: str = "") -> dict[str, str]:
        """``SUPPORTED_PROPERTIES``: ``{key: "RO" | "RW"}``."""
        out = {"SUPPORTED_PROPERTIES": "RO"}
        out.update(dict.fromkeys(self.device_properties(device_id), "RO"))
        out.update(dict.fromkeys(self.config, "RW"))
        return out

    def get_property(self, key: str, device_id: str = "") -> Any:
        """The value of property ``key`` (a plain string); ``RuntimeError`` when unsupported."""
        if key == "SUPPORTED_PROPERTIES":
            return self.supported_properties(device_id)
        read_only = self.device_properties(device_id)
        if key in read_only:
            return read_only[key]
        if key in self.config:
            return self.config[key]
        raise RuntimeError(f"Property '{key}' is not supported by the {self.name} device; "
                           f"supported: {', '.join(sorted(self.supported_properties()))}")

    def set_property(self, properties: dict[str, Any]) -> None:
        """Set read-write properties (plain keys, normalised values); ``RuntimeError`` for
        unknown or read-only keys, before anything is changed."""
        for key in properties:
            self.check_settable(key)
        self.config.update(properties)

    def check_settable(self, key: str) -> None:
        """Raise ``RuntimeError`` unless ``key`` is a read-write property of this device."""
        if key in self.config:
            return
        if key in self.device_properties() or key == "SUPPORTED_PROPERTIES":
            raise RuntimeError(f"Property '{key}' of the {self.name} device is read-only")
        raise RuntimeError(f"Property '{key}' is not supported by the {self.name} device; "
                           f"settable: {', '.join(sorted(self.config)) or 'none'}")

    # --- models ------------------------------------------------------------------------------
    def supports_op(self, node: Any) -> bool:
        """Whether this device can run ``node`` (used by the default :meth:`query_model`)."""
        return True

    def query_model(self, model: Model, config: dict[str, Any]) -> dict[str, str]:
        """``{node friendly name: device name}`` for every node this device can run."""
        device = self.name
        if config.get("DEVICE_ID"):
            device = f"{self.name}.{config['DEVICE_ID']}"
        return {node.get_friendly_name(): device for node in model.get_ordered_ops()
                if self.supports_op(node)}

    def compile_model(self, model: Model, config: dict[str, Any]) -> DeviceCompiledModel:
        """Compile ``model`` for this device.

        ``model`` is the user's: do not modify it (``model.clone()`` first when lowering
        rewrites the graph; the compiled model must survive the user changing or deleting
        it). ``config`` is this device's ``self.config`` overlaid with the properties passed
        to ``compile_model``, plus ``DEVICE_ID`` when the user named one (``GPU.1``).
        Raise ``RuntimeError`` naming the node when the model cannot run here.
        """
        raise NotImplementedError(f"The {self.name} device does not implement compile_model")

    def import_model(self, blob: bytes, config: dict[str, Any]) -> DeviceCompiledModel:
        """Restore a compiled model from what ``DeviceCompiledModel.export`` produced.

        ``config`` holds only the properties passed to ``Core.import_model`` (and
        ``DEVICE_ID``): layer them over ``self.config`` and the config saved in the blob.
        Only needed when ``OPTIMIZATION_CAPABILITIES`` lists ``EXPORT_IMPORT``."""
        raise RuntimeError(f"The {self.name} device does not support import_model")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
