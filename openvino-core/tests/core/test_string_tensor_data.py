"""String tensors: the ``str_data``/``bytes_data`` setters, their errors, and the copy
warning of ``Tensor.data`` (behaviour checked against OpenVINO 2026.4.1)."""

import warnings

import numpy as np
import pytest

import openvino as ov


@pytest.mark.parametrize("attr", ["bytes_data", "str_data"])
@pytest.mark.parametrize("value", [
    ["ab", "ĆŻ"], [b"ab", "ĆŻ".encode()], np.array(["ab", "ĆŻ"]),
    np.array([b"ab", "ĆŻ".encode()]), [["ab"], ["ĆŻ"]],
])
def test_setters_fill_in_tensor_shape(attr, value):
    t = ov.Tensor(ov.Type.string, [2, 1])
    setattr(t, attr, value)
    assert t.get_shape() == [2, 1]
    assert t.str_data.tolist() == [["ab"], ["ĆŻ"]]
    assert t.bytes_data.tolist() == [[b"ab"], ["ĆŻ".encode()]]


@pytest.mark.parametrize("attr", ["bytes_data", "str_data"])
def test_setters_check_kind_before_size(attr):
    t = ov.Tensor(ov.Type.string, [1])
    for bad in (np.array([1.5, 2.5]), [1, 2, 3], np.array(["a"], dtype=object)):
        with pytest.raises(RuntimeError, match="Unknown string kind passed to fill"):
            setattr(t, attr, bad)
    with pytest.raises(RuntimeError, match=r"must have the same size \(number of elements\)"):
        setattr(t, attr, ["a", "b"])
    for bad in ("a", (b"a",)):
        with pytest.raises(RuntimeError, match="Invalid data to fill String Tensor!"):
            setattr(t, attr, bad)
    assert t.bytes_data.tolist() == [b""]  # untouched by the failed calls


def test_string_properties_on_numeric_tensor():
    t = ov.Tensor(np.zeros(2, np.float32))
    for attr in ("bytes_data", "str_data"):
        with pytest.raises(RuntimeError, match="Tensor's type must be a string!"):
            getattr(t, attr)
        with pytest.raises(RuntimeError, match="element type f32, is not representable"):
            setattr(t, attr, ["a", "b"])


def test_invalid_utf8_decodes_with_replacement():
    t = ov.Tensor(np.array([b"ok", b"\xe2\x80"]))
    assert t.bytes_data.tolist() == [b"ok", b"\xe2\x80"]
    assert t.str_data.tolist() == ["ok", "\ufffd"]


def test_data_of_string_tensor_warns_and_copies():
    t = ov.Tensor(["x", "yz"])
    with pytest.warns(RuntimeWarning, match="Data of string type will be copied"):
        d = t.data
    assert d.tolist() == [b"x", b"yz"]
    d[0] = b"q"
    assert t.str_data.tolist() == ["x", "yz"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert t.bytes_data.tolist() == [b"x", b"yz"]


def test_string_tensor_cannot_share_memory():
    with pytest.raises(RuntimeError, match="String types can be only copied."):
        ov.Tensor(np.array(["a", "b"]), shared_memory=True)
