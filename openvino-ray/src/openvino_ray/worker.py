"""``Worker``: the Ray actor on a node. It holds an ``openvino.Core`` of its own and the
models compiled on it (by key), compiles each on its node's target device, and runs
requests on them.

Errors of the worker's OpenVINO come back as values ``("error", type name, message)``
rather than exceptions, so the driver raises them with the worker's own message (Ray would
wrap an exception in its task-error text).
"""

from __future__ import annotations

import logging
import mmap
import os
import pickle
import threading
import traceback
from typing import Any

import numpy as np

__all__ = ["Worker", "MAX_CONCURRENCY", "REPORTED", "PACKED_BYTES", "PLAIN", "storage_of",
           "unpack"]

#: Properties of the workers' compiled models that the RAY compiled model reports as its
#: own (how the workers compute: ``DYNAMIC_QUANTIZATION_GROUP_SIZE`` > 0, the CPU's default,
#: quantises the inputs of matmuls with compressed weights).
REPORTED = ("DYNAMIC_QUANTIZATION_GROUP_SIZE",)

#: Calls one worker serves at once (requests of several compiled models and requests).
MAX_CONCURRENCY = 64


def storage_of(tensor: Any) -> np.ndarray:
    """A tensor's storage form to send (strings: an object array of bytes, as
    ``storage_tensor`` takes them back)."""
    if tensor.element_type.get_type_name() == "string":
        return np.asarray(tensor.bytes_data).astype(object)
    return tensor.data


#: Inputs / outputs up to this size travel packed in one ``bytes``.
PACKED_BYTES = 64 * 1024
#: Element types whose storage is a plain numpy array of their own dtype.
PLAIN = frozenset({"f64", "f32", "f16", "i64", "i32", "i16", "i8", "u64", "u32", "u16", "u8",
                   "boolean"})


def unpack(blob: bytes, layout: list[tuple[Any, tuple[int, ...]]],
           dtype_of: Any) -> list[np.ndarray]:
    """The arrays ``pack`` wrote one after the other, as read-only views of ``blob``."""
    out = []
    offset = 0
    for element_type, shape in layout:
        dtype = np.dtype(dtype_of(element_type))
        count = int(np.prod(shape, dtype=np.int64))
        out.append(np.frombuffer(blob, dtype, count, offset).reshape(shape))
        offset += count * dtype.itemsize
    return out


def _error(exc: BaseException) -> tuple[str, str, str]:
    return ("error", type(exc).__name__, str(exc) or traceback.format_exc(limit=2))


class _Hosted:
    """One compiled model on the worker: a pool of requests for stateless models, one
    request per driver request for stateful ones (their variables live there). At most
    ``optimal`` (the device's ``OPTIMAL_NUMBER_OF_INFER_REQUESTS``) run at once: more
    requests in flight wait here with their inputs already on the worker, instead of
    computing on more threads than the actor has CPUs."""

    def __init__(self, compiled: Any, stateful: bool, optimal: int = 1) -> None:
        self.compiled = compiled
        self.stateful = stateful
        self.running = threading.Semaphore(max(1, optimal))
        self.free: list[Any] = []
        self.pinned: dict[int, Any] = {}
        self.lock = threading.Lock()
        self.perf = False
        self.types = [port.get_element_type() for port in compiled.inputs]

    def take(self, request_key: int) -> Any:
        with self.lock:
            if self.stateful:
                request = self.pinned.get(request_key)
                if request is None:
                    request = self.pinned[request_key] = self.compiled.create_infer_request()
                return request
            return self.free.pop() if self.free else self.compiled.create_infer_request()

    def give(self, request: Any) -> None:
        if not self.stateful:
            with self.lock:
                self.free.append(request)


class Worker:
    """The actor body (``ray.remote`` is applied by :mod:`openvino_ray.cluster`)."""

    def __init__(self) -> None:
        import openvino as ov

        self._ov = ov
        self._core = ov.Core()
        self._models: dict[str, _Hosted] = {}
        self._last: dict[tuple[str, int], Any] = {}
        self._lock = threading.Lock()
        #: the driver's shared-memory segments this worker maps, by name
        self._segments: dict[str, mmap.mmap] = {}

    # --- identity ------------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        import ray

        return {"pid": os.getpid(), "node_id": ray.get_runtime_context().get_node_id(),
                "ip": ray.util.get_node_ip_address()}

    # --- models --------------------------------------------------------------------------------
    def compile(self, key: str, blob: Any, target: str, config: dict[str, Any]) -> Any:
        """Compile the model of ``blob`` (``openvino.plugin.model_blob``) on ``target``;
        returns what the driver reports (``OPTIMAL_NUMBER_OF_INFER_REQUESTS``,
        ``EXECUTION_DEVICES``) or an error value."""
        from openvino.plugin import request_variables
        from openvino.plugin.model_blob import read_model_blob

        try:
            model, _ = read_model_blob(blob, "RAY")
            # the worker's own best device, never RAY again (plain AUTO leaves RAY out;
            # said again for a worker whose openvino predates auto_default_candidate)
            if target == "AUTO":
                target = "AUTO:-RAY"
            elif target.startswith("AUTO:") and all(
                    e.strip().startswith("-") for e in target[5:].split(",") if e.strip()):
                target += ",-RAY"  # only exclusions: every other device, RAY too
            compiled = self._compile(model, target, config)
            optimal = max(1, int(compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")))
            hosted = _Hosted(compiled, bool(request_variables(model)), optimal)
            try:
                hosted.perf = compiled.get_property("PERF_COUNT") in (True, "YES")
            except Exception:
                hosted.perf = bool(config.get("PERF_COUNT"))
            with self._lock:
                self._models[key] = hosted
            devices = list(compiled.get_property("EXECUTION_DEVICES"))
            reported = {}
            for name in REPORTED:  # what the driver's compiled model reports as its own
                try:
                    reported[name] = int(compiled.get_property(name))
                except Exception:  # a device without it
                    pass
            return {"optimal": optimal, "devices": devices, "reported": reported,
                    **self.info()}
        except Exception as exc:
            return _error(exc)

    def _compile(self, model: Any, target: str, config: dict[str, Any]) -> Any:
        """Compile on ``target``; on a CPU, with as many threads as Ray gave the actor CPUs
        (Ray's own convention, as its ``OMP_NUM_THREADS``), and without binding them to
        cores (Ray gives an actor a number of CPUs, not which ones: the workers of a node
        would each bind their streams to the node's first cores), unless the user chose."""
        import ray

        cpus = ray.get_runtime_context().get_assigned_resources().get("CPU", 0)
        on_cpu = target == "CPU" or (target.startswith("AUTO") and not any(
            d.startswith("GPU") for d in self._core.available_devices))
        extra: dict[str, Any] = {}
        if on_cpu and cpus >= 1 and not config.get("INFERENCE_NUM_THREADS"):
            extra["INFERENCE_NUM_THREADS"] = int(cpus)
        if on_cpu and "ENABLE_CPU_PINNING" not in config:
            extra["ENABLE_CPU_PINNING"] = False
        if extra:
            try:
                return self._core.compile_model(model, target, {**config, **extra})
            except Exception:  # a device without these settings: as the user gave it
                pass
        return self._core.compile_model(model, target, config)

    def release(self, key: str) -> None:
        with self._lock:
            self._models.pop(key, None)
            for k in [k for k in self._last if k[0] == key]:
                del self._last[k]

    def forget(self, key: str, request_key: int) -> None:
        """A driver request is gone: drop its pinned request and its last profile."""
        with self._lock:
            hosted = self._models.get(key)
            self._last.pop((key, request_key), None)
        if hosted is not None:
            with hosted.lock:
                hosted.pinned.pop(request_key, None)

    def has(self, key: str) -> bool:
        return key in self._models

    # --- requests ------------------------------------------------------------------------------
    def infer(self, key: str, request_key: int, meta: list[tuple[str, tuple[int, ...]]],
              *arrays: Any) -> Any:
        """One inference: ``arrays`` in storage form (``Tensor.data``), element types and
        shapes in ``meta``; or, for small inputs of plain types, one ``bytes`` holding them
        all, one after the other (a single buffer costs Ray less to move than several
        arrays). Returns ``[(storage array, type name, shape), ...]`` per output, or
        ``("packed", [(type name, shape), ...], bytes)`` when the outputs are small and
        plain."""
        from openvino.plugin.encoding import evaluation_dtype

        hosted = self._models.get(key)
        if hosted is None:
            return ("missing", key, "")
        try:
            types = [self._ov.Type(name) for name, _ in meta]
            if len(arrays) == 1 and isinstance(arrays[0], bytes):
                arrays = unpack(arrays[0], [(t, shape) for t, (_, shape) in zip(types, meta)],
                                evaluation_dtype)
            return self._run(hosted, request_key, key, types, meta, arrays)
        except Exception as exc:
            return _error(exc)

    def infer_shared(self, key: str, request_key: int, meta: list[tuple[str, tuple[int, ...]]],
                     segment: str, offsets: list[int]) -> Any:
        """:meth:`infer` on inputs the driver wrote into its shared-memory ``segment``
        (:mod:`openvino_ray.shared_inputs`) at ``offsets``, read in place (copied for a
        stateful model, whose variables may keep what they were given)."""
        from openvino.plugin.encoding import evaluation_dtype

        hosted = self._models.get(key)
        if hosted is None:
            return ("missing", key, "")
        try:
            memory = self._segments[segment]
            types = [self._ov.Type(name) for name, _ in meta]
            arrays = []
            for t, (_, shape), offset in zip(types, meta, offsets):
                dtype = np.dtype(evaluation_dtype(t))
                count = int(np.prod(shape, dtype=np.int64))
                array = np.frombuffer(memory, dtype, count, offset).reshape(shape)
                arrays.append(array.copy() if hosted.stateful else array)
            return self._run(hosted, request_key, key, types, meta, arrays)
        except Exception as exc:
            return _error(exc)

    def attach(self, segment: str) -> str:
        """Map the driver's shared-memory ``segment`` (a file of ``/dev/shm`` the driver
        unlinks once this returns); ``""``, or why it cannot."""
        from .shared_inputs import SHM_DIR

        try:
            fd = os.open(os.path.join(SHM_DIR, os.path.basename(segment)), os.O_RDWR)
            try:
                self._segments[segment] = mmap.mmap(fd, 0)
            finally:
                os.close(fd)
            return ""
        except OSError as exc:
            return f"{type(exc).__name__}: {exc}"

    def link(self, address: str) -> str:
        """Connect to the driver's abstract Unix socket ``address`` and serve requests on
        that connection on a thread of its own (:mod:`openvino_ray.local_link`); ``""``,
        or why it cannot."""
        import socket

        try:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.connect(address)
        except OSError as exc:
            return f"{type(exc).__name__}: {exc}"
        threading.Thread(target=self._serve, args=(conn,), name="openvino-ray-link",
                         daemon=True).start()
        return ""

    def _serve(self, conn: Any) -> None:
        from .local_link import receive, send

        calls = {"infer": self.infer, "infer_shared": self.infer_shared}
        try:
            while True:
                method, args = receive(conn)  # LinkBroken: the driver closed it
                send(conn, calls[method](*args))
        except (OSError, KeyError, pickle.UnpicklingError) as exc:  # the driver closed it
            logging.getLogger("openvino_ray").debug("RAY worker: link closed: %s", exc)
        finally:
            conn.close()

    def detach(self, segments: list[str]) -> None:
        for name in segments:
            memory = self._segments.pop(name, None)
            if memory is not None:
                try:
                    memory.close()
                except BufferError:  # a view still alive: unmapped with it
                    pass

    def _run(self, hosted: _Hosted, request_key: int, key: str, types: list[Any],
             meta: list[tuple[str, tuple[int, ...]]], arrays: Any) -> Any:
        from openvino.plugin.encoding import storage_tensor

        tensors = [storage_tensor(a, t, shape)
                   for a, t, (_, shape) in zip(arrays, types, meta)]
        request = hosted.take(request_key)
        try:
            with hosted.running:
                request.infer(tensors, share_inputs=True, share_outputs=True)
            results = [request.get_output_tensor(i)
                       for i in range(len(hosted.compiled.outputs))]
            if sum(t.byte_size for t in results) <= PACKED_BYTES and all(
                    t.element_type.get_type_name() in PLAIN for t in results):
                out: Any = ("packed", [(t.element_type.get_type_name(), tuple(t.shape))
                                       for t in results],
                            b"".join(np.ascontiguousarray(t.data).tobytes()
                                     for t in results))
            else:
                out = [(np.array(storage_of(t), copy=True), t.element_type.get_type_name(),
                        tuple(t.shape)) for t in results]
            if hosted.perf:
                self._last[(key, request_key)] = _records(request.get_profiling_info())
        finally:
            hosted.give(request)
        return out

    def run(self, call: bytes) -> bytes:
        """The entry of the driver's compiled-graph channel: ``infer(*call)``, the call
        and its result pickled (:meth:`openvino_ray.channel.WorkerChannel.call`)."""
        return pickle.dumps(self.infer(*pickle.loads(call)), protocol=5)

    def profiling(self, key: str, request_key: int) -> list[tuple]:
        return list(self._last.get((key, request_key), []))

    def state(self, key: str, request_key: int, action: str, name: str = "",
              value: Any = None) -> Any:
        """The variables of a stateful model's request: ``list`` (names, values, types),
        ``set`` one, ``reset`` one."""
        hosted = self._models.get(key)
        if hosted is None:
            return ("missing", key, "")
        try:
            request = hosted.take(request_key)
            states = {s.get_name(): s for s in request.query_state()}
            if action == "list":
                return [(n, np.array(storage_of(s.state), copy=True),
                         s.state.element_type.get_type_name(), tuple(s.state.shape))
                        for n, s in states.items()]
            if action == "set":
                data, type_name, shape = value
                from openvino.plugin.encoding import storage_tensor

                states[name].state = storage_tensor(np.array(data), self._ov.Type(type_name),
                                                    shape)
            elif action == "reset":
                states[name].reset()
            return None
        except Exception as exc:
            return _error(exc)


def _records(records: Any) -> list[tuple]:
    return [(r.node_name, r.node_type, r.exec_type, r.real_time.total_seconds(),
             r.cpu_time.total_seconds(), r.status.name) for r in records]
