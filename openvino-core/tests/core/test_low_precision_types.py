"""u2, f4e2m1 and f8e8m0 (OpenVINO's), i2 and the fnuz float8s (ONNX's, by name only):
properties, packing, Tensor storage, Convert numbers and IR constants.

The expected numbers were measured on the real OpenVINO 2026.4.1 (CPU plugin and its
constant folding) unless a comment says otherwise."""

import numpy as np
import pytest

import openvino as ov
from openvino import Tensor, Type
from openvino.helpers import pack_data, unpack_data
from openvino.plugin import encoding

# inputs of the Convert measurements below
X = np.array([0.48, 0.25, 1.05, -3.5, -8, 9, 1e6, 1e-7, np.nan, np.inf, -np.inf, -4, 0.01,
              -0.0, 0.75, 5.0, 470, 500, 3e-3, 1.5, 3.0, 0.124, 1.1, 2.0 ** -127,
              2.0 ** -130, 6e4, -2.6, 2.5, 4.5, 5.5, 7, -1], np.float32)

# the bytes the real CPU plugin's Convert(f32 -> type) writes for X
REAL_BYTES = {
    "u2": [80, 4, 0, 64, 66, 19, 160, 244],
    "f4e2m1": [1, 226, 127, 7, 119, 239, 128, 98, 119, 48, 5, 2, 112, 77, 118, 167],
    "f8e8m0": [126, 125, 127, 0, 0, 130, 147, 104, 255, 254, 0, 0, 120, 0, 126, 129, 136,
               136, 119, 128, 128, 124, 127, 0, 0, 143, 0, 128, 129, 129, 130, 0],
    "f8e4m3": [47, 40, 56, 198, 208, 81, 127, 0, 127, 127, 255, 200, 5, 128, 52, 74, 127,
               127, 2, 60, 68, 32, 57, 0, 0, 127, 194, 66, 73, 75, 78, 184],
    "f8e5m2": [56, 52, 60, 195, 200, 72, 124, 0, 126, 124, 252, 196, 33, 128, 58, 69, 95,
               96, 26, 62, 66, 48, 60, 0, 0, 123, 193, 65, 68, 70, 71, 188],
}


@pytest.mark.parametrize("name, c_name, bits, real, integral, signed, quantized", [
    ("u2", "uint2_t", 2, False, True, False, False),
    ("f4e2m1", "f4e2m1", 4, True, False, True, True),
    ("f8e8m0", "f8e8m0", 8, True, False, True, True),
])
def test_openvino_types_as_the_real_binding_shows_them(name, c_name, bits, real, integral,
                                                       signed, quantized):
    t = getattr(Type, name)
    assert t is Type(name)
    assert repr(t) == f"<Type: '{c_name}'>"
    assert (t.bitwidth, t.size, t.is_real(), t.is_integral(), t.is_signed(),
            t.is_quantized()) == (bits, 1, real, integral, signed, quantized)
    assert t.to_dtype() == np.uint8


@pytest.mark.parametrize("name", ["i2", "f8e4m3fnuz", "f8e5m2fnuz"])
def test_onnx_only_types_are_not_attributes_of_type(name):
    assert not hasattr(Type, name)
    assert name not in dir(Type)
    t = Type(name)
    assert t.get_type_name() == name and t.is_static()


@pytest.mark.parametrize("shape, nbytes", [([5], 2), ([4], 1), ([9], 3)])
def test_u2_tensor_storage_is_packed(shape, nbytes):
    t = Tensor(Type.u2, shape)
    assert t.data.dtype == np.uint8 and t.data.shape == (nbytes,) and t.byte_size == nbytes


def test_f4e2m1_and_f8e8m0_tensor_storage():
    assert Tensor(Type.f4e2m1, [5]).data.shape == (3,)
    assert Tensor(Type.f8e8m0, [5]).data.shape == (5,)


def test_u2_packs_element_0_in_the_low_bits():
    packed = pack_data(np.array([0, 1, 2, 3, 1], np.uint8), Type.u2)
    assert packed.tolist() == [0b11100100, 0b01]
    np.testing.assert_array_equal(unpack_data(packed, Type.u2, [5]), [0, 1, 2, 3, 1])
    with pytest.raises(ValueError, match=r"u2 values must be in \[0, 3\]"):
        pack_data(np.array([4], np.uint8), Type.u2)


def test_f4e2m1_packs_codes_low_nibble_first():
    packed = pack_data(np.array([1, 2, 15], np.uint8), Type.f4e2m1)
    assert packed.tolist() == [0x21, 0x0F]
    np.testing.assert_array_equal(unpack_data(packed, Type.f4e2m1, [3]), [1, 2, 15])


@pytest.mark.parametrize("name", ["u2", "i2"])
@pytest.mark.parametrize("shape", [(1,), (7,), (27, 27)])
def test_two_bit_round_trip(name, shape):
    et = Type(name)
    rng = np.random.default_rng(1)
    lo, hi = (0, 4) if name == "u2" else (-2, 2)
    values = rng.integers(lo, hi, size=shape)
    storage = encoding.encode(values, et)
    assert storage.nbytes == (values.size + 3) // 4
    np.testing.assert_array_equal(encoding.decode(storage, et, shape), values)


@pytest.mark.parametrize("name", sorted(REAL_BYTES))
def test_convert_writes_the_bytes_of_the_real_runtime(name):
    et = Type(name)
    got = encoding.encode(X, et).view(np.uint8)
    want = np.array(REAL_BYTES[name], np.uint8)
    if name == "f8e4m3":
        # -inf: the real runtime keeps the sign on its NaN (0xFF); ours goes through the
        # float32 evaluation form, whose NaN has no sign (0x7F): both are NaN
        got, want = got[X != -np.inf], want[X != -np.inf]
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
def test_convert_node_to_the_new_types_matches_the_real_runtime(device):
    param = ov.opset13.parameter([X.size], Type.f32)
    for name in ("u2", "f4e2m1", "f8e8m0"):
        et = getattr(Type, name)
        conv = ov.opset13.convert(param, et)
        back = ov.opset13.convert(conv, Type.f32)
        model = ov.Model([back, conv], [param])
        request = ov.Core().compile_model(model, device).create_infer_request()
        request.infer([X])
        np.testing.assert_array_equal(request.get_output_tensor(1).data.view(np.uint8),
                                      REAL_BYTES[name], err_msg=f"{name} on {device}")
        want = encoding.decode(np.array(REAL_BYTES[name], np.uint8), et, [X.size])
        np.testing.assert_array_equal(request.get_output_tensor(0).data, want)


def test_f8e8m0_values():
    codes = np.array([0, 126, 127, 130, 254, 255], np.uint8)
    got = encoding.decode(codes, Type.f8e8m0, [6])
    np.testing.assert_array_equal(got[:5], np.float32([2.0 ** -127, 0.5, 1.0, 8.0, 2.0 ** 127]))
    assert np.isnan(got[5])


def test_f8e4m3_convert_does_not_saturate():
    # 464 is the tie between 448 and the first value past it: it rounds to even (448)
    got = encoding.cast_values(np.float32([448, 464, 465, 1e6, -1e6, np.inf]), "f8e4m3")
    np.testing.assert_array_equal(got[:2], [448, 448])
    assert np.isnan(got[2:]).all()


def test_fnuz_types_have_one_nan_and_no_negative_zero():
    # OpenVINO has no fnuz types; these are ONNX's FLOAT8E4M3FNUZ / FLOAT8E5M2FNUZ
    e4 = Type("f8e4m3fnuz")
    e5 = Type("f8e5m2fnuz")
    assert encoding.encode(np.float32([-0.0, np.nan, 240, 250, -1e-9]), e4).tolist() == [
        0, 0x80, 0x7F, 0x80, 0]
    assert encoding.encode(np.float32([57344, 1e6, 1.0]), e5).tolist() == [0x7F, 0x80, 0x40]
    table = encoding.decode(np.arange(256, dtype=np.uint8), e4, [256])
    assert np.isnan(table).sum() == 1 and np.isnan(table[0x80])
    assert table[0x7F] == 240 and table[1] == 2.0 ** -10


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
def test_ir_constants_of_the_new_types_round_trip(tmp_path, device):
    param = ov.opset13.parameter([5], Type.f32)
    outs = []
    for et, raw in [(Type.u2, [0x1B, 0x02]), (Type.f4e2m1, [0x21, 0xE7, 0x05]),
                    (Type.f8e8m0, [126, 127, 130, 0, 255])]:
        t = Tensor(et, [5])
        t.data[:] = np.array(raw, np.uint8)
        const = ov.op.Constant(t)
        outs.append(ov.opset13.add(ov.opset13.convert(const, Type.f32), param).output(0))
    path = tmp_path / "m.xml"
    ov.save_model(ov.Model(outs, [param]), path, compress_to_fp16=False)
    xml = path.read_text()
    for name, precision in [("u2", "U2"), ("f4e2m1", "F4E2M1"), ("f8e8m0", "F8E8M0")]:
        assert f'element_type="{name}"' in xml and f'precision="{precision}"' in xml
    model = ov.Core().read_model(path)
    request = ov.Core().compile_model(model, device).create_infer_request()
    request.infer([np.zeros(5, np.float32)])
    np.testing.assert_array_equal(request.get_output_tensor(0).data, [3, 2, 1, 0, 2])
    np.testing.assert_array_equal(request.get_output_tensor(1).data, [0.5, 1, 6, -4, 3])
    np.testing.assert_array_equal(request.get_output_tensor(2).data[:4],
                                  [0.5, 1, 8, 2.0 ** -127])
    assert np.isnan(request.get_output_tensor(2).data[4])
