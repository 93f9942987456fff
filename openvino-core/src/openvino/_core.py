"""``openvino.Core``: finds devices, reads models, compiles them, holds properties."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from . import _auto, _model_cache
from ._compiled_model import CompiledModel, unpack_blob
from ._device_discovery import (
    DiscoveryFailure,
    devices_of_named_plugin,
    discover_devices,
    plugin_manager,
)
from ._model import Model
from ._op_extension import op_classes_in_effect
from ._remote import RemoteContext
from ._tensor import Tensor
from .properties._registry import normalize_value, property_key

__all__ = ["Core", "Version", "compile_model"]

#: Properties the core keeps itself (for every device), with their defaults.
_CORE_DEFAULTS = {"CACHE_DIR": "", "CACHE_MODE": None, "ENABLE_MMAP": True,
                  "FORCE_TBB_TERMINATE": False}
_WRITE_ONLY_CORE = {"CACHE_ENCRYPTION_CALLBACKS"}


class Version:
    """What ``Core.get_versions`` gives per device."""

    __slots__ = ("major", "minor", "patch", "build_number", "description")

    def __init__(self, version: str, description: str) -> None:
        parts = [int(p) if p.isdigit() else 0 for p in version.split("-")[0].split(".")[:3]]
        parts += [0] * (3 - len(parts))
        self.major, self.minor, self.patch = parts
        self.build_number = version
        self.description = description

    def __str__(self) -> str:
        return self.build_number

    def __repr__(self) -> str:
        return f"<Version: {self.build_number} {self.description}>"


def _plain_config(config: Any) -> dict[str, Any]:
    """Property objects to key strings, values normalised (``"YES"`` -> ``True``)."""
    if config is None:
        return {}
    if isinstance(config, tuple) and len(config) == 2:
        config = {config[0]: config[1]}
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict of properties, got {type(config)}")
    return {property_key(k): normalize_value(k, v) for k, v in config.items()}


def _looks_like_xml(data: str | bytes) -> bool:
    head = data[:64].lstrip()
    return head.startswith("<" if isinstance(head, str) else b"<")


class Core:
    """The entry point of the runtime: devices, models and properties.

    Devices are those the installed distributions contribute through the
    ``openvino.plugins`` entry points (see ``openvino.plugin``); the ``TEMPLATE`` reference
    device comes with openvino-core.
    """

    def __init__(self, xml_config_file: str = "") -> None:
        self._plugins, self._discovery_failures = discover_devices(plugin_manager())
        self._core_config: dict[str, Any] = dict(_CORE_DEFAULTS)
        from .properties import CacheMode

        self._core_config["CACHE_MODE"] = CacheMode.OPTIMIZE_SPEED
        self._auto_config = _auto.default_auto_config()
        self._extensions: list[Any] = []
        if xml_config_file:
            self.register_plugins(xml_config_file)

    # --- devices -------------------------------------------------------------------------------
    @property
    def available_devices(self) -> list[str]:
        """Devices present now: ``NAME`` for a family with one device, ``NAME.id`` each for
        a family with several (``["CPU", "GPU.0", "GPU.1", "TEMPLATE"]``)."""
        return self.get_available_devices()

    def get_available_devices(self) -> list[str]:
        """See :attr:`available_devices`."""
        out: list[str] = []
        for family in sorted(self._plugins, key=lambda f: (f == "TEMPLATE", f)):
            try:
                ids = [str(i) for i in self._plugins[family].available_devices()]
            except Exception as exc:  # a device that cannot enumerate is reported, not fatal
                self._discovery_failures.append(DiscoveryFailure(family, exc))
                continue
            if len(ids) == 1:
                out.append(family)
            else:
                out.extend(f"{family}.{i}" for i in ids)
        return out

    def _resolve(self, device_name: str) -> tuple[str, str, Any]:
        """``(family, device id, plugin)`` for ``NAME`` or ``NAME.id``."""
        if not isinstance(device_name, str):
            raise TypeError(f"device_name must be a str, got {type(device_name)}")
        family, _, device_id = device_name.partition(".")
        plugin = self._plugins.get(family)
        if plugin is None:
            message = (f"Device with '{device_name}' name is not registered in the OpenVINO "
                       f"Runtime; available devices: {', '.join(self.get_available_devices())}")
            if self._discovery_failures:
                message += ("; device plugins that failed to load: "
                            + "; ".join(str(f) for f in self._discovery_failures))
            raise RuntimeError(message)
        if device_id:
            ids = [str(i) for i in plugin.available_devices()]
            if device_id not in ids:
                raise RuntimeError(f"Device '{device_name}' is not available; {family} devices: "
                                   f"{', '.join(f'{family}.{i}' for i in ids) or 'none'}")
        return family, device_id, plugin

    # --- models ---------------------------------------------------------------------------------
    def read_model(self, model: Any, weights: Any = None, config: Any = None) -> Model:
        """Read a model: an IR (``.xml`` path, XML text or bytes, with ``weights`` as a
        path, bytes, ``BytesIO`` or ``Tensor``; the ``.bin`` next to the ``.xml`` when not
        given) or an ONNX model (``.onnx`` path or ONNX bytes)."""
        cfg = _plain_config(config)
        if cfg.get("CACHE_DIR"):
            os.makedirs(cfg["CACHE_DIR"], exist_ok=True)
        if isinstance(model, io.IOBase) or hasattr(model, "getvalue"):
            model = model.getvalue() if hasattr(model, "getvalue") else model.read()
        if isinstance(weights, io.IOBase) or hasattr(weights, "getvalue"):
            weights = weights.getvalue() if hasattr(weights, "getvalue") else weights.read()
        if isinstance(weights, Tensor):
            weights = weights.data.tobytes()
        if isinstance(model, (bytearray, memoryview)):
            model = bytes(model)
        if isinstance(model, bytes):
            if _looks_like_xml(model):
                return self._read_ir(model, weights)
            return self._read_onnx(model)
        if isinstance(model, str) and _looks_like_xml(model):
            return self._read_ir(model, weights)
        if isinstance(model, (str, Path)):
            if str(model).lower().endswith(".onnx"):
                return self._read_onnx(str(model))
            return self._read_ir(model, weights)
        raise TypeError(f"Provided python object type {type(model)} isn't supported as 'model' "
                        "argument.")

    def _read_ir(self, model: Any, weights: Any) -> Model:
        from ._ir import read_ir
        from ._op_extension import op_classes

        return read_ir(model, weights, extensions=op_classes(self._extensions),
                       mmap_files=bool(self._core_config.get("ENABLE_MMAP", True)))

    @staticmethod
    def _read_onnx(model: Any) -> Model:
        try:
            from ._onnx import read_onnx
        except ImportError as exc:
            raise RuntimeError(f"Reading ONNX models needs the ONNX frontend: {exc}") from None
        return read_onnx(model)

    def compile_model(self, model: Any, device_name: Any = None, config: Any = None, *,
                      weights: Any = None) -> CompiledModel:
        """Compile a model (``Model``, path, XML text with ``weights``) for a device
        (``"CPU"``, ``"GPU.1"``, ``"AUTO"``, ``"AUTO:GPU,CPU"``, ``"AUTO:-CPU"``; no device
        means ``AUTO``) with optional properties."""
        if isinstance(device_name, dict) and config is None:
            device_name, config = None, device_name
        context = None
        if isinstance(device_name, RemoteContext):  # compile for the context's device
            context, device_name = device_name, device_name.get_device_name()
        if not isinstance(model, (Model, str, Path, bytes, bytearray, io.IOBase)):
            raise TypeError(f"Provided python object type {type(model)} isn't supported as "
                            "'model' argument.")
        source = _model_cache.ModelSource(model, lambda: self.read_model(model, weights),
                                          weights, by_content=not self._extensions)
        cfg = _plain_config(config)
        if not cfg.get("CACHE_DIR", self._core_config["CACHE_DIR"]):
            source.model()  # without a cache the model is read first, as always
        device_name = device_name or _auto.AUTO
        if _auto.is_auto(device_name):
            return self._compile_auto(source.model(), device_name, cfg)
        if context is not None:  # the context's memory: its plugin compiles for it
            family, device_id, plugin = self._resolve(device_name)
            merged = self._device_config(family, device_id, plugin, cfg)
            device_model = plugin.compile_model_in_context(source.model(), merged, context)
            return CompiledModel(device_model, device_name, source.loaded)
        device_model, cached = self._compile_on(device_name, source, cfg)
        return CompiledModel(device_model, device_name, source.loaded, loaded_from_cache=cached)

    def _device_config(self, family: str, device_id: str, plugin: Any, cfg: dict[str, Any],
                       only_supported: bool = False) -> dict[str, Any]:
        """The config a device compiles with: its own settings, then ``cfg`` (with
        ``DEVICE_PROPERTIES`` for this device applied); core keys are kept by the core."""
        cfg = dict(cfg)
        per_device = cfg.pop("DEVICE_PROPERTIES", None)
        if isinstance(per_device, dict):
            for name in (family, f"{family}.{device_id}" if device_id else family):
                cfg.update(_plain_config(per_device.get(name)))
        for key in list(cfg):
            if key in self._core_config or key in _WRITE_ONLY_CORE:
                value = cfg.pop(key)
                if key == "CACHE_DIR" and value:
                    os.makedirs(value, exist_ok=True)
        merged = dict(getattr(plugin, "config", {}))
        check = getattr(plugin, "check_settable", None)
        for key, value in cfg.items():
            if key == "DEVICE_ID":
                continue
            if check is not None:
                try:
                    check(key)
                except RuntimeError:
                    if only_supported:
                        continue
                    raise
            merged[key] = value
        if device_id:
            merged["DEVICE_ID"] = device_id
        return merged

    def _compile_on(self, device_name: str, model: Model | _model_cache.ModelSource,
                    cfg: dict[str, Any], only_supported: bool = False) -> tuple[Any, bool]:
        """``(device compiled model, loaded from the model cache)``."""
        family, device_id, plugin = self._resolve(device_name)
        merged = self._device_config(family, device_id, plugin, cfg, only_supported)
        source = (model if isinstance(model, _model_cache.ModelSource)
                  else _model_cache.ModelSource(model))
        cache_dir = cfg.get("CACHE_DIR", self._core_config["CACHE_DIR"])
        if cache_dir:
            return _model_cache.compile_with_cache(cache_dir, plugin, device_id, source, merged)
        return plugin.compile_model(source.model(), merged), False

    def _compile_auto(self, model: Model, device_name: str, cfg: dict[str, Any]
                      ) -> CompiledModel:
        auto_cfg = dict(self._auto_config)
        auto_cfg.update(cfg)
        candidates = _auto.auto_candidates(self, device_name, auto_cfg)
        if not candidates:
            raise RuntimeError(f"{device_name}: no device to choose from; available devices: "
                               f"{', '.join(self.get_available_devices()) or 'none'}")
        order = plugin_manager().hook.openvino_auto_select(
            model=model, candidates=candidates, config=dict(auto_cfg))
        if not order:
            raise _auto.no_device_error(device_name, model, candidates)
        device_cfg = {k: v for k, v in cfg.items() if k not in _auto.AUTO_KEYS}
        if "PERFORMANCE_HINT" not in device_cfg:
            device_cfg["PERFORMANCE_HINT"] = auto_cfg["PERFORMANCE_HINT"]
        errors = []
        for name in order:
            try:
                device_model, cached = self._compile_on(name, model, device_cfg,
                                                        only_supported=True)
            except Exception as exc:  # fall back to the next candidate
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
                # as OpenVINO's AUTO, silent by default: the cause is logged, not raised
                _auto.logger.debug("AUTO could not compile model '%s' on %s (%s: %s)",
                                   model.get_friendly_name(), name, type(exc).__name__, exc)
                if not auto_cfg.get("ENABLE_STARTUP_FALLBACK", True):
                    break
                continue
            return CompiledModel(device_model, device_name, model, execution_devices=[name],
                                 loaded_from_cache=cached)
        raise RuntimeError(f"{device_name} could not compile the model on any device: "
                           + "; ".join(errors))

    def query_model(self, model: Model, device_name: str | None = None, config: Any = None
                    ) -> dict[str, str]:
        """``{node friendly name: device}`` for the nodes ``device_name`` can run."""
        cfg = _plain_config(config)
        device_name = device_name or _auto.AUTO
        if _auto.is_auto(device_name):
            auto_cfg = dict(self._auto_config)
            auto_cfg.update(cfg)
            out: dict[str, str] = {}
            for candidate in reversed(_auto.auto_candidates(self, device_name, auto_cfg)):
                out.update(candidate.query_model(model))
            return out
        family, device_id, plugin = self._resolve(device_name)
        merged = self._device_config(family, device_id, plugin, cfg, only_supported=True)
        return dict(plugin.query_model(model, merged))

    def import_model(self, model_stream: Any, device_name: str | None = None,
                     config: Any = None) -> CompiledModel:
        """Restore a model saved with ``CompiledModel.export_model``."""
        if hasattr(model_stream, "getvalue"):
            blob = model_stream.getvalue()
        elif hasattr(model_stream, "read"):
            blob = model_stream.read()
        elif isinstance(model_stream, Tensor):
            blob = model_stream.data.tobytes()
        elif isinstance(model_stream, (bytes, bytearray, memoryview)):
            blob = bytes(model_stream)
        else:
            raise TypeError(f"import_model expects bytes or a stream, got {type(model_stream)}")
        header, payload = unpack_blob(blob)
        exported_on = header["device"]
        device_name = device_name or exported_on
        if _auto.is_auto(device_name):
            device_name = exported_on
        family, device_id, plugin = self._resolve(device_name)
        if family != exported_on:
            raise RuntimeError(f"The blob was exported from the {exported_on} device and cannot "
                               f"be imported on {device_name}")
        given = _plain_config(config)
        merged = self._device_config(family, device_id, plugin, given, only_supported=True)
        explicit = {k: v for k, v in merged.items() if k in given or k == "DEVICE_ID"}
        with op_classes_in_effect(self._extensions):  # the blob's custom ops: this core's
            return CompiledModel(plugin.import_model(payload, explicit), device_name)

    # --- properties ---------------------------------------------------------------------------
    def set_property(self, *args: Any) -> None:
        """``set_property({key: value})`` for every device, ``set_property(device, {...})``,
        ``set_property(device, (key, value))`` or ``set_property(device, key, value)``."""
        if len(args) == 1:
            device, props = None, args[0]
        elif len(args) == 2:
            device, props = args
        elif len(args) == 3:
            device, props = args[0], {args[1]: args[2]}
        else:
            raise TypeError("set_property takes (properties), (device, properties) or "
                            "(device, key, value)")
        cfg = _plain_config(props)
        if device is None:
            self._set_global(cfg)
            return
        if _auto.is_auto(device):
            for key in cfg:
                if key not in self._auto_config and key not in self._core_config:
                    raise RuntimeError(f"Property '{key}' is not supported by the AUTO device; "
                                       f"supported: {', '.join(sorted(self._auto_config))}")
            for key, value in cfg.items():
                (self._core_config if key in self._core_config else self._auto_config)[key] = value
            return
        family, device_id, plugin = self._resolve(device)
        device_cfg = {}
        for key, value in cfg.items():
            if key in self._core_config:
                self._core_config[key] = value
            else:
                device_cfg[key] = value
        if device_cfg:
            plugin.set_property(device_cfg)

    def _set_global(self, cfg: dict[str, Any]) -> None:
        per_device: dict[str, dict[str, Any]] = {}
        for key, value in cfg.items():
            if key in self._core_config or key in _WRITE_ONLY_CORE:
                self._core_config[key] = value
                continue
            taken = False
            if key in self._auto_config:
                self._auto_config[key] = value
                taken = True
            for family, plugin in self._plugins.items():
                check = getattr(plugin, "check_settable", None)
                try:
                    if check is not None:
                        check(key)
                except RuntimeError:
                    continue
                per_device.setdefault(family, {})[key] = value
                taken = True
            if not taken:
                raise RuntimeError(f"Property '{key}' is not supported by the core or by any "
                                   f"device ({', '.join(sorted(self._plugins))})")
        for family, device_cfg in per_device.items():
            self._plugins[family].set_property(device_cfg)

    def get_property(self, device_name: Any, key: Any = None, arguments: Any = None) -> Any:
        """``get_property(device, key)`` or ``get_property(key)`` for core properties
        (``CACHE_DIR`` ...); keys may be property objects or strings."""
        if key is None:
            name = property_key(device_name)
            if name == "SUPPORTED_PROPERTIES":
                return dict.fromkeys(self._core_config, "RW")
            if name == "AVAILABLE_DEVICES":
                return self.get_available_devices()
            if name in self._core_config:
                return self._core_config[name]
            raise RuntimeError(f"Property '{name}' is not a core property; core properties: "
                               f"{', '.join(sorted(self._core_config))}")
        name = property_key(key)
        if _auto.is_auto(device_name):
            if name == "SUPPORTED_PROPERTIES":
                out = {"SUPPORTED_PROPERTIES": "RO", "FULL_DEVICE_NAME": "RO"}
                out.update(dict.fromkeys(self._auto_config, "RW"))
                return out
            if name == "FULL_DEVICE_NAME":
                return "Auto Device"
            if name in self._auto_config:
                return self._auto_config[name]
            if name in self._core_config:
                return self._core_config[name]
            raise RuntimeError(f"Property '{name}' is not supported by the AUTO device")
        family, device_id, plugin = self._resolve(device_name)
        if name in self._core_config and name not in plugin.get_property(
                "SUPPORTED_PROPERTIES", device_id):
            return self._core_config[name]
        return plugin.get_property(name, device_id)

    def get_versions(self, device_name: str) -> dict[str, Version]:
        """``{device: Version}`` for each device named in ``device_name``."""
        from . import __version__

        out = {}
        names = [device_name]
        if _auto.is_auto(device_name):
            out[_auto.AUTO] = Version(__version__, "Auto device selection")
            names = [n.lstrip("-") for n in device_name[len(_auto.AUTO) + 1:].split(",") if n]
        for name in names:
            family, _, plugin = self._resolve(name)
            out[family] = Version(str(getattr(plugin, "version", __version__)),
                                  str(getattr(plugin, "description", "") or family))
        return out

    # --- plugins and extensions ------------------------------------------------------------------
    def register_plugin(self, plugin_name: Any, device_name: str, config: Any = None) -> None:
        """Add device ``device_name`` to this core from the plugin ``plugin_name``: a Python
        module implementing the ``openvino_device_plugins`` hook (or whose ``hooks``
        submodule does), or an installed distribution that declares no entry point.
        A C++ plugin library cannot be loaded: the ``RuntimeError`` says what to pass."""
        contributed = devices_of_named_plugin(plugin_name)
        match = [p for p in contributed if p.name == device_name] or contributed[:1]
        if not match:
            raise RuntimeError(f"Cannot load library '{plugin_name}': it contributes no device")
        plugin = match[0]
        plugin.name = device_name
        self._plugins[device_name] = plugin
        if config:
            plugin.set_property(_plain_config(config))

    def register_plugins(self, xml_config_file: str) -> None:
        """Register the plugins an XML file lists (``<plugin name=... location=...>``)."""
        from defusedxml import ElementTree

        try:
            root = ElementTree.parse(str(xml_config_file)).getroot()
        except (OSError, ElementTree.ParseError) as exc:
            raise RuntimeError(f"Cannot read plugins file '{xml_config_file}': {exc}") from None
        for node in root.iter("plugin"):
            self.register_plugin(node.get("location", ""), node.get("name", ""))

    def get_default_context(self, device_name: str) -> RemoteContext:
        """The device's default shared context (its memory as ``RemoteTensor`` objects);
        ``RuntimeError`` for a device that has none."""
        family, device_id, plugin = self._resolve(device_name)
        get = getattr(plugin, "get_default_context", None)
        context = get(device_id) if callable(get) else None
        if context is None:
            raise RuntimeError(f"Not Implemented: get_default_context is not supported by "
                               f"{family} plugin!")
        return context

    def create_context(self, device_name: str, properties: Any) -> RemoteContext:
        """A shared context on the device from device-specific parameters (``properties``,
        e.g. an existing OpenCL context for GPU)."""
        family, device_id, plugin = self._resolve(device_name)
        create = getattr(plugin, "create_context", None)
        context = create(dict(properties or {}), device_id) if callable(create) else None
        if context is None:
            raise RuntimeError(f"Not Implemented: create_context is not supported by "
                               f"{family} plugin!")
        return context

    def unload_plugin(self, device_name: str) -> None:
        """Drop this core's object for a device family; the next use gets a fresh one."""
        family = device_name.partition(".")[0]
        plugin = self._plugins.get(family)
        if plugin is None:
            raise RuntimeError(f"Device with '{device_name}' name is not registered in the "
                               "OpenVINO Runtime")
        self._plugins[family] = type(plugin)()

    def add_extension(self, extension: Any = None, library_path: str | None = None) -> None:
        """Add ``Extension`` objects (one or a list) or Python custom op classes
        (``openvino.Op`` subclasses, as ``OpExtension``), which this core's ``read_model``
        then reads. Extensions built as shared libraries cannot be loaded here."""
        from ._op_extension import as_extension

        if library_path is not None or isinstance(extension, (str, Path)):
            path = library_path if library_path is not None else extension
            raise RuntimeError(f"Cannot load library '{path}': shared-library extensions are "
                               "not supported by the Python runtime")
        items = extension if isinstance(extension, (list, tuple)) else [extension]
        self._extensions.extend([as_extension(item) for item in items])

    def __repr__(self) -> str:
        return f"<Core: devices {self.get_available_devices()}>"


def compile_model(model: Any, device_name: str | None = "AUTO", config: Any = None, *,
                  weights: Any = None) -> CompiledModel:
    """Compile a model (``Model``, path, or IR text/bytes) on a new ``Core``; ``AUTO``
    chooses the device unless one is named."""
    if isinstance(model, (str, Path)) and not (isinstance(model, str) and _looks_like_xml(model)):
        if not Path(model).exists():
            raise RuntimeError(f"Path: '{model}' does not exist. Please provide valid model's "
                               "path either as a string, bytes or pathlib.Path")
    elif not isinstance(model, (Model, str, bytes, bytearray, io.IOBase)):
        raise RuntimeError(f"Path: '{model}' does not exist. Please provide valid model's path "
                           "either as a string, bytes or pathlib.Path")
    return Core().compile_model(model, device_name, config, weights=weights)
