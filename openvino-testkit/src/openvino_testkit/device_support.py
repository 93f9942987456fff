"""What an API check needs from the device beside the API: the ops of its model.

An API check runs a small model; when the device does not take one of its ops (by
``core.query_model``), the check does not apply (it is reported as skipped, the op as
unsupported by op conformance) instead of failing for a reason that is not the API's.
"""

from __future__ import annotations

from typing import Any

import pytest

__all__ = ["require_support", "compile_for"]

_STRUCTURAL = frozenset({"Parameter", "Result", "Constant"})


def require_support(core: Any, model: Any, target: str) -> None:
    """Skip the calling check unless ``target`` takes every op of ``model``."""
    supported = core.query_model(model, target)
    missing = sorted({f"{op.get_type_name()}({op.get_output_element_type(0)})"
                      if op.get_output_size() else op.get_type_name()
                      for op in model.get_ordered_ops()
                      if op.get_type_name() not in _STRUCTURAL
                      and op.get_friendly_name() not in supported})
    if missing:
        pytest.skip(f"not applicable: {target} does not take {', '.join(missing)} "
                    "(query_model), which this check's model uses")


def compile_for(core: Any, model: Any, target: str, config: dict[str, Any] | None = None
                ) -> Any:
    """``core.compile_model(model, target, config)`` after ``require_support``."""
    require_support(core, model, target)
    if config is None:
        return core.compile_model(model, target)
    return core.compile_model(model, target, config)
