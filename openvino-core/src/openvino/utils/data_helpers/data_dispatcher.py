"""Turning what users pass to ``infer`` into one input ``Tensor`` per model input.

``InputTable`` is built once per compiled model: for each input it keeps the element type,
the numpy dtype, a fast shape check and every key that may name it (index, tensor names,
the compiled port, the user's original Parameter), so a call only does dict lookups and
the one copy the user did not opt out of.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from openvino import _encoding
from openvino._node import ConstOutput, Node
from openvino._remote import RemoteTensor
from openvino._tensor import Tensor
from openvino._type import Type
from openvino.utils.data_helpers.ovdict import OVDict

__all__ = ["InputTable", "InputPort", "plain_values"]

_ndarray = np.ndarray
_new_tensor = Tensor.__new__
_SCALARS = (int, float, bool, complex, np.generic)
_PLAIN = (str, bytes, int, float)


def _unbounded(max_length: int) -> int | float:
    """An upper bound to compare with (``-1`` means no bound)."""
    return float("inf") if max_length < 0 else max_length


def plain_values(values: list) -> bool:
    """Whether a list holds only plain values (str, bytes, int, float) or lists of them:
    OpenVINO's test for one input's data, as against one value per input."""
    for item in values:
        if isinstance(item, list):
            if not all(isinstance(v, _PLAIN) for v in item):
                return False
        elif not isinstance(item, _PLAIN):
            return False
    return True


class InputPort:
    """One compiled-model input: what it accepts and how data becomes its tensor."""

    __slots__ = ("index", "port", "label", "element_type", "dtype", "static_shape", "bounds",
                 "special", "dynamic_type")

    def __init__(self, index: int, port: ConstOutput) -> None:
        self.index = index
        self.port = port
        names = sorted(port.get_names())
        self.label = names[0] if names else port.get_node().get_friendly_name()
        et = port.get_element_type()
        self.element_type = et
        self.dynamic_type = et.is_dynamic()
        name = et.get_type_name()
        self.special = et.is_packed or name in ("bf16", "f8e4m3", "f8e5m2", "f8e8m0",
                                                    "f8e4m3fnuz", "f8e5m2fnuz", "nf4", "string")
        self.dtype = None if self.dynamic_type or self.special else np.dtype(et.to_dtype())
        ps = port.get_partial_shape()
        self.static_shape = tuple(ps.to_shape()) if ps.is_static else None
        if ps.rank.is_dynamic:
            self.bounds = None
        else:
            self.bounds = tuple((d.get_min_length(), _unbounded(d.get_max_length()))
                                for d in ps)

    def describe(self) -> str:
        return (f"input '{self.label}' "
                f"({self.element_type.get_type_name()}{self.port.get_partial_shape()})")

    def check_shape(self, shape: tuple[int, ...]) -> None:
        """``RuntimeError`` unless ``shape`` fits this input's partial shape."""
        if shape == self.static_shape:
            return
        bounds = self.bounds
        if bounds is None:
            return
        if len(shape) == len(bounds) and all(lo <= d <= hi for d, (lo, hi) in zip(shape, bounds)):
            return
        raise RuntimeError(f"The {self.describe()} cannot take data of shape {list(shape)}: "
                           f"expected {self.port.get_partial_shape()}")

    def tensor(self, value: Any, share: bool) -> Tensor:
        """The tensor this input gets for ``value`` (copied unless ``share`` allows not)."""
        if type(value) is _ndarray:
            dtype = self.dtype
            if value.dtype == dtype and value.shape == self.static_shape:
                if not (share and value.flags.c_contiguous and value.flags.writeable):
                    value = value.copy()
                return Tensor._wrap(value, self.element_type, value.shape)
            return self._from_array(value, share)
        if isinstance(value, (Tensor, RemoteTensor)):  # a RemoteTensor goes to its device
            self._check_tensor(value)
            return value
        if isinstance(value, _ndarray):
            return self._from_array(np.asarray(value), share)
        if isinstance(value, _SCALARS):
            return self._from_array(self._scalar_array(value), False)
        if isinstance(value, (str, bytes)) and self.element_type is Type.string:
            return self._from_array(np.array(value), False)
        if hasattr(value, "__array__") or isinstance(value, (list, tuple)):
            try:
                array = np.asarray(value)
            except Exception as exc:
                raise TypeError(f"Incompatible inputs of type: {type(value)} for "
                                f"{self.describe()}: {exc}") from None
            return self._from_array(array, False)
        raise TypeError(f"Incompatible inputs of type: {type(value)} for {self.describe()}")

    # --- slow paths ----------------------------------------------------------------------
    def _scalar_array(self, value: Any) -> np.ndarray:
        if self.dtype is not None and not isinstance(value, np.generic):
            return np.array(value, dtype=self.dtype)
        return np.array(value)

    def _from_array(self, array: np.ndarray, share: bool) -> Tensor:
        self.check_shape(array.shape)
        et = self.element_type
        kind = array.dtype.kind
        if self.dynamic_type:
            return Tensor(array, shared_memory=share and array.flags.c_contiguous
                          and array.flags.writeable and kind not in "SUO")
        if et is Type.string:
            if kind not in "SUO":
                raise TypeError(f"Incompatible inputs of type: numpy {array.dtype} array for "
                                f"the string {self.describe()}")
            return Tensor(array)
        if kind in "SUO":
            raise TypeError(f"Incompatible inputs of type: numpy {array.dtype} array for "
                            f"{self.describe()}")
        if self.special:
            if et is Type.bf16 and array.dtype == np.float16:
                # a float16 array is bf16's numpy view (Tensor.data of a bf16 tensor): its
                # bits are the bf16 values, as OpenVINO reads them, not float16 numbers
                if not (share and array.flags.c_contiguous and array.flags.writeable):
                    array = np.array(array, order="C", copy=True)
                return Tensor._wrap(array, et, array.shape)
            values = _encoding.cast_evaluation(array, et)
            return Tensor._from_evaluation(values, et)
        if array.dtype != self.dtype:
            return Tensor._wrap(array.astype(self.dtype, order="C"), et, array.shape)
        if share and array.flags.c_contiguous and array.flags.writeable:
            return Tensor._wrap(array, et, array.shape)
        return Tensor._wrap(np.array(array, order="C", copy=True), et, array.shape)

    def _check_tensor(self, tensor: Tensor) -> None:
        if not self.dynamic_type and tensor.get_element_type() != self.element_type:
            raise RuntimeError(f"The {self.describe()} cannot take a tensor of "
                               f"{tensor.get_element_type().get_type_name()}")
        self.check_shape(tensor._shape)


class InputTable:
    """The inputs of one compiled model and every key that names them."""

    __slots__ = ("ports", "by_key", "by_node", "count")

    def __init__(self, ports: Sequence[ConstOutput],
                 original_parameters: Sequence[Node] = ()) -> None:
        self.ports = [InputPort(i, p) for i, p in enumerate(ports)]
        self.count = len(self.ports)
        self.by_key: dict[Any, int] = {}
        for i, p in enumerate(ports):
            self.by_key[p] = i
            for name in p.get_names():
                self.by_key.setdefault(name, i)
        for i, p in enumerate(ports):
            self.by_key.setdefault(p.get_node().get_friendly_name(), i)
        self.by_node: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        for i, node in enumerate(original_parameters):
            self.by_node[node] = i

    def find_port(self, key: ConstOutput, by_names: bool = True) -> int | None:
        """The input a port names: a compiled input port, the port of a Parameter of the
        original model, or (``by_names``) a port sharing a tensor name with one input."""
        idx = self.by_key.get(key)
        if idx is not None:
            return idx
        idx = self.by_node.get(key.get_node())
        if idx is not None and key.get_index() == 0:
            return idx
        if by_names:
            names = key.get_names()
            if names:
                for p in self.ports:
                    if names & p.port.get_names():
                        return p.index
        return None

    def index_of(self, key: Any) -> int:
        """The input index a dict key names (int, tensor name, port, original Parameter
        output or node)."""
        if type(key) is int or isinstance(key, np.integer) and not isinstance(key, bool):
            if not 0 <= key < self.count:
                raise RuntimeError(f"Check 'index < inputs.size()' failed: the model has "
                                   f"{self.count} inputs, there is no input {int(key)}")
            return int(key)
        if isinstance(key, str):
            try:
                return self.by_key[key]
            except KeyError:
                raise RuntimeError(f"Check 'found_port.found()' failed: Port for tensor name "
                                   f"{key} was not found.") from None
        if isinstance(key, ConstOutput):
            idx = self.find_port(key)
            if idx is None:
                raise RuntimeError(f"Check 'found_port.found()' failed: {key} is not an "
                                   "input of this compiled model")
            return idx
        if isinstance(key, Node):
            idx = self.by_node.get(key)
            if idx is None:
                return self.index_of(ConstOutput(key, 0))
            return idx
        raise TypeError(f"Incompatible key type for input: {key}")

    def bind(self, tensors: list[Tensor | None], inputs: Any, share: bool) -> None:
        """Put the tensors for ``inputs`` (dict, list, tuple or one value) into ``tensors``."""
        ports = self.ports
        if type(inputs) is dict:
            count = self.count
            for key, value in inputs.items():
                idx = key if type(key) is int and 0 <= key < count else self.index_of(key)
                port = ports[idx]
                if (not share and type(value) is _ndarray and value.dtype == port.dtype
                        and value.shape == port.static_shape):
                    # the common case, inlined: a same-type array of the static shape, copied
                    t = _new_tensor(Tensor)
                    t._data = value.copy()
                    t._type = port.element_type
                    t._shape = value.shape
                    t._owner = None
                    tensors[idx] = t
                else:
                    tensors[idx] = port.tensor(value, share)
            return
        if isinstance(inputs, (list, tuple)):
            if self.count == 1 and type(inputs) is list and inputs and plain_values(inputs):
                # a list of plain values (str, bytes, int, float, or lists of them) given to
                # a one-input model is that input's data, as OpenVINO reads it
                tensors[0] = ports[0].tensor(inputs, share)
                return
            if len(inputs) > self.count:
                raise RuntimeError(f"The model has {self.count} inputs, {len(inputs)} values "
                                   "were given")
            for idx, value in enumerate(inputs):
                tensors[idx] = ports[idx].tensor(value, share)
            return
        if isinstance(inputs, OVDict):
            # results of another request: by position, as OpenVINO binds them
            self.bind(tensors, inputs.to_tuple(), share)
            return
        if isinstance(inputs, dict):
            self.bind(tensors, dict(inputs), share)
            return
        if isinstance(inputs, (Tensor, _ndarray, *_SCALARS)) or hasattr(inputs, "__array__"):
            if self.count != 1:
                raise RuntimeError("A single input value needs a model with exactly one input "
                                   f"(this one has {self.count}); pass a dict or a list")
            tensors[0] = ports[0].tensor(inputs, share)
            return
        raise TypeError(f"Incompatible inputs of type: {type(inputs)}")
