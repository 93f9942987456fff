"""Expanding a node through an ONNX function: a model-local function, or the function body
the ``onnx`` package defines for an op (``LayerNormalization``, ``Celu``, ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._node import Output
from .registry import normalize_domain
from .types import onnx_type

__all__ = ["schema_function", "expand_function"]


def _type_proto(out: Output) -> Any:
    from onnx import helper

    et = onnx_type(out.get_element_type())
    ps = out.get_partial_shape()
    if ps.rank.is_dynamic:
        return helper.make_tensor_type_proto(et, None)
    dims = [d.get_length() if d.is_static else None for d in ps]
    return helper.make_tensor_type_proto(et, dims)


def schema_function(node: Any, inputs: Sequence[Output | None], version: int) -> Any:
    """The ``FunctionProto`` the onnx package defines for ``node`` at opset ``version``, or
    ``None`` when the op has no function body."""
    from onnx import FunctionProto, defs

    domain = normalize_domain(node.domain)
    try:
        schema = defs.get_schema(node.op_type, version, domain)
    except Exception:
        return None
    body = None
    if schema.has_function:
        usable = [v for v in schema.function_opset_versions if v <= version]
        if usable:
            body = schema.get_function_with_opset_version(max(usable))
    if body is None and schema.has_context_dependent_function:
        usable = [v for v in schema.context_dependent_function_opset_versions if v <= version]
        if usable:
            types = [_type_proto(x).SerializeToString() if x is not None
                     else b"" for x in inputs]
            try:
                body = schema.get_context_dependent_function_with_opset_version(
                    max(usable), node.SerializeToString(), types)
            except Exception:
                body = None
    if not body:
        return None
    fp = FunctionProto()
    fp.ParseFromString(body)
    if not len(fp.node):
        return None
    known = {a.name for a in fp.attribute_proto}
    for attr_name, spec in schema.attributes.items():
        default = spec.default_value
        if attr_name not in known and default is not None and default.type:
            entry = fp.attribute_proto.add()
            entry.CopyFrom(default)
            entry.name = attr_name
    return fp


def _bind_attributes(inner: Any, caller: Any, defaults: dict[str, Any]) -> Any:
    """A copy of ``inner`` whose attribute references take the caller's values."""
    from onnx import NodeProto

    if not any(a.ref_attr_name for a in inner.attribute):
        return inner
    given = {a.name: a for a in caller.attribute}
    out = NodeProto()
    out.CopyFrom(inner)
    del out.attribute[:]
    for a in inner.attribute:
        if not a.ref_attr_name:
            out.attribute.append(a)
            continue
        src = given.get(a.ref_attr_name) or defaults.get(a.ref_attr_name)
        if src is None:
            continue
        bound = out.attribute.add()
        bound.CopyFrom(src)
        bound.name = a.name
    return out


def expand_function(builder: Any, node: Any, function: Any, inputs: Sequence[Output | None],
                    opsets: dict[str, int]) -> list[Output | None]:
    """Map ``function``'s body with ``node``'s inputs and attributes; return the outputs."""
    local: dict[str, Output] = {}
    for formal, actual in zip(function.input, inputs):
        if actual is not None:
            local[formal] = actual
    inner_opsets = dict(opsets)
    for imp in function.opset_import:
        inner_opsets[normalize_domain(imp.domain)] = int(imp.version)
    defaults = {a.name: a for a in function.attribute_proto}
    body = [_bind_attributes(n, node, defaults) for n in function.node]
    try:
        builder.map_nodes(body, local, inner_opsets, keep_names=False)
    except RuntimeError as e:
        raise RuntimeError(f"in its function body: {e}") from e
    outs: list[Output | None] = []
    for formal in function.output:
        outs.append(local.get(formal))
    return outs
