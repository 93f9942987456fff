"""Transpose lowered from its order (lower_movement._transpose_maps) finds the very map the
generic path finds by running the reference on element numbers (_reference_maps)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from helpers import rand

import openvino as ov
import openvino.opset13 as ops
from openvino.plugin.passes import Graph
from openvino_cpu.compiler.lower_movement import _reference_maps, _transpose_maps

SHAPES = [(4, 128, 12, 32), (1, 5, 1, 3), (2, 3), (7,), (1, 1, 4), (3, 1, 2, 1, 5)]


def _op(shape: tuple[int, ...], order: list[int]):
    x = ops.parameter(list(shape), np.float32)
    t = ops.transpose(x, ops.constant(np.array(order, np.int64)))
    graph = Graph.from_model(ov.Model([ops.relu(t)], [x]))
    return next(op for op in graph.ops if op.type == "Transpose"), graph.inputs[0]


@pytest.mark.parametrize("shape", SHAPES)
def test_same_map_as_the_reference(shape) -> None:
    orders = list(itertools.permutations(range(len(shape))))[:24] + [()]
    for order in orders:
        op, x = _op(shape, list(order))
        assert _transpose_maps(op, x) == _reference_maps(op, x), (shape, order)


def test_attention_transposes_in_a_dynamic_model(core) -> None:
    x = ops.parameter([-1, -1, 4, 8], np.float32)
    y = ops.transpose(x, ops.constant(np.array([0, 2, 1, 3], np.int64)))
    compiled = core.compile_model(ov.Model([ops.relu(y)], [x]), "CPU")
    for shape in [(2, 5, 4, 8), (1, 9, 4, 8), (3, 1, 4, 8)]:
        data = rand(*shape, seed=shape[1])
        np.testing.assert_array_equal(compiled([data])[0],
                                      np.maximum(data.transpose(0, 2, 1, 3), 0))
