"""``OutputCheck``: what the core accepts from ``DeviceInferRequest.infer``.

The core does not trust a device's results: every ``infer`` must return a list (or tuple)
with one :class:`openvino.Tensor` per compiled-model output, in order, of the output's
element type and of a shape its partial shape allows. What can be worked out ahead of time
(names, expected element types, static shapes, dimension bounds) is worked out once per
compiled model; a call then costs a length check and, per output, an identity test of the
tensor's class, element type and shape tuple. A violation is a ``RuntimeError`` naming the
device, the output (index and tensor name) and what was expected, before the result
reaches the user.

Device authors can call ``OutputCheck(compiled_model.device_name, compiled_model.outputs)``
in their own tests to get the same messages without going through the core.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from openvino._remote import RemoteTensor
from openvino._tensor import Tensor

__all__ = ["OutputCheck"]


class _Expected:
    """One output: index, how to name it, element type (None: any) and shape rule."""

    __slots__ = ("index", "label", "element_type", "shape", "rank", "bounds", "shape_text")

    def __init__(self, index: int, port: Any) -> None:
        self.index = index
        names = sorted(port.get_names())
        node = port.get_node()
        if names:
            self.label = f"output {index} ('{names[0]}')"
        else:
            self.label = f"output {index} (Result '{node.get_friendly_name()}')"
        element_type = port.get_element_type()
        self.element_type = element_type if element_type.is_static() else None
        partial = port.get_partial_shape()
        self.shape_text = str(partial)
        #: a static output's dims as a tuple (compared as a whole), else None
        self.shape: tuple[int, ...] | None = None
        #: a dynamic output of static rank: its rank and ``(axis, min, max)`` per bounded dim
        self.rank: int | None = None
        self.bounds: tuple[tuple[int, int, int | None], ...] = ()
        if partial.is_static:
            self.shape = tuple(int(d) for d in partial.to_shape())
        elif partial.rank.is_static:
            self.rank = partial.rank.get_length()
            bounds = []
            for axis, dim in enumerate(partial):
                low = dim.get_min_length()
                high = dim.get_max_length() if dim.get_max_length() >= 0 else None
                if low > 0 or high is not None:
                    bounds.append((axis, low, high))
            self.bounds = tuple(bounds)

    def shape_fits(self, shape: tuple[int, ...]) -> bool:
        if self.shape is not None:
            return shape == self.shape
        if self.rank is None:
            return True
        if len(shape) != self.rank:
            return False
        for axis, low, high in self.bounds:
            if shape[axis] < low or (high is not None and shape[axis] > high):
                return False
        return True


class OutputCheck:
    """Checks the results of ``DeviceInferRequest.infer`` against the outputs of one
    compiled model (built once per compiled model; :meth:`__call__` per inference)."""

    __slots__ = ("device", "_expected", "_count", "_static")

    def __init__(self, device: str, outputs: Sequence[Any]) -> None:
        self.device = device
        self._expected = tuple(_Expected(i, port) for i, port in enumerate(outputs))
        self._count = len(self._expected)
        #: ``(element type, shape)`` per output when every output is fully static: the
        #: common case checked by identity alone
        self._static: tuple[tuple[Any, tuple[int, ...]], ...] | None = None
        if all(e.element_type is not None and e.shape is not None for e in self._expected):
            self._static = tuple((e.element_type, e.shape) for e in self._expected)

    def __call__(self, results: Any, remote: Collection[int] = ()) -> list[Tensor]:
        """``results`` as a list when they are what the outputs promise; else
        ``RuntimeError`` naming the first output that is wrong. ``remote``: indices of
        outputs the user set to a ``RemoteTensor`` (``DeviceInferRequest.infer_into``),
        where that remote tensor is accepted."""
        if type(results) is not list:
            if not isinstance(results, (list, tuple)):
                raise RuntimeError(
                    f"The {self.device} device returned {type(results).__name__} from infer, "
                    f"expected a list of {self._count} openvino.Tensor (one per output)")
            results = list(results)
        static = self._static
        if static is not None and len(results) == self._count:
            for tensor, (element_type, shape) in zip(results, static):
                if (type(tensor) is not Tensor or tensor._type is not element_type
                        or tensor._shape != shape):
                    break
            else:
                return results
        if len(results) != self._count:
            missing = ""
            if len(results) < self._count:
                missing = f"; {self._expected[len(results)].label} is missing"
            raise RuntimeError(
                f"The {self.device} device returned {len(results)} tensors from infer for a "
                f"compiled model with {self._count} outputs{missing}")
        for expected, tensor in zip(self._expected, results):
            if type(tensor) is not Tensor and not isinstance(tensor, Tensor) and not (
                    expected.index in remote and isinstance(tensor, RemoteTensor)):
                raise RuntimeError(
                    f"The {self.device} device returned {type(tensor).__module__}."
                    f"{type(tensor).__qualname__} for {expected.label}, expected an "
                    f"openvino.Tensor")
            element_type = expected.element_type
            if (element_type is not None and tensor._type is not element_type
                    and tensor._type != element_type):
                raise RuntimeError(
                    f"The {self.device} device returned a tensor of element type "
                    f"{tensor._type.get_type_name()} for {expected.label}, expected "
                    f"{element_type.get_type_name()}")
            shape = tensor._shape
            if shape != expected.shape and not expected.shape_fits(tuple(shape)):
                raise RuntimeError(
                    f"The {self.device} device returned a tensor of shape "
                    f"[{','.join(map(str, shape))}] for {expected.label}, expected "
                    f"{expected.shape_text}")
        return results

    def __repr__(self) -> str:
        return f"<OutputCheck {self.device}: {self._count} outputs>"
