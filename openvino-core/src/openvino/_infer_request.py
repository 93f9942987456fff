"""``openvino.InferRequest``: one request of a compiled model, sync and async.

The device gives a synchronous request (``openvino.plugin.DeviceInferRequest``); this
class adds what users see on every device: input forms, output tensors, ``OVDict``
results, async runs on a worker thread, callbacks, waiting and cancellation.

Async runs go to the compiled model's ``JobPool``; the request's ``_busy`` lock is held
from ``start_async`` until the run and its callback are over, so ``wait`` blocks on a lock
(the GIL released) instead of polling.
"""

from __future__ import annotations

import _thread
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._node import ConstOutput
from ._remote import RemoteTensor
from ._tensor import Tensor
from ._type import Type
from .layout_helpers import batch_idx, get_layout, has_batch
from .plugin.profiling import not_run_records
from .utils.data_helpers.ovdict import OVDict

if TYPE_CHECKING:
    from ._compiled_model import CompiledModel
    from .plugin.infer_request import DeviceInferRequest, VariableState

__all__ = ["InferRequest"]

_perf_counter = time.perf_counter
_STRING = Type.string


def _strings(tensor: Tensor, decode: bool) -> np.ndarray:
    """A string output as ``str`` values (``decode``) or UTF-8 ``bytes``."""
    return tensor.str_data if decode else tensor.bytes_data


def _legacy_shared_memory(share_inputs: bool, shared_memory: Any) -> bool:
    """``shared_memory`` (OpenVINO 2023.0) overrides ``share_inputs``, with the
    ``FutureWarning`` OpenVINO gave while it was deprecated (it no longer takes it)."""
    if shared_memory is None:
        return share_inputs
    warnings.warn("`shared_memory` is deprecated and will be removed in 2024.0. Value of "
                  "`shared_memory` is going to override `share_inputs` value. Please use only "
                  "`share_inputs` explicitly.", FutureWarning, stacklevel=3)
    return bool(shared_memory)


class InferRequest:
    """Runs a compiled model: ``infer`` (sync), ``start_async``/``wait`` (async), with the
    inputs, outputs, profiling and state of one request."""

    def __init__(self, compiled_model: CompiledModel, device_request: DeviceInferRequest
                 ) -> None:
        self._compiled_model = compiled_model
        self._request = device_request
        self._table = compiled_model._input_table
        self._out_table = compiled_model._output_table
        self._check_outputs = compiled_model._output_check
        self._inputs: list[Tensor | None] = [
            Tensor(p.element_type, p.static_shape)
            if p.static_shape is not None and not p.dynamic_type else None
            for p in self._table.ports]
        self._outputs: list[Tensor | None] = [None] * len(self._out_table.ports)
        self._user_outputs: dict[int, Tensor] = {}
        # output tensors handed to the user (get_output_tensor ...): later runs write into
        # them, so a tensor (or its .data) taken before a run shows that run's results
        self._held: dict[int, Tensor] = {}
        self._batched: dict[int, list[Tensor]] = {}
        self._latency = 0.0
        self._ran = False
        self._userdata: Any = None
        self._callback: Callable[[Any], Any] | None = None
        self._done_hook: Callable[[], None] | None = None  # set by AsyncInferQueue
        self._busy = _thread.allocate_lock()
        self._pool = compiled_model._job_pool()
        self._error: BaseException | None = None
        self._cancelled = False
        self._started = False

    # --- synchronous --------------------------------------------------------------------------
    def infer(self, inputs: Any = None, share_inputs: bool = False, share_outputs: bool = False,
              *, shared_memory: Any = None, decode_strings: bool = True) -> OVDict:
        """Run once and return the outputs as an ``OVDict``.

        ``inputs``: a dict keyed by input index, tensor name or port; a list/tuple in input
        order; or one array/``Tensor``/scalar for a one-input model. ``share_inputs`` lets
        inputs use the caller's (C-contiguous, writable, same-dtype) arrays without a copy;
        ``share_outputs`` returns views of the output tensors instead of copies;
        ``decode_strings`` returns string outputs as ``str`` arrays (else UTF-8 ``bytes``).
        """
        if shared_memory is not None:
            share_inputs = _legacy_shared_memory(share_inputs, shared_memory)
        if self._busy.locked():
            raise RuntimeError("Infer Request is busy: an asynchronous run is in progress; "
                               "call wait() first")
        if inputs is not None:
            self._bind(inputs, share_inputs)
        self._run()
        return self._results(share_outputs, decode_strings)

    def _bind(self, inputs: Any, share_inputs: bool) -> None:
        """Bind ``inputs``; an input given a value this way is no longer batched."""
        if not self._batched:
            self._table.bind(self._inputs, inputs, share_inputs)
            return
        before = list(self._inputs)
        self._table.bind(self._inputs, inputs, share_inputs)
        for idx in list(self._batched):
            if self._inputs[idx] is not before[idx]:
                del self._batched[idx]

    def _run(self) -> None:
        tensors = self._inputs
        if self._batched or None in tensors:
            tensors = self._prepared_inputs()
        remote = {idx: t for idx, t in self._user_outputs.items()
                  if isinstance(t, RemoteTensor)} if self._user_outputs else None
        t0 = _perf_counter()
        if remote:  # the device writes these outputs into the remote tensors itself
            outputs = self._request.infer_into(tensors, remote)
        else:
            outputs = self._request.infer(tensors)
        self._latency = (_perf_counter() - t0) * 1000.0
        outputs = self._check_outputs(outputs, remote or ())
        self._ran = True
        if self._user_outputs:
            for idx, target in self._user_outputs.items():
                if outputs[idx] is not target:
                    outputs[idx].copy_to(target)
                    outputs[idx] = target
        if self._held:
            self._write_held(outputs)
        self._outputs = outputs

    def _write_held(self, outputs: list[Tensor]) -> None:
        """Put this run's results into the output tensors the user holds."""
        for idx, target in list(self._held.items()):
            src = outputs[idx]
            if src is target or idx in self._user_outputs:
                continue
            if (target._shape == src._shape and target._type is src._type
                    and target._data.__array_interface__["data"][0]
                    == src._data.__array_interface__["data"][0]):
                outputs[idx] = target  # the device wrote into the held memory already
                continue
            try:
                src.copy_to(target)
            except (RuntimeError, ValueError, TypeError):
                # a shape the held tensor cannot take: it keeps its last values
                del self._held[idx]
                continue
            outputs[idx] = target

    def _prepared_inputs(self) -> list[Tensor]:
        tensors = list(self._inputs)
        for idx, parts in self._batched.items():
            et = parts[0]._type
            if self._table.ports[idx].special:  # packed or encoded storage
                data = np.concatenate([t._to_evaluation() for t in parts], axis=0)
                tensors[idx] = Tensor._from_evaluation(data, et)
            else:
                data = np.concatenate([t._data for t in parts], axis=0)
                tensors[idx] = Tensor._wrap(data, et, data.shape)
        for port, t in zip(self._table.ports, tensors):
            if t is None:
                raise RuntimeError(f"The {port.describe()} has no data: a dynamic input must "
                                   "be given a value before inference")
        return tensors

    def _results(self, share_outputs: bool, decode_strings: bool = True) -> OVDict:
        # a RemoteTensor output (set_output_tensor) is its own value: its data stays on
        # the device
        if share_outputs:
            values = [t if isinstance(t, RemoteTensor) else t._data.view()
                      if t._type is not _STRING else _strings(t, decode_strings)
                      for t in self._outputs]
        else:
            values = [t if isinstance(t, RemoteTensor) else t._data.copy()
                      if t._type is not _STRING else _strings(t, decode_strings)
                      for t in self._outputs]
        return OVDict._make(self._out_table, values)

    # --- asynchronous -------------------------------------------------------------------------
    def start_async(self, inputs: Any = None, userdata: Any = None, share_inputs: bool = False,
                    *, shared_memory: Any = None) -> None:
        """Start a run on the request's worker thread and return at once; ``wait()`` for
        it. ``userdata`` is what the callback receives (see ``set_callback``)."""
        if shared_memory is not None:
            share_inputs = _legacy_shared_memory(share_inputs, shared_memory)
        if not self._busy.acquire(False):
            raise RuntimeError("Infer Request is busy: the previous asynchronous run has not "
                               "finished; call wait() first")
        self._submit(inputs, userdata, share_inputs)

    def _submit(self, inputs: Any, userdata: Any, share_inputs: bool) -> None:
        """With ``_busy`` held: bind inputs and queue the run (releases on failure)."""
        try:
            if inputs is not None:
                self._bind(inputs, share_inputs)
            if userdata is not None:
                self._userdata = userdata
            self._error = None
            self._cancelled = False
            self._started = True
        except BaseException:
            self._busy.release()
            raise
        self._pool.submit(self._async_job)

    def _async_job(self) -> None:
        try:
            if self._cancelled:
                raise RuntimeError("Infer Request was canceled")
            self._run()
        except BaseException as exc:  # handed to wait() / the queue
            self._error = exc
        hook = self._done_hook
        if hook is not None:
            hook()
        elif self._callback is not None and self._error is None:
            try:
                self._callback(self._userdata)
            except BaseException as exc:
                self._error = exc
        self._busy.release()

    def wait(self) -> None:
        """Block (without holding the GIL) until the async run and its callback are over;
        re-raise what the run or the callback raised."""
        if not self._started:
            raise RuntimeError("wait() was called on an infer request that was never "
                               "started; call start_async() first")
        busy = self._busy
        if self._pool.is_current():
            self._pool.run_queued_until(lambda: not busy.locked())
        busy.acquire()
        busy.release()
        self._raise_error()

    def wait_for(self, timeout: int) -> bool:
        """Wait up to ``timeout`` milliseconds (``-1``: no limit); ``True`` when done."""
        if not self._started:
            raise RuntimeError("wait_for() was called on an infer request that was never "
                               "started; call start_async() first")
        busy = self._busy
        if self._pool.is_current():
            self._pool.run_queued_until(lambda: not busy.locked())
        if timeout < 0:
            got = busy.acquire()
        else:
            got = busy.acquire(True, timeout / 1000.0) if timeout > 0 else busy.acquire(False)
        if not got:
            return False
        busy.release()
        self._raise_error()
        return True

    def _raise_error(self) -> None:
        error = self._error
        if error is not None:
            self._error = None
            raise error

    def set_callback(self, callback: Callable[[Any], Any], userdata: Any = None) -> None:
        """Call ``callback(userdata)`` on the worker thread (with the GIL) after every
        successful async run; an exception it raises comes out of ``wait()``."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback)}")
        self._callback = callback
        self._userdata = userdata

    def cancel(self) -> None:
        """Drop an async run that has not started (``wait`` then raises); ask the device to
        stop one that has."""
        if self._busy.locked():
            self._cancelled = True
            self._request.cancel()

    # --- properties ---------------------------------------------------------------------------
    @property
    def userdata(self) -> Any:
        return self._userdata

    @property
    def latency(self) -> float:
        """Milliseconds the last run took on the device."""
        return self._latency

    @property
    def results(self) -> OVDict:
        """The outputs of the last run (views of the output tensors)."""
        self._check_ran()
        return OVDict._make(self._out_table, [t if isinstance(t, RemoteTensor) else t._data
                                              if t._type is not _STRING
                                              else _strings(t, True) for t in self._outputs])

    def _check_ran(self) -> None:
        if not self._ran:
            raise RuntimeError("The infer request has not run yet: there are no results")

    def get_compiled_model(self) -> CompiledModel:
        return self._compiled_model

    @property
    def model_inputs(self) -> list[ConstOutput]:
        return list(self._compiled_model.inputs)

    @property
    def model_outputs(self) -> list[ConstOutput]:
        return list(self._compiled_model.outputs)

    @property
    def input_tensors(self) -> list[Tensor]:
        return [self.get_input_tensor(i) for i in range(len(self._inputs))]

    @property
    def output_tensors(self) -> list[Tensor]:
        return [self.get_output_tensor(i) for i in range(len(self._outputs))]

    # --- tensors ------------------------------------------------------------------------------
    def _port_of(self, key: Any) -> tuple[bool, int]:
        """``(is_input, index)`` for a tensor name or port."""
        if isinstance(key, ConstOutput):
            # the compiled model's ports and those of the model that was compiled first,
            # then any port sharing a tensor name (inputs before outputs, as OpenVINO)
            for by_names in (False, True):
                idx = self._table.find_port(key, by_names)
                if idx is not None:
                    return True, idx
                idx = self._out_table.find_port(key, by_names)
                if idx is not None:
                    return False, idx
            raise RuntimeError(f"Check 'found_port.found()' failed: {key} is neither an input "
                               "nor an output of this compiled model")
        if isinstance(key, str):
            if key in self._table.by_key:
                return True, self._table.by_key[key]
            if key in self._out_table.by_name:
                return False, self._out_table.by_name[key]
            raise RuntimeError(f"Check 'found_port.found()' failed: Port for tensor name {key} "
                               "was not found.")
        raise TypeError(f"Incompatible key type for a tensor: {type(key)}")

    def get_tensor(self, key: Any) -> Tensor:
        """The tensor of an input or output, by tensor name or port."""
        is_input, idx = self._port_of(key)
        return self.get_input_tensor(idx) if is_input else self.get_output_tensor(idx)

    def set_tensor(self, key: Any, tensor: Tensor) -> None:
        """Use ``tensor`` for an input or output (by tensor name or port)."""
        is_input, idx = self._port_of(key)
        if is_input:
            self.set_input_tensor(idx, tensor)
        else:
            self.set_output_tensor(idx, tensor)

    def set_tensors(self, key_or_dict: Any, tensors: Any = None) -> None:
        """``set_tensors({name|port: Tensor})``, or ``set_tensors(port, [Tensor, ...])`` for
        a batched input."""
        if tensors is None:
            if not isinstance(key_or_dict, dict):
                raise TypeError("set_tensors expects a dict {name or port: Tensor}")
            for key, tensor in key_or_dict.items():
                self.set_tensor(key, tensor)
            return
        is_input, idx = self._port_of(key_or_dict)
        if not is_input:
            raise RuntimeError(f"Cannot find input tensors for port {key_or_dict}: batched "
                               "set_tensors is only supported for inputs")
        self._set_batched(idx, tensors)

    def _check_index(self, index: int, count: int, what: str) -> int:
        if not isinstance(index, (int, np.integer)) or not 0 <= index < count:
            raise RuntimeError(f"There is no {what} {index}: the model has {count} {what}s")
        return int(index)

    def _single(self, count: int, what: str) -> int:
        if count != 1:
            raise RuntimeError(f"get_{what}_tensor() must be called on a function with exactly "
                               f"one {'parameter' if what == 'input' else 'result'}.")
        return 0

    def get_input_tensor(self, index: int | None = None) -> Tensor:
        """The tensor input ``index`` runs on (the only input when no index is given)."""
        n = len(self._inputs)
        idx = self._single(n, "input") if index is None else self._check_index(index, n,
                                                                                  "input")
        if idx in self._batched:
            raise RuntimeError("get_tensor shall not be used together with batched "
                               "set_tensors/set_input_tensors for the "
                               f"{self._table.ports[idx].describe()}")
        t = self._inputs[idx]
        if t is None:
            # a dynamic input's tensor before any data: each dynamic dimension 0, as in
            # OpenVINO; it is the request's tensor from now on, so filling it in place
            # (t.shape = ...; t.data[:] = ...) gives the next run its data
            port = self._table.ports[idx]
            ps = port.port.get_partial_shape()
            dims = [0] if ps.rank.is_dynamic else [d.get_length() if d.is_static else 0
                                                   for d in ps]
            t = Tensor(port.element_type if not port.dynamic_type else "f32", dims)
            self._inputs[idx] = t
        return t

    def get_output_tensor(self, index: int | None = None) -> Tensor:
        """The tensor of output ``index`` (the only output when no index is given)."""
        n = len(self._outputs)
        idx = self._single(n, "output") if index is None else self._check_index(index, n,
                                                                                   "output")
        t = self._outputs[idx]
        if t is None:
            t = self._user_outputs.get(idx)
        if t is None:
            port = self._out_table.ports[idx]
            ps = port.get_partial_shape()
            et = port.get_element_type()
            t = Tensor(et if et.is_static() else "f32",
                       ps.to_shape() if ps.is_static else [0])
            self._outputs[idx] = t
        self._held[idx] = t
        return t

    def set_input_tensor(self, index_or_tensor: Any, tensor: Tensor | None = None) -> None:
        """``set_input_tensor(tensor)`` for a one-input model, or ``(index, tensor)``."""
        if tensor is None:
            idx = self._single(len(self._inputs), "input")
            tensor = index_or_tensor
        else:
            idx = self._check_index(index_or_tensor, len(self._inputs), "input")
        if not isinstance(tensor, (Tensor, RemoteTensor)):
            raise TypeError(f"set_input_tensor expects a Tensor, got {type(tensor)}")
        self._table.ports[idx]._check_tensor(tensor)
        self._batched.pop(idx, None)
        self._inputs[idx] = tensor

    def set_output_tensor(self, index_or_tensor: Any, tensor: Tensor | None = None) -> None:
        """``set_output_tensor(tensor)`` for a one-output model, or ``(index, tensor)``:
        results are written into ``tensor``."""
        if tensor is None:
            idx = self._single(len(self._outputs), "output")
            tensor = index_or_tensor
        else:
            idx = self._check_index(index_or_tensor, len(self._outputs), "output")
        if not isinstance(tensor, (Tensor, RemoteTensor)):
            raise TypeError(f"set_output_tensor expects a Tensor, got {type(tensor)}")
        port = self._out_table.ports[idx]
        et = port.get_element_type()
        if et.is_static() and tensor.get_element_type() != et:
            raise RuntimeError(f"Output {idx} holds {et.get_type_name()}, got a tensor of "
                               f"{tensor.get_element_type().get_type_name()}")
        self._user_outputs[idx] = tensor
        self._held.pop(idx, None)
        self._outputs[idx] = tensor

    def set_input_tensors(self, tensors: Any) -> None:
        """``{index: Tensor}`` sets several inputs; ``[Tensor, ...]`` sets the batch of a
        one-input model one item per tensor."""
        if isinstance(tensors, dict):
            for idx, t in tensors.items():
                self.set_input_tensor(idx, t)
            return
        if len(self._inputs) != 1:
            raise RuntimeError("set_input_tensors(tensors) must be used for single-input "
                               f"models only. Model has {len(self._inputs)} inputs")
        self._set_batched(0, tensors)

    def set_output_tensors(self, tensors: dict[int, Tensor]) -> None:
        """``{index: Tensor}``: outputs written into the given tensors."""
        for idx, t in tensors.items():
            self.set_output_tensor(idx, t)

    def _set_batched(self, idx: int, tensors: Any) -> None:
        """Input ``idx`` takes its batch from ``tensors``, one item (batch 1) each.

        As in OpenVINO, the input needs a layout whose ``N`` is its first dimension, as many
        tensors as its (static) batch, and tensors of one element type and shape."""
        if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
            raise TypeError("set_tensors/set_input_tensors expects a list of Tensors, got "
                            f"{type(tensors).__name__}")
        tensors = list(tensors)
        port = self._table.ports[idx]
        if not tensors:
            raise RuntimeError("set_input_tensors/set_tensors can't be called with empty "
                               f"tensors (the {port.describe()})")
        for t in tensors:
            if not isinstance(t, Tensor):
                raise TypeError("set_tensors/set_input_tensors expects Tensors, got "
                                f"{type(t).__name__} (the {port.describe()})")
        if len(tensors) == 1:
            self.set_input_tensor(idx, tensors[0])
            return
        layout = get_layout(port.port)
        if not has_batch(layout):
            raise RuntimeError("set_input_tensors/set_tensors can be used only for inputs with "
                               "N(batch) dimension 'layout' defined. Current layout is "
                               f"{layout.to_string()} (the {port.describe()})")
        batch_index = batch_idx(layout)
        ps = port.port.get_partial_shape()
        if batch_index < 0 and ps.rank.is_static:
            batch_index += ps.rank.get_length()
        if batch_index != 0:
            raise RuntimeError("set_input_tensors/set_tensors is not currently supported for "
                               f"batch dimension index {batch_index} != 0 "
                               f"(the {port.describe()})")
        first = tensors[0]
        for t in tensors:
            if not t._shape or t._shape[0] != 1:
                provided = t._shape[0] if t._shape else "a scalar"
                raise RuntimeError("set_input_tensors/set_tensors. Tensors shall represent one "
                                   f"item in a batch, {provided} provided "
                                   f"(the {port.describe()})")
            if t._shape != first._shape or t._type != first._type:
                raise RuntimeError("set_input_tensors/set_tensors error. Tensor with element "
                                   f"type {t._type.get_type_name()} and shape "
                                   f"{list(t._shape)} is not compatible with the tensor with "
                                   f"element type {first._type.get_type_name()} and shape "
                                   f"{list(first._shape)} (the {port.describe()})")
        if ps.rank.is_static and ps.rank.get_length() > 0 and ps[0].is_static \
                and ps[0].get_length() != len(tensors):
            raise RuntimeError(f"set_input_tensors/set_tensors error. Input shape {ps} batch "
                               f"{ps[0].get_length()} doesn't match with total blobs count: "
                               f"{len(tensors)} (the {port.describe()})")
        if not port.dynamic_type and first._type != port.element_type:
            raise RuntimeError(f"The {port.describe()} cannot take a tensor of "
                               f"{first._type.get_type_name()}")
        port.check_shape((len(tensors),) + tuple(first._shape[1:]))
        self._batched[idx] = tensors

    # --- profiling and state ------------------------------------------------------------------
    def get_profiling_info(self) -> list:
        """Per-node timings of the last run when the model was compiled with
        ``PERF_COUNT`` (``props.enable_profiling``); before the first run, or without
        ``PERF_COUNT``, every node of the runtime model as ``NOT_RUN`` with zero times (as
        OpenVINO lists them)."""
        if self._ran and self._compiled_model._perf_count():
            return list(self._request.get_profiling_info())
        return not_run_records(self._compiled_model.get_runtime_model().get_ordered_ops())

    profiling_info = property(get_profiling_info)

    def query_state(self) -> list[VariableState]:
        """The variables of a stateful model, each with ``name``, ``state`` and ``reset()``."""
        return list(self._request.query_state())

    def reset_state(self) -> None:
        """Reset every variable to its initial value."""
        for state in self._request.query_state():
            state.reset()

    def __repr__(self) -> str:
        return (f"<InferRequest: inputs[{len(self._inputs)}] outputs[{len(self._outputs)}] "
                f"on {self._compiled_model._device_name}>")
