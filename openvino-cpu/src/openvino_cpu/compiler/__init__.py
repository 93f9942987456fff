"""The CPU compiler: ``openvino.Model`` (all shapes static) -> ``Plan``.

The device-independent passes come from the plugin SDK (``openvino.plugin.passes``):
build the static-shape graph, claim compressed matmul weights, fold constants, fuse
elementwise tails and batch norms (with the CPU kernels' limits, ``fusion``). Then this
package lowers ops to kernel steps and views (``lowering`` and the ``lower_*`` modules),
places values in memory (the SDK's ``MemoryPlan``), and checks and packs the plan
(``plan``).
"""

from __future__ import annotations

from collections.abc import Sequence

from openvino import Model
from openvino.plugin.passes import (
    Graph,
    NotStatic,
    claim_compressed_weights,
    fold_constants,
    fuse_post_ops,
)

from . import lower_compute, lower_eltwise, lower_movement  # noqa: F401  (register handlers)
from .fusion import CPUFusionRules
from .lowering import Lowering
from .plan import Plan, PlanError, PlanRunner

__all__ = ["compile_plan", "Plan", "PlanRunner", "PlanError", "NotStatic"]


def compile_plan(model: Model, input_shapes: Sequence[Sequence[int]] | None = None,
                 fuse: bool = True) -> Plan:
    """Lower ``model`` to an executable plan: its own static shapes, or ``input_shapes``
    (one per input; the SDK's ``static_model`` specialises a clone of the model)."""
    graph = Graph.from_model(model, input_shapes)
    claim_compressed_weights(graph)
    graph.remove_dead()
    fold_constants(graph)
    graph.remove_dead()
    if fuse:
        fuse_post_ops(graph, CPUFusionRules())
    lowering = Lowering(graph)
    lowering.run()
    return Plan.build(graph, lowering.steps, lowering.mem)
