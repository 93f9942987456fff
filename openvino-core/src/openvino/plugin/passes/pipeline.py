"""The passes in their standard order, as one call: what a device compiler runs before it
lowers the graph to its kernels."""

from __future__ import annotations

from collections.abc import Sequence

from openvino import Model

from .const_cache import ConstantCache
from .decompression import claim_compressed_weights
from .folding import fold_constants
from .fusion import FusionRules, fuse_post_ops
from .graph import Graph

__all__ = ["prepare_graph"]


def prepare_graph(model: Model, input_shapes: Sequence[Sequence[int]] | None = None, *,
                  compressed_weights: bool = True, fuse: bool = True,
                  rules: FusionRules | None = None,
                  cache: ConstantCache | None = None) -> Graph:
    """The static-shape graph of ``model`` (specialised to ``input_shapes`` when given)
    with decompression chains claimed (``compressed_weights``: the device's MatMul reads
    ``op.compressed_weights``; False leaves the chains to be folded to f32 weights),
    constants folded, dead ops dropped and, with ``fuse``, elementwise tails fused as
    ``rules`` allow (default ``FusionRules()``). Raises ``NotStatic`` as
    ``Graph.from_model`` does. ``cache``: a ``ConstantCache`` the decompression claims and
    the folded constants are kept in and taken from (one per compiled model)."""
    graph = Graph.from_model(model, input_shapes)
    if compressed_weights:
        claim_compressed_weights(graph, cache)
        graph.remove_dead()
    fold_constants(graph, cache)
    graph.remove_dead()
    if fuse:
        fuse_post_ops(graph, rules)
    return graph
