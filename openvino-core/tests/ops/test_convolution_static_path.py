"""Forward convolutions take a shortcut for explicitly padded static shapes; it must give
exactly what the general (interval) shape inference gives, errors included."""

from __future__ import annotations

import itertools

import pytest

import openvino as ov
from openvino import opset8
from openvino._ops.convolution import Convolution, GroupConvolution, _ConvolutionBase

CASES = list(itertools.product(
    [[1, 4, 7, 6], [2, 4, 5], [1, 4, 3, 3, 3], [1, 6, 7, 6]],  # data
    [[1, 1], [2, 1], []],  # strides
    [[1, 1], [2, 2], []],  # dilations
    [([0, 0], [0, 0]), ([1, 2], [2, 0]), ([], []), ([-1, 0], [0, 0])],  # pads
))


def _infer(make, data, strides, dilations, pads, shortcut: bool, monkeypatch) -> str:
    if not shortcut:
        monkeypatch.setattr(_ConvolutionBase, "_infer_static", lambda self, *a: False)
    try:
        node = make(opset8.parameter(data, ov.Type.f32, name="x"), strides, dilations, pads)
        out = node.get_output_partial_shape(0)
        return f"{out} symbols={[d.has_symbol() for d in out]}"
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return f"{type(e).__name__}: {e}"
    finally:
        monkeypatch.undo()


def _conv(x, strides, dilations, pads):
    w = opset8.parameter([3, 4, 2, 3], ov.Type.f32, name="w")
    return Convolution(x, w, strides=strides, dilations=dilations, pads_begin=pads[0],
                       pads_end=pads[1], auto_pad="explicit", name="conv")


def _group_conv(x, strides, dilations, pads):
    w = opset8.parameter([2, 3, 2, 2, 3], ov.Type.f32, name="w")
    return GroupConvolution(x, w, strides=strides, dilations=dilations, pads_begin=pads[0],
                            pads_end=pads[1], auto_pad="explicit", name="conv")


@pytest.mark.parametrize("make", [_conv, _group_conv], ids=["conv", "group"])
@pytest.mark.parametrize(("data", "strides", "dilations", "pads"), CASES)
def test_shortcut_matches_general_inference(make, data, strides, dilations, pads,
                                             monkeypatch) -> None:
    fast = _infer(make, data, strides, dilations, pads, True, monkeypatch)
    general = _infer(make, data, strides, dilations, pads, False, monkeypatch)
    assert fast == general


def test_shortcut_keeps_the_batch_symbol() -> None:
    x = opset8.parameter([1, 4, 7, 6], ov.Type.f32)
    symbol = ov.Symbol()
    x.get_output_partial_shape(0)[0].set_symbol(symbol)
    w = opset8.parameter([3, 4, 2, 3], ov.Type.f32)
    out = Convolution(x, w, strides=[1, 1], dilations=[1, 1], pads_begin=[0, 0],
                      pads_end=[0, 0], auto_pad="explicit").get_output_partial_shape(0)
    assert out.to_string() == "[1,3,6,4]"
    assert out[0].get_symbol() == symbol
    assert not out[1].has_symbol()
