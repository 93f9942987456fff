"""Pattern nodes: the wildcards a pattern graph is built of, besides ordinary ops.

* ``WrapType(types, inputs?, predicate?)``: a node of one of the given op types
  (``"opset13.Relu"`` or ``"opset13::Relu"``), over the given input patterns if any;
* ``AnyInput(predicate?)``: any value (the same one wherever the same ``AnyInput`` is used);
* ``Or(patterns)``: the first of the patterns that matches;
* ``Optional(types, inputs?, predicate?)``: a node of one of the types, or, when absent,
  its first input's pattern directly.

An ordinary op in a pattern matches a graph node of its own type (and version) whose
inputs match the op's inputs (in any order for commutative ops such as ``Add``). Each
pattern node decides how it matches in ``_match_value``; ``Matcher`` drives the walk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .._node import ConstOutput, Node, Output
from .._shape import PartialShape
from .._type import Type
from .predicate import Predicate, as_predicate

__all__ = ["WrapType", "AnyInput", "Or", "Optional", "op_class_for", "is_castable"]

_OPSET = re.compile(r"^opset(\d+)$")


def op_class_for(type_name: str) -> type:
    """The op class ``"opsetN.Type"`` (or ``"opsetN::Type"``) names: the newest version of
    the op in opset N. ``RuntimeError`` for an unknown opset or op."""
    from .. import _op_registry, _opsets

    _opsets._load_ops()
    text = str(type_name)
    sep = "::" if "::" in text else "."
    opset, _, op_name = text.partition(sep)
    m = _OPSET.match(opset) if sep in text else None
    if m is None or not 1 <= int(m.group(1)) <= _opsets.LATEST_OPSET:
        raise RuntimeError(f"Unsupported opset type: {opset if sep in text else text}")
    limit = int(m.group(1))
    best, best_version = None, 0
    for (name, version), cls in _op_registry.OP_CLASSES.items():
        vm = _OPSET.match(version)
        if name == op_name and vm is not None and best_version < int(vm.group(1)) <= limit:
            best, best_version = cls, int(vm.group(1))
    if best is None:
        raise RuntimeError(f"Unrecognized operation type: {op_name} (not in {opset})")
    return best


def is_castable(node: Node, cls: type) -> bool:
    """Whether ``node`` is an op of class ``cls``: that class, or a subclass that keeps its
    type name and version (another version of an op is another op)."""
    if type(node) is cls:
        return True
    return (isinstance(node, cls) and node.type_name == cls.type_name
            and node.version == cls.version)


def _pattern_inputs(value: Any) -> list[Output]:
    """The inputs of a pattern node given as a node, an output, or a list of either."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [_one_input(v) for v in value]
    return [_one_input(value)]


def _one_input(value: Any) -> Output:
    if isinstance(value, ConstOutput):
        return Output(value.get_node(), value.get_index())
    if isinstance(value, Node):
        return Output(value, 0)
    raise TypeError("a pattern input must be an openvino.Node or openvino.Output, got "
                    f"{type(value).__name__}")


def _split_inputs_and_predicate(args: tuple) -> tuple[list[Output], Predicate]:
    """``(inputs?, predicate?)`` as the pattern constructors take them."""
    if len(args) > 2:
        raise TypeError(f"expected at most inputs and a predicate, got {len(args)} arguments")
    inputs: Any = None
    pred: Any = None
    if len(args) == 2:
        inputs, pred = args
    elif len(args) == 1:
        if isinstance(args[0], Predicate) or (callable(args[0])
                                              and not isinstance(args[0], Node)):
            pred = args[0]
        else:
            inputs = args[0]
    if pred is not None and not (isinstance(pred, Predicate) or callable(pred)):
        raise TypeError(f"the predicate must be a function or Predicate, got "
                        f"{type(pred).__name__}")
    return _pattern_inputs(inputs), as_predicate(pred)


class _PatternNode(Node):
    """A node of a pattern graph only: one output of any type and shape."""

    def _init_pattern(self, inputs: Sequence[Output]) -> None:
        self._init_node(inputs)
        self.validate_and_infer_types()

    def validate_and_infer_types(self) -> None:
        self.set_output_type(0, Type.dynamic, PartialShape.dynamic())

    def _match_value(self, matcher: Any, pattern_value: Output, graph_value: Output) -> bool:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class WrapType(_PatternNode):
    """openvino.passes.WrapType wraps ov::pass::pattern::op::WrapType"""

    def __init__(self, type_names: str | Sequence[str], *args: Any) -> None:
        names = [type_names] if isinstance(type_names, str) else list(type_names)
        if not names:
            raise RuntimeError("WrapType needs at least one op type")
        self._classes = [op_class_for(n) for n in names]
        inputs, self._predicate = _split_inputs_and_predicate(args)
        self._init_pattern(inputs)

    def get_wrapped_types(self) -> list[type]:
        return list(self._classes)

    def _match_value(self, matcher: Any, pattern_value: Output, graph_value: Output) -> bool:
        node = graph_value.get_node()
        if not any(is_castable(node, cls) for cls in self._classes):
            return False
        if not self._predicate(matcher._symbols, graph_value):
            return False
        matcher._pattern_map[self] = graph_value
        matcher._add_node(graph_value)
        return not self._inputs or matcher._match_arguments(self, node)


WrapType.type_name = "WrapType"  # set after the class: pattern nodes are not ops to register


class AnyInput(_PatternNode):
    """openvino.passes.AnyInput wraps ov::pass::pattern::op::Label"""

    def __init__(self, predicate: Any = None) -> None:
        if predicate is not None and not (isinstance(predicate, Predicate)
                                          or callable(predicate)):
            raise TypeError("AnyInput(): the predicate must be a function or Predicate, "
                            f"got {type(predicate).__name__}")
        self._predicate = as_predicate(predicate)
        self._init_pattern(())

    def _match_value(self, matcher: Any, pattern_value: Output, graph_value: Output) -> bool:
        if not self._predicate(matcher._symbols, graph_value):
            return False
        pattern_map = matcher._pattern_map
        matcher._add_node(graph_value)
        if self in pattern_map:  # used twice in the pattern: the same value both times
            return pattern_map[self] == graph_value
        pattern_map[self] = graph_value
        return True


AnyInput.type_name = "patternLabel"


class Or(_PatternNode):
    """openvino.passes.Or wraps ov::pass::pattern::op::Or"""

    def __init__(self, inputs: Sequence[Any]) -> None:
        if not isinstance(inputs, (list, tuple)) or not inputs:
            raise TypeError("Or(): expected a non-empty list of pattern nodes or outputs")
        self._init_pattern(_pattern_inputs(inputs))

    def _match_value(self, matcher: Any, pattern_value: Output, graph_value: Output) -> bool:
        for branch in self._inputs:
            saved = matcher._save()
            if matcher._match_value(branch, graph_value):
                matcher._pattern_map[branch.get_node()] = graph_value
                matcher._pattern_map[self] = graph_value
                return True
            matcher._restore(saved)
        return False


Or.type_name = "patternOr"


class Optional(_PatternNode):
    """openvino.passes.Optional wraps ov::pass::pattern::op::Optional"""

    def __init__(self, type_names: Sequence[str], *args: Any) -> None:
        if isinstance(type_names, str):
            raise TypeError("Optional(): the op types must be a list of str, e.g. "
                            '["opset13.Relu"]')
        self._type_names = list(type_names)
        self._classes = [op_class_for(n) for n in self._type_names]
        inputs, self._predicate = _split_inputs_and_predicate(args)
        self._init_pattern(inputs)

    def _match_value(self, matcher: Any, pattern_value: Output, graph_value: Output) -> bool:
        # the op present: a WrapType over the same inputs; absent (when there are inputs):
        # the first input's pattern matches the value itself. The helper nodes are not
        # made consumers of the inputs (they live for this match only).
        present = _detached(WrapType, self._inputs)
        present._classes = self._classes
        present._predicate = self._predicate
        pattern: Node = present
        if self._inputs:
            pattern = _detached(Or, [Output(present, 0), self._inputs[0]])
        if not matcher._match_value(Output(pattern, 0), graph_value):
            return False
        pattern_map = matcher._pattern_map
        if present in pattern_map:
            pattern_map[self] = graph_value
        for helper in (present, pattern):
            pattern_map.pop(helper, None)
        return True


def _detached(cls: type, inputs: Sequence[Output]) -> Any:
    node = cls.__new__(cls)
    node._init_pattern(())
    node._inputs = list(inputs)
    return node


Optional.type_name = "patternOptional"
