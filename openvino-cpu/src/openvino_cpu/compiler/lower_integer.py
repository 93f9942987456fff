"""Lowering of integer arithmetic (i32 / i64 Add, Subtract, Multiply, Maximum, Minimum,
FloorMod) and boolean logic (LogicalAnd / Or / Xor / Not) to the ``OV_K_IBINARY`` kernel
(``kernels/ieltwise.c``): the shape computations of real models (index arithmetic, masks)
run in C instead of their reference. ``lower_eltwise.lower_binary`` hands the integer
instances of its op types here."""

from __future__ import annotations

from openvino import Type
from openvino.plugin.passes import Op, Value

from .._native import lib
from .lowering import Lowering, handler
from .steps import collapse, contiguous_strides, strided_range

__all__ = ["lower_integer_binary"]

_ARITH = {
    "Add": lib.OV_IOP_ADD, "Subtract": lib.OV_IOP_SUB, "Multiply": lib.OV_IOP_MUL,
    "Maximum": lib.OV_IOP_MAX, "Minimum": lib.OV_IOP_MIN, "FloorMod": lib.OV_IOP_FLOORMOD,
}
_LOGIC = {
    "LogicalAnd": lib.OV_IOP_AND, "LogicalOr": lib.OV_IOP_OR, "LogicalXor": lib.OV_IOP_XOR,
    "LogicalNot": lib.OV_IOP_NOT,
}
_INT_SIZES = {"i32": 4, "i64": 8}


def _broadcast(shape: tuple[int, ...], out: tuple[int, ...]) -> list[int]:
    rank = len(out)
    shape = (1,) * (rank - len(shape)) + tuple(shape)
    own = contiguous_strides(shape)
    return [0 if shape[d] == 1 and out[d] != 1 else own[d] for d in range(rank)]


def _step(lw: Lowering, op: Op, code: int, a: Value, b: Value, y: Value, es: int,
          exec_type: str) -> bool:
    if op.attr("auto_broadcast", "numpy") not in ("numpy", "none"):
        return False
    out = tuple(y.shape)
    if len(a.shape) > len(out) or len(b.shape) > len(out):
        return False
    if y.size == 0:
        lw.need(y)
        return True
    sa, sb = _broadcast(a.shape, out), _broadcast(b.shape, out)
    shape, (sa, sb, _) = collapse(out, sa, sb, contiguous_strides(out))
    if len(shape) > 6:
        return False
    s = lw.step(lib.OV_K_IBINARY, op, exec_type)
    for v, st in ((a, sa), (b, sb)):
        lw.need(v)
        s.add(v, 0, *strided_range(shape, [x * es for x in st], es))
    lw.operand(s, y, write=True)
    rank = len(shape)
    pad = [0] * (6 - rank)
    s.p = [code, rank] + shape + [1] * (6 - rank) + sa + pad + sb + pad + [es]
    return True


def lower_integer_binary(lw: Lowering, op: Op) -> bool:
    """An i32 / i64 Add, Subtract, Multiply, Maximum, Minimum or FloorMod; False for
    other types or ops."""
    code = _ARITH.get(op.type)
    if code is None or len(op.inputs) != 2:
        return False
    a, b = op.inputs
    y = op.outputs[0]
    name = y.type.get_type_name()
    if a.type != y.type or b.type != y.type or name not in _INT_SIZES or op.post_ops:
        return False
    return _step(lw, op, code, a, b, y, _INT_SIZES[name], f"jit_eltwise_{name}")


@handler("FloorMod")
def lower_floormod(lw: Lowering, op: Op) -> bool:
    return lower_integer_binary(lw, op)


@handler("LogicalAnd", "LogicalOr", "LogicalXor", "LogicalNot")
def lower_logical(lw: Lowering, op: Op) -> bool:
    y = op.outputs[0]
    if y.type != Type.boolean or any(v.type != Type.boolean for v in op.inputs):
        return False
    a = op.inputs[0]
    b = op.inputs[1] if op.type != "LogicalNot" else a
    return _step(lw, op, _LOGIC[op.type], a, b, y, 1, "jit_eltwise_boolean")
