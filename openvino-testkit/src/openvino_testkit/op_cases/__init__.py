"""The single-op models of op conformance, one module per op family.

``targets()`` walks core's ops (``openvino.plugin.reference.op_types()``): for each op
of an opset it asks the family builder for the op's cases with each candidate element
type and keeps the types the op's type inference accepts. An op without a builder is
still listed (with no element type), so the report shows it as not tested.
"""

from __future__ import annotations

import re
from importlib import import_module
from pkgutil import iter_modules

import openvino as ov

from ._case import BUILDERS, Built, Case, In, OpInfo, op_cases

__all__ = ["Built", "Case", "In", "OpInfo", "op_cases", "cases_for", "registry_ops", "BUILDERS"]

for _m in iter_modules(__path__):
    if not _m.name.startswith("_"):
        import_module(f"{__name__}.{_m.name}")

_OPSET_VERSION = re.compile(r"^opset(\d+)$")


def registry_ops() -> list[OpInfo]:
    """Every op of core's registry that belongs to an opset, sorted by type and version."""
    from openvino.plugin.reference import op_types

    infos = [OpInfo(name, version) for (name, version) in op_types()
             if _OPSET_VERSION.match(version)]
    return sorted(infos, key=lambda i: (i.type_name, i.number))


def cases_for(info: OpInfo, element_type: ov.Type) -> list[Case]:
    """The cases of ``info`` for ``element_type`` (empty when there is no builder)."""
    entry = BUILDERS.get(info.type_name)
    if entry is None:
        return []
    return list(entry[0](info, element_type))


def candidate_types(info: OpInfo) -> tuple[ov.Type, ...]:
    entry = BUILDERS.get(info.type_name)
    return entry[1] if entry is not None else ()
