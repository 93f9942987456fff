"""``GraphRewrite`` and ``BackwardGraphRewrite``: run several ``MatcherPass`` es over a
model's nodes in one walk.

Every node, in topological order (reverse order for ``BackwardGraphRewrite``), is offered
to the matcher passes in registration order; the first whose callback returns True
claims it and the others skip it. Nodes a callback registers with ``register_new_node``
are visited next. Nodes are held weakly while they wait: one that a rewrite dropped from
the graph (and nothing else holds) is not visited.
"""

from __future__ import annotations

import weakref
from collections import deque
from typing import Any

from .matcher import MatcherPass
from .pass_base import BuiltinModelPass

__all__ = ["GraphRewrite", "BackwardGraphRewrite"]


class GraphRewrite(BuiltinModelPass):
    """GraphRewrite that additionally holds python transformations objects."""

    _default_name = "ov::pass::GraphRewrite"
    _backward = False

    def __init__(self, matcher_pass: MatcherPass | None = None) -> None:
        super().__init__()
        self.passes_list: list[MatcherPass] = []
        if matcher_pass is not None:
            self.add_matcher(matcher_pass)

    def add_matcher(self, transformation: MatcherPass) -> MatcherPass:
        """Append MatcherPass instance to the end of execution list."""
        if not isinstance(transformation, MatcherPass):
            what = (f"the class {transformation.__name__}"
                    if isinstance(transformation, type) else type(transformation).__name__)
            raise TypeError("add_matcher(): incompatible function arguments: expected an "
                            f"openvino.passes.MatcherPass instance, got {what}")
        self.passes_list.append(transformation)
        return transformation

    def transform(self, model: Any) -> bool:
        """Apply the matcher passes to every node of ``model``; True if any callback
        reported a change."""
        ops = model.get_ordered_ops()
        if self._backward:
            ops.reverse()
        queue: deque[weakref.ref] = deque(weakref.ref(n) for n in ops)
        del ops
        rewritten = False
        while queue:
            node = queue.popleft()()
            if node is None:
                continue
            for matcher_pass in self.passes_list:
                claimed = matcher_pass.apply(node)
                new_nodes = matcher_pass.get_new_nodes()
                if new_nodes:
                    # visited next, in the order registered (a topological one)
                    queue.extendleft(weakref.ref(n) for n in reversed(new_nodes))
                    matcher_pass.clear_new_nodes()
                if claimed:
                    rewritten = True
                    break
            del node
        return rewritten


class BackwardGraphRewrite(GraphRewrite):
    """BackwardGraphRewrite: a GraphRewrite that visits the nodes from the results up."""

    _default_name = "ov::pass::BackwardGraphRewrite"
    _backward = True
