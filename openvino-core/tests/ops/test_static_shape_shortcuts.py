"""Pooling, Concat and Reshape take a shortcut for static shapes; it must give exactly what
the general (interval) shape inference gives: the same shape, the same symbols on the same
dimensions, and the same error where the general inference rejects the arguments."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest

import openvino as ov
from openvino import opset8
from openvino._ops.movement import Concat
from openvino._ops.pooling import AvgPool, MaxPool8, _Pool
from openvino._ops.shape import Reshape


def _parameter(shape: list[int], symbols: list, name: str = "x") -> ov.Node:
    node = opset8.parameter(shape, ov.Type.f32, name=name)
    for dim, symbol in zip(node.get_output_partial_shape(0), symbols):
        if symbol is not None:
            dim.set_symbol(symbol)
    return node


def _outcome(make: Callable[[], ov.Node], symbols: list, monkeypatch,
             shortcut: tuple[type, str] | None) -> str:
    """The output shapes (with which input symbol each dimension carries) or the error."""
    if shortcut is not None:
        monkeypatch.setattr(shortcut[0], shortcut[1], lambda self, *a: None)
    try:
        node = make()
        shown = []
        for i in range(node.get_output_size()):
            shape = node.get_output_partial_shape(i)
            marks = [symbols.index(d.get_symbol()) if d.has_symbol() else None for d in shape]
            shown.append(f"{shape} {marks}")
        return "; ".join(shown)
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return f"{type(e).__name__}: {e}"
    finally:
        monkeypatch.undo()


def _same_both_ways(make: Callable[[list], ov.Node], shortcut: tuple[type, str],
                    monkeypatch) -> str:
    symbols = [ov.Symbol() for _ in range(4)]
    fast = _outcome(lambda: make(symbols), symbols, monkeypatch, None)
    general = _outcome(lambda: make(symbols), symbols, monkeypatch, shortcut)
    assert fast == general
    return fast


POOL_CASES = list(itertools.product(
    [[1, 4, 7, 6], [2, 3, 5], [1, 2, 3, 3, 3]],  # data
    [[2, 2], [3, 1], [8, 1], [0, 1]],  # kernel
    [[1, 1], [2, 3], []],  # strides
    [([0, 0], [0, 0]), ([1, 2], [2, 0]), ([], []), ([-1, 0], [0, 0])],  # pads
))


@pytest.mark.parametrize(("data", "kernel", "strides", "pads"), POOL_CASES)
def test_pooling_shortcut_matches_general_inference(data, kernel, strides, pads,
                                                    monkeypatch) -> None:
    for rounding, auto_pad in itertools.product(["floor", "ceil", "ceil_torch"],
                                                ["explicit", "valid", "same_upper"]):
        def avg(symbols: list, rounding=rounding, auto_pad=auto_pad) -> ov.Node:
            return AvgPool(_parameter(data, symbols), kernel=kernel, strides=strides,
                           pads_begin=pads[0], pads_end=pads[1], exclude_pad=False,
                           auto_pad=auto_pad, rounding_type=rounding, name="op")

        def max8(symbols: list, rounding=rounding, auto_pad=auto_pad) -> ov.Node:
            return MaxPool8(_parameter(data, symbols), kernel=kernel, strides=strides,
                            dilations=[2] * len(kernel), pads_begin=pads[0],
                            pads_end=pads[1], auto_pad=auto_pad, rounding_type=rounding,
                            name="op")

        _same_both_ways(avg, (_Pool, "_static_output_shape"), monkeypatch)
        _same_both_ways(max8, (_Pool, "_static_output_shape"), monkeypatch)


def test_pooling_shortcut_keeps_batch_and_channel_symbols(monkeypatch) -> None:
    def avg(symbols: list) -> ov.Node:
        return AvgPool(_parameter([1, 4, 7, 6], symbols), kernel=[2, 2], strides=[2, 2],
                       pads_begin=[0, 0], pads_end=[0, 0], exclude_pad=False,
                       auto_pad="explicit", rounding_type="floor")

    assert _same_both_ways(avg, (_Pool, "_static_output_shape"), monkeypatch) == \
        "[1,4,3,3] [0, 1, None, None]"


CONCAT_CASES = [
    ([[1, 2, 3], [1, 5, 3]], 1),
    ([[1, 2, 3], [1, 5, 3], [1, 1, 3]], -2),
    ([[4, 2], [4, 2]], 0),
    ([[1, 2, 3], [1, 5, 4]], 1),  # inconsistent off the axis
    ([[1, 2, 3], [1, 5]], 1),  # ranks differ
    ([[1, 2, 3], [1, 5, 3]], 3),  # axis out of range
    ([[1, 2, 3], [1, 5, 3]], -4),
    ([[]], 0),  # scalar
    ([[2, 0], [2, 3]], 1),
]


@pytest.mark.parametrize(("shapes", "axis"), CONCAT_CASES)
@pytest.mark.parametrize("symbolic", [False, True])
def test_concat_shortcut_matches_general_inference(shapes, axis, symbolic,
                                                   monkeypatch) -> None:
    def concat(symbols: list) -> ov.Node:
        inputs = []
        for k, shape in enumerate(shapes):
            # the second input carries symbols where the first has none, and vice versa
            marks = [s if (k + i) % 2 == 0 and symbolic else None
                     for i, s in enumerate(symbols[:len(shape)])]
            inputs.append(_parameter(shape, marks, f"x{k}"))
        return Concat(*inputs, axis=axis, name="op")

    _same_both_ways(concat, (Concat, "_static_shape"), monkeypatch)


def test_concat_shortcut_takes_the_first_symbol_off_the_axis(monkeypatch) -> None:
    def concat(symbols: list) -> ov.Node:
        return Concat(_parameter([1, 2, 3], [None, symbols[1], None]),
                      _parameter([1, 5, 3], [symbols[0], symbols[2], symbols[3]]), axis=1)

    assert _same_both_ways(concat, (Concat, "_static_shape"), monkeypatch) == \
        "[1,7,3] [0, None, 3]"


RESHAPE_CASES = list(itertools.product(
    [[2, 3, 4], [1, 0, 5], [6]],  # data
    [[4, 6], [-1], [0, -1], [2, 0, 4], [-1, -1], [3, -2], [0, 0, 0, 0], [24, 1], [5, -1],
     [0, 12], [-1, 0]],  # pattern
    [False, True],  # special_zero
))


@pytest.mark.parametrize(("data", "pattern", "special_zero"), RESHAPE_CASES)
def test_reshape_shortcut_matches_general_inference(data, pattern, special_zero,
                                                    monkeypatch) -> None:
    def reshape(symbols: list) -> ov.Node:
        target = opset8.constant(np.array(pattern, dtype=np.int64), name="pattern")
        return Reshape(_parameter(data, symbols[:len(data)]), target,
                       special_zero=special_zero, name="op")

    _same_both_ways(reshape, (Reshape, "_static_shape"), monkeypatch)


@pytest.mark.parametrize("seed", range(4))
def test_shortcuts_match_general_inference_on_random_arguments(seed, monkeypatch) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(60):
        data = [int(n) for n in rng.integers(0, 4, size=int(rng.integers(1, 5)))]
        pattern = [int(n) for n in rng.integers(-2, 5, size=int(rng.integers(1, 5)))]
        special_zero = bool(rng.integers(0, 2))

        def reshape(symbols: list, data=data, pattern=pattern, special_zero=special_zero):
            target = opset8.constant(np.array(pattern, dtype=np.int64), name="pattern")
            return Reshape(_parameter(data, symbols[:len(data)]), target,
                           special_zero=special_zero, name="op")

        _same_both_ways(reshape, (Reshape, "_static_shape"), monkeypatch)

        rank = int(rng.integers(1, 4))
        shapes = [[int(n) for n in rng.integers(1, 3, size=rank)]
                  for _ in range(int(rng.integers(1, 4)))]
        axis = int(rng.integers(-rank - 1, rank + 1))

        def concat(symbols: list, shapes=shapes, axis=axis):
            inputs = [_parameter(shape, [symbols[(k + i) % 4] if (k + i) % 3 else None
                                         for i in range(len(shape))], f"x{k}")
                      for k, shape in enumerate(shapes)]
            return Concat(*inputs, axis=axis, name="op")

        _same_both_ways(concat, (Concat, "_static_shape"), monkeypatch)

        nsp = int(rng.integers(1, 3))
        data = [1, 2] + [int(n) for n in rng.integers(0, 7, size=nsp)]
        attrs = {
            "kernel": [int(n) for n in rng.integers(0, 4, size=nsp)],
            "strides": [int(n) for n in rng.integers(0, 3, size=nsp)] if rng.integers(0, 4)
            else [],
            "pads_begin": [int(n) for n in rng.integers(-1, 3, size=nsp)],
            "pads_end": [int(n) for n in rng.integers(0, 3, size=nsp)],
            "rounding_type": ["floor", "ceil", "ceil_torch"][int(rng.integers(0, 3))],
            "auto_pad": ["explicit", "explicit", "valid", "same_lower"][int(rng.integers(0, 4))],
            "dilations": [int(n) for n in rng.integers(1, 3, size=nsp)],
        }

        def pool(symbols: list, data=data, attrs=attrs):
            return MaxPool8(_parameter(data, symbols), name="op", **attrs)

        _same_both_ways(pool, (_Pool, "_static_output_shape"), monkeypatch)
