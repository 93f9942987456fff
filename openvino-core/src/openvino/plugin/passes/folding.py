"""Constant folding: ops whose inputs are all constants run once, at compile time, through
their reference implementation; ``ShapeOf`` of a static shape becomes a constant.

Weight decompression subgraphs a device consumes compressed are claimed by
``claim_compressed_weights`` before this pass runs, so they are not expanded to f32 here.
Folded values become constants (``value.const``) with no producer; run
``Graph.remove_dead`` afterwards to drop ops left without consumers.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from openvino._encoding import cast_evaluation
from openvino.plugin.reference import fold_values

from .const_cache import ConstantCache
from .graph import Graph, Op

__all__ = ["fold_constants"]

#: Ops never folded (side effects, or values that must stay per inference).
_NEVER = frozenset({"ReadValue", "Assign", "RandomUniform", "Parameter", "Result"})
#: Folding may not create constants larger than this many bytes from small inputs
#: (Broadcast of a scalar to a huge shape is cheaper to run than to store).
_MAX_GROWTH = 16 << 20


def _foldable(op: Op) -> bool:
    if op.type in _NEVER or op.node is None:
        return False
    if getattr(op.node, "needs_state", False) or not op.node.has_evaluate():
        return False
    return all(v.is_const for v in op.inputs)


def fold_constants(graph: Graph, cache: ConstantCache | None = None) -> int:
    """Fold every foldable op; returns how many were folded. f16 arithmetic folds as
    OpenVINO folds it (``openvino.plugin.reference.fold_values``): a folded f16 value is
    stored rounded to f16, and the ops folded after it read it unrounded. With a
    ``cache``, an op folded from the same input arrays as in an earlier graph (an op of
    the same name, type and output types and shapes) gets the same output arrays."""
    folded = 0
    unrounded: dict[int, np.ndarray] = {}  # id(Value) -> f32 value of a folded f16 Value
    for op in list(graph.ops):
        if op.type == "ShapeOf" and op.node is not None:
            src = op.inputs[0]
            out = op.outputs[0]
            value = np.array(src.shape, dtype=out.dtype)
            _become_const(graph, op, [value])
            folded += 1
            continue
        if not _foldable(op):
            continue
        in_bytes = sum(v.nbytes for v in op.inputs)
        out_bytes = sum(v.nbytes for v in op.outputs)
        if out_bytes > max(_MAX_GROWTH, 4 * in_bytes):
            continue
        sources = tuple(unrounded.get(id(v), v.const) for v in op.inputs)
        if cache is None:
            done = _fold(op, sources)
        else:
            params = (op.type, op.name, tuple((v.type.get_type_name(), v.shape)
                                              for v in op.outputs))
            done = cache.get("fold", sources, params, partial(_fold, op, sources))
        if done is None:
            continue
        values, raw = done
        for v, r in zip(op.outputs, raw):
            if r is not None:
                unrounded[id(v)] = r
        _become_const(graph, op, values)
        folded += 1
    return folded


def _fold(op: Op, sources: tuple[np.ndarray, ...]
          ) -> tuple[list[np.ndarray], list[np.ndarray | None]] | None:
    """(the output values, the unrounded f32 value of each f16 output or None), or None
    when the op does not fold."""
    try:
        result = fold_values(op.node, list(sources))
    except Exception:  # the op fails at run time too: leave it to report there
        return None
    values, raw = [], []
    for v, r in zip(op.outputs, result):
        if tuple(r.shape) != v.shape:
            return None
        if r.dtype != v.dtype:  # an f16 value, unrounded: later folds read it so
            raw.append(r)
            r = cast_evaluation(r, v.type)
        else:
            raw.append(None)
        values.append(np.ascontiguousarray(r))
    if len(values) != len(op.outputs):
        return None
    return values, raw


def _become_const(graph: Graph, op: Op, values: list[np.ndarray]) -> None:
    for v, data in zip(op.outputs, values):
        v.const = np.ascontiguousarray(data)
        v.producer = None
    graph.remove_op(op)
