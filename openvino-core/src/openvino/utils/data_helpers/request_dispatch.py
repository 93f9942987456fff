"""``_data_dispatch``: OpenVINO's input dispatcher applied to a request.

``InferRequest.infer`` binds its inputs through ``InputTable`` (``data_dispatcher``); code
written for OpenVINO may call the dispatcher itself
(``openvino.utils.data_helpers._data_dispatch``) and rely on what it does: in the copied
mode arrays are written into the request's own input tensors (and the call gives ``{}`` for
them), in the shared mode arrays become tensors over their memory where the type allows;
Tensors, lists, scalars and strings become tensors to pass on.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from openvino._node import ConstOutput
from openvino._tensor import Tensor
from openvino._type import Type
from openvino.utils.data_helpers.data_dispatcher import plain_values
from openvino.utils.data_helpers.ovdict import OVDict

__all__ = ["_data_dispatch"]

def _request_tensor(request: Any, key: Any) -> Tensor:
    if key is None:
        return request.get_input_tensor()
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        return request.get_input_tensor(int(key))
    if isinstance(key, (str, ConstOutput)):
        return request.get_tensor(key)
    raise TypeError(f"Unsupported key type: {type(key)} for Tensor under key: {key}")


def _set_request_tensor(request: Any, key: Any, tensor: Tensor) -> None:
    if key is None:
        request.set_input_tensor(tensor)
    elif isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        request.set_input_tensor(int(key), tensor)
    elif isinstance(key, (str, ConstOutput)):
        request.set_tensor(key, tensor)
    else:
        raise TypeError(f"Unsupported key type: {type(key)} for Tensor under key: {key}")


def _as_array(value: Any, share: bool) -> Any:
    """An ``__array__`` object as an ndarray (its memory when sharing, a copy otherwise);
    a shared ndarray C-contiguous (copied if it is not); anything else unchanged."""
    if not isinstance(value, np.ndarray):
        if not hasattr(value, "__array__"):
            return value
        if not share:
            return np.array(value, copy=True)
        value = np.asarray(value)
    if share and not value.flags.c_contiguous:
        return np.ascontiguousarray(value)
    return value


def _storage_dtype(element_type: Type) -> Any:
    return None if element_type.is_dynamic() or element_type is Type.string \
        else np.dtype(element_type.to_dtype())


def _value_tensor(value: Any, request: Any, share: bool, key: Any) -> Tensor:
    """The tensor one input value becomes (OpenVINO's rules for each kind of value)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, list):
        return Tensor(value)
    if isinstance(value, np.ndarray):
        target = _request_tensor(request, key)
        et = target.get_element_type()
        if et is Type.string:
            return Tensor(value)
        dtype = _storage_dtype(et)
        if dtype is None:
            return Tensor(value, shared_memory=share and value.flags.c_contiguous)
        if value.ndim == 0:
            if value.dtype == dtype and target._shape == ():
                return Tensor(value, shared_memory=share)
            shape = (1,) if target.get_size() == 0 else target._shape
            return Tensor(value.astype(dtype).reshape(shape))
        if et is Type.bf16:  # a float16 array is bf16's storage view: its bits, copied
            return Tensor._wrap(np.array(value.view(dtype), order="C", copy=True), et,
                                value.shape)
        if value.dtype != dtype or not value.flags.writeable:
            return Tensor(value.astype(dtype, order="C"))
        return Tensor(value, shared_memory=share)
    if isinstance(value, (np.number, int, float, str, bytes)):
        et = _request_tensor(request, key).get_element_type()
        array = np.array(value)
        dtype = _storage_dtype(et)
        if et is not Type.string and dtype is not None and array.dtype != dtype:
            array = array.astype(dtype)
        return Tensor(array)
    raise TypeError(f"Incompatible inputs of type: {type(value)}")


def _copy_into_request(value: Any, request: Any, key: Any) -> None:
    """The copied mode for an array: written into the request's tensor (reshaped to it);
    a 0-d array or scalar gets a new tensor instead."""
    if isinstance(value, np.ndarray) and value.ndim != 0:
        target = _request_tensor(request, key)
        if target._shape != value.shape:
            target.set_shape(value.shape)
        if target.get_element_type() is Type.string:
            target.bytes_data = value
        else:
            target._data[...] = value
        return
    _set_request_tensor(request, key, _value_tensor(value, request, False, key))


def _entries(inputs: Any, request: Any) -> dict:
    """The (key, value) pairs of a container of inputs."""
    if type(inputs) is list and len(request.model_inputs) == 1 and plain_values(inputs):
        return {0: inputs}  # a plain list is the one input's data
    if isinstance(inputs, OVDict):
        return dict(enumerate(inputs.to_tuple()))
    if isinstance(inputs, dict):
        return dict(inputs)
    return dict(enumerate(inputs))


def _data_dispatch(request: Any, inputs: Any = None, is_shared: bool = False) -> Any:
    """OpenVINO's input dispatcher on ``request``: the tensors to run with (a ``Tensor`` for
    one value, a dict for a container: ``{}`` for arrays copied into the request's own
    tensors). See the comment above for the rules."""
    if inputs is None:
        return {}
    if isinstance(inputs, (dict, list, tuple, OVDict)):
        entries = _entries(inputs, request)
        if is_shared:
            return {key: _value_tensor(_as_array(value, True), request, True, key)
                    for key, value in entries.items()}
        passed = {}
        for key, value in entries.items():
            if not isinstance(key, (str, int, ConstOutput)):
                raise TypeError(f"Incompatible key type for input: {key}")
            if isinstance(value, (np.ndarray, np.number, int, float, str)) \
                    or hasattr(value, "__array__") and not isinstance(value, Tensor):
                _copy_into_request(_as_array(value, False), request, key)
            elif isinstance(value, (list, Tensor)):
                passed[key] = _value_tensor(value, request, False, key)
            else:
                raise TypeError(f"Incompatible inputs of type: {type(value)} under {key} key!")
        return passed
    if isinstance(inputs, (Tensor, np.number, int, float, str, bytes)):
        return _value_tensor(inputs, request, is_shared, None)
    if isinstance(inputs, np.ndarray) or hasattr(inputs, "__array__"):
        array = _as_array(inputs, is_shared)
        if is_shared:
            return _value_tensor(array, request, True, None)
        _copy_into_request(array, request, None)
        return {}
    raise TypeError(f"Incompatible inputs of type: {type(inputs)}")
