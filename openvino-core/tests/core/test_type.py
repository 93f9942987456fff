import numpy as np
import pytest

import openvino as ov
from openvino import Type

ALL = ["boolean", "f16", "bf16", "f32", "f64", "i4", "i8", "i16", "i32", "i64", "u1", "u4",
       "u8", "u16", "u32", "u64", "nf4", "f8e4m3", "f8e5m2", "string", "dynamic"]


@pytest.mark.parametrize("name", ALL)
def test_every_type_exists_and_names_itself(name):
    t = getattr(Type, name)
    assert t.get_type_name() == name == t.type_name
    assert Type(name) is t


@pytest.mark.parametrize("dtype,name", [
    (np.float32, "f32"), (np.float64, "f64"), (np.float16, "f16"), (np.int8, "i8"),
    (np.int16, "i16"), (np.int32, "i32"), (np.int64, "i64"), (np.uint8, "u8"),
    (np.uint16, "u16"), (np.uint32, "u32"), (np.uint64, "u64"), (np.bool_, "boolean"),
])
def test_numpy_mapping_both_ways(dtype, name):
    t = Type(dtype)
    assert t.get_type_name() == name
    assert Type(np.dtype(dtype).name) is t
    assert t.to_dtype() == np.dtype(dtype)


def test_python_types_and_strings():
    assert Type(bool) is Type.boolean
    assert Type(str) is Type.string and Type(bytes) is Type.string
    assert Type(np.dtype("|S")) is Type.string and Type(np.dtype("|U")) is Type.string
    assert Type.string.to_dtype() == np.dtype(np.bytes_)
    assert Type("float32") is Type.f32


def test_packed_types_map_to_bytes():
    assert Type.u4.to_dtype() == np.uint8 and Type.i4.to_dtype() == np.int8
    assert Type.u1.to_dtype() == np.uint8 and Type.nf4.to_dtype() == np.uint8
    assert Type.bf16.to_dtype() == np.float16


def test_predicates_sizes_bitwidths():
    assert Type.f32.is_real() and Type.f32.real and not Type.f32.integral
    assert Type.i32.is_integral() and Type.i32.signed and not Type.u8.signed
    assert Type.i8.quantized and Type.i32.quantized and Type.u8.quantized
    assert not Type.f32.quantized
    assert Type.f32.size == 4 and Type.f32.bitwidth == 32
    assert Type.u4.bitwidth == 4 and Type.u1.bitwidth == 1 and Type.u4.get_size() == 1
    assert Type.dynamic.is_dynamic() and Type.dynamic.integral
    assert Type.dynamic.size == 0 and Type.dynamic.bitwidth == 0
    assert Type.f32.is_static() and not Type.dynamic.is_static()


def test_compatible_and_merge():
    assert Type.dynamic.compatible(Type.f32) and Type.f32.compatible(Type.f32)
    assert not Type.f32.compatible(Type.i32)
    assert Type.dynamic.merge(Type.i64) is Type.i64
    assert Type.f32.merge(Type.i32) is None


def test_unknown_type_raises():
    with pytest.raises(TypeError):
        Type("notatype")
    with pytest.raises(TypeError):
        Type(np.complex64)


def test_type_is_hashable_and_comparable():
    d = {Type.f32: 1, Type.i8: 2}
    assert d[ov.Type("f32")] == 1
    assert Type.f32 == Type.f32 and Type.f32 != Type.f16
    assert repr(Type.f32) == "<Type: 'float32'>"


# str() and repr() both give the binding's "<Type: 'c_name'>" form, as the real 2026.4.1
# prints them (checked against it type by type); to_string()/get_type_name() stay short.
@pytest.mark.parametrize("name, c_name", [
    ("f32", "float32"), ("f16", "float16"), ("bf16", "bfloat16"), ("f64", "double64"),
    ("boolean", "char"), ("i4", "int4_t"), ("i8", "int8_t"), ("i16", "int16_t"),
    ("i32", "int32_t"), ("i64", "int64_t"), ("u1", "uint1_t"), ("u4", "uint4_t"),
    ("u8", "uint8_t"), ("u16", "uint16_t"), ("u32", "uint32_t"), ("u64", "uint64_t"),
    ("nf4", "nfloat4"), ("f8e4m3", "f8e4m3"), ("f8e5m2", "f8e5m2"), ("string", "string"),
    ("dynamic", "dynamic"),
])
def test_str_and_repr_match_the_binding(name, c_name):
    t = getattr(Type, name)
    assert str(t) == repr(t) == f"{t}" == f"<Type: '{c_name}'>"
    assert t.to_string() == t.get_type_name() == t.type_name == name


def test_undefined_is_a_deprecated_alias_of_dynamic():
    with pytest.warns(DeprecationWarning, match="openvino.Type.undefined is deprecated and will "
                      "be removed in version 2026.0") as caught:
        t = Type.undefined
    assert "openvino.Type.dynamic" in str(caught[0].message)
    assert t is Type.dynamic and t.is_dynamic() and t.get_type_name() == "dynamic"
    with pytest.raises(AttributeError, match="no attribute 'f33'"):
        Type.f33  # noqa: B018


def test_error_messages_name_types_by_their_short_names():
    # the runtime's messages say "boolean"/"f32", as the C++ core's do, not the repr
    a = ov.opset13.parameter([2], Type.boolean)
    with pytest.raises(RuntimeError) as info:
        ov.opset13.multiply(a, a)
    assert "boolean" in str(info.value) and "<Type" not in str(info.value)
    assert repr(ov.Tensor(Type.f32, [2])) == "<Tensor: shape[2] type: f32>"
