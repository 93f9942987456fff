import numpy as np
import pytest

import openvino as ov
from openvino import Tensor, Type
from openvino.helpers import pack_data, unpack_data


def test_u4_low_nibble_first():
    packed = pack_data(np.array([1, 2, 3, 4], dtype=np.uint8), Type.u4)
    assert packed.tolist() == [0x21, 0x43]


def test_u1_most_significant_bit_first():
    packed = pack_data(np.array([1, 0, 0, 0, 0, 0, 0, 1, 1], dtype=np.uint8), Type.u1)
    assert packed.tolist() == [0x81, 0x80]


@pytest.mark.parametrize("et,lo,hi", [(Type.u4, 0, 16), (Type.i4, -8, 8), (Type.u1, 0, 2),
                                      (Type.nf4, 0, 16)])
@pytest.mark.parametrize("shape", [(1,), (7,), (27, 27), (2, 3, 5)])
def test_round_trip_odd_counts(et, lo, hi, shape):
    rng = np.random.default_rng(0)
    values = rng.integers(lo, hi, size=shape).astype(np.int8 if et == Type.i4 else np.uint8)
    packed = pack_data(values, et)
    assert packed.nbytes == (values.size * et.bitwidth + 7) // 8
    np.testing.assert_array_equal(unpack_data(packed, et, shape), values)


def test_convert_of_packed_u4_keeps_element_order():
    """The real 2026.4.1 pack_data gives [2,1,4,3] here; ours must not."""
    t = Tensor(pack_data(np.array([1, 2, 3, 4], dtype=np.uint8), Type.u4), [4], Type.u4)
    c = ov.op.Constant(t)
    conv = ov.opset1.convert(c, Type.f32)
    param = ov.opset8.parameter([1], np.float32)
    model = ov.Model([conv, param], [param])
    outs = []
    model.evaluate(outs, [Tensor(np.zeros(1, np.float32))])
    np.testing.assert_array_equal(outs[0].data, [1, 2, 3, 4])


def test_i4_twos_complement():
    values = np.array([-8, -1, 0, 7, 3], dtype=np.int8)
    packed = pack_data(values, Type.i4)
    assert (packed.view(np.uint8)[0]) == 0xF8
    np.testing.assert_array_equal(unpack_data(packed, Type.i4, [5]), values)


def test_out_of_range_values_rejected():
    with pytest.raises(ValueError):
        pack_data(np.array([16]), Type.u4)
    with pytest.raises(ValueError):
        pack_data(np.array([8]), Type.i4)
