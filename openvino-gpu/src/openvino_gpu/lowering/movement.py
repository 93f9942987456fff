"""Movement ops (``kernels/movement.cl``): views (Reshape, Squeeze, Unsqueeze share their
input's memory), ShapeOf (the static shape from a constant), Concat, Gather,
GatherElements, GatherND, OneHot, and every
single-input index remapping (Transpose, Slice, StridedSlice, Split, VariadicSplit,
Broadcast, Tile, Pad, DepthToSpace, SpaceToDepth, ShuffleChannels, ReorgYolo, and
ReverseSequence with constant lengths).

An index remapping is lowered from its own reference: the node, cloned with an index tensor
(``arange``) as its data input, is evaluated once at compile time, giving for every output
element the source element it copies (Pad's fill shows as -1). When that map is affine in
the output coordinates (always for Transpose, Slice, Split, Broadcast...), the launch is a
strided copy with no table; otherwise the map is uploaded as a table. Elements move as raw
bits, so every element type (and f16 storage) uses the same program."""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov
import openvino.opset13 as ops

from . import In, Launch, OpContext, Out, Unsupported, register
from .eltwise import collapse

__all__ = ["elem_options", "strided_launch", "index_map", "affine"]

MAXR = 8
LOCAL = 64
INT_MAX = 2**31 - 1
ELEMS = {1: "uchar", 2: "ushort", 4: "uint", 8: "ulong"}
IDX_TYPES = {"i8": "char", "u8": "uchar", "i16": "short", "u16": "ushort", "i32": "int",
             "u32": "uint", "i64": "long", "u64": "ulong"}


def _round_up(n: int) -> int:
    return (n + LOCAL - 1) // LOCAL * LOCAL


def elem_options(itemsize: int) -> tuple[str, ...]:
    try:
        return (f"-DELEM={ELEMS[int(itemsize)]}",)
    except KeyError:
        raise Unsupported(f"no movement kernel for {itemsize}-byte elements") from None


def _check_size(*sizes: int) -> None:
    if max(sizes, default=0) > INT_MAX:
        raise Unsupported("tensor too large for 32-bit indexing")


def strided_launch(op: OpContext, src: Any, dst: Any, dims: list[int], src_strides: list[int],
                   dst_strides: list[int], src_base: int, dst_base: int,
                   src_size: int, dst_size: int) -> Launch | None:
    """A ``copy_strided`` launch, its offsets checked against both buffers (sizes in
    elements); None when there is nothing to copy."""
    n = int(np.prod(dims, dtype=np.int64)) if dims else 1
    if n == 0:
        return None
    dims, (ss, ds) = collapse(dims, [src_strides, dst_strides])
    if len(dims) > MAXR:
        raise Unsupported(f"copy over rank {len(dims)} (> {MAXR})")
    for base, strides, size, what in ((src_base, ss, src_size, "source"),
                                      (dst_base, ds, dst_size, "destination")):
        lo = base + sum(min(0, (d - 1) * s) for d, s in zip(dims, strides))
        hi = base + sum(max(0, (d - 1) * s) for d, s in zip(dims, strides))
        if lo < 0 or hi >= size:
            raise AssertionError(f"{op.type} '{op.name}': {what} offsets [{lo}, {hi}] outside "
                                 f"{size} elements")
    _check_size(src_size, dst_size)
    meta = np.zeros(3 + 3 * MAXR, np.int32)
    meta[0] = len(dims)
    meta[1:1 + len(dims)] = dims
    meta[1 + MAXR:1 + MAXR + len(dims)] = ss
    meta[1 + 2 * MAXR:1 + 2 * MAXR + len(dims)] = ds
    meta[1 + 3 * MAXR] = src_base
    meta[2 + 3 * MAXR] = dst_base
    program = op.program("movement.cl", elem_options(np.dtype(op.outputs[0].dtype).itemsize))
    return Launch(program, "copy_strided", (_round_up(n),), (LOCAL,),
                  (dst, src, op.constant(meta), np.int32(n)))


def _contiguous(shape: tuple[int, ...]) -> list[int]:
    out, step = [], 1
    for d in reversed(shape):
        out.insert(0, step)
        step *= int(d)
    return out


# --- views ---------------------------------------------------------------------------------
@register("Reshape", "Squeeze", "Unsqueeze")
def lower_view(op: OpContext) -> list[Launch]:
    op.alias(0, 0)
    return []


# --- ShapeOf: the static shape, copied from a constant ------------------------------------
@register("ShapeOf")
def lower_shape_of(op: OpContext) -> list[Launch]:
    out = op.outputs[0]
    shape = np.array(op.inputs[0].shape, dtype=out.dtype)
    if shape.size == 0:
        return []
    launch = strided_launch(op, op.constant(shape), Out(0), [shape.size], [1], [1], 0, 0,
                            shape.size, out.size)
    return [launch] if launch is not None else []


# --- Concat --------------------------------------------------------------------------------
@register("Concat")
def lower_concat(op: OpContext) -> list[Launch]:
    out = op.outputs[0]
    rank = len(out.shape)
    axis = int(op.attr("axis", 0))
    if axis < 0:
        axis += rank
    if not 0 <= axis < rank:
        raise Unsupported(f"Concat axis {op.attr('axis')} out of range for rank {rank}")
    outer = int(np.prod(out.shape[:axis], dtype=np.int64))
    post = int(np.prod(out.shape[axis + 1:], dtype=np.int64))
    out_row = out.shape[axis] * post
    launches = []
    offset = 0
    for k, spec in enumerate(op.inputs):
        row = spec.shape[axis] * post if spec.shape else 0
        launch = strided_launch(op, In(k), Out(0), [outer, row], [row, 1], [out_row, 1],
                                0, offset, spec.size, out.size)
        if launch is not None:
            launches.append(launch)
        offset += row
    return launches


# --- Gather ----------------------------------------------------------------------------------
def _supports_gather(node: Any) -> bool:
    return node.get_input_element_type(1).get_type_name() in IDX_TYPES


@register("Gather", supports=_supports_gather)
def lower_gather(op: OpContext) -> list[Launch]:
    data, indices, out = op.inputs[0], op.inputs[1], op.outputs[0]
    if op.inputs[2].const is None:
        raise Unsupported("Gather with a non-constant axis")
    rank = len(data.shape)
    axis = int(np.asarray(op.inputs[2].const).reshape(-1)[0])
    if axis < 0:
        axis += rank
    b = int(op.attr("batch_dims", 0))
    if b < 0:
        b += len(indices.shape)
    if not 0 <= b <= axis < rank:
        raise Unsupported(f"Gather axis {axis} / batch_dims {b} out of range")
    if out.size == 0:
        return []
    _check_size(data.size, out.size, indices.size)
    batch = int(np.prod(data.shape[:b], dtype=np.int64))
    outer = int(np.prod(data.shape[b:axis], dtype=np.int64))
    inner = int(np.prod(data.shape[axis + 1:], dtype=np.int64))
    count = int(np.prod(indices.shape[b:], dtype=np.int64))
    if batch * outer * count * inner != out.size:
        raise Unsupported(f"Gather output {out.shape} does not match data {data.shape} and "
                          f"indices {indices.shape}")
    idx_t = IDX_TYPES.get(indices.element_type.get_type_name())
    if idx_t is None:
        raise Unsupported(f"Gather indices of type {indices.element_type}")
    negative = op.node is None or op.node.get_type_info().version_id not in ("opset1", "opset7")
    options = elem_options(np.dtype(out.dtype).itemsize) + (f"-DIDX_T={idx_t}",
                                                            f"-DNEGATIVE_INDICES={int(negative)}")
    program = op.program("movement.cl", options)
    n = out.size
    return [Launch(program, "gather", (_round_up(n),), (LOCAL,),
                   (Out(0), In(0), In(1), np.int32(n), np.int32(outer),
                    np.int32(data.shape[axis]), np.int32(inner), np.int32(count)))]


@register("GatherElements", supports=_supports_gather)
def lower_gather_elements(op: OpContext) -> list[Launch]:
    data, indices, out = op.inputs[0], op.inputs[1], op.outputs[0]
    rank = len(data.shape)
    if rank > MAXR or len(indices.shape) != rank:
        raise Unsupported(f"GatherElements of rank {rank}")
    axis = int(op.attr("axis", 0))
    if axis < 0:
        axis += rank
    if not 0 <= axis < rank:
        raise Unsupported(f"GatherElements axis {op.attr('axis')} out of range")
    if out.size == 0:
        return []
    _check_size(data.size, out.size)
    idx_t = IDX_TYPES.get(indices.element_type.get_type_name())
    if idx_t is None:
        raise Unsupported(f"GatherElements indices of type {indices.element_type}")
    meta = np.zeros(18, np.int32)
    meta[0] = rank
    meta[1:1 + rank] = indices.shape
    meta[9:9 + rank] = _contiguous(data.shape)
    meta[17] = axis
    program = op.program("movement.cl", elem_options(np.dtype(out.dtype).itemsize)
                         + (f"-DIDX_T={idx_t}",))
    n = out.size
    return [Launch(program, "gather_elements", (_round_up(n),), (LOCAL,),
                   (Out(0), In(0), In(1), op.constant(meta), np.int32(n),
                    np.int32(data.shape[axis])))]


@register("GatherND", supports=_supports_gather)
def lower_gather_nd(op: OpContext) -> list[Launch]:
    data, indices, out = op.inputs[0], op.inputs[1], op.outputs[0]
    b = int(op.attr("batch_dims", 0))
    if not indices.shape:
        raise Unsupported("GatherND with scalar indices")
    k = indices.shape[-1]
    if k > MAXR or b + k > len(data.shape) or b >= len(indices.shape):
        raise Unsupported(f"GatherND with {k}-element index tuples and batch_dims {b}")
    if out.size == 0:
        return []
    _check_size(data.size, out.size, indices.size)
    idx_t = IDX_TYPES.get(indices.element_type.get_type_name())
    if idx_t is None:
        raise Unsupported(f"GatherND indices of type {indices.element_type}")
    strides = _contiguous(data.shape)
    meta = np.zeros(17, np.int32)
    meta[0] = k
    meta[1:1 + k] = data.shape[b:b + k]
    meta[9:9 + k] = strides[b:b + k]
    count = int(np.prod(indices.shape[b:-1], dtype=np.int64))
    inner = int(np.prod(data.shape[b + k:], dtype=np.int64))
    batch_stride = int(np.prod(data.shape[b:], dtype=np.int64))
    negative = op.node is None or op.node.get_type_info().version_id != "opset5"
    program = op.program("movement.cl", elem_options(np.dtype(out.dtype).itemsize)
                         + (f"-DIDX_T={idx_t}", f"-DNEGATIVE_INDICES={int(negative)}"))
    n = out.size
    return [Launch(program, "gather_nd", (_round_up(n),), (LOCAL,),
                   (Out(0), In(0), In(1), op.constant(meta), np.int32(n),
                    np.int32(max(count, 1)), np.int32(max(inner, 1)), np.int32(batch_stride)))]


@register("OneHot", supports=lambda node: node.get_input_element_type(0).get_type_name()
          in IDX_TYPES and node.get_output_element_type(0).size in ELEMS)
def lower_one_hot(op: OpContext) -> list[Launch]:
    indices, out = op.inputs[0], op.outputs[0]
    rank = len(out.shape)
    axis = int(op.attr("axis", -1))
    if axis < 0:
        axis += rank
    if not 0 <= axis < rank:
        raise Unsupported(f"OneHot axis {op.attr('axis')} out of range")
    if out.size == 0:
        return []
    _check_size(out.size)
    idx_t = IDX_TYPES.get(indices.element_type.get_type_name())
    if idx_t is None:
        raise Unsupported(f"OneHot indices of type {indices.element_type}")
    depth = int(out.shape[axis])
    inner = int(np.prod(out.shape[axis + 1:], dtype=np.int64))
    negative = str(op.attr("negative_indices_mode", "ignore_negative")).replace(
        "-", "_") == "normalize"
    program = op.program("movement.cl", elem_options(np.dtype(out.dtype).itemsize)
                         + (f"-DIDX_T={idx_t}", f"-DNEGATIVE_INDICES={int(negative)}"))
    n = out.size
    return [Launch(program, "one_hot", (_round_up(n),), (LOCAL,),
                   (Out(0), In(0), In(2), In(3), np.int32(n), np.int32(depth),
                    np.int32(max(inner, 1))))]


# --- index remappings ----------------------------------------------------------------------
REMAPS = ("Transpose", "Slice", "StridedSlice", "Split", "VariadicSplit", "Broadcast", "Tile",
          "Pad", "DepthToSpace", "SpaceToDepth", "ShuffleChannels", "ReorgYolo",
          "ReverseSequence")


def index_map(op: OpContext) -> list[np.ndarray]:
    """For each output, the flat index of the data element each output element copies
    (-1: Pad's fill value), from the op's reference evaluated on an index tensor."""
    if op.node is None:
        raise Unsupported(f"{op.type} without its node")
    data = op.inputs[0]
    _check_size(data.size)
    new_inputs: list[Any] = [ops.parameter(list(data.shape), ov.Type.i64)]
    values = [ov.Tensor(np.arange(data.size, dtype=np.int64).reshape(data.shape))]
    for i, spec in enumerate(op.inputs[1:], start=1):
        if op.type == "Pad" and i == 3:
            c = np.array(-1, np.int64)
        elif spec.const is None:
            raise Unsupported(f"{op.type} input {i} is not a constant")
        else:
            c = np.asarray(spec.const)
        new_inputs.append(ops.constant(c))
        values.append(ov.Tensor(np.ascontiguousarray(c)))
    if op.type == "Pad" and len(op.inputs) == 3:  # the default fill (zero) marked as -1 too
        new_inputs.append(ops.constant(np.array(-1, np.int64)))
        values.append(ov.Tensor(np.array(-1, np.int64)))
    clone = op.node.clone_with_new_inputs([n.output(0) for n in new_inputs])
    outs = [ov.Tensor(ov.Type.i64, list(s.shape)) for s in op.outputs]
    if not clone.evaluate(outs, values):
        raise Unsupported(f"{op.type} could not be evaluated on an index tensor")
    return [np.asarray(t.data).reshape(s.shape) for t, s in zip(outs, op.outputs)]


def affine(table: np.ndarray) -> tuple[int, list[int]] | None:
    """``(base, strides)`` when ``table[c] == base + sum(c[d] * strides[d])``, else None."""
    if table.size == 0:
        return 0, [0] * table.ndim
    if table.min() < 0:
        return None
    base = int(table.flat[0])
    strides = []
    pred = np.full((1,) * table.ndim, base, np.int64)
    for d, n in enumerate(table.shape):
        s = 0
        if n > 1:
            s = int(table[(0,) * d + (1,) + (0,) * (table.ndim - d - 1)]) - base
        strides.append(s)
        pred = pred + (np.arange(n, dtype=np.int64) * s).reshape(
            (1,) * d + (n,) + (1,) * (table.ndim - d - 1))
    return (base, strides) if np.array_equal(pred, table) else None


def _supports_remap(node: Any) -> bool:
    """The data's element size has a kernel, and no other input comes straight from a
    Parameter (the index map is computed at compile time; ReverseSequence's lengths must
    be a Constant)."""
    if node.get_input_size() == 0 or node.get_input_element_type(0).size not in ELEMS:
        return False
    for i in range(1, node.get_input_size()):
        producer = node.input_value(i).get_node().get_type_name()
        if producer == "Parameter" or (node.get_type_name() == "ReverseSequence"
                                       and producer != "Constant"):
            return False
    return True


@register(*REMAPS, supports=_supports_remap)
def lower_remap(op: OpContext) -> list[Launch]:
    data = op.inputs[0]
    tables = index_map(op)
    launches = []
    for j, (table, spec) in enumerate(zip(tables, op.outputs)):
        if spec.size == 0:
            continue
        _check_size(spec.size)
        if table.size and (table.max() >= data.size or table.min() < -1):
            raise AssertionError(f"{op.type} '{op.name}': index map outside the data")
        found = affine(table)
        if found is not None:
            base, strides = found
            launch = strided_launch(op, In(0), Out(j), list(spec.shape), strides,
                                    _contiguous(spec.shape), base, 0, data.size, spec.size)
            if launch is not None:
                launches.append(launch)
            continue
        fill: Any = In(0)
        if (table < 0).any():
            if len(op.inputs) > 3:
                fill = In(3)
            else:
                zero = np.zeros(1, np.dtype(spec.dtype))
                fill = op.constant(zero)
        program = op.program("movement.cl", elem_options(np.dtype(spec.dtype).itemsize))
        n = spec.size
        launches.append(Launch(program, "copy_table", (_round_up(n),), (LOCAL,),
                               (Out(j), In(0), op.constant(table.astype(np.int32).ravel()),
                                np.int32(n), fill)))
    return launches
