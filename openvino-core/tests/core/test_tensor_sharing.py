"""How a Tensor holds the memory it shares: exactly one reference to the caller's array
(as OpenVINO's tensors do), tensors sized from model ports, and array-likes such as PIL
images."""

import gc
import sys
import warnings

import numpy as np
import pytest

import openvino as ov

ops = ov.opset13


def _arrays():
    """An array owning its memory, a reshaped view of one, and a slice of a bigger one."""
    return [np.arange(6, dtype=np.float32),
            np.arange(6, dtype=np.float32).reshape(2, 3),
            np.arange(12, dtype=np.float32)[:6]]


@pytest.mark.parametrize("index", range(3))
def test_shared_memory_keeps_exactly_one_reference(index):
    array = _arrays()[index]
    before = sys.getrefcount(array)
    tensor = ov.Tensor(array, shared_memory=True)
    assert sys.getrefcount(array) == before + 1
    base = array.base
    if base is not None:  # no hidden reference to the array the view is over either
        base_before = sys.getrefcount(base)
        other = ov.Tensor(array, shared_memory=True)
        assert sys.getrefcount(base) == base_before
        del other
    tensor.data.reshape(-1)[0] = 42
    assert array.reshape(-1)[0] == 42
    del tensor
    gc.collect()
    assert sys.getrefcount(array) == before


@pytest.mark.parametrize("index", range(3))
def test_port_tensor_keeps_exactly_one_reference(index):
    array = _arrays()[index]
    port = ops.parameter([2, 3], np.float32).output(0)
    before = sys.getrefcount(array)
    tensor = ov.Tensor(port, array)
    assert sys.getrefcount(array) == before + 1
    assert list(tensor.shape) == [2, 3] and tensor.element_type == ov.Type.f32
    tensor.data[1, 2] = -1
    assert array.reshape(-1)[5] == -1
    del tensor
    assert sys.getrefcount(array) == before


def test_copying_constructor_keeps_no_reference():
    array = np.arange(6, dtype=np.float32)
    before = sys.getrefcount(array)
    tensor = ov.Tensor(array)
    assert sys.getrefcount(array) == before
    tensor.data[0] = 9
    assert array[0] == 0


def test_shared_tensor_reshapes_within_its_memory():
    array = np.arange(6, dtype=np.float32)
    tensor = ov.Tensor(array, shared_memory=True)
    tensor.shape = [4]
    assert tensor.data.tolist() == [0, 1, 2, 3]
    tensor.shape = [2, 3]  # back to the full array: its memory is still there
    assert tensor.data.tolist() == [[0, 1, 2], [3, 4, 5]]
    tensor.data[0, 0] = 7
    assert array[0] == 7
    with pytest.raises(RuntimeError, match="failed"):
        tensor.shape = [7]
    # a slice of a bigger array: its own six elements, no more
    sliced = np.arange(12, dtype=np.float32)[:6]
    tensor = ov.Tensor(sliced, shared_memory=True)
    tensor.shape = [3]
    with pytest.raises(RuntimeError, match="failed"):
        tensor.shape = [8]


def test_tensor_from_port_takes_its_shape_and_type():
    param = ops.parameter([2, 3], ov.Type.i64)
    tensor = ov.Tensor(param.output(0))
    assert list(tensor.shape) == [2, 3] and tensor.element_type == ov.Type.i64
    assert tensor.data.dtype == np.int64
    dynamic = ops.parameter([-1, 3], np.float32)
    assert list(ov.Tensor(dynamic.output(0)).shape) == [0]
    compiled = ov.Core().compile_model(ov.Model(ops.relu(param), [param]), "TEMPLATE")
    from_const = ov.Tensor(compiled.input(0))
    assert list(from_const.shape) == [2, 3] and from_const.element_type == ov.Type.i64


def test_tensor_from_port_and_array_errors_and_warnings():
    port = ops.parameter([2, 3], np.float32).output(0)
    with pytest.raises(RuntimeError, match="Shape of the port exceeds shape of the array."):
        ov.Tensor(port, np.zeros((1, 3), np.float32))
    with pytest.warns(RuntimeWarning, match="Shape of the port is smaller than shape of the "
                                            "array. Passed data will be cropped."):
        bigger = ov.Tensor(port, np.arange(9, dtype=np.float32).reshape(3, 3))
    assert bigger.data.tolist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.warns(RuntimeWarning, match="Type of the array"):
        other = ov.Tensor(port, np.ones((2, 3), np.int32))
    assert other.element_type == ov.Type.f32
    # the tensor shares the array: a Fortran-ordered one cannot be shared
    with pytest.raises(RuntimeError, match="SHARED MEMORY MODE FOR THIS TENSOR IS NOT "
                                           "APPLICABLE"):
        ov.Tensor(port, np.asfortranarray(np.ones((2, 3), np.float32)))


def test_only_an_ndarray_can_be_shared():
    with pytest.raises(TypeError):
        ov.Tensor([1, 2, 3], shared_memory=True)
    with pytest.raises(TypeError):
        ov.Tensor([1, 2, 3], True)
    assert ov.Tensor([1, 2, 3]).data.tolist() == [1, 2, 3]


@pytest.mark.parametrize(("mode", "shape", "element_type"), [
    ("RGB", [3, 4, 3], ov.Type.u8), ("RGBA", [3, 4, 4], ov.Type.u8), ("L", [3, 4], ov.Type.u8),
    ("P", [3, 4], ov.Type.u8), ("I", [3, 4], ov.Type.i32), ("F", [3, 4], ov.Type.f32),
    ("I;16", [3, 4], ov.Type.u16), ("1", [3, 4], ov.Type.boolean),
])
def test_tensor_from_pil_image(mode, shape, element_type):
    image_module = pytest.importorskip("PIL.Image")
    image = image_module.new(mode, (4, 3))
    for tensor in (ov.Tensor(image), ov.Tensor(np.array(image))):
        assert list(tensor.shape) == shape
        assert tensor.element_type == element_type


def test_tensor_from_pil_image_values_and_inference():
    image_module = pytest.importorskip("PIL.Image")
    image = image_module.new("RGB", (4, 3), (10, 20, 30))
    tensor = ov.Tensor(image)
    assert tensor.data[2, 3].tolist() == [10, 20, 30]
    with pytest.raises(TypeError):
        ov.Tensor(image, shared_memory=True)
    data = ops.parameter([3, 4, 3], ov.Type.u8)
    compiled = ov.Core().compile_model(ov.Model(ops.convert(data, "f32"), [data]), "TEMPLATE")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = compiled(tensor)[0]
    assert out[0, 0].tolist() == [10.0, 20.0, 30.0]
