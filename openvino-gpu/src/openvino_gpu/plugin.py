"""``GPUPlugin``: the GPU device family (one device per OpenCL GPU: ``GPU.0``, ``GPU.1``...;
OpenCL CPU devices too with ``OV_GPU_ALLOW_CPU_DEVICES=1``), and the hook that contributes
it."""

from __future__ import annotations

from typing import Any

from openvino import Model
from openvino.plugin import DevicePlugin, hookimpl
from openvino.plugin.model_blob import read_model_blob

from . import config as _config
from .compiled_model import GPUCompiledModel
from .devices import OpenCLDevice, discovery_failures, opencl_devices
from .lowering import supports

__all__ = ["GPUPlugin", "openvino_device_plugins"]

_STRUCTURAL = frozenset({"Parameter", "Result", "Constant"})
_MISSING = object()


class GPUPlugin(DevicePlugin):
    """Compiles models to OpenCL kernel plans; an op runs on the GPU only when a lowering
    supports it (``query_model`` lists exactly those)."""

    name = "GPU"

    def __init__(self, devices: list[OpenCLDevice] | None = None) -> None:
        from openvino import __version__

        self.version = __version__
        self._devices = None if devices is None else list(devices)
        self.description = "Intel GPU plugin (OpenCL through pyopencl)"
        self.explicit: set[str] = set()
        super().__init__()  # config: from default_config() (the device's) on first use

    # --- devices ---------------------------------------------------------------------------
    @property
    def devices(self) -> list[OpenCLDevice]:
        """The OpenCL devices of the family, scanned when first asked for: a ``Core`` that
        only ever compiles for the CPU loads no OpenCL driver (PoCL from Debian, with its
        LLVM, added 60 MB to every such process when the scan ran in ``Core()``)."""
        if self._devices is None:
            self._devices = opencl_devices()
        return self._devices

    def available_devices(self) -> list[str]:
        return [str(i) for i in range(len(self.devices))]

    def device(self, device_id: Any = "") -> OpenCLDevice:
        """The OpenCL device of ``device_id`` (``""``/``None``: ``GPU.0``)."""
        if not self.devices:
            raise RuntimeError("GPU: no OpenCL device is available ("
                               + ("; ".join(discovery_failures()) or "none found") + ")")
        text = "0" if device_id in ("", None) else str(device_id)
        if not text.isdigit() or int(text) >= len(self.devices):
            raise RuntimeError(f"GPU: device id '{text}' does not exist; available: "
                               f"{', '.join(self.available_devices())}")
        return self.devices[int(text)]

    def get_default_context(self, device_id: str = "") -> Any:
        """The ``GPURemoteContext`` of the device (one per device and plugin)."""
        from .remote import GPURemoteContext

        dev = self.device(device_id)
        contexts = self.__dict__.setdefault("_contexts", {})
        if id(dev) not in contexts:
            contexts[id(dev)] = GPURemoteContext(dev, self._device_name(str(device_id or "")))
        return contexts[id(dev)]

    def create_context(self, properties: dict[str, Any], device_id: str = "") -> Any:
        """A ``GPURemoteContext`` over the user's OpenCL context (``OCL_CONTEXT``,
        ``OCL_CONTEXT_DEVICE_ID``) or queue (``OCL_QUEUE``); see
        ``remote.shared_context_device``. The device is the one of the context, whatever
        ``device_id`` says."""
        from .remote import GPURemoteContext, shared_context_device

        if not self.devices:
            self.device(device_id)  # no device: says why
        dev, index = shared_context_device(self.devices, dict(properties))
        return GPURemoteContext(dev, self._device_name(str(index)))

    def compile_model_in_context(self, model: Model, config: dict[str, Any], context: Any
                                 ) -> GPUCompiledModel:
        """Compile for the OpenCL context of ``context`` (default or the user's): its
        remote tensors are read and written by the compiled model's kernels directly."""
        from .remote import GPURemoteContext

        if not isinstance(context, GPURemoteContext):
            raise RuntimeError(f"GPU cannot compile for {context!r}: not a GPU context")
        device_id = str(self.devices.index(self.device_of(context)))
        return self._compile(model, {**config, "DEVICE_ID": device_id}, context.device)

    def device_of(self, context: Any) -> OpenCLDevice:
        """The family's device a context's device object stands for."""
        for dev in self.devices:
            if dev.cl_device.int_ptr == context.device.cl_device.int_ptr:
                return dev
        raise RuntimeError(f"GPU: {context!r} is on a device this family does not list")

    def runs_on_host_cpu(self, device_id: str = "") -> bool:
        """An OpenCL CPU device (listed with ``OV_GPU_ALLOW_CPU_DEVICES=1``): AUTO ranks it
        after the ``CPU`` device."""
        try:
            return self.device(device_id).info.is_cpu
        except RuntimeError:
            return False

    # --- properties -------------------------------------------------------------------------
    def default_config(self) -> dict[str, Any]:
        return _config.default_config(self.devices[0] if self.devices else None)

    def device_properties(self, device_id: str = "") -> dict[str, Any]:
        if device_id not in ("", None) and self.devices:
            self.device(device_id)  # unknown ids fail
        return _config.read_only_properties(self.devices, device_id or "")

    def set_property(self, properties: dict[str, Any]) -> None:
        device_id = properties.get("DEVICE_ID")
        if device_id not in ("", None):
            self.device(device_id)
        if "INFERENCE_PRECISION_HINT" in properties and self.devices:
            _config.inference_precision(properties, self.devices[0], True)
        super().set_property(properties)
        self.explicit |= set(properties)

    # --- models -----------------------------------------------------------------------------
    def supports_op(self, node: Any) -> bool:
        return node.get_type_name() in _STRUCTURAL or supports(node)

    def query_model(self, model: Model, config: dict[str, Any]) -> dict[str, str]:
        """Nodes a GPU kernel runs, and nodes that fold to constants at compile time (a
        ShapeOf of a static shape and what computes only from constants)."""
        device_id = config.get("DEVICE_ID", "") or ""
        self.device(device_id)
        device = self._device_name(device_id)
        out = {node.get_friendly_name(): device for node in model.get_ordered_ops()
               if self.supports_op(node)}
        for name in _folded_nodes(model):
            out.setdefault(name, device)
        return out

    def _device_name(self, device_id: str) -> str:
        """``GPU`` when the family has one device, else ``GPU.<id>``."""
        if len(self.devices) == 1 and device_id in ("", "0"):
            return "GPU"
        return f"GPU.{device_id or 0}"

    def compile_model(self, model: Model, config: dict[str, Any]) -> GPUCompiledModel:
        if not isinstance(model, Model):
            raise TypeError(f"GPU compiles openvino.Model objects, got {type(model)}")
        return self._compile(model, config, None)

    def _compile(self, model: Model, config: dict[str, Any], dev: OpenCLDevice | None
                 ) -> GPUCompiledModel:
        """Compile for ``dev`` (a device object in a user's context) or, with ``None``,
        for the device ``DEVICE_ID`` names in its default context."""
        device_id = config.get("DEVICE_ID", "") or ""
        dev = self.device(device_id) if dev is None else dev
        explicit = set(self.explicit)
        explicit |= {k for k, v in config.items() if self.config.get(k, _MISSING) != v}
        precision = _config.inference_precision(config, dev,
                                                "INFERENCE_PRECISION_HINT" in explicit)
        return GPUCompiledModel(self, model.clone(), config, dev, self._device_name(device_id),
                                precision)

    def import_model(self, blob: bytes, config: dict[str, Any]) -> GPUCompiledModel:
        """Compile the exported runtime model again with its exported settings."""
        model, exported = read_model_blob(bytes(blob), "GPU")
        merged = dict(self.config)
        merged.update(exported)
        merged.update(config)
        dev = self.device(merged.get("DEVICE_ID", ""))
        precision = _config.inference_precision(merged, dev, True) \
            if "INFERENCE_PRECISION_HINT" in exported or "INFERENCE_PRECISION_HINT" in config \
            else _config.inference_precision(merged, dev, False)
        device_id = str(merged.get("DEVICE_ID", "") or "")
        return GPUCompiledModel(self, model, merged, dev, self._device_name(device_id),
                                precision)


def _folded_nodes(model: Model) -> list[str]:
    """Friendly names of the nodes of a static-shape ``model`` that constant folding
    removes (nothing for a dynamic model)."""
    from openvino.plugin.passes import Graph, NotStatic, claim_compressed_weights, fold_constants

    try:
        graph = Graph.from_model(model)
    except NotStatic:
        return []
    except Exception:  # query_model answers what it can; compile_model reports errors
        return []
    before = {op.name for op in graph.ops}
    try:
        claim_compressed_weights(graph)  # decompression chains go with their MatMul
        graph.remove_dead()
        fold_constants(graph)
        graph.remove_dead()
    except Exception:
        return []
    return sorted(before - {op.name for op in graph.ops})


@hookimpl
def openvino_device_plugins() -> list[GPUPlugin]:
    """The GPU family, fresh for each ``Core``. Its devices are scanned when first used
    (``available_devices``, a compile, a property): with none, it lists no device and
    compiling for ``GPU`` says why (``discovery_failures``)."""
    return [GPUPlugin()]
