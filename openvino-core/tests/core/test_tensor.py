import copy

import numpy as np
import pytest

import openvino as ov
from openvino import Tensor, Type
from openvino.helpers import pack_data, unpack_data


def test_tensor_copies_by_default_and_maps_dtypes():
    data = np.ones((2, 8))
    t = Tensor(data)
    assert t.element_type == Type.f64
    data[0, 0] = 5
    assert t.data[0, 0] == 1
    assert Tensor(np.ones((2, 8), dtype=np.int32)).element_type == Type.i32


def test_shared_memory_aliases_both_ways():
    data = np.ones((2, 8))
    t = Tensor(data, shared_memory=True)
    data[0][2] = 6.0
    assert t.data[0][2] == 6.0
    t.data[0][2] = 0.6
    assert data[0][2] == 0.6


def test_shared_memory_keeps_array_alive():
    import gc
    import sys

    arr = np.arange(10, dtype=np.float32)
    before = sys.getrefcount(arr)
    t = Tensor(arr, shared_memory=True)
    assert sys.getrefcount(arr) > before
    del arr
    gc.collect()
    assert t.data[3] == 3


def test_shared_memory_needs_contiguous():
    with pytest.raises(RuntimeError, match="SHARED MEMORY MODE FOR THIS TENSOR IS NOT APPLICABLE"):
        Tensor(np.ones((4, 4))[:, ::2], shared_memory=True)


def test_type_shape_constructor():
    t = Tensor(Type.f32, [2, 3])
    assert t.shape == [2, 3] and t.element_type == Type.f32 and t.data.dtype == np.float32
    assert Tensor(type=np.int64, shape=(4,)).element_type == Type.i64
    assert Tensor("float32", ov.Shape([1])).byte_size == 4
    t4 = Tensor(Type.u4, [3, 3])
    assert t4.byte_size == 5 and t4.data.nbytes == 5


def test_packed_buffer_constructor():
    values = np.array([1, 2, 3, 4, 5, 15, 0], dtype=np.uint8)
    packed = pack_data(values, Type.u4)
    t = Tensor(packed, [7], Type.u4)
    assert t.element_type == Type.u4 and t.byte_size == 4
    np.testing.assert_array_equal(unpack_data(t.data, t.element_type, t.shape), values)


def test_strides_size_and_bytes():
    t = Tensor(np.zeros((2, 3), dtype=np.float32))
    assert t.strides == [12, 4] and t.size == 6 and t.byte_size == 24
    with pytest.raises(RuntimeError, match="bitwidths less then 8 bit"):
        _ = Tensor(Type.u4, [4]).strides


def test_set_shape():
    t = Tensor(Type.f32, [2, 3])
    t.shape = [3, 2]
    assert list(t.shape) == [3, 2]
    t.shape = [10, 10]
    assert t.data.shape == (10, 10)
    shared = Tensor(np.zeros(6, np.float32), shared_memory=True)
    shared.shape = [2, 2]
    with pytest.raises(RuntimeError, match="failed"):
        shared.shape = [4, 4]


def test_roi_shares_memory():
    parent = Tensor(np.arange(16, dtype=np.float32).reshape(4, 4))
    roi = Tensor(parent, [1, 1], [3, 3])
    assert list(roi.shape) == [2, 2] and roi.data[0, 0] == 5
    roi.data[0, 0] = 100
    assert parent.data[1, 1] == 100
    assert not roi.is_continuous()
    with pytest.raises(RuntimeError, match="bitwidths less then 8 bit"):
        Tensor(Tensor(Type.u4, [4]), [0], [2])


def test_string_tensor():
    t = Tensor(np.array(["hello", "", "żółw"]))
    assert t.element_type == Type.string
    assert t.data.dtype.kind == "S"
    assert list(t.str_data) == ["hello", "", "żółw"]


def test_copy_to_and_copy_semantics():
    a = Tensor(np.arange(4, dtype=np.float32))
    b = Tensor(Type.f32, [4])
    a.copy_to(b)
    np.testing.assert_array_equal(b.data, a.data)
    shallow = copy.copy(a)
    shallow.data[0] = 9
    assert a.data[0] == 9
    deep = copy.deepcopy(a)
    deep.data[0] = 1
    assert a.data[0] == 9


def test_tensor_from_list_and_empty():
    assert Tensor([1.0, 2.0]).shape == [2]
    assert Tensor(np.zeros((0,), np.float32)).shape == [0]


def test_tensor_from_port():
    p = ov.opset8.parameter([2, 2], np.float32)
    t = Tensor(p.output(0))
    assert t.shape == [2, 2]
    dyn = ov.opset8.parameter([-1, 2], np.float32)
    assert Tensor(dyn.output(0)).shape == [0]
    with pytest.raises(RuntimeError, match="Shape of the port exceeds shape of the array."):
        Tensor(p.output(0), np.zeros(2, np.float32))


def test_unsupported_object():
    with pytest.raises(TypeError):
        Tensor(object())
