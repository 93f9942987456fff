"""``save_model(compress_to_fp16=True)``: f32/f64 Constants become an f16 Constant plus a
Convert back to the original type, marked with the ``decompression`` runtime attribute,
following what the real runtime writes:

* a constant stays as it is when at least 75% of its values do not fit f16: NaN, magnitude
  above 65504, or a nonzero value whose f16 rounding is off by more than 0.1% (deep
  subnormals); otherwise NaN becomes 65504 and out-of-range values clamp to +-65504;
* the compressed constant is named ``<name>_compressed`` and keeps the tensor names; the
  Convert takes the constant's name;
* the bodies of control flow ops are compressed too (each judged on its own);
* a model that is already optimized is left alone entirely: one with FakeQuantize, or with
  a weight-decompression pattern Multiply(Convert(low-precision Const) [- zero point],
  constant scale) over u8/i8/u4/i4/nf4/f8 weights.
"""

from __future__ import annotations

import numpy as np

from .._model import Model
from .._node import Node, Output
from .._tensor import Tensor
from .._type import Type
from .runtime_attribute import decompression

__all__ = ["compress_model_to_fp16"]

F16_MAX = 65504.0
KEEP_PROPORTION = 0.75
MAX_RELATIVE_ERROR = 1e-3
_WEIGHT_TYPES = frozenset(
    Type(name) for name in ("u8", "i8", "u4", "i4", "nf4", "f8e4m3", "f8e5m2"))


def compress_model_to_fp16(model: Model) -> None:
    """Compress ``model``'s float constants to f16 in place (call it on a clone)."""
    ops = model.get_ordered_ops()
    if _is_optimized(ops):
        return
    from .. import _op_registry

    convert_cls = _op_registry.lookup("Convert", "opset1")
    if convert_cls is None:
        raise RuntimeError("fp16 compression needs the Convert operation, which is not "
                           "registered")
    for node in ops:
        if node.type_name == "Constant" and node.get_element_type() in (Type.f32, Type.f64):
            _compress(node, convert_cls)
    for node in ops:  # the bodies of If/Loop/TensorIterator, as the real writer does
        for body in getattr(node, "_bodies", None) or ():
            if body is not None:
                compress_model_to_fp16(body)


def _out_of_range_proportion(values: np.ndarray) -> float:
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if v.size == 0:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        bad = np.isnan(v) | (np.abs(v) > F16_MAX)
        small = ~bad & (v != 0)
        rounded = v[small].astype(np.float16).astype(np.float64)
        err = np.abs(rounded - v[small]) / np.abs(v[small])
    return (int(bad.sum()) + int((err > MAX_RELATIVE_ERROR).sum())) / v.size


def to_f16(values: np.ndarray) -> np.ndarray:
    """``values`` rounded to f16 the way compression stores them (NaN -> 65504, clamped)."""
    v = np.asarray(values)
    with np.errstate(invalid="ignore"):
        clamped = np.where(np.isnan(v), F16_MAX, np.clip(v, -F16_MAX, F16_MAX))
    return clamped.astype(v.dtype).astype(np.float16)


def _compress(const: Node, convert_cls: type) -> None:
    from .._ops.constant import Constant

    values = const.get_evaluation_data()
    if _out_of_range_proportion(values) >= KEEP_PROPORTION:
        return
    shape = tuple(values.shape)
    name = const.get_friendly_name()
    small = Constant._from_tensor(Tensor._wrap(np.ascontiguousarray(to_f16(values)), Type.f16,
                                               shape), name=f"{name}_compressed")
    convert = convert_cls(small, destination_type=const.get_element_type(), name=name)
    convert._rt_info["decompression_0"] = decompression()
    old = const._outputs[0]
    names = set(old.names)
    feeds_result = any(n.type_name == "Result" for n, _ in old.consumers)
    old.names = set()
    Output(const, 0).replace(Output(convert, 0))
    if feeds_result:
        convert._outputs[0].names |= names
    else:
        small._outputs[0].names |= names


def _is_optimized(ops: list[Node]) -> bool:
    for node in ops:
        if node.type_name == "FakeQuantize":
            return True
        if node.type_name == "Multiply" and len(node._inputs) == 2:
            a, b = node._inputs
            if (_is_weight(a) and _is_constant(b)) or (_is_weight(b) and _is_constant(a)):
                return True
    return False


def _is_constant(out: Output) -> bool:
    node = out.get_node()
    if node.type_name == "Convert" and node._inputs:
        node = node._inputs[0].get_node()
    return node.type_name == "Constant"


def _is_weight(out: Output) -> bool:
    node = out.get_node()
    if node.type_name == "Subtract" and node._inputs:
        node = node._inputs[0].get_node()
    if node.type_name != "Convert" or not node._inputs:
        return False
    src = node._inputs[0].get_node()
    return src.type_name == "Constant" and src.get_element_type() in _WEIGHT_TYPES
