"""``openvino.CompiledModel``: a model compiled for a device, ready to create requests."""

from __future__ import annotations

import io
import json
import struct
import weakref
from typing import TYPE_CHECKING, Any

from ._infer_request import InferRequest
from ._job_pool import JobPool
from ._node import ConstOutput
from .plugin.output_check import OutputCheck
from .properties._registry import normalize_value, property_key
from .utils.data_helpers.data_dispatcher import InputTable
from .utils.data_helpers.ovdict import OutputTable

if TYPE_CHECKING:
    from ._model import Model
    from .plugin.compiled_model import DeviceCompiledModel
    from .plugin.infer_request import VariableState
    from .utils.data_helpers.ovdict import OVDict

__all__ = ["CompiledModel", "BLOB_MAGIC", "pack_blob", "unpack_blob"]

#: First bytes of every ``export_model`` blob.
BLOB_MAGIC = b"OVPYBLOB"


def pack_blob(device: str, payload: bytes) -> bytes:
    """An export blob: magic, a length-prefixed JSON header and the device's payload."""
    from . import __version__

    header = json.dumps({"device": device, "openvino": __version__}).encode()
    return BLOB_MAGIC + struct.pack("<I", len(header)) + header + payload


def unpack_blob(blob: bytes) -> tuple[dict[str, Any], bytes]:
    """``(header, payload)`` of an export blob; ``RuntimeError`` when it is not one."""
    if not blob.startswith(BLOB_MAGIC) or len(blob) < len(BLOB_MAGIC) + 4:
        raise RuntimeError("import_model: the data is not a model exported by "
                           "CompiledModel.export_model()")
    (size,) = struct.unpack_from("<I", blob, len(BLOB_MAGIC))
    start = len(BLOB_MAGIC) + 4
    try:
        header = json.loads(blob[start:start + size].decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RuntimeError("import_model: the blob header is damaged") from None
    if not isinstance(header, dict) or "device" not in header:
        raise RuntimeError("import_model: the blob header is damaged")
    return header, bytes(blob[start + size:])


class CompiledModel:
    """A model compiled for one device (``Core.compile_model``).

    Call it like a function (``compiled({0: data})``) for one synchronous inference, or
    create requests with ``create_infer_request()``. It keeps everything it needs: deleting
    the ``Core`` or the ``Model`` it came from does not affect it.
    """

    def __init__(self, device_model: DeviceCompiledModel, device_name: str,
                 source_model: Model | None = None,
                 execution_devices: list[str] | None = None,
                 loaded_from_cache: bool = False) -> None:
        self._device_model = device_model
        self._loaded_from_cache = loaded_from_cache
        self._device_name = device_name
        self._execution_devices = execution_devices
        self._model_name = source_model.get_friendly_name() if source_model is not None else None
        self._inputs = list(device_model.inputs)
        self._outputs = list(device_model.outputs)
        params = source_model.get_parameters() if source_model is not None else ()
        results = source_model.get_results() if source_model is not None else ()
        self._input_table = InputTable(
            self._inputs, params if len(params) == len(self._inputs) else ())
        self._output_table = OutputTable(
            self._outputs, results if len(results) == len(self._outputs) else ())
        # what every infer of the device must return, worked out once
        self._output_check = OutputCheck(
            getattr(device_model, "device_name", device_name), self._outputs)
        self._infer_request: InferRequest | None = None
        self._main_free = [True]  # a token: present while _infer_request is not in use
        self._spare_requests: list[InferRequest] = []
        self._pool: JobPool | None = None

    # --- ports --------------------------------------------------------------------------------
    @property
    def inputs(self) -> list[ConstOutput]:
        return list(self._inputs)

    @property
    def outputs(self) -> list[ConstOutput]:
        return list(self._outputs)

    def input(self, key: int | str | None = None) -> ConstOutput:
        """The input port: the only one, by index, by tensor name, or for a port of the
        model that was compiled (``model.input(0)``, ``parameter.output(0)``)."""
        if isinstance(key, ConstOutput):
            try:
                return self._inputs[self._input_table.index_of(key)]
            except RuntimeError:
                raise RuntimeError(f"{key} is not an input of this compiled model") from None
        return _port(self._inputs, key, "input")

    def output(self, key: int | str | None = None) -> ConstOutput:
        """The output port: the only one, by index, by tensor name, or for a port of the
        model that was compiled (``model.output(0)``)."""
        if isinstance(key, ConstOutput):
            idx = self._output_table.find_port(key)
            if idx is None:
                raise RuntimeError(f"{key} is not an output of this compiled model")
            return self._outputs[idx]
        return _port(self._outputs, key, "output")

    # --- requests -----------------------------------------------------------------------------
    def create_infer_request(self) -> InferRequest:
        """A new request with tensors of its own."""
        return InferRequest(self, self._device_model.create_sync_request())

    def infer_new_request(self, inputs: Any = None) -> OVDict:
        """Run once on a new request and return its outputs."""
        return self.create_infer_request().infer(inputs)

    def __call__(self, inputs: Any = None, share_inputs: bool = False,
                 share_outputs: bool = False, *, shared_memory: Any = None,
                 decode_strings: bool = True) -> OVDict:
        """Run once and return the outputs (``OVDict``).

        Uses one cached request (``_infer_request``, which also holds the state of stateful
        models); a call made while another thread is inside this method runs on a request
        of its own, so concurrent callers each get their own correct results.
        """
        try:
            self._main_free.pop()  # atomic: whoever gets the token uses _infer_request
        except IndexError:
            return self._call_on_spare(inputs, share_inputs, share_outputs, shared_memory,
                                       decode_strings)
        try:
            request = self._infer_request
            if request is None:
                request = self._infer_request = self.create_infer_request()
            return request.infer(inputs, share_inputs, share_outputs,
                                 shared_memory=shared_memory, decode_strings=decode_strings)
        finally:
            self._main_free.append(True)

    def _call_on_spare(self, inputs: Any, share_inputs: bool, share_outputs: bool,
                       shared_memory: Any, decode_strings: bool) -> OVDict:
        """``__call__`` while another thread uses ``_infer_request``: a request of its own."""
        try:
            request = self._spare_requests.pop()
        except IndexError:
            request = self.create_infer_request()
        try:
            return request.infer(inputs, share_inputs, share_outputs, shared_memory=shared_memory,
                                 decode_strings=decode_strings)
        finally:
            self._spare_requests.append(request)

    def _job_pool(self) -> JobPool:
        """The threads async runs of this model's requests use (made on first need)."""
        pool = self._pool
        if pool is None:
            try:
                size = int(self._device_model.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
            except (RuntimeError, TypeError, ValueError):
                size = 1
            pool = self._pool = JobPool(size)
            weakref.finalize(self, pool.close)
        return pool

    def _main_request(self) -> InferRequest:
        if self._infer_request is None:
            self._infer_request = self.create_infer_request()
        return self._infer_request

    # --- state --------------------------------------------------------------------------------
    def query_state(self) -> list[VariableState]:
        """The variables held by the request ``__call__`` uses."""
        return self._main_request().query_state()

    def reset_state(self) -> None:
        """Reset the variables of the request ``__call__`` uses."""
        self._main_request().reset_state()

    def release_memory(self) -> None:
        """Free memory the device can rebuild; the model keeps working."""
        self._device_model.release_memory()

    # --- properties ---------------------------------------------------------------------------
    def get_property(self, key: Any) -> Any:
        """A property of the compiled model (``props.model_name``, ``"PERF_COUNT"`` ...)."""
        name = property_key(key)
        if name == "EXECUTION_DEVICES" and self._execution_devices is not None:
            return list(self._execution_devices)
        if name == "NETWORK_NAME" and self._model_name is not None:
            return self._model_name
        if name == "LOADED_FROM_CACHE":
            return self._loaded_from_cache
        return self._device_model.get_property(name)

    def set_property(self, key: Any, value: Any = None) -> None:
        """Change properties the device allows to change after compilation."""
        if isinstance(key, dict):
            config = {property_key(k): normalize_value(k, v) for k, v in key.items()}
        elif isinstance(key, tuple) and value is None:
            config = {property_key(key[0]): normalize_value(key[0], key[1])}
        else:
            config = {property_key(key): normalize_value(key, value)}
        self._device_model.set_property(config)

    def _perf_count(self) -> bool:
        try:
            # a device may report the setting as text, as the real CPU plugin does ("YES")
            return self._device_model.get_property("PERF_COUNT") in (True, "YES")
        except RuntimeError:
            return False

    def get_runtime_model(self) -> Model:
        """The model as it runs on the device."""
        return self._device_model.get_runtime_model()

    # --- export -------------------------------------------------------------------------------
    def export_model(self, model_stream: Any = None) -> bytes | None:
        """The compiled model as bytes for ``Core.import_model`` (needs ``EXPORT_IMPORT``
        in the device's capabilities); with a stream argument, written into it."""
        plugin = self._device_model.plugin
        device_id = self._device_model.config.get("DEVICE_ID", "")
        try:
            capabilities = plugin.get_property("OPTIMIZATION_CAPABILITIES", device_id)
        except RuntimeError:
            capabilities = []
        if "EXPORT_IMPORT" not in capabilities:
            raise RuntimeError(f"The {plugin.name} device does not support export_model "
                               "(no EXPORT_IMPORT in its OPTIMIZATION_CAPABILITIES)")
        blob = pack_blob(plugin.name, bytes(self._device_model.export()))
        if model_stream is None:
            return blob
        if not isinstance(model_stream, io.IOBase) and not hasattr(model_stream, "write"):
            raise TypeError(f"export_model expects a writable stream, got {type(model_stream)}")
        model_stream.write(blob)
        return None

    def __repr__(self) -> str:
        ins = ",\n".join(repr(p) for p in self._inputs)
        outs = ",\n".join(repr(p) for p in self._outputs)
        return f"<CompiledModel on {self._device_name}:\ninputs[\n{ins}\n]\noutputs[\n{outs}\n]>"


def _port(ports: list[ConstOutput], key: Any, what: str) -> ConstOutput:
    if key is None:
        if len(ports) != 1:
            raise RuntimeError(f"{what}() must be called on a compiled model with exactly one "
                               f"{what}; this one has {len(ports)}")
        return ports[0]
    if isinstance(key, str):
        for p in ports:
            if key in p.get_names():
                return p
        raise RuntimeError(f"Check 'found' failed: the compiled model has no {what} with "
                           f"tensor name '{key}'")
    try:
        idx = int(key)
    except (TypeError, ValueError):
        raise TypeError(f"{what}() expects an index or a tensor name, got {type(key)}") from None
    if not 0 <= idx < len(ports):
        raise RuntimeError(f"The compiled model has {len(ports)} {what}s, there is no "
                           f"{what} {idx}")
    return ports[idx]
