"""``DeviceInferRequest`` and ``VariableState``: running a compiled model synchronously."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from openvino._tensor import Tensor

if TYPE_CHECKING:
    from openvino._profiling import ProfilingInfo
    from openvino._variable import VariableInfo
    from openvino.plugin.compiled_model import DeviceCompiledModel

__all__ = ["DeviceInferRequest", "VariableState", "DictVariableState", "request_variables"]


class DeviceInferRequest:
    """One synchronous request of a :class:`DeviceCompiledModel`.

    The core calls :meth:`infer` from at most one thread at a time per request (different
    requests of one compiled model may run at once in different threads), without holding
    any lock of its own: release the GIL in long native work to let Python threads run.
    Async inference, callbacks and queues are the core's business, not the device's.
    """

    def __init__(self, compiled_model: DeviceCompiledModel) -> None:
        self.compiled_model = compiled_model

    def infer(self, inputs: Sequence[Tensor]) -> list[Tensor]:
        """Run once.

        ``inputs`` holds one ``Tensor`` per compiled-model input, in order, already checked
        by the core against the input's element type and partial shape. Do not keep
        references to them past the call (the user may reuse the memory). Return a list
        with one ``openvino.Tensor`` per output, in output order, of the output's element
        type and a shape its partial shape allows: the core checks that
        (:class:`openvino.plugin.OutputCheck`) and raises ``RuntimeError`` naming the
        output otherwise. It copies out of them unless the user asked to share outputs,
        so they may live in buffers the next ``infer`` overwrites.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement infer")

    def infer_into(self, inputs: Sequence[Tensor], remote_outputs: dict[int, Any]
                   ) -> list[Any]:
        """Run once, writing the outputs of ``remote_outputs`` (``{output index:
        RemoteTensor}``, set by the user with ``set_output_tensor``) into those remote
        tensors; return the outputs as :meth:`infer` does, with each such remote tensor
        itself at its index. The default runs :meth:`infer` and copies those outputs in
        (``copy_from``); a device override writes its own remote tensors on the device,
        with no host copy."""
        outputs = list(self.infer(inputs))
        for idx, target in remote_outputs.items():
            target.copy_from(outputs[idx])
            outputs[idx] = target
        return outputs

    def get_profiling_info(self) -> list[ProfilingInfo]:
        """Per-node timings of the last ``infer`` (when the compiled model was built with
        ``PERF_COUNT``); ``[]`` otherwise."""
        return []

    def query_state(self) -> list[VariableState]:
        """The variables of a stateful model, one :class:`VariableState` each."""
        return []

    def cancel(self) -> None:
        """Ask a running ``infer`` to stop early (optional); the core already drops jobs
        that have not started."""


class VariableState:
    """A variable of a stateful model as a request holds it (``query_state()`` items)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def get_name(self) -> str:
        return self._name

    name = property(get_name)

    def get_state(self) -> Tensor:
        """The variable's current value."""
        raise NotImplementedError

    def set_state(self, tensor: Tensor) -> None:
        """Replace the variable's value (the next inference reads it)."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget the value: the next inference starts from the variable's initial value."""
        raise NotImplementedError

    state = property(lambda self: self.get_state(), lambda self, t: self.set_state(t))

    def __repr__(self) -> str:
        return f"<VariableState: '{self._name}'>"


class DictVariableState(VariableState):
    """A variable kept as an evaluation-form numpy array in ``values[name]`` (the form
    ``openvino._reference_executor.ReferencePlan.run`` reads and writes); absent means
    "initial value"."""

    def __init__(self, info: VariableInfo, values: dict[str, np.ndarray]) -> None:
        super().__init__(info.variable_id)
        self._info = info
        self._values = values

    def get_state(self) -> Tensor:
        value = self._values.get(self._name)
        element_type = self._info.data_type
        if value is None:
            shape = self._info.data_shape
            if element_type.is_dynamic() or shape.is_dynamic:
                return Tensor(element_type if element_type.is_static() else "f32", [0])
            return Tensor(element_type, shape.to_shape())
        return Tensor._from_evaluation(value, element_type if element_type.is_static()
                                       else _type_of(value))

    def set_state(self, tensor: Any) -> None:
        if not isinstance(tensor, Tensor):
            tensor = Tensor(np.asarray(tensor))
        element_type = self._info.data_type
        if element_type.is_static() and tensor.element_type != element_type:
            raise RuntimeError(f"Variable '{self._name}' holds {element_type.get_type_name()}, "
                               f"got a tensor "
                               f"of {tensor.element_type.get_type_name()}")
        if not self._info.data_shape._compatible(tensor.get_shape()):
            raise RuntimeError(f"Variable '{self._name}' has shape {self._info.data_shape}, "
                               f"got a tensor of shape {tensor.get_shape()}")
        self._values[self._name] = np.array(tensor._to_evaluation(), copy=True)

    def reset(self) -> None:
        self._values.pop(self._name, None)


def _type_of(value: np.ndarray) -> Any:
    from openvino._type import Type

    return Type(value.dtype)


def request_variables(model: Any) -> list[Any]:
    """The variables a request of ``model`` holds, as OpenVINO's ``query_state`` lists them:
    the model's own, then those of the bodies of its control flow ops (If, Loop,
    TensorIterator, at any depth), each variable id once. A body's variables are not the
    model's (``model.get_variables()`` leaves them out) but live in the request all the same,
    from one inference to the next."""
    found: list[Any] = []
    seen: set[str] = set()

    def visit(m: Any) -> None:
        for var in m.get_variables():
            vid = var.get_info().variable_id
            if vid not in seen:
                seen.add(vid)
                found.append(var)
        for node in m.get_ordered_ops():
            for body in getattr(node, "_bodies", ()) or ():
                if body is not None:
                    visit(body)

    visit(model)
    return found
