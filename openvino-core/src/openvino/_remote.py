"""``RemoteContext`` and ``RemoteTensor``: memory on a device, as OpenVINO's Python API
shows it (``Core.get_default_context("GPU")``, ``context.create_tensor(type, shape, {})``).

Both are interfaces a device implements by subclassing (the GPU device's context holds its
OpenCL context, its tensors OpenCL buffers). A ``RemoteTensor`` is not a host ``Tensor``:
its data stays on the device (``data`` is not available), ``copy_to``/``copy_from`` move it
to and from host tensors or other remote tensors, and an infer request takes it as an input
(``set_input_tensor``, ``set_tensor`` or a value of ``infer``) for the device that made it
to use without a host copy.
"""

from __future__ import annotations

from typing import Any

from ._tensor import Tensor
from ._type import Type

__all__ = ["RemoteContext", "RemoteTensor"]


def _not_implemented(what: str, device: str) -> RuntimeError:
    return RuntimeError(f"Not Implemented: {what} is not supported by {device} plugin!")


class RemoteTensor:
    """A tensor in device memory. Subclasses implement ``get_params``,
    ``_copy_to_host(tensor)``, ``_copy_from_host(tensor)`` and, for device-to-device copies,
    ``_copy_to_remote(other)``."""

    def __init__(self, element_type: Any, shape: Any, device_name: str) -> None:
        self._type = element_type if isinstance(element_type, Type) else Type(element_type)
        self._shape = tuple(int(d) for d in shape)
        self._device_name = device_name

    # --- what OpenVINO's RemoteTensor offers -----------------------------------------------
    def get_device_name(self) -> str:
        """The device the memory is on (``"GPU.0"``)."""
        return self._device_name

    def get_params(self) -> dict[str, Any]:
        """Device-specific parameters (memory handles, shared context)."""
        return {}

    def get_shape(self) -> Any:
        from ._shape import Shape

        return Shape(list(self._shape))

    def get_element_type(self) -> Type:
        return self._type

    def get_size(self) -> int:
        n = 1
        for d in self._shape:
            n *= d
        return n

    def get_byte_size(self) -> int:
        return (self.get_size() * self._type.bitwidth + 7) // 8

    @property
    def data(self) -> Any:
        raise RuntimeError("This property is not implemented: a RemoteTensor's data stays on "
                           "the device; copy_to a host Tensor to read it")

    @property
    def bytes_data(self) -> Any:
        raise RuntimeError("This property is not implemented.")

    @property
    def str_data(self) -> Any:
        raise RuntimeError("This property is not implemented.")

    def copy_to(self, target_tensor: Any) -> None:
        """Copy this tensor's data into ``target_tensor`` (a host ``Tensor`` of the same
        element type and shape, or another ``RemoteTensor``)."""
        self._check_peer(target_tensor, "copy_to")
        if isinstance(target_tensor, RemoteTensor):
            self._copy_to_remote(target_tensor)
        else:
            self._copy_to_host(target_tensor)

    def copy_from(self, source_tensor: Any) -> None:
        """Copy ``source_tensor`` (a host ``Tensor`` or a ``RemoteTensor``) into this one."""
        self._check_peer(source_tensor, "copy_from")
        if isinstance(source_tensor, RemoteTensor):
            source_tensor._copy_to_remote(self)
        else:
            self._copy_from_host(source_tensor)

    # --- for devices ---------------------------------------------------------------------------
    def _copy_to_host(self, tensor: Tensor) -> None:
        raise _not_implemented("copy_to", self._device_name)

    def _copy_from_host(self, tensor: Tensor) -> None:
        raise _not_implemented("copy_from", self._device_name)

    def _copy_to_remote(self, other: RemoteTensor) -> None:
        raise _not_implemented("copy between remote tensors", self._device_name)

    def _check_peer(self, other: Any, what: str) -> None:
        if not isinstance(other, (Tensor, RemoteTensor)):
            raise TypeError(f"{what} expects a Tensor or RemoteTensor, got {type(other)}")
        if other.get_element_type() != self._type:
            raise RuntimeError(f"Tensor element types are not equal. ({what}: "
                               f"{self._type.get_type_name()} and "
                               f"{other.get_element_type().get_type_name()})")
        if tuple(other.get_shape()) != self._shape:
            raise RuntimeError(f"Tensor shapes are not equal. ({what}: {list(self._shape)} "
                               f"and {list(other.get_shape())})")

    def __repr__(self) -> str:
        return (f"<RemoteTensor: {self._device_name} {self._type.get_type_name()}"
                f"{list(self._shape)}>")


class RemoteContext:
    """A device's memory context. Subclasses implement ``create_tensor`` and
    ``get_params``; ``create_host_tensor`` gives an ordinary host ``Tensor``."""

    def __init__(self, device_name: str) -> None:
        self._device_name = device_name

    def get_device_name(self) -> str:
        return self._device_name

    def get_params(self) -> dict[str, Any]:
        return {}

    def create_tensor(self, type: Any, shape: Any, properties: dict[str, Any]) -> RemoteTensor:
        """A new tensor in this context's device memory."""
        raise _not_implemented("create_tensor", self._device_name)

    def create_host_tensor(self, type: Any, shape: Any) -> Tensor:
        """A host tensor suitable for this device (here: an ordinary ``Tensor``)."""
        return Tensor(type if isinstance(type, Type) else Type(type), shape)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self._device_name}>"
