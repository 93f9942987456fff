"""The CPU compiler: ``openvino.Model`` (all shapes static) -> ``Plan``.

The device-independent passes come from the plugin SDK (``openvino.plugin.passes``,
``prepare_graph``): build the static-shape graph, claim compressed matmul weights, fold
constants, fuse elementwise tails and batch norms (with the CPU kernels' limits,
``fusion``). Then this
package lowers ops to kernel steps and views (``lowering`` and the ``lower_*`` modules),
places values in memory (the SDK's ``MemoryPlan``), and checks and packs the plan
(``plan``).
"""

from __future__ import annotations

from collections.abc import Sequence

from openvino import Model
from openvino.plugin.passes import ConstantCache, NotStatic, prepare_graph

from . import (  # noqa: F401  (register handlers)
    lower_compute,
    lower_control,
    lower_eltwise,
    lower_integer,
    lower_interpolate,
    lower_lrn,
    lower_movement,
    lower_topk,
)
from .fusion import CPUFusionRules
from .lowering import Lowering
from .plan import Plan, PlanError, PlanRunner

__all__ = ["compile_plan", "Plan", "PlanRunner", "PlanError", "NotStatic"]


def compile_plan(model: Model, input_shapes: Sequence[Sequence[int]] | None = None,
                 fuse: bool = True, cache: ConstantCache | None = None,
                 dq_group: int = 0) -> Plan:
    """Lower ``model`` to an executable plan: its own static shapes, or ``input_shapes``
    (one per input; the SDK's ``static_model`` specialises a clone of the model).
    ``cache``: the compiled model's ``ConstantCache``, so that the plans of a dynamic
    model claim, fold and pack its weights once. ``dq_group``:
    DYNAMIC_QUANTIZATION_GROUP_SIZE for matmuls with compressed weights."""
    graph = prepare_graph(model, input_shapes, fuse=fuse, rules=CPUFusionRules(),
                          cache=cache)
    lowering = Lowering(graph, cache, dq_group)
    lowering.run()
    return Plan.build(graph, lowering.steps, lowering.mem)
