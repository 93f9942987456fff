"""Elementwise ops (unary, binary with numpy broadcasting, Select, Convert) and chains of
them: the op and its fused post ops become one ``eltwise`` kernel of ``kernels/eltwise.cl``
whose body (``CHAIN``) is generated here from the chain, one build per distinct chain.

Scalar constant operands are written into the chain as literals; other operands are
tensor inputs of the kernel (at most six), read with their broadcast strides.

Fused post ops (``op.post_ops``, registered with ``post_ops=True``) continue the chain on
the op's result ``v``: a unary post op applies to it; a binary post op's operand is bound
as input ``In(len(op.inputs) + k)`` for post op ``k`` (the runtime's numbering: unary
post ops keep their number and bind nothing; a one-element constant is written as a
literal and its input left unused), on the right of ``v`` unless ``attrs["swap"]`` says it
is the left argument.
BatchNormInference and FakeQuantize are elementwise ops of this kind too (their
per-channel or broadcast parameters are operands)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import In, Launch, OpContext, Out, PostOp, TensorSpec, Unsupported, register

__all__ = ["UNARY", "BINARY", "chain_options", "post_chain", "collapse", "broadcast_strides"]

FLOAT_TYPES = {"f32", "f16", "bf16", "f64"}
INT_C_TYPES = {
    "i8": "char", "u8": "uchar", "i16": "short", "u16": "ushort", "i32": "int",
    "u32": "uint", "i64": "long", "u64": "ulong", "boolean": "uchar",
}
MAX_RANK = 8
MAX_TENSORS = 6
INT_MAX = 2**31 - 1


def _const(fmt: str) -> Callable[..., str]:
    return lambda a, attrs: fmt.format(*a)


def _gelu(a: Sequence[str], attrs: dict) -> str:
    mode = str(attrs.get("approximation_mode", "ERF")).upper()
    return f"ov_gelu_tanh({a[0]})" if mode == "TANH" else f"ov_gelu_erf({a[0]})"


def _round(a: Sequence[str], attrs: dict) -> str:
    mode = str(attrs.get("mode", "half_to_even")).lower()
    return f"ov_round_away({a[0]})" if mode == "half_away_from_zero" else f"ov_round_even({a[0]})"


#: op type -> (number of operands, float only, expression builder(args, attrs))
UNARY: dict[str, tuple[int, bool, Callable[..., str]]] = {
    "Relu": (1, False, _const("ov_relu({0})")),
    "Abs": (1, False, _const("ov_abs({0})")),
    "Negative": (1, False, _const("ov_negative({0})")),
    "Sign": (1, False, _const("ov_sign({0})")),
    "LogicalNot": (1, False, _const("ov_logicalnot({0})")),
    "Convert": (1, False, _const("{0}")),
    "Clamp": (1, False, lambda a, at: f"ov_clamp({a[0]},{at['lo']},{at['hi']})"),
    "Gelu": (1, True, _gelu),
    "Round": (1, True, _round),
    "Elu": (1, True, lambda a, at: f"ov_elu({a[0]},{at['alpha_lit']})"),
    "Swish": (2, True, lambda a, at: f"ov_swish({a[0]},{a[1] if len(a) > 1 else '1.0f'})"),
    "HardSigmoid": (3, True, _const("ov_hardsigmoid({0},{1},{2})")),
    "Selu": (3, True, _const("ov_selu({0},{1},{2})")),
    "PRelu": (2, False, _const("ov_prelu({0},{1})")),
    "ConvertLike": (1, False, _const("{0}")),
    "IsNaN": (1, True, _const("ov_isnan({0})")),
    "IsFinite": (1, True, _const("ov_isfinite({0})")),
    "IsInf": (1, True, lambda a, at: (f"ov_isinf({a[0]},"
                                      f"{int(bool(at.get('detect_negative', True)))},"
                                      f"{int(bool(at.get('detect_positive', True)))})")),
}
for _name in ("Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Floor", "Ceiling", "Sin", "Cos", "Tan",
              "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Erf", "HSwish",
              "HSigmoid", "SoftPlus", "Mish", "SoftSign"):
    UNARY[_name] = (1, True, _const(f"ov_{_name.lower()}({{0}})"))

BINARY = {
    "Add", "Subtract", "Multiply", "Divide", "Maximum", "Minimum", "Power", "Mod", "FloorMod",
    "SquaredDifference", "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual",
    "LogicalAnd", "LogicalOr", "LogicalXor",
}
ELTWISE = set(UNARY) | BINARY | {"Select", "BatchNormInference", "FakeQuantize"}
#: functions of the reals that take integer tensors too: computed in float, the result
#: rounded half away from zero and saturated to the integer type (as the reference)
REAL_FUNCTIONS = {"Exp", "Log", "Sqrt", "Erf", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan",
                  "Sinh", "Cosh", "Tanh", "Asinh", "Acosh", "Atanh"}
#: rounding ops: the identity on integer tensors
ROUNDING = {"Floor", "Ceiling", "Round"}
#: integer types a real function computes exactly enough in float
REAL_INT_TYPES = {"i8", "u8", "i16", "u16", "i32", "u32"}
#: ops whose first input alone is an operand (the others give only a type)
FIRST_ONLY = {"ConvertLike"}


def broadcast_strides(shape: Sequence[int], out: Sequence[int]) -> list[int]:
    """Element strides of a contiguous ``shape`` read numpy-broadcast into ``out``."""
    shape = (1,) * (len(out) - len(shape)) + tuple(shape)
    strides = [0] * len(out)
    step = 1
    for d in range(len(out) - 1, -1, -1):
        strides[d] = 0 if shape[d] == 1 and out[d] != 1 else step
        step *= shape[d]
    return strides


def collapse(out: Sequence[int], strides: Sequence[Sequence[int]]
             ) -> tuple[list[int], list[list[int]]]:
    """Merge neighbouring dims that every operand walks contiguously (or broadcasts)."""
    dims: list[int] = []
    st: list[list[int]] = [[] for _ in strides]
    for d, n in enumerate(out):
        if n == 1:
            continue
        if dims and all(s[d] * n == cur[-1] or (s[d] == 0 and cur[-1] == 0)
                        for s, cur in zip((s for s in strides), st)):
            # merging dims[-1] (outer) with d (inner): outer stride must be inner * n
            dims[-1] *= n
            for k, s in enumerate(strides):
                st[k][-1] = s[d]
            continue
        dims.append(n)
        for k, s in enumerate(strides):
            st[k].append(s[d])
    return dims, st


def _literal(value: float, floating: bool) -> str:
    if floating:
        v = float(value)
        if math.isnan(v):
            return "NAN"
        if math.isinf(v):
            return "INFINITY" if v > 0 else "(-INFINITY)"
        return f"{v!r}f".replace("e+", "e")
    return f"((CT){int(value)}L)"


def _is_float(spec: TensorSpec) -> bool:
    return spec.element_type.get_type_name() in FLOAT_TYPES


def _c_type(spec: TensorSpec) -> str:
    name = spec.element_type.get_type_name()
    if name in FLOAT_TYPES:
        return "FTYPE"
    try:
        return INT_C_TYPES[name]
    except KeyError:
        raise Unsupported(f"element type {name} has no GPU elementwise kernel") from None


class _Chain:
    """Operands and statements of a chain under construction."""

    def __init__(self, out: TensorSpec, floating: bool, prefix: str = "a") -> None:
        self.out = out
        self.floating = floating
        self.prefix = prefix
        self.tensors: list[tuple[Any, TensorSpec, tuple[int, ...]]] = []  # (arg, spec, shape)
        self.statements: list[str] = []

    def operand(self, arg: Any, spec: TensorSpec, shape: tuple[int, ...] | None = None) -> str:
        """The expression of an operand: a literal for a one-element constant, else a0..a3."""
        if spec.const is not None and spec.size == 1:
            return _literal(np.asarray(spec.const).reshape(-1)[0], self.floating)
        if spec.size == 0 and self.out.size == 0:
            pass
        self.tensors.append((arg, spec, shape if shape is not None else spec.shape))
        if len(self.tensors) > MAX_TENSORS:
            raise Unsupported(f"more than {MAX_TENSORS} tensor operands in one elementwise chain")
        return f"{self.prefix}{len(self.tensors) - 1}"


def _expression(chain: _Chain, op_type: str, args: list[str], attrs: dict) -> str:
    if op_type in ("BatchNormInference", "FakeQuantize") and not chain.floating:
        raise Unsupported(f"{op_type} on integers has no GPU kernel")
    if op_type == "BatchNormInference":
        return f"ov_batchnorm({','.join(args)},{_literal(attrs.get('epsilon', 0.0), True)})"
    if op_type == "FakeQuantize":
        steps = _literal(float(int(attrs.get("levels", 256)) - 1), True)
        return f"ov_fakequantize({','.join(args)},{steps})"
    if op_type in BINARY:
        return f"ov_{op_type.lower()}({args[0]},{args[1]})"
    if op_type == "Select":
        return f"ov_select({args[0]},{args[1]},{args[2]})"
    count, float_only, build = UNARY[op_type]
    if float_only and not chain.floating:
        raise Unsupported(f"{op_type} on integers has no GPU kernel")
    return build(args, attrs)


def _attrs_for(op_type: str, attrs: dict, floating: bool) -> dict:
    attrs = dict(attrs)
    if op_type == "Clamp":
        lo, hi = float(attrs.get("min", -np.inf)), float(attrs.get("max", np.inf))
        if not floating:  # integer clamp: bounds rounded inwards, as OpenVINO does
            lo, hi = math.ceil(lo), math.floor(hi)
            lo, hi = max(lo, -2**63), min(hi, 2**63 - 1)
        attrs["lo"], attrs["hi"] = _literal(lo, floating), _literal(hi, floating)
    if op_type == "Elu":
        attrs["alpha_lit"] = _literal(float(attrs.get("alpha", 1.0)), True)
    return attrs


def _check_broadcast(op: OpContext) -> None:
    mode = str(op.attr("auto_broadcast", "numpy")).lower()
    if mode not in ("numpy", "none"):
        raise Unsupported(f"auto_broadcast={mode} has no GPU kernel")


def chain_options(op: OpContext, chain: _Chain) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """Build options and the kernel's tensor arguments for a finished chain."""
    out = chain.out
    if out.size > INT_MAX:
        raise Unsupported("tensor too large for 32-bit indexing")
    shape = tuple(out.shape)
    strides = []
    for _arg, _spec, sh in chain.tensors:
        if len(sh) > len(shape):
            raise Unsupported(f"operand shape {sh} does not broadcast to {shape}")
        strides.append(broadcast_strides(sh, shape))
    dims, st = collapse(shape, strides)
    if len(dims) > MAX_RANK:
        raise Unsupported(f"elementwise broadcast over rank {len(dims)} (> {MAX_RANK})")
    options = [f"-DCT={'float' if chain.floating else 'long'}",
               f"-DCT_FLOAT={int(chain.floating)}", f"-DNIN={len(chain.tensors)}"]
    contiguous = []
    step = 1
    for n in reversed(dims):
        contiguous.insert(0, step)
        step *= n
    for k, (_arg, spec, sh) in enumerate(chain.tensors):
        flat = st[k] == contiguous and int(np.prod(sh, dtype=np.int64)) == out.size
        options += [f"-DIN{k}_T={_c_type(spec)}", f"-DIN{k}_F={int(_is_float(spec))}",
                    f"-DIN{k}_FLAT={int(flat)}"]
    out_name = out.element_type.get_type_name()
    options += [f"-DOUT_T={_c_type(out)}", f"-DOUT_F={int(_is_float(out))}",
                f"-DOUT_BOOL={int(out_name == 'boolean')}"]
    body = "".join(chain.statements)
    if " " in body:
        raise AssertionError(f"chain text must have no spaces: {body!r}")
    options.append(f"-DCHAIN={body}")
    meta = np.zeros(1 + MAX_RANK + MAX_RANK * MAX_TENSORS, np.int32)
    meta[0] = len(dims)
    meta[1:1 + len(dims)] = dims
    for k, s in enumerate(st):
        meta[1 + MAX_RANK + MAX_RANK * k: 1 + MAX_RANK + MAX_RANK * k + len(s)] = s
    return tuple(options), (op.constant(meta),) + tuple(a for a, _s, _sh in chain.tensors)


def _real_of_int(op: OpContext) -> bool:
    """A function of the reals applied to an integer tensor."""
    return (op.type in REAL_FUNCTIONS
            and op.inputs[0].element_type.get_type_name() in REAL_INT_TYPES)


def _floating(op: OpContext) -> bool:
    t = op.type
    if _real_of_int(op):
        return True
    if t in ("Convert", "ConvertLike"):
        return _is_float(op.inputs[0])
    if t == "Select":
        return _is_float(op.inputs[1])
    return _is_float(op.inputs[0])


def _prelu_slope_shape(op: OpContext) -> tuple[int, ...]:
    x, slope = op.inputs[0].shape, op.inputs[1].shape
    if len(slope) == 1 and len(x) >= 2 and slope[0] == x[1]:
        return (slope[0],) + (1,) * (len(x) - 2)
    return slope


def _post_expression(chain: _Chain, post: PostOp, index: int) -> str:
    """``v`` with the post op applied (its tensor operand, if any, on the right unless the
    post op's attributes say ``swap``)."""
    attrs = _attrs_for(post.type, post.attrs, chain.floating)
    if post.operand is None:
        return _expression(chain, post.type, ["v"], attrs)
    other = chain.operand(In(index), post.operand)
    args = [other, "v"] if post.attrs.get("swap") else ["v", other]
    return _expression(chain, post.type, args, attrs)


def post_chain(op: OpContext) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """Build options and trailing kernel arguments of the fused elementwise tail of a GEMM
    or convolution (``kernels/postops.h``): its chain on the float result ``v`` of output
    element ``oi``, its tensor operands (post op k's is ``In(len(op.inputs) + k)``) and the
    stored type. Without post ops only the output kind."""
    out = op.outputs[0]
    name = out.element_type.get_type_name()
    if name in FLOAT_TYPES:
        kind: tuple[str, ...] = ("-DOUT_KIND=0",)
    elif name == "boolean":
        kind = ("-DOUT_KIND=2",)
    else:
        kind = ("-DOUT_KIND=1", f"-DOUT_T={_c_type(out)}")
    if not op.post_ops:
        return kind, ()
    chain = _Chain(out, True, prefix="Q")
    for k, post in enumerate(op.post_ops):
        chain.statements.append(f"v={_post_expression(chain, post, len(op.inputs) + k)};")
    shape = tuple(out.shape)
    strides = []
    for _arg, spec, sh in chain.tensors:
        if not _is_float(spec):
            raise Unsupported(f"fused post op operand of type {spec.element_type}")
        if len(sh) > len(shape):
            raise Unsupported(f"post operand shape {sh} does not broadcast to {shape}")
        strides.append(broadcast_strides(sh, shape))
    dims, st = collapse(shape, strides)
    if len(dims) > MAX_RANK:
        raise Unsupported(f"post op broadcast over rank {len(dims)} (> {MAX_RANK})")
    contiguous = []
    step = 1
    for n in reversed(dims):
        contiguous.insert(0, step)
        step *= n
    options = list(kind) + ["-DHAS_POST=1", f"-DNQ={len(chain.tensors)}"]
    for k, (_arg, _spec, sh) in enumerate(chain.tensors):
        flat = st[k] == contiguous and int(np.prod(sh, dtype=np.int64)) == out.size
        where = "oi" if flat else f"strided_index(oi,post_meta,{k})"
        options.append(f"-DQ{k}=LOAD(q{k},{where})")
    body = "".join(chain.statements)
    if " " in body:
        raise AssertionError(f"chain text must have no spaces: {body!r}")
    options.append(f"-DPOST={body}")
    meta = np.zeros(1 + MAX_RANK + MAX_RANK * MAX_TENSORS, np.int32)
    meta[0] = len(dims)
    meta[1:1 + len(dims)] = dims
    for k, sk in enumerate(st):
        meta[1 + MAX_RANK + MAX_RANK * k: 1 + MAX_RANK + MAX_RANK * k + len(sk)] = sk
    return tuple(options), (op.constant(meta),) + tuple(a for a, _s, _sh in chain.tensors)


def lower_chain(op: OpContext) -> list[Launch]:
    """The op (and its fused post ops) as one eltwise launch."""
    _check_broadcast(op)
    out = op.outputs[0]
    floating = _floating(op)
    chain = _Chain(out, floating)
    shape_of: dict[int, tuple[int, ...]] = {}
    order = list(range(len(op.inputs)))
    if op.type == "PRelu":
        shape_of[1] = _prelu_slope_shape(op)
    if op.type in FIRST_ONLY:
        order = [0]
    if op.type == "BatchNormInference":
        # (data, gamma, beta, mean, variance); v1 takes gamma, beta first
        v1 = op.node is not None and op.node.get_type_info().version_id == "opset1"
        order = [2, 0, 1, 3, 4] if v1 else [0, 1, 2, 3, 4]
        rank = len(op.inputs[order[0]].shape)
        for i in order[1:]:
            shape_of[i] = (op.inputs[i].size,) + (1,) * max(rank - 2, 0)
    args = [chain.operand(In(i), op.inputs[i], shape_of.get(i)) for i in order]
    attrs = _attrs_for(op.type, op.node.get_attributes() if op.node is not None else {},
                       floating)
    if op.type == "Divide" and not floating:
        pythondiv = bool(attrs.get("m_pythondiv", True))
    else:
        pythondiv = True
    if op.type in ROUNDING and not floating:  # integers are already whole
        chain.statements.append(f"v={args[0]};")
    else:
        chain.statements.append(f"v={_expression(chain, op.type, args, attrs)};")
    for k, post in enumerate(op.post_ops):  # post op k's operand is In(len(inputs) + k)
        chain.statements.append(f"v={_post_expression(chain, post, len(op.inputs) + k)};")
    return _finish_chain(op, chain, pythondiv)


def _finish_chain(op: OpContext, chain: _Chain, pythondiv: bool) -> list[Launch]:
    options, tensors = chain_options(op, chain)
    options += (f"-DPYTHONDIV={int(pythondiv)}", f"-DOUT_ROUND={int(_real_of_int(op))}")
    n = op.outputs[0].size
    if n == 0:
        return []
    program = op.program("eltwise.cl", op.float_options() + options)
    local = 64
    return [Launch(program, "eltwise", (_round_up(n, local),), (local,),
                   (Out(0), tensors[0], np.int32(n)) + tensors[1:])]


def _round_up(n: int, m: int) -> int:
    return max((n + m - 1) // m * m, m) if n else 0


def supports_node(node: Any) -> bool:
    t = node.get_type_name()
    types = [node.get_input_element_type(i).get_type_name() for i in range(node.get_input_size())]
    out = node.get_output_element_type(0).get_type_name()
    known = FLOAT_TYPES | set(INT_C_TYPES)
    if any(x not in known for x in types) or out not in known:
        return False
    if "f64" in types or out == "f64":
        return False
    floating = types[1] in FLOAT_TYPES if t == "Select" else types[0] in FLOAT_TYPES
    if t in UNARY and UNARY[t][1] and not floating and t not in ROUNDING and not (
            t in REAL_FUNCTIONS and types[0] in REAL_INT_TYPES):
        return False
    if t in ("BatchNormInference", "FakeQuantize") and not floating:
        return False
    attrs = node.get_attributes()
    if str(attrs.get("auto_broadcast", "numpy")).lower() not in ("numpy", "none"):
        return False
    return node.get_output_partial_shape(0).rank.is_static and \
        node.get_output_partial_shape(0).rank.get_length() <= 8


register(*sorted(ELTWISE), supports=supports_node, post_ops=True)(lower_chain)

__all__ += ["lower_chain", "ELTWISE"]
