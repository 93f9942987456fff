"""Constant: a value baked into the model."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import PartialShape, Shape
from .._tensor import Tensor
from .._type import Type

__all__ = ["Constant"]


class Constant(Node):
    """A constant tensor.

    ``Constant(array, shared_memory=False)``, ``Constant(tensor, shared_memory=False)``,
    ``Constant(type, shape, values)`` (values broadcast when a single one is given).
    """

    type_name = "Constant"
    ir_type_name = "Const"
    version = "opset1"
    attributes = {"element_type": Attr.type(), "shape": Attr.shape()}

    def __init__(self, *args: Any, shared_memory: bool = False, name: str | None = None,
                 **kwargs: Any) -> None:
        if "array" in kwargs:
            args = (kwargs.pop("array"),) + args
        if "tensor" in kwargs:
            args = (kwargs.pop("tensor"),) + args
        if kwargs:
            raise TypeError(f"Constant got unexpected arguments {sorted(kwargs)}")
        tensor = self._make_tensor(args, shared_memory)
        self._init_node(())
        self._set_tensor(tensor)
        if name:
            self._friendly_name = name

    @staticmethod
    def _make_tensor(args: tuple, shared: bool) -> Tensor:
        if len(args) == 1:
            v = args[0]
            if isinstance(v, Tensor):
                if shared:
                    return v
                return v.__deepcopy__(None)
            if isinstance(v, np.ndarray):
                if shared and not v.flags.c_contiguous:
                    raise RuntimeError("SHARED MEMORY MODE FOR THIS CONSTANT IS NOT APPLICABLE! "
                                       "Passed numpy array must be C contiguous.")
                return Tensor(v, shared_memory=shared)
            if isinstance(v, (bool, np.bool_)):
                return Tensor(np.array(v, dtype=np.bool_))
            if isinstance(v, (int, np.integer)) and not isinstance(v, np.generic):
                return Tensor(np.array(v, dtype=np.int64 if abs(v) >= 2**31 else np.int32))
            if isinstance(v, float):
                return Tensor(np.array(v, dtype=np.float32))
            arr = np.asarray(v)
            if arr.dtype == np.float64 and not isinstance(v, np.ndarray):
                arr = arr.astype(np.float32)
            if arr.dtype == np.int64 and not isinstance(v, (np.ndarray, np.generic)):
                if arr.size and np.abs(arr).max() < 2**31:
                    arr = arr.astype(np.int32)
            return Tensor(arr)
        if len(args) == 3:
            et = args[0] if isinstance(args[0], Type) else Type(args[0])
            shape = tuple(Shape(args[1]))
            values = np.asarray(args[2])
            ev = et.evaluation_dtype
            if values.size == 1:
                values = np.full(shape, values.reshape(-1)[0], dtype=ev)
            elif values.size != int(np.prod(shape, dtype=np.int64)):
                raise RuntimeError(f"Constant of shape {list(shape)} needs "
                                   f"{int(np.prod(shape))} values, got {values.size}")
            return Tensor._from_evaluation(values.astype(ev).reshape(shape), et)
        raise TypeError("Constant expects an array, a Tensor, or (type, shape, values)")

    @classmethod
    def _from_tensor(cls, tensor: Tensor, name: str | None = None) -> Constant:
        node = cls.__new__(cls)
        node._init_node(())
        node._set_tensor(tensor)
        if name:
            node._friendly_name = name
        return node

    @classmethod
    def _from_ir_tensor(cls, tensor: Tensor, name: str) -> Constant:
        """``_from_tensor`` for the IR reader, whose tensors' shapes are tuples of
        non-negative ``int``s: the same node, its shape attribute made without checking the
        dimensions."""
        node = cls.__new__(cls)
        attrs = {"element_type": tensor._type, "shape": PartialShape._static(tensor._shape)}
        node._init_node((), name or None, attrs)
        node._tensor = tensor
        node._evaluation = None
        node.validate_and_infer_types()
        return node

    def _set_tensor(self, tensor: Tensor) -> None:
        self._tensor = tensor
        self._evaluation: np.ndarray | None = None
        self._attrs = {"element_type": tensor._type, "shape": PartialShape(list(tensor._shape))}
        self.validate_and_infer_types()

    def _copy_state_from(self, other: Node) -> None:
        super()._copy_state_from(other)
        self._tensor = other._tensor
        self._evaluation = other._evaluation

    def validate_and_infer_types(self) -> None:
        tensor = self._tensor
        self.set_output_type(0, tensor._type, PartialShape(tensor._shape))

    def reference(self) -> np.ndarray:
        return self.get_evaluation_data()

    # --- values ---------------------------------------------------------------------------
    def get_evaluation_data(self) -> np.ndarray:
        """The value in evaluation form (unpacked, decoded); computed once."""
        if self._evaluation is None:
            self._evaluation = self._tensor._to_evaluation()
        return self._evaluation

    def get_tensor_view(self) -> Tensor:
        return self._tensor

    def get_data(self, *, dtype: Any = None, copy: bool = False) -> np.ndarray:
        data = self.data
        if dtype is not None:
            return data.astype(dtype)
        return data.copy() if copy else data

    @property
    def data(self) -> np.ndarray:
        tensor = self._tensor
        return tensor._bytes() if tensor.get_element_type() == Type.string else tensor._data

    def get_vector(self) -> list:
        return self.get_evaluation_data().reshape(-1).tolist()

    def get_value_strings(self) -> list[str]:
        return [str(v) for v in self.get_vector()]

    def get_byte_size(self) -> int:
        return self._tensor.byte_size


@factory("constant", since=1, until=13)
def constant(value: Any, dtype: Any = None, name: str | None = None,
             *, shared_memory: bool = False) -> Constant:
    """A constant node from a numpy array, a scalar, a list or a ``Tensor``."""
    if value is None:
        raise ValueError("Cannot create an empty Constant. Please provide valid data.")
    return _constant(value, dtype, name, shared_memory)


@factory("constant", since=13)
def constant13(value: Any, dtype: Any = None, name: str | None = None,
               *, shared_memory: bool = False) -> Constant:
    """A constant node from a numpy array, a scalar, a list or a ``Tensor``."""
    if value is None:  # opset13's factory has no form taking None
        raise TypeError("The necessary overload for constant was not found")
    return _constant(value, dtype, name, shared_memory)


def _constant(value: Any, dtype: Any, name: str | None, shared_memory: bool) -> Constant:
    if dtype is not None and not isinstance(value, Tensor):
        et = dtype if isinstance(dtype, Type) else Type(dtype)
        arr = np.asarray(value)
        if et.is_packed or et.type_name in ("bf16", "f8e4m3", "f8e5m2", "f8e8m0", "f8e4m3fnuz",
                                            "f8e5m2fnuz"):
            node = Constant(et, Shape(arr.shape), arr)
        else:
            node = Constant(arr.astype(et.to_dtype()), shared_memory=shared_memory)
    else:
        node = Constant(value, shared_memory=shared_memory)
    if name:
        node.set_friendly_name(name)
    return node


# the class path the binding gives it (``openvino._pyopenvino.op.Constant``), which messages
# and reprs show: ``<class 'openvino._pyopenvino.op.Constant'>``
Constant.__module__ = "openvino._pyopenvino.op"
