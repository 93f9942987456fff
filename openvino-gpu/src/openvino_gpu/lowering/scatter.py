"""ScatterUpdate (v3), ScatterElementsUpdate (v3, v12: overwrite for every element type,
sum/prod/min/max/mean on float tensors) and ScatterNDUpdate (v3, v15 overwrite) through
``kernels/scatter.cl``: each output element gathers the updates that land on it, so
duplicate indices resolve as in the reference (the last wins) without write races. An
index outside its axis updates nothing (the reference raises; a kernel cannot)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import In, Launch, OpContext, Out, Unsupported, register
from .movement import IDX_TYPES, elem_options
from .reduction import normalize_axes

__all__ = ["lower_scatter_update", "lower_scatter_elements", "lower_scatter_nd"]

REDUCTIONS = {"sum": 1, "prod": 2, "min": 3, "max": 4, "mean": 5}
MAXR = 8


def _version(op: OpContext) -> str:
    return op.node.get_type_info().version_id if op.node is not None else ""


def _options(op: OpContext, negative: bool) -> tuple[str, ...]:
    name = op.inputs[1].element_type.get_type_name()
    if name not in IDX_TYPES:
        raise Unsupported(f"{op.type} indices of type {name}")
    return elem_options(np.dtype(op.outputs[0].dtype).itemsize) + (
        f"-DIDX_T={IDX_TYPES[name]}", f"-DNEGATIVE_INDICES={int(negative)}")


def _launch(op: OpContext, options: tuple[str, ...], kernel: str, n: int, args: tuple
            ) -> list[Launch]:
    if n == 0:
        return []
    if n > 2**31 - 1 or max(s.size for s in op.inputs) > 2**31 - 1:
        raise Unsupported(f"{op.type} too large for 32-bit indexing")
    program = op.program("scatter.cl", options)
    return [Launch(program, kernel, ((n + 63) // 64 * 64,), (64,), args)]


def _axis(op: OpContext, index: int, rank: int) -> int:
    if op.inputs[index].const is None:
        raise Unsupported(f"{op.type} with a non-constant axis")
    return normalize_axes(op.inputs[index].const, rank, "axis")[0]


def _supports(node: Any) -> bool:
    return (node.get_input_element_type(1).get_type_name() in IDX_TYPES
            and node.get_input_element_type(0).size in (1, 2, 4, 8))


@register("ScatterUpdate", supports=_supports)
def lower_scatter_update(op: OpContext) -> list[Launch]:
    data, indices = op.inputs[0], op.inputs[1]
    ax = _axis(op, 3, len(data.shape))
    outer = int(np.prod(data.shape[:ax], dtype=np.int64))
    inner = int(np.prod(data.shape[ax + 1:], dtype=np.int64))
    del outer
    n = op.outputs[0].size
    return _launch(op, _options(op, False), "scatter_update", n,
                   (Out(0), In(0), In(1), In(2), np.int32(n), np.int32(data.shape[ax]),
                    np.int32(max(inner, 1)), np.int32(indices.size)))


def _supports_elements(node: Any) -> bool:
    if not _supports(node):
        return False
    reduction = str(node.get_attributes().get("reduction", "none")).lower()
    floating = node.get_input_element_type(0).get_type_name() in ("f32", "f16")  # not bf16:
    # the reference rounds a bf16 reduction at every step
    return reduction == "none" or (reduction in REDUCTIONS and floating)


@register("ScatterElementsUpdate", supports=_supports_elements)
def lower_scatter_elements(op: OpContext) -> list[Launch]:
    data, indices = op.inputs[0], op.inputs[1]
    rank = len(data.shape)
    if rank > MAXR or len(indices.shape) != rank:
        raise Unsupported(f"ScatterElementsUpdate of rank {rank}")
    ax = _axis(op, 3, rank)
    meta = np.zeros(18, np.int32)
    meta[0] = rank
    meta[1:1 + rank] = data.shape
    meta[9:9 + rank] = indices.shape
    meta[17] = ax
    n = op.outputs[0].size
    negative = _version(op) != "opset3"
    reduction = str(op.attr("reduction", "none")).lower()
    options = _options(op, negative)
    if reduction == "none":
        return _launch(op, options, "scatter_elements", n,
                       (Out(0), In(0), In(1), In(2), op.constant(meta), np.int32(n)))
    if reduction not in REDUCTIONS or np.dtype(data.dtype).kind != "f":
        raise Unsupported(f"ScatterElementsUpdate reduction {reduction} on "
                          f"{data.element_type.get_type_name()}")
    half = data.element_type.get_type_name() == "f16"  # the reference rounds every step
    options += op.float_options() + (f"-DREDUCTION={REDUCTIONS[reduction]}",
                                     f"-DROUND_HALF={int(half)}")
    return _launch(op, options, "scatter_elements_reduce", n,
                   (Out(0), In(0), In(1), In(2), op.constant(meta), np.int32(n),
                    np.int32(int(bool(op.attr("use_init_val", True))))))


def _supports_nd(node: Any) -> bool:
    reduction = str(node.get_attributes().get("reduction", "none")).lower()
    return _supports(node) and reduction == "none"


@register("ScatterNDUpdate", supports=_supports_nd)
def lower_scatter_nd(op: OpContext) -> list[Launch]:
    data, indices = op.inputs[0], op.inputs[1]
    if str(op.attr("reduction", "none")).lower() != "none":
        raise Unsupported("ScatterNDUpdate with a reduction")
    k = indices.shape[-1] if indices.shape else 0
    if k > MAXR or k > len(data.shape):
        raise Unsupported(f"ScatterNDUpdate with {k}-element indices")
    count = int(np.prod(indices.shape[:-1], dtype=np.int64))
    inner = int(np.prod(data.shape[k:], dtype=np.int64))
    meta = np.zeros(1 + MAXR, np.int32)
    meta[0] = k
    meta[1:1 + k] = data.shape[:k]
    n = op.outputs[0].size
    if k == 0:
        raise Unsupported("ScatterNDUpdate with empty index tuples")
    return _launch(op, _options(op, _version(op) == "opset15"), "scatter_nd", n,
                   (Out(0), In(0), In(1), In(2), op.constant(meta), np.int32(n),
                    np.int32(max(inner, 1)), np.int32(count)))
