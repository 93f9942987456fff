"""The CPU compiler: ``openvino.Model`` (all shapes static) -> ``Plan``.

Passes, in order: build the graph (``graph``), claim compressed matmul weights
(``decompression``), fold constants (``folding``), fuse elementwise tails and batch norms
(``fusion``), lower ops to kernel steps and views (``lowering`` and the ``lower_*``
modules), place values in memory (``memory``), and check and pack the plan (``plan``).
"""

from __future__ import annotations

from openvino import Model

from . import lower_compute, lower_eltwise, lower_movement  # noqa: F401  (register handlers)
from .decompression import claim_compressed_weights
from .folding import fold_constants
from .fusion import fuse_post_ops
from .graph import Graph, NotStatic
from .lowering import Lowering
from .plan import Plan, PlanError, PlanRunner

__all__ = ["compile_plan", "Plan", "PlanRunner", "PlanError", "NotStatic"]


def compile_plan(model: Model, fuse: bool = True) -> Plan:
    """Lower ``model`` (static shapes) to an executable plan."""
    graph = Graph.from_model(model)
    claim_compressed_weights(graph)
    graph.remove_dead()
    fold_constants(graph)
    graph.remove_dead()
    if fuse:
        fuse_post_ops(graph)
    lowering = Lowering(graph)
    lowering.run()
    return Plan.build(graph, lowering.steps, lowering.mem)
