"""``Matcher`` (does a pattern graph match the graph at a value?) and ``MatcherPass`` (a
pattern plus a callback that rewrites each match).

A match walks the pattern and the graph together from the roots up through the inputs.
What each pattern node matched is kept in the pattern map (``get_pattern_value_map``); a
branch that fails gives back what it had recorded, so a failed alternative (an ``Or``
branch, one order of a commutative op's inputs) leaves no trace.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from .._node import ConstOutput, Node, Output
from .pass_base import PassBase
from .pattern import is_castable

__all__ = ["Matcher", "MatcherPass"]

#: ops whose inputs may be matched in any order
_COMMUTATIVE = frozenset({
    "Add", "Multiply", "Maximum", "Minimum", "Equal", "NotEqual", "LogicalAnd", "LogicalOr",
    "LogicalXor", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "SquaredDifference",
})


def _as_value(value: Any, what: str) -> Output:
    if isinstance(value, ConstOutput):
        return Output(value.get_node(), value.get_index())
    if isinstance(value, Node):
        if not value._outputs:
            raise RuntimeError(f"{what}: node '{value.get_friendly_name()}' has no outputs")
        return Output(value, 0)
    raise TypeError(f"{what}: expected an openvino.Node or openvino.Output, got "
                    f"{type(value).__name__}")


class Matcher:
    """openvino.passes.Matcher wraps ov::pass::pattern::Matcher"""

    def __init__(self, node: Any, name: str) -> None:
        self._pattern = _as_value(node, "Matcher()")
        if not isinstance(name, str):
            raise TypeError(f"Matcher(): the name must be a str, got {type(name).__name__}")
        self._name = name
        self._clear()

    def _clear(self) -> None:
        self._pattern_map: dict[Node, Output] = {}
        self._matched: list[Output] = []
        self._symbols: dict[str, Any] = {}
        self._root: Output | None = None

    # --- the walk (pattern nodes call back into these) -------------------------------------
    def _save(self) -> tuple:
        return dict(self._pattern_map), len(self._matched), dict(self._symbols)

    def _restore(self, saved: tuple) -> None:
        self._pattern_map, n, self._symbols = dict(saved[0]), saved[1], dict(saved[2])
        del self._matched[n:]

    def _add_node(self, value: Output) -> None:
        self._matched.append(value)

    def _match_value(self, pattern_value: Output, graph_value: Output) -> bool:
        pattern_node = pattern_value.get_node()
        custom = getattr(pattern_node, "_match_value", None)
        if custom is not None:
            return custom(self, pattern_value, graph_value)
        # an ordinary op: the same output of a node of the same op type, inputs matching
        if pattern_value.get_index() != graph_value.get_index():
            return False
        graph_node = graph_value.get_node()
        self._add_node(graph_value)
        if is_castable(graph_node, type(pattern_node)) and \
                self._match_arguments(pattern_node, graph_node):
            self._pattern_map[pattern_node] = graph_value
            return True
        return False

    def _match_arguments(self, pattern_node: Node, graph_node: Node) -> bool:
        args = graph_node.input_values()
        pattern_args = pattern_node.input_values()
        if len(args) != len(pattern_args):
            return False
        if graph_node.type_name in _COMMUTATIVE and len(args) > 1:
            for order in itertools.permutations(pattern_args):
                saved = self._save()
                if self._match_all(order, args):
                    return True
                self._restore(saved)
            return False
        return self._match_all(pattern_args, args)

    def _match_all(self, pattern_args: Any, args: list[Output]) -> bool:
        return all(self._match_value(p, g) for p, g in zip(pattern_args, args))

    # --- public API ---------------------------------------------------------------------------
    def match(self, value: Any) -> bool:
        """Matches registered pattern starting from given output (a node: its output 0)."""
        graph_value = _as_value(value, "Matcher.match()")
        self._clear()
        saved = self._save()
        if self._match_value(self._pattern, graph_value):
            self._root = graph_value
            return True
        self._restore(saved)
        return False

    def get_name(self) -> str:
        """Get Matcher name."""
        return self._name

    def get_match_root(self) -> Node | None:
        """The matched root node (after a successful ``match``); None otherwise."""
        return self._root.get_node() if self._root is not None else None

    def get_match_value(self) -> Output | None:
        """The matched root output (after a successful ``match``); None otherwise."""
        return self._root

    def get_match_nodes(self) -> list[Node]:
        """The matched graph nodes."""
        return [v.get_node() for v in self._matched]

    def get_match_values(self) -> list[Output]:
        """The matched graph outputs."""
        return list(self._matched)

    def get_pattern_value_map(self) -> dict[Node, Output]:
        """Pattern nodes mapped to the graph outputs they matched."""
        return dict(self._pattern_map)

    #: the older name of ``get_pattern_value_map``
    get_pattern_map = get_pattern_value_map

    def get_symbols(self) -> dict[str, Any]:
        """Shape symbols bound by the pattern's predicates (``shape_matches``)."""
        return dict(self._symbols)

    def __repr__(self) -> str:
        return f"<Matcher: '{self._name}'>"


class MatcherPass(PassBase):
    """openvino.passes.MatcherPass wraps ov::pass::MatcherPass

    ``MatcherPass(matcher, callback)``, or a subclass that calls
    ``self.register_matcher(matcher, callback)``. ``callback(matcher) -> bool`` rewrites
    the graph around ``matcher.get_match_root()`` and returns True when it changed it.
    """

    _default_name = "ov::pass::MatcherPass"

    def __init__(self, matcher: Matcher | None = None,
                 callback: Callable[[Matcher], bool] | None = None) -> None:
        super().__init__()
        self._matcher: Matcher | None = None
        self._callback: Callable[[Matcher], bool] | None = None
        self._new_nodes: list[Node] = []
        if type(self) is not MatcherPass:
            self._default_name = "PyMatcherPass"
        if matcher is not None or callback is not None:
            self.register_matcher(matcher, callback)

    def register_matcher(self, matcher: Matcher, callback: Callable[[Matcher], bool]) -> None:
        """Initialize matcher and callback for further execution (the pass takes the
        matcher's name)."""
        if not isinstance(matcher, Matcher):
            raise TypeError("register_matcher(): expected an openvino.passes.Matcher, got "
                            f"{type(matcher).__name__}")
        if not callable(callback):
            raise TypeError("register_matcher(): the callback must be a function "
                            "(Matcher -> bool)")
        self._matcher = matcher
        self._callback = callback
        self.set_name(matcher.get_name())

    def apply(self, node: Node) -> bool:
        """Execute MatcherPass on given Node: the callback's result where the pattern
        matches, False otherwise."""
        self._new_nodes = []
        matcher = self._matcher
        if matcher is None or self._callback is None:
            return False
        if not isinstance(node, Node):
            raise TypeError(f"apply(): expected an openvino.Node, got {type(node).__name__}")
        if not node._outputs:
            return False
        try:
            if matcher.match(Output(node, 0)):
                return bool(self._callback(matcher))
            return False
        finally:
            matcher._clear()  # it held the matched nodes

    def register_new_node(self, node: Node) -> Node:
        """Register node for additional pattern matching (the GraphRewrite running this
        pass visits it next)."""
        if not isinstance(node, Node):
            raise TypeError("register_new_node(): expected an openvino.Node, got "
                            f"{type(node).__name__}")
        self._new_nodes.append(node)
        return node

    def get_new_nodes(self) -> list[Node]:
        return list(self._new_nodes)

    def clear_new_nodes(self) -> None:
        self._new_nodes = []
