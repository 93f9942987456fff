"""Shared compiler passes for device authors: the device-independent steps of turning an
``openvino.Model`` into something a device runs.

Not to be confused with :mod:`openvino.passes` (OpenVINO's graph transformation API on
``Model`` objects): these passes work on the plugin SDK's own ``Graph`` of static shapes,
which a device lowers to its kernels. A device compiler runs them in this order::

    from openvino.plugin.passes import (Graph, claim_compressed_weights, fold_constants,
                                        fuse_post_ops, plan_arena)

    graph = Graph.from_model(model, input_shapes)   # static shapes (NotStatic if not)
    claim_compressed_weights(graph)                 # MatMul.compressed_weights
    graph.remove_dead()
    fold_constants(graph)                           # values computable now -> constants
    graph.remove_dead()
    fuse_post_ops(graph, MyFusionRules())           # op.post_ops / op.weight_scale
    for op in graph.ops: ...                        # lower each op to the device's kernels
    memory = plan_arena(graph, align=128)           # or a MemoryPlan built while lowering

or, the same up to the lowering, ``graph = prepare_graph(model, input_shapes,
rules=MyFusionRules())``.

Names here:

* :class:`Graph`, :class:`Op`, :class:`Value`, :class:`NotStatic`, :func:`static_model`,
  :func:`shared_clone`: the static-shape graph (``graph``);
* :func:`fold_constants` (``folding``);
* :class:`CompressedWeights`, :func:`claim_compressed_weights`, :data:`COMPRESSED_TYPES`
  (``decompression``);
* :class:`EltwiseStep`, :func:`unary_step`, :func:`binary_function`, :func:`apply_steps`,
  :data:`UNARY`, :data:`BINARY`, :data:`COMMUTATIVE`, :data:`COMPARISONS` (``eltwise``);
* :class:`FusionRules`, :func:`fuse_post_ops`, :func:`operand_layout`, :func:`mvn_tail`
  (``fusion``);
* :class:`MemoryPlan`, :class:`Storage`, :class:`Scratch`, :func:`plan_arena`,
  :data:`ALIGN` (``memory``);
* :func:`prepare_graph`: the passes in their order (``pipeline``);
* :class:`ConstantCache`: what the passes and a device's lowering derive from a model's
  constants, made once per compiled model (``const_cache``).

``docs/plugin-authors.md`` ("Shared compiler passes") describes what each pass records.
"""

from openvino.plugin.passes.const_cache import ConstantCache
from openvino.plugin.passes.decompression import (
    COMPRESSED_TYPES,
    CompressedWeights,
    claim_compressed_weights,
)
from openvino.plugin.passes.eltwise import (
    BINARY,
    COMMUTATIVE,
    COMPARISONS,
    UNARY,
    EltwiseStep,
    apply_steps,
    binary_function,
    unary_step,
)
from openvino.plugin.passes.folding import fold_constants
from openvino.plugin.passes.fusion import FusionRules, fuse_post_ops, mvn_tail, operand_layout
from openvino.plugin.passes.graph import (
    Graph,
    NotStatic,
    Op,
    Value,
    shared_clone,
    static_model,
)
from openvino.plugin.passes.memory import ALIGN, MemoryPlan, Scratch, Storage, plan_arena
from openvino.plugin.passes.pipeline import prepare_graph

__all__ = [
    "ALIGN", "BINARY", "COMMUTATIVE", "COMPARISONS", "COMPRESSED_TYPES", "UNARY",
    "CompressedWeights", "ConstantCache", "EltwiseStep", "FusionRules", "Graph", "MemoryPlan",
    "NotStatic",
    "Op", "Scratch", "Storage", "Value", "apply_steps", "binary_function",
    "claim_compressed_weights", "fold_constants", "fuse_post_ops", "mvn_tail",
    "operand_layout", "plan_arena", "prepare_graph", "shared_clone", "static_model",
    "unary_step",
]
