"""A numpy float16 array given to a bf16 input is bf16's numpy view (what ``Tensor.data``
of a bf16 tensor is): its bits are taken as bf16 values, as OpenVINO 2026.4.1 does, so a bf16
result feeds a bf16 input unchanged."""

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops

X = np.array([[0.1234567, 1.001, 2.5, -3.3]], np.float32)
BF16_OF_X = [0.12353515625, 1.0, 2.5, -3.296875]  # X rounded to bf16


def _models():
    p = ops.parameter([1, 4], np.float32, name="a")
    to_bf16 = ov.Model([ops.convert(p, "bf16")], [p])
    pb = ops.parameter([1, 4], ov.Type.bf16, name="b")
    from_bf16 = ov.Model([ops.convert(pb, "f32")], [pb])
    return to_bf16, from_bf16


@pytest.mark.parametrize("share", [False, True])
def test_bf16_result_feeds_a_bf16_input(share):
    to_bf16, from_bf16 = _models()
    core = ov.Core()
    first = core.compile_model(to_bf16, "TEMPLATE")
    second = core.compile_model(from_bf16, "TEMPLATE")
    results = first({"a": X})
    data = results[0]
    assert data.dtype == np.float16  # bf16's numpy view holds the bf16 bits
    assert second({"b": data}, share_inputs=share)[0].tolist() == [BF16_OF_X]
    assert second(results.to_tuple()[:1], share_inputs=share)[0].tolist() == [BF16_OF_X]
    request = second.create_infer_request()
    request.infer({"b": data})
    assert request.get_output_tensor().data.tolist() == [BF16_OF_X]


def test_float16_array_bits_are_taken_as_bf16():
    _, from_bf16 = _models()
    compiled = ov.Core().compile_model(from_bf16, "TEMPLATE")
    bits = np.array([[0x3F80, 0x4000, 0xC040, 0x0000]], np.uint16)  # bf16 1, 2, -3, 0
    out = compiled({"b": bits.view(np.float16)})[0]
    assert out.tolist() == [[1.0, 2.0, -3.0, 0.0]]
    # float32 data converts by value (OpenVINO 2026.4.1 raises ValueError here)
    assert compiled({"b": X})[0].tolist() == [BF16_OF_X]
    # a float16 Tensor is not a bf16 one
    with pytest.raises(RuntimeError, match="bf16"):
        compiled({"b": ov.Tensor(X.astype(np.float16))})
