"""``openvino.utils.data_helpers._data_dispatch`` as OpenVINO's dispatcher: copied arrays
go into the request's own input tensors (``{}`` comes back), shared arrays become tensors
over their memory when the type allows, other values become tensors to pass on; and a
dynamic input's tensor from ``get_input_tensor`` can be filled in place before a run."""

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino.utils.data_helpers import _data_dispatch

DEVICE = "TEMPLATE"


def _request(shapes, element_type=np.float32):
    params = [ops.parameter(s, element_type, name=f"in{i}") for i, s in enumerate(shapes)]
    out = params[0] if len(params) == 1 else ops.add(params[0], params[1])
    model = ov.Model([ops.relu(out)], params)
    return ov.compile_model(model, DEVICE).create_infer_request()


def test_copied_array_goes_into_the_request_tensor():
    request = _request([[2, 2]])
    data = np.arange(4, dtype=np.float64).reshape(2, 2)  # converted to f32 on the way
    assert _data_dispatch(request, data, is_shared=False) == {}
    tensor = request.get_input_tensor(0)
    assert tensor.get_element_type() == ov.Type.f32
    assert tensor.data.tolist() == data.tolist()
    data[0, 0] = 9.0
    assert tensor.data[0, 0] == 0.0
    request.infer()
    assert request.get_output_tensor().data.tolist() == [[0.0, 1.0], [2.0, 3.0]]


def test_shared_array_keeps_its_memory_when_types_match():
    request = _request([[3]])
    same = np.ones(3, np.float32)
    tensor = _data_dispatch(request, same, is_shared=True)
    assert isinstance(tensor, ov.Tensor) and np.shares_memory(tensor.data, same)
    other = np.ones(3, np.float64)
    cast = _data_dispatch(request, other, is_shared=True)
    assert cast.get_element_type() == ov.Type.f32 and not np.shares_memory(cast.data, other)
    fortran = np.asfortranarray(np.ones((1, 3), np.float32))[0]
    assert _data_dispatch(request, fortran, is_shared=True).data.flags.c_contiguous


def test_containers_give_a_dict():
    request = _request([[2], [2]])
    a, b = np.ones(2, np.float32), np.full(2, 2.0, np.float32)
    shared = _data_dispatch(request, [a, b], is_shared=True)
    assert sorted(shared) == [0, 1] and np.shares_memory(shared[1].data, b)
    assert _data_dispatch(request, {"in0": a, 1: b}, is_shared=False) == {}
    assert request.get_input_tensor(1).data.tolist() == [2.0, 2.0]
    t = ov.Tensor(np.zeros(2, np.float32))
    passed = _data_dispatch(request, (t, [3.0, 4.0]), is_shared=False)
    assert passed[0] is t and passed[1].get_shape() == [2]
    with pytest.raises(TypeError, match="Incompatible inputs of type"):
        _data_dispatch(request, {0: object()}, is_shared=False)


def test_scalars_and_strings():
    request = _request([[1]])
    scalar = _data_dispatch(request, 2, is_shared=False)
    assert scalar.get_element_type() == ov.Type.f32 and scalar.get_shape() == []
    p = ops.parameter([-1], ov.Type.string)
    strings = ov.compile_model(ov.Model([ops.result(p)], [p]), DEVICE).create_infer_request()
    one = _data_dispatch(strings, "żółw", is_shared=True)
    assert one.get_shape() == [] and one.str_data.tolist() == "żółw"
    listed = _data_dispatch(strings, ["a", "bc"], is_shared=False)
    assert listed[0].str_data.tolist() == ["a", "bc"]
    assert _data_dispatch(strings, np.array([b"x", b"yz"]), is_shared=False) == {}
    assert strings.get_input_tensor().bytes_data.tolist() == [b"x", b"yz"]
    assert _data_dispatch(strings, None) == {}


def test_dynamic_input_tensor_filled_in_place():
    request = _request([[-1, 2]])
    tensor = request.get_input_tensor(0)
    assert tensor.get_shape() == [0, 2]
    tensor.shape = [1, 2]
    tensor.data[:] = [[-1.0, 5.0]]
    request.infer()
    assert request.get_output_tensor().data.tolist() == [[0.0, 5.0]]
    assert request.get_input_tensor(0).get_shape() == [1, 2]
